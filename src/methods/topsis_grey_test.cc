#include <gtest/gtest.h>

#include "methods/grey.h"
#include "methods/test_util.h"
#include "methods/topsis.h"

namespace fupin::methods {
namespace {

using testing::LoadTestData;
using testing::ToMatrix;
using testing::ToStdVector;
using testing::ToVector;

TEST(TopsisTest, OpricovicTzeng) {
  const auto data = LoadTestData("topsis.json");
  for (auto [key, normalization] : {std::pair{"minmax", TopsisNormalization::kMinMax},
                                    std::pair{"vector", TopsisNormalization::kVector}}) {
    SCOPED_TRACE(key);
    TopsisOptions options;
    options.normalization = normalization;
    options.weights = ToStdVector(data["weights"]);
    options.cost = {true, false};
    auto r = Topsis(ToMatrix(data["data"]), options);
    ASSERT_TRUE(r.has_value());
    const Vector want = ToVector(data[key]["closeness"]);
    for (Eigen::Index i = 0; i < want.size(); ++i) {
      EXPECT_NEAR(r->closeness[i], want[i], data[key]["tol"].get<double>());
    }
    EXPECT_EQ(r->rank, data[key]["rank"].get<std::vector<int>>());
  }
}

TEST(TopsisTest, ConstantColumnsGiveNoNaN) {
  Matrix x(3, 2);
  x << 5, 0, 5, 0, 5, 0;
  for (auto normalization : {TopsisNormalization::kVector, TopsisNormalization::kMinMax}) {
    TopsisOptions options;
    options.normalization = normalization;
    auto r = Topsis(x, options);
    ASSERT_TRUE(r.has_value());
    for (Eigen::Index i = 0; i < 3; ++i) EXPECT_EQ(r->closeness[i], 0.5);
    EXPECT_EQ(r->rank, (std::vector<int>{1, 1, 1}));
  }
}

TEST(TopsisTest, TiesShareTheBestRank) {
  Matrix x(4, 1);
  x << 3, 3, 1, 2;
  auto r = Topsis(x);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->rank, (std::vector<int>{1, 1, 4, 3}));
}

TEST(GreyTest, ReferenceVectors) {
  const auto data = LoadTestData("weights.json");
  for (auto [key, pre] : {std::pair{"grey_minmax", GreyPreprocessing::kMinMax},
                          std::pair{"grey_mean", GreyPreprocessing::kMean}}) {
    SCOPED_TRACE(key);
    GreyOptions options;
    options.preprocessing = pre;
    options.cost = {false, false, false, true};
    auto r = GreyRelational(ToMatrix(data["data"]), options);
    ASSERT_TRUE(r.has_value());
    const Vector want = ToVector(data[key]);
    for (Eigen::Index i = 0; i < want.size(); ++i) EXPECT_NEAR(r->grades[i], want[i], 1e-10);
    EXPECT_EQ(r->rank[2], 1);
  }
}

TEST(GreyTest, InitialValueAndChecks) {
  Matrix x(3, 2);
  x << 2, 4, 4, 2, 1, 8;
  GreyOptions options;
  options.preprocessing = GreyPreprocessing::kInitialValue;
  auto r = GreyRelational(x, options);
  ASSERT_TRUE(r.has_value());
  // z = [[1,1],[2,0.5],[0.5,2]]; reference (2, 2); Δ = [[1,1],[0,1.5],[1.5,0]]; Δmin 0, Δmax 1.5
  const double k = 0.75;
  EXPECT_NEAR(r->coefficients(0, 0), k / (1 + k), 1e-12);
  EXPECT_NEAR(r->coefficients(1, 0), 1.0, 1e-12);
  EXPECT_NEAR(r->grades[1], 0.5 * (1.0 + k / (1.5 + k)), 1e-12);
  EXPECT_EQ(r->rank[1], 1);
  EXPECT_EQ(r->rank[2], 1);
  options.rho = 0;
  EXPECT_FALSE(GreyRelational(x, options).has_value());
}

}  // namespace
}  // namespace fupin::methods
