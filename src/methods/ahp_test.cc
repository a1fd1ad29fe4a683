#include "methods/ahp.h"

#include <gtest/gtest.h>

#include <random>

#include "methods/test_util.h"

namespace fupin::methods {
namespace {

using testing::LoadTestData;
using testing::ToMatrix;
using testing::ToVector;

AhpWeightMethod MethodFrom(const std::string& s) {
  if (s == "geometric") return AhpWeightMethod::kGeometricMean;
  if (s == "arithmetic") return AhpWeightMethod::kArithmeticMean;
  return AhpWeightMethod::kEigenvector;
}

RandomIndexTable TableFrom(const std::string& s) {
  if (s == "saaty2005") return RandomIndexTable::kSaaty2005;
  if (s == "donegan-dodd") return RandomIndexTable::kDoneganDodd;
  return RandomIndexTable::kSaaty1980;
}

TEST(AhpTest, PublishedVectors) {
  const auto data = LoadTestData("ahp.json");
  for (const auto& c : data["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    AhpOptions options;
    options.weight_method = MethodFrom(c["weight_method"]);
    options.ri_table = TableFrom(c["ri"]);
    auto result = Ahp(ToMatrix(c["matrix"]), options);
    ASSERT_TRUE(result.has_value()) << result.error().message;
    const auto& e = c["expected"];
    if (e.contains("weights")) {
      const Vector w = ToVector(e["weights"]);
      ASSERT_EQ(result->weights.size(), w.size());
      for (Eigen::Index i = 0; i < w.size(); ++i) {
        EXPECT_NEAR(result->weights[i], w[i], e["weights_tol"].get<double>()) << "weight " << i;
      }
    }
    if (e.contains("lambda_max")) {
      EXPECT_NEAR(result->lambda_max, e["lambda_max"].get<double>(), e["lambda_tol"].get<double>());
    }
    if (e.contains("ri")) {
      EXPECT_DOUBLE_EQ(result->ri, e["ri"].get<double>());
    }
    if (e.contains("cr")) {
      EXPECT_NEAR(result->cr, e["cr"].get<double>(), e["cr_tol"].get<double>());
    }
    if (e.contains("consistent")) {
      EXPECT_EQ(result->consistent, e["consistent"].get<bool>());
    }
    if (e.contains("completed")) {
      ASSERT_EQ(result->completed.size(), e["completed"].size());
      const double tol = e["completed_rel_tol"].get<double>();
      for (size_t k = 0; k < result->completed.size(); ++k) {
        const auto& want = e["completed"][k];
        EXPECT_EQ(result->completed[k].row, want[0].get<int>());
        EXPECT_EQ(result->completed[k].col, want[1].get<int>());
        EXPECT_NEAR(result->completed[k].value / want[2].get<double>(), 1.0, tol)
            << "completed (" << want[0] << "," << want[1] << ")";
      }
    }
  }
}

TEST(AhpTest, RandomIndexTables) {
  EXPECT_DOUBLE_EQ(*RandomIndex(RandomIndexTable::kSaaty1980, 3), 0.58);
  EXPECT_DOUBLE_EQ(*RandomIndex(RandomIndexTable::kSaaty1980, 11), 1.51);
  EXPECT_DOUBLE_EQ(*RandomIndex(RandomIndexTable::kSaaty1980, 15), 1.59);
  EXPECT_DOUBLE_EQ(*RandomIndex(RandomIndexTable::kSaaty2005, 3), 0.52);
  EXPECT_DOUBLE_EQ(*RandomIndex(RandomIndexTable::kSaaty2005, 15), 1.59);
  EXPECT_DOUBLE_EQ(*RandomIndex(RandomIndexTable::kDoneganDodd, 7), 1.2519);
  EXPECT_DOUBLE_EQ(*RandomIndex(RandomIndexTable::kDoneganDodd, 15), 1.4969);
  EXPECT_DOUBLE_EQ(*RandomIndex(RandomIndexTable::kSaaty1980, 2), 0.0);
  EXPECT_FALSE(RandomIndex(RandomIndexTable::kSaaty1980, 16).has_value());
}

TEST(AhpTest, TwoByTwoIsAlwaysConsistent) {
  Matrix a(2, 2);
  a << 1, 4, 0.25, 1;
  auto r = Ahp(a);
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(r->weights[0], 0.8, 1e-12);
  EXPECT_EQ(r->cr, 0.0);
  EXPECT_TRUE(r->consistent);
}

TEST(AhpTest, RejectsNonSquareNonPositiveAndNonReciprocal) {
  EXPECT_FALSE(Ahp(Matrix::Ones(2, 3)).has_value());
  Matrix neg(3, 3);
  neg << 1, -2, 3, kNaN, 1, 1, kNaN, kNaN, 1;
  auto r = Ahp(neg);
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().details.size(), 1u);
  EXPECT_EQ(r.error().details[0].row, 1);
  EXPECT_EQ(r.error().details[0].column, "#2");
  Matrix nonrec(3, 3);
  nonrec << 1, 3, 5, 0.5, 1, 3, 0.2, 0.3333, 1;
  r = Ahp(nonrec);
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().details.size(), 1u);
  EXPECT_EQ(r.error().details[0].row, 2);
  EXPECT_EQ(r.error().details[0].column, "#1");
  // 0.33 for 1/3 is within the reciprocity tolerance.
  Matrix rounded(3, 3);
  rounded << 1, 3, 5, 0.33, 1, 3, 0.2, 0.33, 1;
  EXPECT_TRUE(Ahp(rounded).has_value());
  EXPECT_FALSE(Ahp(Matrix::Ones(16, 16)).has_value());
}

TEST(AhpTest, WarnsOutsideSaatyScale) {
  Matrix a(3, 3);
  a << 1, 12, 5, kNaN, 1, 3, kNaN, kNaN, 1;
  auto r = Ahp(a);
  ASSERT_TRUE(r.has_value());
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_EQ(r->warnings[0].row, 0);
  EXPECT_EQ(r->warnings[0].col, 1);
}

TEST(AhpTest, DisconnectedComparisonGraphNamesCriteria) {
  Matrix a = Matrix::Constant(4, 4, kNaN);
  for (int i = 0; i < 4; ++i) a(i, i) = 1;
  a(0, 1) = 2;
  a(2, 3) = 3;
  auto r = Ahp(a);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("#3, #4"), std::string::npos) << r.error().message;
  ASSERT_EQ(r.error().details.size(), 2u);
  EXPECT_EQ(r.error().details[0].row, 3);
}

