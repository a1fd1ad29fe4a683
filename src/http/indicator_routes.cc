#include "http/indicator_routes.h"

#include <fmt/format.h>

#include "base/text.h"

namespace fupin::http {
namespace {

using nlohmann::json;

json Optional(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

json IndicatorJson(const indicators::Indicator& i) {
  json j = {{"code", i.code},
            {"zh", i.zh},
            {"en", i.en},
            {"unit", i.unit},
            {"unit_zh", indicators::UnitZh(i.unit)},
            {"unit_en", indicators::UnitEn(i.unit)},
            {"direction", indicators::DirectionName(i.direction)},
            {"source", indicators::SourceName(i.source)},
            {"aggregation", indicators::AggregationName(i.aggregation)},
            {"definition_zh", i.definition_zh},
            {"definition_en", i.definition_en},
            {"module", i.module},
            {"formula", nullptr},
            {"weight", i.weight.empty() ? json(nullptr) : json(i.weight)}};
  if (i.formula) {
    j["formula"] = {{"numerator", i.formula->numerator},
                    {"denominator", i.formula->denominator},
                    {"factor", i.formula->factor}};
  }
  return j;
}

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

}  // namespace

void AddIndicatorRoutes(Router& router, indicators::IndicatorService& service, const Clock& clock) {
  // The catalogue is reference data, like the vocabularies: every signed-in user reads it.
  router.Add("GET", "/api/v1/indicators", Access::SignedIn(),
             [&service](const ApiRequest&) -> Result<ApiResponse> {
               json items = json::array();
               for (const auto& i : service.catalogue().All()) items.push_back(IndicatorJson(i));
               const auto total = static_cast<int64_t>(items.size());
               return ApiResponse::Json(ListEnvelope(std::move(items), total));
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
}

}  // namespace fupin::http
