#include "funds/execution.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace fupin::funds {
namespace {

// A project of 10,000 yuan (1,000,000 fen) from 2024-01-01 to 2024-03-31 with three
// milestones: m1 on 01-31 (30 %), m2 on 03-01 (50 %), m3 on 03-31 (20 %). 2024 is a leap
// year: 01-01→01-31 is 30 days, 01-31→03-01 is 30 days, 03-01→03-31 is 30 days.
ProjectRecords Base() {
  ProjectRecords r;
  r.project.id = 7;
  r.project.status = "in_progress";
  r.in_force.name = "某村日光温室";
  r.in_force.budget_fen = 1'000'000;
  r.in_force.start_on = {2024, 1, 1};
  r.in_force.end_on = {2024, 3, 31};
  r.in_force.milestones = {{"m1", "平整", {2024, 1, 31}, 30},
                           {"m2", "主体", {2024, 3, 1}, 50},
                           {"m3", "验收", {2024, 3, 31}, 20}};
  r.approved_on = Date{2023, 12, 20};
  Allocation a;
  a.id = 1;
  a.batch_id = 1;
  a.project_id = 7;
  a.allocated_on = {2024, 1, 1};
  a.amount_fen = 1'000'000;
  a.purposes = {{"infrastructure", 600'000}, {"training", 400'000}};
  r.allocations = {a};
  return r;
}

Payment Pay(int64_t id, Date on, int64_t fen, std::string payee = "某建材公司",
            std::string purpose = "infrastructure") {
  Payment p;
  p.id = id;
  p.allocation_id = 1;
  p.paid_on = on;
  p.amount_fen = fen;
  p.payee = std::move(payee);
  p.purpose = std::move(purpose);
  p.voucher_number = "V" + std::to_string(id);
  return p;
}

projects::ProgressReport Report(int64_t id, Date on, int percent) {
  projects::ProgressReport r;
  r.id = id;
  r.on = on;
  r.percent = percent;
  return r;
}

std::vector<std::string> Rules(const std::vector<Alert>& alerts) {
  std::vector<std::string> out;
  for (const auto& a : alerts) out.push_back(a.rule);
  return out;
}

std::vector<Alert> Of(const std::vector<Alert>& alerts, const std::string& rule) {
  std::vector<Alert> out;
  for (const auto& a : alerts) {
    if (a.rule == rule) out.push_back(a);
  }
  return out;
}

bool Fires(const ProjectRecords& r, const Date& on, const std::string& rule,
           const AlertOptions& options = {}) {
  const auto rules = Rules(DetectAlerts(r, ComputeEarnedValue(r, on), on, options));
  return std::find(rules.begin(), rules.end(), rule) != rules.end();
}

TEST(EarnedValue, PlannedValueAccruesLinearlyBetweenMilestones) {
  const auto r = Base();
  // 01-16: m1 is 15 of 30 days along: 1,000,000 × 30 % × 0.5 = 150,000.
  EXPECT_EQ(ComputeEarnedValue(r, {2024, 1, 16}).pv_fen, 150'000);
  // 02-15: m1 in full (300,000) and m2 15 of 30 days (1,000,000 × 50 % × 0.5 = 250,000).
  EXPECT_EQ(ComputeEarnedValue(r, {2024, 2, 15}).pv_fen, 550'000);
  // Before the start nothing, after the last milestone the whole budget.
  EXPECT_EQ(ComputeEarnedValue(r, {2023, 12, 31}).pv_fen, 0);
  EXPECT_EQ(ComputeEarnedValue(r, {2024, 6, 1}).pv_fen, 1'000'000);
  // 01-21: 20 of 30 days of m1: 1,000,000 × 0.3 × 2/3 = 200,000.
  EXPECT_EQ(ComputeEarnedValue(r, {2024, 1, 21}).pv_fen, 200'000);
  // 01-11: 10 of 30 days: 100,000 exactly; 01-02: 1/30 of 300,000 = 10,000.
  EXPECT_EQ(ComputeEarnedValue(r, {2024, 1, 2}).pv_fen, 10'000);
}

TEST(EarnedValue, FiguresAndIndicesOnADay) {
  auto r = Base();
  r.reports = {Report(1, {2024, 2, 10}, 40), Report(2, {2024, 2, 20}, 60)};
  r.payments = {Pay(1, {2024, 2, 1}, 200'000), Pay(2, {2024, 2, 14}, 300'000),
                Pay(3, {2024, 2, 16}, 100'000)};
  const auto e = ComputeEarnedValue(r, {2024, 2, 15});
  // The 02-20 report and the 02-16 payment are after the day.
  EXPECT_EQ(e.basis, "report");
  EXPECT_DOUBLE_EQ(e.percent_complete, 40);
  EXPECT_EQ(e.bac_fen, 1'000'000);
  EXPECT_EQ(e.pv_fen, 550'000);
  EXPECT_EQ(e.ev_fen, 400'000);
  EXPECT_EQ(e.ac_fen, 500'000);
  ASSERT_TRUE(e.spi && e.cpi && e.eac_fen);
  EXPECT_DOUBLE_EQ(*e.spi, 400'000.0 / 550'000.0);  // 0.7273
  EXPECT_DOUBLE_EQ(*e.cpi, 0.8);
  EXPECT_EQ(*e.eac_fen, 1'250'000);  // 1,000,000 ÷ 0.8
  EXPECT_EQ(e.sv_fen, -150'000);
  EXPECT_EQ(e.cv_fen, -100'000);
  EXPECT_DOUBLE_EQ(e.planned_percent, 55);
}

TEST(EarnedValue, MilestonesStandInWithoutAReportAndVoidedPaymentsDoNotCount) {
  auto r = Base();
  r.milestones_done = {{"m1", {2024, 2, 2}, "", "", ""}, {"m2", {2024, 3, 5}, "", "", ""}};
  auto voided = Pay(1, {2024, 2, 1}, 999'999);
  voided.voided = true;
  r.payments = {voided};
  const auto e = ComputeEarnedValue(r, {2024, 3, 1});
  EXPECT_EQ(e.basis, "milestones");
  EXPECT_DOUBLE_EQ(e.percent_complete, 30);  // m2 completes after the day
  EXPECT_EQ(e.ev_fen, 300'000);
  EXPECT_EQ(e.ac_fen, 0);
  EXPECT_FALSE(e.cpi);
  EXPECT_FALSE(e.eac_fen);
  const auto none = ComputeEarnedValue(Base(), {2024, 1, 1});
  EXPECT_EQ(none.basis, "none");
  EXPECT_FALSE(none.spi);  // PV = 0 on the first day
}

TEST(EarnedValue, RollUpIndicesComeFromTheSums) {
  EarnedValue a, b;
  a.bac_fen = 1'000'000, a.pv_fen = 500'000, a.ev_fen = 400'000, a.ac_fen = 500'000;
  b.bac_fen = 3'000'000, b.pv_fen = 1'500'000, b.ev_fen = 1'600'000, b.ac_fen = 1'500'000;
  const auto s = RollUp({a, b}, {2024, 1, 1});
  EXPECT_EQ(s.bac_fen, 4'000'000);
  EXPECT_EQ(s.ev_fen, 2'000'000);
  EXPECT_DOUBLE_EQ(*s.spi, 1.0);  // 2,000,000 ÷ 2,000,000
  EXPECT_DOUBLE_EQ(*s.cpi, 1.0);  // 2,000,000 ÷ 2,000,000
  EXPECT_DOUBLE_EQ(s.percent_complete, 50);
  // A project with earned value and nothing paid yet stays out of the CPI.
  EarnedValue c;
  c.bac_fen = 1'000'000, c.pv_fen = 600'000, c.ev_fen = 600'000, c.ac_fen = 0;
  const auto t = RollUp({a, b, c}, {2024, 1, 1});
  EXPECT_DOUBLE_EQ(*t.spi, 2'600'000.0 / 2'600'000.0);
  EXPECT_DOUBLE_EQ(*t.cpi, 1.0);  // (400,000 + 1,600,000) ÷ 2,000,000, c left out
  EXPECT_EQ(*t.eac_fen, 5'000'000);
}

TEST(DeviationRules, BehindScheduleAtMoreThanTenPercent) {
  // 01-31: PV = 300,000. 27 % earned = 270,000: SPI 0.9 exactly, not beyond the threshold.
  auto r = Base();
  r.reports = {Report(1, {2024, 1, 30}, 27)};
  EXPECT_FALSE(Fires(r, {2024, 1, 31}, "behind_schedule"));
  r.reports = {Report(1, {2024, 1, 30}, 26)};  // SPI 0.8667
  EXPECT_TRUE(Fires(r, {2024, 1, 31}, "behind_schedule"));
  AlertOptions loose;
  loose.behind_threshold = 0.15;  // 0.85: 0.8667 is within
  EXPECT_FALSE(Fires(r, {2024, 1, 31}, "behind_schedule", loose));
  r.project.status = "completed";  // a finished project is not behind
  EXPECT_FALSE(Fires(r, {2024, 1, 31}, "behind_schedule"));
}

TEST(DeviationRules, OverBudgetOnceTheCostExceedsTheBudget) {
  auto r = Base();
  r.allocations[0].amount_fen = 2'000'000;
  r.payments = {Pay(1, {2024, 2, 1}, 1'000'000)};
  EXPECT_FALSE(Fires(r, {2024, 2, 1}, "over_budget"));
  r.payments.push_back(Pay(2, {2024, 2, 2}, 1, "other"));
  EXPECT_FALSE(Fires(r, {2024, 2, 1}, "over_budget"));  // not yet paid on 02-01
  EXPECT_TRUE(Fires(r, {2024, 2, 2}, "over_budget"));
}

TEST(DeviationRules, PaymentBeforeApproval) {
  auto r = Base();
  r.approved_on = Date{2024, 1, 10};
  r.payments = {Pay(1, {2024, 1, 10}, 100)};
  EXPECT_FALSE(Fires(r, {2024, 1, 20}, "payment_before_approval"));
  r.payments = {Pay(1, {2024, 1, 9}, 100)};
  const auto all = DetectAlerts(r, ComputeEarnedValue(r, {2024, 1, 20}), {2024, 1, 20});
  const auto alerts = Of(all, "payment_before_approval");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].payment_ids, std::vector<int64_t>{1});
  EXPECT_EQ(NonCompliantPayments(all), std::vector<int64_t>{1});
  r.approved_on.reset();  // never approved: every payment
  r.payments = {Pay(1, {2024, 1, 20}, 100)};
  EXPECT_TRUE(Fires(r, {2024, 1, 20}, "payment_before_approval"));
}

TEST(DeviationRules, PurposeNotInTheAllocation) {
  auto r = Base();
  r.payments = {Pay(1, {2024, 1, 5}, 100, "某培训学校", "training")};
  EXPECT_FALSE(Fires(r, {2024, 1, 6}, "purpose_not_allocated"));
  r.payments = {Pay(1, {2024, 1, 5}, 100, "某广告公司", "marketing")};
  const auto alerts = Of(DetectAlerts(r, ComputeEarnedValue(r, {2024, 1, 6}), {2024, 1, 6}),
                         "purpose_not_allocated");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].values[1].value, "infrastructure, training");
}

TEST(DeviationRules, IdleFundsAfterNinetyDaysWithoutAPayment) {
  auto r = Base();
  r.project.status = "completed";  // keep past_end out of the way
  // Allocated 2024-01-01; 03-31 is day 90 (30 + 29 + 31), 04-01 day 91.
  EXPECT_FALSE(Fires(r, {2024, 3, 31}, "idle_funds"));
  EXPECT_TRUE(Fires(r, {2024, 4, 1}, "idle_funds"));
  // A payment moves the clock: paid 02-01, idle from 05-02 (91 days later).
  r.payments = {Pay(1, {2024, 2, 1}, 100)};
  EXPECT_FALSE(Fires(r, {2024, 5, 1}, "idle_funds"));
  EXPECT_TRUE(Fires(r, {2024, 5, 2}, "idle_funds"));
  // All spent: nothing idle.
  r.payments = {Pay(1, {2024, 2, 1}, 1'000'000)};
  EXPECT_FALSE(Fires(r, {2024, 12, 31}, "idle_funds"));
}

TEST(DeviationRules, SplitPaymentsUnderTheThresholdWithinThirtyDays) {
  auto r = Base();
  r.allocations[0].amount_fen = 20'000'000;
  // Two payments of 25,000 yuan: together exactly the 50,000 yuan threshold — not above it.
  r.payments = {Pay(1, {2024, 2, 1}, 2'500'000), Pay(2, {2024, 3, 2}, 2'500'000)};
  EXPECT_FALSE(Fires(r, {2024, 3, 10}, "split_payments"));
  // One fen more: above it, 30 days apart (02-01 → 03-02 in a leap year).
  r.payments[1].amount_fen = 2'500'001;
  const auto alerts =
      Of(DetectAlerts(r, ComputeEarnedValue(r, {2024, 3, 10}), {2024, 3, 10}), "split_payments");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].payment_ids, (std::vector<int64_t>{1, 2}));
  // 31 days apart: outside the window.
  r.payments[1].paid_on = {2024, 3, 3};
  EXPECT_FALSE(Fires(r, {2024, 3, 10}, "split_payments"));
  // Another payee, or a payment at the threshold (it was approved as such), does not count.
  r.payments = {Pay(1, {2024, 2, 1}, 2'500'000), Pay(2, {2024, 2, 2}, 2'500'001, "别家公司")};
  EXPECT_FALSE(Fires(r, {2024, 3, 10}, "split_payments"));
  r.payments = {Pay(1, {2024, 2, 1}, 5'000'000), Pay(2, {2024, 2, 2}, 100)};
  EXPECT_FALSE(Fires(r, {2024, 3, 10}, "split_payments"));
  // Payee names are compared trimmed.
  r.payments = {Pay(1, {2024, 2, 1}, 4'000'000), Pay(2, {2024, 2, 2}, 1'000'001, " 某建材公司 ")};
  EXPECT_TRUE(Fires(r, {2024, 3, 10}, "split_payments"));
}

TEST(DeviationRules, PastTheEndDateNotCompleted) {
  auto r = Base();
  r.reports = {Report(1, {2024, 3, 30}, 100)};  // on schedule, so only past_end is in question
  EXPECT_FALSE(Fires(r, {2024, 3, 31}, "past_end"));
  EXPECT_TRUE(Fires(r, {2024, 4, 1}, "past_end"));
  r.project.status = "completed";
  EXPECT_FALSE(Fires(r, {2024, 4, 1}, "past_end"));
}

TEST(DeviationRules, CompletedButNotAcceptedAfterTheGracePeriod) {
  auto r = Base();
  r.project.status = "completed";
  r.completed_on = Date{2024, 4, 10};
  EXPECT_FALSE(Fires(r, {2024, 5, 10}, "not_accepted"));  // 30 days
  EXPECT_TRUE(Fires(r, {2024, 5, 11}, "not_accepted"));   // 31 days
  r.project.status = "accepted";
  EXPECT_FALSE(Fires(r, {2024, 5, 11}, "not_accepted"));
}

TEST(DeviationRules, AnOrderlyProjectRaisesNothing) {
  auto r = Base();
  r.reports = {Report(1, {2024, 2, 14}, 55)};
  r.payments = {Pay(1, {2024, 1, 20}, 300'000),
                Pay(2, {2024, 2, 10}, 200'000, "某培训学校", "training")};
  const auto alerts = DetectAlerts(r, ComputeEarnedValue(r, {2024, 2, 15}), {2024, 2, 15});
  EXPECT_TRUE(alerts.empty()) << alerts.front().message_en;
}

}  // namespace
}  // namespace fupin::funds
