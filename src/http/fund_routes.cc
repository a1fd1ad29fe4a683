#include "http/fund_routes.h"

#include <fmt/format.h>

#include "funds/fund_json.h"
#include "http/body_reader.h"
#include "http/download.h"
#include "projects/model.h"

namespace fupin::http {
namespace {

using funds::Allocation;
using funds::FundBatch;
using funds::FundService;
using funds::Payment;
using nlohmann::json;

Result<FundBatch> ParseBatch(const json& body) {
  BodyReader r(body);
  FundBatch b;
  b.source = r.Text("source", true);
  b.document_number = r.Text("document_number", true);
  b.title = r.Text("title");
  b.year = static_cast<int>(r.Int("year", 0, true));
  b.level = r.Text("level", true);
  b.region_code = r.Text("region", true);
  if (auto d = r.Day("issued_on", true)) b.issued_on = *d;
  b.amount_fen = r.Int("amount_fen", 0, true);
  b.note = r.Text("note");
  b.version = r.Int("version", 1);
  FUPIN_TRY(r.Done("fund batch"));
  return b;
}

Result<Allocation> ParseAllocation(const json& body, bool revision) {
  BodyReader r(body);
  Allocation a;
  if (!revision) {
    a.batch_id = r.Int("batch_id", 0, true);
    a.project_id = r.Int("project_id", 0, true);
  } else {
    a.version = r.Int("version", 0, true);
  }
  if (auto d = r.Day("allocated_on", false)) a.allocated_on = *d;
  a.amount_fen = r.Int("amount_fen", 0, true);
  r.Each("purposes", [&](BodyReader& item) {
    funds::PurposeShare s;
    s.purpose = item.Text("purpose", true);
    s.amount_fen = item.Int("amount_fen", 0, true);
    a.purposes.push_back(std::move(s));
  });
  if (!r.Has("purposes")) r.Problem("purposes", "is required: the split of the amount by purpose");
  a.note = r.Text("note");
  FUPIN_TRY(r.Done("allocation"));
  return a;
}

Result<Payment> ParsePayment(const json& body) {
  BodyReader r(body);
  Payment p;
  p.allocation_id = r.Int("allocation_id", 0, true);
  if (auto d = r.Day("paid_on", false)) p.paid_on = *d;
  p.payee = r.Text("payee", true);
  p.amount_fen = r.Int("amount_fen", 0, true);
  p.purpose = r.Text("purpose", true);
  p.voucher_number = r.Text("voucher_number", true);
  p.note = r.Text("note");
  FUPIN_TRY(r.Done("payment"));
  return p;
}

Result<funds::NoticePosting> ParsePosting(const json& body) {
  BodyReader r(body);
  funds::NoticePosting n;
  if (auto d = r.Day("posted_on", false)) n.posted_on = *d;
  n.until_on = r.Day("until_on", false);
  n.place = r.Text("place", true);
  n.note = r.Text("note");
  FUPIN_TRY(r.Done("posting"));
  return n;
}

// The year filter: 2000–2100, or 0 for every year.
Result<int> YearOf(const ApiRequest& req) {
  auto year = QueryInt(req, "year", 0);
  if (!year) return std::unexpected(year.error());
  if (*year != 0 && (*year < 2000 || *year > 2100)) {
    return InvalidArgument("year must be 2000–2100",
                           {{0, "year", std::to_string(*year), "must be 2000–2100"}});
  }
  return static_cast<int>(*year);
}

Result<funds::AlertOptions> OptionsOf(const ApiRequest& req) {
  funds::AlertOptions o;
  auto idle = QueryInt(req, "idle_days", o.idle_days);
  if (!idle) return std::unexpected(idle.error());
  auto window = QueryInt(req, "split_window_days", o.split_window_days);
  if (!window) return std::unexpected(window.error());
  auto threshold = QueryInt(req, "split_threshold_fen", o.split_threshold_fen);
  if (!threshold) return std::unexpected(threshold.error());
  auto grace = QueryInt(req, "acceptance_grace_days", o.acceptance_grace_days);
  if (!grace) return std::unexpected(grace.error());
  std::vector<ErrorDetail> problems;
  if (*idle < 1 || *idle > 3650) {
    problems.push_back({0, "idle_days", std::to_string(*idle), "must be 1–3650"});
  }
  if (*window < 1 || *window > 366) {
    problems.push_back({0, "split_window_days", std::to_string(*window), "must be 1–366"});
  }
  if (*threshold < 1) {
    problems.push_back({0, "split_threshold_fen", std::to_string(*threshold), "must be above 0"});
  }
  if (*grace < 0 || *grace > 3650) {
    problems.push_back({0, "acceptance_grace_days", std::to_string(*grace), "must be 0–3650"});
  }
  if (auto behind = req.Query("behind_threshold"); behind && !behind->empty()) {
    char* end = nullptr;
    const double v = std::strtod(behind->c_str(), &end);
    if (end == behind->c_str() || *end != '\0' || !(v >= 0 && v < 1)) {
      problems.push_back({0, "behind_threshold", *behind, "must be a number from 0 to below 1"});
    } else {
      o.behind_threshold = v;
    }
  }
  if (!problems.empty()) return InvalidArgument("the alert options are not valid", problems);
  o.idle_days = static_cast<int>(*idle);
  o.split_window_days = static_cast<int>(*window);
  o.split_threshold_fen = *threshold;
  o.acceptance_grace_days = static_cast<int>(*grace);
  return o;
}

std::string YuanCell(int64_t fen) { return projects::Yuan(fen); }

Result<ApiResponse> NoticeResponse(const ApiRequest& req, const funds::Notice& notice) {
  if (!req.Query("format")) return ApiResponse::Json(funds::NoticeJson(notice));
  auto format = FormatOf(req);
  if (!format) return std::unexpected(format.error());
  const bool zh = req.Query("lang").value_or("zh") != "en";
  std::vector<std::vector<std::string>> rows;
  rows.push_back({zh ? "公示标题" : "Title", notice.title});
  for (const auto& f : notice.fields) rows.push_back({zh ? f.zh : f.en, f.value});
  for (const auto& p : notice.postings) {
    rows.push_back({zh ? "公示记录" : "Posted",
                    fmt::format("{}{} {}", p.posted_on.ToString(),
                                p.until_on ? " — " + p.until_on->ToString() : "", p.place)});
  }
  return Download(*format, {zh ? "项目" : "Field", zh ? "内容" : "Value"}, rows,
                  fmt::format("notice-{}-{}", notice.subject, notice.subject_id));
}

}  // namespace

void AddFundRoutes(Router& router, FundService& service) {
  const Access read = Access::Needs("funds", "read");
  const Access write = Access::Needs("funds", "write");
  const Access pay = Access::Needs("funds", "pay");

  router.Add("GET", "/api/v1/funds/vocabularies", Access::SignedIn(),
             [](const ApiRequest&) -> Result<ApiResponse> {
               return ApiResponse::Json(funds::VocabulariesJson());
             });

  // Batches: the list (with totals over everything matching), or its spreadsheet.
  router.Add("GET", "/api/v1/fund-batches", read,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto paging = ParsePaging(req, 50, 500);
               if (!paging) return std::unexpected(paging.error());
               auto year = YearOf(req);
               if (!year) return std::unexpected(year.error());
               funds::BatchQuery q;
               q.scope = req.scope;
               q.within = req.Query("region").value_or("");
               q.year = *year;
               q.source = req.Query("source").value_or("");
               q.text = req.Query("q").value_or("");
               if (!q.source.empty() && !funds::Sources().Contains(q.source)) {
                 return InvalidArgument(
                     "the filters are not valid",
                     {{0, "source", q.source, "is not one of: " + funds::Sources().Allowed()}});
               }
               const bool download = req.Query("format").has_value();
               q.offset = download ? 0 : paging->offset();
               q.limit = download ? 0 : paging->page_size;
               auto page = service.ListBatches(q);
               if (!page) return std::unexpected(page.error());
               if (download) {
                 auto format = FormatOf(req);
                 if (!format) return std::unexpected(format.error());
                 const bool zh = req.Query("lang").value_or("zh") != "en";
                 const std::vector<std::string> header =
                     zh ? std::vector<std::string>{"编号",         "资金来源",     "文号",
                                                   "资金名称",     "年度",         "下达层级",
                                                   "地区代码",     "下达日期",     "金额（元）",
                                                   "已分配（元）", "未分配（元）", "备注"}
                        : std::vector<std::string>{
                              "id",          "source",         "document_number", "title",
                              "year",        "level",          "region",          "issued_on",
                              "amount_yuan", "allocated_yuan", "left_yuan",       "note"};
                 std::vector<std::vector<std::string>> rows;
                 for (const auto& b : page->items) {
                   rows.push_back({std::to_string(b.id),
                                   zh ? std::string(funds::Sources().Zh(b.source)) : b.source,
                                   b.document_number, b.title, std::to_string(b.year),
                                   zh ? std::string(funds::IssuingLevels().Zh(b.level)) : b.level,
                                   b.region_code, b.issued_on.ToString(), YuanCell(b.amount_fen),
                                   YuanCell(b.allocated_fen),
                                   YuanCell(b.amount_fen - b.allocated_fen), b.note});
                 }
                 return Download(*format, header, rows, "fund-batches");
               }
               json items = json::array();
               for (const auto& b : page->items) items.push_back(funds::BatchJson(b));
               json out = ListEnvelope(items, page->total, *paging);
               out["amount_fen"] = page->amount_fen;
               out["allocated_fen"] = page->allocated_fen;
               return ApiResponse::Json(out);
             });

