#include "workshops/analysis.h"

#include <gtest/gtest.h>

namespace fupin::workshops {
namespace {

Workshop Make(std::vector<Recognition> recognitions, std::vector<StatusChange> changes) {
  Workshop w;
  w.recognitions = std::move(recognitions);
  w.status_changes = std::move(changes);
  return w;
}

// A and B recognized and operating before the Spring Festival of 2020; both suspended on
// 24 January; A partly back on 23 February and fully on 10 March, B back on 1 April. C only
// applied. D closed on 1 February.
std::vector<Workshop> Shock() {
  return {
      Make({{"recognized", {2019, 5, 1}, "县扶办〔2019〕12号"}},
           {{"operating", {2019, 5, 1}, ""},
            {"suspended", {2020, 1, 24}, ""},
            {"partial", {2020, 2, 23}, ""},
            {"operating", {2020, 3, 10}, ""}}),
      Make({{"applied", {2019, 5, 20}, ""}, {"recognized", {2019, 6, 1}, ""}},
           {{"operating", {2019, 6, 1}, ""},
            {"suspended", {2020, 1, 24}, ""},
            {"operating", {2020, 4, 1}, ""}}),
      Make({{"applied", {2019, 7, 1}, ""}}, {{"operating", {2019, 7, 1}, ""}}),
      Make({{"recognized", {2018, 1, 1}, ""}},
           {{"operating", {2018, 1, 1}, ""}, {"closed", {2020, 2, 1}, ""}}),
  };
}

TEST(ResumptionTest, TheShareOfRecognizedWorkshopsOperatingOnADay) {
  const auto w = Shock();
  const Resumption before = ResumptionOn(w, {2020, 1, 20});
  EXPECT_EQ(before.recognized, 3);  // A, B, D; C is only applied
  EXPECT_EQ(before.operating, 3);
  EXPECT_DOUBLE_EQ(before.rate, 1.0);

  const Resumption shut = ResumptionOn(w, {2020, 2, 10});
  EXPECT_EQ(shut.recognized, 2);  // D closed: out of the denominator
  EXPECT_EQ(shut.closed, 1);
  EXPECT_EQ(shut.suspended, 2);
  EXPECT_DOUBLE_EQ(shut.rate, 0.0);
  EXPECT_NE(shut.convention.find("closed workshops leave the denominator"), std::string::npos);

  ResumptionOptions keep;
  keep.closed_in_denominator = true;
  EXPECT_EQ(ResumptionOn(w, {2020, 2, 10}, keep).recognized, 3);

  // Partly operating counts as resumed: A on 23 February, 1 of 2.
  const Resumption partly = ResumptionOn(w, {2020, 2, 23});
  EXPECT_EQ(partly.operating, 1);
  EXPECT_EQ(partly.partial, 1);
  EXPECT_DOUBLE_EQ(partly.rate, 0.5);
  EXPECT_DOUBLE_EQ(ResumptionOn(w, {2020, 4, 1}).rate, 1.0);
}

TEST(ResumptionTest, TheCurveHasOnePointPerDay) {
  const auto curve = ResumptionCurve(Shock(), {2020, 2, 22}, {2020, 2, 24});
  ASSERT_EQ(curve.size(), 3u);
  EXPECT_DOUBLE_EQ(curve[0].rate, 0.0);
  EXPECT_DOUBLE_EQ(curve[1].rate, 0.5);
  EXPECT_DOUBLE_EQ(curve[2].rate, 0.5);
  EXPECT_EQ(curve[2].day, (Date{2020, 2, 24}));
  // Across the month end of a leap February.
  EXPECT_EQ(ResumptionCurve(Shock(), {2020, 2, 28}, {2020, 3, 1}).size(), 3u);
}

TEST(ResumptionTest, ARevokedWorkshopLeavesTheDenominator) {
  Workshop w = Make({{"recognized", {2019, 1, 1}, ""}, {"revoked", {2020, 3, 1}, "撤销文件"}},
                    {{"suspended", {2020, 1, 24}, ""}});
  EXPECT_EQ(ResumptionOn({w}, {2020, 2, 1}).recognized, 1);
  EXPECT_EQ(ResumptionOn({w}, {2020, 3, 1}).recognized, 0);
  EXPECT_DOUBLE_EQ(ResumptionOn({w}, {2020, 3, 1}).rate, 0.0);
}

MonthlyReport Report(int year, int month, int days, int poor = 3, int revision = 1) {
  MonthlyReport r;
  r.year = year;
  r.month = month;
  r.status = days > 0 ? "operating" : "suspended";
  r.days_operated = days;
  r.headcount = 10;
  r.poor_headcount = poor;
  r.revision = revision;
  return r;
}

TEST(ReportsTest, MonthsDueButMissingStartWithRecognition) {
  Workshop w = Make({{"recognized", {2020, 3, 15}, ""}}, {});
  const auto missing =
      MissingReports(w, {Report(2020, 4, 20), Report(2020, 6, 20)}, {2020, 2}, {2020, 6});
  ASSERT_EQ(missing.size(), 2u);
  EXPECT_EQ(missing[0].ToString(), "2020-03");
  EXPECT_EQ(missing[1].ToString(), "2020-05");
}

TEST(ReportsTest, TheLatestRevisionOfEachMonthCounts) {
  const auto latest = LatestRevisions(
      {Report(2024, 1, 5, 3, 1), Report(2024, 1, 15, 3, 2), Report(2024, 2, 9, 3, 1)});
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest[0].days_operated, 15);
  EXPECT_EQ(latest[0].revision, 2);
}

Employment Job(std::string category, Date start, std::optional<Date> end = std::nullopt,
               int64_t workshop = 1) {
  Employment e;
  e.workshop_id = workshop;
  e.category = std::move(category);
  e.start = start;
  e.end = end;
  return e;
}

TEST(IdleTest, FewDaysInEachOfThreeConsecutiveMonths) {
  Workshop w = Make({{"recognized", {2019, 1, 1}, ""}}, {});
  const std::vector<Employment> poor = {Job("registered_poor", {2019, 1, 1})};
  auto idle =
      DetectIdle(w, {Report(2024, 1, 3), Report(2024, 2, 0), Report(2024, 3, 5)}, poor, {2024, 3});
  ASSERT_EQ(idle.size(), 1u);
  EXPECT_EQ(idle[0].rule, "few_days");
  EXPECT_EQ(idle[0].detail,
            "days operated 2024-01: 3, 2024-02: 0, 2024-03: 5 (fewer than 10 in each of 3 "
            "consecutive months)");
  // One month at 10 days (the threshold itself) breaks the run.
  EXPECT_TRUE(
      DetectIdle(w, {Report(2024, 1, 3), Report(2024, 2, 10), Report(2024, 3, 5)}, poor, {2024, 3})
          .empty());
  // The thresholds are options: 2 months of fewer than 6 days.
  IdleOptions two;
  two.min_days = 6;
  two.months = 2;
  EXPECT_EQ(DetectIdle(w, {Report(2024, 2, 0), Report(2024, 3, 5)}, poor, {2024, 3}, two).size(),
            1u);
}

TEST(IdleTest, NotReportingAndNoPoorWorkers) {
  Workshop w = Make({{"recognized", {2019, 1, 1}, ""}}, {});
  auto silent = DetectIdle(w, {Report(2023, 12, 20)}, {}, {2024, 3});
  ASSERT_EQ(silent.size(), 2u);
  EXPECT_EQ(silent[0].rule, "not_reporting");
  EXPECT_EQ(silent[0].detail, "no monthly report for 2024-01 to 2024-03");
  EXPECT_EQ(silent[1].rule, "no_poor_workers");
  EXPECT_EQ(silent[1].detail, "no registered-poor worker employed on 2024-03-31");

  // Reporting, with a registered-poor worker, but the latest report says none.
  const std::vector<Employment> jobs = {Job("registered_poor", {2023, 6, 1}),
                                        Job("other_local", {2023, 6, 1})};
  auto none = DetectIdle(w, {Report(2024, 1, 20), Report(2024, 2, 20), Report(2024, 3, 20, 0)},
                         jobs, {2024, 3});
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].detail, "the 2024-03 report gives 0 registered-poor workers");
  // A poor worker whose job ended before the month's end does not count.
  const std::vector<Employment> ended = {Job("registered_poor", {2023, 6, 1}, Date{2024, 3, 30})};
  auto gone = DetectIdle(w, {Report(2024, 1, 20), Report(2024, 2, 20), Report(2024, 3, 20)}, ended,
                         {2024, 3});
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].rule, "no_poor_workers");
  // Closed: not idle, and no reports due.
  Workshop shut = Make({{"recognized", {2019, 1, 1}, ""}}, {{"closed", {2023, 12, 15}, ""}});
  EXPECT_TRUE(DetectIdle(shut, {}, {}, {2024, 3}).empty());
  EXPECT_TRUE(MissingReports(shut, {}, {2024, 1}, {2024, 3}).empty());
  // November, and December (closed mid-month): due.
  EXPECT_EQ(MissingReports(shut, {}, {2023, 11}, {2024, 3}).size(), 2u);
  // Not recognized at the end of the month: nothing to detect.
  Workshop applied = Make({{"applied", {2019, 1, 1}, ""}}, {});
  EXPECT_TRUE(DetectIdle(applied, {}, {}, {2024, 3}).empty());
}

