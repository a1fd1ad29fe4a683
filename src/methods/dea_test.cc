#include "methods/dea.h"

#include <gtest/gtest.h>

#include <random>

#include "methods/lp_solver.h"
#include "methods/test_util.h"

namespace fupin::methods {
namespace {

using testing::LoadTestData;
using testing::ToMatrix;
using testing::ToVector;

class DeaCoelliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = LoadTestData("dea.json");
    x_ = ToMatrix(data_["inputs"]);
    y_ = ToMatrix(data_["outputs"]);
  }
  nlohmann::json data_;
  Matrix x_, y_;
};

TEST_F(DeaCoelliTest, CrsInput) {
  DeaOptions options;
  options.super_efficiency = true;
  auto r = Dea(x_, y_, options);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const auto& e = data_["crs_input"];
  for (int o = 0; o < 5; ++o) {
    SCOPED_TRACE(o + 1);
    const auto& d = r->dmus[static_cast<size_t>(o)];
    EXPECT_NEAR(d.efficiency, e["efficiency"][o].get<double>(), 1e-9);
    EXPECT_EQ(DeaClassName(d.classification), e["classification"][o].get<std::string>());
    const Vector slacks = ToVector(e["input_slacks"][o]);
    EXPECT_NEAR(d.input_slacks[0], slacks[0], 1e-9);
    EXPECT_NEAR(d.input_slacks[1], slacks[1], 1e-9);
    EXPECT_NEAR(d.output_slacks[0], 0.0, 1e-9);
    const auto& peers = e["peers"][o];
    ASSERT_EQ(d.peers.size(), peers.size());
    for (size_t p = 0; p < peers.size(); ++p) {
      EXPECT_EQ(d.peers[p].dmu, peers[p][0].get<int>());
      EXPECT_NEAR(d.peers[p].lambda, peers[p][1].get<double>(), 1e-9);
    }
    ASSERT_TRUE(d.super_efficiency.has_value());
    EXPECT_NEAR(*d.super_efficiency, e["super_efficiency"][o].get<double>(), 1e-9);
  }
  double mean = 0;
  for (const auto& d : r->dmus) mean += d.efficiency / 5;
  EXPECT_NEAR(mean, 0.810, 5e-4);
}

TEST_F(DeaCoelliTest, VrsInputWithInfeasibleSuperEfficiency) {
  DeaOptions options;
  options.rts = ReturnsToScale::kVrs;
  options.super_efficiency = true;
  auto r = Dea(x_, y_, options);
  ASSERT_TRUE(r.has_value());
  const auto& e = data_["vrs_input"];
  for (int o = 0; o < 5; ++o) {
    SCOPED_TRACE(o + 1);
    const auto& d = r->dmus[static_cast<size_t>(o)];
    EXPECT_NEAR(d.efficiency, e["efficiency"][o].get<double>(), 1e-9);
    EXPECT_EQ(DeaClassName(d.classification), e["classification"][o].get<std::string>());
    if (e["super_efficiency"][o].is_null()) {
      EXPECT_FALSE(d.super_feasible);
      EXPECT_FALSE(d.super_efficiency.has_value());
    } else {
      EXPECT_TRUE(d.super_feasible);
      EXPECT_NEAR(*d.super_efficiency, e["super_efficiency"][o].get<double>(), 1e-9);
    }
  }
}

TEST_F(DeaCoelliTest, VrsOutputReportsPhiAndItsInverse) {
  DeaOptions options;
  options.rts = ReturnsToScale::kVrs;
  options.orientation = Orientation::kOutput;
  auto r = Dea(x_, y_, options);
  ASSERT_TRUE(r.has_value());
  for (int o = 0; o < 5; ++o) {
    const auto& d = r->dmus[static_cast<size_t>(o)];
    EXPECT_NEAR(d.efficiency, data_["vrs_output"]["efficiency"][o].get<double>(), 1e-9);
    EXPECT_NEAR(d.score * d.efficiency, 1.0, 1e-12);
    EXPECT_GE(d.score, 1.0 - 1e-12);
  }
}

