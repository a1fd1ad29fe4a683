#include "http/quality_routes.h"

#include <fmt/format.h>

#include <charconv>

#include "base/text.h"
#include "tabular/writer.h"

namespace fupin::http {
namespace {

using nlohmann::json;
using registry::Finding;
using registry::QualityReport;
using registry::QualityRule;
using registry::Severity;

const access::Permission kSensitive{"personal_data", "view_sensitive"};

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

// Findings carry masked values only (see registry/quality.h).
json FindingJson(const Finding& f) {
  return {{"rule", f.rule->code},
          {"severity", registry::SeverityName(f.rule->severity)},
          {"household_id", f.household_id},
          {"household_number", f.household_number},
          {"region", f.region_code},
          {"member_id", f.member_id == 0 ? json(nullptr) : json(f.member_id)},
          {"member_name", f.member_name.empty() ? json(nullptr) : json(f.member_name)},
          {"field", f.field},
          {"value", f.value},
          {"message_zh", f.message_zh},
          {"message_en", f.message_en}};
}

// What was checked and what was found, beside the page of findings.
void AddReport(json& body, const QualityReport& report) {
  body["today"] = report.today.ToString();
  body["year"] = report.year;
  body["year_given"] = report.year_given;
  body["households"] = report.households;
  body["members"] = report.members;
  body["households_with_findings"] = report.households_with_findings;
  body["summary"] = {{"error", report.Count(Severity::kError)},
                     {"warning", report.Count(Severity::kWarning)},
                     {"info", report.Count(Severity::kInfo)}};
  json rules = json::array();
  for (const auto& c : report.counts) {
    json r = RuleJson(*c.rule);
    r["findings"] = c.findings;
    r["households"] = c.households;
    rules.push_back(std::move(r));
  }
  body["rules"] = rules;
  const auto& d = report.income;
  body["income_distribution"] = {{"year", d.year},       {"households", d.households},
                                 {"applied", d.applied}, {"median", d.median},
                                 {"low", d.low},         {"high", d.high}};
  body["thresholds"] = ThresholdsJson(report.thresholds);
}

registry::Viewer ViewerOf(const ApiRequest& req) {
  return {req.Actor(), req.scope, req.principal->Scope(kSensitive)};
}

// region, rule (repeatable or comma-separated), severity, year.
Result<std::pair<registry::HouseholdQuery, registry::QualityOptions>> ParseCheck(
    const ApiRequest& req) {
  registry::HouseholdQuery query;
  registry::QualityOptions options;
  if (auto region = req.Query("region")) {
    if (!regions::LevelOfCode(*region)) {
      return InvalidArgument("region must be a 12-digit region code",
                             {{0, "region", *region, "is not a region code"}});
    }
    query.within = *region;
  }
  auto [first, last] = req.query.equal_range("rule");
  for (auto it = first; it != last; ++it) {
    for (const std::string& code : Split(it->second, ',')) {
      if (!Trim(code).empty()) options.rules.emplace_back(Trim(code));
    }
  }
  if (auto severity = req.Query("severity")) {
    options.severity = registry::ParseSeverity(*severity);
    if (!options.severity) {
      return InvalidArgument("severity must be error, warning or info",
                             {{0, "severity", *severity, "is not a severity"}});
    }
  }
  if (auto year = req.Query("year")) {
    int value = 0;
    auto [ptr, ec] = std::from_chars(year->data(), year->data() + year->size(), value);
    if (ec != std::errc() || ptr != year->data() + year->size() || value < 1980 || value > 2100) {
      return InvalidArgument("year must be a year such as 2024",
                             {{0, "year", *year, "is not a year"}});
    }
    options.year = value;
  }
  return std::pair{std::move(query), std::move(options)};
}

}  // namespace

void AddQualityRoutes(Router& router, registry::RegistryService& service) {
  const Access read = Access::Needs("registry", "read");

  router.Add("GET", "/api/v1/quality/rules", Access::SignedIn(),
             [](const ApiRequest&) -> Result<ApiResponse> {
               json items = json::array();
               for (const QualityRule& r : registry::QualityRules()) items.push_back(RuleJson(r));
               json body = ListEnvelope(items, static_cast<int64_t>(items.size()));
               body["thresholds"] = ThresholdsJson({});
               return ApiResponse::Json(body);
             });

  router.Add("GET", "/api/v1/quality/findings", read,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto check = ParseCheck(req);
               if (!check) return std::unexpected(check.error());
               auto paging = ParsePaging(req, 50, 1000);
               if (!paging) return std::unexpected(paging.error());
               auto report = service.CheckQuality(check->first, ViewerOf(req), check->second);
               if (!report) return std::unexpected(report.error());
               json items = json::array();
               const auto& all = report->findings;
               const auto begin =
                   std::min<size_t>(static_cast<size_t>(paging->offset()), all.size());
               const auto end =
                   std::min<size_t>(begin + static_cast<size_t>(paging->page_size), all.size());
               for (size_t i = begin; i < end; ++i) items.push_back(FindingJson(all[i]));
               json body = ListEnvelope(items, static_cast<int64_t>(all.size()), *paging);
               AddReport(body, *report);
               return ApiResponse::Json(body);
             });

  router.Add(
      "GET", "/api/v1/quality/findings/export", read,
      [&service](const ApiRequest& req) -> Result<ApiResponse> {
        auto check = ParseCheck(req);
        if (!check) return std::unexpected(check.error());
        const std::string format = req.Query("format").value_or("csv");
        if (format != "csv" && format != "xlsx") {
          return InvalidArgument("format must be csv or xlsx",
                                 {{0, "format", format, "must be csv or xlsx"}});
        }
        const bool zh = req.Query("lang").value_or("zh") != "en";
        auto report = service.CheckQuality(check->first, ViewerOf(req), check->second);
        if (!report) return std::unexpected(report.error());
        const std::vector<std::string> header =
            zh ? std::vector<std::string>{"规则代码", "严重程度", "规则", "户编号", "行政区划代码",
                                          "成员",     "字段",     "值",   "问题",   "整改建议"}
               : std::vector<std::string>{"rule",        "severity", "title", "household_number",
                                          "region_code", "member",   "field", "value",
                                          "message",     "fix"};
        std::vector<std::vector<std::string>> rows;
        rows.reserve(report->findings.size());
        for (const Finding& f : report->findings) {
          const QualityRule& r = *f.rule;
          rows.push_back({std::string(r.code),
                          std::string(zh ? registry::SeverityZh(r.severity)
                                         : registry::SeverityName(r.severity)),
                          std::string(zh ? r.title_zh : r.title_en), f.household_number,
                          f.region_code, f.member_name, f.field, f.value,
                          zh ? f.message_zh : f.message_en, std::string(zh ? r.fix_zh : r.fix_en)});
        }
        const auto kind = format == "csv" ? tabular::Format::kCsv : tabular::Format::kXlsx;
        auto bytes = tabular::WriteToBytes(kind, header, rows);
        if (!bytes) return std::unexpected(bytes.error());
        return ApiResponse::File(std::move(*bytes), std::string(tabular::ContentType(kind)),
                                 "quality-findings." + format);
      });
}

}  // namespace fupin::http