  router.Add("POST", "/api/v1/fund-batches", write,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto batch = ParseBatch(*body);
               if (!batch) return std::unexpected(batch.error());
               batch->id = 0;
               auto saved = service.SaveBatch(req.scope, *batch, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(funds::BatchJson(*saved), 201);
             });

  // A batch with its allocations and where its notice was posted.
  router.Add("GET", "/api/v1/fund-batches/{id}", read.On("fund_batch"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = PathId(req, "id", "fund batch");
               if (!id) return std::unexpected(id.error());
               auto batch = service.Batch(req.scope, *id);
               if (!batch) return std::unexpected(batch.error());
               funds::AllocationQuery q;
               q.scope = {""};  // a batch in scope shows where all of it went
               q.batch_id = *id;
               auto allocations = service.Allocations(q);
               if (!allocations) return std::unexpected(allocations.error());
               json j = funds::BatchJson(*batch);
               j["allocations"] = json::array();
               for (const auto& a : *allocations) {
                 j["allocations"].push_back(funds::AllocationJson(a));
               }
               auto postings = service.Postings(req.scope, "batch", *id);
               if (!postings) return std::unexpected(postings.error());
               j["postings"] = json::array();
               for (const auto& p : *postings) j["postings"].push_back(funds::PostingJson(p));
               return ApiResponse::Json(j);
             });

