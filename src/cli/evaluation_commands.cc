// `fupin evaluation systems|runs|run|reproduce|compare|rectifications`.
// Thread-safety: main's thread only.
#include "cli/evaluation_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/database_option.h"
#include "cli/text_table.h"
#include "evaluation/rectification.h"
#include "evaluation/report.h"
#include "evaluation/repository.h"
#include "evaluation/run.h"
#include "evaluation/run_json.h"
#include "evaluation/system_json.h"

namespace fupin::cli {
namespace {

using nlohmann::json;

struct Common {
  bool json = false;
};

int Fail(const Common& c, const Error& e) { return ReportErrorAs(c.json, e); }

Result<evaluation::Run> LoadRun(storage::Database& db, int64_t id) {
  auto run = db.Evaluation().FindRun(id);
  if (!run) return std::unexpected(run.error());
  if (!*run) return NotFound(fmt::format("no evaluation run with id {}", id));
  return std::move(**run);
}

std::string F(double v) { return fmt::format("{:.2f}", v); }

void PrintRun(const evaluation::Run& run) {
  const auto& s = run.snapshot;
  fmt::print("{} — {} #{} v{}, {} {}, {}\n", run.name, Localized("system", "指标体系"),
             run.system_id, run.system_version, Localized("period", "期间"), s.period,
             evaluation::RunStatusName(run.status));
  auto grade = [&](int g) { return s.grades[static_cast<size_t>(g)].name; };
  // The ranking, with every dimension's score.
  std::vector<int> dims;
  for (size_t i = 1; i < s.nodes.size(); ++i) {
    if (s.nodes[i].parent == s.nodes.front().key) dims.push_back(static_cast<int>(i));
  }
  std::vector<std::string> header{Localized("object", "评价对象"), Localized("rank", "排名"),
                                  Localized("score", "得分"), Localized("grade", "等级"),
                                  Localized("max membership", "最大隶属")};
  for (int d : dims) header.push_back(s.nodes[static_cast<size_t>(d)].name);
  header.push_back(Localized("grade holds", "等级稳定"));
  std::vector<std::vector<std::string>> rows;
  for (size_t o = 0; o < s.objects.size(); ++o) {
    const auto& nodes = run.results.outcomes[o].nodes;
    std::vector<std::string> row{
        s.objects[o].name, std::to_string(run.results.ranks[o]), F(nodes.front().score),
        grade(nodes.front().grade),
        grade(nodes.front().grade_by_max_membership) + (nodes.front().grades_differ ? " *" : "")};
    for (int d : dims) row.push_back(F(nodes[static_cast<size_t>(d)].score));
    row.push_back(
        o < run.results.sensitivity.size()
            ? fmt::format("{:.0f}%",
                          run.results.sensitivity[o].nodes.front().baseline_grade_probability * 100)
            : "-");
    rows.push_back(std::move(row));
  }
  PrintTable(header, rows);
  if (s.dea && run.results.dea.size() == s.objects.size()) {
    const auto& d = *s.dea;
    fmt::print("\n{} ({}, {})\n", Localized("Fund efficiency (DEA):", "资金使用效率（DEA）："),
               methods::ReturnsToScaleName(d.rts), methods::OrientationName(d.orientation));
    std::vector<std::string> h{Localized("object", "评价对象"), Localized("rank", "排名"),
                               Localized("efficiency", "效率"), Localized("class", "有效性")};
    const bool zh = ChineseOutput();
    for (const auto& c : d.inputs) h.push_back(zh ? c.name : c.name_en);
    for (const auto& c : d.outputs) h.push_back(zh ? c.name : c.name_en);
    h.push_back(Localized("scale eff.", "规模效率"));
    h.push_back(Localized("peers", "参照单元"));
    std::vector<std::vector<std::string>> dr;
    for (size_t o = 0; o < s.objects.size(); ++o) {
      const auto& e = run.results.dea[o];
      const std::string klass = e.classification == "efficient" ? Localized("efficient", "有效")
                                : e.classification == "weakly efficient"
                                    ? Localized("weakly efficient", "弱有效")
                                    : Localized("inefficient", "非有效");
      std::vector<std::string> row{s.objects[o].name, std::to_string(e.rank),
                                   fmt::format("{:.4f}", e.efficiency), klass};
      for (double v : d.values[o]) {
        row.push_back(std::abs(v) >= 1000 ? fmt::format("{:.0f}", v) : fmt::format("{:.6g}", v));
      }
      row.push_back(e.scale_efficiency ? fmt::format("{:.4f} {}", *e.scale_efficiency, e.scale_type)
                                       : "-");
      std::string peers;
      for (const auto& p : e.peers) {
        if (p.dmu < 0 || static_cast<size_t>(p.dmu) >= s.objects.size() ||
            static_cast<size_t>(p.dmu) == o)
          continue;
        if (!peers.empty()) peers += ", ";
        peers += fmt::format("{} {:.3f}", s.objects[static_cast<size_t>(p.dmu)].name, p.lambda);
      }
      row.push_back(peers);
      dr.push_back(std::move(row));
    }
    PrintTable(h, dr);
  }
  if (!run.findings.empty()) {
    fmt::print("\n{}\n", Localized("Findings:", "评价发现："));
    for (const auto& f : run.findings) {
      fmt::print("  [{}] {}\n", f.kind, ChineseOutput() || f.text_en.empty() ? f.text : f.text_en);
    }
  }
}

}  // namespace

void AddEvaluationCommands(CLI::App& root, CommandContext& ctx) {
  auto* cmd = root.add_subcommand(
      "evaluation",
      "Stored indicator systems and evaluation runs (综合绩效评价): list them, show a run's "
      "results, reproduce a run from its snapshot, compare two runs. Systems and runs are "
      "made in the web UI or the API; `fupin evaluate SPEC.json` evaluates a file without a "
      "database. See docs/evaluation.md.");
  cmd->require_subcommand(1);
  auto db = std::make_shared<DatabaseOption>(*cmd);

  {
    auto* sub = cmd->add_subcommand("systems", "List the indicator systems");
    auto c = std::make_shared<Common>();
    sub->add_flag("--json", c->json, "print JSON (the items of GET /api/v1/evaluation/systems)");
    sub->callback([&ctx, db, c] {
      ctx.action = [&ctx, db, c]() -> int {
        auto opened = db->Open(ctx, /*migrate=*/true);
        if (!opened) return Fail(*c, opened.error());
        auto list = (*opened)->Evaluation().ListSystems({""});
        if (!list) return Fail(*c, list.error());
        if (c->json) {
          json items = json::array();
          for (const auto& s : *list) items.push_back(json(evaluation::SystemSummaryJson(s)));
          fmt::print("{}\n", json{{"items", items}}.dump(2));
          return kExitOk;
        }
        std::vector<std::vector<std::string>> rows;
        for (const auto& s : *list) {
          rows.push_back({std::to_string(s.id), s.name, s.region_code, s.template_code,
                          std::to_string(s.latest_version), std::to_string(s.draft.nodes.size())});
        }
        PrintTable({"id", Localized("name", "名称"), Localized("region", "地区"),
                    Localized("template", "模板"), Localized("published", "已发布版本"),
                    Localized("nodes", "节点数")},
                   rows);
        return kExitOk;
      };
    });
  }
  {
    auto* sub = cmd->add_subcommand("runs", "List the evaluation runs, newest first");
    auto c = std::make_shared<Common>();
    auto system = std::make_shared<int64_t>(0);
    sub->add_option("--system", *system, "only the runs of this indicator system");
    sub->add_flag("--json", c->json, "print JSON (the items of GET /api/v1/evaluation/runs)");
    sub->callback([&ctx, db, c, system] {
      ctx.action = [&ctx, db, c, system]() -> int {
        auto opened = db->Open(ctx, /*migrate=*/true);
        if (!opened) return Fail(*c, opened.error());
        auto list = (*opened)->Evaluation().ListRuns({""}, *system);
        if (!list) return Fail(*c, list.error());
        if (c->json) {
          json items = json::array();
          for (const auto& r : *list) items.push_back(json(evaluation::RunJson(r, false)));
          fmt::print("{}\n", json{{"items", items}}.dump(2));
          return kExitOk;
        }
        std::vector<std::vector<std::string>> rows;
        for (const auto& r : *list) {
          rows.push_back({std::to_string(r.id), r.name,
                          fmt::format("{} v{}", r.system_id, r.system_version), r.snapshot.period,
                          std::to_string(r.snapshot.objects.size()),
                          std::string(evaluation::RunStatusName(r.status)), r.created_at});
        }
        PrintTable({"id", Localized("name", "名称"), Localized("system", "指标体系"),
                    Localized("period", "期间"), Localized("objects", "对象数"),
                    Localized("status", "状态"), Localized("created", "创建时间")},
                   rows);
        return kExitOk;
      };
    });
  }
  {
    auto* sub = cmd->add_subcommand("run", "Show a run's ranking, dimension scores and findings");
    auto c = std::make_shared<Common>();
    auto id = std::make_shared<int64_t>(0);
    sub->add_option("ID", *id, "the run")->required();
    sub->add_flag("--json", c->json, "print JSON (GET /api/v1/evaluation/runs/{id})");
    sub->callback([&ctx, db, c, id] {
      ctx.action = [&ctx, db, c, id]() -> int {
        auto opened = db->Open(ctx, /*migrate=*/true);
        if (!opened) return Fail(*c, opened.error());
        auto run = LoadRun(**opened, *id);
        if (!run) return Fail(*c, run.error());
        if (c->json) {
          fmt::print("{}\n", evaluation::RunJson(*run, true).dump(2));
        } else {
          PrintRun(*run);
        }
        return kExitOk;
      };
    });
  }
  {
    auto* sub = cmd->add_subcommand(
        "reproduce",
        "Compute a run again from its stored snapshot and compare with its stored results, bit "
        "for bit: exit 0 when they are the same, 3 when not");
    auto c = std::make_shared<Common>();
    auto id = std::make_shared<int64_t>(0);
    sub->add_option("ID", *id, "the run")->required();
    sub->add_flag("--json", c->json, "print JSON ({run_id, reproduced, scores})");
    sub->callback([&ctx, db, c, id] {
      ctx.action = [&ctx, db, c, id]() -> int {
        auto opened = db->Open(ctx, /*migrate=*/true);
        if (!opened) return Fail(*c, opened.error());
        auto run = LoadRun(**opened, *id);
        if (!run) return Fail(*c, run.error());
        auto again = evaluation::Compute(run->snapshot);
        if (!again) return Fail(*c, again.error());
        const bool same = evaluation::SameResults(run->results, *again);
        if (c->json) {
          json scores = json::array();
          for (const auto& o : again->outcomes) scores.push_back(o.overall().score);
          fmt::print("{}\n",
                     json{{"run_id", *id}, {"reproduced", same}, {"scores", scores}}.dump(2));
        } else {
          fmt::print(
              "{}\n",
              same ? Localized("reproduced: the same numbers, bit for bit", "已复现：结果逐位一致")
                   : Localized("NOT reproduced: the results differ", "未能复现：结果不一致"));
        }
        return same ? kExitOk : kExitFailure;
      };
    });
  }
  {
    auto* sub = cmd->add_subcommand(
        "report",
        "Write a run's printable report: HTML to open in a browser and print, or XLSX with "
        "every number (the same as GET /api/v1/evaluation/runs/{id}/report)");
    struct Options {
      int64_t id = 0;
      std::string format = "html";
      std::string lang = "zh";
      std::string out;
    };
    auto o = std::make_shared<Options>();
    sub->add_option("ID", o->id, "the run")->required();
    sub->add_option("--format", o->format, "html (default) or xlsx")
        ->check(CLI::IsMember({"html", "xlsx"}));
    sub->add_option("--lang", o->lang, "zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
    sub->add_option("--out", o->out, "the file to write (default: standard output for HTML)");
    sub->callback([&ctx, db, o] {
      ctx.action = [&ctx, db, o]() -> int {
        const Common c;
        if (o->format == "xlsx" && o->out.empty()) {
          return Fail(c, InvalidArgument("an XLSX report needs --out FILE").error());
        }
        auto opened = db->Open(ctx, /*migrate=*/true);
        if (!opened) return Fail(c, opened.error());
        auto run = LoadRun(**opened, o->id);
        if (!run) return Fail(c, run.error());
        const auto now = std::chrono::system_clock::now();
        auto context = evaluation::GatherReport((*opened)->Evaluation(), (*opened)->Regions(),
                                                (*opened)->Boundaries(), *run, ChinaDate(now),
                                                FormatTimestampUtc(now));
        if (!context) return Fail(c, context.error());
        const auto language =
            o->lang == "en" ? evaluation::ReportLanguage::kEn : evaluation::ReportLanguage::kZh;
        std::string bytes;
        if (o->format == "xlsx") {
          auto x = evaluation::ReportXlsx(*context, language);
          if (!x) return Fail(c, x.error());
          bytes = std::move(*x);
        } else {
          bytes = evaluation::ReportHtml(*context, language);
        }
        if (o->out.empty()) {
          std::fwrite(bytes.data(), 1, bytes.size(), stdout);
          return kExitOk;
        }
        std::FILE* f = std::fopen(o->out.c_str(), "wb");
        const bool written =
            f != nullptr && std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
        if (f != nullptr && std::fclose(f) != 0)
          return Fail(c, Internal("cannot write " + o->out).error());
        if (!written) return Fail(c, Internal("cannot write " + o->out).error());
        fmt::print("{} {} ({} bytes)\n", Localized("wrote", "已写出"), o->out, bytes.size());
        return kExitOk;
      };
    });
  }
  {
    auto* sub = cmd->add_subcommand(
        "compare", "Two runs side by side: what changed in the inputs and in the results");
    auto c = std::make_shared<Common>();
    auto ids = std::make_shared<std::vector<int64_t>>();
    sub->add_option("A B", *ids, "the reference run and the other")->required()->expected(2);
    sub->add_flag("--json", c->json, "print JSON (GET /api/v1/evaluation/runs/compare)");
    sub->callback([&ctx, db, c, ids] {
      ctx.action = [&ctx, db, c, ids]() -> int {
        auto opened = db->Open(ctx, /*migrate=*/true);
        if (!opened) return Fail(*c, opened.error());
        auto a = LoadRun(**opened, (*ids)[0]);
        if (!a) return Fail(*c, a.error());
        auto b = LoadRun(**opened, (*ids)[1]);
        if (!b) return Fail(*c, b.error());
        const auto diff = evaluation::CompareRuns(*a, *b);
        if (c->json) {
          fmt::print("{}\n", evaluation::ComparisonJson(diff).dump(2));
          return kExitOk;
        }
        for (const auto& s : diff.settings) fmt::print("{}: {} → {}\n", s.name, s.a, s.b);
        for (const auto& w : diff.weights) {
          fmt::print("{} {}: {:.4f} → {:.4f}\n", Localized("weight", "权重"), w.node, w.a, w.b);
        }
        fmt::print("{}: {}\n", Localized("changed leaf inputs", "变化的指标输入"),
                   diff.inputs.size());
        std::vector<std::vector<std::string>> rows;
        for (const auto& o : diff.objects) {
          if (o.nodes.empty()) continue;
          const auto& n = o.nodes.front();
          rows.push_back({o.name, F(n.score_a), F(n.score_b),
                          fmt::format("{:+.2f}", n.score_b - n.score_a), n.grade_a, n.grade_b,
                          fmt::format("{} → {}", o.rank_a, o.rank_b)});
        }
        PrintTable({Localized("object", "评价对象"), "A", "B", Localized("change", "变化"),
                    Localized("grade A", "等级 A"), Localized("grade B", "等级 B"),
                    Localized("rank", "排名")},
                   rows);
        return kExitOk;
      };
    });
  }

  {
    auto* sub = cmd->add_subcommand(
        "rectifications",
        "List the rectification tasks (整改) of evaluation runs: unit, person, deadline, status, "
        "overdue ones flagged");
    auto c = std::make_shared<Common>();
    auto run = std::make_shared<int64_t>(0);
    auto status = std::make_shared<std::string>();
    auto overdue = std::make_shared<bool>(false);
    sub->add_option("--run", *run, "only the tasks of this run");
    sub->add_option("--status", *status, "assigned, in_progress, submitted or verified");
    sub->add_flag("--overdue", *overdue, "only tasks past their deadline and not submitted");
    sub->add_flag("--json", c->json,
                  "print JSON (the items of GET /api/v1/evaluation/rectifications)");
    sub->callback([&ctx, db, c, run, status, overdue] {
      ctx.action = [&ctx, db, c, run, status, overdue]() -> int {
        auto opened = db->Open(ctx, /*migrate=*/true);
        if (!opened) return Fail(*c, opened.error());
        evaluation::EvaluationRepository::TaskFilter filter;
        filter.scope = {""};
        filter.run_id = *run;
        if (!status->empty()) {
          filter.status = evaluation::TaskStatusNamed(*status);
          if (!filter.status) {
            return Fail(*c, MakeError(ErrorCode::kInvalidArgument,
                                      fmt::format("--status {}: assigned, in_progress, submitted "
                                                  "or verified",
                                                  *status))
                                .error());
          }
        }
        auto list = (*opened)->Evaluation().ListTasks(filter);
        if (!list) return Fail(*c, list.error());
        const Date today = ChinaDate(std::chrono::system_clock::now());
        std::erase_if(*list, [&](const evaluation::RectificationTask& t) {
          return *overdue && !evaluation::Overdue(t, today);
        });
        if (c->json) {
          json items = json::array();
          for (const auto& t : *list) {
            items.push_back({{"id", t.id},
                             {"run_id", t.run_id},
                             {"region_code", t.region_code},
                             {"title", t.title},
                             {"unit", t.unit},
                             {"person", t.person},
                             {"deadline", t.deadline},
                             {"status", evaluation::TaskStatusName(t.status)},
                             {"overdue", evaluation::Overdue(t, today)},
                             {"late", evaluation::Late(t)},
                             {"updates", t.updates.size()}});
          }
          fmt::print("{}\n", json{{"items", items}, {"today", today.ToString()}}.dump(2));
          return kExitOk;
        }
        std::vector<std::vector<std::string>> rows;
        for (const auto& t : *list) {
          std::string flag = evaluation::Overdue(t, today) ? Localized("OVERDUE", "已逾期")
                             : evaluation::Late(t)         ? Localized("late", "逾期提交")
                                                           : "";
          rows.push_back({std::to_string(t.id), std::to_string(t.run_id), t.title, t.unit, t.person,
                          t.deadline, std::string(evaluation::TaskStatusName(t.status)), flag});
        }
        PrintTable({"id", Localized("run", "评价"), Localized("task", "整改事项"),
                    Localized("unit", "责任单位"), Localized("person", "责任人"),
                    Localized("deadline", "期限"), Localized("status", "状态"), ""},
                   rows);
        return kExitOk;
      };
    });
  }
}

}  // namespace fupin::cli
