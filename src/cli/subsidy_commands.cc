#include "cli/subsidy_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "cli/database_option.h"
#include "workshops/subsidy_json.h"
#include "workshops/subsidy_service.h"
#include "workshops/workshop_service.h"

namespace fupin::cli {
namespace {

using nlohmann::json;
using workshops::YuanText;

const std::vector<std::string> kEverywhere = {""};

// Runs `body` with a SubsidyService on the opened database; errors go to stderr, or to stdout
// as JSON with --json.
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
  workshops::WorkshopService workshops((*opened)->Workshops(), (*opened)->Registry());
  workshops::SubsidyService service((*opened)->Subsidies(), workshops, clock);
  Status done = body(service, **opened);
  if (!done) return fail(done.error());
  return kExitOk;
}

Result<Date> Day(const std::string& option, const std::string& text) {
  auto d = ParseDate(text);
  if (!d) {
    return InvalidArgument(fmt::format("{} {}: not a date YYYY-MM-DD", option, text),
                           {{0, option, text, "is not a date (YYYY-MM-DD)"}});
  }
  return *d;
}

// "5000", "5000.5", "5000.50" yuan → fen, exactly.
Result<int64_t> ParseYuan(const std::string& text) {
  const auto dot = text.find('.');
  const std::string whole = text.substr(0, dot);
  const std::string cents = dot == std::string::npos ? "" : text.substr(dot + 1);
  auto digits = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || whole.size() > 13 || !digits(whole) || cents.size() > 2 || !digits(cents)) {
    return InvalidArgument(fmt::format("--amount {}: not an amount in yuan (e.g. 5000.00)", text),
                           {{0, "amount", text, "is not an amount in yuan"}});
  }
  int64_t fen = std::stoll(whole) * 100;
  if (!cents.empty()) fen += std::stoll(cents) * (cents.size() == 1 ? 10 : 1);
  return fen;
}

Result<workshops::SubsidyRule> RuleByCode(workshops::SubsidyRepository& repo,
                                          const std::string& code) {
  auto rule = repo.FindRuleByCode(code);
  if (!rule) return std::unexpected(rule.error());
  if (!*rule) {
    return MakeError(ErrorCode::kNotFound, fmt::format("no subsidy rule with code {}", code),
                     {{0, "rule", code, "no such rule"}});
  }
  return std::move(**rule);
}

void PrintRun(const workshops::SubsidyRun& run, bool lines) {
  fmt::print(
      "run {}: rule {} version {} ({}) in {}, {} to {} (window {} to {})\n"
      "  {} {}s, {} eligible, {} yuan; approved {} yuan, paid {} yuan, {} pending\n",
      run.id, run.rule_code, run.rule_version, run.rule_name, run.region_code,
      run.period_from.ToString(), run.period_to.ToString(), run.window_from.ToString(),
      run.window_to.ToString(), run.units, run.unit, run.eligible, YuanText(run.total_fen),
      YuanText(run.approved_fen), YuanText(run.paid_fen), run.pending);
  if (!lines) return;
  for (const auto& l : run.lines) {
    fmt::print("  line {:<6} {:<8} {} {} {:>10}  {}\n", l.id, l.decision, l.workshop_name,
               l.member_name, YuanText(l.amount_fen), l.explanation);
  }
}

}  // namespace

