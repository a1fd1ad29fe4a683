#include "registry/editing.h"

#include <gtest/gtest.h>

#include "base/chinese.h"
#include "registry/id_number.h"

namespace fupin::registry {
namespace {

const Date kToday{2026, 11, 23};
const Date kDay{2024, 5, 6};

std::string Id(std::string_view first17) {
  return std::string(first17) + IdNumberCheckCharacter(first17);
}

Member Person(int64_t id, std::string name, std::string relation, std::string_view first17) {
  Member m;
  m.id = id;
  m.name = std::move(name);
  m.relation = std::move(relation);
  m.id_number = Id(first17);
  return m;
}

// Household 1 (head, spouse, child) and household 2 (head, parent), both in one village.
HouseholdRecord First() {
  HouseholdRecord r;
  r.household.id = 1;
  r.household.version = 4;
  r.household.number = "H1";
  r.household.region_code = "990121001001";
  r.household.attribute = "general";
  r.household.main_cause = "illness";
  r.household.year_identified = 2015;
  r.events.push_back({0, "identified", Date{2015, 3, 1}, std::nullopt, ""});
  r.events.push_back({0, "lifted", Date{2019, 12, 31}, 2019, ""});
  r.members = {Person(11, "王建国", "head", "99012119700101001"),
               Person(12, "李秀英", "spouse", "99012119720202002"),
               Person(13, "王小明", "child", "99012120000303003")};
  return r;
}

HouseholdRecord Second() {
  HouseholdRecord r;
  r.household.id = 2;
  r.household.version = 9;
  r.household.number = "H2";
  r.household.region_code = "990121001001";
  r.members = {Person(21, "赵大山", "head", "99012119650404005"),
               Person(22, "赵老汉", "parent", "99012119400505007")};
  return r;
}

MemberEventRequest Request(std::string kind) {
  MemberEventRequest q;
  q.kind = std::move(kind);
  q.on = kDay;
  q.version = 4;
  return q;
}

const Member& ById(const HouseholdRecord& r, int64_t id) {
  for (const Member& m : r.members) {
    if (m.id == id) return m;
  }
  throw std::runtime_error("no member " + std::to_string(id));
}

bool HasField(const Error& e, std::string_view field) {
  for (const ErrorDetail& d : e.details) {
    if (d.column == field) return true;
  }
  return false;
}

TEST(MemberEventTest, BirthAddsAMemberFromThatDayRecordedAsAnEvent) {
  HouseholdRecord here = First();
  MemberEventRequest q = Request("birth");
  q.person = Person(0, "王小花", "", "99012120240506004");
  auto edit = PlanMemberEvent(here, nullptr, q, kToday);
  ASSERT_TRUE(edit) << edit.error().message;
  ASSERT_EQ(edit->replaced.size(), 1u);
  const HouseholdRecord& r = edit->replaced[0];
  EXPECT_EQ(r.household.version, 4);
  ASSERT_EQ(r.members.size(), 4u);
  const Member& baby = r.members.back();
  EXPECT_EQ(baby.id, 0);
  EXPECT_EQ(baby.relation, "child");  // the default for a birth
  EXPECT_EQ(baby.joined_on, kDay);
  EXPECT_EQ(baby.birth_date, kDay);
  ASSERT_EQ(edit->events.size(), 1u);
  EXPECT_EQ(edit->events[0].household, 1);
  EXPECT_EQ(edit->events[0].event.kind, "birth");
  EXPECT_EQ(edit->events[0].event.id_number, baby.id_number);
  // Membership as of the day before does not include the baby.
  EXPECT_EQ(RecordAsOf(r, Date{2024, 5, 5}).members.size(), 3u);
  EXPECT_EQ(RecordAsOf(r, kDay).members.size(), 4u);
}

TEST(MemberEventTest, BirthOfSomeoneBornAnotherDayIsRefused) {
  MemberEventRequest q = Request("birth");
  q.person = Person(0, "王小花", "child", "99012120240506004");
  q.person->birth_date = Date{2024, 1, 1};
  auto edit = PlanMemberEvent(First(), nullptr, q, kToday);
  ASSERT_FALSE(edit);
  EXPECT_TRUE(HasField(edit.error(), "person.birth_date"));
}

TEST(MemberEventTest, DeathOfTheHeadNeedsASuccessorWhoBecomesHead) {
  MemberEventRequest q = Request("death");
  q.member_id = 11;
  auto refused = PlanMemberEvent(First(), nullptr, q, kToday);
  ASSERT_FALSE(refused);
  EXPECT_TRUE(HasField(refused.error(), "new_head_member_id"));

  q.new_head_member_id = 12;
  auto edit = PlanMemberEvent(First(), nullptr, q, kToday);
  ASSERT_TRUE(edit) << edit.error().message;
  const HouseholdRecord& r = edit->replaced[0];
  EXPECT_EQ(ById(r, 11).left_on, kDay);
  EXPECT_EQ(ById(r, 11).left_reason, "death");
  EXPECT_EQ(ById(r, 12).relation, "head");
  // As of the day before, the deceased was still a member.
  EXPECT_EQ(RecordAsOf(r, Date{2024, 5, 5}).members.size(), 3u);
  EXPECT_EQ(RecordAsOf(r, kDay).members.size(), 2u);
}

// The member concerned may be named by ID number (a final x read as X, spaces trimmed) or by a
// name only one current member has; an unknown, ambiguous or superfluous one names `member`,
// an ID number masked.
TEST(MemberEventTest, TheMemberConcernedIsNamedByIdNumberOrUniqueName) {
  MemberEventRequest q = Request("move_out");
  q.member = " " + Id("99012120000303003") + " ";
  auto by_id = PlanMemberEvent(First(), nullptr, q, kToday);
  ASSERT_TRUE(by_id) << by_id.error().message;
  EXPECT_EQ(ById(by_id->replaced[0], 13).left_on, kDay);

  q.member = "李秀英";
  auto by_name = PlanMemberEvent(First(), nullptr, q, kToday);
  ASSERT_TRUE(by_name) << by_name.error().message;
  EXPECT_EQ(ById(by_name->replaced[0], 12).left_on, kDay);
  EXPECT_FALSE(ById(by_name->replaced[0], 13).left_on);

  HouseholdRecord twins = First();
  twins.members.push_back(Person(14, "李秀英", "other", "99012119990101004"));
  auto ambiguous = PlanMemberEvent(twins, nullptr, q, kToday);
  ASSERT_FALSE(ambiguous);
  EXPECT_TRUE(HasField(ambiguous.error(), "member"));
  EXPECT_NE(ambiguous.error().details[0].reason.find("several"), std::string::npos)
      << ambiguous.error().details[0].reason;

  q.member = Id("99012119990909009");  // nobody here
  auto unknown = PlanMemberEvent(First(), nullptr, q, kToday);
  ASSERT_FALSE(unknown);
  ASSERT_TRUE(HasField(unknown.error(), "member"));
  EXPECT_EQ(unknown.error().message.find(q.member), std::string::npos) << "masked";
  EXPECT_EQ(unknown.error().details[0].value.find(q.member), std::string::npos) << "masked";

  q.member = "王小明";
  q.member_id = 13;
  auto both = PlanMemberEvent(First(), nullptr, q, kToday);
  ASSERT_FALSE(both);
  EXPECT_TRUE(HasField(both.error(), "member"));

  MemberEventRequest birth = Request("birth");
  birth.member = "王小明";
  birth.person = Person(0, "王小宝", "grandchild", "99012120240506001");
  auto superfluous = PlanMemberEvent(First(), nullptr, birth, kToday);
  ASSERT_FALSE(superfluous);
  EXPECT_TRUE(HasField(superfluous.error(), "member"));
}

TEST(MemberEventTest, TheLastMemberLeavingCancelsTheHousehold) {
  HouseholdRecord alone = First();
  alone.members.resize(1);
  MemberEventRequest q = Request("death");
  q.member_id = 11;
  auto edit = PlanMemberEvent(alone, nullptr, q, kToday);
  ASSERT_TRUE(edit) << edit.error().message;
  const HouseholdRecord& r = edit->replaced[0];
  ASSERT_EQ(r.events.back().status, "cancelled");
  EXPECT_EQ(r.events.back().on, kDay);
  EXPECT_NE(r.events.back().reason.find("no members remain"), std::string::npos);
}

TEST(MemberEventTest, MarriageOutIntoAnotherRegisteredHouseholdIsRecordedOnBoth) {
  HouseholdRecord other = Second();
  MemberEventRequest q = Request("marriage_out");
  q.member_id = 13;
  q.other_household_id = 2;
  q.relation = "配偶";
  auto edit = PlanMemberEvent(First(), &other, q, kToday);
  ASSERT_TRUE(edit) << edit.error().message;
  ASSERT_EQ(edit->replaced.size(), 2u);
  EXPECT_EQ(ById(edit->replaced[0], 13).left_on, kDay);
  const Member& joined = edit->replaced[1].members.back();
  EXPECT_EQ(joined.id, 0);
  EXPECT_EQ(joined.name, "王小明");
  EXPECT_EQ(joined.relation, "spouse");
  EXPECT_EQ(joined.joined_on, kDay);
  EXPECT_EQ(edit->replaced[1].household.version, 9);  // checked against what was loaded
  ASSERT_EQ(edit->events.size(), 2u);
  EXPECT_EQ(edit->events[0].event.kind, "marriage_out");
  EXPECT_EQ(edit->events[0].event.other_household_number, "H2");
  EXPECT_EQ(edit->events[1].household, 2);
  EXPECT_EQ(edit->events[1].event.kind, "marriage_in");
}

TEST(MemberEventTest, MoveInOfARegisteredPersonTakesThemFromTheirHousehold) {
  HouseholdRecord other = Second();
  MemberEventRequest q = Request("move_in");
  q.id_number = other.members[1].id_number;
  auto edit = PlanMemberEvent(First(), &other, q, kToday);
  ASSERT_TRUE(edit) << edit.error().message;
  ASSERT_EQ(edit->replaced.size(), 2u);
  EXPECT_EQ(edit->replaced[0].members.back().name, "赵老汉");
  EXPECT_EQ(edit->replaced[0].members.back().relation, "other");
  EXPECT_EQ(ById(edit->replaced[1], 22).left_reason, "move_out");
}

TEST(MemberEventTest, SplitCreatesAHouseholdWithTheSharedHistory) {
  MemberEventRequest q = Request("split");
  q.member_ids = {13};
  q.new_household_number = "H1-2";
  auto edit = PlanMemberEvent(First(), nullptr, q, kToday);
  ASSERT_TRUE(edit) << edit.error().message;
  ASSERT_TRUE(edit->created);
  const HouseholdRecord& created = *edit->created;
  EXPECT_EQ(created.household.number, "H1-2");
  EXPECT_EQ(created.household.region_code, "990121001001");
  ASSERT_EQ(created.members.size(), 1u);
  EXPECT_EQ(created.members[0].relation, "head");  // the only one who left
  EXPECT_EQ(created.members[0].joined_on, kDay);
  ASSERT_EQ(created.events.size(), 2u);  // identified 2015, lifted 2019
  EXPECT_EQ(ById(edit->replaced[0], 13).left_reason, "split");
  ASSERT_EQ(edit->events.size(), 2u);
  EXPECT_EQ(edit->events[0].event.other_household_id, kCreatedHousehold);
  EXPECT_EQ(edit->events[0].event.other_household_number, "H1-2");
  EXPECT_EQ(edit->events[1].household, kCreatedHousehold);
}

TEST(MemberEventTest, SplitOfEveryoneOrWithoutANumberIsRefused) {
  MemberEventRequest q = Request("split");
  q.member_ids = {11, 12, 13};
  q.new_household_number = "H1-2";
  auto all = PlanMemberEvent(First(), nullptr, q, kToday);
  ASSERT_FALSE(all);
  EXPECT_TRUE(HasField(all.error(), "member_ids"));
  q.member_ids = {12, 13};
  q.new_household_number = "";
  auto unnamed = PlanMemberEvent(First(), nullptr, q, kToday);
  ASSERT_FALSE(unnamed);
  EXPECT_TRUE(HasField(unnamed.error(), "new_household_number"));
  EXPECT_TRUE(HasField(unnamed.error(), "split_head_member_id"));
}

TEST(MemberEventTest, MergeMovesEveryoneAndCancelsTheAbsorbedHousehold) {
  HouseholdRecord other = Second();
  MemberEventRequest q = Request("merge");
  q.other_household_id = 2;
  q.relations = {{22, "父母"}};
  auto edit = PlanMemberEvent(First(), &other, q, kToday);
  ASSERT_TRUE(edit) << edit.error().message;
  ASSERT_EQ(edit->replaced.size(), 2u);
  const HouseholdRecord& here = edit->replaced[0];
  ASSERT_EQ(here.members.size(), 5u);
  EXPECT_EQ(here.members[3].relation, "other");   // the absorbed head
  EXPECT_EQ(here.members[4].relation, "parent");  // as given
  const HouseholdRecord& gone = edit->replaced[1];
  EXPECT_EQ(gone.events.back().status, "cancelled");
  EXPECT_EQ(gone.events.back().reason, "merged into household H1");
  EXPECT_EQ(edit->events.size(), 4u);
}

TEST(MemberEventTest, MergeAcrossVillagesIsRefused) {
  HouseholdRecord other = Second();
  other.household.region_code = "990121001002";
  MemberEventRequest q = Request("merge");
  q.other_household_id = 2;
  auto edit = PlanMemberEvent(First(), &other, q, kToday);
  ASSERT_FALSE(edit);
  EXPECT_TRUE(HasField(edit.error(), "other_household_id"));
}

TEST(MemberEventTest, IdCorrectionKeepsTheOldNumberAndRederivesBirthDate) {
  HouseholdRecord here = First();
  here.members[2].birth_date = Date{2000, 3, 3};
  MemberEventRequest q = Request("id_correction");
  q.member_id = 13;
  q.new_id_number = Id("99012120010303003");
  auto edit = PlanMemberEvent(here, nullptr, q, kToday);
  ASSERT_TRUE(edit) << edit.error().message;
  HouseholdRecord r = edit->replaced[0];
  EXPECT_EQ(ById(r, 13).id_number, q.new_id_number);
  EXPECT_FALSE(ById(r, 13).birth_date);
  EXPECT_EQ(edit->events[0].event.old_id_number, here.members[2].id_number);
  EXPECT_TRUE(ValidateRecord(r, kToday).empty());
  EXPECT_EQ(ById(r, 13).birth_date, (Date{2001, 3, 3}));
}

TEST(MemberEventTest, UnknownKindsMembersAndFutureDatesAreNamed) {
  MemberEventRequest q = Request("abduction");
  auto kind = PlanMemberEvent(First(), nullptr, q, kToday);
  ASSERT_FALSE(kind);
  EXPECT_TRUE(HasField(kind.error(), "kind"));
  q = Request("death");
  q.member_id = 99;
  q.on = Date{2027, 1, 1};
  auto member = PlanMemberEvent(First(), nullptr, q, kToday);
  ASSERT_FALSE(member);
  EXPECT_TRUE(HasField(member.error(), "member_id"));
  EXPECT_TRUE(HasField(member.error(), "on"));
}

TEST(MemberEventTest, APersonMayRejoinButNotBeAMemberTwiceAtOnce) {
  HouseholdRecord r = First();
  r.members[2].left_on = Date{2020, 1, 1};
  r.members[2].left_reason = "marriage_out";
  Member back = r.members[2];
  back.id = 0;
  back.joined_on = Date{2023, 1, 1};
  back.left_on.reset();
  back.left_reason.clear();
  r.members.push_back(back);
  EXPECT_TRUE(ValidateRecord(r, kToday).empty());
  r.members.back().joined_on = Date{2019, 6, 1};  // overlaps the first stay
  EXPECT_FALSE(ValidateRecord(r, kToday).empty());
}

TEST(PatchTest, SetsOnlyTheFieldsGivenAndNamesUnknownReferences) {
  HouseholdRecord r = First();
  r.household.phone = "13812345678";
  r.measures.push_back({5, "industry", 3000.0, Date{2020, 1, 1}, std::nullopt, ""});
  HouseholdPatch patch;
  patch.version = 4;
  patch.main_cause = "disability";
  patch.housing_safe = std::optional<bool>(true);
  MemberPatch mp;
  mp.member_id = 12;
  mp.labour = "skilled";
  patch.members.push_back(mp);
  mp.member_id = 77;
  patch.members.push_back(mp);
  patch.incomes.push_back({2023, 12000, 3000, 0, 2000, 1500});
  patch.incomes_removed.push_back(2010);
  patch.measures_removed.push_back(5);
  patch.status_event = StatusEvent{0, "monitored", Date{2024, 3, 1}, std::nullopt, ""};
  auto problems = ApplyPatch(r, patch);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].column, "members[id=77]");
  EXPECT_EQ(problems[1].column, "incomes[2010]");
  EXPECT_EQ(r.household.main_cause, "disability");
  EXPECT_EQ(r.household.phone, "13812345678");  // not in the patch: kept
  EXPECT_EQ(r.household.housing_safe, true);
  EXPECT_EQ(ById(r, 12).labour, "skilled");
  EXPECT_EQ(ById(r, 12).name, "李秀英");
  ASSERT_EQ(r.incomes.size(), 1u);
  EXPECT_DOUBLE_EQ(r.incomes[0].Net(), 15500);
  EXPECT_TRUE(r.measures.empty());
  EXPECT_EQ(r.events.back().status, "monitored");
}

