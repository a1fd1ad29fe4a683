#include "http/project_routes.h"

#include <fmt/format.h>

#include <charconv>

#include "projects/project_json.h"

namespace fupin::http {
namespace {

using nlohmann::json;
using projects::ProjectService;

// Reads the fields of a JSON body one by one, collecting every problem with its field name.
class BodyReader {
 public:
  explicit BodyReader(const json& body) : body_(body) {}

  bool Has(const char* field) const { return body_.contains(field) && !body_[field].is_null(); }
  std::string Text(const char* field, bool required = false) {
    if (!Has(field)) {
      if (required) problems_.push_back({0, field, "", "is required"});
      return "";
    }
    if (!body_[field].is_string()) {
      problems_.push_back({0, field, body_[field].dump(), "must be text"});
      return "";
    }
    return body_[field].get<std::string>();
  }
  int64_t Int(const char* field, int64_t fallback = 0, bool required = false) {
    if (!Has(field)) {
      if (required) problems_.push_back({0, field, "", "is required"});
      return fallback;
    }
    if (!body_[field].is_number_integer()) {
      problems_.push_back({0, field, body_[field].dump(), "must be a whole number"});
      return fallback;
    }
    return body_[field].get<int64_t>();
  }
  double Number(const char* field, bool required) {
    if (!Has(field)) {
      if (required) problems_.push_back({0, field, "", "is required"});
      return 0;
    }
    if (!body_[field].is_number()) {
      problems_.push_back({0, field, body_[field].dump(), "must be a number"});
      return 0;
    }
    return body_[field].get<double>();
  }
  std::optional<Date> Day(const char* field, bool required) {
    const std::string text = Text(field, required);
    if (text.empty()) return std::nullopt;
    auto day = ParseDate(text);
    if (!day) {
      problems_.push_back({0, field, text, "is not a date (YYYY-MM-DD)"});
      return std::nullopt;
    }
    return *day;
  }
  std::vector<int64_t> Ids(const char* field) {
    std::vector<int64_t> out;
    if (!Has(field)) return out;
    const json& list = body_[field];
    bool ok = list.is_array();
    if (ok) {
      for (const json& x : list) {
        if (!x.is_number_integer()) {
          ok = false;
          break;
        }
        out.push_back(x.get<int64_t>());
      }
    }
    if (!ok) problems_.push_back({0, field, list.dump(), "must be a list of whole numbers"});
    return out;
  }
  // An array of objects, each read by `item` with its field names prefixed "field[i].".
  template <typename Item>
  void Each(const char* field, Item item) {
    if (!Has(field)) return;
    if (!body_[field].is_array()) {
      problems_.push_back({0, field, body_[field].dump(), "must be a list"});
      return;
    }
    for (size_t i = 0; i < body_[field].size(); ++i) {
      const json& element = body_[field][i];
      if (!element.is_object()) {
        problems_.push_back(
            {0, fmt::format("{}[{}]", field, i + 1), element.dump(), "must be an object"});
        continue;
      }
      BodyReader inner(element);
      item(inner);
      for (ErrorDetail d : inner.problems_) {
        d.column = fmt::format("{}[{}].{}", field, i + 1, d.column);
        problems_.push_back(std::move(d));
      }
    }
  }
  Status Done(std::string_view what) {
    if (problems_.empty()) return {};
    // The message first: the problems are moved into the error.
    std::string message = fmt::format("the {} has {} problem(s)", what, problems_.size());
    return InvalidArgument(std::move(message), std::move(problems_));
  }