TEST(AhpTest, ConsistencyHelpFindsTheInconsistentJudgment) {
  // A consistent matrix from w = (8, 4, 2, 1) with a_14 changed from 8 to 1/8.
  Matrix a(4, 4);
  a << 1, 2, 4, 0.125, kNaN, 1, 2, 4, kNaN, kNaN, 1, 2, kNaN, kNaN, kNaN, 1;
  auto r = Ahp(a);
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->consistent);
  ASSERT_FALSE(r->suggestions.empty());
  EXPECT_EQ(r->suggestions[0].row, 0);
  EXPECT_EQ(r->suggestions[0].col, 3);
  EXPECT_NEAR(r->suggestions[0].suggested, 8.0, 1e-6);
  EXPECT_NEAR(r->suggestions[0].cr_after, 0.0, 1e-9);
  EXPECT_LE(r->suggestions.size(), 3u);
}

TEST(AhpTest, ConsistentMatrixCompletionIsExact) {
  // From w = (6, 3, 2, 1), only a spanning tree given: the completion recovers the ratios.
  Matrix a = Matrix::Constant(4, 4, kNaN);
  for (int i = 0; i < 4; ++i) a(i, i) = 1;
  a(0, 1) = 2;
  a(1, 2) = 1.5;
  a(2, 3) = 2;
  auto r = Ahp(a);
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(r->completed_matrix(0, 3), 6.0, 1e-9);
  EXPECT_NEAR(r->weights[0], 0.5, 1e-7);
  EXPECT_NEAR(r->lambda_max, 4.0, 1e-9);
}

// Property: weights sum to 1 and are positive for random reciprocal matrices, every method.
TEST(AhpTest, PropertyWeightsSumToOne) {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> pick(0, 16);
  const double scale[17] = {1 / 9.0, 1 / 8.0, 1 / 7.0, 1 / 6.0, 1 / 5.0, 1 / 4.0,
                            1 / 3.0, 1 / 2.0, 1,       2,       3,       4,
                            5,       6,       7,       8,       9};
  for (int trial = 0; trial < 50; ++trial) {
    const int n = 3 + trial % 10;
    Matrix a = Matrix::Ones(n, n);
    for (int i = 0; i < n; ++i) {
      for (int j = i + 1; j < n; ++j) {
        a(i, j) = scale[pick(rng)];
        a(j, i) = 1 / a(i, j);
      }
    }
    for (auto method : {AhpWeightMethod::kEigenvector, AhpWeightMethod::kGeometricMean,
                        AhpWeightMethod::kArithmeticMean}) {
      AhpOptions options;
      options.weight_method = method;
      auto r = Ahp(a, options);
      ASSERT_TRUE(r.has_value());
      EXPECT_NEAR(r->weights.sum(), 1.0, 1e-12);
      EXPECT_GT(r->weights.minCoeff(), 0.0);
      EXPECT_GE(r->lambda_max, n - 1e-9);
    }
  }
}

