#include "cli/quality_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "cli/database_option.h"
#include "registry/quality.h"
#include "tabular/writer.h"

namespace fupin::cli {
namespace {

using nlohmann::json;
using registry::Finding;
using registry::QualityReport;
using registry::QualityRule;
using registry::Severity;

struct Options {
  std::string region;
  bool json = false;
  std::vector<std::string> rules;
  std::string severity;
  int year = 0;
  std::string output;
  std::string lang = "zh";
  std::string today;
  bool list_rules = false;
};

std::string_view Title(const QualityRule& r, bool zh) { return zh ? r.title_zh : r.title_en; }
const std::string& Message(const Finding& f, bool zh) { return zh ? f.message_zh : f.message_en; }

json RuleJson(const QualityRule& r) {
  return {{"code", r.code},
          {"severity", registry::SeverityName(r.severity)},
          {"title_zh", r.title_zh},
          {"title_en", r.title_en},
          {"message_zh", r.message_zh},
          {"message_en", r.message_en},
          {"fix_zh", r.fix_zh},
          {"fix_en", r.fix_en}};
}

json ThresholdsJson(const registry::QualityThresholds& t) {
  return {
      {"working_age", {t.working_age_min, t.working_age_max}},
      {"school_age", {t.school_age_min, t.school_age_max}},
      {"elderly_skilled_age", t.elderly_skilled_age},
      {"max_age", t.max_age},
      {"min_head_age", t.min_head_age},
      {"min_parent_gap", t.min_parent_gap},
      {"adult_in_school_age", t.adult_in_school_age},
      {"risk_elimination_months", t.risk_elimination_months},
      {"outlier_method", "robust z-score of ln(per-capita net income): 0.6745 (x - median) / MAD"},
      {"outlier_z", t.outlier_z},
      {"outlier_min_households", t.outlier_min_households},
      {"money_tolerance", t.money_tolerance}};
}

json ReportJson(const QualityReport& report, const std::string& region) {
  json rules = json::array();
  for (const auto& c : report.counts) {
    json r = RuleJson(*c.rule);
    r["findings"] = c.findings;
    r["households"] = c.households;
    rules.push_back(std::move(r));
  }
  json findings = json::array();
  for (const Finding& f : report.findings) {
    findings.push_back(
        {{"rule", f.rule->code},
         {"severity", registry::SeverityName(f.rule->severity)},
         {"household_id", f.household_id},
         {"household_number", f.household_number},
         {"region", f.region_code},
         {"member_id", f.member_id == 0 ? json(nullptr) : json(f.member_id)},
         {"member_name", f.member_name.empty() ? json(nullptr) : json(f.member_name)},
         {"field", f.field},
         {"value", f.value},
         {"message_zh", f.message_zh},
         {"message_en", f.message_en}});
  }
  const auto& d = report.income;
  return {{"region", region.empty() ? json(nullptr) : json(region)},
          {"today", report.today.ToString()},
          {"year", report.year},
          {"year_given", report.year_given},
          {"households", report.households},
          {"members", report.members},
          {"households_with_findings", report.households_with_findings},
          {"summary",
           {{"error", report.Count(Severity::kError)},
            {"warning", report.Count(Severity::kWarning)},
            {"info", report.Count(Severity::kInfo)}}},
          {"thresholds", ThresholdsJson(report.thresholds)},
          {"income_distribution",
           {{"year", d.year},
            {"households", d.households},
            {"applied", d.applied},
            {"median", d.median},
            {"low", d.low},
            {"high", d.high}}},
          {"rules", rules},
          {"findings", findings}};
}

// Pads `text` with spaces to `width` columns, counting a CJK character as two.
std::string Pad(std::string_view text, size_t width) {
  size_t columns = 0;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t bytes = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    columns += bytes >= 3 ? 2 : 1;
    i += bytes;
  }
  std::string out(text);
  if (columns < width) out.append(width - columns, ' ');
  return out;
}

void PrintReport(const QualityReport& report, const std::string& where, bool zh) {
  fmt::print("checked {} households ({} members) of {} on {}; income year {}{}\n",
             report.households, report.members, where, report.today.ToString(), report.year,
             report.year_given ? "" : " (the year most households last reported)");
  const auto& d = report.income;
  if (d.applied) {
    fmt::print(
        "per-capita net income {}: median {:.0f} yuan over {} households; outside "
        "{:.0f}–{:.0f} is flagged\n",
        d.year, d.median, d.households, d.low, d.high);
  } else {
    fmt::print(
        "per-capita net income {}: {} households, too few or too alike for the outlier "
        "rule\n",
        d.year, d.households);
  }
  fmt::print("\n{}{}{}{}{}\n", Pad("rule", 40), Pad("severity", 10), Pad("findings", 10),
             Pad("households", 12), "title");
  for (const auto& c : report.counts) {
    if (c.findings == 0) continue;
    fmt::print("{}{}{}{}{}\n", Pad(c.rule->code, 40),
               Pad(registry::SeverityName(c.rule->severity), 10),
               Pad(std::to_string(c.findings), 10), Pad(std::to_string(c.households), 12),
               Title(*c.rule, zh));
  }
  const size_t clean = std::count_if(report.counts.begin(), report.counts.end(),
                                     [](const registry::RuleCount& c) { return c.findings == 0; });
  fmt::print("{} of {} rules found nothing\n", clean, report.counts.size());
  fmt::print("\n{} households with findings: {} errors, {} warnings, {} notes\n",
             report.households_with_findings, report.Count(Severity::kError),
             report.Count(Severity::kWarning), report.Count(Severity::kInfo));
  if (report.findings.empty()) return;
  fmt::print("\n{}{}{}{}{}{}\n", Pad("household", 20), Pad("member", 12), Pad("field", 30),
             Pad("value", 22), Pad("rule", 40), "message");
  for (const Finding& f : report.findings) {
    fmt::print("{}{}{}{}{}{}\n", Pad(f.household_number, 20), Pad(f.member_name, 12),
               Pad(f.field, 30), Pad(f.value, 22), Pad(f.rule->code, 40), Message(f, zh));
  }
}

Status WriteFindings(const QualityReport& report, const std::string& path, bool zh) {
  tabular::Format format;
  if (path.ends_with(".csv")) {
    format = tabular::Format::kCsv;
  } else if (path.ends_with(".xlsx")) {
    format = tabular::Format::kXlsx;
  } else {
    return InvalidArgument("--output must name a .csv or .xlsx file",
                           {{0, "--output", path, "ends neither in .csv nor in .xlsx"}});
  }
  const std::vector<std::string> header =
      zh ? std::vector<std::string>{"规则代码", "严重程度", "规则", "户编号", "行政区划代码",
                                    "成员",     "字段",     "值",   "问题",   "整改建议"}
         : std::vector<std::string>{"rule",        "severity", "title", "household_number",
                                    "region_code", "member",   "field", "value",
                                    "message",     "fix"};
  auto writer = tabular::TableWriter::Create(path, format, header);
  if (!writer) return std::unexpected(writer.error());
  for (const Finding& f : report.findings) {
    const QualityRule& r = *f.rule;
    FUPIN_TRY((*writer)->Add(
        {std::string(r.code),
         std::string(zh ? registry::SeverityZh(r.severity) : registry::SeverityName(r.severity)),
         std::string(Title(r, zh)), f.household_number, f.region_code, f.member_name, f.field,
         f.value, Message(f, zh), std::string(zh ? r.fix_zh : r.fix_en)}));
  }
  return (*writer)->Close();
}

int ListRules(const Options& o) {
  const bool zh = o.lang != "en";
  if (o.json) {
    json rules = json::array();
    for (const QualityRule& r : registry::QualityRules()) rules.push_back(RuleJson(r));
    fmt::print("{}\n", json{{"rules", rules}, {"thresholds", ThresholdsJson({})}}.dump(2));
    return kExitOk;
  }
  for (const QualityRule& r : registry::QualityRules()) {
    fmt::print("{}{}{}\n", Pad(r.code, 40), Pad(registry::SeverityName(r.severity), 10),
               Title(r, zh));
  }
  return kExitOk;
}

int Run(const CommandContext& ctx, const DatabaseOption& db, const Options& o) {
  if (o.list_rules) return ListRules(o);
  const bool zh = o.lang != "en";
  registry::QualityOptions options;
  options.rules = o.rules;
  if (!o.severity.empty()) {
    options.severity = registry::ParseSeverity(o.severity);
    if (!options.severity) {
      return ReportError(InvalidArgument("--severity must be error, warning or info",
                                         {{0, "--severity", o.severity, "is not a severity"}})
                             .error());
    }
  }
  if (o.year != 0) options.year = o.year;
  if (!o.today.empty()) {
    auto today = ParseDate(o.today);
    if (!today) return ReportError(today.error().Prefix("--today"));
    options.today = *today;
  } else {
    options.today = ChinaDate(std::chrono::system_clock::now());
  }
  auto checker = registry::QualityChecker::Create(options);  // refuses unknown codes early
  if (!checker) return ReportError(checker.error());

  registry::HouseholdQuery query;
  query.scope = {""};  // the command line reads the whole database
  std::string where = "the whole registry";
  auto opened = db.Open(ctx, /*migrate=*/true);
  if (!opened) return ReportError(opened.error());
  if (!o.region.empty()) {
    if (auto level = regions::LevelOfCode(o.region); !level) {
      return ReportError(level.error().Prefix("--region"));
    }
    auto region = (*opened)->Regions().Find(o.region);
    if (!region) return ReportError(region.error());
    if (!*region) {
      return ReportError(NotFound(fmt::format("there is no region {}", o.region)).error());
    }
    query.within = o.region;
    where = fmt::format("{} {}", o.region, (*region)->name);
  }
  auto report = registry::CheckHouseholds((*opened)->Registry(), query, options);
  if (!report) return ReportError(report.error());
  if (!o.output.empty()) {
    if (auto written = WriteFindings(*report, o.output, zh); !written) {
      return ReportError(written.error());
    }
  }
  if (o.json) {
    fmt::print("{}\n", ReportJson(*report, o.region).dump(2));
  } else {
    PrintReport(*report, where, zh);
    if (!o.output.empty()) {
      fmt::print("\nwrote {} findings to {}\n", report->findings.size(), o.output);
    }
  }
  return report->Count(Severity::kError) > 0 ? kExitFindings : kExitOk;
}

}  // namespace

