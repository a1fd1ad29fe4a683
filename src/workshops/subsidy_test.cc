#include "workshops/subsidy.h"

#include <gtest/gtest.h>

namespace fupin::workshops {
namespace {

Workshop Shop(int64_t id, std::string region = "990121001001") {
  Workshop w;
  w.id = id;
  w.name = "车间" + std::to_string(id);
  w.operator_id = 1;
  w.type = "factory";
  w.region_code = std::move(region);
  w.recognitions.push_back({"recognized", {2019, 1, 1}, ""});
  return w;
}

Employment Job(int64_t id, int64_t workshop, std::string person, Date start,
               std::optional<Date> end, std::string category = "registered_poor") {
  Employment e;
  e.id = id;
  e.workshop_id = workshop;
  e.member_id = id * 10;
  e.person_key = std::move(person);
  e.category = std::move(category);
  e.start = start;
  e.end = end;
  return e;
}

SubsidyRule Labour(bool poor_only = false) {
  return RuleTemplates("990121000000", 2020, poor_only).at(0);
}

const SubsidyResult& Of(const SubsidyEvaluation& e, int64_t employment) {
  for (const SubsidyResult& r : e.results) {
    if (r.employment_id == employment) return r;
  }
  throw std::runtime_error("no result for employment " + std::to_string(employment));
}

TEST(SubsidyTest, MoreThanHalfAYearMeansMoreThan182Days) {
  SubsidyInput in;
  in.workshops = {Shop(1)};
  in.employments = {
      // 1 January to 30 June 2020: 31 + 29 + 31 + 30 + 31 + 30 = 182 days — exactly half.
      Job(1, 1, "A", {2020, 1, 1}, Date{2020, 6, 30}),
      // One day more.
      Job(2, 1, "B", {2020, 1, 1}, Date{2020, 7, 1}),
  };
  auto e = EvaluateRule(Labour(), in, {2020, 1, 1}, {2020, 12, 31});
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_FALSE(Of(*e, 1).eligible);
  EXPECT_EQ(Of(*e, 1).checks.at(0).actual, "182");
  EXPECT_TRUE(Of(*e, 2).eligible);
  EXPECT_EQ(Of(*e, 2).checks.at(0).actual, "183");
  EXPECT_EQ(Of(*e, 2).amount_fen, 500000);
  EXPECT_EQ(Of(*e, 2).amount_formula, "5000.00");
  EXPECT_EQ(e->eligible, 1);
  EXPECT_EQ(e->total_fen, 500000);
}

TEST(SubsidyTest, AWorkerChangingWorkshopsIsCountedOverBothAndPaidOnce) {
  SubsidyInput in;
  in.workshops = {Shop(1), Shop(2)};
  in.employments = {
      // 100 days in workshop 1 (1 January to 9 April 2020), then 101 in workshop 2
      // (10 April to 19 July): 201 days in all, more than half a year — in neither alone.
      Job(1, 1, "A", {2020, 1, 1}, Date{2020, 4, 9}),
      Job(2, 2, "A", {2020, 4, 10}, Date{2020, 7, 19}),
  };
  auto e = EvaluateRule(Labour(), in, {2020, 1, 1}, {2020, 12, 31});
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(Of(*e, 1).checks.at(0).actual, "201");
  EXPECT_EQ(Of(*e, 2).checks.at(0).actual, "201");
  // Paid once, through workshop 2 (101 days there against 100).
  EXPECT_TRUE(Of(*e, 2).eligible);
  EXPECT_FALSE(Of(*e, 1).eligible);
  EXPECT_EQ(Of(*e, 1).amount_formula, "qualifies once: through workshop 2 (more days there)");
  EXPECT_EQ(e->total_fen, 500000);
}

TEST(SubsidyTest, ARuleEndingMidPeriodCountsOnlyItsOwnDays) {
  SubsidyRule rule = Labour();
  rule.valid_to = {2020, 6, 30};  // the policy ran for the first half of 2020 only
  SubsidyInput in;
  in.workshops = {Shop(1)};
  in.employments = {Job(1, 1, "A", {2020, 1, 1}, std::nullopt)};
  auto e = EvaluateRule(rule, in, {2020, 1, 1}, {2020, 12, 31});
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->last, (Date{2020, 6, 30}));
  EXPECT_EQ(Of(*e, 1).checks.at(0).actual, "182");
  EXPECT_FALSE(Of(*e, 1).eligible);
  // A period outside the validity: the rule does not apply.
  auto outside = EvaluateRule(rule, in, {2021, 1, 1}, {2021, 12, 31});
  ASSERT_TRUE(outside);
  EXPECT_FALSE(outside->applies);
  EXPECT_TRUE(outside->results.empty());
}

TEST(SubsidyTest, TheParameterChoosesAllLocalLabourOrRegisteredPoorOnly) {
  SubsidyInput in;
  in.workshops = {Shop(1), Shop(2, "990122001001")};  // the second outside the rule's county
  in.employments = {Job(1, 1, "A", {2020, 1, 1}, std::nullopt, "registered_poor"),
                    Job(2, 1, "B", {2020, 1, 1}, std::nullopt, "other_local"),
                    Job(3, 2, "C", {2020, 1, 1}, std::nullopt, "registered_poor")};
  auto all = EvaluateRule(Labour(false), in, {2020, 1, 1}, {2020, 12, 31});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->results.size(), 2u);  // workshop 2 lies outside the rule's region
  EXPECT_EQ(all->eligible, 2);
  auto poor = EvaluateRule(Labour(true), in, {2020, 1, 1}, {2020, 12, 31});
  ASSERT_TRUE(poor);
  EXPECT_EQ(poor->eligible, 1);
  EXPECT_TRUE(Of(*poor, 1).eligible);
  EXPECT_FALSE(Of(*poor, 2).eligible);
  EXPECT_FALSE(Of(*poor, 2).checks.at(1).passed);
  EXPECT_EQ(Of(*poor, 2).checks.at(1).actual, "other_local");
}

