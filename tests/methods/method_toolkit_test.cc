// Integration tests of `fupin method ...` against the real binary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace {

using fupin::test_support::Run;
using fupin::test_support::RunResult;
using nlohmann::json;

std::string Data(const std::string& name) { return std::string(FUPIN_METHOD_DATA) + "/" + name; }

RunResult Method(std::vector<std::string> args, const std::string& lang = "C") {
  args.insert(args.begin(), {FUPIN_BINARY, "method"});
  return Run(args, {{"LANG", lang}, {"LC_ALL", ""}, {"LC_MESSAGES", ""}});
}

json Json(std::vector<std::string> args) {
  args.push_back("--json");
  const RunResult r = Method(std::move(args));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

double Sum(const json& a) {
  double s = 0;
  for (const auto& v : a) s += v.get<double>();
  return s;
}

TEST(MethodToolkit, AhpJsonContract) {
  const json j = Json({"ahp", Data("ahp.csv")});
  for (const char* key : {"weights", "criteria", "lambda_max", "ci", "ri", "cr", "consistent",
                          "completed_matrix", "conventions"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["criteria"], json({"A", "B", "C"}));
  EXPECT_NEAR(j["weights"][0].get<double>(), 0.6370, 5e-5);
  EXPECT_NEAR(j["lambda_max"].get<double>(), 3.03851, 5e-6);
  EXPECT_NEAR(j["cr"].get<double>(), 0.0332, 5e-5);
  EXPECT_TRUE(j["consistent"].get<bool>());
  EXPECT_EQ(j["conventions"]["ri_table"], "saaty1980");
  EXPECT_EQ(j["conventions"]["weights_method"], "eigen");
  EXPECT_NEAR(Sum(j["weights"]), 1.0, 1e-12);
}

TEST(MethodToolkit, AhpOptionsAreRecorded) {
  const json j =
      Json({"ahp", Data("ahp.csv"), "--ri", "saaty2005", "--weights-method", "geometric"});
  EXPECT_EQ(j["conventions"]["ri_table"], "saaty2005");
  EXPECT_EQ(j["conventions"]["weights_method"], "geometric");
  EXPECT_DOUBLE_EQ(j["ri"].get<double>(), 0.52);
}

TEST(MethodToolkit, AhpIncompleteMatrixIsCompleted) {
  const json j = Json({"ahp", Data("ahp_incomplete.csv"), "--ri", "donegan-dodd"});
  ASSERT_EQ(j["completed"].size(), 1u);
  EXPECT_EQ(j["completed"][0]["row"], "C");
  EXPECT_EQ(j["completed"][0]["column"], "D");
  EXPECT_NEAR(j["completed"][0]["value"].get<double>(), 0.730297106886979, 1e-6);
  EXPECT_NEAR(j["completed_matrix"][2][3].get<double>(), 0.730297106886979, 1e-6);
  EXPECT_NEAR(j["cr"].get<double>(), 0.0372, 5e-5);
}

TEST(MethodToolkit, AhpConsistencyHelp) {
  const json j = Json({"ahp", Data("ahp_inconsistent.csv")});
  EXPECT_FALSE(j["consistent"].get<bool>());
  ASSERT_FALSE(j["suggestions"].empty());
  EXPECT_EQ(j["suggestions"][0]["row"], "A");
  EXPECT_EQ(j["suggestions"][0]["column"], "D");
  EXPECT_NEAR(j["suggestions"][0]["suggested"].get<double>(), 8.0, 1e-6);
  const RunResult text = Method({"ahp", Data("ahp_inconsistent.csv")});
  EXPECT_NE(text.out.find("A / D"), std::string::npos) << text.out;
}

TEST(MethodToolkit, GroupAhp) {
  json j = Json({"ahp", Data("ahp.csv"), Data("ahp_expert2.csv")});
  EXPECT_EQ(j["aggregation"], "aij");
  EXPECT_NEAR(j["weights"][0].get<double>(), 0.4828, 5e-5);
  EXPECT_NEAR(j["weights"][1].get<double>(), 0.4145, 5e-5);
  EXPECT_NEAR(j["weights"][2].get<double>(), 0.1027, 5e-5);
  EXPECT_TRUE(j.contains("cr"));
  j = Json({"ahp", Data("ahp.csv"), Data("ahp_expert2.csv"), "--aggregate", "aip-arithmetic"});
  EXPECT_NEAR(j["weights"][0].get<double>(), 0.4802, 5e-5);
  EXPECT_NEAR(j["weights"][2].get<double>(), 0.0969, 5e-5);
  j = Json({"ahp", Data("ahp.csv"), Data("ahp_expert2.csv"), Data("ahp_expert3_bad.csv"),
            "--max-cr", "0.1", "--expert-weights", "0.5,0.3,0.2"});
  ASSERT_EQ(j["excluded"].size(), 1u);
  EXPECT_NE(j["excluded"][0].get<std::string>().find("ahp_expert3_bad.csv"), std::string::npos);
  EXPECT_TRUE(j["experts"][2]["excluded"].get<bool>());
  EXPECT_DOUBLE_EQ(j["expert_weights"][2].get<double>(), 0.0);
  EXPECT_NEAR(j["expert_weights"][0].get<double>(), 0.625, 1e-12);
}

TEST(MethodToolkit, AhpBadInputNamesFileRowColumn) {
  RunResult r = Method({"ahp", Data("ahp_nonsquare.csv")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("ahp_nonsquare.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("square"), std::string::npos) << r.err;
  r = Method({"ahp", Data("ahp_nonnumeric.csv")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("ahp_nonnumeric.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("row 3, column C, value 'x': not a number"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 non-numeric or missing cell"), std::string::npos) << r.err;
  r = Method({"ahp", Data("ahp_disconnected.csv")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("'C', 'D'"), std::string::npos) << r.err;
  r = Method({"ahp", Data("no_such_file.csv")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no_such_file.csv"), std::string::npos) << r.err;
}

TEST(MethodToolkit, JsonErrorObject) {
  const RunResult r = Method({"ahp", Data("ahp_nonnumeric.csv"), "--json"});
  EXPECT_EQ(r.exit_code, 2);
  const json j = json::parse(r.out);
  EXPECT_EQ(j["error"]["code"], "invalid_argument");
  EXPECT_EQ(j["error"]["details"][0]["row"], 3);
  EXPECT_EQ(j["error"]["details"][0]["column"], "C");
}

TEST(MethodToolkit, ObjectiveWeights) {
  for (const char* m : {"entropy", "critic", "cv"}) {
    SCOPED_TRACE(m);
    std::vector<std::string> args{m, Data("indicators.csv")};
    if (std::string(m) != "cv") args.insert(args.end(), {"--cost", "cost"});
    const json j = Json(args);
    EXPECT_EQ(j["criteria"], json({"income", "school", "clinic", "cost"}));
    EXPECT_NEAR(Sum(j["weights"]), 1.0, 1e-12);
    EXPECT_TRUE(j.contains("conventions"));
  }
  json j = Json({"entropy", Data("indicators.csv"), "--cost", "cost"});
  EXPECT_NEAR(j["weights"][0].get<double>(), 0.24793658919684425, 1e-10);
  EXPECT_EQ(j["conventions"]["normalize"], "minmax");
  j = Json({"entropy", Data("indicators.csv"), "--normalize", "none"});
  EXPECT_NEAR(j["weights"][3].get<double>(), 0.7964929460366929, 1e-10);
  j = Json({"critic", Data("indicators.csv"), "--cost", "cost"});
  EXPECT_NEAR(j["weights"][1].get<double>(), 0.4711076337063975, 1e-10);
  const RunResult bad = Method({"entropy", Data("indicators.csv"), "--cost", "nosuch"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("unknown column 'nosuch'"), std::string::npos) << bad.err;
}

TEST(MethodToolkit, Combine) {
  json j = Json({"combine", "--subjective", "0.5,0.3,0.2", "--objective", "0.2,0.2,0.6"});
  EXPECT_NEAR(j["weights"][0].get<double>(), 0.35, 1e-12);
  EXPECT_EQ(j["conventions"]["alpha"], 0.5);
  j = Json(
      {"combine", "--subjective", "0.5,0.3,0.2", "--objective", "0.2,0.2,0.6", "--multiplicative"});
  EXPECT_NEAR(j["weights"][2].get<double>(), 0.12 / 0.28, 1e-12);
  const RunResult bad = Method({"combine", "--subjective", "0.5,0.5", "--objective", "1"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(MethodToolkit, Topsis) {
  json j = Json({"topsis", Data("topsis.csv"), "--cost", "price", "--weights", "0.5,0.5"});
  EXPECT_EQ(j["name"], json({"A1", "A2", "A3"}));
  EXPECT_NEAR(j["closeness"][0].get<double>(), 0.7621, 5e-5);
  EXPECT_NEAR(j["closeness"][2].get<double>(), 0.2379, 5e-5);
  EXPECT_EQ(j["rank"], json({1, 2, 3}));
  for (const char* key : {"d_plus", "d_minus", "weights", "criteria"}) EXPECT_TRUE(j.contains(key));
  j = Json({"topsis", Data("topsis.csv"), "--cost", "price", "--normalize", "minmax"});
  EXPECT_NEAR(j["closeness"][1].get<double>(), 0.617, 5e-4);
  EXPECT_EQ(j["rank"], json({2, 1, 2}));
}

TEST(MethodToolkit, Grey) {
  const json j = Json({"grey", Data("indicators.csv"), "--cost", "cost"});
  EXPECT_NEAR(j["grades"][2].get<double>(), 0.8333333333333333, 1e-10);
  EXPECT_EQ(j["rank"], json({4, 3, 1, 5, 2}));
  EXPECT_EQ(j["conventions"]["rho"], 0.5);
}

TEST(MethodToolkit, Fuzzy) {
  json j = Json({"fuzzy", Data("fuzzy.csv"), "--weights", "0.1,0.1,0.15,0.3,0.35", "--grade-scores",
                 "100,80,60,40"});
  EXPECT_NEAR(j["b"][2].get<double>(), 0.39, 1e-12);
  EXPECT_EQ(j["grade_index"], 2);
  EXPECT_NEAR(j["score"].get<double>(), 72.9, 1e-9);
  EXPECT_TRUE(j.contains("b_normalized"));
  j = Json(
      {"fuzzy", Data("fuzzy.csv"), "--weights", "0.1,0.1,0.15,0.3,0.35", "--operator", "min-max"});
  EXPECT_EQ(j["grade_index"], 0);
  EXPECT_NEAR(j["b"][0].get<double>(), 0.35, 1e-12);
  EXPECT_EQ(j["conventions"]["operator"], "min-max");
}

TEST(MethodToolkit, FuzzyFromResponsesAndTwoLevels) {
  json j = Json({"fuzzy", Data("responses.csv"), "--from-responses", "--grades", "3"});
  // q1: grades 1,2,2,3 → (0.25, 0.5, 0.25); q2: 3,3,-,1 → (1/3, 0, 2/3)
  EXPECT_NEAR(j["membership"][0][1].get<double>(), 0.5, 1e-12);
  EXPECT_NEAR(j["membership"][1][2].get<double>(), 2.0 / 3, 1e-12);
  EXPECT_NEAR(j["b"][0].get<double>(), 0.5 * 0.25 + 0.5 / 3, 1e-12);
  const RunResult bad =
      Method({"fuzzy", Data("responses.csv"), "--from-responses", "--grades", "2"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("column q2"), std::string::npos) << bad.err;
  j = Json({"fuzzy", Data("fuzzy_two_level.csv"), "--group", "group", "--weight-col", "w",
            "--group-weights", "0.6,0.4", "--grade-scores", "90,70,50"});
  EXPECT_EQ(j["groups"]["name"], json({"A", "B"}));
  EXPECT_NEAR(j["b"][0].get<double>(), 0.6 * 0.3 + 0.4 * 0.03, 1e-12);
  EXPECT_NEAR(j["groups"]["b"][1][2].get<double>(), 0.53, 1e-12);
}

TEST(MethodToolkit, FuzzyResponsesWithGradeLabels) {
  const json j = Json({"fuzzy", Data("responses_labels.csv"), "--from-responses", "--grade-labels",
                       "很满意,满意,一般,不满意", "--grade-scores", "100,80,60,40"});
  EXPECT_EQ(j["criteria"], json({"道路", "饮水"}));
  EXPECT_EQ(j["grades"][1], "满意");
  EXPECT_NEAR(j["membership"][0][1].get<double>(), 0.5, 1e-12);
  EXPECT_NEAR(j["membership"][1][0].get<double>(), 1.0 / 3, 1e-12);
  EXPECT_EQ(j["grade_index"], 1);
  const RunResult bad = Method({"fuzzy", Data("responses_labels.csv"), "--from-responses",
                                "--grade-labels", "很满意,满意,一般"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("row 5, column 道路, value '不满意'"), std::string::npos) << bad.err;
}

TEST(MethodToolkit, DeaCoelli) {
  json j = Json({"dea", Data("dea_coelli.csv"), "--inputs", "x1,x2", "--outputs", "y", "--super"});
  const std::vector<double> theta{0.5, 1, 0.8333333, 0.7142857, 1};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_NEAR(j["efficiency"][i].get<double>(), theta[i], 1e-6);
    EXPECT_NEAR(j["theta"][i].get<double>(), theta[i], 1e-6);
  }
  EXPECT_NEAR(j["slacks"][0]["inputs"][1].get<double>(), 0.5, 1e-6);
  EXPECT_EQ(j["slacks"][0]["outputs"].size(), 1u);
  EXPECT_EQ(j["peers"][2][0]["name"], "2");
  EXPECT_NEAR(j["peers"][2][0]["lambda"].get<double>(), 1.0, 1e-6);
  EXPECT_EQ(j["classification"][1], "efficient");
  EXPECT_EQ(j["classification"][0], "inefficient");
  EXPECT_NEAR(j["super_efficiency"][1].get<double>(), 2.0, 1e-6);
  EXPECT_TRUE(j["feasible"][1].get<bool>());
  EXPECT_EQ(j["conventions"]["rts"], "crs");
  j = Json({"dea", Data("dea_coelli.csv"), "--inputs", "x1,x2", "--outputs", "y", "--rts", "vrs",
            "--super"});
  EXPECT_EQ(j["classification"][0], "weakly efficient");
  EXPECT_TRUE(j["super_efficiency"][2].is_null());
  EXPECT_FALSE(j["feasible"][2].get<bool>());
  j = Json({"dea", Data("dea_coelli.csv"), "--inputs", "x1,x2", "--outputs", "y", "--rts", "vrs",
            "--orientation", "output"});
  EXPECT_TRUE(j.contains("phi"));
  EXPECT_FALSE(j.contains("theta"));
  EXPECT_NEAR(j["efficiency"][0].get<double>(), 0.5, 1e-6);
  EXPECT_NEAR(j["phi"][0].get<double>(), 2.0, 1e-6);
  EXPECT_TRUE(j["super_efficiency"][0].is_null());
}

TEST(MethodToolkit, DeaBadInput) {
  RunResult r = Method({"dea", Data("dea_negative.csv"), "--inputs", "x1,x2", "--outputs", "y"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("dea_negative.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("row 3, column x2, value '-4'"), std::string::npos) << r.err;
  r = Method({"dea", Data("dea_negative.csv"), "--inputs", "x1,x9", "--outputs", "y"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown column 'x9'"), std::string::npos) << r.err;
  r = Method({"dea", Data("dea_coelli.csv"), "--inputs", "x1", "--outputs", "y", "--rts", "bogus"});
  EXPECT_EQ(r.exit_code, 1);  // a bad command line is a usage error
}

TEST(MethodToolkit, Malmquist) {
  const json j = Json({"malmquist", Data("malmquist.csv"), "--dmu", "firm", "--period", "year",
                       "--inputs", "x", "--outputs", "y"});
  ASSERT_EQ(j["pairs"].size(), 2u);
  const auto& p = j["pairs"][0];
  EXPECT_EQ(p["from"], "1");
  EXPECT_EQ(p["to"], "2");
  EXPECT_NEAR(p["effch"][1].get<double>(), 1.125, 6e-4);
  EXPECT_NEAR(p["techch"][1].get<double>(), 1.333, 6e-4);
  EXPECT_NEAR(p["pech"][1].get<double>(), 1.222, 6e-4);
  EXPECT_NEAR(p["sech"][1].get<double>(), 0.920, 6e-4);
  EXPECT_NEAR(p["tfpch"][1].get<double>(), 1.500, 6e-4);
  EXPECT_NEAR(p["means"]["tfpch"].get<double>(), 1.125, 6e-4);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_NEAR(p["tfpch"][i].get<double>(),
                p["effch"][i].get<double>() * p["techch"][i].get<double>(), 1e-12);
  }
  const RunResult bad = Method(
      {"malmquist", Data("malmquist.csv"), "--dmu", "firm", "--period", "year", "--inputs", "x"});
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(MethodToolkit, Mpi) {
  json j = Json({"mpi", Data("mpi.csv"), "--k", "0.5"});
  EXPECT_NEAR(j["H"].get<double>(), 0.5, 1e-12);
  EXPECT_NEAR(j["A"].get<double>(), 0.75, 1e-12);
  EXPECT_NEAR(j["M0"].get<double>(), 0.375, 1e-12);
  EXPECT_NEAR(j["censored_headcounts"][1].get<double>(), 0.25, 1e-12);
  EXPECT_NEAR(j["uncensored_headcounts"][1].get<double>(), 0.5, 1e-12);
  EXPECT_NEAR(j["contributions"][0].get<double>(), 1.0 / 3, 1e-12);
  j = Json(
      {"mpi", Data("mpi_groups.csv"), "--k", "0.5", "--group", "county", "--weight-col", "sw"});
  EXPECT_EQ(j["groups"]["name"], json({"甲", "乙"}));
  EXPECT_EQ(j["criteria"], json({"income", "school", "water", "housing"}));
  // Weighted: p2 counts twice → 5 people, 3 poor.
  EXPECT_NEAR(j["H"].get<double>(), 0.6, 1e-12);
  for (const char* k : {"1.5", "0", "-1"}) {
    const RunResult bad = Method({"mpi", Data("mpi.csv"), "--k", k});
    EXPECT_EQ(bad.exit_code, 2) << k;
    EXPECT_NE(bad.err.find("(0, 1]"), std::string::npos) << bad.err;
  }
}

TEST(MethodToolkit, AlphaAndKmo) {
  json j = Json({"alpha", Data("alpha.csv")});
  EXPECT_NEAR(j["alpha"].get<double>(), 0.7734375, 1e-12);
  EXPECT_NEAR(j["standardized_alpha"].get<double>(), 0.77429, 5e-6);
  j = Json({"kmo", Data("kmo.csv")});
  EXPECT_NEAR(j["kmo"].get<double>(), 0.6655345605108731, 1e-9);
  EXPECT_EQ(j["msa"].size(), 4u);
  EXPECT_NEAR(j["bartlett"]["chi2"].get<double>(), 41.61599778630087, 1e-9);
  EXPECT_EQ(j["bartlett"]["df"], 6);
  EXPECT_LT(j["bartlett"]["p"].get<double>(), 1e-6);
}

TEST(MethodToolkit, EncodingsAndLanguages) {
  json j = Json({"entropy", Data("indicators_gb18030.csv"), "--cost", "成本"});
  EXPECT_EQ(j["criteria"][0], "收入");
  EXPECT_NEAR(j["weights"][0].get<double>(), 0.24793658919684425, 1e-10);
  j = Json({"ahp", Data("ahp_bom.csv")});
  EXPECT_EQ(j["criteria"][0], "A");
  RunResult zh = Method({"ahp", Data("ahp.csv")}, "zh_CN.UTF-8");
  EXPECT_EQ(zh.exit_code, 0);
  EXPECT_NE(zh.out.find("权重"), std::string::npos) << zh.out;
  RunResult en = Method({"ahp", Data("ahp.csv")}, "en_US.UTF-8");
  EXPECT_NE(en.out.find("weight"), std::string::npos) << en.out;
}

TEST(MethodToolkit, HelpTextsDescribeTheMethods) {
  RunResult r = Method({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* name : {"ahp", "entropy", "critic", "cv", "combine", "topsis", "grey", "fuzzy",
                           "dea", "malmquist", "mpi", "alpha", "kmo"}) {
    EXPECT_NE(r.out.find(name), std::string::npos) << name;
  }
  r = Method({"dea", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Andersen-Petersen super-efficiency"), std::string::npos) << r.out;
  r = Method({"ahp", "--help"});
  EXPECT_NE(r.out.find("Bozoki, Fulop & Ronyai (2010)"), std::string::npos) << r.out;
}

// docs/methods.md quotes each method's --help text word for word.
TEST(MethodToolkit, DocsQuoteTheHelpTexts) {
  auto normalize = [](const std::string& text) {
    std::string out;
    bool space = false;
    for (size_t i = 0; i < text.size(); ++i) {
      // Drop the "> " of Markdown block quotes at line starts.
      if ((i == 0 || text[i - 1] == '\n') && text.compare(i, 2, "> ") == 0) {
        ++i;
        continue;
      }
      const char c = text[i];
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
        space = true;
        continue;
      }
      if (space && !out.empty()) out += ' ';
      space = false;
      out += c;
    }
    return out;
  };
  const std::string docs =
      normalize(fupin::test_support::ReadFile(std::string(FUPIN_SOURCE_DIR) + "/docs/methods.md"));
  for (const char* name : {"ahp", "entropy", "critic", "cv", "combine", "topsis", "grey", "fuzzy",
                           "dea", "malmquist", "mpi", "alpha", "kmo"}) {
    SCOPED_TRACE(name);
    const RunResult r = Method({name, "--help"});
    ASSERT_EQ(r.exit_code, 0);
    // The footer is the last paragraph of the help.
    std::string out = r.out;
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    const auto cut = out.rfind("\n\n");
    ASSERT_NE(cut, std::string::npos);
    const std::string footer = normalize(out.substr(cut + 2));
    EXPECT_GT(footer.size(), 80u);
    EXPECT_NE(docs.find(footer), std::string::npos) << footer;
  }
}

}  // namespace
