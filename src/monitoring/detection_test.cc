#include "monitoring/detection.h"

#include <gtest/gtest.h>

namespace fupin::monitoring {
namespace {

using registry::HouseholdRecord;
using registry::Income;
using registry::Member;

const Date kToday{2026, 11, 22};
const std::vector<Threshold> kThresholds = {{"", 2021, 600000, "", "", ""},
                                            {"990000000000", 2025, 700000, "", "", ""}};

Member Person(std::string name, std::string relation, Date birth, std::string labour) {
  Member m;
  m.id = static_cast<int64_t>(name.size()) * 100 + birth.year;
  m.name = std::move(name);
  m.relation = std::move(relation);
  m.birth_date = birth;
  m.labour = std::move(labour);
  return m;
}

// A lifted-out household of 990121001001 with two working adults and a child; net income
// (whole household) per year as given.
HouseholdRecord Household(int64_t id, std::vector<std::pair<int, double>> nets) {
  HouseholdRecord r;
  r.household.id = id;
  r.household.number = "H" + std::to_string(id);
  r.household.region_code = "990121001001";
  r.household.status = "lifted";
  r.events = {{0, "identified", Date{2014, 5, 1}, std::nullopt, ""},
              {0, "lifted", Date{2018, 12, 1}, 2018, ""}};
  r.members = {Person("户主", "head", Date{1975, 3, 1}, "ordinary"),
               Person("配偶", "spouse", Date{1977, 6, 1}, "ordinary"),
               Person("子女", "child", Date{2012, 9, 1}, "none")};
  for (const auto& [year, net] : nets) {
    Income i;
    i.year = year;
    i.wages = net;
    r.incomes.push_back(i);
  }
  for (const char* item : {"food", "clothing", "education", "medical", "housing", "water"}) {
    r.guarantees.push_back({item, true, Date{2025, 6, 1}});
  }
  return r;
}

std::vector<Alert> Fire(const std::vector<HouseholdRecord>& hs,
                        const std::vector<RiskEvent>& ev = {},
                        std::optional<int> year = std::nullopt,
                        const std::vector<RuleOptions>& options = {}) {
  return Detect(hs, ev, kThresholds, options, {kToday, year});
}

std::string Value(const Alert& a, const std::string& name) {
  for (const auto& v : a.values) {
    if (v.name == name) return v.value;
  }
  return "<none>";
}

TEST(Detection, IncomeBelowTheProvincesThresholdOfTheLatestYear) {
  // 2025: 3 people, net 20,100 → 6,700 per person, below Gansu-99's 7,000 for 2025.
  const auto alerts = Fire({Household(1, {{2024, 21000}, {2025, 20100}})});
  ASSERT_EQ(alerts.size(), 1u);
  const Alert& a = alerts[0];
  EXPECT_EQ(a.rule, "income_below_threshold");
  EXPECT_EQ(a.period, "2025");
  EXPECT_EQ(a.household_id, 1);
  EXPECT_EQ(Value(a, "per_capita_fen"), "670000");
  EXPECT_EQ(Value(a, "threshold_fen"), "700000");
  EXPECT_EQ(Value(a, "threshold_source"), "990000000000/2025");
  EXPECT_NE(a.message_zh.find("6700.00元"), std::string::npos) << a.message_zh;
  EXPECT_NE(a.message_en.find("below the threshold of 7000.00 yuan"), std::string::npos);
  EXPECT_EQ(a.detected_on, kToday);
  // Exactly at the threshold is not below it; the national 2021 figure applies to 2024.
  EXPECT_TRUE(Fire({Household(2, {{2025, 21000}})}).empty());
  const auto y2024 = Fire({Household(3, {{2024, 17000}, {2025, 30000}})}, {}, 2024);
  ASSERT_EQ(y2024.size(), 1u);
  EXPECT_EQ(Value(y2024[0], "threshold_source"), "national/2021");
}

TEST(Detection, IncomeDropOfMoreThanTheShare) {
  // 36,000 → 24,000: a drop of a third (> 30%), both years above the threshold.
  auto alerts = Fire({Household(1, {{2024, 36000}, {2025, 24000}})});
  // 24,000 / 3 = 8,000 per person: above 7,000; only the drop fires.
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].rule, "income_drop");
  EXPECT_EQ(Value(alerts[0], "drop_share"), "0.3333");
  EXPECT_EQ(Value(alerts[0], "previous_year"), "2024");
  // Exactly 30% does not fire ("more than"); a configured 40% does not fire for a third.
  EXPECT_TRUE(Fire({Household(2, {{2024, 42000}, {2025, 29400}})}).empty());
  RuleOptions relaxed;
  relaxed.income_drop_share = 0.4;
  EXPECT_TRUE(
      Fire({Household(3, {{2024, 36000}, {2025, 24000}})}, {}, std::nullopt, {relaxed}).empty());
}

