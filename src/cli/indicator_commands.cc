#include "cli/indicator_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "cli/command.h"
#include "cli/database_option.h"
#include "cli/settings.h"
#include "cli/text_table.h"
#include "evaluation/survey_measures.h"
#include "evaluation/system_service.h"
#include "funds/fund_measures.h"
#include "goals/goal_repository.h"
#include "indicators/indicator_json.h"
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

void PrintCatalogue(indicators::IndicatorService* service, const indicators::Catalogue& catalogue,
                    bool english, bool as_json, const std::string& source = "",
                    bool declared_only = false) {
  std::vector<const indicators::Indicator*> shown;
  for (const indicators::Indicator* i : catalogue.All()) {
    if (!source.empty() && indicators::SourceName(i->source) != source) continue;
    if (declared_only && i->module != indicators::kDeclaredModule) continue;
    shown.push_back(i);
  }
  if (as_json) {
    json items = json::array();
    for (const indicators::Indicator* i : shown) {
      items.push_back(
          indicators::IndicatorJson(*i, service ? service->DeclarationOf(i->code) : std::nullopt));
    }
    fmt::print("{}\n", json{{"items", items}, {"total", items.size()}}.dump(2));
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const indicators::Indicator* i : shown) {
    std::string formula = "-";
    if (i->formula) {
      formula = fmt::format("{} / {} × {}", i->formula->numerator, i->formula->denominator,
                            i->formula->factor);
    } else if (!i->weight.empty()) {
      formula = fmt::format("weight {}", i->weight);
    }
    rows.push_back(
        {i->code, english ? i->en : i->zh,
         std::string(english ? indicators::UnitEn(i->unit) : indicators::UnitZh(i->unit)),
         std::string(indicators::SourceName(i->source)),
         std::string(indicators::AggregationName(i->aggregation)), i->module, formula});
  }
  PrintTable({Localized("code", "代码"), Localized("name", "名称"), Localized("unit", "单位"),
              Localized("source", "来源"), Localized("roll-up", "汇总"),
              Localized("module", "模块"), Localized("formula", "公式")},
             rows);
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
  cmd->add_flag("--catalogue", o->catalogue,
                "list the indicators instead (with the declared ones when --db is given)");
  CLI::Option* db_given = cmd->get_option("--db");
  cmd->callback([&ctx, db, o, db_given] {
    ctx.action = [&ctx, db, o, db_given]() -> int {
      auto fail = [&](Error e) {
        if (o->json) fmt::print("{}\n", ErrorJson(e).dump(2));
        return o->json ? ExitCodeFor(e) : ReportError(e);
      };
      const bool english = o->lang == "en";
      auto catalogue = indicators::StandardCatalogue();
      if (!catalogue) return fail(catalogue.error());
      if (o->catalogue && db_given->count() == 0) {  // the built-in indicators only
        PrintCatalogue(nullptr, *catalogue, english, o->json);
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
      if (o->catalogue) {
        if (auto refreshed = service.Refresh(); !refreshed) return fail(refreshed.error());
        PrintCatalogue(&service, *catalogue, english, o->json);
        return kExitOk;
      }
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
      evaluation::SurveyMeasures survey_measures((*opened)->Evaluation(), *catalogue);
      service.AddSource(survey_measures);
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

namespace {

// An indicator service over `db` with the declared indicators loaded and the evaluation
// module's and goals' use finders (as the server has them).
struct CatalogueServices {
  CatalogueServices(storage::Database& db, indicators::Catalogue built_in,
                    indicators::IncomeThresholds thresholds)
      : catalogue(std::move(built_in)),
        service(catalogue, db.Indicators(), db.Regions(), std::move(thresholds), clock) {
    service.AddUseFinder(
        [&db](std::string_view code) { return evaluation::IndicatorUses(db.Evaluation(), code); });
    service.AddUseFinder([&db](std::string_view code) -> Result<std::vector<std::string>> {
      auto goals = db.Goals().ListGoals({{""}, "", std::string(code)});
      if (!goals) return std::unexpected(goals.error());
      std::vector<std::string> uses;
      for (const goals::Goal& g : *goals) {
        uses.push_back(fmt::format("goal {} for region {}", g.id, g.region_code));
      }
      return uses;
    });
  }
  SystemClock clock;
  indicators::Catalogue catalogue;
  indicators::IndicatorService service;
};

}  // namespace

void AddCatalogueCommands(CLI::App& root, CommandContext& ctx) {
  auto* cmd = root.add_subcommand(
      "catalogue",
      "The indicator catalogue (指标库): list it, declare indicators (computed by a formula "
      "over others, entered statistics, surveyed), change and remove them. Validated and "
      "audited like the API's. See docs/indicators.md.");
  cmd->require_subcommand(1);
  auto db = std::make_shared<DatabaseOption>(*cmd);
  struct Options {
    bool json = false;
    std::string lang = "zh";
    std::string source;
    bool declared = false;
    std::string file;
    std::string code;
    int64_t version = 0;
  };
  auto o = std::make_shared<Options>();
  // Runs `body` with the services, reporting errors in the command's form.
  auto with_services = [&ctx, db, o](auto body) {
    return [&ctx, db, o, body]() -> int {
      auto thresholds = IncomeThresholdsSetting(ctx);
      if (!thresholds) return ReportErrorAs(o->json, thresholds.error());
      auto catalogue = indicators::StandardCatalogue();
      if (!catalogue) return ReportErrorAs(o->json, catalogue.error());
      auto opened = db->Open(ctx, /*migrate=*/true);
      if (!opened) return ReportErrorAs(o->json, opened.error());
      auto services = std::make_unique<CatalogueServices>(**opened, std::move(*catalogue),
                                                          std::move(*thresholds));
      if (auto refreshed = services->service.Refresh(); !refreshed) {
        return ReportErrorAs(o->json, refreshed.error());
      }
      return body(*services);
    };
  };
  {
    auto* sub = cmd->add_subcommand("list", "Every indicator, built in and declared");
    sub->add_option("--source", o->source, "only computed, entered or surveyed ones")
        ->check(CLI::IsMember({"computed", "entered", "surveyed"}));
    sub->add_flag("--declared", o->declared, "only the declared ones");
    sub->add_option("--lang", o->lang, "names in zh (default) or en")
        ->check(CLI::IsMember({"zh", "en"}));
    sub->add_flag("--json", o->json, "print JSON (the shape of GET /api/v1/indicators)");
    sub->callback([&ctx, o, with_services] {
      ctx.action = with_services([o](CatalogueServices& s) {
        PrintCatalogue(&s.service, s.catalogue, o->lang == "en", o->json, o->source, o->declared);
        for (const std::string& code : s.service.Skipped()) {
          fmt::print(stderr, "{} {}\n", code,
                     Localized("is stored as declared but no longer fits the catalogue; left out",
                               "已声明但与目录不符，未载入"));
        }
        return kExitOk;
      });
    });
  }
  {
    auto* sub = cmd->add_subcommand(
        "declare",
        "Declare indicators from a JSON file: one declaration or a list, each as the body of "
        "POST /api/v1/indicators; one with a `version` changes the declared indicator of its "
        "code (PUT). Applied in order; the first refusal stops (those before it stay).");
    sub->add_option("file", o->file, "the JSON file")->required();
    sub->add_flag("--json", o->json, "print the stored indicators as JSON");
    sub->callback([&ctx, o, with_services] {
      ctx.action = with_services([o](CatalogueServices& s) -> int {
        auto text = ReadFileBytes(o->file);
        if (!text) return ReportErrorAs(o->json, text.error());
        json parsed = json::parse(*text, nullptr, false);
        if (parsed.is_discarded()) {
          return ReportErrorAs(o->json,
                               InvalidArgument(fmt::format("{}: not valid JSON", o->file)).error());
        }
        if (!parsed.is_array()) parsed = json::array({parsed});
        json stored = json::array();
        for (size_t k = 0; k < parsed.size(); ++k) {
          const json& item = parsed[k];
          const bool update = item.is_object() && item.contains("version") &&
                              item.contains("code") && item["code"].is_string();
          auto declaration = indicators::ParseDeclaration(
              item, update ? item["code"].get<std::string>() : std::string());
          auto saved = declaration
                           ? (update ? s.service.Redeclare(declaration->first, declaration->second,
                                                           CliActor())
                                     : s.service.Declare(declaration->first, CliActor()))
                           : Result<indicators::Declaration>(std::unexpected(declaration.error()));
          if (!saved) {
            Error e = saved.error();
            if (parsed.size() > 1) e = e.Prefix(fmt::format("{}[{}]", o->file, k));
            if (!o->json && k > 0) {
              fmt::print(
                  stderr, "{} {}\n", k,
                  Localized("declaration(s) before this one were stored", "项声明已在此之前保存"));
            }
            return ReportErrorAs(o->json, e);
          }
          stored.push_back(indicators::IndicatorJson(saved->indicator, *saved));
          if (!o->json) {
            fmt::print("{} {} ({} {})\n",
                       update ? Localized("changed", "已修改") : Localized("declared", "已声明"),
                       saved->indicator.code, Localized("version", "版本"), saved->version);
          }
        }
        if (o->json) fmt::print("{}\n", json{{"items", stored}}.dump(2));
        return kExitOk;
      });
    });
  }
  {
    auto* sub = cmd->add_subcommand("remove",
                                    "Remove a declared indicator (refused while anything uses it)");
    sub->add_option("code", o->code, "the indicator's code")->required();
    sub->add_option("--version", o->version, "the version you read (catalogue list --json)")
        ->required();
    sub->add_flag("--json", o->json, "print the outcome as JSON");
    sub->callback([&ctx, o, with_services] {
      ctx.action = with_services([o](CatalogueServices& s) -> int {
        auto removed = s.service.Withdraw(o->code, o->version, CliActor());
        if (!removed) return ReportErrorAs(o->json, removed.error());
        if (o->json) {
          fmt::print("{}\n", json{{"deleted", o->code}}.dump(2));
        } else {
          fmt::print("{} {}\n", Localized("removed", "已删除"), o->code);
        }
        return kExitOk;
      });
    });
  }
}

}  // namespace fupin::cli
