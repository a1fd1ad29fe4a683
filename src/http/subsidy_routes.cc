#include "http/subsidy_routes.h"

#include <fmt/format.h>

#include <charconv>

#include "tabular/writer.h"
#include "workshops/subsidy_json.h"

namespace fupin::http {
namespace {

using nlohmann::json;
using workshops::YuanText;

Result<int64_t> IdParam(const ApiRequest& req, std::string_view what) {
  return PathId(req, "id", what);
}

// An optional whole-number query parameter (0 when absent).
Result<int64_t> IntQuery(const ApiRequest& req, std::string_view name) {
  auto text = req.Query(name);
  if (!text) return 0;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size() || value < 0) {
    return InvalidArgument(fmt::format("{} must be a whole number", name),
                           {{0, std::string(name), *text, "is not a whole number"}});
  }
  return value;
}

// The format of a download: nullopt for JSON (no format given).
Result<std::optional<tabular::Format>> DownloadFormat(const ApiRequest& req) {
  auto format = req.Query("format");
  if (!format || *format == "json") return std::optional<tabular::Format>();
  if (*format == "xlsx") return std::optional<tabular::Format>(tabular::Format::kXlsx);
  if (*format == "csv") return std::optional<tabular::Format>(tabular::Format::kCsv);
  return InvalidArgument("format must be json, xlsx or csv",
                         {{0, "format", *format, "must be json, xlsx or csv"}});
}

Result<ApiResponse> Download(tabular::Format format, const std::vector<std::string>& header,
                             const std::vector<std::vector<std::string>>& rows,
                             const std::string& name) {
  auto bytes = tabular::WriteToBytes(format, header, rows);
  if (!bytes) return std::unexpected(bytes.error());
  return ApiResponse::File(std::move(*bytes), std::string(tabular::ContentType(format)),
                           name + std::string(tabular::FileExtension(format)));
}

std::string DecisionText(const std::string& decision, bool english) {
  if (english) return decision;
  if (decision == workshops::kApproved) return "已批准";
  if (decision == workshops::kRejected) return "已驳回";
  return "待审核";
}

Result<ApiResponse> RunDownload(const workshops::SubsidyRun& run, tabular::Format format,
                                bool english) {
  const std::vector<std::string> header =
      english ? std::vector<std::string>{"line",        "workshop",        "person",
                                         "qualifies",   "amount (yuan)",   "explanation",
                                         "decision",    "approved (yuan)", "reason",
                                         "reviewed by", "paid (yuan)"}
              : std::vector<std::string>{
                    "行号", "车间",           "人员",     "是否符合", "测算金额（元）", "说明",
                    "审核", "批准金额（元）", "审核意见", "审核人",   "已发放（元）"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : run.lines) {
    rows.push_back({std::to_string(l.id), l.workshop_name, l.member_name,
                    english ? (l.qualifies ? "yes" : "no") : (l.qualifies ? "是" : "否"),
                    YuanText(l.amount_fen), l.explanation, DecisionText(l.decision, english),
                    YuanText(l.approved_fen), l.reason, l.reviewed_by, YuanText(l.paid_fen)});
  }
  rows.push_back({english ? "total" : "合计", "", "", std::to_string(run.eligible),
                  YuanText(run.total_fen), "", "", YuanText(run.approved_fen), "", "",
                  YuanText(run.paid_fen)});
  return Download(format, header, rows, fmt::format("subsidy-run-{}", run.id));
}

Result<ApiResponse> LedgerDownload(const workshops::Ledger& ledger, tabular::Format format,
                                   bool english) {
  const std::vector<std::string> header =
      english ? std::vector<std::string>{"paid on",       "voucher", "payee",    "rule",
                                         "rule name",     "version", "workshop", "person",
                                         "amount (yuan)", "run",     "line",     "recorded by",
                                         "note"}
              : std::vector<std::string>{"发放日期", "凭证号", "收款人", "规则编码",   "规则名称",
                                         "版本",     "车间",   "人员",   "金额（元）", "核定批次",
                                         "行号",     "录入人", "备注"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& p : ledger.payments) {
    rows.push_back({p.paid_on.ToString(), p.voucher, p.payee, p.rule_code, p.rule_name,
                    std::to_string(p.rule_version), p.workshop_name, p.member_name,
                    YuanText(p.amount_fen), std::to_string(p.run_id), std::to_string(p.line_id),
                    p.recorded_by, p.note});
  }
  rows.push_back({english ? "total" : "合计", "", "", "", "", "", "", "",
                  YuanText(ledger.total_fen), "", "", "", ""});
  return Download(format, header, rows, "subsidy-ledger");
}

}  // namespace

