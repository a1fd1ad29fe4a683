// `fupin evaluate SPEC.json [--json] [--sensitivity N [--spread S] [--seed K]]`.
//
// Reads the spec (docs/evaluation.md), resolves its weights and leaf rows, evaluates it with
// the evaluation engine and prints the tree with every node's membership, score and grades,
// the weakest indicators and, when asked, the Monte Carlo grade probabilities — as a table
// (Chinese labels under a zh locale) or as one JSON object. Bad input exits with code 2 and
// names the JSON path of every problem.
// Thread-safety: main's thread only.
#include "cli/evaluate_command.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/text.h"
#include "cli/text_table.h"
#include "evaluation/engine.h"
#include "evaluation/spec.h"
#include "evaluation/spec_json.h"

namespace fupin::cli {
namespace {

struct EvaluateOptions {
  std::string file;
  bool json = false;
  int draws = 0;
  double spread = 0.1;
  uint64_t seed = 1;
};

int Fail(const EvaluateOptions& o, Error e) {
  e.Prefix(o.file);
  if (o.json) fmt::print("{}\n", ErrorJson(e).dump(2));
  return ReportError(e);
}

std::string F(double v, int digits = 4) { return fmt::format("{:.{}f}", v, digits); }

void PrintTree(const nlohmann::ordered_json& out) {
  std::vector<std::string> header{Localized("node", "指标"), Localized("weight", "权重"),
                                  Localized("global", "组合权重")};
  std::vector<std::string> grades;
  for (const auto& g : out["grades"]) grades.push_back(g["name"].get<std::string>());
  for (const auto& g : grades) header.push_back(g);
  header.push_back(Localized("score", "得分"));
  header.push_back(Localized("grade", "等级"));
  header.push_back(Localized("max membership", "最大隶属"));
  std::vector<std::vector<std::string>> rows;
  std::function<void(const nlohmann::ordered_json&, int)> visit =
      [&](const nlohmann::ordered_json& n, int depth) {
        std::vector<std::string> row{
            std::string(static_cast<size_t>(depth) * 2, ' ') + n["name"].get<std::string>(),
            F(n["weight"].get<double>()), F(n["global_weight"].get<double>())};
        for (const auto& b : n["b"]) row.push_back(F(b.get<double>()));
        row.push_back(F(n["score"].get<double>(), 2));
        row.push_back(n["grade"].get<std::string>());
        row.push_back(n["grade_by_max_membership"].get<std::string>() +
                      (n["grades_differ"].get<bool>() ? " *" : ""));
        rows.push_back(std::move(row));
        if (n.contains("children")) {
          for (const auto& c : n["children"]) visit(c, depth + 1);
        }
      };
  visit(out["root"], 0);
  PrintTable(header, rows);
  const auto& overall = out["overall"];
  fmt::print("\n{}: {} {}, {} {}", Localized("Overall", "综合评价"), Localized("score", "得分"),
             F(overall["score"].get<double>(), 2), Localized("grade", "等级"),
             overall["grade"].get<std::string>());
  if (overall["grades_differ"].get<bool>()) {
    fmt::print(" ({} {})", Localized("the maximum-membership grade is", "最大隶属度等级为"),
               overall["grade_by_max_membership"].get<std::string>());
  }
  fmt::print("\n");
  bool any_differ = false;
  std::function<void(const nlohmann::ordered_json&)> scan = [&](const nlohmann::ordered_json& n) {
    any_differ = any_differ || n["grades_differ"].get<bool>();
    if (n.contains("children")) {
      for (const auto& c : n["children"]) scan(c);
    }
  };
  scan(out["root"]);
  if (any_differ) {
    fmt::print("{}\n", Localized("* the grade by score band differs from the maximum-membership "
                                 "grade",
                                 "* 按得分区间的等级与最大隶属度等级不同"));
  }
}

void PrintWeighting(const nlohmann::ordered_json& node) {
  if (node.contains("weighting") && node["weighting"]["method"] == "ahp") {
    const auto& w = node["weighting"];
    fmt::print("  {}:", node["name"].get<std::string>());
    int e = 1;
    for (const auto& x : w["experts"]) {
      fmt::print(" {}{} CR {}{}", Localized("expert ", "专家"), e++, F(x["cr"].get<double>()),
                 x["excluded"].get<bool>() ? Localized(" (excluded)", "（剔除）") : "");
    }
    if (w.contains("aggregated")) {
      fmt::print("; {} CR {}", Localized("aggregated", "集结"),
                 F(w["aggregated"]["cr"].get<double>()));
    }
    fmt::print("\n");
  }
  if (node.contains("children")) {
    for (const auto& c : node["children"]) PrintWeighting(c);
  }
}

bool HasAhp(const nlohmann::ordered_json& node) {
  if (node.contains("weighting") && node["weighting"]["method"] == "ahp") return true;
  if (node.contains("children")) {
    for (const auto& c : node["children"]) {
      if (HasAhp(c)) return true;
    }
  }
  return false;
}

void PrintText(const nlohmann::ordered_json& out) {
  PrintTree(out);
  if (HasAhp(out["root"])) {
    fmt::print("\n{}\n", Localized("AHP consistency:", "层次分析一致性："));
    PrintWeighting(out["root"]);
  }
  fmt::print("\n{}\n",
             Localized("Weakest indicators (weighted shortfall):", "最薄弱指标（加权差距）："));
  std::vector<std::vector<std::string>> rows;
  for (const auto& w : out["weakest"]) {
    rows.push_back({w["name"].get<std::string>(), F(w["global_weight"].get<double>()),
                    F(w["score"].get<double>(), 2), F(w["shortfall"].get<double>(), 2)});
  }
  PrintTable({Localized("indicator", "指标"), Localized("global weight", "组合权重"),
              Localized("score", "得分"), Localized("shortfall", "差距")},
             rows);
  if (out.contains("sensitivity")) {
    const auto& s = out["sensitivity"];
    fmt::print("\n{}\n", fmt::format(fmt::runtime(Localized(
                                         "Sensitivity: {} draws, weights x U[1-{}, 1+{}], seed {}",
                                         "敏感性：{} 次抽样，权重 × U[1-{}, 1+{}]，种子 {}")),
                                     s["draws"].get<int>(), s["spread"].get<double>(),
                                     s["spread"].get<double>(), s["seed"].get<uint64_t>()));
    std::vector<std::string> header{Localized("node", "指标")};
    for (const auto& g : out["grades"]) header.push_back("P(" + g["name"].get<std::string>() + ")");
    header.push_back(Localized("mean", "均值"));
    header.push_back(Localized("min", "最小"));
    header.push_back(Localized("max", "最大"));
    std::vector<std::vector<std::string>> srows;
    std::function<void(const nlohmann::ordered_json&, int)> visit =
        [&](const nlohmann::ordered_json& n, int depth) {
          if (!n.contains("sensitivity")) return;
          const auto& ns = n["sensitivity"];
          std::vector<std::string> row{std::string(static_cast<size_t>(depth) * 2, ' ') +
                                       n["name"].get<std::string>()};
          for (const auto& [grade, p] : ns["grade_probability"].items()) {
            row.push_back(F(p.get<double>(), 3));
          }
          row.push_back(F(ns["score_mean"].get<double>(), 2));
          row.push_back(F(ns["score_min"].get<double>(), 2));
          row.push_back(F(ns["score_max"].get<double>(), 2));
          srows.push_back(std::move(row));
          if (n.contains("children")) {
            for (const auto& c : n["children"]) visit(c, depth + 1);
          }
        };
    visit(out["root"], 0);
    PrintTable(header, srows);
    const double keep = s["overall"]["baseline_grade_probability"].get<double>();
    if (keep < 0.95) {
      fmt::print("{}\n", fmt::format(fmt::runtime(Localized(
                                         "The overall grade {} holds in only {:.1f}% of the draws.",
                                         "总体等级“{}”仅在 {:.1f}% 的抽样中保持不变。")),
                                     out["overall"]["grade"].get<std::string>(), keep * 100.0));
    }
  }
}

int Run(const EvaluateOptions& o) {
  auto bytes = ReadFileBytes(o.file);
  if (!bytes) return Fail(o, bytes.error());
  std::string text = std::move(*bytes);
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    return Fail(o, Error{ErrorCode::kInvalidArgument, "the file is not valid JSON", {}, 0});
  }
  auto spec = evaluation::ParseSpec(doc);
  if (!spec) return Fail(o, spec.error());
  auto prepared = evaluation::Prepare(*spec);
  if (!prepared) return Fail(o, prepared.error());
  auto outcome = evaluation::Evaluate(prepared->tree, spec->scale, prepared->leaves, spec->options);
  if (!outcome) return Fail(o, outcome.error());
  std::optional<evaluation::SensitivityReport> report;
  if (o.draws > 0) {
    report.emplace();
    report->options.draws = o.draws;
    report->options.spread = o.spread;
    report->options.seed = o.seed;
    auto s = evaluation::Sensitivity(prepared->tree, spec->scale, {prepared->leaves}, {*outcome},
                                     spec->options, report->options);
    if (!s) return Fail(o, s.error());
    report->objects = std::move(*s);
  }
  const auto out = evaluation::ResultJson(*spec, *prepared, *outcome, report);
  if (o.json) {
    fmt::print("{}\n", out.dump(2));
  } else {
    PrintText(out);
  }
  return kExitOk;
}

}  // namespace

