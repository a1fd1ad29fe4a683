// `fupin evaluate SPEC.json` against the real binary: the worked example of docs/evaluation.md,
// sensitivity repeatability, languages, and errors naming the JSON path.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace {

using fupin::test_support::Run;
using fupin::test_support::RunResult;
using nlohmann::json;

const std::string kExample = std::string(FUPIN_SOURCE_DIR) + "/docs/examples/evaluation-spec.json";

RunResult Evaluate(std::vector<std::string> args, const std::string& lang = "C") {
  args.insert(args.begin(), {FUPIN_BINARY, "evaluate"});
  return Run(args, {{"LANG", lang}, {"LC_ALL", ""}, {"LC_MESSAGES", ""}});
}

TEST(EvaluateCommand, TheDocumentedWorkedExample) {
  const RunResult r = Evaluate({kExample, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_NEAR(j["overall"]["score"].get<double>(), 79.21, 1e-9);
  EXPECT_EQ(j["overall"]["grade"], "良好");
  EXPECT_EQ(j["overall"]["grade_by_max_membership"], "良好");
  const json& management = j["root"]["children"][0];
  EXPECT_EQ(management["name"], "内部管理");
  EXPECT_NEAR(management["b"][1].get<double>(), 0.41, 1e-12);
  EXPECT_NEAR(management["score"].get<double>(), 81.75, 1e-9);
  const json& stakeholders = j["root"]["children"][1];
  EXPECT_EQ(stakeholders["grade"], "一般");
  EXPECT_NEAR(stakeholders["score"].get<double>(), 75.4, 1e-9);
  // 管理制度健全 (0.4, 0.4, 0.2, 0): 86 is 良好 by band, 优秀 by the first maximum.
  EXPECT_TRUE(management["children"][0]["grades_differ"].get<bool>());
  EXPECT_EQ(j["weakest"][0]["name"], "周边农户满意度");
  EXPECT_NEAR(j["weakest"][0]["shortfall"].get<double>(), 4.48, 1e-9);
  EXPECT_EQ(j["grades"][1]["min"], 77.5);  // midway between 85 and 70
  EXPECT_TRUE(j.contains("fupin_version"));
  EXPECT_TRUE(j["conventions"].contains("grade"));
}

TEST(EvaluateCommand, SensitivityIsRepeatableWithTheSeed) {
  const std::vector<std::string> args{kExample,   "--json", "--sensitivity", "300",
                                      "--spread", "0.3",    "--seed",        "11"};
  const RunResult a = Evaluate(args);
  const RunResult b = Evaluate(args);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  const json j = json::parse(a.out);
  EXPECT_EQ(j["sensitivity"]["draws"], 300);
  EXPECT_EQ(j["sensitivity"]["seed"], 11);
  double total = 0;
  for (const auto& [g, p] : j["sensitivity"]["overall"]["grade_probability"].items()) {
    total += p.get<double>();
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
  auto other = args;
  other.back() = "12";
  EXPECT_NE(Evaluate(other).out, a.out);
  EXPECT_EQ(Evaluate({kExample, "--sensitivity", "0"}).exit_code, 0);
  EXPECT_EQ(Evaluate({kExample, "--sensitivity", "-3"}).exit_code, 1);
}

TEST(EvaluateCommand, TablesInEitherLanguage) {
  const RunResult en = Evaluate({kExample});
  ASSERT_EQ(en.exit_code, 0) << en.err;
  EXPECT_NE(en.out.find("Overall: score 79.21, grade 良好"), std::string::npos) << en.out;
  EXPECT_NE(en.out.find("Weakest indicators"), std::string::npos);
  const RunResult zh = Evaluate({kExample}, "zh_CN.UTF-8");
  EXPECT_NE(zh.out.find("综合评价: 得分 79.21, 等级 良好"), std::string::npos) << zh.out;
}

TEST(EvaluateCommand, BadSpecsExitTwoNamingEachPath) {
  fupin::test_support::TempDir dir;
  const auto path = (dir / "bad.json").string();
  fupin::test_support::WriteFile(
      dir / "bad.json",
      R"({"grades": [{"name": "好", "score": 90}, {"name": "差", "score": 60}],
          "root": {"name": "r", "weights": {"values": [1, 1, 1]},
                   "children": [{"name": "a", "membership": [0.5, 0.5]},
                                {"name": "b", "responses": [3]}]}})");
  const RunResult r = Evaluate({path});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("root.weights.values"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("root.children[1].responses"), std::string::npos) << r.err;
  const RunResult j = Evaluate({path, "--json"});
  EXPECT_EQ(j.exit_code, 2);
  const json e = json::parse(j.out);
  EXPECT_EQ(e["error"]["code"], "invalid_argument");
  EXPECT_EQ(e["error"]["details"].size(), 2u);

  fupin::test_support::WriteFile(dir / "broken.json", "{\"grades\": [");
  EXPECT_EQ(Evaluate({(dir / "broken.json").string()}).exit_code, 2);
  EXPECT_EQ(Evaluate({(dir / "missing.json").string()}).exit_code, 2);
}

}  // namespace