void AddSubsidyRoutes(Router& router, workshops::SubsidyService& service) {
  const Access read = Access::Needs("subsidies", "read");
  const Access configure = Access::Needs("subsidies", "configure");
  const Access review = Access::Needs("subsidies", "review");
  const Access pay = Access::Needs("subsidies", "pay");

  router.Add("GET", "/api/v1/subsidy-rules", read,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto rules = service.Rules(req.scope, req.Query("region").value_or(""));
               if (!rules) return std::unexpected(rules.error());
               json items = json::array();
               for (const auto& r : *rules) items.push_back(workshops::RuleJson(r));
               json body = ListEnvelope(items, static_cast<int64_t>(rules->size()));
               body["facts"] = {{"worker", workshops::WorkerFacts()},
                                {"workshop", workshops::WorkshopFacts()}};
               body["ops"] = {"=", "!=", "<", "<=", ">", ">=", "in"};
               return ApiResponse::Json(body);
             });

  // Registered before /subsidy-rules/{id} so that "templates" is not taken for an id.
  router.Add("GET", "/api/v1/subsidy-rules/templates", read,
             [](const ApiRequest& req) -> Result<ApiResponse> {
               const std::string region = req.Query("region").value_or("");
               auto year = IntQuery(req, "year");
               if (!year) return std::unexpected(year.error());
               auto poor_only = QueryBool(req, "poor_only", false);
               if (!poor_only) return std::unexpected(poor_only.error());
               const int y = *year > 0 ? static_cast<int>(*year) : 2020;
               if (y < 2013 || y > 2100) {
                 return InvalidArgument(
                     "year must be from 2013 to 2100",
                     {{0, "year", std::to_string(y), "must be a year from 2013 to 2100"}});
               }
               json items = json::array();
               for (const auto& r : workshops::RuleTemplates(region, y, *poor_only)) {
                 json j = workshops::RuleJson(r);
                 j.erase("id");
                 items.push_back(std::move(j));
               }
               return ApiResponse::Json(ListEnvelope(items, static_cast<int64_t>(items.size())));
             });

  router.Add("POST", "/api/v1/subsidy-rules", configure,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto rule = workshops::ParseRule(*body);
               if (!rule) return std::unexpected(rule.error());
               rule->id = 0;
               rule->version = 1;
               auto saved = service.SaveRule(*rule, req.scope, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(workshops::RuleJson(*saved), 201);
             });

  router.Add("PUT", "/api/v1/subsidy-rules/{id}", configure,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = IdParam(req, "subsidy rule");
               if (!id) return std::unexpected(id.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               if (!body->contains("version")) {
                 return InvalidArgument("an edit names the version it started from",
                                        {{0, "version", "", "is required (the rule's version)"}});
               }
               auto rule = workshops::ParseRule(*body);
               if (!rule) return std::unexpected(rule.error());
               rule->id = *id;
               auto saved = service.SaveRule(*rule, req.scope, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(workshops::RuleJson(*saved));
             });

  router.Add("GET", "/api/v1/subsidy-rules/{id}/versions", read,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = IdParam(req, "subsidy rule");
               if (!id) return std::unexpected(id.error());
               auto versions = service.Versions(*id, req.scope);
               if (!versions) return std::unexpected(versions.error());
               json items = json::array();
               for (const auto& r : *versions) items.push_back(workshops::RuleJson(r));
               return ApiResponse::Json(ListEnvelope(items, static_cast<int64_t>(items.size())));
             });

  router.Add("GET", "/api/v1/subsidy-runs", read,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto rule = IntQuery(req, "rule");
               if (!rule) return std::unexpected(rule.error());
               auto workshop = IntQuery(req, "workshop");
               if (!workshop) return std::unexpected(workshop.error());
               auto runs = service.Runs(req.scope, *rule);
               if (!runs) return std::unexpected(runs.error());
               json items = json::array();
               for (const auto& r : *runs) {
                 if (*workshop == 0) {
                   items.push_back(workshops::RunJson(r));
                   continue;
                 }
                 // The runs that have lines of this workshop, with only those lines.
                 auto full = service.FindRun(r.id, req.scope);
                 if (!full) return std::unexpected(full.error());
                 std::erase_if(full->lines, [&](const workshops::SubsidyLine& l) {
                   return l.workshop_id != *workshop;
                 });
                 if (!full->lines.empty()) items.push_back(workshops::RunJson(*full));
               }
               return ApiResponse::Json(ListEnvelope(items, static_cast<int64_t>(items.size())));
             });

  router.Add("POST", "/api/v1/subsidy-runs", review,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               std::vector<ErrorDetail> problems;
               int64_t rule_id = 0;
               if (body->contains("rule_id") && (*body)["rule_id"].is_number_integer()) {
                 rule_id = (*body)["rule_id"].get<int64_t>();
               } else {
                 problems.push_back({0, "rule_id", "", "is required (a rule's id)"});
               }
               const std::string region = body->contains("region") && (*body)["region"].is_string()
                                              ? (*body)["region"].get<std::string>()
                                              : std::string();
               if (region.empty()) problems.push_back({0, "region", "", "is required"});
               auto day = [&](const char* field) -> Date {
                 const std::string text = body->contains(field) && (*body)[field].is_string()
                                              ? (*body)[field].get<std::string>()
                                              : std::string();
                 auto d = ParseDate(text);
                 if (!d) {
                   problems.push_back({0, field, text, "is required (YYYY-MM-DD)"});
                   return {};
                 }
                 return *d;
               };
               const Date from = day("from");
               const Date to = day("to");
               if (!problems.empty()) {
                 return InvalidArgument("an eligibility run needs rule_id, region, from and to",
                                        std::move(problems));
               }
               auto run = service.Run(rule_id, region, from, to, req.scope, req.Actor());
               if (!run) return std::unexpected(run.error());
               return ApiResponse::Json(workshops::RunJson(*run), 201);
             });

  router.Add("GET", "/api/v1/subsidy-runs/{id}", read,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = IdParam(req, "subsidy run");
               if (!id) return std::unexpected(id.error());
               auto format = DownloadFormat(req);
               if (!format) return std::unexpected(format.error());
               auto run = service.FindRun(*id, req.scope);
               if (!run) return std::unexpected(run.error());
               if (*format) {
                 return RunDownload(*run, **format, req.Query("lang").value_or("zh") == "en");
               }
               json body = workshops::RunJson(*run);
               if (!body.contains("lines")) body["lines"] = json::array();
               return ApiResponse::Json(body);
             });

  router.Add(
      "POST", "/api/v1/subsidy-runs/{id}/review", review,
      [&service](const ApiRequest& req) -> Result<ApiResponse> {
        auto id = IdParam(req, "subsidy run");
        if (!id) return std::unexpected(id.error());
        auto body = req.JsonBody();
        if (!body) return std::unexpected(body.error());
        std::vector<int64_t> lines;
        if (body->contains("lines")) {
          const json& list = (*body)["lines"];
          bool ok = list.is_array();
          for (size_t i = 0; ok && i < list.size(); ++i) {
            ok = list[i].is_number_integer();
            if (ok) lines.push_back(list[i].get<int64_t>());
          }
          if (!ok) {
            return InvalidArgument(
                "lines must be a list of line ids",
                {{0, "lines", list.dump().substr(0, 40), "must be a list of whole numbers"}});
          }
        }
        auto text = [&](const char* field) {
          return body->contains(field) && (*body)[field].is_string()
                     ? (*body)[field].get<std::string>()
                     : std::string();
        };
        auto reviewed =
            service.Review(*id, lines, text("decision"), text("reason"), req.scope, req.Actor());
        if (!reviewed) return std::unexpected(reviewed.error());
        json items = json::array();
        for (const auto& l : *reviewed) items.push_back(workshops::LineJson(l));
        return ApiResponse::Json(ListEnvelope(items, static_cast<int64_t>(items.size())));
      });

  router.Add("POST", "/api/v1/subsidy-payments", pay,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               std::vector<ErrorDetail> problems;
               workshops::SubsidyPayment p;
               auto whole = [&](const char* field) -> int64_t {
                 if (!body->contains(field) || (*body)[field].is_null()) return 0;
                 if (!(*body)[field].is_number_integer()) {
                   problems.push_back({0, field, (*body)[field].dump(), "must be a whole number"});
                   return 0;
                 }
                 return (*body)[field].get<int64_t>();
               };
               auto text = [&](const char* field) {
                 return body->contains(field) && (*body)[field].is_string()
                            ? (*body)[field].get<std::string>()
                            : std::string();
               };
               p.line_id = whole("line_id");
               p.amount_fen = whole("amount_fen");
               const std::string paid_on = text("paid_on");
               if (auto d = ParseDate(paid_on)) {
                 p.paid_on = *d;
               } else {
                 problems.push_back({0, "paid_on", paid_on, "is required (YYYY-MM-DD)"});
               }
               p.voucher = text("voucher");
               p.payee = text("payee");
               p.note = text("note");
               if (!problems.empty()) {
                 return InvalidArgument("the payment is not complete", std::move(problems));
               }
               auto saved = service.Pay(p, req.scope, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(workshops::PaymentJson(*saved), 201);
             });

  router.Add("GET", "/api/v1/subsidy-ledger", read,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto format = DownloadFormat(req);
               if (!format) return std::unexpected(format.error());
               workshops::PaymentQuery q;
               q.scope = req.scope;
               q.within = req.Query("region").value_or("");
               for (auto [name, target] : {std::pair<const char*, int64_t*>{"rule", &q.rule_id},
                                           {"workshop", &q.workshop_id},
                                           {"run", &q.run_id}}) {
                 auto v = IntQuery(req, name);
                 if (!v) return std::unexpected(v.error());
                 *target = *v;
               }
               auto year = IntQuery(req, "year");
               if (!year) return std::unexpected(year.error());
               q.year = static_cast<int>(*year);
               auto ledger = service.LedgerOf(q);
               if (!ledger) return std::unexpected(ledger.error());
               if (*format) {
                 return LedgerDownload(*ledger, **format, req.Query("lang").value_or("zh") == "en");
               }
               return ApiResponse::Json(workshops::LedgerJson(*ledger));
             });
}

}  // namespace fupin::http