void AddQualityCommands(CLI::App& root, CommandContext& ctx) {
  auto* cmd = root.add_subcommand(
      "check",
      "Run the data-quality rules over the households of a region (see docs/quality.md). "
      "Exit code 0: no error-severity findings; 4: some; 1–3: the check could not run");
  auto db = std::make_shared<DatabaseOption>(*cmd);
  auto o = std::make_shared<Options>();
  cmd->add_option("--region", o->region,
                  "12-digit region code: check its subtree (default: the whole registry)");
  cmd->add_flag("--json", o->json, "print the report as JSON");
  cmd->add_option("--rule", o->rules, "only this rule (repeatable; see --list-rules)");
  cmd->add_option("--severity", o->severity, "only rules of this severity: error, warning, info");
  cmd->add_option("--year", o->year,
                  "the income year to check for missing incomes and outliers (default: the year "
                  "most households last reported income for)");
  cmd->add_option("--output", o->output, "also write the findings to FILE.csv or FILE.xlsx");
  cmd->add_option("--lang", o->lang, "language of titles and messages: zh (default) or en")
      ->check(CLI::IsMember({"zh", "en"}));
  cmd->add_option("--today", o->today,
                  "the business date, YYYY-MM-DD (default: today in China Standard Time)");
  cmd->add_flag("--list-rules", o->list_rules, "list the rules and exit");
  cmd->callback([&ctx, db, o] { ctx.action = [&ctx, db, o] { return Run(ctx, *db, *o); }; });
}

}  // namespace fupin::cli
