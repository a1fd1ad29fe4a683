#include "evaluation/spec_json.h"

#include <gtest/gtest.h>

namespace fupin::evaluation {
namespace {

using Json = nlohmann::json;

const char* kSpec = R"({
  "grades": [{"name": "优秀", "score": 95}, {"name": "良好", "score": 85},
             {"name": "一般", "score": 70}, {"name": "较差", "score": 50}],
  "operator": "weighted-average",
  "root": {
    "name": "总体绩效",
    "weights": {"values": [0.6, 0.4]},
    "children": [
      {"name": "A", "weights": {"ahp": [[[1, 3, 5], ["1/3", 1, 3], [0.2, null, 1]]]},
       "children": [
         {"name": "a1", "membership": [0.4, 0.4, 0.2, 0]},
         {"name": "a2", "membership": [0.2, 0.5, 0.2, 0.1]},
         {"name": "a3", "value": 0.8, "scoring": {"rule": "linear", "floor": 0.5, "target": 1}}]},
      {"name": "B", "weights": {"values": [7, 3]},
       "children": [
         {"name": "b1", "responses": [10, 20, 15, 5]},
         {"name": "b2", "membership": [0, 0.2, 0.5, 0.3]}]}]}
})";

TEST(SpecJsonTest, ParsesAndEvaluatesASpecWithAhpResponsesAndAScoredValue) {
  auto spec = ParseSpec(Json::parse(kSpec));
  ASSERT_TRUE(spec.has_value()) << spec.error().message;
  auto prepared = Prepare(*spec);
  ASSERT_TRUE(prepared.has_value()) << prepared.error().message;
  ASSERT_EQ(prepared->tree.leaf_count(), 5);
  // The missing a_32 is filled from a_23 = 3 (reciprocal), giving the test vector's matrix.
  const auto& a = prepared->weighting.at(1);
  ASSERT_TRUE(a.ahp.has_value());
  EXPECT_NEAR(a.weights[0], 0.6370, 5e-5);
  EXPECT_NEAR(a.weights[1], 0.2583, 5e-5);
  EXPECT_NEAR(a.weights[2], 0.1047, 5e-5);
  EXPECT_NEAR(a.ahp->experts.at(0).cr, 0.0332, 5e-5);
  // b1's responses become shares.
  EXPECT_NEAR(prepared->leaves(3, 0), 0.2, 1e-12);
  EXPECT_NEAR(prepared->leaves(3, 2), 0.3, 1e-12);
  // a3: 0.8 is 60 % from floor to target → score 77 → 7/15 良好, 8/15 一般.
  EXPECT_NEAR(prepared->leaves(2, 1), 7.0 / 15.0, 1e-12);

  auto outcome = Evaluate(prepared->tree, spec->scale, prepared->leaves, spec->options);
  ASSERT_TRUE(outcome.has_value());
  const auto out = ResultJson(*spec, *prepared, *outcome, std::nullopt);
  EXPECT_EQ(out["operator"], "weighted-average");
  EXPECT_EQ(out["grades"][0]["min"], 90.0);
  EXPECT_TRUE(out["grades"][3]["min"].is_null());
  EXPECT_EQ(out["root"]["children"][0]["weighting"]["method"], "ahp");
  EXPECT_EQ(out["root"]["children"][1]["children"][0]["path"], "root.children[1].children[0]");
  EXPECT_NEAR(out["root"]["children"][1]["weight"].get<double>(), 0.4, 1e-12);
  EXPECT_NEAR(out["root"]["children"][1]["score"].get<double>(), 75.4, 1e-12);
  EXPECT_EQ(out["root"]["children"][1]["grade"], "一般");
  EXPECT_EQ(out["overall"]["grade"], out["root"]["grade"]);
  EXPECT_TRUE(out.contains("conventions"));
  EXPECT_FALSE(out.contains("sensitivity"));
  EXPECT_EQ(out["weakest"][0]["name"], "b1");
}

TEST(SpecJsonTest, ReportsEveryProblemWithItsPath) {
  const char* bad = R"({
    "grades": [{"name": "好", "score": 90}, {"name": "差", "score": "low"}],
    "operator": "average",
    "root": {"name": "r", "weights": {"ahp": [[[1, "x"], [1, 1]]]},
             "children": [{"name": "a", "membership": [0.5, 2], "responses": [1, 1]},
                          {"name": "b", "value": 3, "scoring": {"rule": "banded",
                            "bands": [{"grade": "中"}]}},
                          {"membership": [1, 0]}]}
  })";
  auto spec = ParseSpec(Json::parse(bad));
  ASSERT_FALSE(spec.has_value());
  std::vector<std::string> columns;
  for (const auto& d : spec.error().details) columns.push_back(d.column);
  EXPECT_EQ(columns,
            (std::vector<std::string>{"grades[1].score", "operator", "root.weights.ahp[0][0][1]",
                                      "root.children[0]", "root.children[1].scoring.bands[0].grade",
                                      "root.children[2].name"}));
}

TEST(SpecJsonTest, PreparationErrorsNameTheNodeAndPath) {
  auto doc = Json::parse(kSpec);
  doc["root"]["children"][1]["weights"]["values"] = {1, 2, 3};
  doc["root"]["children"][1]["children"][0]["responses"] = {0, 0, 0, 0};
  doc["root"]["children"][0]["weights"]["ahp"][0][0][1] = 4;
  doc["root"]["children"][0]["weights"]["ahp"][0][1][0] = 4;  // not reciprocal
  auto spec = ParseSpec(doc);
  ASSERT_TRUE(spec.has_value());
  auto prepared = Prepare(*spec);
  ASSERT_FALSE(prepared.has_value());
  const auto& d = prepared.error().details;
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].column, "root.children[0].weights.ahp");
  EXPECT_NE(d[0].reason.find("'A'"), std::string::npos);
  EXPECT_EQ(d[1].column, "root.children[1].weights.values");
  EXPECT_NE(d[1].reason.find("2 children but 3 weights"), std::string::npos);
  EXPECT_EQ(d[2].column, "root.children[1].children[0].responses");
  EXPECT_NE(d[2].reason.find("nobody answered"), std::string::npos);
}

TEST(SpecJsonTest, SensitivityAppearsInTheResult) {
  auto spec = ParseSpec(Json::parse(kSpec));
  auto prepared = Prepare(*spec);
  auto outcome = Evaluate(prepared->tree, spec->scale, prepared->leaves, spec->options);
  SensitivityReport report;
  report.options.draws = 200;
  report.options.spread = 0.2;
  report.options.seed = 7;
  auto s = Sensitivity(prepared->tree, spec->scale, {prepared->leaves}, {*outcome}, spec->options,
                       report.options);
  ASSERT_TRUE(s.has_value());
  report.objects = std::move(*s);
  const auto out = ResultJson(*spec, *prepared, *outcome, report);
  ASSERT_TRUE(out.contains("sensitivity"));
  EXPECT_EQ(out["sensitivity"]["draws"], 200);
  double total = 0;
  for (const auto& [grade, p] : out["sensitivity"]["overall"]["grade_probability"].items()) {
    total += p.get<double>();
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
  EXPECT_TRUE(out["root"]["children"][0].contains("sensitivity"));
  EXPECT_FALSE(out["root"]["children"][0]["children"][0].contains("sensitivity"));
}

}  // namespace
}  // namespace fupin::evaluation
