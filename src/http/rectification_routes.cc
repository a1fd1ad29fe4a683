#include "http/rectification_routes.h"

#include <fmt/format.h>

#include "access/permissions.h"
#include "http/body_reader.h"

namespace fupin::http {
namespace {

using evaluation::RectificationService;
using evaluation::RectificationTask;
using nlohmann::json;

json FindingJson(const evaluation::Finding& f) {
  return {{"kind", f.kind},
          {"object", f.object},
          {"node", f.node},
          {"text", f.text},
          {"text_en", f.text_en}};
}

json TaskJson(const RectificationTask& t, const Date& today, const ApiRequest& req) {
  json updates = json::array();
  for (const auto& u : t.updates) {
    updates.push_back({{"status", evaluation::TaskStatusName(u.status)},
                       {"note", u.note},
                       {"evidence", u.evidence},
                       {"by", u.by},
                       {"at", u.at}});
  }
  const bool open = t.status != evaluation::TaskStatus::kVerified;
  const access::Permission rectify{"evaluation", "rectify"};
  return {{"id", t.id},
          {"run_id", t.run_id},
          {"system_id", t.system_id},
          {"run_region", t.run_region},
          {"finding", FindingJson(t.finding)},
          {"region_code", t.region_code},
          {"title", t.title},
          {"unit", t.unit},
          {"person", t.person},
          {"deadline", t.deadline},
          {"status", evaluation::TaskStatusName(t.status)},
          {"submitted_on", t.submitted_on},
          {"verified_on", t.verified_on},
          {"overdue", evaluation::Overdue(t, today)},
          {"late", evaluation::Late(t)},
          {"updates", updates},
          {"version", t.version},
          {"created_by", t.created_by},
          {"created_at", t.created_at},
          {"updated_at", t.updated_at},
          // What the caller may do: report progress and submit (the task's region), edit,
          // verify or return (the assigning office).
          {"can_report", open && req.principal != nullptr &&
                             t.status != evaluation::TaskStatus::kSubmitted &&
                             req.principal->HoldsIn(rectify, t.region_code)},
          {"can_verify",
           open && req.principal != nullptr && req.principal->HoldsIn(rectify, t.run_region)}};
}

Result<int64_t> TaskId(const ApiRequest& req) { return PathId(req, "id", "rectification task"); }

}  // namespace

void AddRectificationRoutes(Router& router, RectificationService& service) {
  const Access read = Access::Needs("evaluation", "read");
  const Access rectify = Access::Needs("evaluation", "rectify");

  router.Add("GET", "/api/v1/evaluation/rectifications", read,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               evaluation::EvaluationRepository::TaskFilter filter;
               auto run = QueryInt(req, "run", 0);
               if (!run) return std::unexpected(run.error());
               auto system = QueryInt(req, "system", 0);
               if (!system) return std::unexpected(system.error());
               filter.run_id = *run;
               filter.system_id = *system;
               if (auto status = req.Query("status"); status && !status->empty()) {
                 filter.status = evaluation::TaskStatusNamed(*status);
                 if (!filter.status) {
                   return InvalidArgument(
                       "unknown status",
                       {ErrorDetail{0, "status", *status,
                                    "assigned, in_progress, submitted or verified"}});
                 }
               }
               auto overdue_only = QueryBool(req, "overdue", false);
               if (!overdue_only) return std::unexpected(overdue_only.error());
               auto list = service.List(req.scope, filter);
               if (!list) return std::unexpected(list.error());
               const Date today = service.Today();
               json items = json::array();
               std::map<std::string, int> by_status;
               int overdue = 0;
               for (const auto& t : *list) {
                 const bool late = evaluation::Overdue(t, today);
                 ++by_status[std::string(evaluation::TaskStatusName(t.status))];
                 overdue += late ? 1 : 0;
                 if (*overdue_only && !late) continue;
                 items.push_back(TaskJson(t, today, req));
               }
               json out = ListEnvelope(items, static_cast<int64_t>(items.size()));
               out["summary"] = {
                   {"by_status", by_status}, {"overdue", overdue}, {"today", today.ToString()}};
               return ApiResponse::Json(out);
             });

