#include "methods/mpi.h"

#include <gtest/gtest.h>

#include <random>

#include "methods/test_util.h"

namespace fupin::methods {
namespace {

using testing::LoadTestData;
using testing::ToMatrix;
using testing::ToVector;

TEST(MpiTest, PublishedVector) {
  const auto data = LoadTestData("mpi.json");
  const Matrix g = ToMatrix(data["deprivations"]);
  for (const auto& c : data["cases"]) {
    SCOPED_TRACE(c["k"].get<double>());
    MpiOptions options;
    options.k = c["k"];
    auto r = AlkireFoster(g, options);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_NEAR(r->H, c["H"].get<double>(), 1e-12);
    EXPECT_NEAR(r->A, c["A"].get<double>(), 1e-12);
    EXPECT_NEAR(r->M0, c["M0"].get<double>(), 1e-12);
    for (const char* key : {"censored", "uncensored", "contributions"}) {
      if (!c.contains(key)) continue;
      const Vector want = ToVector(c[key]);
      const Vector& got = std::string(key) == "censored"     ? r->censored_headcounts
                          : std::string(key) == "uncensored" ? r->uncensored_headcounts
                                                             : r->contributions;
      for (Eigen::Index j = 0; j < want.size(); ++j) EXPECT_NEAR(got[j], want[j], 1e-12) << key;
    }
  }
}

TEST(MpiTest, CutoffToleranceAndRange) {
  Matrix g(1, 3);
  g << 1, 0, 0;
  MpiOptions options;
  options.k = 1.0 / 3.0;  // score 1/3 computed as a sum of thirds must count as poor
  auto r = AlkireFoster(g, options);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->H, 1.0);
  options.k = 0.0;
  EXPECT_FALSE(AlkireFoster(g, options).has_value());
  options.k = 1.5;
  EXPECT_FALSE(AlkireFoster(g, options).has_value());
  g << 1, 2, 0;
  options.k = 0.5;
  auto bad = AlkireFoster(g, options);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().details[0].column, "#2");
}

TEST(MpiTest, GroupsAndSamplingWeights) {
  const Matrix g = ToMatrix(LoadTestData("mpi.json")["deprivations"]);
  MpiOptions options;
  options.k = 0.5;
  options.groups = {0, 0, 1, 1};
  options.group_count = 2;
  auto r = AlkireFoster(g, options);
  ASSERT_TRUE(r.has_value());
  // Group 0: people 1 (c 0) and 2 (c 0.5): H 0.5, A 0.5; group 1: people 3 (c 1), 4 (0.25).
  EXPECT_NEAR(r->groups[0].M0, 0.25, 1e-12);
  EXPECT_NEAR(r->groups[1].M0, 0.5, 1e-12);
  EXPECT_NEAR(r->groups[0].contribution + r->groups[1].contribution, 1.0, 1e-12);
  // A sampling weight of 2 is the same as the row appearing twice.
  options.groups.clear();
  options.group_count = 0;
  options.sampling_weights = {1, 2, 1, 1};
  auto weighted = AlkireFoster(g, options);
  Matrix dup(5, 4);
  dup << g.row(0), g.row(1), g.row(1), g.row(2), g.row(3);
  MpiOptions plain;
  plain.k = 0.5;
  auto duplicated = AlkireFoster(dup, plain);
  ASSERT_TRUE(weighted && duplicated);
  EXPECT_NEAR(weighted->M0, duplicated->M0, 1e-12);
  EXPECT_NEAR(weighted->H, duplicated->H, 1e-12);
}

// Property: M0 = H × A = Σ w_j h_j, contributions sum to 1.
TEST(MpiTest, PropertyM0IsHTimesA) {
  std::mt19937 rng(11);
  std::bernoulli_distribution dep(0.35);
  for (int trial = 0; trial < 20; ++trial) {
    Matrix g(50, 6);
    for (Eigen::Index i = 0; i < g.rows(); ++i)
      for (Eigen::Index j = 0; j < g.cols(); ++j) g(i, j) = dep(rng) ? 1 : 0;
    MpiOptions options;
    options.weights = {1, 1, 2, 2, 3, 3};
    options.k = 0.1 + 0.045 * trial;
    auto r = AlkireFoster(g, options);
    ASSERT_TRUE(r.has_value());
    EXPECT_NEAR(r->M0, r->H * r->A, 1e-12);
    EXPECT_NEAR(r->M0, r->weights.dot(r->censored_headcounts), 1e-12);
    if (r->M0 > 0) {
      EXPECT_NEAR(r->contributions.sum(), 1.0, 1e-12);
    }
  }
}

}  // namespace
}  // namespace fupin::methods