 private:
  const json& body_;
  std::vector<ErrorDetail> problems_;
};

Result<projects::ProjectProfile> ParseProfile(BodyReader& r) {
  projects::ProjectProfile p;
  p.name = r.Text("name", true);
  p.type = r.Text("type", true);
  p.region_code = r.Text("region", true);
  p.implementing_unit = r.Text("implementing_unit", true);
  p.person_in_charge = r.Text("person_in_charge", true);
  p.content = r.Text("content");
  p.mechanism = r.Text("mechanism", true);
  p.beneficiaries = r.Ids("beneficiaries");
  p.budget_fen = r.Int("budget_fen", 0, true);
  p.start_on = r.Day("start_on", true).value_or(Date{});
  p.end_on = r.Day("end_on", true).value_or(Date{});
  r.Each("targets", [&](BodyReader& item) {
    projects::Target t;
    t.key = item.Text("key");
    t.category = item.Text("category", true);
    t.name = item.Text("name", true);
    t.unit = item.Text("unit");
    t.direction = item.Has("direction") ? item.Text("direction") : ">=";
    t.target_value = item.Number("target_value", true);
    p.targets.push_back(std::move(t));
  });
  r.Each("milestones", [&](BodyReader& item) {
    projects::Milestone m;
    m.key = item.Text("key");
    m.name = item.Text("name", true);
    m.planned_on = item.Day("planned_on", true).value_or(Date{});
    m.weight = static_cast<int>(item.Int("weight", 0, true));
    p.milestones.push_back(std::move(m));
  });
  return p;
}

Result<int64_t> ProjectId(const ApiRequest& req) { return PathId(req, "id", "project"); }

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

// The actions the caller may take on the project now: allowed by its state and held in its
// region.
json ActionsFor(const ApiRequest& req, const projects::Project& p) {
  json out = json::array();
  if (!req.principal) return out;
  for (const std::string& a : projects::AvailableActions(p)) {
    const access::Permission needed{"projects", projects::PermissionFor(a)};
    if (req.principal->HoldsIn(needed, p.profile.region_code)) out.push_back(a);
  }
  return out;
}

// A decision route: the body's `decision` picks one of `choices` (decision → action), or the
// route's single action when `choices` is empty.
void AddDecision(Router& router, ProjectService& service, const std::string& path,
                 const Access& access, std::string action,
                 std::vector<std::pair<std::string, std::string>> choices) {
  router.Add("POST", path, access.On("project"),
             [&service, action, choices](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = ProjectId(req);
               if (!id) return std::unexpected(id.error());
               // Out of the caller's regions: not found, before the body is looked at.
               auto found = service.Find(req.scope, *id);
               if (!found) return std::unexpected(found.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               projects::Decision d;
               d.action = action;
               if (!choices.empty()) {
                 const std::string decision = r.Text("decision", true);
                 std::string allowed;
                 for (const auto& [name, what] : choices) {
                   allowed += (allowed.empty() ? "" : ", ") + name;
                   if (name == decision) d.action = what;
                 }
                 if (!decision.empty() && d.action.empty()) {
                   return InvalidArgument("the decision is not known",
                                          {{0, "decision", decision, "is not one of: " + allowed}});
                 }
               }
               d.revision = r.Int("revision", 0, true);
               d.reason = r.Text("reason");
               d.on = r.Day("on", false);
               d.maintainer = r.Text("maintainer");
               FUPIN_TRY(r.Done("decision"));
               auto saved = service.Decide(req.scope, *id, d, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               json j = projects::ProjectJson(*saved);
               j["actions"] = ActionsFor(req, *saved);
               return ApiResponse::Json(j);
             });
}

}  // namespace

void AddProjectRoutes(Router& router, ProjectService& service) {
  const Access read = Access::Needs("projects", "read");
  const Access propose = Access::Needs("projects", "propose");
  const Access review = Access::Needs("projects", "review");
  const Access approve = Access::Needs("projects", "approve");
  const Access accept = Access::Needs("projects", "accept");
  const Access report = Access::Needs("projects", "report");

  // The module's code lists with their Chinese and English labels, for forms and tables.
  router.Add("GET", "/api/v1/projects/vocabularies", Access::SignedIn(),
             [](const ApiRequest&) -> Result<ApiResponse> {
               return ApiResponse::Json(projects::VocabulariesJson());
             });

  // The list, with the counts by status of everything matching but the status (the board).
  router.Add("GET", "/api/v1/projects", read,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto paging = ParsePaging(req, 50, 500);
               if (!paging) return std::unexpected(paging.error());
               projects::ProjectQuery q;
               q.scope = req.scope;
               q.within = req.Query("region").value_or("");
               q.type = req.Query("type").value_or("");
               q.status = req.Query("status").value_or("");
               q.text = req.Query("q").value_or("");
               q.offset = paging->offset();
               q.limit = paging->page_size;
               std::vector<ErrorDetail> problems;
               if (!q.type.empty() && !projects::ProjectTypes().Contains(q.type)) {
                 problems.push_back(
                     {0, "type", q.type, "is not one of: " + projects::ProjectTypes().Allowed()});
               }
               if (!q.status.empty() && !projects::Statuses().Contains(q.status)) {
                 problems.push_back(
                     {0, "status", q.status, "is not one of: " + projects::Statuses().Allowed()});
               }
               if (!problems.empty())
                 return InvalidArgument("the filters are not valid", std::move(problems));
               auto page = service.List(q);
               if (!page) return std::unexpected(page.error());
               json items = json::array();
               for (const auto& p : page->items) items.push_back(projects::ProjectJson(p));
               json out = ListEnvelope(items, page->total, *paging);
               json by_status = json::object();
               for (const auto& t : projects::Statuses().terms) by_status[std::string(t.code)] = 0;
               for (const auto& [status, n] : page->by_status) by_status[status] = n;
               out["by_status"] = by_status;
               return ApiResponse::Json(out);
             });

  router.Add("POST", "/api/v1/projects", propose,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               auto profile = ParseProfile(r);
               FUPIN_TRY(r.Done("project"));
               auto saved = service.Propose(req.scope, std::move(*profile), req.Actor());
               if (!saved) return std::unexpected(saved.error());
               json j = projects::ProjectJson(*saved);
               j["actions"] = ActionsFor(req, *saved);
               return ApiResponse::Json(j, 201);
             });