TEST(Detection, MedicalExpensesAndDisastersSumPerCalendarYear) {
  HouseholdRecord h = Household(7, {{2025, 30000}});
  std::vector<RiskEvent> events = {
      {1, 7, "990121001001", "medical_expense", 600000, Date{2026, 3, 1}, "", "v", ""},
      {2, 7, "990121001001", "medical_expense", 500000, Date{2026, 8, 1}, "", "v", ""},
      {3, 7, "990121001001", "disaster", 400000, Date{2026, 7, 1}, "", "v", ""},
      {4, 8, "990121001001", "disaster", 9900000, Date{2026, 7, 1}, "", "v", ""},  // other hh
      {5, 7, "990121001001", "medical_expense", 9900000, Date{2023, 1, 1}, "", "v", ""}};
  const auto alerts = Fire({h}, events);
  // Medical: 11,000 yuan in 2026 ≥ 10,000. Disaster: 4,000 < 10,000 and < 50% of 30,000.
  // The 2023 expense lies outside the window (last year and this).
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].rule, "medical_expense");
  EXPECT_EQ(alerts[0].period, "2026");
  EXPECT_EQ(Value(alerts[0], "expenses_fen"), "1100000");
  EXPECT_EQ(Value(alerts[0], "events"), "2");
  EXPECT_EQ(Value(alerts[0], "fired_by"), "amount");
  // A loss of half the year-before net income fires by share, below the amount.
  HouseholdRecord poor = Household(9, {{2025, 24000}});
  const auto share = Fire({poor}, {{6, 9, "990121001001", "disaster", 1'200'000 - 300'000,
                                    Date{2026, 5, 1}, "", "v", ""}});
  EXPECT_TRUE(share.empty());  // 9,000 yuan: under 10,000 and under 50% of 24,000
  const auto fires =
      Fire({poor}, {{6, 9, "990121001001", "disaster", 1'200'000, Date{2026, 5, 1}, "", "v", ""}});
  ASSERT_EQ(fires.size(), 1u);
  EXPECT_EQ(fires[0].rule, "disaster");
  EXPECT_EQ(Value(fires[0], "fired_by"), "amount,income_share");
}

TEST(Detection, OtherHardshipFiresPerDay) {
  const auto alerts =
      Fire({Household(1, {{2025, 30000}})},
           {{11, 1, "990121001001", "other", std::nullopt, Date{2026, 10, 3}, "", "v", ""},
            {12, 1, "990121001001", "other", 50000, Date{2026, 10, 3}, "", "v", ""}});
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].rule, "sudden_hardship");
  EXPECT_EQ(alerts[0].period, "2026-10-03");
  EXPECT_EQ(Value(alerts[0], "event_ids"), "11,12");
}

TEST(Detection, MainEarnerLostLabourCapacity) {
  HouseholdRecord h = Household(1, {{2025, 30000}});
  h.members[0].labour = "lost";
  // The spouse still works: the household has an earner.
  EXPECT_TRUE(Fire({h}).empty());
  h.members[1].labour = "none";
  auto alerts = Fire({h});
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].rule, "labour_loss");
  EXPECT_EQ(alerts[0].period, "2026");
  EXPECT_EQ(Value(alerts[0], "relation"), "head");
  EXPECT_EQ(Value(alerts[0], "age"), "51");
  EXPECT_EQ(Value(alerts[0], "other_able_members"), "0");
  // A head past working age: the eldest working-age member is the main earner.
  HouseholdRecord old = Household(2, {{2025, 30000}});
  old.members[0].birth_date = Date{1950, 1, 1};
  old.members[0].labour = "lost";
  EXPECT_TRUE(Fire({old}).empty());
  old.members[1].labour = "lost";
  ASSERT_EQ(Fire({old}).size(), 1u);
  EXPECT_EQ(Value(Fire({old})[0], "relation"), "spouse");
}

TEST(Detection, LiftedOutHouseholdsWithAnUnmetGuarantee) {
  HouseholdRecord h = Household(1, {{2025, 30000}});
  h.guarantees[4].met = false;  // housing
  h.guarantees[5].met = false;  // water
  auto alerts = Fire({h});
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].rule, "guarantee_unmet");
  EXPECT_EQ(Value(alerts[0], "items"), "housing,water");
  EXPECT_NE(alerts[0].message_zh.find("住房安全有保障、饮水安全有保障"), std::string::npos);
  // An ordinary household (never lifted out) is not this rule's concern.
  h.events.clear();
  h.household.status = "";
  EXPECT_TRUE(Fire({h}).empty());
}

TEST(Detection, OnlyWatchedHouseholdsInHouseholdOrder) {
  HouseholdRecord monitored = Household(1, {{2025, 3000}});
  monitored.household.status = "monitored";
  HouseholdRecord returned = Household(2, {{2025, 3000}});
  returned.household.status = "returned";
  HouseholdRecord ordinary = Household(3, {{2025, 3000}});
  ordinary.household.status = "";
  HouseholdRecord eliminated = Household(4, {{2024, 30000}, {2025, 3000}});
  eliminated.household.status = "risk_eliminated";
  const auto alerts = Fire({monitored, returned, ordinary, eliminated});
  ASSERT_EQ(alerts.size(), 3u);
  EXPECT_EQ(alerts[0].household_id, 3);
  EXPECT_EQ(alerts[1].household_id, 4);
  EXPECT_EQ(alerts[1].rule, "income_below_threshold");
  EXPECT_EQ(alerts[2].rule, "income_drop");
  // The same input gives the same alerts.
  const auto again = Fire({monitored, returned, ordinary, eliminated});
  ASSERT_EQ(again.size(), alerts.size());
  for (size_t i = 0; i < again.size(); ++i) {
    EXPECT_EQ(again[i].values, alerts[i].values);
    EXPECT_EQ(again[i].message_zh, alerts[i].message_zh);
  }
}

TEST(Money, YuanAndFen) {
  EXPECT_EQ(Yuan(523450), "5234.50");
  EXPECT_EQ(Yuan(-5), "-0.05");
  EXPECT_EQ(ToFen(6000.004), 600000);
  EXPECT_EQ(ToFen(0.125), 13);
}

}  // namespace
}  // namespace fupin::monitoring
