#include "workshops/synthetic_workshops.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "workshops/analysis.h"

namespace fupin::workshops {
namespace {

SyntheticWorkshopData Generate(uint64_t seed = 7) {
  std::vector<SyntheticVillage> villages;
  for (int t = 1; t <= 4; ++t) {
    for (int v = 1; v <= 5; ++v) {
      villages.push_back({fmt::format("990121{:03}{:03}", t, 200 + v), fmt::format("村{}-{}", t, v),
                          102.8 + t * 0.05, 37.1 + v * 0.03});
    }
  }
  std::vector<SyntheticWorker> workers;
  for (int i = 0; i < 3000; ++i) {
    workers.push_back({i + 1, fmt::format("P{:05}", i),
                       i % 5 < 3 ? "registered_poor" : (i % 5 == 3 ? "monitored" : "other_local"),
                       villages[static_cast<size_t>(i) % villages.size()].code});
  }
  std::vector<SyntheticOperator> operators;
  for (int i = 0; i < 8; ++i) operators.push_back({i + 1, i >= 5});
  SyntheticWorkshopOptions options;
  options.seed = seed;
  options.today = {2024, 6, 15};
  return GenerateWorkshops(villages, workers, operators, options);
}

TEST(SyntheticWorkshopsTest, EverythingGeneratedIsValid) {
  const auto data = Generate();
  ASSERT_EQ(data.workshops.size(), 62u);
  const Date today{2024, 6, 15};
  for (const Workshop& w : data.workshops) {
    auto problems = ValidateWorkshop(w, today);
    EXPECT_TRUE(problems.empty()) << w.name << ": " << problems[0].column << " "
                                  << problems[0].reason;
  }
  for (const MonthlyReport& r : data.reports) {
    auto problems = ValidateReport(r, today);
    EXPECT_TRUE(problems.empty()) << r.year << "-" << r.month << ": " << problems[0].column << " "
                                  << problems[0].reason;
  }
  // Nobody holds two jobs at once.
  std::map<std::string, std::vector<Employment>> by_person;
  for (const Employment& e : data.employments) by_person[e.person_key].push_back(e);
  for (const auto& [person, jobs] : by_person) {
    for (size_t i = 0; i < jobs.size(); ++i) {
      std::vector<Employment> others = jobs;
      others.erase(others.begin() + static_cast<std::ptrdiff_t>(i));
      Employment e = jobs[i];
      e.member_id = 1;
      EXPECT_TRUE(ValidateEmployment(e, others).empty()) << person;
    }
  }
  // Mostly enterprises, cooperatives as the auxiliary (operators 6–8 are cooperatives).
  const auto coops = std::count_if(data.workshops.begin(), data.workshops.end(),
                                   [](const Workshop& w) { return w.operator_id >= 6; });
  EXPECT_GT(coops, 5);
  EXPECT_LT(coops, 31);
}

TEST(SyntheticWorkshopsTest, The2020ResumptionFollowsGansusPace) {
  const auto data = Generate();
  for (const CurvePoint& p : GansuResumption2020()) {
    const double rate = ResumptionOn(data.workshops, p.day).rate;
    EXPECT_NEAR(rate, p.share, 0.05) << p.day.ToString();
  }
  EXPECT_DOUBLE_EQ(ResumptionOn(data.workshops, {2020, 1, 20}).rate, 1.0);
  EXPECT_DOUBLE_EQ(ResumptionOn(data.workshops, {2020, 2, 1}).rate, 0.0);
  // The monthly reports tell the same story: February 2020 mostly idle.
  int february = 0, idle = 0;
  for (const MonthlyReport& r : data.reports) {
    if (r.year != 2020 || r.month != 2) continue;
    ++february;
    if (r.days_operated < 10) ++idle;
  }
  EXPECT_GT(february, 40);
  EXPECT_GT(idle, february / 2);
}

TEST(SyntheticWorkshopsTest, TheIdleOnesAreFoundAndFewOthers) {
  const auto data = Generate();
  std::map<int64_t, std::vector<MonthlyReport>> reports;
  std::map<int64_t, std::vector<Employment>> jobs;
  for (const MonthlyReport& r : data.reports) reports[r.workshop_id].push_back(r);
  for (const Employment& e : data.employments) jobs[e.workshop_id].push_back(e);
  std::set<size_t> flagged;
  for (size_t i = 0; i < data.workshops.size(); ++i) {
    const int64_t key = static_cast<int64_t>(i) + 1;
    if (!DetectIdle(data.workshops[i], reports[key], jobs[key], {2024, 5}).empty()) {
      flagged.insert(i);
    }
  }
  for (size_t i : data.idle) EXPECT_TRUE(flagged.contains(i)) << "workshop " << i;
  EXPECT_LE(flagged.size(), data.idle.size() + 3) << "a handful, not many";
}

TEST(SyntheticWorkshopsTest, TheSameSeedGivesTheSameData) {
  const auto a = Generate(11);
  const auto b = Generate(11);
  ASSERT_EQ(a.reports.size(), b.reports.size());
  ASSERT_EQ(a.employments.size(), b.employments.size());
  for (size_t i = 0; i < a.workshops.size(); ++i)
    EXPECT_EQ(a.workshops[i].name, b.workshops[i].name);
  const auto c = Generate(12);
  std::vector<std::string> names_a, names_c;
  for (const Workshop& w : a.workshops) names_a.push_back(w.name);
  for (const Workshop& w : c.workshops) names_c.push_back(w.name);
  EXPECT_NE(names_a, names_c) << "another seed, other data";
}

}  // namespace
}  // namespace fupin::workshops