  router.Add("GET", "/api/v1/projects/{id}", read.On("project"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = ProjectId(req);
               if (!id) return std::unexpected(id.error());
               auto detail = service.Detail(req.scope, *id);
               if (!detail) return std::unexpected(detail.error());
               json j = projects::DetailJson(*detail);
               j["actions"] = ActionsFor(req, detail->project);
               return ApiResponse::Json(j);
             });

  // A new version: an edit of a proposal, a resubmission after a return, or a change of an
  // approved project (with change_reason).
  router.Add("PUT", "/api/v1/projects/{id}", propose.On("project"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = ProjectId(req);
               if (!id) return std::unexpected(id.error());
               auto found = service.Find(req.scope, *id);
               if (!found) return std::unexpected(found.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               auto profile = ParseProfile(r);
               const int64_t revision = r.Int("revision", 0, true);
               const std::string reason = r.Text("change_reason");
               FUPIN_TRY(r.Done("project"));
               auto saved =
                   service.Edit(req.scope, *id, revision, std::move(*profile), reason, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               json j = projects::ProjectJson(*saved);
               j["actions"] = ActionsFor(req, *saved);
               return ApiResponse::Json(j);
             });

  AddDecision(router, service, "/api/v1/projects/{id}/review", review, "",
              {{"pass", "review"}, {"return", "review_return"}, {"reject", "review_reject"}});
  AddDecision(router, service, "/api/v1/projects/{id}/approve", approve, "",
              {{"approve", "approve"}, {"return", "approve_return"}, {"reject", "approve_reject"}});
  AddDecision(router, service, "/api/v1/projects/{id}/accept", accept, "",
              {{"accept", "accept"}, {"return", "accept_return"}});
  AddDecision(router, service, "/api/v1/projects/{id}/start", report, "start", {});
  AddDecision(router, service, "/api/v1/projects/{id}/complete", report, "complete", {});
  AddDecision(router, service, "/api/v1/projects/{id}/maintain", report, "maintain", {});

  router.Add("POST", "/api/v1/projects/{id}/milestones", report.On("project"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = ProjectId(req);
               if (!id) return std::unexpected(id.error());
               auto found = service.Find(req.scope, *id);
               if (!found) return std::unexpected(found.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               projects::MilestoneActual m;
               m.key = r.Text("key", true);
               m.completed_on = r.Day("completed_on", true).value_or(Date{});
               m.note = r.Text("note");
               FUPIN_TRY(r.Done("milestone"));
               auto saved = service.CompleteMilestone(req.scope, *id, m, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json({{"key", saved->key},
                                         {"completed_on", saved->completed_on.ToString()},
                                         {"note", saved->note},
                                         {"recorded_by", saved->recorded_by}},
                                        201);
             });

  router.Add("POST", "/api/v1/projects/{id}/measurements", report.On("project"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = ProjectId(req);
               if (!id) return std::unexpected(id.error());
               auto found = service.Find(req.scope, *id);
               if (!found) return std::unexpected(found.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               projects::TargetActual t;
               t.key = r.Text("key", true);
               t.value = r.Number("value", true);
               t.measured_on = r.Day("measured_on", true).value_or(Date{});
               t.note = r.Text("note");
               FUPIN_TRY(r.Done("measurement"));
               auto saved = service.MeasureTarget(req.scope, *id, t, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json({{"key", saved->key},
                                         {"value", saved->value},
                                         {"measured_on", saved->measured_on.ToString()},
                                         {"note", saved->note},
                                         {"recorded_by", saved->recorded_by}},
                                        201);
             });

  router.Add("POST", "/api/v1/projects/{id}/reports", report.On("project"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = ProjectId(req);
               if (!id) return std::unexpected(id.error());
               auto found = service.Find(req.scope, *id);
               if (!found) return std::unexpected(found.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               projects::ProgressReport p;
               p.on = r.Day("on", true).value_or(Date{});
               p.percent = static_cast<int>(r.Int("percent", -1, true));
               p.narrative = r.Text("narrative", true);
               r.Each("attachments", [&](BodyReader& item) {
                 p.attachments.push_back({item.Text("name", true), item.Text("ref")});
               });
               FUPIN_TRY(r.Done("progress report"));
               auto saved = service.Report(req.scope, *id, std::move(p), req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(projects::ReportJson(*saved), 201);
             });

  router.Add("GET", "/api/v1/projects/{id}/versions", read.On("project"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = ProjectId(req);
               if (!id) return std::unexpected(id.error());
               auto detail = service.Detail(req.scope, *id);
               if (!detail) return std::unexpected(detail.error());
               json items = json::array();
               for (const auto& v : detail->versions) items.push_back(projects::VersionJson(v));
               return ApiResponse::Json(
                   ListEnvelope(items, static_cast<int64_t>(detail->versions.size())));
             });

  // The differences between two versions (default: the latest and the one before it).
  router.Add(
      "GET", "/api/v1/projects/{id}/diff", read.On("project"),
      [&service](const ApiRequest& req) -> Result<ApiResponse> {
        auto id = ProjectId(req);
        if (!id) return std::unexpected(id.error());
        auto from = IntQuery(req, "from");
        if (!from) return std::unexpected(from.error());
        auto to = IntQuery(req, "to");
        if (!to) return std::unexpected(to.error());
        auto diff = service.Diff(req.scope, *id, *from, *to);
        if (!diff) return std::unexpected(diff.error());
        json items = json::array();
        for (const auto& d : diff->differences) items.push_back(projects::DifferenceJson(d));
        return ApiResponse::Json({{"from", diff->from}, {"to", diff->to}, {"differences", items}});
      });
}

}  // namespace fupin::http