void AddSubsidyCommands(CLI::App& root, CommandContext& ctx) {
  auto* group = root.add_subcommand(
      "subsidy",
      "Workshop subsidies (扶贫车间补贴): rules stored as data, eligibility runs for a region and "
      "period, their review, payments and the ledger (docs/workshops.md)");
  group->require_subcommand(1);

  {
    auto* cmd = group->add_subcommand("rules", "List the stored subsidy rules (current versions)");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    struct Options {
      std::string region;
      bool json = false;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("--region", o->region, "only the rules applying to this region");
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->callback([&ctx, db, o] {
      ctx.action = [&ctx, db, o] {
        return WithService(ctx, *db, o->json, [&](workshops::SubsidyService& s, auto&) -> Status {
          auto rules = s.Rules(kEverywhere, o->region);
          if (!rules) return std::unexpected(rules.error());
          if (o->json) {
            json items = json::array();
            for (const auto& r : *rules) items.push_back(workshops::RuleJson(r));
            fmt::print("{}\n", json{{"items", items}}.dump(2));
            return {};
          }
          for (const auto& r : *rules) {
            fmt::print("{:<24} v{:<3} {} {} to {} per {}  {}\n", r.code, r.version, r.region_code,
                       r.valid_from.ToString(), r.valid_to.ToString(), r.unit, r.name);
          }
          return {};
        });
      };
    });
  }

  {
    auto* cmd = group->add_subcommand(
        "add-rule",
        "Store a subsidy rule from a JSON file (the shape of GET /api/v1/subsidy-rules; see "
        "docs/workshops.md) or from a template; with --new-version, a rule whose code is taken "
        "gets a new version instead");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    struct Options {
      std::string file;
      std::string from_template;
      std::string region;
      int year = 2020;
      std::string code;
      bool new_version = false;
      bool json = false;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("file", o->file, "the rule as JSON");
    cmd->add_option("--template", o->from_template,
                    "labour, labour-poor, recognition or yearly (with --region and --year)")
        ->check(CLI::IsMember({"labour", "labour-poor", "recognition", "yearly"}));
    cmd->add_option("--region", o->region, "the template's region (12-digit code)");
    cmd->add_option("--year", o->year, "the template's year (2020)")->check(CLI::Range(2013, 2100));
    cmd->add_option("--code", o->code, "store under this code instead");
    cmd->add_flag("--new-version", o->new_version, "a taken code gets a new version");
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->callback([&ctx, db, o] {
      ctx.action = [&ctx, db, o] {
        return WithService(
            ctx, *db, o->json, [&](workshops::SubsidyService& s, storage::Database& d) -> Status {
              workshops::SubsidyRule rule;
              if (!o->from_template.empty()) {
                if (o->region.empty()) {
                  return InvalidArgument("--template needs --region",
                                         {{0, "region", "", "is required"}});
                }
                const auto templates =
                    workshops::RuleTemplates(o->region, o->year, o->from_template == "labour-poor");
                rule = templates.at(o->from_template == "recognition" ? 1
                                    : o->from_template == "yearly"    ? 2
                                                                      : 0);
              } else if (!o->file.empty()) {
                auto text = ReadFileBytes(o->file);
                if (!text) return std::unexpected(text.error());
                auto parsed = json::parse(*text, nullptr, false);
                if (parsed.is_discarded()) {
                  return InvalidArgument(fmt::format("{} is not JSON", o->file));
                }
                auto read = workshops::ParseRule(parsed);
                if (!read) return std::unexpected(read.error().Prefix(o->file));
                rule = std::move(*read);
              } else {
                return InvalidArgument("give a rule file or --template");
              }
              if (!o->code.empty()) rule.code = o->code;
              rule.id = 0;
              rule.version = 1;
              if (o->new_version) {
                auto stored = d.Subsidies().FindRuleByCode(rule.code);
                if (!stored) return std::unexpected(stored.error());
                if (*stored) {
                  rule.id = (*stored)->id;
                  rule.version = (*stored)->version;
                }
              }
              auto saved = s.SaveRule(rule, kEverywhere, CliActor());
              if (!saved) return std::unexpected(saved.error());
              if (o->json) {
                fmt::print("{}\n", workshops::RuleJson(*saved).dump(2));
              } else {
                fmt::print("stored rule {} (id {}) version {}: {}\n", saved->code, saved->id,
                           saved->version, saved->name);
              }
              return {};
            });
      };
    });
  }

  {
    auto* cmd = group->add_subcommand(
        "run",
        "Evaluate a stored rule (its current version) for the workshops of a region over a "
        "period and store the run, every unit with its explanation, for review");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    struct Options {
      std::string rule;
      std::string region;
      std::string from;
      std::string to;
      bool lines = false;
      bool json = false;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("--rule", o->rule, "the rule's code")->required();
    cmd->add_option("--region", o->region, "12-digit region code")->required();
    cmd->add_option("--from", o->from, "first day YYYY-MM-DD")->required();
    cmd->add_option("--to", o->to, "last day YYYY-MM-DD")->required();
    cmd->add_flag("--lines", o->lines, "print every line");
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->callback([&ctx, db, o] {
      ctx.action = [&ctx, db, o] {
        return WithService(
            ctx, *db, o->json, [&](workshops::SubsidyService& s, storage::Database& d) -> Status {
              auto from = Day("from", o->from);
              if (!from) return std::unexpected(from.error());
              auto to = Day("to", o->to);
              if (!to) return std::unexpected(to.error());
              auto rule = RuleByCode(d.Subsidies(), o->rule);
              if (!rule) return std::unexpected(rule.error());
              auto run = s.Run(rule->id, o->region, *from, *to, kEverywhere, CliActor());
              if (!run) return std::unexpected(run.error());
              if (o->json) {
                fmt::print("{}\n", workshops::RunJson(*run).dump(2));
              } else {
                PrintRun(*run, o->lines);
              }
              return {};
            });
      };
    });
  }

  {
    auto* cmd = group->add_subcommand("show", "Show a run with its lines");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    struct Options {
      int64_t run = 0;
      bool json = false;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("run", o->run, "the run's id")->required();
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->callback([&ctx, db, o] {
      ctx.action = [&ctx, db, o] {
        return WithService(ctx, *db, o->json, [&](workshops::SubsidyService& s, auto&) -> Status {
          auto run = s.FindRun(o->run, kEverywhere);
          if (!run) return std::unexpected(run.error());
          if (o->json) {
            fmt::print("{}\n", workshops::RunJson(*run).dump(2));
          } else {
            PrintRun(*run, true);
          }
          return {};
        });
      };
    });
  }

  {
    auto* cmd = group->add_subcommand(
        "review",
        "Approve lines of a run (each at its computed amount), or reject them with --reject "
        "REASON; --all takes every qualifying line still pending");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    struct Options {
      int64_t run = 0;
      std::vector<int64_t> lines;
      bool all = false;
      std::string reject;
      std::string note;
      bool json = false;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("run", o->run, "the run's id")->required();
    cmd->add_option("--lines", o->lines, "line ids")->delimiter(',');
    cmd->add_flag("--all", o->all, "every qualifying line still pending");
    cmd->add_option("--reject", o->reject, "reject the lines, for this reason");
    cmd->add_option("--note", o->note, "a note with the approval");
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->callback([&ctx, db, o] {
      ctx.action = [&ctx, db, o] {
        return WithService(ctx, *db, o->json, [&](workshops::SubsidyService& s, auto&) -> Status {
          std::vector<int64_t> lines = o->lines;
          if (o->all) {
            auto run = s.FindRun(o->run, kEverywhere);
            if (!run) return std::unexpected(run.error());
            for (const auto& l : run->lines) {
              if (l.qualifies && l.decision == workshops::kPending) lines.push_back(l.id);
            }
          }
          const bool reject = !o->reject.empty();
          auto reviewed = s.Review(
              o->run, lines, std::string(reject ? workshops::kRejected : workshops::kApproved),
              reject ? o->reject : o->note, kEverywhere, CliActor());
          if (!reviewed) return std::unexpected(reviewed.error());
          if (o->json) {
            json items = json::array();
            for (const auto& l : *reviewed) items.push_back(workshops::LineJson(l));
            fmt::print("{}\n", json{{"items", items}}.dump(2));
            return {};
          }
          int64_t approved = 0;
          for (const auto& l : *reviewed) approved += l.approved_fen;
          fmt::print("run {}: {} lines {}, {} yuan approved\n", o->run, reviewed->size(),
                     reject ? "rejected" : "approved", YuanText(approved));
          return {};
        });
      };
    });
  }

  {
    auto* cmd = group->add_subcommand(
        "pay",
        "Record a payment of an approved line in the ledger; never more than is left of its "
        "approved amount");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    struct Options {
      int64_t line = 0;
      std::string amount;
      std::string on;
      std::string voucher;
      std::string payee;
      std::string note;
      bool json = false;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("--line", o->line, "the line's id")->required();
    cmd->add_option("--amount", o->amount, "in yuan, e.g. 5000 or 2500.50")->required();
    cmd->add_option("--on", o->on, "the day paid, YYYY-MM-DD")->required();
    cmd->add_option("--voucher", o->voucher, "the voucher number (凭证号)")->required();
    cmd->add_option("--payee", o->payee, "who was paid")->required();
    cmd->add_option("--note", o->note, "a note");
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->callback([&ctx, db, o] {
      ctx.action = [&ctx, db, o] {
        return WithService(ctx, *db, o->json, [&](workshops::SubsidyService& s, auto&) -> Status {
          workshops::SubsidyPayment p;
          p.line_id = o->line;
          auto fen = ParseYuan(o->amount);
          if (!fen) return std::unexpected(fen.error());
          p.amount_fen = *fen;
          auto on = Day("on", o->on);
          if (!on) return std::unexpected(on.error());
          p.paid_on = *on;
          p.voucher = o->voucher;
          p.payee = o->payee;
          p.note = o->note;
          auto paid = s.Pay(p, kEverywhere, CliActor());
          if (!paid) return std::unexpected(paid.error());
          if (o->json) {
            fmt::print("{}\n", workshops::PaymentJson(*paid).dump(2));
          } else {
            fmt::print("payment {}: {} yuan on {} for line {} (rule {}, {}), voucher {}\n",
                       paid->id, YuanText(paid->amount_fen), paid->paid_on.ToString(),
                       paid->line_id, paid->rule_code, paid->workshop_name, paid->voucher);
          }
          return {};
        });
      };
    });
  }

  {
    auto* cmd = group->add_subcommand("ledger",
                                      "The subsidy ledger: payments with totals by rule, "
                                      "workshop and year");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    struct Options {
      std::string region;
      std::string rule;
      int year = 0;
      bool json = false;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("--region", o->region, "a region's workshops");
    cmd->add_option("--rule", o->rule, "a rule's code");
    cmd->add_option("--year", o->year, "the year paid");
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->callback([&ctx, db, o] {
      ctx.action = [&ctx, db, o] {
        return WithService(
            ctx, *db, o->json, [&](workshops::SubsidyService& s, storage::Database& d) -> Status {
              workshops::PaymentQuery q;
              q.scope = kEverywhere;
              q.within = o->region;
              q.year = o->year;
              if (!o->rule.empty()) {
                auto rule = RuleByCode(d.Subsidies(), o->rule);
                if (!rule) return std::unexpected(rule.error());
                q.rule_id = rule->id;
              }
              auto ledger = s.LedgerOf(q);
              if (!ledger) return std::unexpected(ledger.error());
              if (o->json) {
                fmt::print("{}\n", workshops::LedgerJson(*ledger).dump(2));
                return {};
              }
              for (const auto& p : ledger->payments) {
                fmt::print("{}  {:>12}  {:<16} {} v{}  {} {}  → {}\n", p.paid_on.ToString(),
                           YuanText(p.amount_fen), p.voucher, p.rule_code, p.rule_version,
                           p.workshop_name, p.member_name, p.payee);
              }
              fmt::print("{} payments, {} yuan in all\n", ledger->payments.size(),
                         YuanText(ledger->total_fen));
              for (const auto& t : ledger->by_rule) {
                fmt::print("  rule {:<24} {:>4} payments {:>14} yuan\n", t.key, t.payments,
                           YuanText(t.amount_fen));
              }
              for (const auto& t : ledger->by_year) {
                fmt::print("  year {:<24} {:>4} payments {:>14} yuan\n", t.key, t.payments,
                           YuanText(t.amount_fen));
              }
              return {};
            });
      };
    });
  }
}

}  // namespace fupin::cli
