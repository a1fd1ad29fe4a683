// `fupin survey list|show|import|quality`.
// Thread-safety: main's thread only.
#include "cli/survey_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/database_option.h"
#include "cli/text_table.h"
#include "evaluation/survey_json.h"
#include "evaluation/survey_service.h"
#include "evaluation/system_service.h"
#include "indicators/registry_indicators.h"
#include "tabular/reader.h"

namespace fupin::cli {
namespace {

using nlohmann::json;

struct Common {
  bool json = false;
};

int Fail(const Common& c, const Error& e) { return ReportErrorAs(c.json, e); }

// The services over an opened database (the command line acts everywhere, as its operator).
struct Services {
  indicators::Catalogue catalogue;
  evaluation::SystemService systems;
  evaluation::SurveyService surveys;

  Services(storage::Database& db, indicators::Catalogue c)
      : catalogue(std::move(c)),
        systems(db.Evaluation(), catalogue),
        surveys(db.Evaluation(), systems, db.Regions()) {}
};

Result<std::unique_ptr<Services>> Open(storage::Database& db) {
  auto catalogue = indicators::StandardCatalogue();
  if (!catalogue) return std::unexpected(catalogue.error());
  return std::make_unique<Services>(db, std::move(*catalogue));
}

std::string GroupName(const std::string& code) {
  const auto* g = evaluation::FindRespondentGroup(code);
  if (!g) return code;
  return std::string(ChineseOutput() ? g->name : g->name_en);
}

std::string Num(const std::optional<double>& v) {
  return v ? fmt::format("{:.3f}", *v) : std::string("-");
}

void PrintQuality(const evaluation::SurveyQuality& q) {
  fmt::print("{} {}\n", Localized("Responses:", "答卷数："), q.responses);
  if (!q.targets.empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : q.targets) {
      rows.push_back({GroupName(t.group), t.region, std::to_string(t.count),
                      std::to_string(t.target), t.count >= t.target ? "✓" : "✗"});
    }
    PrintTable(
        {Localized("group", "调查对象"), Localized("region", "地区"),
         Localized("responses", "回收"), Localized("target", "目标"), Localized("met", "达标")},
        rows);
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : q.dimensions) {
    rows.push_back({d.dimension, std::to_string(d.items.size()), std::to_string(d.respondents),
                    Num(d.alpha), Num(d.standardized_alpha), Num(d.kmo),
                    d.chi2 ? fmt::format("{:.2f} ({})", *d.chi2, d.df) : "-", Num(d.p),
                    d.problem.empty() ? d.sampling_problem : d.problem});
  }
  fmt::print("\n");
  PrintTable({Localized("dimension", "维度"), Localized("items", "题数"),
              Localized("respondents", "有效答卷"), "Cronbach α", Localized("std. α", "标准化 α"),
              "KMO", "Bartlett χ² (df)", "p", Localized("note", "说明")},
             rows);
  fmt::print("\n{} KMO {}  Bartlett χ² {} df {} p {}{}\n",
             Localized("All Likert items:", "全部量表题："), Num(q.sampling.kmo),
             Num(q.sampling.chi2), q.sampling.df, Num(q.sampling.p),
             q.sampling.problem.empty() ? "" : "  (" + q.sampling.problem + ")");
  if (!q.warnings.empty()) {
    fmt::print("\n{}\n", Localized("Warnings:", "警告："));
    for (const auto& w : q.warnings) {
      fmt::print("  [{}] {}\n", w.code, ChineseOutput() ? w.text : w.text_en);
    }
  }
}

}  // namespace