TEST(PatchTest, EndsTheCurrentPairingOfAHelper) {
  HouseholdRecord r = First();
  HelperAssignment a;
  a.helper_id = 8;
  a.name = "刘干部";
  a.since = Date{2018, 1, 1};
  r.helpers.push_back(a);
  HouseholdPatch patch;
  patch.version = 4;
  patch.helpers_ended.push_back({8, Date{2023, 12, 31}});
  patch.helpers_ended.push_back({9, Date{2023, 12, 31}});
  auto problems = ApplyPatch(r, patch);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].column, "helpers_ended[id=9]");
  EXPECT_EQ(r.helpers[0].until, (Date{2023, 12, 31}));
  EXPECT_TRUE(HouseholdPatch{}.Empty());
  EXPECT_FALSE(patch.Empty());
}

// Every reason the record checks and the membership-event planner give reads in Chinese too.
TEST(ChineseReasonsTest, ValidationAndEventProblemsAreAllTranslated) {
  std::vector<ErrorDetail> problems;
  HouseholdRecord bad = First();
  bad.household.number.clear();
  bad.household.phone = "123";
  bad.household.bank_account = "12ab";
  bad.household.housing_area = -1;
  bad.household.market_distance_km = 5000;
  bad.household.year_identified = 1900;
  bad.household.reported_size = 200;
  bad.household.attribute = "rich";
  bad.members[0].name.clear();
  bad.members[0].migrant_months = 13;
  bad.members[1].id_number = "123";
  bad.members[2].id_number = bad.members[0].id_number;
  bad.members[2].relation = "head";
  bad.members[2].sex = "female";
  bad.members[2].birth_date = Date{1999, 1, 1};
  bad.members[2].left_on = Date{2000, 1, 1};
  bad.members[2].joined_on = Date{2001, 1, 1};
  bad.events.push_back({0, "lifted", Date{2010, 1, 1}, std::nullopt, ""});
  bad.events.push_back({0, "cancelled", Date{2030, 1, 1}, std::nullopt, ""});
  bad.incomes.push_back({1970, -1, 0, 0, 0, 0});
  bad.incomes.push_back({1970, 0, 0, 0, 0, 0});
  bad.guarantees.push_back({"food", true, std::nullopt});
  bad.guarantees.push_back({"food", true, std::nullopt});
  bad.measures.push_back({0, "industry", -5.0, Date{2020, 1, 1}, Date{2019, 1, 1}, ""});
  HelperAssignment helper;
  helper.phone = "1";
  helper.since = Date{2020, 1, 1};
  helper.until = Date{2019, 1, 1};
  bad.helpers = {helper, helper};
  for (auto& d : ValidateRecord(bad, kToday)) problems.push_back(d);
  ASSERT_GT(problems.size(), 20u);

  for (std::string kind : {"abduction", "birth", "death", "marriage_in", "marriage_out", "split",
                           "merge", "id_correction"}) {
    MemberEventRequest q = Request(kind);
    q.on = Date{2030, 1, 1};
    q.member_id = kind == "death" ? 11 : 99;
    q.new_head_member_id = 77;
    q.member_ids = kind == "split" ? std::vector<int64_t>{11, 12, 13} : std::vector<int64_t>{};
    q.id_number = kind == "marriage_in" ? "123" : "";
    auto plan = PlanMemberEvent(First(), nullptr, q, kToday);
    ASSERT_FALSE(plan) << kind;
    for (auto& d : plan.error().details) problems.push_back(d);
    problems.push_back({0, "", "", plan.error().message});
  }
  for (const ErrorDetail& d : problems) {
    EXPECT_FALSE(ToChinese(d.reason).empty()) << d.column << ": " << d.reason;
  }
}

}  // namespace
}  // namespace fupin::registry