  router.Add("PUT", "/api/v1/fund-batches/{id}", write.On("fund_batch"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = PathId(req, "id", "fund batch");
               if (!id) return std::unexpected(id.error());
               FUPIN_TRY(service.Batch(req.scope, *id));
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               if (!body->contains("version")) {
                 return InvalidArgument(
                     "version is required",
                     {{0, "version", "", "is required (the version you edited)"}});
               }
               auto batch = ParseBatch(*body);
               if (!batch) return std::unexpected(batch.error());
               batch->id = *id;
               auto saved = service.SaveBatch(req.scope, *batch, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(funds::BatchJson(*saved));
             });

  router.Add("GET", "/api/v1/fund-allocations", read,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto year = YearOf(req);
               if (!year) return std::unexpected(year.error());
               auto batch = QueryInt(req, "batch", 0);
               if (!batch) return std::unexpected(batch.error());
               auto project = QueryInt(req, "project", 0);
               if (!project) return std::unexpected(project.error());
               funds::AllocationQuery q;
               q.scope = req.scope;
               q.within = req.Query("region").value_or("");
               q.year = *year;
               q.batch_id = *batch;
               q.project_id = *project;
               auto items = service.Allocations(q);
               if (!items) return std::unexpected(items.error());
               json out = json::array();
               for (const auto& a : *items) out.push_back(funds::AllocationJson(a));
               return ApiResponse::Json(ListEnvelope(out, static_cast<int64_t>(out.size())));
             });

  router.Add("POST", "/api/v1/fund-allocations", write,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto allocation = ParseAllocation(*body, false);
               if (!allocation) return std::unexpected(allocation.error());
               auto saved = service.Allocate(req.scope, *allocation, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(funds::AllocationJson(*saved), 201);
             });