void AddSurveyCommands(CLI::App& root, CommandContext& ctx) {
  auto* cmd = root.add_subcommand(
      "survey",
      "Questionnaires of evaluation surveys (问卷调查): list them, show one, import responses "
      "from 问卷星 / KoboToolbox / ODK exports or any CSV/XLSX, and check their quality "
      "(targets, Cronbach's α, KMO and Bartlett, straight-lining). Questionnaires are designed "
      "in the web UI or the API. See docs/evaluation.md.");
  cmd->require_subcommand(1);
  auto db = std::make_shared<DatabaseOption>(*cmd);

  {
    auto* sub = cmd->add_subcommand("list", "List the questionnaires");
    auto c = std::make_shared<Common>();
    auto system = std::make_shared<int64_t>(0);
    sub->add_option("--system", *system, "only those of this indicator system");
    sub->add_flag("--json", c->json, "print JSON (the items of GET /api/v1/evaluation/surveys)");
    sub->callback([&ctx, db, c, system] {
      ctx.action = [&ctx, db, c, system]() -> int {
        auto opened = db->Open(ctx, /*migrate=*/true);
        if (!opened) return Fail(*c, opened.error());
        auto list = (*opened)->Evaluation().ListQuestionnaires({""}, *system);
        if (!list) return Fail(*c, list.error());
        if (c->json) {
          json items = json::array();
          for (const auto& q : *list) {
            items.push_back(json(evaluation::QuestionnaireJson(q, {}, false)));
          }
          fmt::print("{}\n", json{{"items", items}}.dump(2));
          return kExitOk;
        }
        std::vector<std::vector<std::string>> rows;
        for (const auto& q : *list) {
          rows.push_back({std::to_string(q.id), q.name, q.region_code,
                          fmt::format("{} v{}", q.system_id, q.system_version), q.period,
                          std::to_string(q.questions.size()), std::to_string(q.responses),
                          q.open ? Localized("open", "收集中") : Localized("closed", "已关闭")});
        }
        PrintTable({"id", Localized("name", "名称"), Localized("region", "地区"),
                    Localized("system", "指标体系"), Localized("period", "期间"),
                    Localized("questions", "题数"), Localized("responses", "答卷数"),
                    Localized("status", "状态")},
                   rows);
        return kExitOk;
      };
    });
  }

  {
    auto* sub = cmd->add_subcommand("show", "Show a questionnaire's questions and leaf tallies");
    auto c = std::make_shared<Common>();
    auto id = std::make_shared<int64_t>(0);
    sub->add_option("ID", *id, "the questionnaire")->required();
    sub->add_flag("--json", c->json, "print JSON (as GET /api/v1/evaluation/surveys/{id})");
    sub->callback([&ctx, db, c, id] {
      ctx.action = [&ctx, db, c, id]() -> int {
        auto opened = db->Open(ctx, /*migrate=*/true);
        if (!opened) return Fail(*c, opened.error());
        auto services = Open(**opened);
        if (!services) return Fail(*c, services.error());
        auto& surveys = (*services)->surveys;
        auto q = surveys.Get({""}, *id);
        if (!q) return Fail(*c, q.error());
        auto version = surveys.VersionOf({""}, q->system_id, q->system_version);
        if (!version) return Fail(*c, version.error());
        auto tally = surveys.Tally({""}, *id, "");
        if (!tally) return Fail(*c, tally.error());
        if (c->json) {
          json out = evaluation::QuestionnaireJson(*q, version->content.grades, true);
          out["tally"] = json(evaluation::TallyJson(*tally));
          fmt::print("{}\n", out.dump(2));
          return kExitOk;
        }
        fmt::print("{} — {} {}, {} #{} v{}, {} {}\n", q->name, Localized("period", "期间"),
                   q->period, Localized("system", "指标体系"), q->system_id, q->system_version,
                   q->responses, Localized("responses", "份答卷"));
        std::vector<std::vector<std::string>> rows;
        for (const auto& qu : q->questions) {
          std::string counts = "-";
          if (auto t = tally->find(qu.leaf); !qu.leaf.empty() && t != tally->end()) {
            counts.clear();
            for (double v : t->second)
              counts += (counts.empty() ? "" : " / ") + fmt::format("{:g}", v);
          }
          rows.push_back({qu.key, std::string(evaluation::QuestionKindName(qu.kind)),
                          ChineseOutput() || qu.text_en.empty() ? qu.text : qu.text_en,
                          qu.leaf.empty() ? "-" : qu.leaf, counts});
        }
        std::string grades;
        for (const auto& g : version->content.grades)
          grades += (grades.empty() ? "" : " / ") + g.name;
        PrintTable({Localized("key", "编号"), Localized("kind", "题型"),
                    Localized("question", "题目"), Localized("leaf", "指标"), grades},
                   rows);
        return kExitOk;
      };
    });
  }

  {
    auto* sub = cmd->add_subcommand(
        "import",
        "Import responses from a survey tool's export (CSV or XLSX). The tool is recognised from "
        "its columns and a mapping proposed from the header; --map KEY=COLUMN corrects it. Any "
        "bad row: nothing is written and every problem is listed.");
    auto c = std::make_shared<Common>();
    auto id = std::make_shared<int64_t>(0);
    auto file = std::make_shared<std::string>();
    auto maps = std::make_shared<std::vector<std::string>>();
    auto mapping = std::make_shared<evaluation::ColumnMapping>();
    auto dry_run = std::make_shared<bool>(false);
    auto show_mapping = std::make_shared<bool>(false);
    auto sheet = std::make_shared<std::string>();
    sub->add_option("ID", *id, "the questionnaire")->required();
    sub->add_option("FILE", *file, "the export (CSV in UTF-8 or GB18030, or XLSX)")->required();
    sub->add_option("--map", *maps,
                    "QUESTION_KEY=COLUMN: the column answering a question (repeatable)");
    sub->add_option("--id-column", mapping->id_column, "the tool's submission id column");
    sub->add_option("--region-column", mapping->region_column,
                    "the column holding the respondent's region (code or name)");
    sub->add_option("--region", mapping->region, "one region for every row");
    sub->add_option("--group-column", mapping->group_column, "the respondent-group column");
    sub->add_option("--group", mapping->group,
                    "one group for every row: government, workshop_head, farmer, enterprise, "
                    "social_org, household");
    sub->add_option("--date-column", mapping->date_column, "the interview date column");
    sub->add_option("--date", mapping->surveyed_on, "one interview date for every row");
    sub->add_option("--sheet", *sheet, "XLSX: the worksheet (default: the first visible)");
    sub->add_flag("--dry-run", *dry_run, "check only; write nothing");
    sub->add_flag("--show-mapping", *show_mapping,
                  "print the header, the detected tool and the proposed mapping, and stop");
    sub->add_flag("--json", c->json, "print JSON");
    sub->callback([&ctx, db, c, id, file, maps, mapping, dry_run, show_mapping, sheet] {
      ctx.action = [&ctx, db, c, id, file, maps, mapping, dry_run, show_mapping, sheet]() -> int {
        auto opened = db->Open(ctx, /*migrate=*/true);
        if (!opened) return Fail(*c, opened.error());
        auto services = Open(**opened);
        if (!services) return Fail(*c, services.error());
        auto& surveys = (*services)->surveys;
        tabular::ReadOptions options;
        options.sheet = *sheet;
        auto reader = tabular::TableReader::Open(*file, options);
        if (!reader) return Fail(*c, reader.error());
        auto preview = surveys.Preview({""}, *id, **reader);
        if (!preview) return Fail(*c, preview.error());
        // The proposal, overridden by what the command line names.
        evaluation::ColumnMapping m = preview->mapping;
        for (const auto& spec : *maps) {
          const auto eq = spec.find('=');
          if (eq == std::string::npos || eq == 0) {
            return Fail(*c, MakeError(ErrorCode::kInvalidArgument,
                                      fmt::format("--map {}: write QUESTION_KEY=COLUMN", spec))
                                .error());
          }
          m.questions[spec.substr(0, eq)] = spec.substr(eq + 1);
        }
        auto set = [](std::string& field, const std::string& value) {
          if (!value.empty()) field = value;
        };
        set(m.id_column, mapping->id_column);
        set(m.region_column, mapping->region_column);
        set(m.group_column, mapping->group_column);
        set(m.date_column, mapping->date_column);
        if (!mapping->region.empty()) {
          m.region = mapping->region;
          if (mapping->region_column.empty()) m.region_column.clear();
        }
        if (!mapping->group.empty()) {
          m.group = mapping->group;
          if (mapping->group_column.empty()) m.group_column.clear();
        }
        if (!mapping->surveyed_on.empty()) {
          m.surveyed_on = mapping->surveyed_on;
          if (mapping->date_column.empty()) m.date_column.clear();
        }
        if (*show_mapping) {
          if (c->json) {
            fmt::print("{}\n", json{{"tool", evaluation::SurveyToolName(preview->tool)},
                                    {"format", preview->format},
                                    {"header", preview->header},
                                    {"mapping", json(evaluation::MappingJson(m))},
                                    {"unmapped", preview->unmapped}}
                                   .dump(2));
            return kExitOk;
          }
          fmt::print("{} {} ({})\n", Localized("Tool:", "来源工具："),
                     evaluation::SurveyToolName(preview->tool), preview->format);
          std::vector<std::vector<std::string>> rows;
          for (const auto& [k, col] : m.questions) rows.push_back({k, col});
          rows.push_back({"(id)", m.id_column});
          rows.push_back({"(region)", m.region_column.empty() ? "= " + m.region : m.region_column});
          rows.push_back({"(group)", m.group_column.empty() ? "= " + m.group : m.group_column});
          rows.push_back({"(date)", m.date_column.empty() ? "= " + m.surveyed_on : m.date_column});
          PrintTable({Localized("question", "题目"), Localized("column", "列")}, rows);
          return kExitOk;
        }
        // Read the file again from its first row.
        auto again = tabular::TableReader::Open(*file, options);
        if (!again) return Fail(*c, again.error());
        auto outcome = surveys.Import({""}, *id, **again, preview->tool, m, *dry_run, CliActor());
        if (!outcome) return Fail(*c, outcome.error());
        if (c->json) {
          fmt::print("{}\n", json{{"tool", evaluation::SurveyToolName(outcome->tool)},
                                  {"dry_run", outcome->dry_run},
                                  {"rows", outcome->rows},
                                  {"inserted", outcome->inserted},
                                  {"updated", outcome->updated}}
                                 .dump(2));
          return kExitOk;
        }
        fmt::print(
            "{}: {} {}, {} {}, {} {}{}\n", evaluation::SurveyToolName(outcome->tool), outcome->rows,
            Localized("rows", "行"), outcome->inserted, Localized("new", "新增"), outcome->updated,
            Localized("updated", "更新"),
            outcome->dry_run ? Localized(" (dry run: nothing written)", "（仅检查，未写入）") : "");
        return kExitOk;
      };
    });
  }

  {
    auto* sub = cmd->add_subcommand("quality", "Check the responses' quality before use");
    auto c = std::make_shared<Common>();
    auto id = std::make_shared<int64_t>(0);
    auto region = std::make_shared<std::string>();
    sub->add_option("ID", *id, "the questionnaire")->required();
    sub->add_option("--region", *region, "only respondents of this region's subtree");
    sub->add_flag("--json", c->json, "print JSON (as GET /api/v1/evaluation/surveys/{id}/quality)");
    sub->callback([&ctx, db, c, id, region] {
      ctx.action = [&ctx, db, c, id, region]() -> int {
        auto opened = db->Open(ctx, /*migrate=*/true);
        if (!opened) return Fail(*c, opened.error());
        auto services = Open(**opened);
        if (!services) return Fail(*c, services.error());
        auto quality = (*services)->surveys.Quality({""}, *id, *region);
        if (!quality) return Fail(*c, quality.error());
        if (c->json) {
          fmt::print("{}\n", json(evaluation::QualityJson(*quality)).dump(2));
          return kExitOk;
        }
        PrintQuality(*quality);
        return kExitOk;
      };
    });
  }
}

}  // namespace fupin::cli