TEST_F(DeaCoelliTest, ScaleEfficiency) {
  DeaOptions options;
  options.scale = true;
  auto r = Dea(x_, y_, options);
  ASSERT_TRUE(r.has_value());
  // VRS scores are all 1, so SE equals the CRS score; firm 1 (smallest) has irs, firm 3 drs.
  EXPECT_NEAR(*r->dmus[0].scale_efficiency, 0.5, 1e-9);
  EXPECT_EQ(*r->dmus[0].scale_type, ScaleType::kIrs);
  EXPECT_EQ(*r->dmus[1].scale_type, ScaleType::kCrs);
  EXPECT_EQ(*r->dmus[2].scale_type, ScaleType::kDrs);
}

TEST_F(DeaCoelliTest, RescalingMakesUnitsIrrelevant) {
  DeaOptions options;
  options.rts = ReturnsToScale::kVrs;
  auto base = Dea(x_, y_, options);
  Matrix big_x = x_ * 1e9;
  big_x.col(1) *= 1e-12;
  auto scaled = Dea(big_x, y_ * 1e6, options);
  ASSERT_TRUE(base && scaled);
  for (size_t o = 0; o < 5; ++o) {
    EXPECT_NEAR(base->dmus[o].efficiency, scaled->dmus[o].efficiency, 1e-9);
  }
  EXPECT_NEAR(scaled->dmus[0].input_slacks[0], 0.0, 1e-3);
}

TEST(DeaTest, RejectsNegativeDataNamingTheCell) {
  Matrix x(2, 1), y(2, 1);
  x << 1, 2;
  y << 1, -3;
  auto r = Dea(x, y);
  ASSERT_FALSE(r.has_value());
  ASSERT_EQ(r.error().details.size(), 1u);
  EXPECT_EQ(r.error().details[0].row, 2);
  EXPECT_EQ(r.error().details[0].column, "#2");
}

// Properties on random data: input-oriented scores in (0, 1], CRS ≤ NIRS ≤ VRS, at least one
// efficient DMU, slacks non-negative, and column generation agrees with a direct evaluation.
TEST(DeaTest, PropertiesOnRandomData) {
  std::mt19937 rng(2024);
  std::uniform_real_distribution<double> u(1.0, 50.0);
  const int n = 120;
  Matrix x(n, 3), y(n, 2);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 3; ++j) x(i, j) = u(rng);
    for (int j = 0; j < 2; ++j) y(i, j) = u(rng);
  }
  DeaOptions crs, vrs, nirs;
  vrs.rts = ReturnsToScale::kVrs;
  nirs.rts = ReturnsToScale::kNirs;
  auto c = Dea(x, y, crs);
  auto v = Dea(x, y, vrs);
  auto ni = Dea(x, y, nirs);
  ASSERT_TRUE(c && v && ni);
  auto direct = DeaEfficiencyAgainst(x, y, x, y, ReturnsToScale::kCrs, Orientation::kInput);
  auto direct_v = DeaEfficiencyAgainst(x, y, x, y, ReturnsToScale::kVrs, Orientation::kInput);
  ASSERT_TRUE(direct && direct_v);
  int efficient = 0;
  for (int o = 0; o < n; ++o) {
    const auto k = static_cast<size_t>(o);
    const double e = c->dmus[k].efficiency;
    EXPECT_GT(e, 0.0);
    EXPECT_LE(e, 1.0 + 1e-9);
    EXPECT_LE(e, ni->dmus[k].efficiency + 1e-9);
    EXPECT_LE(ni->dmus[k].efficiency, v->dmus[k].efficiency + 1e-9);
    EXPECT_NEAR(e, *(*direct)[k], 1e-8);
    EXPECT_NEAR(v->dmus[k].efficiency, *(*direct_v)[k], 1e-8);
    EXPECT_GE(c->dmus[k].input_slacks.minCoeff(), 0.0);
    if (c->dmus[k].classification == DeaClass::kEfficient) ++efficient;
  }
  EXPECT_GE(efficient, 1);
}

