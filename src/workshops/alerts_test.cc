#include "workshops/alerts.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "base/chinese.h"

namespace fupin::workshops {
namespace {

// A workshop recognized on 1 March 2023 and operating since.
Workshop Recognized(int64_t id) {
  Workshop w;
  w.id = id;
  w.name = "车间";
  w.recognitions = {{"recognized", {2023, 3, 1}, ""}};
  w.status_changes = {{"operating", {2023, 3, 1}, ""}};
  return w;
}

MonthlyReport Report(int64_t workshop, int year, int month, int days, int headcount, int poor,
                     int64_t poor_wages_fen, int revision = 1) {
  MonthlyReport r;
  r.workshop_id = workshop;
  r.year = year;
  r.month = month;
  r.status = "operating";
  r.days_operated = days;
  r.headcount = headcount;
  r.poor_headcount = poor;
  r.wages_fen = poor_wages_fen * 2;
  r.poor_wages_fen = poor_wages_fen;
  r.revision = revision;
  return r;
}

Employment Job(int64_t id, int64_t workshop, int64_t member, std::string category, Date start,
               std::optional<Date> end = std::nullopt) {
  Employment e;
  e.id = id;
  e.workshop_id = workshop;
  e.member_id = member;
  e.person_key = "62062319800101" + std::to_string(1000 + member);
  e.category = std::move(category);
  e.start = start;
  e.end = end;
  return e;
}

// Three full months (January to March 2024) of reports with 10 workers, 3 of them registered
// poor (30%: exactly the default standard), paid 4,800 yuan together (1,600 each: exactly the
// default floor), and registered-poor workers on the books.
AlertInput Healthy() {
  AlertInput in;
  in.workshops = {Recognized(1)};
  for (int m = 1; m <= 3; ++m) in.reports.push_back(Report(1, 2024, m, 22, 10, 3, 480000));
  in.employments = {Job(11, 1, 101, "registered_poor", {2023, 4, 1}),
                    Job(12, 1, 102, "other_local", {2023, 4, 1})};
  in.people[101] = {std::nullopt, "ordinary"};
  in.people[102] = {std::nullopt, "skilled"};
  return in;
}

std::vector<std::string> Rules(const std::vector<WorkshopAlert>& alerts) {
  std::vector<std::string> out;
  for (const WorkshopAlert& a : alerts) out.push_back(a.rule);
  return out;
}

double ValueOf(const std::vector<AlertValue>& values, std::string_view name) {
  auto it = std::find_if(values.begin(), values.end(),
                         [&](const AlertValue& v) { return v.name == name; });
  EXPECT_NE(it, values.end()) << name;
  return it == values.end() ? -1 : it->value;
}

TEST(AlertsTest, AtTheStandardAndTheFloorNothingFires) {
  // 3 / 10 = 30% is the standard itself, 480000 / 3 = 160000 fen the floor itself.
  EXPECT_TRUE(ComputeAlerts(Healthy(), {2024, 3}).empty());
}

TEST(AlertsTest, ShareBelowTheStandard) {
  AlertInput in = Healthy();
  // A correction of March: 11 workers, still 3 poor → 3 / 11 = 27.3% < 30%.
  in.reports.push_back(Report(1, 2024, 3, 22, 11, 3, 480000, 2));
  auto alerts = ComputeAlerts(in, {2024, 3});
  ASSERT_EQ(Rules(alerts), std::vector<std::string>{"poor_share_below_standard"});
  const WorkshopAlert& a = alerts[0];
  EXPECT_EQ(a.workshop_id, 1);
  EXPECT_EQ(a.member_id, 0);
  EXPECT_EQ(a.month.ToString(), "2024-03");
  EXPECT_NEAR(ValueOf(a.values, "poor_share"), 3.0 / 11, 1e-12);
  EXPECT_EQ(ValueOf(a.values, "poor_headcount"), 3);
  EXPECT_EQ(ValueOf(a.values, "headcount"), 11);
  EXPECT_EQ(ValueOf(a.thresholds, "min_poor_share"), 0.30);
  EXPECT_EQ(a.message,
            "registered-poor workers are 27.3% of the headcount (3 of 11), below the recognition "
            "standard of 30%");
  EXPECT_EQ(ToChinese(a.message),
            "建档立卡贫困劳动力占职工人数的 27.3%（11 人中 3 人），低于认定标准 30%");

  // A minimum count meets the standard on its own: 3 ≥ 3 does not fire, 3 < 4 does.
  AlertOptions count;
  count.min_poor_workers = 3;
  EXPECT_TRUE(ComputeAlerts(in, {2024, 3}, count).empty());
  count.min_poor_workers = 4;
  auto by_count = ComputeAlerts(in, {2024, 3}, count);
  ASSERT_EQ(Rules(by_count), std::vector<std::string>{"poor_share_below_standard"});
  EXPECT_EQ(ValueOf(by_count[0].thresholds, "min_poor_workers"), 4);
  EXPECT_NE(ToChinese(by_count[0].message), "");

  // A lower standard: 27.3% ≥ 25%.
  AlertOptions lower;
  lower.min_poor_share = 0.25;
  EXPECT_TRUE(ComputeAlerts(in, {2024, 3}, lower).empty());
}

TEST(AlertsTest, MeanWageOfPoorWorkersBelowTheFloor) {
  AlertInput in = Healthy();
  // 479999 fen to 3 workers: 159999 fen each (rounded down), one fen under the floor.
  in.reports.push_back(Report(1, 2024, 3, 22, 10, 3, 479999, 2));
  auto alerts = ComputeAlerts(in, {2024, 3});
  ASSERT_EQ(Rules(alerts), std::vector<std::string>{"poor_wage_below_floor"});
  EXPECT_EQ(ValueOf(alerts[0].values, "mean_poor_wage_fen"), 159999);
  EXPECT_EQ(ValueOf(alerts[0].thresholds, "poor_wage_floor_fen"), 160000);
  EXPECT_EQ(alerts[0].message,
            "the mean monthly wage of registered-poor workers is 1599.99 yuan (4799.99 yuan paid "
            "to 3 workers), below the floor of 1600.00 yuan");
  EXPECT_EQ(ToChinese(alerts[0].message),
            "建档立卡贫困劳动力月均工资 1599.99 元（3 人共 4799.99 元），低于下限 1600.00 元");
  // A lower floor.
  AlertOptions floor;
  floor.poor_wage_floor_fen = 150000;
  EXPECT_TRUE(ComputeAlerts(in, {2024, 3}, floor).empty());
}

TEST(AlertsTest, IdleFewDaysAtTheBoundary) {
  AlertInput in = Healthy();
  // 9, 0 and 9 days (< 10 each): idle. Wages fall with the days: 600 yuan to 3 workers.
  in.reports = {Report(1, 2024, 1, 9, 10, 3, 480000), Report(1, 2024, 2, 0, 10, 3, 480000),
                Report(1, 2024, 3, 9, 10, 3, 180000)};
  auto alerts = ComputeAlerts(in, {2024, 3});
  ASSERT_EQ(Rules(alerts), (std::vector<std::string>{"idle_few_days", "poor_wage_below_floor"}));
  EXPECT_EQ(ValueOf(alerts[0].values, "days_operated_2024-02"), 0);
  EXPECT_EQ(ValueOf(alerts[0].thresholds, "min_days"), 10);
  EXPECT_EQ(alerts[0].message,
            "operated fewer than 10 days in each of 3 consecutive months (2024-01: 9, 2024-02: 0, "
            "2024-03: 9)");
  EXPECT_EQ(ToChinese(alerts[0].message),
            "连续 3 个月每月开工天数少于 10 天（2024-01: 9, 2024-02: 0, 2024-03: 9）");
  // 10 days in one month of the three: not idle.
  in.reports[1] = Report(1, 2024, 2, 10, 10, 3, 480000);
  EXPECT_EQ(Rules(ComputeAlerts(in, {2024, 3})), std::vector<std::string>{"poor_wage_below_floor"});
}

TEST(AlertsTest, NotReportingAndNoPoorWorkers) {
  AlertInput in = Healthy();
  in.reports = {Report(1, 2023, 12, 22, 10, 3, 480000)};  // nothing since December
  auto alerts = ComputeAlerts(in, {2024, 3});
  ASSERT_EQ(Rules(alerts), std::vector<std::string>{"not_reporting"});
  EXPECT_EQ(alerts[0].message, "no monthly report for 2024-01 to 2024-03 (3 months)");
  EXPECT_EQ(ToChinese(alerts[0].message), "2024-01 至 2024-03 未报送月报（连续 3 个月）");
  // February's report: reporting again, but March's share and wage rules need March's report.
  in.reports.push_back(Report(1, 2024, 2, 22, 10, 0, 0));
  auto none = ComputeAlerts(in, {2024, 3});
  ASSERT_EQ(Rules(none), std::vector<std::string>{"idle_no_poor_workers"});
  EXPECT_EQ(ValueOf(none[0].values, "poor_headcount_reported"), 0);
  EXPECT_EQ(ValueOf(none[0].values, "poor_workers_employed"), 1);
  EXPECT_EQ(none[0].message,
            "the 2024-02 report gives no registered-poor worker; 1 are employed on 2024-03-31 by "
            "the employment records");
  EXPECT_NE(ToChinese(none[0].message), "");

  // The registered-poor worker left on 31 January; reports still give 3.
  AlertInput left = Healthy();
  left.employments[0].end = Date{2024, 1, 31};
  auto gone = ComputeAlerts(left, {2024, 3});
  ASSERT_EQ(Rules(gone), std::vector<std::string>{"idle_no_poor_workers"});
  EXPECT_EQ(gone[0].message,
            "no registered-poor worker is employed on 2024-03-31 by the employment records");
  EXPECT_EQ(ToChinese(gone[0].message), "按就业登记，2024-03-31 无在岗建档立卡贫困劳动力");
}

TEST(AlertsTest, WorkersWithoutLabourCapacity) {
  AlertInput in = Healthy();
  in.people[102].labour = "lost";
  in.employments.push_back(Job(13, 1, 103, "monitored", {2024, 3, 31}));  // from March's last day
  in.employments.push_back(
      Job(14, 1, 104, "registered_poor", {2023, 4, 1}, Date{2024, 2, 29}));  // left before March
  in.people[103] = {std::nullopt, "none"};
  in.people[104] = {std::nullopt, "none"};
  auto alerts = ComputeAlerts(in, {2024, 3});
  ASSERT_EQ(Rules(alerts),
            (std::vector<std::string>{"worker_without_labour", "worker_without_labour"}));
  EXPECT_EQ(alerts[0].member_id, 102);
  EXPECT_EQ(alerts[0].employment_id, 12);
  EXPECT_EQ(alerts[0].detail, "lost");
  EXPECT_EQ(alerts[0].message,
            "member 102 is employed here in 2024-03 but the registry lists them with lost labour "
            "capacity");
  EXPECT_EQ(ToChinese(alerts[0].message),
            "成员 102 于 2024-03 在本车间就业，但档案登记为丧失劳动力");
  EXPECT_EQ(alerts[1].member_id, 103);
  EXPECT_EQ(ToChinese(alerts[1].message), "成员 103 于 2024-03 在本车间就业，但档案登记为无劳动力");
  // No ID number in any message.
  for (const WorkshopAlert& a : alerts) {
    EXPECT_EQ(a.message.find("620623"), std::string::npos);
  }
  // In February member 104 still worked there.
  EXPECT_EQ(ComputeAlerts(in, {2024, 2}).size(), 2u);  // 102 and 104
}

TEST(AlertsTest, ClosedOrUnrecognizedWorkshopsAreNotWatched) {
  AlertInput in = Healthy();
  in.reports = {};  // would be not_reporting
  in.workshops[0].status_changes.push_back({"closed", {2024, 3, 15}, ""});
  EXPECT_TRUE(ComputeAlerts(in, {2024, 3}).empty());
  AlertInput applied = Healthy();
  applied.reports = {};
  applied.workshops[0].recognitions = {{"applied", {2023, 3, 1}, ""}};
  EXPECT_TRUE(ComputeAlerts(applied, {2024, 3}).empty());
}

TEST(AlertsTest, OptionsAreChecked) {
  EXPECT_TRUE(ValidateAlertOptions({}).empty());
  AlertOptions bad;
  bad.min_poor_share = 1.5;
  bad.poor_wage_floor_fen = -1;
  bad.idle.months = 0;
  auto problems = ValidateAlertOptions(bad);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].column, "idle_months");
  EXPECT_EQ(problems[1].column, "min_poor_share");
  EXPECT_EQ(problems[2].column, "poor_wage_floor_fen");
}

}  // namespace
// Standards per province and year: a province's own latest row not after the year, else the
// default row's, else the built-in options; each saying where it came from.
TEST(AlertStandardsTest, TheProvincesLatestRowThenTheDefaultThenBuiltIn) {
  auto row = [](std::string province, int year, double share) {
    AlertStandard s;
    s.province_code = std::move(province);
    s.year = year;
    s.options.min_poor_share = share;
    return s;
  };
  const std::vector<AlertStandard> rows = {row("", 2018, 0.2), row("620000000000", 2019, 0.3),
                                           row("620000000000", 2021, 0.4), row("", 2022, 0.25)};
  EXPECT_EQ(ResolveAlertOptions(rows, "620623001001", 2018).min_poor_share, 0.2);
  EXPECT_EQ(ResolveAlertOptions(rows, "620623001001", 2018).standard, "national/2018");
  EXPECT_EQ(ResolveAlertOptions(rows, "620623001001", 2020).min_poor_share, 0.3);
  EXPECT_EQ(ResolveAlertOptions(rows, "620623001001", 2021).min_poor_share, 0.4);
  EXPECT_EQ(ResolveAlertOptions(rows, "620623001001", 2024).standard, "620000000000/2021");
  // Another province follows the default rows.
  EXPECT_EQ(ResolveAlertOptions(rows, "630100000000", 2021).min_poor_share, 0.2);
  EXPECT_EQ(ResolveAlertOptions(rows, "630100000000", 2023).min_poor_share, 0.25);
  // Before any row: the built-in defaults.
  const AlertOptions before = ResolveAlertOptions(rows, "620623001001", 2017);
  EXPECT_EQ(before.standard, "");
  EXPECT_EQ(before.min_poor_share, AlertOptions{}.min_poor_share);
}

TEST(AlertStandardsTest, ValidationNamesEachField) {
  AlertStandard s;
  s.province_code = "620623000000";  // a county
  s.year = 2012;
  s.options.min_poor_share = 1.5;
  const auto problems = ValidateAlertStandard(s);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].column, "province");
  EXPECT_EQ(problems[1].column, "year");
  EXPECT_EQ(problems[2].column, "min_poor_share");
  s.province_code = "620000000000";
  s.year = 2020;
  s.options.min_poor_share = 0.3;
  EXPECT_TRUE(ValidateAlertStandard(s).empty());
  s.province_code = "";
  EXPECT_TRUE(ValidateAlertStandard(s).empty());
}

}  // namespace fupin::workshops
