#include "http/indicator_routes.h"

#include <fmt/format.h>

#include "access/permissions.h"
#include "base/text.h"
#include "http/body_reader.h"
#include "http/download.h"
#include "indicators/indicator_json.h"
#include "security/crypto.h"

namespace fupin::http {
namespace {

using nlohmann::json;

json Optional(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

namespace {

json ReportJson(const indicators::ValueReport& r) {
  json indicators = json::array();
  for (const indicators::Indicator* i : r.indicators) {
    indicators.push_back({{"code", i->code}, {"zh", i->zh}, {"en", i->en}, {"unit", i->unit}});
  }
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
  return {{"period", r.period.ToString()},
          {"period_end", r.period.last.ToString()},
          {"income_year", r.income_year},
          {"income_threshold", Optional(r.income_threshold)},
          {"indicators", indicators},
          {"regions", regions},
          {"items", items},
          {"total", items.size()}};
}

// The period of a request: year=YYYY or as_of=YYYY-MM-DD (not both); as of today otherwise.
Result<Period> ParsePeriodParams(const ApiRequest& req, const Clock& clock) {
  const auto year = req.Query("year");
  const auto as_of = req.Query("as_of");
  if (year && as_of) {
    return InvalidArgument("give year or as_of, not both",
                           {{0, "as_of", *as_of, "cannot be combined with year"}});
  }
  if (year) {
    if (year->size() != 4 || !IsAsciiDigits(*year) || std::stoi(*year) < 1980 ||
        std::stoi(*year) > 2100) {
      return InvalidArgument("year must be a year from 1980 to 2100",
                             {{0, "year", *year, "is not a year from 1980 to 2100"}});
    }
    return indicators::YearPeriod(std::stoi(*year));
  }
  if (as_of) {
    auto day = ParseDate(*as_of);
    if (!day || day->year < 1980 || day->year > 2100) {
      return InvalidArgument("as_of must be a date YYYY-MM-DD",
                             {{0, "as_of", *as_of, "is not a date YYYY-MM-DD"}});
    }
    return indicators::DayPeriod(*day);
  }
  return indicators::DayPeriod(ChinaDate(clock.Now()));
}

// A declaration from a request body; `code` is the path's on updates ("" on a declaration).
Result<std::pair<indicators::Indicator, int64_t>> DeclarationOf(const ApiRequest& req,
                                                                const std::string& code) {
  auto body = req.JsonBody();
  if (!body) return std::unexpected(body.error());
  return indicators::ParseDeclaration(*body, code);
}

json EnteredReportJson(const indicators::StatisticsImportReport& r) {
  return {{"rows", r.rows},
          {"inserted", r.counts.inserted},
          {"updated", r.counts.updated},
          {"unchanged", r.counts.unchanged},
          {"dry_run", r.dry_run}};
}

// The columns of entered statistics, as the import reads them and the template offers them.
const std::vector<std::string> kEnteredHeader = {"行政区划代码", "年度", "指标代码", "数值"};

}  // namespace

void AddIndicatorRoutes(Router& router, indicators::IndicatorService& service, const Clock& clock) {
  // The catalogue is reference data, like the vocabularies: every signed-in user reads it.
  router.Add("GET", "/api/v1/indicators", Access::SignedIn(),
             [&service](const ApiRequest&) -> Result<ApiResponse> {
               FUPIN_TRY(service.Refresh());
               json items = json::array();
               for (const indicators::Indicator* i : service.catalogue().All()) {
                 items.push_back(indicators::IndicatorJson(*i, service.DeclarationOf(i->code)));
               }
               const auto total = static_cast<int64_t>(items.size());
               return ApiResponse::Json(ListEnvelope(std::move(items), total));
             });

  router.Add("GET", "/api/v1/indicators/units", Access::SignedIn(),
             [](const ApiRequest&) -> Result<ApiResponse> {
               json items = json::array();
               for (std::string_view unit : indicators::UnitCodes()) {
                 items.push_back({{"code", unit},
                                  {"zh", indicators::UnitZh(unit)},
                                  {"en", indicators::UnitEn(unit)},
                                  {"count", indicators::IsCountUnit(unit)}});
               }
               const auto total = static_cast<int64_t>(items.size());
               return ApiResponse::Json(ListEnvelope(std::move(items), total));
             });

  // Declared indicators (指标声明): the catalogue is shared by every region.
  const Access declare = Access::Needs("indicators", "declare");
  router.Add("POST", "/api/v1/indicators", declare,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto declared = DeclarationOf(req, "");
               if (!declared) return std::unexpected(declared.error());
               auto saved = service.Declare(std::move(declared->first), req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(indicators::IndicatorJson(saved->indicator, *saved), 201);
             });

  // Entered statistics (统计数据): read where the caller reads the registry, entered where
  // the caller holds indicators.enter.
  router.Add("GET", "/api/v1/indicators/entered", Access::Needs("registry", "read"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto rows = service.Entered(req.Query("indicator").value_or(""),
                                           req.Query("region").value_or(""),
                                           req.Query("year").value_or(""), req.scope);
               if (!rows) return std::unexpected(rows.error());
               json items = json::array();
               for (const indicators::EnteredRow& row : *rows) {
                 const indicators::EnteredValue& v = row.value;
                 items.push_back({{"indicator", v.indicator},
                                  {"region", v.region_code},
                                  {"region_name", row.region_name},
                                  {"period", v.period},
                                  {"value", v.value},
                                  {"note", v.note},
                                  {"entered_by", v.entered_by},
                                  {"entered_at", v.entered_at}});
               }
               const auto total = static_cast<int64_t>(items.size());
               return ApiResponse::Json(ListEnvelope(std::move(items), total));
             });

  router.Add("GET", "/api/v1/indicators/entered/template", Access::Needs("registry", "read"),
             [](const ApiRequest& req) -> Result<ApiResponse> {
               auto format = FormatOf(req);
               if (!format) return std::unexpected(format.error());
               return Download(*format, kEnteredHeader, {}, "statistics-template");
             });

  const Access enter = Access::Needs("indicators", "enter");
  // {items: [{indicator, region, year, value}], note}: rows numbered from 1 in errors.
  router.Add(
      "PUT", "/api/v1/indicators/entered", enter,
      [&service](const ApiRequest& req) -> Result<ApiResponse> {
        auto body = req.JsonBody();
        if (!body) return std::unexpected(body.error());
        if (!body->contains("items") || !(*body)["items"].is_array() || (*body)["items"].empty()) {
          return InvalidArgument("items is required: a list of values",
                                 {{0, "items", "", "a non-empty list of values"}});
        }
        BodyReader r(*body);
        const std::string note(Trim(r.Text("note")));
        FUPIN_TRY(r.Done("values"));
        const std::vector<std::string> header = {"region", "year", "indicator", "value"};
        std::vector<tabular::Row> rows;
        int64_t line = 0;
        for (const json& item : (*body)["items"]) {
          tabular::Row row;
          row.line = ++line;
          for (const std::string& field : header) {
            const json* v = item.is_object() && item.contains(field) ? &item[field] : nullptr;
            row.cells.push_back(!v || v->is_null() ? ""
                                : v->is_string()   ? v->get<std::string>()
                                                   : v->dump());
          }
          rows.push_back(std::move(row));
        }
        const std::string source = note.empty() ? std::string("entered in the web UI") : note;
        auto report = service.ImportStatistics(header, rows, false, req.Actor(), source, req.scope);
        if (!report) return std::unexpected(report.error());
        return ApiResponse::Json(EnteredReportJson(*report));
      });

  // {file: BASE64, file_name, dry_run}: a CSV or XLSX file of the template's columns.
  router.Add("POST", "/api/v1/indicators/entered/import", enter,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               const std::string name = r.Text("file_name");
               const bool dry_run = r.Bool("dry_run");
               FUPIN_TRY(r.Done("import"));
               auto reader = OpenBodyUpload(*body);
               if (!reader) return std::unexpected(reader.error());
               std::vector<tabular::Row> rows;
               for (tabular::Row row;;) {
                 auto more = (*reader)->Next(row);
                 if (!more) return std::unexpected(more.error());
                 if (!*more) break;
                 rows.push_back(row);
               }
               const std::string source =
                   fmt::format("file {} sha256:{}", name.empty() ? "upload" : name,
                               security::Sha256Hex(body->at("file").get<std::string>()));
               auto report = service.ImportStatistics((*reader)->header(), rows, dry_run,
                                                      req.Actor(), source, req.scope);
               if (!report) return std::unexpected(report.error());
               return ApiResponse::Json(EnteredReportJson(*report));
             });

  // ?region=CODE[&year=Y | &as_of=D][&children=true][&codes=a,b]: values within the caller's
  // registry.read scope.
  router.Add("GET", "/api/v1/indicators/values", Access::Needs("registry", "read"),
             [&service, &clock](const ApiRequest& req) -> Result<ApiResponse> {
               const auto region = req.Query("region");
               if (!region) {
                 return InvalidArgument("region is required (a 12-digit region code)",
                                        {{0, "region", "", "is required"}});
               }
               auto period = ParsePeriodParams(req, clock);
               if (!period) return std::unexpected(period.error());
               auto children = QueryBool(req, "children", false);
               if (!children) return std::unexpected(children.error());
               std::vector<std::string> codes;
               for (const std::string& c : Split(req.Query("codes").value_or(""), ',')) {
                 if (!Trim(c).empty()) codes.emplace_back(Trim(c));
               }
               auto report = service.Values({*region, *period, *children, codes}, req.scope);
               if (!report) return std::unexpected(report.error());
               return ApiResponse::Json(ReportJson(*report));
             });

  // After the static routes above.
  router.Add("GET", "/api/v1/indicators/{code}", Access::SignedIn(),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               FUPIN_TRY(service.Refresh());
               const std::string& code = req.Param("code");
               const indicators::Indicator* i = service.catalogue().Find(code);
               if (!i) return NotFound(fmt::format("no indicator with code '{}'", code));
               return ApiResponse::Json(indicators::IndicatorJson(*i, service.DeclarationOf(code)));
             });

  router.Add("PUT", "/api/v1/indicators/{code}", declare,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto declared = DeclarationOf(req, req.Param("code"));
               if (!declared) return std::unexpected(declared.error());
               auto saved =
                   service.Redeclare(std::move(declared->first), declared->second, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(indicators::IndicatorJson(saved->indicator, *saved));
             });

  router.Add("DELETE", "/api/v1/indicators/{code}", declare,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto version = QueryInt(req, "version", 0);
               if (!version) return std::unexpected(version.error());
               if (*version <= 0) {
                 return InvalidArgument("version is required (the version you read)",
                                        {{0, "version", "", "is required"}});
               }
               FUPIN_TRY(service.Withdraw(req.Param("code"), *version, req.Actor()));
               return ApiResponse::Json({{"deleted", req.Param("code")}});
             });
}

}  // namespace fupin::http