// Properties in both orientations and all three models: efficiencies in (0, 1] with
// CRS ≤ NIRS ≤ VRS, column generation equal to the full reference set, and the reported
// peers and slacks reproducing the projection (Σ λ x + s⁻ = θ x_o, Σ λ y − s⁺ = y_o for input
// orientation; Σ λ x + s⁻ = x_o, Σ λ y − s⁺ = φ y_o for output orientation).
TEST(DeaTest, PeersAndSlacksReproduceTheProjection) {
  std::mt19937 rng(99);
  std::uniform_real_distribution<double> u(1.0, 1000.0);
  const int n = 80;
  Matrix x(n, 2), y(n, 3);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 2; ++j) x(i, j) = u(rng);
    for (int j = 0; j < 3; ++j) y(i, j) = u(rng) * 1e6;
  }
  x.row(5) = x.row(4);  // duplicate DMUs
  y.row(5) = y.row(4);
  for (auto orientation : {Orientation::kInput, Orientation::kOutput}) {
    std::vector<double> previous(n, 0.0);
    for (auto rts : {ReturnsToScale::kCrs, ReturnsToScale::kNirs, ReturnsToScale::kVrs}) {
      DeaOptions options;
      options.rts = rts;
      options.orientation = orientation;
      auto r = Dea(x, y, options);
      ASSERT_TRUE(r.has_value());
      auto direct = DeaEfficiencyAgainst(x, y, x, y, rts, orientation);
      ASSERT_TRUE(direct.has_value());
      for (int o = 0; o < n; ++o) {
        const auto& d = r->dmus[static_cast<size_t>(o)];
        EXPECT_GT(d.efficiency, 0.0);
        EXPECT_LE(d.efficiency, 1.0 + 1e-9);
        EXPECT_GE(d.efficiency, previous[static_cast<size_t>(o)] - 1e-9);
        previous[static_cast<size_t>(o)] = d.efficiency;
        EXPECT_NEAR(d.efficiency, *(*direct)[static_cast<size_t>(o)], 1e-8);
        Vector px = Vector::Zero(2), py = Vector::Zero(3);
        double lambda_sum = 0;
        for (const auto& p : d.peers) {
          px += p.lambda * x.row(p.dmu).transpose();
          py += p.lambda * y.row(p.dmu).transpose();
          lambda_sum += p.lambda;
        }
        const double in_scale = orientation == Orientation::kInput ? d.score : 1.0;
        const double out_scale = orientation == Orientation::kOutput ? d.score : 1.0;
        for (int i = 0; i < 2; ++i) {
          EXPECT_NEAR((px[i] + d.input_slacks[i]) / (in_scale * x(o, i)), 1.0, 1e-6);
        }
        for (int k = 0; k < 3; ++k) {
          EXPECT_NEAR((py[k] - d.output_slacks[k]) / (out_scale * y(o, k)), 1.0, 1e-6);
        }
        if (rts == ReturnsToScale::kVrs) {
          EXPECT_NEAR(lambda_sum, 1.0, 1e-6);
        }
        if (rts == ReturnsToScale::kNirs) {
          EXPECT_LE(lambda_sum, 1.0 + 1e-6);
        }
      }
    }
  }
}

// Property: super-efficiency of DMU o equals its efficiency against the other DMUs (computed by
// removing it from the data), infeasible exactly when that is; ≥ 1 for efficient DMUs.
TEST(DeaTest, SuperEfficiencyEqualsEfficiencyAgainstTheOthers) {
  std::mt19937 rng(17);
  std::uniform_real_distribution<double> u(1.0, 100.0);
  const int n = 40;
  Matrix x(n, 2), y(n, 2);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 2; ++j) {
      x(i, j) = u(rng);
      y(i, j) = u(rng);
    }
  }
  for (auto orientation : {Orientation::kInput, Orientation::kOutput}) {
    for (auto rts : {ReturnsToScale::kCrs, ReturnsToScale::kVrs}) {
      DeaOptions options;
      options.rts = rts;
      options.orientation = orientation;
      options.super_efficiency = true;
      auto r = Dea(x, y, options);
      ASSERT_TRUE(r.has_value());
      int checked = 0;
      for (int o = 0; o < n; ++o) {
        const auto& d = r->dmus[static_cast<size_t>(o)];
        if (d.efficiency < 1 - 1e-6) continue;
        Matrix ox(n - 1, 2), oy(n - 1, 2);
        for (int i = 0, k = 0; i < n; ++i) {
          if (i == o) continue;
          ox.row(k) = x.row(i);
          oy.row(k++) = y.row(i);
        }
        auto against = DeaEfficiencyAgainst(ox, oy, x.row(o), y.row(o), rts, orientation);
        ASSERT_TRUE(against.has_value());
        const auto& want = (*against)[0];
        EXPECT_EQ(d.super_feasible, want.has_value()) << "DMU " << o;
        if (want && d.super_efficiency) {
          EXPECT_NEAR(*d.super_efficiency, *want, 1e-8);
          EXPECT_GE(*d.super_efficiency, 1.0 - 1e-9);
        }
        ++checked;
      }
      EXPECT_GT(checked, 0);
    }
  }
}

