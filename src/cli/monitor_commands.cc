#include "cli/monitor_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "cli/database_option.h"
#include "monitoring/monitoring_service.h"
#include "tabular/writer.h"

namespace fupin::cli {
namespace {

using nlohmann::json;

// The command line acts as an operator with the whole country in scope, like the imports.
monitoring::Caller Operator() { return {CliActor(), {""}}; }

json AlertJson(const monitoring::Alert& a, bool is_new) {
  json values = json::object();
  for (const auto& v : a.values) values[v.name] = v.value;
  return {{"case_id", a.case_id == 0 ? json(nullptr) : json(a.case_id)},
          {"household_id", a.household_id},
          {"household_number", a.household_number},
          {"region", a.region_code},
          {"rule", a.rule},
          {"period", a.period},
          {"new", is_new},
          {"values", values},
          {"message_zh", a.message_zh},
          {"message_en", a.message_en}};
}

// Runs `body` with a MonitoringService on the opened database; errors go to stderr, or to
// stdout as JSON with --json.
template <typename F>
int WithService(const CommandContext& ctx, const DatabaseOption& db, bool as_json, F body) {
  auto fail = [&](const Error& e) {
    if (as_json) {
      fmt::print("{}\n", ErrorJson(e).dump(2));
      return ExitCodeFor(e);
    }
    return ReportError(e);
  };
  auto opened = db.Open(ctx, /*migrate=*/true);
  if (!opened) return fail(opened.error());
  SystemClock clock;
  monitoring::MonitoringService service((*opened)->Monitoring(), (*opened)->Registry(),
                                        (*opened)->Audit(), (*opened)->Regions(), clock);
  Status done = body(service);
  if (!done) return fail(done.error());
  return kExitOk;
}

}  // namespace

void AddMonitorCommands(CLI::App& root, CommandContext& ctx) {
  auto* group = root.add_subcommand(
      "monitor", "Relapse-prevention monitoring (防返贫监测): detection, cases, public notices");
  group->require_subcommand(1);

  {
    auto* cmd = group->add_subcommand(
        "run",
        "Run the detection rules over the households of a region (income below the threshold, "
        "income drop, medical expenses, disasters, sudden hardship, loss of labour, unmet "
        "guarantees) and record new alerts; alerts already recorded for the same household, "
        "rule and period are not recorded again (docs/monitoring.md)");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    struct Options {
      std::string region;
      std::optional<int> year;
      bool json = false;
    };
    auto opts = std::make_shared<Options>();
    cmd->add_option("--region", opts->region, "12-digit region code: its subtree is examined")
        ->required();
    cmd->add_option("--year", opts->year,
                    "the income year to examine (default: each household's latest)")
        ->check(CLI::Range(2000, 2100));
    cmd->add_flag("--json", opts->json, "print the result as JSON");
    cmd->callback([&ctx, db, opts] {
      ctx.action = [&ctx, db, opts] {
        return WithService(ctx, *db, opts->json, [&](monitoring::MonitoringService& s) -> Status {
          auto report = s.RunDetection(opts->region, opts->year, Operator());
          if (!report) return std::unexpected(report.error());
          // Which of the alerts found are new (recorded now, with their cases).
          std::map<std::tuple<int64_t, std::string, std::string>, const monitoring::Alert*> made;
          for (const auto& a : report->recorded.created) {
            made[{a.household_id, a.rule, a.period}] = &a;
          }
          if (opts->json) {
            json alerts = json::array();
            for (const auto& a : report->found) {
              auto it = made.find({a.household_id, a.rule, a.period});
              alerts.push_back(AlertJson(it == made.end() ? a : *it->second, it != made.end()));
            }
            fmt::print("{}\n", json{{"region", report->region},
                                    {"year", report->year ? json(*report->year) : json(nullptr)},
                                    {"today", report->today.ToString()},
                                    {"households", report->households},
                                    {"watched", report->watched},
                                    {"found", report->found.size()},
                                    {"new_alerts", report->recorded.created.size()},
                                    {"already_recorded", report->recorded.already_recorded},
                                    {"cases_opened", report->recorded.cases_opened},
                                    {"added_to_open_cases", report->recorded.added_to_open_cases},
                                    {"alerts", alerts}}
                                   .dump(2));
            return {};
          }
          fmt::print(
              "detection over {} on {}: {} households, {} watched; {} alerts fired — {} new, {} "
              "already recorded; {} cases opened, {} alerts added to open cases\n",
              report->region, report->today.ToString(), report->households, report->watched,
              report->found.size(), report->recorded.created.size(),
              report->recorded.already_recorded, report->recorded.cases_opened,
              report->recorded.added_to_open_cases);
          for (const auto& a : report->found) {
            auto it = made.find({a.household_id, a.rule, a.period});
            fmt::print("  {} {}  {}  {} {}: {}\n", it == made.end() ? "   " : "new",
                       it == made.end() ? std::string(8, ' ')
                                        : fmt::format("case {:<3}", it->second->case_id),
                       a.household_number, a.rule, a.period, a.message_zh);
          }
          return {};
        });
      };
    });
  }

  {
    auto* cmd = group->add_subcommand(
        "list", "List the monitoring cases of a region, overdue first (days past the deadline)");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    struct Options {
      std::string region;
      std::string stage;
      bool overdue = false;
      bool json = false;
    };
    auto opts = std::make_shared<Options>();
    cmd->add_option("--region", opts->region, "12-digit region code")->required();
    cmd->add_option("--stage", opts->stage,
                    "alert, village_verified, township_reviewed, monitored, dismissed, "
                    "risk_eliminated, or open (the first three)");
    cmd->add_flag("--overdue", opts->overdue, "only cases whose current step is overdue");
    cmd->add_flag("--json", opts->json, "print the cases as JSON");
    cmd->callback([&ctx, db, opts] {
      ctx.action = [&ctx, db, opts] {
        return WithService(ctx, *db, opts->json, [&](monitoring::MonitoringService& s) -> Status {
          if (!regions::LevelOfCode(opts->region)) {
            return InvalidArgument("--region must be a 12-digit region code",
                                   {{0, "region", opts->region, "is not a region code"}});
          }
          monitoring::CaseQuery q;
          q.within = opts->region;
          q.stage = opts->stage;
          q.overdue_only = opts->overdue;
          q.limit = 100000;
          auto page = s.ListCases(q, Operator());
          if (!page) return std::unexpected(page.error());
          const Date today = s.Today();
          if (opts->json) {
            json items = json::array();
            for (const auto& c : page->items) {
              const auto due = c.CurrentDue();
              items.push_back({{"id", c.id},
                               {"household_number", c.household_number},
                               {"head_name", c.head_name},
                               {"region", c.region_code},
                               {"stage", c.stage},
                               {"category", c.category},
                               {"opened_on", c.opened_on.ToString()},
                               {"due_on", due ? json(due->ToString()) : json(nullptr)},
                               {"days_overdue", monitoring::DaysOverdue(c, today)},
                               {"rules", c.rules}});
            }
            fmt::print("{}\n", json{{"region", opts->region},
                                    {"today", today.ToString()},
                                    {"total", page->total},
                                    {"overdue", page->overdue},
                                    {"items", items}}
                                   .dump(2));
            return {};
          }
          fmt::print("{} cases in {} on {} ({} overdue in the region)\n", page->total, opts->region,
                     today.ToString(), page->overdue);
          for (const auto& c : page->items) {
            const auto due = c.CurrentDue();
            const int64_t over = monitoring::DaysOverdue(c, today);
            std::string rules;
            for (const auto& r : c.rules) rules += (rules.empty() ? "" : ",") + r;
            fmt::print("  {:>5}  {:<17}  {}  opened {}  {}{}  {}\n", c.id, c.stage,
                       c.household_number, c.opened_on.ToString(),
                       due ? "due " + due->ToString() : "no deadline",
                       over > 0 ? fmt::format("  OVERDUE {} days", over) : "", rules);
          }
          return {};
        });
      };
    });
  }

  {
    auto* cmd = group->add_subcommand(
        "notice",
        "Write the public notice list (公示) of households decided monitored in a region: "
        "household number, head's name, township, village, category, dates. No ID numbers, "
        "phones, bank accounts or health data.");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    struct Options {
      std::string region;
      std::string output;
      std::string lang = "zh";
    };
    auto opts = std::make_shared<Options>();
    cmd->add_option("--region", opts->region, "12-digit region code")->required();
    cmd->add_option("--output", opts->output, "the file to write: .csv or .xlsx")->required();
    cmd->add_option("--lang", opts->lang, "headers: zh (default) or en")
        ->check(CLI::IsMember({"zh", "en"}));
    cmd->callback([&ctx, db, opts] {
      ctx.action = [&ctx, db, opts] {
        return WithService(ctx, *db, false, [&](monitoring::MonitoringService& s) -> Status {
          const bool xlsx = opts->output.ends_with(".xlsx");
          if (!xlsx && !opts->output.ends_with(".csv")) {
            return InvalidArgument("--output must end in .csv or .xlsx",
                                   {{0, "output", opts->output, "must end in .csv or .xlsx"}});
          }
          if (!regions::LevelOfCode(opts->region)) {
            return InvalidArgument("--region must be a 12-digit region code",
                                   {{0, "region", opts->region, "is not a region code"}});
          }
          std::vector<std::string> header;
          for (const auto& c : monitoring::MonitoringService::NoticeColumns()) {
            header.emplace_back(opts->lang == "en" ? c.en : c.zh);
          }
          auto writer = tabular::TableWriter::Create(
              opts->output, xlsx ? tabular::Format::kXlsx : tabular::Format::kCsv, header);
          if (!writer) return std::unexpected(writer.error());
          FUPIN_TRY(
              s.Notice({opts->region, std::nullopt, std::nullopt}, Operator(),
                       [&](const std::vector<std::string>& row) { return (*writer)->Add(row); }));
          FUPIN_TRY((*writer)->Close());
          fmt::print("notice of {} households written to {}\n", (*writer)->rows(), opts->output);
          return {};
        });
      };
    });
  }
}

}  // namespace fupin::cli
