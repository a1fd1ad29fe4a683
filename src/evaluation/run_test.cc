#include "evaluation/run.h"

#include <gtest/gtest.h>

#include "evaluation/run_json.h"
#include "methods/topsis.h"

namespace fupin::evaluation {
namespace {

// Root (0.6 a, 0.4 b); a is one leaf, b two leaves (0.5 each); three objects.
RunSnapshot Three() {
  RunSnapshot s;
  s.grades = {{"优秀", 95, {}}, {"良好", 85, {}}, {"一般", 70, {}}, {"较差", 50, {}}};
  auto node = [](const char* key, const char* parent, double weight) {
    SnapshotNode n;
    n.key = key;
    n.parent = parent;
    n.name = key;
    n.weight = weight;
    n.source = LeafSource::kExpert;
    return n;
  };
  s.nodes = {node("r", "", 1),    node("a", "r", 0.6),  node("a1", "a", 1),
             node("b", "r", 0.4), node("b1", "b", 0.5), node("b2", "b", 0.5)};
  auto object = [](const char* code, std::vector<std::vector<double>> rows) {
    RunObject o;
    o.code = code;
    o.name = code;
    for (auto& r : rows) {
      LeafInput in;
      in.membership = std::move(r);
      in.origin = "membership";
      o.leaves.push_back(std::move(in));
    }
    return o;
  };
  s.objects = {object("x", {{1, 0, 0, 0}, {0, 0, 1, 0}, {0, 0, 1, 0}}),
               object("y", {{0, 1, 0, 0}, {0, 1, 0, 0}, {0, 1, 0, 0}}),
               object("z", {{0, 0, 1, 0}, {1, 0, 0, 0}, {1, 0, 0, 0}})};
  s.period = "2020";
  s.sensitivity = {100, 0.1, 3};
  return s;
}

TEST(RunTest, RanksByScoreTopsisOrGreyOverTheLeafScores) {
  RunSnapshot s = Three();
  auto by_score = Compute(s);
  ASSERT_TRUE(by_score.has_value()) << by_score.error().message;
  // x: 0.6·95 + 0.4·70 = 85; y: 85; z: 0.6·70 + 0.4·95 = 80.
  EXPECT_NEAR(by_score->ranking_values[0], 85, 1e-9);
  EXPECT_EQ(by_score->ranks, (std::vector<int>{1, 1, 3}));

  s.ranking = Ranking::kTopsis;
  auto topsis = Compute(s);
  ASSERT_TRUE(topsis.has_value());
  // The same as TOPSIS of the leaf scores with the global weights (0.6, 0.2, 0.2).
  methods::Matrix x(3, 3);
  x << 95, 70, 70, 85, 85, 85, 70, 95, 95;
  methods::TopsisOptions to;
  to.weights = {0.6, 0.2, 0.2};
  auto direct = methods::Topsis(x, to);
  ASSERT_TRUE(direct.has_value());
  EXPECT_EQ(topsis->ranks, direct->rank);
  for (int i = 0; i < 3; ++i) EXPECT_DOUBLE_EQ(topsis->ranking_values[i], direct->closeness[i]);

  s.ranking = Ranking::kGrey;
  auto grey = Compute(s);
  ASSERT_TRUE(grey.has_value());
  EXPECT_EQ(grey->ranking_values.size(), 3u);
  EXPECT_EQ(RankingNamed("grey"), Ranking::kGrey);
  EXPECT_FALSE(RankingNamed("vikor").has_value());
}

TEST(RunTest, SnapshotAndResultsRoundTripThroughJsonBitForBit) {
  RunSnapshot s = Three();
  s.ranking = Ranking::kTopsis;
  s.conventions["weights"] = "given";
  auto r = Compute(s);
  ASSERT_TRUE(r.has_value());
  auto snap = ParseSnapshot(nlohmann::json::parse(SnapshotJson(s).dump()));
  ASSERT_TRUE(snap.has_value()) << snap.error().message;
  EXPECT_EQ(*snap, s);
  auto back = ParseResults(nlohmann::json::parse(ResultsJson(*r).dump()));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_TRUE(SameResults(*r, *back));
  auto again = Compute(*snap);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(SameResults(*r, *again));
  // A change of one bit is noticed.
  back->outcomes[1].nodes[0].score = std::nextafter(back->outcomes[1].nodes[0].score, 1000.0);
  EXPECT_FALSE(SameResults(*r, *back));
}

TEST(RunTest, FindingsNameTheStrongestAndWeakestDimensionsAndLowIndicators) {
  RunSnapshot s = Three();
  s.objects[0].leaves[1].membership = {0, 0, 0, 1};  // x's b1 is 较差: below 一般's band
  auto r = Compute(s);
  ASSERT_TRUE(r.has_value());
  const auto findings = GenerateFindings(s, *r);
  int strengths = 0, weaknesses = 0, below = 0;
  for (const auto& f : findings) {
    strengths += f.kind == "strength";
    weaknesses += f.kind == "weakness";
    if (f.kind == "below_threshold") {
      ++below;
      EXPECT_EQ(f.object, "x");
      EXPECT_EQ(f.node, "b1");
    }
  }
  EXPECT_EQ(strengths, 3);
  EXPECT_EQ(weaknesses, 3);
  EXPECT_EQ(below, 1);
}

// One input, one output under CCR (input orientation): efficiency = output/input over the best
// ratio. x: 2 → 2 (1), y: 4 → 2 (½), z: 4 → 3 (¾).
DeaData SmallDea(methods::ReturnsToScale rts) {
  DeaData d;
  d.rts = rts;
  d.orientation = methods::Orientation::kInput;
  DeaColumn in;
  in.factor = {"assistance_funds", false};
  in.name = "帮扶资金投入";
  in.name_en = "assistance funds invested";
  DeaColumn out;
  out.factor = {"lifted_people", true};
  out.name = "脱贫人口增量";
  out.name_en = "people lifted out growth";
  d.inputs = {in};
  d.outputs = {out};
  d.values = {{2, 2}, {4, 2}, {4, 3}};
  return d;
}

TEST(RunTest, DeaOfTheObjectsByHand) {
  RunSnapshot s = Three();
  s.dea = SmallDea(methods::ReturnsToScale::kCrs);
  auto r = Compute(s);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_EQ(r->dea.size(), 3u);
  EXPECT_NEAR(r->dea[0].efficiency, 1.0, 1e-9);
  EXPECT_NEAR(r->dea[1].efficiency, 0.5, 1e-9);
  EXPECT_NEAR(r->dea[2].efficiency, 0.75, 1e-9);
  EXPECT_EQ(r->dea[0].classification, "efficient");
  EXPECT_EQ(r->dea[1].classification, "inefficient");
  EXPECT_EQ((std::vector<int>{r->dea[0].rank, r->dea[1].rank, r->dea[2].rank}),
            (std::vector<int>{1, 3, 2}));
  // y's target input is ½ · 4 = 2 with x as its peer (λ = 1); z's is 3 with λ_x = 1.5.
  EXPECT_NEAR(r->dea[1].input_targets[0], 2, 1e-9);
  ASSERT_EQ(r->dea[2].peers.size(), 1u);
  EXPECT_EQ(r->dea[2].peers[0].dmu, 0);
  EXPECT_NEAR(r->dea[2].peers[0].lambda, 1.5, 1e-9);
  EXPECT_NEAR(r->dea[2].output_targets[0], 3, 1e-9);
  // Under VRS z produces the most and is efficient: its scale efficiency is ¾.
  ASSERT_TRUE(r->dea[2].scale_efficiency.has_value());
  EXPECT_NEAR(*r->dea[2].scale_efficiency, 0.75, 1e-9);
  // Findings name the two objects off the frontier, with the peer and the input to cut.
  int inefficient = 0;
  for (const auto& f : GenerateFindings(s, *r)) {
    if (f.kind != "inefficient") continue;
    ++inefficient;
    EXPECT_NE(f.text.find("参照单元 x"), std::string::npos) << f.text;
    EXPECT_NE(f.text.find("减少帮扶资金投入"), std::string::npos) << f.text;
  }
  EXPECT_EQ(inefficient, 2);
}

TEST(RunTest, DeaShiftedOutputsKeepTheirScoresAndRoundTrip) {
  RunSnapshot s = Three();
  s.dea = SmallDea(methods::ReturnsToScale::kVrs);
  auto plain = Compute(s);
  ASSERT_TRUE(plain.has_value());
  // The same outputs less 10, shifted back by 10 before solving: the same scores, and targets
  // in the original units.
  RunSnapshot moved = s;
  for (auto& row : moved.dea->values) row[1] -= 10;
  moved.dea->outputs[0].shift = 10;
  auto shifted = Compute(moved);
  ASSERT_TRUE(shifted.has_value());
  for (size_t o = 0; o < 3; ++o) {
    EXPECT_NEAR(shifted->dea[o].efficiency, plain->dea[o].efficiency, 1e-12);
    EXPECT_NEAR(shifted->dea[o].output_targets[0], plain->dea[o].output_targets[0] - 10, 1e-9);
  }
  auto snap = ParseSnapshot(nlohmann::json::parse(SnapshotJson(moved).dump()));
  ASSERT_TRUE(snap.has_value()) << snap.error().message;
  EXPECT_EQ(*snap, moved);
  auto back = ParseResults(nlohmann::json::parse(ResultsJson(*shifted).dump()));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_TRUE(SameResults(*shifted, *back));
  back->dea[1].peers.front().lambda = std::nextafter(back->dea[1].peers.front().lambda, 10.0);
  EXPECT_FALSE(SameResults(*shifted, *back));
  // A snapshot whose rows do not match its objects is refused.
  moved.dea->values.pop_back();
  EXPECT_FALSE(Compute(moved).has_value());
}

}  // namespace
}  // namespace fupin::evaluation