TEST(DaysEmployedTest, PeriodsInAnyWorkshopAreSummedAndOverlapsCountOnce) {
  // January to March 2020 (31 + 29 + 31 = 91 days) in one workshop, then 15 March to 10 July
  // in another: the union is 1 January to 10 July = 91 + 30 + 31 + 30 + 10 = 192 days.
  const std::vector<Employment> jobs = {
      Job("registered_poor", {2020, 1, 1}, Date{2020, 3, 31}, 1),
      Job("registered_poor", {2020, 3, 15}, Date{2020, 7, 10}, 2)};
  EXPECT_EQ(DaysEmployed(jobs, {2020, 1, 1}, {2020, 12, 31}), 192);
  // Exactly half a year of 2020 (1 January to 30 June = 182 days): not "more than" 182.
  EXPECT_EQ(DaysEmployed({Job("registered_poor", {2020, 1, 1}, Date{2020, 6, 30})}, {2020, 1, 1},
                         {2020, 12, 31}),
            182);
  // Clipped to the window; an open-ended job runs to the window's end.
  EXPECT_EQ(DaysEmployed({Job("registered_poor", {2019, 12, 1})}, {2020, 1, 1}, {2020, 1, 31}), 31);
  EXPECT_EQ(DaysEmployed({Job("registered_poor", {2021, 1, 1})}, {2020, 1, 1}, {2020, 12, 31}), 0);
  // Adjacent periods join without a gap.
  EXPECT_EQ(DaysEmployed({Job("registered_poor", {2020, 1, 1}, Date{2020, 1, 10}),
                          Job("registered_poor", {2020, 1, 11}, Date{2020, 1, 20})},
                         {2020, 1, 1}, {2020, 12, 31}),
            20);
}