  router.Add("PUT", "/api/v1/fund-allocations/{id}", write.On("fund_allocation"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = PathId(req, "id", "fund allocation");
               if (!id) return std::unexpected(id.error());
               // Out of the writer's regions: not found, before the body is looked at.
               FUPIN_TRY(service.FindAllocation(req.scope, *id));
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto allocation = ParseAllocation(*body, true);
               if (!allocation) return std::unexpected(allocation.error());
               allocation->id = *id;
               auto saved = service.ReviseAllocation(req.scope, *allocation, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(funds::AllocationJson(*saved));
             });

  router.Add("DELETE", "/api/v1/fund-allocations/{id}", write.On("fund_allocation"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = PathId(req, "id", "fund allocation");
               if (!id) return std::unexpected(id.error());
               FUPIN_TRY(service.FindAllocation(req.scope, *id));
               auto version = QueryInt(req, "version", 0);
               if (!version) return std::unexpected(version.error());
               if (*version <= 0) {
                 return InvalidArgument(
                     "version is required",
                     {{0, "version", "", "is required (the version you deleted)"}});
               }
               FUPIN_TRY(service.DeleteAllocation(req.scope, *id, *version, req.Actor()));
               return ApiResponse::Json({{"deleted", *id}});
             });

  // Payments: the list, or its spreadsheet.
  router.Add(
      "GET", "/api/v1/fund-payments", read,
      [&service](const ApiRequest& req) -> Result<ApiResponse> {
        auto year = YearOf(req);
        if (!year) return std::unexpected(year.error());
        funds::PaymentQuery q;
        q.scope = req.scope;
        q.within = req.Query("region").value_or("");
        q.year = *year;
        for (auto [name, field] :
             {std::pair{"batch", &q.batch_id}, std::pair{"allocation", &q.allocation_id},
              std::pair{"project", &q.project_id}}) {
          auto v = QueryInt(req, name, 0);
          if (!v) return std::unexpected(v.error());
          *field = *v;
        }
        auto voided = QueryBool(req, "include_voided", true);
        if (!voided) return std::unexpected(voided.error());
        q.include_voided = *voided;
        auto items = service.Payments(q);
        if (!items) return std::unexpected(items.error());
        if (req.Query("format")) {
          auto format = FormatOf(req);
          if (!format) return std::unexpected(format.error());
          const bool zh = req.Query("lang").value_or("zh") != "en";
          const std::vector<std::string> header =
              zh ? std::vector<std::string>{"编号",   "支付日期", "收款方",   "金额（元）",
                                            "用途",   "凭证号",   "项目编号", "分配编号",
                                            "已作废", "作废原因", "备注",     "录入人"}
                 : std::vector<std::string>{"id",          "paid_on",       "payee",
                                            "amount_yuan", "purpose",       "voucher_number",
                                            "project_id",  "allocation_id", "voided",
                                            "void_reason", "note",          "recorded_by"};
          std::vector<std::vector<std::string>> rows;
          for (const auto& p : *items) {
            rows.push_back(
                {std::to_string(p.id), p.paid_on.ToString(), p.payee, YuanCell(p.amount_fen),
                 zh ? std::string(funds::Purposes().Zh(p.purpose)) : p.purpose, p.voucher_number,
                 std::to_string(p.project_id), std::to_string(p.allocation_id),
                 p.voided ? (zh ? "是" : "yes") : "", p.void_reason, p.note, p.recorded_by});
          }
          return Download(*format, header, rows, "fund-payments");
        }
        json out = json::array();
        for (const auto& p : *items) out.push_back(funds::PaymentJson(p));
        return ApiResponse::Json(ListEnvelope(out, static_cast<int64_t>(out.size())));
      });

  router.Add("POST", "/api/v1/fund-payments", pay,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto payment = ParsePayment(*body);
               if (!payment) return std::unexpected(payment.error());
               auto saved = service.Pay(req.scope, *payment, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(funds::PaymentJson(*saved), 201);
             });

  router.Add("POST", "/api/v1/fund-payments/{id}/void", pay.On("fund_payment"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = PathId(req, "id", "payment");
               if (!id) return std::unexpected(id.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               const std::string reason = r.Text("reason");
               FUPIN_TRY(r.Done("void"));  // a missing reason: refused by the service, after
                                           // the payment is found in the caller's regions
               auto voided = service.Void(req.scope, *id, reason, req.Actor());
               if (!voided) return std::unexpected(voided.error());
               return ApiResponse::Json(funds::PaymentJson(*voided));
             });

  // A project's execution: earned value, alerts, its allocations and payments.
  router.Add("GET", "/api/v1/projects/{id}/execution", read.On("project"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = PathId(req, "id", "project");
               if (!id) return std::unexpected(id.error());
               auto as_of = QueryDate(req, "as_of");
               if (!as_of) return std::unexpected(as_of.error());
               auto options = OptionsOf(req);
               if (!options) return std::unexpected(options.error());
               auto execution = service.Execution(req.scope, *id, *as_of, *options);
               if (!execution) return std::unexpected(execution.error());
               return ApiResponse::Json(funds::ExecutionJson(*execution));
             });

  // A region's monitoring (项目资金监测), or its projects as a spreadsheet.
  router.Add(
      "GET", "/api/v1/funds/monitoring", read,
      [&service](const ApiRequest& req) -> Result<ApiResponse> {
        auto year = YearOf(req);
        if (!year) return std::unexpected(year.error());
        auto as_of = QueryDate(req, "as_of");
        if (!as_of) return std::unexpected(as_of.error());
        auto options = OptionsOf(req);
        if (!options) return std::unexpected(options.error());
        const std::string region = req.Query("region").value_or("");
        if (region.empty()) {
          return InvalidArgument("region is required",
                                 {{0, "region", "", "is required: the region to monitor"}});
        }
        auto m = service.Monitor(req.scope, region, *year, *as_of, *options);
        if (!m) return std::unexpected(m.error());
        if (req.Query("format")) {
          auto format = FormatOf(req);
          if (!format) return std::unexpected(format.error());
          const bool zh = req.Query("lang").value_or("zh") != "en";
          const std::vector<std::string> header =
              zh ? std::vector<std::string>{"项目编号",     "项目名称",    "地区代码",
                                            "状态",         "预算（元）",  "计划价值PV",
                                            "挣值EV",       "实际成本AC",  "SPI",
                                            "CPI",          "完工估算EAC", "已分配（元）",
                                            "已支付（元）", "预警数"}
                 : std::vector<std::string>{"id",        "name",    "region",   "status",
                                            "bac_yuan",  "pv_yuan", "ev_yuan",  "ac_yuan",
                                            "spi",       "cpi",     "eac_yuan", "allocated_yuan",
                                            "paid_yuan", "alerts"};
          auto index = [](const std::optional<double>& v) {
            return v ? fmt::format("{:.3f}", *v) : std::string();
          };
          std::vector<std::vector<std::string>> rows;
          for (const auto& r : m->projects) {
            const auto& v = r.value;
            rows.push_back(
                {std::to_string(r.project.id), r.project.profile.name,
                 r.project.profile.region_code,
                 zh ? std::string(projects::Statuses().Zh(r.project.status)) : r.project.status,
                 YuanCell(v.bac_fen), YuanCell(v.pv_fen), YuanCell(v.ev_fen), YuanCell(v.ac_fen),
                 index(v.spi), index(v.cpi), v.eac_fen ? YuanCell(*v.eac_fen) : "",
                 YuanCell(r.allocated_fen), YuanCell(r.paid_fen), std::to_string(r.alerts)});
          }
          return Download(*format, header, rows, fmt::format("fund-monitoring-{}", region));
        }
        return ApiResponse::Json(funds::MonitoringJson(*m));
      });

  router.Add("GET", "/api/v1/funds/flow", read,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto year = YearOf(req);
               if (!year) return std::unexpected(year.error());
               auto flow = service.Flow(req.scope, req.Query("region").value_or(""), *year);
               if (!flow) return std::unexpected(flow.error());
               return ApiResponse::Json(funds::FlowJson(*flow));
             });

  // Public notices (公告公示): the notice as JSON (the web prints it) or a spreadsheet, and
  // where it was posted.
  router.Add("GET", "/api/v1/fund-batches/{id}/notice", read.On("fund_batch"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = PathId(req, "id", "fund batch");
               if (!id) return std::unexpected(id.error());
               auto notice = service.BatchNotice(req.scope, *id, req.Query("phone").value_or(""));
               if (!notice) return std::unexpected(notice.error());
               return NoticeResponse(req, *notice);
             });
  router.Add("POST", "/api/v1/fund-batches/{id}/postings", write.On("fund_batch"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = PathId(req, "id", "fund batch");
               if (!id) return std::unexpected(id.error());
               FUPIN_TRY(service.Postings(req.scope, "batch", *id));
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto posting = ParsePosting(*body);
               if (!posting) return std::unexpected(posting.error());
               posting->subject = "batch";
               posting->subject_id = *id;
               auto saved = service.RecordPosting(req.scope, *posting, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(funds::PostingJson(*saved), 201);
             });
  router.Add("GET", "/api/v1/projects/{id}/notice", Access::Needs("projects", "read").On("project"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = PathId(req, "id", "project");
               if (!id) return std::unexpected(id.error());
               auto notice = service.ProjectNotice(req.scope, *id, req.Query("phone").value_or(""));
               if (!notice) return std::unexpected(notice.error());
               return NoticeResponse(req, *notice);
             });
  router.Add("POST", "/api/v1/projects/{id}/postings",
             Access::Needs("projects", "report").On("project"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = PathId(req, "id", "project");
               if (!id) return std::unexpected(id.error());
               FUPIN_TRY(service.Postings(req.scope, "project", *id));
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto posting = ParsePosting(*body);
               if (!posting) return std::unexpected(posting.error());
               posting->subject = "project";
               posting->subject_id = *id;
               auto saved = service.RecordPosting(req.scope, *posting, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(funds::PostingJson(*saved), 201);
             });
}

}  // namespace fupin::http
