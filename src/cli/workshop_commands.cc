#include "cli/workshop_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "base/time.h"
#include "cli/database_option.h"
#include "workshops/workshop_json.h"
#include "workshops/workshop_service.h"

namespace fupin::cli {
namespace {

using nlohmann::json;
using workshops::YearMonth;

std::string Yuan(int64_t fen) { return fmt::format("{}.{:02}", fen / 100, fen % 100); }

Result<YearMonth> ParseMonth(const std::string& text) {
  auto day = ParseDate(text + "-01");
  if (text.size() != 7 || !day) {
    return InvalidArgument(fmt::format("--month {}: not a month YYYY-MM", text),
                           {{0, "month", text, "is not a month (YYYY-MM)"}});
  }
  return YearMonth{day->year, day->month};
}

}  // namespace

void AddWorkshopCommands(CLI::App& root, CommandContext& ctx) {
  auto* cmd = root.add_subcommand(
      "workshops",
      "A region's poverty-alleviation workshops (扶贫车间) for a month: workshops by status, the "
      "resumption rate, jobs and registered-poor jobs, wages paid to registered-poor workers, "
      "reports due and missing, idle workshops with the rule and values that flag them. With "
      "--resumption FROM,TO the daily resumption curve instead; with --subsidy TEMPLATE a "
      "subsidy rule evaluated over --year; with --alerts the month's alerts (idle, not "
      "reporting, poor-worker share, poor workers' wage, workers without labour capacity), "
      "under the alert standard stored for the region's province and year unless the "
      "threshold options are given. --standards lists the stored standards; --set-standard "
      "PROVINCE (\"\" for the default) stores one for --year from the threshold options. "
      "Definitions: docs/workshops.md.");
  auto db = std::make_shared<DatabaseOption>(*cmd);
  struct Options {
    std::string region;
    std::string month;
    std::string resumption;
    std::string subsidy;
    int year = 2020;
    int idle_days = 10;
    int idle_months = 3;
    bool alerts = false;
    double min_poor_share = 0.30;
    int min_poor_workers = 0;
    double wage_floor = 1600;
    bool json = false;
    bool standards = false;
    std::string set_standard;
    std::string note;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("--region", o->region, "12-digit region code");
  cmd->add_option("--month", o->month, "YYYY-MM (default: last month, China time)");
  cmd->add_option("--resumption", o->resumption, "FROM,TO (YYYY-MM-DD): the daily curve");
  cmd->add_option("--subsidy", o->subsidy,
                  "evaluate a subsidy rule template over --year: labour, labour-poor, "
                  "recognition, yearly (docs/workshops.md)")
      ->check(CLI::IsMember({"labour", "labour-poor", "recognition", "yearly"}));
  cmd->add_option("--year", o->year, "the subsidy's or the standard's year (2020)")
      ->check(CLI::Range(2013, 2100));
  cmd->add_option("--idle-days", o->idle_days,
                  "idle: fewer days operated than this (default: the standard's)");
  cmd->add_option("--idle-months", o->idle_months,
                  "idle: for this many months running (default: the standard's)");
  cmd->add_flag("--alerts", o->alerts, "the month's alerts, each with its rule and values");
  cmd->add_option("--min-poor-share", o->min_poor_share,
                  "alerts: the recognition standard's share of registered-poor workers");
  cmd->add_option("--min-poor-workers", o->min_poor_workers,
                  "alerts: or this many registered-poor workers meet the standard (0 = off)");
  cmd->add_option("--wage-floor", o->wage_floor,
                  "alerts: floor of registered-poor workers' mean monthly wage, yuan");
  cmd->add_flag("--standards", o->standards, "list the stored alert standards");
  cmd->add_option("--set-standard", o->set_standard,
                  "store the alert standard of this province (12 digits; \"\" = the default) "
                  "for --year, from --idle-days, --idle-months, --min-poor-share, "
                  "--min-poor-workers and --wage-floor");
  cmd->add_option("--note", o->note, "the document a standard comes from");
  cmd->add_flag("--json", o->json, "print JSON");
  cmd->callback([&ctx, db, o, cmd] {
    ctx.action = [&ctx, db, o, cmd]() -> int {
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
      auto opened = db->Open(ctx, /*migrate=*/true);
      if (!opened) return fail(opened.error());
      workshops::WorkshopService service((*opened)->Workshops(), (*opened)->Registry());
      auto given = [&](const char* option) { return cmd->count(option) > 0; };
      // The thresholds given on the command line over `base`.
      auto thresholds = [&](workshops::AlertOptions base) {
        if (given("--idle-days")) base.idle.min_days = o->idle_days;
        if (given("--idle-months")) base.idle.months = o->idle_months;
        if (given("--min-poor-share")) base.min_poor_share = o->min_poor_share;
        if (given("--min-poor-workers")) base.min_poor_workers = o->min_poor_workers;
        if (given("--wage-floor")) base.poor_wage_floor_fen = std::llround(o->wage_floor * 100);
        return base;
      };
      if (o->standards || given("--set-standard")) {
        if (given("--set-standard")) {
          workshops::AlertStandard s;
          s.province_code = o->set_standard;
          s.year = o->year;
          // What is not given keeps the value in force there that year.
          auto base = service.OptionsFor(o->set_standard, o->year);
          if (!base) return fail(base.error());
          s.options = thresholds(*base);
          s.note = o->note;
          auto saved = service.SetStandard(s, {""}, CliActor());
          if (!saved) return fail(saved.error());
        }
        auto all = service.Standards();
        if (!all) return fail(all.error());
        if (o->json) {
          json items = json::array();
          for (const auto& s : *all) {
            items.push_back({{"province", s.province_code},
                             {"year", s.year},
                             {"idle_days", s.options.idle.min_days},
                             {"idle_months", s.options.idle.months},
                             {"min_poor_share", s.options.min_poor_share},
                             {"min_poor_workers", s.options.min_poor_workers},
                             {"poor_wage_floor_fen", s.options.poor_wage_floor_fen},
                             {"note", s.note},
                             {"updated_by", s.updated_by},
                             {"updated_at", s.updated_at}});
          }
          fmt::print("{}\n", json{{"items", items}}.dump(2));
          return kExitOk;
        }
        fmt::print("{:<14} {:>4} {:>9} {:>11} {:>10} {:>12} {:>15}  {}\n", "province", "year",
                   "idle days", "idle months", "poor share", "poor workers", "wage floor yuan",
                   "note");
        for (const auto& s : *all) {
          fmt::print("{:<14} {:>4} {:>9} {:>11} {:>10.2f} {:>12} {:>15.2f}  {}\n",
                     s.province_code.empty() ? "(default)" : s.province_code, s.year,
                     s.options.idle.min_days, s.options.idle.months, s.options.min_poor_share,
                     s.options.min_poor_workers,
                     static_cast<double>(s.options.poor_wage_floor_fen) / 100, s.note);
        }
        return kExitOk;
      }
      if (o->region.empty()) {
        return fail(InvalidArgument("--region is required (a 12-digit region code)").error());
      }
      if (!o->subsidy.empty()) {
        const bool poor_only = o->subsidy == "labour-poor";
        const auto templates = workshops::RuleTemplates(o->region, o->year, poor_only);
        const size_t which = o->subsidy == "recognition" ? 1 : o->subsidy == "yearly" ? 2 : 0;
        const workshops::SubsidyRule& rule = templates.at(which);
        auto e = service.EvaluateSubsidy({""}, o->region, rule, {o->year, 1, 1}, {o->year, 12, 31});
        if (!e) return fail(e.error());
        if (o->json) {
          json results = json::array();
          for (const auto& r : e->results) {
            json checks = json::array();
            for (const auto& c : r.checks) {
              checks.push_back({{"fact", c.condition.fact},
                                {"op", c.condition.op},
                                {"value", c.condition.value},
                                {"actual", c.actual},
                                {"passed", c.passed}});
            }
            results.push_back({{"workshop_id", r.workshop_id},
                               {"member_id", r.member_id},
                               {"employment_id", r.employment_id},
                               {"eligible", r.eligible},
                               {"amount_fen", r.amount_fen},
                               {"amount_formula", r.amount_formula},
                               {"checks", checks}});
          }
          fmt::print("{}\n", json{{"rule", rule.code},
                                  {"name", rule.name},
                                  {"basis", rule.basis},
                                  {"first", e->first.ToString()},
                                  {"last", e->last.ToString()},
                                  {"applies", e->applies},
                                  {"eligible", e->eligible},
                                  {"total_fen", e->total_fen},
                                  {"results", results}}
                                 .dump(2));
          return kExitOk;
        }
        fmt::print("{} ({})\n{} to {}: {} of {} {}s eligible, {} yuan in all\n", rule.name,
                   rule.code, e->first.ToString(), e->last.ToString(), e->eligible,
                   e->results.size(), rule.unit, Yuan(e->total_fen));
        return kExitOk;
      }
      if (!o->resumption.empty()) {
        const auto comma = o->resumption.find(',');
        auto from = ParseDate(o->resumption.substr(0, comma));
        auto to = comma == std::string::npos ? from : ParseDate(o->resumption.substr(comma + 1));
        if (!from || !to) {
          return fail(InvalidArgument(
                          fmt::format("--resumption {}: give FROM,TO as YYYY-MM-DD", o->resumption))
                          .error());
        }
        auto curve = service.Curve({""}, o->region, *from, *to);
        if (!curve) return fail(curve.error());
        if (o->json) {
          json points = json::array();
          for (const auto& r : *curve) points.push_back(workshops::ResumptionJson(r));
          fmt::print("{}\n", json{{"region", o->region},
                                  {"curve", points},
                                  {"convention", curve->empty() ? "" : curve->back().convention}}
                                 .dump(2));
          return kExitOk;
        }
        fmt::print("{:<12} {:>10} {:>10} {:>8}\n", "day", "recognized", "operating", "rate");
        for (const auto& r : *curve) {
          fmt::print("{:<12} {:>10} {:>10} {:>7.1f}%\n", r.day.ToString(), r.recognized,
                     r.operating, r.rate * 100);
        }
        if (!curve->empty()) fmt::print("\n{}\n", curve->back().convention);
        return kExitOk;
      }
      YearMonth month = YearMonth{ChinaDate(std::chrono::system_clock::now()).year,
                                  ChinaDate(std::chrono::system_clock::now()).month}
                            .Previous();
      if (!o->month.empty()) {
        auto parsed = ParseMonth(o->month);
        if (!parsed) return fail(parsed.error());
        month = *parsed;
      }
      if (o->alerts) {
        auto stored = service.OptionsFor(o->region, month.year);
        if (!stored) return fail(stored.error());
        auto alerts = service.Alerts({""}, o->region, month, thresholds(*stored));
        if (!alerts) return fail(alerts.error());
        if (o->json) {
          fmt::print("{}\n", workshops::AlertsJson(*alerts).dump(2));
          return kExitOk;
        }
        std::map<int64_t, std::string> names;
        for (const auto& w : alerts->workshops) names[w.id] = w.name;
        std::map<std::string, int> counts;
        for (const auto& a : alerts->alerts) ++counts[a.rule];
        fmt::print("Workshop alerts of {} in {}: {}\n", o->region, month.ToString(),
                   alerts->alerts.size());
        for (const std::string& rule : workshops::AlertRules()) {
          fmt::print("  {:<26} {}\n", rule, counts[rule]);
        }
        for (const auto& a : alerts->alerts) {
          fmt::print("{} (id {}) {}: {}\n", names[a.workshop_id], a.workshop_id, a.rule, a.message);
        }
        return kExitOk;
      }
      auto stored = service.OptionsFor(o->region, month.year);
      if (!stored) return fail(stored.error());
      auto figures = service.Figures({""}, o->region, month, thresholds(*stored).idle);
      if (!figures) return fail(figures.error());
      if (o->json) {
        fmt::print("{}\n", workshops::FiguresJson(*figures).dump(2));
        return kExitOk;
      }
      const auto& f = figures->figures;
      std::map<int64_t, std::string> names;
      for (const auto& w : figures->workshops) names[w.id] = w.name;
      fmt::print("Workshops of {} in {}\n", o->region, f.month.ToString());
      fmt::print("  recognized workshops     {}\n", f.workshops);
      for (const auto& [status, n] : f.status) fmt::print("    {:<22} {}\n", status, n);
      fmt::print("  resumption rate          {:.1f}% ({} of {} on {})\n", f.resumption.rate * 100,
                 f.resumption.operating, f.resumption.recognized, f.resumption.day.ToString());
      fmt::print("  jobs                     {} ({} registered poor, {:.1f}%)\n", f.jobs,
                 f.poor_jobs, f.poor_share * 100);
      fmt::print("  wages paid               {} yuan ({} yuan to registered-poor workers)\n",
                 Yuan(f.wages_fen), Yuan(f.poor_wages_fen));
      fmt::print("  mean poor worker's wage  {}\n",
                 f.mean_poor_wage_fen ? Yuan(*f.mean_poor_wage_fen) + " yuan a month" : "—");
      fmt::print("  reports                  {} due, {} missing\n", f.reports_due,
                 f.missing.size());
      for (int64_t id : f.missing) fmt::print("    missing: {} (id {})\n", names[id], id);
      fmt::print("  idle workshops           {}\n", f.idle.size());
      for (const auto& [id, findings] : f.idle) {
        fmt::print("    {} (id {})\n", names[id], id);
        for (const auto& x : findings) fmt::print("      {}: {}\n", x.rule, x.detail);
      }
      return kExitOk;
    };
  });
}

}  // namespace fupin::cli
