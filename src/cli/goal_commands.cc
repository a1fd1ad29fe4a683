#include "cli/goal_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/database_option.h"
#include "cli/indicator_commands.h"
#include "cli/settings.h"
#include "funds/fund_measures.h"
#include "goals/goal_service.h"
#include "indicators/indicator_service.h"
#include "indicators/workshop_indicators.h"
#include "projects/project_outputs.h"

namespace fupin::cli {
namespace {

using nlohmann::json;

json Optional(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

void AddGoalCommands(CLI::App& root, CommandContext& ctx) {
  auto* cmd = root.add_subcommand(
      "goals",
      "The goal board of a region (目标管理): every goal within it with its indicator's value "
      "as of today (China time), the percent of the way from baseline to target, where the "
      "straight line from the baseline date to the deadline is, and the status (achieved, "
      "on_track, at_risk, off_track, no_data). Goals are set in the web UI or the API. "
      "Definitions: docs/goals.md.");
  auto db = std::make_shared<DatabaseOption>(*cmd);
  struct Options {
    std::string region;
    std::string indicator;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("--region", o->region, "12-digit region code")->required();
  cmd->add_option("--indicator", o->indicator, "only the goals on this indicator");
  cmd->add_flag("--json", o->json, "print JSON (the items of GET /api/v1/goals)");
  cmd->callback([&ctx, db, o] {
    ctx.action = [&ctx, db, o]() -> int {
      auto fail = [&](const Error& e) {
        if (o->json) fmt::print("{}\n", ErrorJson(e).dump(2));
        return o->json ? ExitCodeFor(e) : ReportError(e);
      };
      auto catalogue = indicators::StandardCatalogue();
      if (!catalogue) return fail(catalogue.error());
      auto thresholds = IncomeThresholdsSetting(ctx);
      if (!thresholds) return fail(thresholds.error());
      auto opened = db->Open(ctx, /*migrate=*/true);
      if (!opened) return fail(opened.error());
      SystemClock clock;
      indicators::IndicatorService indicators(*catalogue, (*opened)->Indicators(),
                                              (*opened)->Regions(), *thresholds, clock);
      indicators::WorkshopMeasures workshop_measures((*opened)->Workshops());
      indicators.AddSource(workshop_measures);
      funds::FundService fund_service((*opened)->Funds(), (*opened)->Projects(),
                                      (*opened)->Regions(), clock);
      funds::FundMeasures fund_measures(fund_service, (*opened)->Projects());
      indicators.AddSource(fund_measures);
      goals::GoalService service((*opened)->Goals(), indicators, clock);
      projects::ProjectOutputs outputs((*opened)->Projects(), (*opened)->Regions());
      service.SetOutputs(outputs);
      auto board = service.Board({""}, o->region, o->indicator);
      if (!board) return fail(board.error());
      if (o->json) {
        json items = json::array();
        for (const auto& v : *board) {
          const auto& g = v.goal;
          const auto& p = v.progress;
          items.push_back({{"id", g.id},
                           {"region", g.region_code},
                           {"region_name", v.region_name},
                           {"indicator", g.indicator},
                           {"title", g.title},
                           {"baseline", Optional(g.baseline)},
                           {"baseline_date", g.baseline_date ? g.baseline_date->ToString() : ""},
                           {"target", Optional(g.target)},
                           {"deadline", g.deadline ? g.deadline->ToString() : ""},
                           {"responsible_unit", g.responsible_unit},
                           {"responsible_person", g.responsible_person},
                           {"progress",
                            {{"as_of", p.as_of.ToString()},
                             {"actual", Optional(p.actual)},
                             {"percent", Optional(p.percent)},
                             {"expected", p.expected},
                             {"ratio", Optional(p.ratio)},
                             {"status", p.status},
                             {"explanation", p.explanation}}}});
        }
        fmt::print("{}\n", json{{"region", o->region}, {"items", items}}.dump(2));
        return kExitOk;
      }
      fmt::print("Goals within {}: {}\n", o->region, board->size());
      for (const auto& v : *board) {
        const auto& g = v.goal;
        const auto& p = v.progress;
        fmt::print("{:>5}  {:<12} {:<10} {:<34} {:>8} → {:<8} by {}  {:>7}  {:>6.1f}%  {}\n", g.id,
                   g.region_code, v.region_name, g.indicator, fmt::format("{:g}", *g.baseline),
                   fmt::format("{:g}", *g.target), g.deadline->ToString(),
                   p.percent ? fmt::format("{:.1f}%", *p.percent) : std::string("—"), p.expected,
                   p.status);
      }
      return kExitOk;
    };
  });
}

}  // namespace fupin::cli
