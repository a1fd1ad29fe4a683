#include "cli/fund_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/database_option.h"
#include "funds/fund_json.h"
#include "funds/fund_service.h"
#include "projects/model.h"

namespace fupin::cli {
namespace {

using nlohmann::json;

std::string Percent(const std::optional<double>& v) {
  return v ? fmt::format("{:.1f}%", *v * 100) : "—";
}

std::string Index(const std::optional<double>& v) { return v ? fmt::format("{:.2f}", *v) : "—"; }

}  // namespace

void AddFundCommands(CLI::App& root, CommandContext& ctx) {
  auto* cmd = root.add_subcommand(
      "funds",
      "Fund monitoring of a region (资金监管): the batches of --year issued to it, the "
      "allocation, payment and compliance rates, earned value rolled up over its projects, and "
      "every deviation alert with its rule and values. Definitions: docs/funds.md.");
  auto db = std::make_shared<DatabaseOption>(*cmd);
  struct Options {
    std::string region;
    int year = 0;
    std::string as_of;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("--region", o->region, "12-digit region code")->required();
  cmd->add_option("--year", o->year, "the batches' year (default: every year)");
  cmd->add_option("--as-of", o->as_of, "the day of the figures (YYYY-MM-DD, default today)");
  cmd->add_flag("--json", o->json, "print JSON");
  cmd->callback([&ctx, db, o] {
    ctx.action = [&ctx, db, o]() -> int {
      auto fail = [&](const Error& e) {
        if (o->json) {
          fmt::print("{}\n", ErrorJson(e).dump(2));
          return ExitCodeFor(e);
        }
        return ReportError(e);
      };
      std::optional<Date> as_of;
      if (!o->as_of.empty()) {
        auto day = ParseDate(o->as_of);
        if (!day) {
          return fail(InvalidArgument("--as-of is not a date",
                                      {{0, "as_of", o->as_of, "is not a date (YYYY-MM-DD)"}})
                          .error());
        }
        as_of = *day;
      }
      if (o->year != 0 && (o->year < 2000 || o->year > 2100)) {
        return fail(InvalidArgument("--year must be 2000–2100",
                                    {{0, "year", std::to_string(o->year), "must be 2000–2100"}})
                        .error());
      }
      auto opened = db->Open(ctx, /*migrate=*/true);
      if (!opened) return fail(opened.error());
      SystemClock clock;
      funds::FundService service((*opened)->Funds(), (*opened)->Projects(), (*opened)->Regions(),
                                 clock);
      auto m = service.Monitor({""}, o->region, o->year, as_of);
      if (!m) return fail(m.error());
      if (o->json) {
        fmt::print("{}\n", funds::MonitoringJson(*m).dump(2));
        return kExitOk;
      }
      const auto& u = m->usage;
      using projects::Yuan;
      fmt::print("Funds of {} ({}), on {}\n\n", o->region,
                 o->year == 0 ? std::string("every year") : std::to_string(o->year),
                 m->as_of.ToString());
      fmt::print("  batches issued      {:>4}  {:>16} yuan\n", u.batches, Yuan(u.issued_fen));
      fmt::print("  allocated from them       {:>16} yuan  allocation rate {}\n",
                 Yuan(u.allocated_fen), Percent(u.allocation_rate));
      fmt::print("  received by projects      {:>16} yuan\n", Yuan(u.received_fen));
      fmt::print("  paid                      {:>16} yuan  payment rate    {}\n", Yuan(u.paid_fen),
                 Percent(u.payment_rate));
      fmt::print("  payments            {:>4}  non-compliant {}        compliance rate {}\n\n",
                 u.payments, u.non_compliant, Percent(u.compliance_rate));
      const auto& t = m->total;
      fmt::print(
          "Earned value over {} project(s): BAC {} PV {} EV {} AC {} (yuan); SPI {} CPI {}\n",
          m->projects.size(), Yuan(t.bac_fen), Yuan(t.pv_fen), Yuan(t.ev_fen), Yuan(t.ac_fen),
          Index(t.spi), Index(t.cpi));
      fmt::print("\n{:>5}  {:<12} {:>14} {:>14} {:>14} {:>5} {:>5} {:>6}  {}\n", "id", "status",
                 "budget", "allocated", "paid", "SPI", "CPI", "alerts", "name");
      for (const auto& r : m->projects) {
        fmt::print("{:>5}  {:<12} {:>14} {:>14} {:>14} {:>5} {:>5} {:>6}  {}\n", r.project.id,
                   r.project.status, Yuan(r.value.bac_fen), Yuan(r.allocated_fen), Yuan(r.paid_fen),
                   Index(r.value.spi), Index(r.value.cpi), r.alerts, r.project.profile.name);
      }
      if (!m->alerts.empty()) {
        fmt::print("\nAlerts ({}):\n", m->alerts.size());
        for (const auto& a : m->alerts) {
          std::string values;
          for (const auto& v : a.values) {
            values += fmt::format("{}{}={}", values.empty() ? "" : ", ", v.name, v.value);
          }
          fmt::print("  [{}] {} (project {}): {} [{}]\n", a.rule, a.project_name, a.project_id,
                     a.message_en, values);
        }
      }
      return kExitOk;
    };
  });
}

}  // namespace fupin::cli