TEST(SubsidyTest, TheRecognitionSubsidyIsBandedByPoorWorkers) {
  SubsidyRule rule = RuleTemplates("990121000000", 2020, false).at(1);
  SubsidyInput in;
  Workshop fresh = Shop(1);
  fresh.recognitions = {{"recognized", {2020, 5, 1}, "县扶办〔2020〕8号"}};
  Workshop old = Shop(2);  // recognized in 2019: not in this year's window
  in.workshops = {fresh, old};
  for (int i = 0; i < 12; ++i) {
    in.employments.push_back(Job(100 + i, 1, "P" + std::to_string(i), {2020, 5, 1}, std::nullopt,
                                 i < 10 ? "registered_poor" : "other_local"));
  }
  auto e = EvaluateRule(rule, in, {2020, 1, 1}, {2020, 12, 31});
  ASSERT_TRUE(e) << e.error().message;
  ASSERT_EQ(e->results.size(), 2u);
  const SubsidyResult& r = e->results[0];
  EXPECT_TRUE(r.eligible);
  EXPECT_EQ(r.amount_fen, 5000000);  // 10 poor workers: the 10–19 band
  EXPECT_EQ(r.amount_formula, "poor_workers = 10 in [10, 19]: 50000.00");
  EXPECT_FALSE(e->results[1].eligible);
  // Four poor workers: below the first band — not eligible, and the reason says so.
  in.employments.resize(4);
  auto few = EvaluateRule(rule, in, {2020, 1, 1}, {2020, 12, 31});
  ASSERT_TRUE(few);
  EXPECT_FALSE(few->results[0].eligible);
  EXPECT_EQ(few->results[0].amount_formula, "poor_workers = 4: no band applies");
}

TEST(SubsidyTest, TheYearlySubsidyRunsForThreeYearsOfEmployment) {
  SubsidyRule rule = RuleTemplates("990121000000", 2023, false).at(2);
  SubsidyInput in;
  in.workshops = {Shop(1)};
  in.employments = {Job(1, 1, "A", {2021, 3, 1}, std::nullopt),    // year 3 on 31 Dec 2023
                    Job(2, 1, "B", {2020, 12, 1}, std::nullopt)};  // year 4 by then
  auto e = EvaluateRule(rule, in, {2023, 1, 1}, {2023, 12, 31});
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_TRUE(Of(*e, 1).eligible);
  EXPECT_EQ(Of(*e, 1).checks.at(1).actual, "3");
  EXPECT_FALSE(Of(*e, 2).eligible);
  EXPECT_EQ(Of(*e, 2).checks.at(1).actual, "4");
}

