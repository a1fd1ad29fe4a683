#include "http/registry_routes.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <unordered_map>

#include "base/chinese.h"
#include "http/access_routes.h"
#include "http/download.h"
#include "registry/registry_json.h"
#include "registry/vocabulary.h"
#include "security/crypto.h"
#include "tabular/reader.h"
#include "tabular/writer.h"

namespace fupin::http {
namespace {

using nlohmann::json;
using registry::Household;
using registry::HouseholdRecord;
using registry::Member;

const access::Permission kSensitive{"personal_data", "view_sensitive"};
const access::Permission kRead{"registry", "read"};

json Text(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
using registry::HouseholdSummaryJson;
using registry::HouseholdViewJson;

Result<int64_t> IdParam(const ApiRequest& req, std::string_view what) {
  return PathId(req, "id", what);
}

// `households`: those the caller reaches besides `scope` (a household member's own, on routes
// declared OrOwnHousehold()).
registry::Viewer ViewerOf(const ApiRequest& req, std::vector<std::string> scope,
                          std::vector<int64_t> households = {}) {
  return {req.Actor(), std::move(scope), req.principal->Scope(kSensitive), std::move(households),
          req.principal->Households(kSensitive)};
}

// For the reveal routes (whose own permission is view_sensitive): where the caller reads.
registry::Viewer ReadViewerOf(const ApiRequest& req) {
  return ViewerOf(req, req.principal->Scope(kRead), req.principal->Households(kRead));
}

// A vocabulary filter: the code, or its Chinese or English label.
Result<std::string> VocabularyFilter(const ApiRequest& req, std::string_view name,
                                     const registry::Vocabulary& vocabulary,
                                     std::string_view extra = {}) {
  auto value = req.Query(name);
  if (!value) return std::string();
  if (!extra.empty() && *value == extra) return *value;
  auto code = vocabulary.Parse(*value);
  if (!code) {
    return InvalidArgument(fmt::format("{} must be one of: {}", name, vocabulary.Allowed()),
                           {{0, std::string(name), *value, "is not a known value"}});
  }
  return std::string(*code);
}

Result<registry::HouseholdQuery> ParseQuery(const ApiRequest& req) {
  registry::HouseholdQuery q;
  if (auto region = req.Query("region")) {
    if (!regions::LevelOfCode(*region)) {
      return InvalidArgument("region must be a 12-digit region code",
                             {{0, "region", *region, "is not a region code"}});
    }
    q.within = *region;
  }
  auto status = VocabularyFilter(req, "status", registry::Statuses());
  if (!status) return std::unexpected(status.error());
  q.status = *status;
  if (auto as_of = req.Query("as_of")) {
    auto day = ParseDate(*as_of);
    if (!day) {
      return InvalidArgument("as_of must be a date YYYY-MM-DD",
                             {{0, "as_of", *as_of, "is not a date YYYY-MM-DD"}});
    }
    q.as_of = *day;
  }
  auto cause = VocabularyFilter(req, "cause", registry::Causes());
  if (!cause) return std::unexpected(cause.error());
  q.cause = *cause;
  auto attribute = VocabularyFilter(req, "attribute", registry::Attributes(), "none");
  if (!attribute) return std::unexpected(attribute.error());
  q.attribute = *attribute;
  q.text = req.Query("q").value_or("");
  std::string sort = req.Query("sort").value_or("number");
  q.descending = sort.starts_with('-');
  if (q.descending) sort.erase(0, 1);
  static const std::pair<std::string_view, registry::HouseholdSort> kSorts[] = {
      {"number", registry::HouseholdSort::kNumber},
      {"region", registry::HouseholdSort::kRegion},
      {"head_name", registry::HouseholdSort::kHeadName},
      {"members", registry::HouseholdSort::kMembers},
      {"year_identified", registry::HouseholdSort::kYearIdentified}};
  bool known = false;
  for (const auto& [name, value] : kSorts) {
    if (sort == name) {
      q.sort = value;
      known = true;
    }
  }
  if (!known) {
    return InvalidArgument(
        "sort must be number, region, head_name, members or year_identified, optionally "
        "preceded by - for descending",
        {{0, "sort", sort, "is not a sort key"}});
  }
  return q;
}

Result<registry::ImportKind> KindParam(const ApiRequest& req) {
  const std::string kind = req.Query("kind").value_or("");
  auto parsed = registry::ParseImportKind(kind);
  if (!parsed) {
    return InvalidArgument("kind must be members or incomes",
                           {{0, "kind", kind, "must be members or incomes"}});
  }
  return *parsed;
}

Result<tabular::Format> FormatParam(const ApiRequest& req) {
  const std::string format = req.Query("format").value_or("csv");
  if (format != "csv" && format != "xlsx") {
    return InvalidArgument("format must be csv or xlsx",
                           {{0, "format", format, "must be csv or xlsx"}});
  }
  return format == "csv" ? tabular::Format::kCsv : tabular::Format::kXlsx;
}

json DetailsJson(const std::vector<ErrorDetail>& details) {
  json out = json::array();
  for (const auto& d : details) {
    json item = {{"row", d.row}, {"column", d.column}, {"value", d.value}, {"reason", d.reason}};
    if (std::string zh = ToChinese(d.reason); !zh.empty()) item["reason_zh"] = std::move(zh);
    out.push_back(std::move(item));
  }
  return out;
}

// A job as the UI polls it. Problems are the uploader's own cells; only they can poll the job.
json JobJson(const registry::ImportJobView& job) {
  json out = {{"id", job.id},
              {"kind", registry::ImportKindName(job.kind)},
              {"file_name", job.file_name},
              {"sha256", job.sha256},
              {"dry_run", job.dry_run},
              {"status", registry::JobStatusName(job.status)},
              {"phase", job.phase},
              {"rows", job.rows},
              {"started_at", job.started_at},
              {"finished_at", Text(job.finished_at)},
              {"report", nullptr},
              {"error", nullptr}};
  if (job.report) {
    const auto& r = *job.report;
    out["report"] = {{"format", r.format},
                     {"rows", r.rows},
                     {"households", r.households},
                     {"members", r.members},
                     {"incomes", r.incomes},
                     {"inserted", r.counts.inserted},
                     {"updated", r.counts.updated},
                     {"unchanged", r.counts.unchanged},
                     {"warnings", DetailsJson(r.warnings)}};
  }
  if (job.error) {
    out["error"] = {{"code", ErrorCodeName(job.error->code)},
                    {"message", job.error->message},
                    {"message_zh", ToChinese(job.error->message)},
                    {"problems", job.error->details.size()},
                    // The first problems inline; all of them through /problems.
                    {"details", DetailsJson(std::vector<ErrorDetail>(
                                    job.error->details.begin(),
                                    job.error->details.begin() +
                                        std::min<size_t>(job.error->details.size(), 200)))}};
  }
  return out;
}

Result<int64_t> JobId(const ApiRequest& req) {
  int64_t id = 0;
  const std::string& text = req.Param("id");
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return NotFound("no such import job");
  }
  return id;
}

void AddImportRoutes(Router& router, registry::ImportJobs& imports, const Access& write) {
  router.Add(
      "GET", "/api/v1/imports/template", write, [](const ApiRequest& req) -> Result<ApiResponse> {
        auto kind = KindParam(req);
        if (!kind) return std::unexpected(kind.error());
        auto format = FormatParam(req);
        if (!format) return std::unexpected(format.error());
        const std::string lang = req.Query("lang").value_or("zh") == "en" ? "en" : "zh";
        auto bytes = tabular::WriteToBytes(*format, registry::TemplateHeader(*kind, lang),
                                           registry::TemplateExamples(*kind));
        if (!bytes) return std::unexpected(bytes.error());
        return ApiResponse::File(std::move(*bytes), std::string(tabular::ContentType(*format)),
                                 fmt::format("{}-template{}", registry::ImportKindName(*kind),
                                             tabular::FileExtension(*format)));
      });

  // POST /api/v1/imports?kind=members|incomes[&dry_run=true][&year=Y][&file_name=…] with the
  // file as the raw body: starts a job (202) or refuses an unreadable file at once (400).
  router.Add(
      "POST", "/api/v1/imports", write, [&imports](const ApiRequest& req) -> Result<ApiResponse> {
        auto kind = KindParam(req);
        if (!kind) return std::unexpected(kind.error());
        auto dry_run = QueryBool(req, "dry_run", false);
        if (!dry_run) return std::unexpected(dry_run.error());
        registry::ImportOptions options;
        options.dry_run = *dry_run;
        if (auto year = req.Query("year")) {
          int y = 0;
          auto [end, ec] = std::from_chars(year->data(), year->data() + year->size(), y);
          if (ec != std::errc() || end != year->data() + year->size() || y < 1980 || y > 2100) {
            return InvalidArgument("year must be a year",
                                   {{0, "year", *year, "must be a year from 1980"}});
          }
          options.year = y;
        }
        if (req.body.empty()) {
          return InvalidArgument("the request body must be the file to import");
        }
        const std::string file_name = req.Query("file_name").value_or("upload");
        const std::string sha = security::Sha256Hex(req.body);
        options.write_scope = req.scope;
        options.source = fmt::format("upload {} sha256:{}", file_name, sha);
        auto reader = OpenUpload(req.body);
        if (!reader) return std::unexpected(reader.error());
        auto id = imports.Start(*kind, std::move(*reader), file_name, sha, std::move(options),
                                req.Actor(), req.principal->user_id);
        if (!id) return std::unexpected(id.error());
        auto job = imports.Get(*id, req.principal->user_id);
        if (!job) return std::unexpected(job.error());
        return ApiResponse::Json(JobJson(*job), 202);
      });

  router.Add("GET", "/api/v1/imports/{id}", write,
             [&imports](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = JobId(req);
               if (!id) return std::unexpected(id.error());
               auto job = imports.Get(*id, req.principal->user_id);
               if (!job) return std::unexpected(job.error());
               return ApiResponse::Json(JobJson(*job));
             });

  router.Add("POST", "/api/v1/imports/{id}/cancel", write,
             [&imports](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = JobId(req);
               if (!id) return std::unexpected(id.error());
               auto job = imports.Cancel(*id, req.principal->user_id);
               if (!job) return std::unexpected(job.error());
               return ApiResponse::Json(JobJson(*job));
             });

  // Every problem of a failed job as a spreadsheet: the "error file" to fix the upload with.
  router.Add("GET", "/api/v1/imports/{id}/problems", write,
             [&imports](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = JobId(req);
               if (!id) return std::unexpected(id.error());
               auto format = FormatParam(req);
               if (!format) return std::unexpected(format.error());
               auto job = imports.Get(*id, req.principal->user_id);
               if (!job) return std::unexpected(job.error());
               const bool english = req.Query("lang").value_or("zh") == "en";
               // The reason in the file's language (Chinese where the catalogue has it), each
               // distinct reason translated once.
               std::unordered_map<std::string, std::string> translated;
               auto Reason = [&](const std::string& reason) -> std::string {
                 if (english) return reason;
                 auto [it, fresh] = translated.try_emplace(reason);
                 if (fresh) {
                   it->second = ToChinese(reason);
                   if (it->second.empty()) it->second = reason;
                 }
                 return it->second;
               };
               const std::vector<std::string> header =
                   english ? std::vector<std::string>{"row", "column", "value", "reason"}
                           : std::vector<std::string>{"行号", "列", "值", "原因"};
               std::vector<std::vector<std::string>> rows;
               if (job->error) {
                 for (const ErrorDetail& d : job->error->details) {
                   rows.push_back({d.row > 0 ? std::to_string(d.row) : "", d.column, d.value,
                                   Reason(d.reason)});
                 }
               }
               if (job->report) {
                 for (const ErrorDetail& d : job->report->warnings) {
                   rows.push_back({d.row > 0 ? std::to_string(d.row) : "", d.column, d.value,
                                   (english ? "warning: " : "警告：") + Reason(d.reason)});
                 }
               }
               auto bytes = tabular::WriteToBytes(*format, header, rows);
               if (!bytes) return std::unexpected(bytes.error());
               return ApiResponse::File(
                   std::move(*bytes), std::string(tabular::ContentType(*format)),
                   fmt::format("import-{}-problems{}", *id, tabular::FileExtension(*format)));
             });
}

}  // namespace

void AddRegistryRoutes(Router& router, registry::RegistryService& service,
                       registry::ImportJobs& imports) {
  const Access read = Access::Needs("registry", "read");
  const Access write = Access::Needs("registry", "write");
  const Access reveal = Access::Needs("personal_data", "view_sensitive");
  AddImportRoutes(router, imports, write);

  router.Add("GET", "/api/v1/registry/vocabularies", Access::SignedIn(),
             [](const ApiRequest&) -> Result<ApiResponse> {
               json out = json::object();
               for (const registry::Vocabulary* v : registry::AllVocabularies()) {
                 json terms = json::array();
                 for (const auto& t : v->terms) {
                   terms.push_back({{"code", t.code}, {"zh", t.zh}, {"en", t.en}});
                 }
                 out[std::string(v->name)] = terms;
               }
               return ApiResponse::Json(out);
             });

  // The list, export, detail and reveals also serve a household member their own household.
  router.Add("GET", "/api/v1/households", read.OrOwnHousehold(),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto query = ParseQuery(req);
               if (!query) return std::unexpected(query.error());
               auto paging = ParsePaging(req, 50, 500);
               if (!paging) return std::unexpected(paging.error());
               query->offset = paging->offset();
               query->limit = paging->page_size;
               auto page = service.List(*query, ViewerOf(req, req.scope, req.households));
               if (!page) return std::unexpected(page.error());
               json items = json::array();
               for (const auto& s : page->items) items.push_back(HouseholdSummaryJson(s));
               return ApiResponse::Json(ListEnvelope(items, page->total, *paging));
             });

