#include "evaluation/engine.h"

#include <gtest/gtest.h>

namespace fupin::evaluation {
namespace {

GradeScale FourGrades() {
  return *GradeScale::Make(
      {{"优秀", 95, {}}, {"良好", 85, {}}, {"一般", 70, {}}, {"较差", 50, {}}});
}

// The two-level example worked out by hand in docs/evaluation.md:
// root (0.6 A, 0.4 B); A (0.5 a1, 0.3 a2, 0.2 a3); B (0.7 b1, 0.3 b2).
struct Example {
  Tree tree{"总体绩效"};
  Matrix leaves{5, 4};
  int a = 0, b = 0, a1 = 0, a2 = 0, a3 = 0, b1 = 0, b2 = 0;

  Example() {
    a = tree.Add(0, "A");
    b = tree.Add(0, "B");
    EXPECT_TRUE(tree.SetWeights(0, {0.6, 0.4}).has_value());
    a1 = tree.Add(a, "a1");
    a2 = tree.Add(a, "a2");
    a3 = tree.Add(a, "a3");
    EXPECT_TRUE(tree.SetWeights(a, {5, 3, 2}).has_value());  // normalized to 0.5, 0.3, 0.2
    b1 = tree.Add(b, "b1");
    b2 = tree.Add(b, "b2");
    EXPECT_TRUE(tree.SetWeights(b, {0.7, 0.3}).has_value());
    for (int leaf : {a1, a2, a3, b1, b2}) tree.MakeLeaf(leaf);
    leaves << 0.4, 0.4, 0.2, 0.0,  //
        0.2, 0.5, 0.2, 0.1,        //
        0.1, 0.3, 0.4, 0.2,        //
        0.2, 0.4, 0.3, 0.1,        // b1: responses 10, 20, 15, 5 of 50
        0.0, 0.2, 0.5, 0.3;
  }
};

void ExpectRow(const Vector& v, std::initializer_list<double> expected) {
  ASSERT_EQ(v.size(), static_cast<Eigen::Index>(expected.size()));
  Eigen::Index i = 0;
  for (double e : expected) EXPECT_NEAR(v[i++], e, 1e-12) << "entry " << i - 1;
}

TEST(EngineTest, MultiLevelFuzzyEvaluationWorkedByHand) {
  Example ex;
  const GradeScale scale = FourGrades();
  auto r = Evaluate(ex.tree, scale, ex.leaves);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  // B_A = 0.5·a1 + 0.3·a2 + 0.2·a3
  const auto& a = r->nodes[static_cast<size_t>(ex.a)];
  ExpectRow(a.b_normalized, {0.28, 0.41, 0.24, 0.07});
  EXPECT_NEAR(a.score, 81.75, 1e-12);  // 26.6 + 34.85 + 16.8 + 3.5
  EXPECT_EQ(a.grade, 1);               // 良好: 77.5 ≤ 81.75 < 90
  EXPECT_EQ(a.grade_by_max_membership, 1);
  EXPECT_FALSE(a.grades_differ);
  // B_B = 0.7·b1 + 0.3·b2
  const auto& b = r->nodes[static_cast<size_t>(ex.b)];
  ExpectRow(b.b_normalized, {0.14, 0.34, 0.36, 0.16});
  EXPECT_NEAR(b.score, 75.4, 1e-12);
  EXPECT_EQ(b.grade, 2);  // 一般: 60 ≤ 75.4 < 77.5
  // Overall = 0.6·B_A + 0.4·B_B; its score is the weighted mean of the dimension scores.
  const auto& o = r->overall();
  ExpectRow(o.b_normalized, {0.224, 0.382, 0.288, 0.106});
  EXPECT_NEAR(o.score, 79.21, 1e-12);
  EXPECT_EQ(o.grade, 1);
  EXPECT_EQ(o.grade_by_max_membership, 1);
  // Leaves are graded too.
  EXPECT_NEAR(r->nodes[static_cast<size_t>(ex.b2)].score, 67.0, 1e-12);
  EXPECT_EQ(r->nodes[static_cast<size_t>(ex.b2)].grade, 2);
}

TEST(EngineTest, FlagsAScoreGradeThatDiffersFromTheMaximumMembership) {
  Tree tree("x");
  const int c = tree.Add(0, "c");
  tree.MakeLeaf(c);
  ASSERT_TRUE(tree.SetWeights(0, {1}).has_value());
  Matrix leaves(1, 4);
  leaves << 0.45, 0.0, 0.1, 0.45;  // polarized: the score (72.25) is 一般, the maximum 优秀
  auto r = Evaluate(tree, FourGrades(), leaves);
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(r->overall().score, 0.45 * 95 + 0.1 * 70 + 0.45 * 50, 1e-12);
  EXPECT_EQ(r->overall().grade, 2);
  EXPECT_EQ(r->overall().grade_by_max_membership, 0);
  EXPECT_TRUE(r->overall().grades_differ);
  EXPECT_TRUE(r->overall().ambiguous);  // 优秀 and 较差 tie
}

TEST(EngineTest, TheOperatorIsAppliedAtEveryLevel) {
  // The test vector's M(∧,∨) example: A = (.1,.2,.3,.4) gives B = (.2,.3,.4,.1).
  Tree tree("x");
  for (int i = 0; i < 4; ++i) tree.MakeLeaf(tree.Add(0, "c" + std::to_string(i)));
  ASSERT_TRUE(tree.SetWeights(0, {.1, .2, .3, .4}).has_value());
  Matrix r(4, 4);
  r << .2, .5, .2, .1, .7, .2, .1, 0, 0, .4, .5, .1, .2, .3, .5, 0;
  EvaluationOptions options;
  options.op = methods::FuzzyOperator::kMinMax;
  auto out = Evaluate(tree, FourGrades(), r, options);
  ASSERT_TRUE(out.has_value());
  ExpectRow(out->overall().b, {.2, .3, .4, .1});
  ExpectRow(out->overall().b_normalized, {0.2, 0.3, 0.4, 0.1});
}

TEST(EngineTest, RejectsLeafRowsOutsideTheUnitIntervalNamingTheLeaf) {
  Example ex;
  ex.leaves(3, 1) = 1.4;
  ex.leaves.row(4).setZero();
  auto r = Evaluate(ex.tree, FourGrades(), ex.leaves);
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().details.size(), 2u);
  EXPECT_EQ(r.error().details[0].row, 4);
  EXPECT_EQ(r.error().details[0].column, "b1");
  EXPECT_NE(r.error().details[0].reason.find("良好"), std::string::npos);
  EXPECT_EQ(r.error().details[1].column, "b2");
}

TEST(EngineTest, WeakestIndicatorsAreOrderedByWeightedShortfall) {
  Example ex;
  const GradeScale scale = FourGrades();
  auto r = Evaluate(ex.tree, scale, ex.leaves);
  ASSERT_TRUE(r.has_value());
  // Global weights a1 .3, a2 .18, a3 .12, b1 .28, b2 .12; leaf scores 86, 80.5, 73, 79, 67;
  // shortfalls 2.7, 2.61, 2.64, 4.48, 3.36.
  auto w = Weakest(ex.tree, scale, *r, 3);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].node, ex.b1);
  EXPECT_NEAR(w[0].shortfall, 4.48, 1e-12);
  EXPECT_EQ(w[1].node, ex.b2);
  EXPECT_EQ(w[2].node, ex.a1);
  EXPECT_NEAR(w[2].global_weight, 0.3, 1e-12);
  EXPECT_EQ(Weakest(ex.tree, scale, *r, -1).size(), 5u);
}

