#include "evaluation/grade_scale.h"

#include <gtest/gtest.h>

#include <cmath>

namespace fupin::evaluation {
namespace {

GradeScale FourGrades() {
  auto s =
      GradeScale::Make({{"优秀", 95, {}}, {"良好", 85, {}}, {"一般", 70, {}}, {"较差", 50, {}}});
  EXPECT_TRUE(s.has_value());
  return *s;
}

TEST(GradeScaleTest, DefaultBandMinimumsLieMidwayToTheNextGrade) {
  const GradeScale s = FourGrades();
  EXPECT_DOUBLE_EQ(s[0].min, 90.0);
  EXPECT_DOUBLE_EQ(s[1].min, 77.5);
  EXPECT_DOUBLE_EQ(s[2].min, 60.0);
  EXPECT_TRUE(std::isinf(s[3].min));
  EXPECT_EQ(s.BandOf(90.0), 0);
  EXPECT_EQ(s.BandOf(89.99), 1);
  EXPECT_EQ(s.BandOf(77.5), 1);
  EXPECT_EQ(s.BandOf(60.0), 2);
  EXPECT_EQ(s.BandOf(-5.0), 3);
  // Rounding noise just below a band's minimum stays in the band.
  EXPECT_EQ(s.BandOf(90.0 - 1e-12), 0);
}

TEST(GradeScaleTest, GivenMinimumsAreKept) {
  auto s = GradeScale::Make(
      {{"优秀", 95, 90.0}, {"良好", 85, 80.0}, {"合格", 65, 60.0}, {"不合格", 40, {}}});
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->BandOf(79.9), 2);
  EXPECT_EQ(s->BandOf(80.0), 1);
  EXPECT_EQ(s->BandOf(59.0), 3);
}

TEST(GradeScaleTest, RejectsScalesThatAreNotBestFirstOrWhoseScoresLeaveTheirBands) {
  auto up = GradeScale::Make({{"差", 50, {}}, {"好", 90, {}}});
  ASSERT_FALSE(up.has_value());
  EXPECT_EQ(up.error().details.at(0).column, "grades[1].score");

  auto outside = GradeScale::Make({{"优秀", 95, 96.0}, {"良好", 80, {}}});
  ASSERT_FALSE(outside.has_value());
  EXPECT_EQ(outside.error().details.at(0).column, "grades[0].min");

  auto into_above = GradeScale::Make({{"优秀", 95, 80.0}, {"良好", 85, 70.0}});
  ASSERT_FALSE(into_above.has_value());
  EXPECT_EQ(into_above.error().details.at(0).column, "grades[1].min");
  EXPECT_NE(into_above.error().details.at(0).reason.find("优秀"), std::string::npos);

  auto twice = GradeScale::Make({{"好", 95, {}}, {"好", 80, {}}});
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().details.at(0).column, "grades[1].name");

  EXPECT_FALSE(GradeScale::Make({{"only", 95, {}}}).has_value());
}

TEST(GradeScaleTest, MembershipOfAScoreInterpolatesBetweenTheBracketingGrades) {
  const GradeScale s = FourGrades();
  const Vector m = s.MembershipOfScore(77.0);  // between 85 and 70
  EXPECT_NEAR(m[1], 7.0 / 15.0, 1e-12);
  EXPECT_NEAR(m[2], 8.0 / 15.0, 1e-12);
  EXPECT_DOUBLE_EQ(m[0] + m[3], 0.0);
  EXPECT_DOUBLE_EQ(s.MembershipOfScore(99)[0], 1.0);
  EXPECT_DOUBLE_EQ(s.MembershipOfScore(10)[3], 1.0);
  EXPECT_DOUBLE_EQ(s.MembershipOfScore(85)[1], 1.0);
  // The score of the interpolated membership is the score itself.
  EXPECT_NEAR(m.dot(Eigen::Vector4d(95, 85, 70, 50)), 77.0, 1e-12);
}

TEST(ScoringRuleTest, LinearHigherAndLowerBetter) {
  const GradeScale s = FourGrades();
  ScoringRule up;
  up.floor = 0.5;
  up.target = 1.0;
  auto m = ScoreValue(up, s, 0.8);  // 60 % of the way: 50 + 0.6 × 45 = 77
  ASSERT_TRUE(m.has_value());
  EXPECT_NEAR(m->dot(Eigen::Vector4d(95, 85, 70, 50)), 77.0, 1e-12);
  EXPECT_DOUBLE_EQ((*ScoreValue(up, s, 1.5))[0], 1.0);
  EXPECT_DOUBLE_EQ((*ScoreValue(up, s, 0.1))[3], 1.0);

  ScoringRule down;  // poverty incidence: 10 % is the floor, 0 % the target
  down.floor = 0.10;
  down.target = 0.0;
  auto d = ScoreValue(down, s, 0.04);  // 60 % of the way again
  ASSERT_TRUE(d.has_value());
  EXPECT_NEAR(d->dot(Eigen::Vector4d(95, 85, 70, 50)), 77.0, 1e-12);
}

TEST(ScoringRuleTest, ThresholdAndBands) {
  const GradeScale s = FourGrades();
  ScoringRule wrong_exit;  // 错退率 ≤ 2 %
  wrong_exit.kind = ScoringKind::kThreshold;
  wrong_exit.threshold = 0.02;
  wrong_exit.at_most = true;
  EXPECT_DOUBLE_EQ((*ScoreValue(wrong_exit, s, 0.02))[0], 1.0);
  EXPECT_DOUBLE_EQ((*ScoreValue(wrong_exit, s, 0.021))[3], 1.0);

  ScoringRule bands;
  bands.kind = ScoringKind::kBanded;
  bands.bands = {{0, 0.9, {}}, {1, 0.8, {}}, {2, 0.6, {}}};
  EXPECT_TRUE(CheckScoringRule(bands, s, "scoring").has_value());
  EXPECT_DOUBLE_EQ((*ScoreValue(bands, s, 0.95))[0], 1.0);
  EXPECT_DOUBLE_EQ((*ScoreValue(bands, s, 0.85))[1], 1.0);
  EXPECT_DOUBLE_EQ((*ScoreValue(bands, s, 0.6))[2], 1.0);
  auto none = ScoreValue(bands, s, 0.3);
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message.find("0.3"), std::string::npos);

  ScoringRule bad;
  bad.kind = ScoringKind::kBanded;
  bad.bands = {{7, {}, {}}, {0, 5.0, 1.0}};
  auto check = CheckScoringRule(bad, s, "x.scoring");
  ASSERT_FALSE(check.has_value());
  ASSERT_EQ(check.error().details.size(), 2u);
  EXPECT_EQ(check.error().details[0].column, "x.scoring.bands[0].grade");
  EXPECT_EQ(check.error().details[1].column, "x.scoring.bands[1].min");

  ScoringRule flat;
  flat.floor = flat.target = 3;
  EXPECT_FALSE(CheckScoringRule(flat, s, "s").has_value());
}

}  // namespace
}  // namespace fupin::evaluation
