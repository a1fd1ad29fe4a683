#include "methods/weights.h"

#include <gtest/gtest.h>

#include <random>

#include "methods/test_util.h"

namespace fupin::methods {
namespace {

using testing::LoadTestData;
using testing::ToMatrix;
using testing::ToVector;

std::vector<bool> Cost(const nlohmann::json& j) {
  std::vector<bool> out;
  for (const auto& v : j) out.push_back(v.get<bool>());
  return out;
}

void ExpectVectorNear(const Vector& got, const Vector& want, double tol) {
  ASSERT_EQ(got.size(), want.size());
  for (Eigen::Index i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], tol) << "index " << i;
}

TEST(EntropyTest, ReferenceVectors) {
  const auto data = LoadTestData("weights.json");
  const Matrix x = ToMatrix(data["data"]);
  const double tol = data["tol"];
  struct Case {
    const char* key;
    EntropyNormalization normalization;
    ZeroHandling zero;
  };
  for (const Case& c : {Case{"minmax_ignore", EntropyNormalization::kMinMax, ZeroHandling::kIgnore},
                        Case{"minmax_shift", EntropyNormalization::kMinMax, ZeroHandling::kShift},
                        Case{"none_ignore", EntropyNormalization::kNone, ZeroHandling::kIgnore}}) {
    SCOPED_TRACE(c.key);
    EntropyOptions options;
    options.normalization = c.normalization;
    options.zero = c.zero;
    options.cost = Cost(data["cost"]);
    auto r = EntropyWeights(x, options);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    ExpectVectorNear(r->weights, ToVector(data["entropy"][c.key]["weights"]), tol);
    ExpectVectorNear(r->entropy, ToVector(data["entropy"][c.key]["entropy"]), tol);
  }
}

TEST(EntropyTest, NegativeRawDataNeedsShift) {
  Matrix x(3, 2);
  x << 1, -2, 2, 3, 3, 4;
  EntropyOptions options;
  options.normalization = EntropyNormalization::kNone;
  auto r = EntropyWeights(x, options);
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().details.size(), 1u);
  EXPECT_EQ(r.error().details[0].row, 1);
  EXPECT_EQ(r.error().details[0].column, "#2");
  options.zero = ZeroHandling::kShift;
  auto shifted = EntropyWeights(x, options);
  ASSERT_TRUE(shifted.has_value());
  EXPECT_NEAR(shifted->weights.sum(), 1.0, 1e-12);
}

TEST(EntropyTest, ConstantColumnGetsZeroWeight) {
  Matrix x(4, 3);
  x << 1, 5, 2, 2, 5, 9, 3, 5, 4, 4, 5, 1;
  auto r = EntropyWeights(x);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->weights[1], 0.0);
  EXPECT_NEAR(r->weights.sum(), 1.0, 1e-12);
}

TEST(CriticTest, ReferenceVector) {
  const auto data = LoadTestData("weights.json");
  auto r = CriticWeights(ToMatrix(data["data"]), Cost(data["cost"]));
  ASSERT_TRUE(r.has_value());
  ExpectVectorNear(r->weights, ToVector(data["critic"]), data["tol"]);
}

TEST(CvTest, ReferenceVector) {
  const auto data = LoadTestData("weights.json");
  auto r = CvWeights(ToMatrix(data["data"]));
  ASSERT_TRUE(r.has_value());
  ExpectVectorNear(r->weights, ToVector(data["cv"]), data["tol"]);
  Matrix zero_mean(2, 1);
  zero_mean << -1, 1;
  EXPECT_FALSE(CvWeights(zero_mean).has_value());
}

TEST(CombineTest, LinearAndMultiplicative) {
  auto linear = CombineLinear({0.5, 0.3, 0.2}, {0.2, 0.2, 0.6}, 0.5);
  ASSERT_TRUE(linear.has_value());
  ExpectVectorNear(*linear, Vector{{0.35, 0.25, 0.4}}, 1e-12);
  auto mult = CombineMultiplicative({0.5, 0.3, 0.2}, {0.2, 0.2, 0.6});
  ASSERT_TRUE(mult.has_value());
  // products 0.10, 0.06, 0.12 → / 0.28
  ExpectVectorNear(*mult, Vector{{0.10 / 0.28, 0.06 / 0.28, 0.12 / 0.28}}, 1e-12);
  EXPECT_FALSE(CombineLinear({0.5, 0.5}, {1.0}, 0.5).has_value());
  EXPECT_FALSE(CombineLinear({0.5, 0.5}, {0.5, 0.5}, 1.5).has_value());
}

// Property: every objective weighting sums to 1 with non-negative weights on random data.
TEST(WeightsProperty, SumToOne) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(1.0, 100.0);
  for (int trial = 0; trial < 30; ++trial) {
    Matrix x(3 + trial % 7, 2 + trial % 5);
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      for (Eigen::Index j = 0; j < x.cols(); ++j) x(i, j) = u(rng);
    std::vector<bool> cost(static_cast<size_t>(x.cols()), false);
    cost[0] = true;
    EntropyOptions eo;
    eo.cost = cost;
    auto e = EntropyWeights(x, eo);
    auto c = CriticWeights(x, cost);
    auto v = CvWeights(x);
    ASSERT_TRUE(e && c && v);
    for (const Vector* w : {&e->weights, &c->weights, &v->weights}) {
      EXPECT_NEAR(w->sum(), 1.0, 1e-12);
      EXPECT_GE(w->minCoeff(), 0.0);
    }
  }
}

}  // namespace
}  // namespace fupin::methods