TEST(EngineTest, SensitivityIsRepeatableForASeedAndZeroSpreadChangesNothing) {
  Example ex;
  // 良好 from 79: the example's 79.21 sits just above the 良好/一般 boundary.
  const GradeScale scale = *GradeScale::Make(
      {{"优秀", 95, 90.0}, {"良好", 85, 79.0}, {"一般", 70, 60.0}, {"较差", 50, {}}});
  auto base = Evaluate(ex.tree, scale, ex.leaves);
  ASSERT_TRUE(base.has_value());
  ASSERT_EQ(base->overall().grade, 1);
  SensitivityOptions so;
  so.draws = 500;
  so.spread = 0.3;
  so.seed = 42;
  auto s1 = Sensitivity(ex.tree, scale, {ex.leaves}, {*base}, {}, so);
  auto s2 = Sensitivity(ex.tree, scale, {ex.leaves}, {*base}, {}, so);
  ASSERT_TRUE(s1.has_value() && s2.has_value());
  const auto& n1 = s1->front().nodes[0];
  const auto& n2 = s2->front().nodes[0];
  EXPECT_EQ(n1.grade_probability, n2.grade_probability);
  EXPECT_EQ(n1.score_mean, n2.score_mean);
  EXPECT_EQ(s1->front().score_p05, s2->front().score_p05);
  // A 30 % spread moves some draws below the boundary.
  EXPECT_GT(n1.baseline_grade_probability, 0.5);
  EXPECT_LT(n1.baseline_grade_probability, 1.0);
  EXPECT_NEAR(n1.grade_probability[1] + n1.grade_probability[2], 1.0, 1e-12);
  EXPECT_LE(n1.score_min, 79.21);
  EXPECT_GE(n1.score_max, 79.21);
  EXPECT_LE(s1->front().score_p05, s1->front().score_p95);
  // Leaves do not move with the weights.
  EXPECT_TRUE(s1->front().nodes[static_cast<size_t>(ex.a1)].grade_probability.empty());

  so.seed = 43;
  auto s3 = Sensitivity(ex.tree, scale, {ex.leaves}, {*base}, {}, so);
  EXPECT_NE(s3->front().nodes[0].score_mean, n1.score_mean);

  so.spread = 0.0;
  auto still = Sensitivity(ex.tree, scale, {ex.leaves}, {*base}, {}, so);
  EXPECT_DOUBLE_EQ(still->front().nodes[0].baseline_grade_probability, 1.0);
  EXPECT_NEAR(still->front().nodes[0].score_mean, 79.21, 1e-9);
}

