#include "registry/model.h"

#include <gtest/gtest.h>

#include "registry/id_number.h"

namespace fupin::registry {
namespace {

const Date kToday{2026, 11, 23};

std::string Id(std::string_view first17) {
  return std::string(first17) + IdNumberCheckCharacter(first17);
}

HouseholdRecord Valid() {
  HouseholdRecord r;
  r.household.number = "990121001001-0001";
  r.household.region_code = "990121001001";
  r.household.attribute = "general";
  r.household.main_cause = "illness";
  r.household.phone = "13812345678";
  Member head;
  head.name = "王建国";
  head.relation = "head";
  head.id_number = Id("99012119700101001");  // odd sequence: male
  Member spouse;
  spouse.name = "李秀英";
  spouse.relation = "spouse";
  spouse.id_number = Id("99012119720202002");
  spouse.health = "serious";
  r.members = {head, spouse};
  r.events = {{0, "identified", {2014, 5, 1}, std::nullopt, ""},
              {0, "lifted", {2018, 12, 1}, 2018, ""}};
  r.incomes = {{2018, 8000, 3000, 100, 2000, 1100}};
  return r;
}

TEST(ValidateRecord, AcceptsAValidRecordAndDerivesBirthSexAndStatus) {
  HouseholdRecord r = Valid();
  auto problems = ValidateRecord(r, kToday);
  EXPECT_TRUE(problems.empty()) << problems[0].column << ": " << problems[0].reason;
  EXPECT_EQ(r.members[0].sex, "male");
  EXPECT_EQ(r.members[1].sex, "female");
  EXPECT_EQ(r.members[0].birth_date, (Date{1970, 1, 1}));
  EXPECT_EQ(r.household.status, "lifted");
  EXPECT_EQ(r.household.lifted_year, 2018);
}

TEST(ValidateRecord, NamesEveryProblemWithItsField) {
  HouseholdRecord r = Valid();
  r.household.main_cause = "因懒";
  r.household.phone = "1381234567";
  r.members[0].sex = "female";                                           // the ID says male
  r.members[1].relation = "head";                                        // two heads
  r.members[1].id_number = "990121197202020020";                         // wrong check character
  r.events.push_back({0, "cancelled", {2019, 1, 1}, std::nullopt, ""});  // no reason
  auto problems = ValidateRecord(r, kToday);
  std::set<std::string> fields;
  for (const auto& p : problems) fields.insert(p.column);
  EXPECT_TRUE(fields.contains("main_cause"));
  EXPECT_TRUE(fields.contains("phone"));
  EXPECT_TRUE(fields.contains("members[1].sex"));
  EXPECT_TRUE(fields.contains("members[2].id_number"));
  EXPECT_TRUE(fields.contains("members"));
  EXPECT_TRUE(fields.contains("events[3].reason"));
  EXPECT_EQ(problems.size(), 6u);
}

TEST(ValidateRecord, TheSamePersonTwiceInOneHouseholdIsAnError) {
  HouseholdRecord r = Valid();
  r.members[1].id_number = r.members[0].id_number;
  auto problems = ValidateRecord(r, kToday);
  bool found = false;
  for (const auto& p : problems) found |= p.reason.find("twice") != std::string::npos;
  EXPECT_TRUE(found);
}

TEST(ValidateRecord, ChecksMeasuresAndHelpers) {
  HouseholdRecord r = Valid();
  AssistanceMeasure loan;
  loan.kind = "小额信贷";  // a label is not a code: parsers turn labels into codes first
  loan.amount = -1;
  loan.start_on = Date{2019, 1, 1};
  loan.end_on = Date{2018, 12, 31};
  HelperAssignment helper;
  helper.level = "部级";
  helper.phone = "1390000111";
  helper.since = Date{2016, 1, 1};
  helper.until = Date{2015, 1, 1};
  r.measures = {loan};
  r.helpers = {helper, helper};
  auto problems = ValidateRecord(r, kToday);
  std::set<std::string> fields;
  for (const auto& p : problems) fields.insert(p.column);
  for (const char* field :
       {"measures[1].kind", "measures[1].amount", "measures[1].end_on", "helpers[1].name",
        "helpers[1].level", "helpers[1].phone", "helpers[1].until", "helpers[2].name"}) {
    EXPECT_TRUE(fields.contains(field)) << field;
  }
  r.measures[0] = {0, "micro_credit", 50000, Date{2016, 3, 1}, Date{2019, 2, 28}, ""};
  r.helpers = {
      {0, "张帮扶", "县农业农村局", "county", "13900001111", Date{2016, 1, 1}, std::nullopt}};
  r.household.reported_size = 2;
  EXPECT_TRUE(ValidateRecord(r, kToday).empty());
  r.household.reported_size = -1;
  EXPECT_EQ(ValidateRecord(r, kToday).at(0).column, "reported_size");
}

TEST(Registry, PerCapitaIncomeCountsMembersAtTheYearEnd) {
  HouseholdRecord r = Valid();
  ASSERT_TRUE(ValidateRecord(r, kToday).empty());
  EXPECT_DOUBLE_EQ(*PerCapitaNetIncome(r.incomes[0], r.members), 12000.0 / 2);
  r.members[1].left_on = Date{2018, 6, 1};
  r.members[1].left_reason = "death";
  EXPECT_DOUBLE_EQ(*PerCapitaNetIncome(r.incomes[0], r.members), 12000.0);
  r.members[0].joined_on = Date{2019, 1, 1};
  EXPECT_FALSE(PerCapitaNetIncome(r.incomes[0], r.members));
}

TEST(Registry, StatusAsOfADate) {
  const HouseholdRecord r = Valid();
  EXPECT_EQ(StatusOn(r.events, {2013, 1, 1}), "");
  EXPECT_EQ(StatusOn(r.events, {2016, 1, 1}), "identified");
  EXPECT_EQ(StatusOn(r.events, {2018, 12, 1}), "lifted");
}

TEST(RecordAsOf, ShowsTheHouseholdAsItStoodOnThatDay) {
  HouseholdRecord r;
  r.household.status = "lifted";
  r.household.lifted_year = 2018;
  Member head;
  head.name = "head";
  Member child = head;
  child.name = "born 2016";
  child.joined_on = Date{2016, 5, 1};
  Member grandma = head;
  grandma.name = "died 2017";
  grandma.left_on = Date{2017, 3, 1};
  grandma.left_reason = "death";
  r.members = {head, child, grandma};
  r.events = {{0, "identified", Date{2014, 1, 1}, std::nullopt, ""},
              {0, "lifted", Date{2018, 12, 31}, 2018, ""}};
  r.incomes = {{2015, 1000, 0, 0, 0, 0}, {2016, 2000, 0, 0, 0, 0}};

  const HouseholdRecord y2016 = RecordAsOf(r, Date{2016, 12, 31});
  ASSERT_EQ(y2016.members.size(), 3u);
  EXPECT_EQ(y2016.household.status, "identified");
  EXPECT_FALSE(y2016.household.lifted_year.has_value());
  EXPECT_EQ(y2016.events.size(), 1u);
  EXPECT_EQ(y2016.incomes.size(), 2u);

  const HouseholdRecord mid2016 = RecordAsOf(r, Date{2016, 6, 30});
  EXPECT_EQ(mid2016.incomes.size(), 1u) << "2016 is not complete yet";

  const HouseholdRecord y2019 = RecordAsOf(r, Date{2019, 1, 1});
  ASSERT_EQ(y2019.members.size(), 2u);
  EXPECT_EQ(y2019.members[1].name, "born 2016");
  EXPECT_EQ(y2019.household.status, "lifted");
  EXPECT_EQ(y2019.household.lifted_year, 2018);

  const HouseholdRecord before = RecordAsOf(r, Date{2013, 6, 1});
  EXPECT_EQ(before.household.status, "");
  EXPECT_EQ(before.members.size(), 2u);  // the child was not yet born
}

}  // namespace
}  // namespace fupin::registry