// Independent check of the column generation and of the penalized self column: the same
// envelopment LPs written out in full (every DMU a column) with LpSolver directly.
double FullLpScore(const Matrix& x, const Matrix& y, const Vector& xo, const Vector& yo,
                   ReturnsToScale rts, Orientation orientation, bool* feasible) {
  const auto n = x.rows(), m = x.cols(), s = y.cols();
  const bool convex = rts != ReturnsToScale::kCrs;
  std::vector<double> lo, up;
  for (Eigen::Index i = 0; i < m; ++i) {
    lo.push_back(-kLpInfinity);
    up.push_back(orientation == Orientation::kInput ? 0.0 : xo[i]);
  }
  for (Eigen::Index r = 0; r < s; ++r) {
    lo.push_back(orientation == Orientation::kInput ? yo[r] : 0.0);
    up.push_back(kLpInfinity);
  }
  if (convex) {
    lo.push_back(rts == ReturnsToScale::kVrs ? 1.0 : -kLpInfinity);
    up.push_back(1.0);
  }
  auto lp = MakeLpSolver();
  lp->Reset(lo, up);
  std::vector<double> col(lo.size(), 0.0);
  for (Eigen::Index i = 0; i < m; ++i) col[i] = orientation == Orientation::kInput ? -xo[i] : 0.0;
  for (Eigen::Index r = 0; r < s; ++r) {
    col[m + r] = orientation == Orientation::kOutput ? -yo[r] : 0.0;
  }
  if (convex) col.back() = 0.0;
  lp->AddColumn(0.0, kLpInfinity, orientation == Orientation::kInput ? 1.0 : -1.0, col);
  for (Eigen::Index j = 0; j < n; ++j) {
    for (Eigen::Index i = 0; i < m; ++i) col[i] = x(j, i);
    for (Eigen::Index r = 0; r < s; ++r) col[m + r] = y(j, r);
    if (convex) col.back() = 1.0;
    lp->AddColumn(0.0, kLpInfinity, 0.0, col);
  }
  const LpStatus status = lp->Solve();
  *feasible = status == LpStatus::kOptimal && lp->Primal()[0] > 0;
  return *feasible ? lp->Primal()[0] : 0.0;
}

TEST(DeaTest, ColumnGenerationMatchesTheFullLp) {
  std::mt19937 rng(31);
  std::uniform_real_distribution<double> u(1.0, 10.0);
  const int n = 60;
  Matrix x(n, 3), y(n, 2), x2(n, 3), y2(n, 2);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < 3; ++j) {
      x(i, j) = u(rng);
      x2(i, j) = u(rng);
    }
    for (int j = 0; j < 2; ++j) {
      y(i, j) = u(rng);
      y2(i, j) = 1.3 * u(rng);
    }
  }
  for (auto orientation : {Orientation::kInput, Orientation::kOutput}) {
    for (auto rts : {ReturnsToScale::kCrs, ReturnsToScale::kVrs, ReturnsToScale::kNirs}) {
      DeaOptions options;
      options.rts = rts;
      options.orientation = orientation;
      auto r = Dea(x, y, options);
      ASSERT_TRUE(r.has_value());
      // Cross-period: period-2 points against the period-1 technology.
      auto cross = DeaEfficiencyAgainst(x, y, x2, y2, rts, orientation);
      ASSERT_TRUE(cross.has_value());
      for (int o = 0; o < n; ++o) {
        bool feasible = false;
        const double score = FullLpScore(x, y, x.row(o).transpose(), y.row(o).transpose(), rts,
                                         orientation, &feasible);
        ASSERT_TRUE(feasible);
        EXPECT_NEAR(r->dmus[static_cast<size_t>(o)].score, score, 1e-7);
        const double cross_score = FullLpScore(x, y, x2.row(o).transpose(), y2.row(o).transpose(),
                                               rts, orientation, &feasible);
        const auto& got = (*cross)[static_cast<size_t>(o)];
        EXPECT_EQ(got.has_value(), feasible) << "point " << o;
        if (got && feasible) {
          const double want = orientation == Orientation::kInput ? cross_score : 1 / cross_score;
          EXPECT_NEAR(*got, want, 1e-7 * std::max(1.0, want));
        }
      }
    }
  }
}

}  // namespace
}  // namespace fupin::methods