TEST(SubsidyTest, ANewRuleIsDataAndBadRulesNameTheirFields) {
  // A new combination: workers of working age with a contract, 300 yuan per 30 days employed
  // here... expressed as an amount multiplied by a fact, capped.
  SubsidyRule rule;
  rule.code = "contract-bonus";
  rule.name = "签订劳动合同奖励";
  rule.region_code = "990121000000";
  rule.valid_from = {2024, 1, 1};
  rule.valid_to = {2024, 12, 31};
  rule.unit = "worker";
  rule.conditions = {{"contract", "=", "1"},
                     {"age", "<=", "60"},
                     {"category", "in", "registered_poor, monitored"}};
  rule.amount_fen = 1000;  // 10 yuan per day employed here
  rule.amount_fact = "days_employed_here";
  rule.cap_fen = 150000;
  ASSERT_TRUE(ValidateRule(rule).empty());
  SubsidyInput in;
  in.workshops = {Shop(1)};
  Employment a = Job(1, 1, "A", {2024, 12, 1}, std::nullopt, "monitored");
  a.contract = true;
  Employment b = Job(2, 1, "B", {2024, 1, 1}, std::nullopt);
  b.contract = true;
  in.employments = {a, b};
  in.people[10] = {Date{1980, 5, 5}, "ordinary"};
  in.people[20] = {Date{1990, 5, 5}, "ordinary"};
  auto e = EvaluateRule(rule, in, {2024, 1, 1}, {2024, 12, 31});
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(Of(*e, 1).amount_fen, 31000);  // 31 days of December
  EXPECT_EQ(Of(*e, 1).amount_formula, "10.00 × 31 (days_employed_here) = 310.00");
  EXPECT_EQ(Of(*e, 2).amount_fen, 150000);  // 366 days, capped
  EXPECT_EQ(Of(*e, 2).amount_formula,
            "10.00 × 366 (days_employed_here) = 3660.00, capped at 1500.00");

  SubsidyRule bad = rule;
  bad.unit = "worker";
  bad.conditions = {{"poor_workers", ">", "3"}, {"category", ">", "x"}, {"age", "<", "old"}};
  bad.valid_to = {2023, 1, 1};
  std::set<std::string> fields;
  for (const auto& d : ValidateRule(bad)) fields.insert(d.column);
  EXPECT_TRUE(fields.contains("conditions[1].fact"));  // a workshop fact in a worker rule
  EXPECT_TRUE(fields.contains("conditions[2].op"));    // ordering a code
  EXPECT_TRUE(fields.contains("conditions[3].value"));
  EXPECT_TRUE(fields.contains("valid_to"));
  EXPECT_FALSE(EvaluateRule(bad, in, {2024, 1, 1}, {2024, 12, 31}));
}

}  // namespace
}  // namespace fupin::workshops

namespace fupin::workshops {
namespace {

// days_operated sums each workshop's own reports (latest revision of each month), also when the
// reports of several workshops are evaluated together and one of them was corrected.
TEST(SubsidyTest, DaysOperatedSumsEachWorkshopsOwnLatestReports) {
  SubsidyInput in;
  in.workshops = {Shop(1), Shop(2)};
  auto report = [](int64_t workshop, int month, int days, int revision) {
    MonthlyReport r;
    r.workshop_id = workshop;
    r.year = 2020;
    r.month = month;
    r.status = "operating";
    r.days_operated = days;
    r.revision = revision;
    return r;
  };
  in.reports = {report(1, 1, 20, 1), report(2, 1, 22, 1), report(2, 1, 21, 2), report(1, 2, 18, 1),
                report(2, 2, 19, 1)};
  SubsidyRule rule;
  rule.code = "days";
  rule.name = "days";
  rule.region_code = "990121000000";
  rule.valid_from = {2020, 1, 1};
  rule.valid_to = {2020, 12, 31};
  rule.unit = "workshop";
  rule.amount_fen = 100;
  rule.amount_fact = "days_operated";
  auto e = EvaluateRule(rule, in, {2020, 1, 1}, {2020, 12, 31});
  ASSERT_TRUE(e) << e.error().message;
  ASSERT_EQ(e->results.size(), 2u);
  EXPECT_EQ(e->results[0].amount_fen, 3800);  // 20 + 18 days
  EXPECT_EQ(e->results[1].amount_fen, 4000);  // 21 (the correction) + 19 days
}

}  // namespace
}  // namespace fupin::workshops
