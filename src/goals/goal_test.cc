#include "goals/goal.h"

#include <gtest/gtest.h>

#include "indicators/registry_indicators.h"

namespace fupin::goals {
namespace {

// The standard catalogue: poverty_incidence (lower is better), mean_per_capita_net_income
// (higher is better).
indicators::Catalogue TestCatalogue() { return indicators::StandardCatalogue().value(); }

// Poverty incidence in a county: 10% at the start of 2018, to reach 2% by the start of 2020
// (730 days).
Goal Incidence() {
  Goal g;
  g.region_code = "990121000000";
  g.indicator = "poverty_incidence";
  g.baseline = 10;
  g.baseline_date = Date{2018, 1, 1};
  g.target = 2;
  g.deadline = Date{2020, 1, 1};
  return g;
}

TEST(GoalTest, AMeasurableGoalPasses) {
  EXPECT_TRUE(ValidateGoal(Incidence(), TestCatalogue()).empty());
}

TEST(GoalTest, UnmeasurableGoalsAreRefusedWithTheReason) {
  const auto catalogue = TestCatalogue();
  Goal none;
  none.region_code = "12";
  const auto problems = ValidateGoal(none, catalogue);
  std::vector<std::string> fields;
  for (const auto& p : problems) fields.push_back(p.column);
  EXPECT_EQ(fields, (std::vector<std::string>{"region", "indicator", "baseline", "baseline_date",
                                              "target", "deadline"}));
  EXPECT_NE(problems[1].reason.find("cannot be measured"), std::string::npos);

  Goal g = Incidence();
  g.indicator = "no_such_indicator";
  ASSERT_EQ(ValidateGoal(g, catalogue).size(), 1u);
  EXPECT_EQ(ValidateGoal(g, catalogue)[0].column, "indicator");

  g = Incidence();
  g.deadline = Date{2017, 12, 31};  // before the baseline
  ASSERT_EQ(ValidateGoal(g, catalogue).size(), 1u);
  EXPECT_EQ(ValidateGoal(g, catalogue)[0].column, "deadline");
  g.deadline = g.baseline_date;  // the same day
  EXPECT_EQ(ValidateGoal(g, catalogue).size(), 1u);

  g = Incidence();
  g.target = 10;  // the baseline
  ASSERT_EQ(ValidateGoal(g, catalogue).size(), 1u);
  EXPECT_NE(ValidateGoal(g, catalogue)[0].reason.find("nothing to achieve"), std::string::npos);
  g.target = 12;  // up, though lower is better
  ASSERT_EQ(ValidateGoal(g, catalogue).size(), 1u);
  EXPECT_NE(ValidateGoal(g, catalogue)[0].reason.find("lower values"), std::string::npos);

  g = Incidence();
  g.at_risk_ratio = 0.95;  // above on_track_ratio
  ASSERT_EQ(ValidateGoal(g, catalogue).size(), 1u);
  EXPECT_EQ(ValidateGoal(g, catalogue)[0].column, "at_risk_ratio");
}

// Halfway through the time (2019-01-01 is day 365 of 730: the line is at 50%): 6% is 50% of
// the way (ratio 1, on track); 6.5% is 43.75% (ratio 0.875, at risk); 7.3% is 33.75% (0.675,
// off track); 2% achieved; 11% went the wrong way.
TEST(GoalTest, StatusFollowsTheStraightLine) {
  const Goal g = Incidence();
  const Date mid{2019, 1, 1};
  Progress p = ComputeProgress(g, 6.0, mid);
  EXPECT_DOUBLE_EQ(p.expected, 50);
  EXPECT_DOUBLE_EQ(*p.percent, 50);
  EXPECT_DOUBLE_EQ(*p.ratio, 1);
  EXPECT_EQ(p.status, "on_track");
  EXPECT_EQ(ComputeProgress(g, 6.5, mid).status, "at_risk");
  EXPECT_DOUBLE_EQ(*ComputeProgress(g, 6.5, mid).ratio, 0.875);
  EXPECT_EQ(ComputeProgress(g, 7.3, mid).status, "off_track");
  EXPECT_EQ(ComputeProgress(g, 2.0, mid).status, "achieved");
  EXPECT_EQ(ComputeProgress(g, 11.0, mid).status, "off_track");
  EXPECT_LT(*ComputeProgress(g, 11.0, mid).percent, 0);

  // At the thresholds exactly: ratio 0.9 (percent 45: 6.4%) is on track, ratio 0.7 (percent
  // 35: 7.2%) at risk; just below each, the next status.
  EXPECT_EQ(ComputeProgress(g, 6.4, mid).status, "on_track");
  EXPECT_EQ(ComputeProgress(g, 6.41, mid).status, "at_risk");
  EXPECT_EQ(ComputeProgress(g, 7.2, mid).status, "at_risk");
  EXPECT_EQ(ComputeProgress(g, 7.21, mid).status, "off_track");

  // Before the baseline date nothing is expected yet; after the deadline short of the target
  // is off track whatever the ratio; no value is no data.
  EXPECT_EQ(ComputeProgress(g, 10.0, {2017, 6, 1}).status, "on_track");
  EXPECT_DOUBLE_EQ(ComputeProgress(g, 10.0, {2017, 6, 1}).expected, 0);
  EXPECT_EQ(ComputeProgress(g, 2.2, {2020, 1, 2}).status, "off_track");
  EXPECT_EQ(ComputeProgress(g, 2.2, {2020, 1, 1}).status, "on_track");  // 97.5% on the day
  EXPECT_EQ(ComputeProgress(g, std::nullopt, mid).status, "no_data");

  // Configurable thresholds.
  Goal strict = g;
  strict.on_track_ratio = 1;
  strict.at_risk_ratio = 0.9;
  EXPECT_EQ(ComputeProgress(strict, 6.0, mid).status, "on_track");
  EXPECT_EQ(ComputeProgress(strict, 6.4, mid).status, "at_risk");
  EXPECT_EQ(ComputeProgress(strict, 6.5, mid).status, "off_track");
}

}  // namespace
}  // namespace fupin::goals
