#include "cli/indicator_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "cli/database_option.h"
#include "cli/settings.h"
#include "cli/text_table.h"
#include "funds/fund_measures.h"
#include "indicators/indicator_service.h"
#include "indicators/workshop_indicators.h"
#include "security/crypto.h"
#include "tabular/reader.h"

namespace fupin::cli {
namespace {

using nlohmann::json;

json Optional(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

std::string FormatValue(const std::optional<double>& v, std::string_view unit) {
  if (!v) return "—";
  if (indicators::IsCountUnit(unit) || (std::floor(*v) == *v && std::fabs(*v) < 1e15)) {
    return fmt::format("{:.0f}", *v);
  }
  return fmt::format("{:.2f}", *v);
}

// The JSON of a value report: the same shape as GET /api/v1/indicators/values.
json ReportJson(const indicators::ValueReport& r) {
  json regions = json::array();
  for (const auto& region : r.regions) {
    regions.push_back({{"code", region.code},
                       {"name", region.name},
                       {"level", regions::LevelName(region.level)}});
  }
  json items = json::array();
  for (const auto& v : r.values) {
    json item = {{"indicator", v.indicator},
                 {"region", v.region_code},
                 {"period", v.period.ToString()},
                 {"value", Optional(v.value)}};
    if (v.numerator || v.denominator) {
      item["numerator"] = Optional(v.numerator);
      item["denominator"] = Optional(v.denominator);
    }
    items.push_back(std::move(item));
  }
  json indicators = json::array();
  for (const indicators::Indicator* i : r.indicators) {
    indicators.push_back({{"code", i->code}, {"zh", i->zh}, {"en", i->en}, {"unit", i->unit}});
  }
  return {{"period", r.period.ToString()},
          {"period_end", r.period.last.ToString()},
          {"income_year", r.income_year},
          {"income_threshold", Optional(r.income_threshold)},
          {"indicators", indicators},
          {"regions", regions},
          {"items", items},
          {"total", items.size()}};
}

void PrintReport(const indicators::ValueReport& r, bool english) {
  const auto& first = r.regions.front();
  const std::string period = r.period.kind == PeriodKind::kYear
                                 ? (english ? fmt::format("year {}", r.period.ToString())
                                            : fmt::format("{} 年", r.period.ToString()))
                                 : (english ? fmt::format("as of {}", r.period.last.ToString())
                                            : fmt::format("截至 {}", r.period.last.ToString()));
  const std::string threshold =
      r.income_threshold ? fmt::format("{:.0f}", *r.income_threshold) : "—";
  fmt::print("{} {} · {} · {} {} ({} {})\n", first.name, first.code, period,
             english ? "incomes of" : "收入年度", r.income_year,
             english ? "income threshold" : "收入标准", threshold);
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> head = {english ? "code" : "代码", english ? "indicator" : "指标",
                                   english ? "unit" : "单位"};
  for (const auto& region : r.regions) head.push_back(region.name);
  table.push_back(head);
  const size_t n = r.indicators.size();
  for (size_t i = 0; i < n; ++i) {
    const indicators::Indicator& ind = *r.indicators[i];
    std::vector<std::string> row = {
        ind.code, english ? ind.en : ind.zh,
        std::string(english ? indicators::UnitEn(ind.unit) : indicators::UnitZh(ind.unit))};
    for (size_t k = 0; k < r.regions.size(); ++k) {
      row.push_back(FormatValue(r.values[k * n + i].value, ind.unit));
    }
    table.push_back(std::move(row));
  }
  std::vector<size_t> widths(head.size(), 0);
  for (const auto& row : table) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  for (const auto& row : table) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += (c ? "  " : "") + Pad(row[c], widths[c], c >= 3);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    fmt::print("{}\n", line);
  }
}

void PrintCatalogue(const indicators::Catalogue& catalogue, bool english, bool as_json) {
  if (as_json) {
    json items = json::array();
    for (const indicators::Indicator* listed : catalogue.All()) {
      const indicators::Indicator& i = *listed;
      json item = {{"code", i.code},
                   {"zh", i.zh},
                   {"en", i.en},
                   {"unit", i.unit},
                   {"direction", indicators::DirectionName(i.direction)},
                   {"source", indicators::SourceName(i.source)},
                   {"aggregation", indicators::AggregationName(i.aggregation)},
                   {"module", i.module}};
      if (i.formula) {
        item["formula"] = {{"numerator", i.formula->numerator},
                           {"denominator", i.formula->denominator},
                           {"factor", i.formula->factor}};
      }
      items.push_back(std::move(item));
    }
    fmt::print("{}\n", json{{"items", items}, {"total", items.size()}}.dump(2));
    return;
  }
  size_t width = 0;
  const auto all = catalogue.All();
  for (const auto* i : all) width = std::max(width, i->code.size());
  for (const auto* listed : all) {
    const indicators::Indicator& i = *listed;
    fmt::print("{}  {}  [{}, {}]\n", Pad(i.code, width, false), english ? i.en : i.zh,
               indicators::SourceName(i.source), indicators::AggregationName(i.aggregation));
  }
}

}  // namespace

Result<indicators::IncomeThresholds> IncomeThresholdsSetting(const CommandContext& ctx) {
  const std::string text =
      ctx.settings ? ctx.settings->Resolve("", false, "income_thresholds", "") : "";
  auto parsed = indicators::IncomeThresholds::Parse(text, indicators::IncomeThresholds::Defaults());
  if (!parsed) {
    Error e = parsed.error();
    return std::unexpected(e.Prefix("setting income_thresholds (FUPIN_INCOME_THRESHOLDS)"));
  }
  return parsed;
}

void AddImportStatisticsCommand(CLI::App& import, CommandContext& ctx) {
  auto* cmd = import.add_subcommand(
      "statistics",
      "Import entered indicator values (统计数据), e.g. the rural population per village and "
      "year, from CSV (UTF-8 or GB18030) or XLSX: columns region_code, year, indicator_code, "
      "value (or 行政区划代码, 年度, 指标代码, 数值). Only indicators whose source is 'entered' "
      "(see `fupin indicators --catalogue`). Any bad row → nothing is written and every problem "
      "is listed (row, column, value, reason); importing the same file again changes nothing.");
  auto db = std::make_shared<DatabaseOption>(*cmd);
  struct Options {
    std::string file;
    bool dry_run = false;
    bool json = false;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("FILE", opts->file, "CSV or XLSX file")->required();
  cmd->add_flag("--dry-run", opts->dry_run, "validate only; write nothing");
  cmd->add_flag("--json", opts->json, "print the result (or the errors) as JSON");
  cmd->callback([&ctx, db, opts] {
    ctx.action = [&ctx, db, opts]() -> int {
      auto fail = [&](Error e) {
        if (opts->json) fmt::print("{}\n", ErrorJson(e).dump(2));
        return opts->json ? ExitCodeFor(e) : ReportError(e);
      };
      auto bytes = ReadFileBytes(opts->file);
      if (!bytes) return fail(bytes.error());
      auto reader = tabular::TableReader::Open(opts->file);
      if (!reader) return fail(reader.error());
      std::vector<tabular::Row> rows;
      for (tabular::Row row;;) {
        auto more = (*reader)->Next(row);
        if (!more) return fail(more.error());
        if (!*more) break;
        rows.push_back(row);
      }
      const std::string source =
          fmt::format("file {} sha256:{}", opts->file, security::Sha256Hex(*bytes));
      auto thresholds = IncomeThresholdsSetting(ctx);
      if (!thresholds) return fail(thresholds.error());
      auto catalogue = indicators::StandardCatalogue();
      if (!catalogue) return fail(catalogue.error());
      auto opened = db->Open(ctx, /*migrate=*/true);
      if (!opened) return fail(opened.error());
      SystemClock clock;
      indicators::IndicatorService service(*catalogue, (*opened)->Indicators(),
                                           (*opened)->Regions(), *thresholds, clock);
      auto report =
          service.ImportStatistics((*reader)->header(), rows, opts->dry_run, CliActor(), source);
      if (!report) {
        Error e = report.error();
        return fail(e.Prefix(opts->file));
      }
      const auto& c = report->counts;
      if (opts->json) {
        fmt::print("{}\n", json{{"file", opts->file},
                                {"format", (*reader)->format()},
                                {"rows", report->rows},
                                {"dry_run", report->dry_run},
                                {"inserted", c.inserted},
                                {"updated", c.updated},
                                {"unchanged", c.unchanged}}
                               .dump(2));
      } else {
        fmt::print("{}{} ({}): {} rows — {} inserted, {} updated, {} unchanged\n",
                   report->dry_run ? "dry run, nothing written: " : "imported ", opts->file,
                   (*reader)->format(), report->rows, c.inserted, c.updated, c.unchanged);
      }
      return kExitOk;
    };
  });
}

// `fupin indicators --workshop ID`: the workshop's own values (the shape of GET
// /api/v1/workshops/{id}/indicators with --json).
template <typename Fail>
int PrintWorkshopIndicators(const indicators::Catalogue& catalogue,
                            workshops::WorkshopRepository& repository, int64_t id,
                            const Period& period, bool english, bool as_json, Fail&& fail) {
  auto found = repository.FindWorkshop(id, {""});
  if (!found) return fail(found.error());
  if (!*found) return fail(NotFound(fmt::format("no workshop {}", id)).error());
  auto values = indicators::WorkshopIndicatorValues(catalogue, repository, **found, period);
  if (!values) return fail(values.error());
  if (as_json) {
    json items = json::array();
    for (const auto& v : *values) {
      items.push_back({{"code", v.indicator->code},
                       {"zh", v.indicator->zh},
                       {"en", v.indicator->en},
                       {"unit", v.indicator->unit},
                       {"value", v.value ? json(*v.value) : json(nullptr)},
                       {"numerator", v.numerator ? json(*v.numerator) : json(nullptr)},
                       {"denominator", v.denominator ? json(*v.denominator) : json(nullptr)}});
    }
    fmt::print("{}\n", json{{"workshop", id},
                            {"period", period.ToString()},
                            {"stock_day", period.last.ToString()},
                            {"stock_month", indicators::StockMonth(period).ToString()},
                            {"income_year", indicators::LastCompleteYear(period)},
                            {"items", items}}
                           .dump(2));
    return kExitOk;
  }
  fmt::print("{} {} ({}; {} {}, {} {})\n", english ? "workshop" : "车间", (*found)->name,
             period.ToString(), english ? "month" : "统计月",
             indicators::StockMonth(period).ToString(), english ? "income year" : "收入年度",
             indicators::LastCompleteYear(period));
  for (const auto& v : *values) {
    fmt::print("  {:<36} {:>14}  {}\n", v.indicator->code,
               v.value ? fmt::format("{:.2f}", *v.value) : std::string("—"),
               english ? v.indicator->en : v.indicator->zh);
  }
  return kExitOk;
}

void AddIndicatorCommands(CLI::App& root, CommandContext& ctx) {
  auto* cmd = root.add_subcommand(
      "indicators",
      "Show every indicator for a region (and with --children for each child region) for a "
      "year or as of a date (default: as of today, China time), rolled up from the registry "
      "and the entered statistics. Definitions: docs/indicators.md.");
  auto db = std::make_shared<DatabaseOption>(*cmd);
  struct Options {
    std::string region;
    int year = 0;
    std::string as_of;
    bool children = false;
    std::string codes;
    std::string lang = "zh";
    bool json = false;
    bool catalogue = false;
    int64_t workshop = 0;
  };
  auto o = std::make_shared<Options>();
  auto* region = cmd->add_option("--region", o->region, "12-digit region code");
  cmd->add_option("--workshop", o->workshop,
                  "a workshop's id: its own value of every workshop indicator instead")
      ->excludes(region);
  auto* year = cmd->add_option("--year", o->year, "a calendar year: figures at 31 December")
                   ->check(CLI::Range(1980, 2100));
  cmd->add_option("--as-of", o->as_of, "a date YYYY-MM-DD: figures on that day")->excludes(year);
  cmd->add_flag("--children", o->children, "also every child region");
  cmd->add_option("--codes", o->codes, "only these indicators, comma-separated");
  cmd->add_option("--lang", o->lang, "names in zh (default) or en")
      ->check(CLI::IsMember({"zh", "en"}));
  cmd->add_flag("--json", o->json, "print JSON (the shape of GET /api/v1/indicators/values)");
  cmd->add_flag("--catalogue", o->catalogue, "list the indicators instead");
  cmd->callback([&ctx, db, o] {
    ctx.action = [&ctx, db, o]() -> int {
      auto fail = [&](Error e) {
        if (o->json) fmt::print("{}\n", ErrorJson(e).dump(2));
        return o->json ? ExitCodeFor(e) : ReportError(e);
      };
      const bool english = o->lang == "en";
      auto catalogue = indicators::StandardCatalogue();
      if (!catalogue) return fail(catalogue.error());
      if (o->catalogue) {
        PrintCatalogue(*catalogue, english, o->json);
        return kExitOk;
      }
      if (o->region.empty() && o->workshop == 0) {
        return fail(
            InvalidArgument("--region (a 12-digit region code) or --workshop is required").error());
      }
      SystemClock clock;
      Period period = indicators::DayPeriod(ChinaDate(clock.Now()));
      if (o->year > 0) {
        period = indicators::YearPeriod(o->year);
      } else if (!o->as_of.empty()) {
        auto parsed = ParseDate(o->as_of);
        if (!parsed || parsed->year < 1980 || parsed->year > 2100) {
          return fail(InvalidArgument(fmt::format("--as-of {}: not a date YYYY-MM-DD from 1980 to "
                                                  "2100",
                                                  o->as_of))
                          .error());
        }
        period = indicators::DayPeriod(*parsed);
      }
      std::vector<std::string> codes;
      for (const std::string& c : Split(o->codes, ',')) {
        if (!Trim(c).empty()) codes.emplace_back(Trim(c));
      }
      auto thresholds = IncomeThresholdsSetting(ctx);
      if (!thresholds) return fail(thresholds.error());
      auto opened = db->Open(ctx, /*migrate=*/true);
      if (!opened) return fail(opened.error());
      indicators::IndicatorService service(*catalogue, (*opened)->Indicators(),
                                           (*opened)->Regions(), *thresholds, clock);
      if (o->workshop != 0) {
        return PrintWorkshopIndicators(*catalogue, (*opened)->Workshops(), o->workshop, period,
                                       english, o->json, fail);
      }
      indicators::WorkshopMeasures workshop_measures((*opened)->Workshops());
      service.AddSource(workshop_measures);
      funds::FundService fund_service((*opened)->Funds(), (*opened)->Projects(),
                                      (*opened)->Regions(), clock);
      funds::FundMeasures fund_measures(fund_service, (*opened)->Projects());
      service.AddSource(fund_measures);
      auto report = service.Values({o->region, period, o->children, codes}, {""});
      if (!report) return fail(report.error());
      if (o->json) {
        fmt::print("{}\n", ReportJson(*report).dump(2));
      } else {
        PrintReport(*report, english);
      }
      return kExitOk;
    };
  });
}

}  // namespace fupin::cli