void AddEvaluateCommand(CLI::App& root, CommandContext& ctx) {
  auto opts = std::make_shared<EvaluateOptions>();
  auto* sub = root.add_subcommand(
      "evaluate",
      "Multi-level fuzzy comprehensive evaluation from a JSON spec, without a database: grades "
      "(name, score, band min), operator, and a tree of nodes weighted by values or expert AHP "
      "judgments whose leaves give a membership row, response counts per grade, or a value "
      "with a scoring rule. Prints every node's membership B, score S = B.v, grade by score "
      "band and by maximum membership, and the weakest indicators. See docs/evaluation.md.");
  sub->add_option("SPEC", opts->file, "the spec (JSON, UTF-8)")->required();
  sub->add_flag("--json", opts->json, "print one JSON object instead of tables");
  sub->add_option("--sensitivity", opts->draws,
                  "Monte Carlo draws of perturbed weights (grade probabilities); 0 = none")
      ->check(CLI::Range(0, evaluation::kMaxDraws));
  sub->add_option("--spread", opts->spread,
                  "each weight x a uniform factor in [1 - spread, 1 + spread] (default 0.1)")
      ->check(CLI::Range(0.0, 0.99));
  sub->add_option("--seed", opts->seed, "seed of the draws (default 1): same seed, same result");
  sub->callback([&ctx, opts] { ctx.action = [opts] { return Run(*opts); }; });
}

}  // namespace fupin::cli
