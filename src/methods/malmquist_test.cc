#include "methods/malmquist.h"

#include <gtest/gtest.h>

#include <random>

#include "methods/test_util.h"

namespace fupin::methods {
namespace {

using testing::LoadTestData;
using testing::ToMatrix;
using testing::ToVector;

TEST(MalmquistTest, CoelliExample4) {
  const auto data = LoadTestData("malmquist.json");
  std::vector<PanelPeriod> periods;
  for (const auto& p : data["periods"]) {
    periods.push_back({ToMatrix(p["inputs"]), ToMatrix(p["outputs"])});
  }
  auto r = Malmquist(periods, Orientation::kOutput);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_EQ(r->pairs.size(), 2u);
  const double tol = data["tol"];
  const auto& p1 = r->pairs[0];
  const Vector crs1 = ToVector(data["year1_crs"]);
  const Vector vrs1 = ToVector(data["year1_vrs"]);
  const Vector crs2 = ToVector(data["year2_crs"]);
  for (Eigen::Index i = 0; i < 5; ++i) {
    EXPECT_NEAR(p1.crs_from[i], crs1[i], tol);
    EXPECT_NEAR(p1.vrs_from[i], vrs1[i], tol);
    EXPECT_NEAR(p1.crs_to[i], crs2[i], tol);
  }
  for (size_t i = 0; i < 5; ++i) {
    SCOPED_TRACE(i + 1);
    const auto& want = data["pair1"][i];
    const auto& m = p1.dmus[i];
    EXPECT_NEAR(m.effch, want[0].get<double>(), tol);
    EXPECT_NEAR(m.techch, want[1].get<double>(), tol);
    EXPECT_NEAR(m.pech, want[2].get<double>(), tol);
    EXPECT_NEAR(m.sech, want[3].get<double>(), tol);
    EXPECT_NEAR(m.tfpch, want[4].get<double>(), tol);
  }
  const auto& means = data["pair1_means"];
  EXPECT_NEAR(p1.means.effch, means[0].get<double>(), tol);
  EXPECT_NEAR(p1.means.techch, means[1].get<double>(), tol);
  EXPECT_NEAR(p1.means.pech, means[2].get<double>(), tol);
  EXPECT_NEAR(p1.means.sech, means[3].get<double>(), tol);
  EXPECT_NEAR(p1.means.tfpch, means[4].get<double>(), tol);
  for (const auto& m : r->pairs[1].dmus) {
    EXPECT_NEAR(m.effch, 1.0, 1e-9);
    EXPECT_NEAR(m.techch, 1.0, 1e-9);
    EXPECT_NEAR(m.tfpch, 1.0, 1e-9);
  }
}

// Property: tfpch = effch × techch and effch = pech × sech, both orientations, random panel.
TEST(MalmquistTest, Decomposition) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(1.0, 20.0);
  std::vector<PanelPeriod> periods(3);
  for (auto& p : periods) {
    p.inputs.resize(15, 2);
    p.outputs.resize(15, 2);
    for (Eigen::Index i = 0; i < 15; ++i) {
      for (Eigen::Index j = 0; j < 2; ++j) {
        p.inputs(i, j) = u(rng);
        p.outputs(i, j) = u(rng);
      }
    }
  }
  for (auto orientation : {Orientation::kInput, Orientation::kOutput}) {
    auto r = Malmquist(periods, orientation);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    for (const auto& pair : r->pairs) {
      for (const auto& m : pair.dmus) {
        EXPECT_NEAR(m.tfpch, m.effch * m.techch, 1e-12);
        EXPECT_NEAR(m.effch, m.pech * m.sech, 1e-12);
      }
      EXPECT_NEAR(pair.means.tfpch, pair.means.effch * pair.means.techch, 1e-9);
    }
  }
  periods[1].inputs.conservativeResize(14, 2);
  EXPECT_FALSE(Malmquist(periods).has_value());
}

}  // namespace
}  // namespace fupin::methods
