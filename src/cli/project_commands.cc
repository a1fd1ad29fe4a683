#include "cli/project_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/database_option.h"
#include "funds/fund_json.h"
#include "funds/fund_service.h"
#include "projects/project_json.h"
#include "projects/project_repository.h"

namespace fupin::cli {
namespace {

using nlohmann::json;

std::string Index(const std::optional<double>& v) { return v ? fmt::format("{:.2f}", *v) : "—"; }

}  // namespace

void AddProjectCommands(CLI::App& root, CommandContext& ctx) {
  auto* cmd = root.add_subcommand(
      "projects",
      "The project library (项目库) of a region: every project within it with its type, "
      "lifecycle status, budget, dates, versions (the one in force, a change awaiting approval) "
      "and latest progress, its earned value (SPI, CPI on --as-of, default today) and its "
      "deviation alerts. Definitions: docs/projects.md and docs/funds.md.");
  auto db = std::make_shared<DatabaseOption>(*cmd);
  struct Options {
    std::string region;
    std::string status;
    std::string type;
    std::string as_of;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("--region", o->region, "12-digit region code")->required();
  cmd->add_option("--status", o->status, "only projects in this lifecycle status");
  cmd->add_option("--type", o->type, "only projects of this type");
  cmd->add_option("--as-of", o->as_of, "the day of the earned value and alerts (YYYY-MM-DD)");
  cmd->add_flag("--json", o->json, "print JSON");
  cmd->callback([&ctx, db, o] {
    ctx.action = [&ctx, db, o]() -> int {
      auto fail = [&](const Error& e) {
        if (o->json) {
          json details = json::array();
          for (const auto& d : e.details) {
            details.push_back({{"column", d.column}, {"value", d.value}, {"reason", d.reason}});
          }
          fmt::print(
              "{}\n",
              json{
                  {"error",
                   {{"code", ErrorCodeName(e.code)}, {"message", e.message}, {"details", details}}}}
                  .dump(2));
          return ExitCodeFor(e);
        }
        return ReportError(e);
      };
      std::vector<ErrorDetail> problems;
      if (!o->status.empty() && !projects::Statuses().Contains(o->status)) {
        problems.push_back(
            {0, "status", o->status, "is not one of: " + projects::Statuses().Allowed()});
      }
      if (!o->type.empty() && !projects::ProjectTypes().Contains(o->type)) {
        problems.push_back(
            {0, "type", o->type, "is not one of: " + projects::ProjectTypes().Allowed()});
      }
      std::optional<Date> as_of;
      if (!o->as_of.empty()) {
        auto day = ParseDate(o->as_of);
        if (!day) {
          problems.push_back({0, "as_of", o->as_of, "is not a date (YYYY-MM-DD)"});
        } else {
          as_of = *day;
        }
      }
      if (!problems.empty()) {
        return fail(InvalidArgument("the filters are not valid", std::move(problems)).error());
      }
      auto opened = db->Open(ctx, /*migrate=*/true);
      if (!opened) return fail(opened.error());
      auto region = (*opened)->Regions().Find(o->region);
      if (!region) return fail(region.error());
      if (!*region) {
        return fail(InvalidArgument(fmt::format("--region {}: no such region", o->region),
                                    {{0, "region", o->region, "is not a known region"}})
                        .error());
      }
      projects::ProjectQuery q;
      q.scope = {""};
      q.within = o->region;
      q.status = o->status;
      q.type = o->type;
      q.limit = 0;
      auto page = (*opened)->Projects().ListProjects(q);
      if (!page) return fail(page.error());
      SystemClock clock;
      funds::FundService funds((*opened)->Funds(), (*opened)->Projects(), (*opened)->Regions(),
                               clock);
      std::vector<funds::ProjectExecution> executions;
      for (const auto& p : page->items) {
        auto e = funds.Execution({""}, p.id, as_of);
        if (!e) return fail(e.error());
        executions.push_back(std::move(*e));
      }
      if (o->json) {
        json items = json::array();
        for (size_t i = 0; i < page->items.size(); ++i) {
          json j = projects::ProjectJson(page->items[i]);
          j["earned_value"] = funds::EarnedValueJson(executions[i].value);
          j["allocated_fen"] = executions[i].allocated_fen;
          j["paid_fen"] = executions[i].paid_fen;
          j["alerts"] = json::array();
          for (const auto& a : executions[i].alerts) j["alerts"].push_back(funds::AlertJson(a));
          items.push_back(std::move(j));
        }
        json by_status = json::object();
        for (const auto& [status, n] : page->by_status) by_status[status] = n;
        fmt::print("{}\n", json{{"region", o->region},
                                {"total", page->total},
                                {"by_status", by_status},
                                {"items", items}}
                               .dump(2));
        return kExitOk;
      }
      fmt::print("Projects of {} ({}): {}\n", (*region)->name, o->region, page->total);
      for (const auto& [status, n] : page->by_status) {
        fmt::print("  {:<12} {}\n", status, n);
      }
      fmt::print(
          "\n{:>5}  {:<16} {:<12} {:>14}  {:<10} {:<10} {:>7} {:>5}  {:<5} {:<5} {:>6}  {}\n", "id",
          "type", "status", "budget (yuan)", "start", "end", "version", "done", "SPI", "CPI",
          "alerts", "name");
      size_t alerts = 0;
      for (size_t i = 0; i < page->items.size(); ++i) {
        const auto& p = page->items[i];
        const auto& e = executions[i];
        std::string version = std::to_string(p.approved_version);
        if (p.PendingChange()) version += fmt::format("→{}", p.version);
        fmt::print(
            "{:>5}  {:<16} {:<12} {:>14}  {:<10} {:<10} {:>7} {:>4}%  {:<5} {:<5} {:>6}  {}\n",
            p.id, p.profile.type, p.status, projects::Yuan(p.profile.budget_fen),
            p.profile.start_on.ToString(), p.profile.end_on.ToString(), version, p.latest_percent,
            Index(e.value.spi), Index(e.value.cpi), e.alerts.size(), p.profile.name);
        alerts += e.alerts.size();
      }
      fmt::print(
          "\nversion: the one in force (→ a change awaiting approval); done: the latest "
          "progress report; SPI = EV ÷ PV, CPI = EV ÷ AC on {} (— without a divisor).\n",
          executions.empty() ? std::string("today") : executions.front().value.as_of.ToString());
      if (alerts > 0) {
        fmt::print("\nAlerts ({}):\n", alerts);
        for (const auto& e : executions) {
          for (const auto& a : e.alerts) {
            fmt::print("  [{}] {} (project {}): {}\n", a.rule, e.project.profile.name, e.project.id,
                       a.message_en);
          }
        }
      }
      return kExitOk;
    };
  });
}

}  // namespace fupin::cli
