#include "methods/reliability.h"

#include <gtest/gtest.h>

#include "methods/test_util.h"

namespace fupin::methods {
namespace {

using testing::LoadTestData;
using testing::ToMatrix;
using testing::ToVector;

TEST(AlphaTest, PublishedVector) {
  const auto data = LoadTestData("reliability.json")["alpha"];
  auto r = CronbachAlpha(ToMatrix(data["items"]));
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(r->alpha, data["alpha"].get<double>(), 1e-12);
  EXPECT_NEAR(r->standardized_alpha, data["standardized_alpha"].get<double>(),
              data["tol"].get<double>());
  EXPECT_EQ(r->item_total_correlation.size(), 3);
  // α if item deleted equals α of the two remaining items.
  const Matrix x = ToMatrix(data["items"]);
  Matrix two(x.rows(), 2);
  two << x.col(1), x.col(2);
  EXPECT_NEAR(r->alpha_if_deleted[0], CronbachAlpha(two)->alpha, 1e-12);
}

TEST(AlphaTest, IdenticalItemsGiveOne) {
  Matrix x(5, 3);
  x << 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 2, 2, 2;
  auto r = CronbachAlpha(x);
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(r->alpha, 1.0, 1e-12);
  EXPECT_NEAR(r->standardized_alpha, 1.0, 1e-12);
  EXPECT_NEAR(r->item_total_correlation[0], 1.0, 1e-12);
  EXPECT_FALSE(CronbachAlpha(Matrix::Ones(4, 3)).has_value());
}

TEST(KmoTest, ReferenceVector) {
  const auto data = LoadTestData("reliability.json")["kmo"];
  auto r = KmoBartlett(ToMatrix(data["items"]));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const double tol = data["tol"];
  EXPECT_NEAR(r->kmo, data["kmo"].get<double>(), tol);
  const Vector msa = ToVector(data["msa"]);
  for (Eigen::Index j = 0; j < msa.size(); ++j) EXPECT_NEAR(r->msa[j], msa[j], tol);
  EXPECT_NEAR(r->chi2, data["chi2"].get<double>(), tol);
  EXPECT_EQ(r->df, data["df"].get<int>());
  EXPECT_NEAR(r->p / data["p"].get<double>(), 1.0, 1e-6);
}

TEST(KmoTest, SingularCorrelationIsAnError) {
  Matrix x(5, 3);
  x << 1, 2, 3, 2, 1, 3, 3, 5, 8, 4, 4, 8, 5, 1, 6;  // column 3 = column 1 + column 2
  EXPECT_FALSE(KmoBartlett(x).has_value());
}

}  // namespace
}  // namespace fupin::methods