TEST(EngineTest, RankStabilityOfSeveralObjects) {
  Example ex;
  const GradeScale scale = FourGrades();
  Matrix strong = Matrix::Zero(5, 4);
  strong.col(0).setOnes();   // all 优秀: first whatever the weights
  Matrix close = ex.leaves;  // the example: 79.21
  Matrix other = ex.leaves;  // swap the dimensions' strengths a little
  other.row(0) << 0.2, 0.4, 0.3, 0.1;
  other.row(3) << 0.4, 0.4, 0.2, 0.0;
  std::vector<Matrix> leaves{strong, close, other};
  std::vector<Outcome> base;
  for (const auto& l : leaves) base.push_back(*Evaluate(ex.tree, scale, l));
  EXPECT_EQ(RankByScore(base), (std::vector<int>{1, 2, 3}));  // 79.21 > 79.07
  SensitivityOptions so;
  so.draws = 400;
  so.spread = 0.4;
  auto s = Sensitivity(ex.tree, scale, leaves, base, {}, so);
  ASSERT_TRUE(s.has_value());
  EXPECT_DOUBLE_EQ((*s)[0].baseline_rank_probability, 1.0);
  EXPECT_EQ((*s)[0].rank_min, 1);
  EXPECT_EQ((*s)[0].rank_max, 1);
  const double sum =
      (*s)[1].rank_probability[0] + (*s)[1].rank_probability[1] + (*s)[1].rank_probability[2];
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_GE((*s)[1].rank_mean, 2.0);

  so.draws = 0;
  EXPECT_FALSE(Sensitivity(ex.tree, scale, leaves, base, {}, so).has_value());
  so.draws = 10;
  so.spread = 1.0;
  auto bad = Sensitivity(ex.tree, scale, leaves, base, {}, so);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().details.at(0).column, "spread");
}

}  // namespace
}  // namespace fupin::evaluation