TEST(ValidationTest, ReportsAndEmploymentsNameTheirProblems) {
  const Date today{2026, 11, 23};
  MonthlyReport r = Report(2020, 2, 30);
  r.poor_headcount = 11;
  r.problems = {"epidemic", "aliens"};
  auto problems = ValidateReport(r, today);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].column, "days_operated");
  EXPECT_EQ(problems[0].reason, "must be from 0 to 29 (the days of the month)");
  EXPECT_EQ(problems[1].column, "poor_headcount");
  EXPECT_EQ(problems[2].column, "problems[2]");
  EXPECT_TRUE(ValidateReport(Report(2020, 2, 29), today).empty());
  EXPECT_FALSE(ValidateReport(Report(2026, 12, 1), today).empty());  // a month still to come

  Employment e = Job("registered_poor", {2020, 5, 1}, Date{2020, 12, 31}, 2);
  e.member_id = 7;
  const std::vector<Employment> others = {Job("registered_poor", {2020, 1, 1}, Date{2020, 5, 1})};
  auto overlap = ValidateEmployment(e, others);
  ASSERT_EQ(overlap.size(), 1u);
  EXPECT_EQ(overlap[0].column, "start");
  e.overlap_accepted = true;
  EXPECT_TRUE(ValidateEmployment(e, others).empty());
  e.overlap_accepted = false;
  e.start = {2020, 5, 2};
  EXPECT_TRUE(ValidateEmployment(e, others).empty());
}

TEST(FiguresTest, AMonthOfARegionFromItsReports) {
  Workshop a = Make({{"recognized", {2019, 1, 1}, ""}}, {{"operating", {2019, 1, 1}, ""}});
  a.id = 1;
  Workshop b = Make({{"recognized", {2019, 1, 1}, ""}},
                    {{"operating", {2019, 1, 1}, ""}, {"suspended", {2024, 3, 20}, ""}});
  b.id = 2;
  Workshop c = Make({{"applied", {2024, 1, 1}, ""}}, {});
  c.id = 3;
  MonthlyReport ra = Report(2024, 3, 22, 6);
  ra.workshop_id = 1;
  ra.headcount = 10;
  ra.wages_fen = 2500000;
  ra.poor_wages_fen = 1500000;
  MonthlyReport ra_old = ra;  // an earlier revision, superseded
  ra_old.revision = 0;
  ra_old.headcount = 99;
  std::vector<Employment> jobs = {Job("registered_poor", {2019, 1, 1}, std::nullopt, 1)};
  jobs[0].workshop_id = 1;
  const auto f = ComputeFigures({a, b, c}, jobs, {ra_old, ra}, {2024, 3});
  EXPECT_EQ(f.workshops, 2);  // c is only applied
  EXPECT_EQ(f.status.at("operating"), 1);
  EXPECT_EQ(f.status.at("suspended"), 1);
  EXPECT_DOUBLE_EQ(f.resumption.rate, 0.5);
  EXPECT_EQ(f.reports_due, 2);
  EXPECT_EQ(f.missing, (std::vector<int64_t>{2}));  // b did not report March
  EXPECT_EQ(f.jobs, 10);                            // the latest revision only
  EXPECT_EQ(f.poor_jobs, 6);
  EXPECT_DOUBLE_EQ(f.poor_share, 0.6);
  EXPECT_EQ(f.poor_wages_fen, 1500000);
  EXPECT_EQ(f.mean_poor_wage_fen, 250000);  // 15,000 yuan / 6 = 2,500 yuan a month
  // b: no reports in the window and no registered-poor worker.
  ASSERT_EQ(f.idle.size(), 1u);
  EXPECT_EQ(f.idle[0].first, 2);
}

}  // namespace
}  // namespace fupin::workshops