  router.Add("POST", "/api/v1/evaluation/runs/{id}/rectifications", rectify.On("evaluation_run"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = PathId(req, "id", "evaluation run");
               if (!id) return std::unexpected(id.error());
               // The run seen first: 404 before the body is read.
               FUPIN_TRY(service.RunSeen(req.scope, *id));
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               evaluation::NewTask t;
               t.run_id = *id;
               if (r.Has("finding")) t.finding = static_cast<int>(r.Int("finding"));
               t.custom.object = r.Text("object");
               t.custom.node = r.Text("node");
               t.custom.text = r.Text("text");
               t.custom.text_en = r.Text("text_en");
               t.title = r.Text("title");
               t.unit = r.Text("unit", true);
               t.person = r.Text("person", true);
               t.deadline = r.Text("deadline", true);
               FUPIN_TRY(r.Done("rectification task"));
               auto created = service.Assign(req.scope, t, req.Actor());
               if (!created) return std::unexpected(created.error());
               return ApiResponse::Json(TaskJson(*created, service.Today(), req), 201);
             });

  router.Add("GET", "/api/v1/evaluation/runs/{id}/rectifications", read.On("evaluation_run"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = PathId(req, "id", "evaluation run");
               if (!id) return std::unexpected(id.error());
               auto of = service.OfRun(req.scope, *id);
               if (!of) return std::unexpected(of.error());
               const Date today = service.Today();
               json tasks = json::array();
               for (const auto& t : of->tasks) tasks.push_back(TaskJson(t, today, req));
               json follow = json::array();
               for (const auto& f : of->follow_up) {
                 auto opt = [](const std::optional<double>& v) {
                   return v ? json(*v) : json(nullptr);
                 };
                 follow.push_back({{"task", TaskJson(f.task, today, req)},
                                   {"earlier_run", f.earlier_run},
                                   {"score_before", opt(f.score_before)},
                                   {"score_now", opt(f.score_now)},
                                   {"grade_before", f.grade_before},
                                   {"grade_now", f.grade_now},
                                   {"improved", f.improved}});
               }
               return ApiResponse::Json({{"run_id", *id}, {"tasks", tasks}, {"follow_up", follow}});
             });

  router.Add("GET", "/api/v1/evaluation/rectifications/{id}", read.On("rectification_task"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = TaskId(req);
               if (!id) return std::unexpected(id.error());
               auto t = service.Get(req.scope, *id);
               if (!t) return std::unexpected(t.error());
               return ApiResponse::Json(TaskJson(*t, service.Today(), req));
             });

  router.Add("PATCH", "/api/v1/evaluation/rectifications/{id}", rectify.On("rectification_task"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = TaskId(req);
               if (!id) return std::unexpected(id.error());
               auto seen = service.Get(req.scope, *id);
               if (!seen) return std::unexpected(seen.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               evaluation::TaskEdit edit;
               edit.version = r.Int("version", 0, true);
               if (r.Has("title")) edit.title = r.Text("title");
               if (r.Has("unit")) edit.unit = r.Text("unit");
               if (r.Has("person")) edit.person = r.Text("person");
               if (r.Has("deadline")) edit.deadline = r.Text("deadline");
               FUPIN_TRY(r.Done("rectification task"));
               auto saved = service.Edit(req.scope, *id, edit, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(TaskJson(*saved, service.Today(), req));
             });

  router.Add("POST", "/api/v1/evaluation/rectifications/{id}/reports",
             rectify.On("rectification_task"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = TaskId(req);
               if (!id) return std::unexpected(id.error());
               auto seen = service.Get(req.scope, *id);
               if (!seen) return std::unexpected(seen.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               evaluation::TaskReport report;
               report.version = r.Int("version", 0, true);
               const std::string status = r.Text("status", true);
               report.note = r.Text("note");
               report.evidence = r.Text("evidence");
               FUPIN_TRY(r.Done("report"));
               auto named = evaluation::TaskStatusNamed(status);
               if (!named || *named == evaluation::TaskStatus::kAssigned) {
                 if (!(named && *named == seen->status)) {
                   return InvalidArgument(
                       "unknown status",
                       {ErrorDetail{0, "status", status, "in_progress, submitted or verified"}});
                 }
               }
               report.status = *named;
               auto saved = service.Report(req.scope, *id, report, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(TaskJson(*saved, service.Today(), req));
             });
}

}  // namespace fupin::http
