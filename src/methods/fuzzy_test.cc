#include "methods/fuzzy.h"

#include <gtest/gtest.h>

#include "methods/test_util.h"

namespace fupin::methods {
namespace {

using testing::LoadTestData;
using testing::ToMatrix;
using testing::ToStdVector;
using testing::ToVector;

FuzzyOperator OperatorFrom(const std::string& s) {
  if (s == "min-max") return FuzzyOperator::kMinMax;
  if (s == "product-max") return FuzzyOperator::kProductMax;
  if (s == "min-bounded-sum") return FuzzyOperator::kMinBoundedSum;
  return FuzzyOperator::kWeightedAverage;
}

TEST(FuzzyTest, PublishedVectors) {
  const auto data = LoadTestData("fuzzy.json");
  for (const auto& c : data["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    FuzzyOptions options;
    options.op = OperatorFrom(c["operator"]);
    if (c.contains("grade_scores")) options.grade_scores = ToStdVector(c["grade_scores"]);
    auto r = FuzzyEvaluate(ToVector(c["weights"]), ToMatrix(c["membership"]), options);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    const Vector b = ToVector(c["expected"]["b"]);
    for (Eigen::Index g = 0; g < b.size(); ++g) EXPECT_NEAR(r->b[g], b[g], 1e-12) << "grade " << g;
    EXPECT_EQ(r->grade_index, c["expected"]["grade_index"].get<int>());
    EXPECT_NEAR(r->b_normalized.sum(), 1.0, 1e-12);
    if (c["expected"].contains("score")) {
      ASSERT_TRUE(r->score.has_value());
      EXPECT_NEAR(*r->score, c["expected"]["score"].get<double>(), 1e-9);
    }
  }
}

TEST(FuzzyTest, AmbiguousGradeIsFlagged) {
  Matrix r(2, 3);
  r << 0.4, 0.4, 0.2, 0.5, 0.3, 0.2;
  auto result = FuzzyEvaluate(Vector{{0.5, 0.5}}, r);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->grade_index, 0);  // 0.45 vs 0.35: clear
  EXPECT_FALSE(result->ambiguous);
  r << 0.4, 0.4, 0.2, 0.4, 0.4, 0.2;
  result = FuzzyEvaluate(Vector{{0.5, 0.5}}, r);
  EXPECT_TRUE(result->ambiguous);
}

TEST(FuzzyTest, RejectsBadMembership) {
  Matrix r(1, 2);
  r << 1.5, 0.2;
  auto result = FuzzyEvaluate(Vector{{1.0}}, r);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().details[0].column, "#1");
  FuzzyOptions options;
  options.grade_scores = {1, 2, 3};
  r << 0.5, 0.5;
  EXPECT_FALSE(FuzzyEvaluate(Vector{{1.0}}, r, options).has_value());
}

TEST(FuzzyTest, MultiLevelUsesNormalizedChildResults) {
  // Two criteria of two sub-criteria each; the upper level evaluates the children's B.
  FuzzyNode root{"overall", 1.0, {}, {}};
  FuzzyNode a{"A", 0.6, {}, {}};
  a.children.push_back({"a1", 0.5, Vector{{0.2, 0.5, 0.3}}, {}});
  a.children.push_back({"a2", 0.5, Vector{{0.4, 0.4, 0.2}}, {}});
  FuzzyNode b{"B", 0.4, {}, {}};
  b.children.push_back({"b1", 0.3, Vector{{0.1, 0.3, 0.6}}, {}});
  b.children.push_back({"b2", 0.7, Vector{{0.0, 0.5, 0.5}}, {}});
  root.children = {a, b};
  FuzzyOptions options;
  options.grade_scores = {90, 70, 50};
  auto r = FuzzyEvaluateTree(root, options);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  // B_A = (0.3, 0.45, 0.25); B_B = (0.03, 0.44, 0.53); top = 0.6 B_A + 0.4 B_B.
  const Vector want{{0.6 * 0.3 + 0.4 * 0.03, 0.6 * 0.45 + 0.4 * 0.44, 0.6 * 0.25 + 0.4 * 0.53}};
  for (Eigen::Index g = 0; g < 3; ++g) EXPECT_NEAR(r->result.b[g], want[g], 1e-12);
  ASSERT_EQ(r->children.size(), 2u);
  EXPECT_NEAR(r->children[1].result.b[2], 0.53, 1e-12);
  EXPECT_NEAR(*r->result.score, 90 * want[0] + 70 * want[1] + 50 * want[2], 1e-9);
}

TEST(FuzzyTest, ThreeLevelsAndOperatorsOnTrees) {
  // root → {A → {a1, a2 → {x, y}}, b}: every level evaluates its children's normalized B.
  FuzzyNode x{"x", 0.5, Vector{{1.0, 0.0}}, {}};
  FuzzyNode y{"y", 0.5, Vector{{0.0, 1.0}}, {}};
  FuzzyNode a2{"a2", 0.5, {}, {x, y}};
  FuzzyNode a1{"a1", 0.5, Vector{{0.8, 0.2}}, {}};
  FuzzyNode a{"A", 0.5, {}, {a1, a2}};
  FuzzyNode b{"b", 0.5, Vector{{0.2, 0.8}}, {}};
  FuzzyNode root{"root", 1.0, {}, {a, b}};
  auto r = FuzzyEvaluateTree(root);
  ASSERT_TRUE(r.has_value());
  // a2 = (0.5, 0.5); A = 0.5 (0.8, 0.2) + 0.5 (0.5, 0.5) = (0.65, 0.35); root = (0.425, 0.575)
  EXPECT_NEAR(r->children[0].children[1].result.b[0], 0.5, 1e-12);
  EXPECT_NEAR(r->children[0].result.b[0], 0.65, 1e-12);
  EXPECT_NEAR(r->result.b[0], 0.425, 1e-12);
  EXPECT_EQ(r->result.grade_index, 1);
  FuzzyOptions minmax;
  minmax.op = FuzzyOperator::kMinMax;
  auto m = FuzzyEvaluateTree(root, minmax);
  ASSERT_TRUE(m.has_value());
  // a2 = (0.5, 0.5) → normalized (0.5, 0.5); A = (max(min(.5,.8), min(.5,.5)), ...) = (0.5, 0.5)
  EXPECT_NEAR(m->children[0].result.b[0], 0.5, 1e-12);
  EXPECT_NEAR(m->result.b_normalized.sum(), 1.0, 1e-12);
}

TEST(FuzzyTest, MembershipFromResponses) {
  // 4 respondents × 2 questions, 3 grades; −1 = no answer.
  const std::vector<int8_t> codes = {0, 2, 1, 2, 1, -1, 2, 0};
  auto r = MembershipFromResponses(codes, 4, 2, 3);
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR((*r)(0, 0), 0.25, 1e-15);
  EXPECT_NEAR((*r)(0, 1), 0.5, 1e-15);
  EXPECT_NEAR((*r)(0, 2), 0.25, 1e-15);
  EXPECT_NEAR((*r)(1, 0), 1.0 / 3, 1e-15);
  EXPECT_NEAR((*r)(1, 2), 2.0 / 3, 1e-15);
  const std::vector<int8_t> bad = {0, 3};
  auto e = MembershipFromResponses(bad, 1, 2, 3);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().details[0].row, 1);
  EXPECT_EQ(e.error().details[0].column, "#2");
}

}  // namespace
}  // namespace fupin::methods