// n = 15 (the largest any table covers) with a third of the judgments missing: the completion
// recovers a consistent matrix exactly and finishes quickly.
TEST(AhpTest, LargestIncompleteMatrix) {
  const int n = 15;
  Vector w(n);
  for (int i = 0; i < n; ++i) w[i] = 1.0 + (i * 7) % 9;
  Matrix a = Matrix::Constant(n, n, kNaN);
  for (int i = 0; i < n; ++i) {
    a(i, i) = 1;
    for (int j = i + 1; j < n; ++j) {
      if ((i + 2 * j) % 3 != 0 || j == i + 1) a(i, j) = w[i] / w[j];
    }
  }
  auto r = Ahp(a);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_FALSE(r->completed.empty());
  EXPECT_NEAR(r->lambda_max, n, 1e-9);
  EXPECT_LT((r->weights - w / w.sum()).cwiseAbs().maxCoeff(), 1e-9);
  for (const auto& c : r->completed) EXPECT_NEAR(c.value / (w[c.row] / w[c.col]), 1.0, 1e-8);
}

// Property: the completion is optimal — moving any completed value up or down (in ln) does not
// lower λmax — on an inconsistent 15×15 matrix with many missing judgments.
TEST(AhpTest, CompletionIsALambdaMaxMinimum) {
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> pick(1, 9), coin(0, 2);
  const int n = 15;
  Matrix a = Matrix::Constant(n, n, kNaN);
  for (int i = 0; i < n; ++i) {
    a(i, i) = 1;
    for (int j = i + 1; j < n; ++j) {
      if (j == i + 1 || coin(rng) != 0) {
        const int v = pick(rng);
        a(i, j) = coin(rng) != 0 ? v : 1.0 / v;
      }
    }
  }
  auto r = Ahp(a);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_GT(r->completed.size(), 20u);
  EXPECT_FALSE(r->consistent);
  EXPECT_EQ(r->suggestions.size(), 3u);
  const double best = PerronEigenvalue(r->completed_matrix);
  for (const auto& c : r->completed) {
    for (double factor : {std::exp(1e-3), std::exp(-1e-3)}) {
      Matrix moved = r->completed_matrix;
      moved(c.row, c.col) *= factor;
      moved(c.col, c.row) /= factor;
      EXPECT_GE(PerronEigenvalue(moved), best - 1e-12);
    }
  }
}

TEST(GroupAhpTest, PublishedVectors) {
  const auto data = LoadTestData("group_ahp.json");
  for (const auto& c : data["cases"]) {
    std::vector<Matrix> experts;
    for (const auto& m : c["experts"]) experts.push_back(ToMatrix(m));
    for (auto [name, aggregation] :
         {std::pair{"aij", GroupAggregation::kAij},
          std::pair{"aip-geometric", GroupAggregation::kAipGeometric},
          std::pair{"aip-arithmetic", GroupAggregation::kAipArithmetic}}) {
      SCOPED_TRACE(name);
      GroupAhpOptions options;
      options.aggregation = aggregation;
      auto r = GroupAhp(experts, options);
      ASSERT_TRUE(r.has_value()) << r.error().message;
      const Vector want = ToVector(c["expected"][name]);
      for (Eigen::Index i = 0; i < want.size(); ++i) {
        EXPECT_NEAR(r->weights[i], want[i], c["expected"]["tol"].get<double>());
      }
    }
  }
}

// Property: the AIJ of identical matrices is the matrix.
TEST(GroupAhpTest, AijOfIdenticalMatricesIsTheMatrix) {
  Matrix a(4, 4);
  a << 1, 3, 5, 7, 1 / 3.0, 1, 3, 5, 1 / 5.0, 1 / 3.0, 1, 3, 1 / 7.0, 1 / 5.0, 1 / 3.0, 1;
  GroupAhpOptions options;
  options.expert_weights = {0.5, 0.3, 0.2};
  auto r = GroupAhp({a, a, a}, options);
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(r->aggregated.has_value());
  EXPECT_LT((r->aggregated->completed_matrix - a).cwiseAbs().maxCoeff(), 1e-12);
  auto single = Ahp(a);
  EXPECT_LT((r->weights - single->weights).cwiseAbs().maxCoeff(), 1e-12);
}

TEST(GroupAhpTest, ExcludesInconsistentExperts) {
  Matrix good(3, 3);
  good << 1, 3, 5, 1 / 3.0, 1, 3, 1 / 5.0, 1 / 3.0, 1;
  Matrix bad(3, 3);
  bad << 1, 9, 1 / 9.0, 1 / 9.0, 1, 9, 9, 1 / 9.0, 1;
  GroupAhpOptions options;
  options.max_cr = 0.1;
  auto r = GroupAhp({good, bad}, options);
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->excluded, std::vector<int>{1});
  EXPECT_DOUBLE_EQ(r->used_expert_weights[1], 0.0);
  EXPECT_LT((r->weights - r->experts[0].weights).cwiseAbs().maxCoeff(), 1e-12);
  options.max_cr = 0.0;
  EXPECT_FALSE(GroupAhp({bad, bad}, options).has_value());
}

}  // namespace
}  // namespace fupin::methods