  // Registered before /households/{id} so that "export" is not taken for an id.
  router.Add("GET", "/api/v1/households/export", read.OrOwnHousehold(),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto query = ParseQuery(req);
               if (!query) return std::unexpected(query.error());
               const std::string format = req.Query("format").value_or("csv");
               if (format != "csv" && format != "xlsx") {
                 return InvalidArgument("format must be csv or xlsx",
                                        {{0, "format", format, "must be csv or xlsx"}});
               }
               auto unmasked = QueryBool(req, "unmasked", false);
               if (!unmasked) return std::unexpected(unmasked.error());
               const bool english = req.Query("lang").value_or("zh") == "en";
               std::vector<std::string> header;
               for (const auto& c : registry::RegistryService::ExportColumns()) {
                 header.emplace_back(english ? c.en : c.zh);
               }
               std::vector<std::vector<std::string>> rows;
               const auto viewer = ViewerOf(req, req.scope, req.households);
               auto done = service.Export(*query, viewer, *unmasked,
                                          [&](const std::vector<std::string>& row) -> Status {
                                            rows.push_back(row);
                                            return {};
                                          });
               if (!done) return std::unexpected(done.error());
               const auto kind = format == "csv" ? tabular::Format::kCsv : tabular::Format::kXlsx;
               auto bytes = tabular::WriteToBytes(kind, header, rows);
               if (!bytes) return std::unexpected(bytes.error());
               return ApiResponse::File(std::move(*bytes),
                                        format == "csv"
                                            ? "text/csv; charset=utf-8"
                                            : "application/vnd.openxmlformats-officedocument."
                                              "spreadsheetml.sheet",
                                        "households." + format);
             });

  router.Add("GET", "/api/v1/households/{id}", read.On("household").OrOwnHousehold(),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = IdParam(req, "household");
               if (!id) return std::unexpected(id.error());
               std::optional<Date> as_of;
               if (auto text = req.Query("as_of")) {
                 auto day = ParseDate(*text);
                 if (!day) {
                   return InvalidArgument("as_of must be a date (YYYY-MM-DD)",
                                          {{0, "as_of", *text, "is not a date (YYYY-MM-DD)"}});
                 }
                 as_of = *day;
               }
               auto view = service.Get(*id, ViewerOf(req, req.scope, req.households), as_of);
               if (!view) return std::unexpected(view.error());
               json body = HouseholdViewJson(*view);
               body["as_of"] = as_of ? json(as_of->ToString()) : json(nullptr);
               return ApiResponse::Json(std::move(body));
             });

  router.Add("POST", "/api/v1/households", write,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto record = registry::ParseRecord(*body);
               if (!record) return std::unexpected(record.error());
               auto view = service.Create(std::move(*record), ViewerOf(req, req.scope));
               if (!view) return std::unexpected(view.error());
               return ApiResponse::Json(HouseholdViewJson(*view), 201);
             });

  router.Add("GET", "/api/v1/households/{id}/history", read.On("household").OrOwnHousehold(),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = IdParam(req, "household");
               if (!id) return std::unexpected(id.error());
               auto paging = ParsePaging(req, 20, 200);
               if (!paging) return std::unexpected(paging.error());
               auto page = service.History(*id, ViewerOf(req, req.scope, req.households),
                                           paging->offset(), paging->page_size);
               if (!page) return std::unexpected(page.error());
               json items = json::array();
               for (const auto& e : page->items) items.push_back(AuditEntryJson(e, true));
               return ApiResponse::Json(ListEnvelope(items, page->total, *paging));
             });

  router.Add("PATCH", "/api/v1/households/{id}", write.On("household"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = IdParam(req, "household");
               if (!id) return std::unexpected(id.error());
               const registry::Viewer viewer = ViewerOf(req, req.scope);
               FUPIN_TRY(service.CheckWritable(*id, viewer));
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto patch = registry::ParsePatch(*body);
               if (!patch) return std::unexpected(patch.error());
               auto view = service.Update(*id, *patch, viewer);
               if (!view) return std::unexpected(view.error());
               return ApiResponse::Json(HouseholdViewJson(*view));
             });

  router.Add("POST", "/api/v1/households/{id}/member-events", write.On("household"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = IdParam(req, "household");
               if (!id) return std::unexpected(id.error());
               const registry::Viewer viewer = ViewerOf(req, req.scope);
               FUPIN_TRY(service.CheckWritable(*id, viewer));
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto request = registry::ParseMemberEvent(*body);
               if (!request) return std::unexpected(request.error());
               auto view = service.RecordMemberEvent(*id, *request, viewer);
               if (!view) return std::unexpected(view.error());
               return ApiResponse::Json(HouseholdViewJson(*view), 201);
             });

  router.Add("POST", "/api/v1/households/{id}/reveal", reveal.On("household").OrOwnHousehold(),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = IdParam(req, "household");
               if (!id) return std::unexpected(id.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               const std::string field = (*body).value("field", json("")).is_string()
                                             ? (*body).value("field", std::string())
                                             : std::string();
               auto value = service.RevealHousehold(*id, field, ReadViewerOf(req));
               if (!value) return std::unexpected(value.error());
               return ApiResponse::Json({{"field", field}, {"value", *value}});
             });

  router.Add("POST", "/api/v1/members/{id}/reveal", reveal.On("member").OrOwnHousehold(),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = IdParam(req, "member");
               if (!id) return std::unexpected(id.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               const std::string field = (*body).value("field", json("")).is_string()
                                             ? (*body).value("field", std::string())
                                             : std::string();
               auto value = service.RevealMember(*id, field, ReadViewerOf(req));
               if (!value) return std::unexpected(value.error());
               return ApiResponse::Json({{"field", field}, {"value", *value}});
             });
}

}  // namespace fupin::http
