#include "http/evaluation_routes.h"

#include <fmt/format.h>

#include <charconv>

#include "base/version.h"
#include "evaluation/run_json.h"
#include "evaluation/spec_json.h"
#include "evaluation/system_json.h"
#include "http/body_reader.h"
#include "indicators/indicator.h"

namespace fupin::http {
namespace {

using evaluation::SystemService;
using nlohmann::json;

json Array(const methods::Vector& v) {
  json a = json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) a.push_back(v[i]);
  return a;
}

json AhpJson(const methods::AhpResult& r) {
  json completed = json::array();
  for (const auto& c : r.completed) {
    completed.push_back({{"row", c.row}, {"col", c.col}, {"value", c.value}});
  }
  json suggestions = json::array();
  for (const auto& s : r.suggestions) {
    suggestions.push_back({{"row", s.row},
                           {"col", s.col},
                           {"current", s.current},
                           {"suggested", s.suggested},
                           {"cr_after", s.cr_after}});
  }
  json warnings = json::array();
  for (const auto& w : r.warnings) {
    warnings.push_back({{"row", w.row}, {"col", w.col}, {"value", w.value}, {"reason", w.reason}});
  }
  return {{"weights", Array(r.weights)},
          {"lambda_max", r.lambda_max},
          {"ci", r.ci},
          {"ri", r.ri},
          {"cr", r.cr},
          {"consistent", r.consistent},
          {"completed", completed},
          {"suggestions", suggestions},
          {"warnings", warnings}};
}

json JudgmentJson(const evaluation::JudgmentView& v) {
  const auto& j = v.judgment;
  return {{"system_id", j.system_id},
          {"version", j.version},
          {"node", j.node_key},
          {"children", v.children},
          {"expert_id", j.expert_id},
          {"expert", j.expert_name},
          {"matrix", json(evaluation::JudgmentMatrixJson(j.matrix))},
          {"note", j.note},
          {"updated_at", j.updated_at},
          {"analysis", v.analysis ? AhpJson(*v.analysis) : json(nullptr)},
          {"problem", v.problem}};
}

Result<int64_t> SystemId(const ApiRequest& req) { return PathId(req, "id", "indicator system"); }

Result<int> VersionParam(const ApiRequest& req) {
  const std::string& text = req.Param("version");
  int v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 1) {
    return InvalidArgument("a version is a whole number ≥ 1",
                           {ErrorDetail{0, "version", text, "not a version number"}});
  }
  return v;
}

// The system of the path, seen from the caller's scope: 404 before anything else is read.
Result<evaluation::System> SeenSystem(SystemService& service, const ApiRequest& req) {
  auto id = SystemId(req);
  if (!id) return std::unexpected(id.error());
  return service.Get(req.scope, *id);
}

Result<methods::Matrix> MatrixOf(const json& body) {
  std::vector<ErrorDetail> details;
  if (!body.contains("matrix")) {
    return InvalidArgument("the judgments are missing",
                           {ErrorDetail{0, "matrix", "", "is required: rows of judgments"}});
  }
  auto m = evaluation::ParseJudgmentMatrix(body.at("matrix"), "matrix", details);
  if (!m) return InvalidArgument("the judgment matrix is not valid", std::move(details));
  return *m;
}

// The AHP options named by `method` and `ri` (problems appended to `details`).
methods::AhpOptions AhpOptionsNamed(const std::string& method, const std::string& ri,
                                    std::vector<ErrorDetail>& details) {
  methods::AhpOptions o;
  if (auto m = evaluation::WeightMethodNamed(method)) {
    o.weight_method = *m;
  } else {
    details.push_back(ErrorDetail{0, "weights_method", method, "eigen, geometric or arithmetic"});
  }
  if (auto t = evaluation::RiTableNamed(ri)) {
    o.ri_table = *t;
  } else {
    details.push_back(ErrorDetail{0, "ri", ri, "saaty1980, saaty2005 or donegan-dodd"});
  }
  return o;
}

Result<methods::AhpOptions> AhpOptionsOf(const ApiRequest& req) {
  std::vector<ErrorDetail> details;
  auto o = AhpOptionsNamed(req.Query("weights_method").value_or("eigen"),
                           req.Query("ri").value_or("saaty1980"), details);
  if (!details.empty()) return InvalidArgument("unknown AHP options", std::move(details));
  return o;
}

// The group-AHP options of a query (weights) or a body (runs): aggregate, max_cr and the AHP
// options.
Result<methods::GroupAhpOptions> GroupOptionsOf(const std::string& aggregate,
                                                const std::optional<double>& max_cr,
                                                const methods::AhpOptions& ahp) {
  methods::GroupAhpOptions group;
  group.ahp = ahp;
  if (auto a = evaluation::AggregationNamed(aggregate)) {
    group.aggregation = *a;
  } else {
    return InvalidArgument(
        "unknown aggregation",
        {ErrorDetail{0, "aggregate", aggregate, "aij, aip-geometric or aip-arithmetic"}});
  }
  if (max_cr) {
    if (!(*max_cr > 0)) {
      return InvalidArgument(
          "max_cr is a positive number",
          {ErrorDetail{0, "max_cr", fmt::format("{}", *max_cr), "not a positive number"}});
    }
    group.max_cr = *max_cr;
  }
  return group;
}

json WeightsJson(const evaluation::NodeWeights& w) {
  json experts = json::array();
  if (w.group) {
    for (size_t e = 0; e < w.group->experts.size(); ++e) {
      const auto& r = w.group->experts[e];
      experts.push_back({{"expert_id", w.expert_ids[e]},
                         {"cr", r.cr},
                         {"consistent", r.consistent},
                         {"excluded", std::find(w.group->excluded.begin(), w.group->excluded.end(),
                                                static_cast<int>(e)) != w.group->excluded.end()},
                         {"weights", Array(r.weights)}});
    }
  }
  json aggregated = nullptr;
  if (w.group && w.group->aggregated) {
    aggregated = {{"cr", w.group->aggregated->cr},
                  {"lambda_max", w.group->aggregated->lambda_max},
                  {"consistent", w.group->aggregated->consistent}};
  }
  return {
      {"node", w.node_key},     {"children", w.children}, {"default_weights", w.default_weights},
      {"judgments", w.experts}, {"experts", experts},     {"aggregated", aggregated},
      {"weights", w.weights},   {"source", w.source},     {"problem", w.problem}};
}

std::vector<double> Numbers(const json& j) {
  std::vector<double> out;
  if (!j.is_array()) return out;
  for (const auto& v : j) out.push_back(v.is_number() ? v.get<double>() : -1.0);
  return out;
}

// A run request: {system_id, version?, name, region, period, objects: [codes],
// use_judgments?, aggregate?, max_cr?, weights_method?, ri?, operator?,
// sensitivity?: {draws, spread, seed}, inputs?: [{object, leaf, responses | membership}],
// surveys?: [questionnaire ids], objective?: none|entropy|critic,
// combine?: linear|multiplicative|objective, alpha?}.
Result<evaluation::RunRequest> ParseRunRequest(const json& body) {
  BodyReader r(body);
  evaluation::RunRequest q;
  q.system_id = r.Int("system_id", 0, true);
  q.version = static_cast<int>(r.Int("version"));
  q.name = r.Text("name", true);
  q.region_code = r.Text("region", true);
  q.period = r.Text("period", true);
  q.use_judgments = !r.Has("use_judgments") || r.Bool("use_judgments");
  const std::string aggregate = r.Has("aggregate") ? r.Text("aggregate") : "aij";
  // Experts with CR above 0.1 are left out unless asked otherwise ("max_cr": "none").
  std::optional<double> max_cr = 0.1;
  if (body.contains("max_cr") && body["max_cr"] == "none") {
    max_cr.reset();
  } else if (r.Has("max_cr")) {
    max_cr = r.Number("max_cr");
  }
  const std::string method = r.Has("weights_method") ? r.Text("weights_method") : "eigen";
  const std::string ri = r.Has("ri") ? r.Text("ri") : "saaty1980";
  const std::string op = r.Has("operator") ? r.Text("operator") : "weighted-average";
  const std::string ranking = r.Has("ranking") ? r.Text("ranking") : "score";
  const std::string objective = r.Has("objective") ? r.Text("objective") : "none";
  const std::string combine = r.Has("combine") ? r.Text("combine") : "linear";
  q.alpha = r.Number("alpha").value_or(0.5);
  std::vector<ErrorDetail> details;
  if (!body.contains("objects") || !body["objects"].is_array()) {
    details.push_back(ErrorDetail{0, "objects", "", "a list of region codes"});
  } else {
    for (size_t i = 0; i < body["objects"].size(); ++i) {
      const auto& o = body["objects"][i];
      if (!o.is_string()) {
        details.push_back(ErrorDetail{0, fmt::format("objects[{}]", i), o.dump(), "a region code"});
      } else {
        q.objects.push_back(o.get<std::string>());
      }
    }
  }
  if (body.contains("sensitivity") && !body["sensitivity"].is_null()) {
    BodyReader s(body["sensitivity"]);
    q.sensitivity.draws = static_cast<int>(s.Int("draws", 1000));
    q.sensitivity.spread = s.Number("spread").value_or(0.1);
    q.sensitivity.seed = static_cast<uint64_t>(s.Int("seed", 1));
    if (auto done = s.Done("sensitivity"); !done) {
      for (auto d : done.error().details) {
        d.column = "sensitivity." + d.column;
        details.push_back(std::move(d));
      }
    }
  }
  if (body.contains("surveys") && !body["surveys"].is_null()) {
    if (!body["surveys"].is_array()) {
      details.push_back(ErrorDetail{0, "surveys", "", "a list of questionnaire ids"});
    } else {
      for (size_t i = 0; i < body["surveys"].size(); ++i) {
        const auto& s = body["surveys"][i];
        if (!s.is_number_integer() || s.get<int64_t>() <= 0) {
          details.push_back(
              ErrorDetail{0, fmt::format("surveys[{}]", i), s.dump(), "a questionnaire id"});
        } else {
          q.surveys.push_back(s.get<int64_t>());
        }
      }
    }
  }
  if (body.contains("inputs") && body["inputs"].is_array()) {
    for (size_t i = 0; i < body["inputs"].size(); ++i) {
      const auto& in = body["inputs"][i];
      evaluation::RunInput x;
      if (!in.is_object()) {
        details.push_back(ErrorDetail{0, fmt::format("inputs[{}]", i), "", "must be an object"});
        continue;
      }
      x.object = in.value("object", "");
      x.leaf = in.value("leaf", "");
      if (in.contains("responses")) x.responses = Numbers(in["responses"]);
      if (in.contains("membership")) x.membership = Numbers(in["membership"]);
      q.inputs.push_back(std::move(x));
    }
  }
  if (auto done = r.Done("run"); !done) {
    for (auto d : done.error().details) details.push_back(std::move(d));
  }
  const methods::AhpOptions ahp = AhpOptionsNamed(method, ri, details);
  if (auto named = evaluation::ObjectiveWeightingNamed(objective)) {
    q.objective = *named;
  } else {
    details.push_back(ErrorDetail{0, "objective", objective, "none, entropy or critic"});
  }
  if (auto named = evaluation::CombinationNamed(combine)) {
    q.combine = *named;
  } else {
    details.push_back(ErrorDetail{0, "combine", combine, "linear, multiplicative or objective"});
  }
  if (auto named = evaluation::RankingNamed(ranking)) {
    q.ranking = *named;
  } else {
    details.push_back(ErrorDetail{0, "ranking", ranking, "score, topsis or grey"});
  }
  if (auto named = evaluation::OperatorNamed(op)) {
    q.op = *named;
  } else {
    details.push_back(ErrorDetail{0, "operator", op,
                                  "weighted-average, min-max, product-max or min-bounded-sum"});
  }
  if (!details.empty()) return InvalidArgument("the run is not valid", std::move(details));
  auto group = GroupOptionsOf(aggregate, max_cr, ahp);
  if (!group) return std::unexpected(group.error());
  q.group = *group;
  return q;
}

// A write to a run: the run of the path, seen from the caller's scope (404 before the body is
// read), and the body.
struct RunWrite {
  int64_t id = 0;
  nlohmann::json body;

  static Result<RunWrite> Of(evaluation::RunService& runs, const ApiRequest& req) {
    auto id = PathId(req, "id", "evaluation run");
    if (!id) return std::unexpected(id.error());
    auto found = runs.Get(req.scope, *id);
    if (!found) return std::unexpected(found.error());
    auto body = req.JsonBody();
    if (!body) return std::unexpected(body.error());
    return RunWrite{*id, std::move(*body)};
  }
};

}  // namespace

void AddEvaluationRoutes(Router& router, SystemService& service, evaluation::RunService& runs) {
  const Access read = Access::Needs("evaluation", "read");
  const Access design = Access::Needs("evaluation", "design");
  const Access judge = Access::Needs("evaluation", "judge");
  const Access run = Access::Needs("evaluation", "run");
  const Access publish = Access::Needs("evaluation", "publish");

  router.Add("GET", "/api/v1/evaluation/templates", read,
             [](const ApiRequest&) -> Result<ApiResponse> {
               json items = json::array();
               for (const auto& t : evaluation::Templates()) {
                 items.push_back(json(evaluation::TemplateJson(t)));
               }
               return ApiResponse::Json(ListEnvelope(items, static_cast<int64_t>(items.size())));
             });

  // AHP of one matrix, nothing stored: the judgment form's live consistency check.
  router.Add("POST", "/api/v1/evaluation/ahp", read,
             [](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto matrix = MatrixOf(*body);
               if (!matrix) return std::unexpected(matrix.error());
               auto options = AhpOptionsOf(req);
               if (!options) return std::unexpected(options.error());
               auto r = SystemService::Analyze(*matrix, *options);
               if (!r) return std::unexpected(r.error());
               return ApiResponse::Json(AhpJson(*r));
             });

  router.Add("GET", "/api/v1/evaluation/systems", read,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto list = service.List(req.scope);
               if (!list) return std::unexpected(list.error());
               json items = json::array();
               for (const auto& s : *list) {
                 items.push_back(json(evaluation::SystemSummaryJson(s)));
               }
               return ApiResponse::Json(ListEnvelope(items, static_cast<int64_t>(items.size())));
             });

  router.Add("POST", "/api/v1/evaluation/systems", design,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               evaluation::NewSystem n;
               n.name = r.Text("name", true);
               n.name_en = r.Text("name_en");
               n.description = r.Text("description");
               n.region_code = r.Text("region", true);
               n.template_code = r.Text("template");
               n.copy_of = r.Int("copy_of");
               n.copy_version = static_cast<int>(r.Int("copy_version"));
               FUPIN_TRY(r.Done("indicator system"));
               auto created = service.Create(req.scope, n, req.Actor());
               if (!created) return std::unexpected(created.error());
               return ApiResponse::Json(json(evaluation::SystemJson(*created, {})), 201);
             });

  router.Add("GET", "/api/v1/evaluation/systems/{id}", read.On("evaluation_system"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto system = SeenSystem(service, req);
               if (!system) return std::unexpected(system.error());
               auto versions = service.Versions(req.scope, system->id);
               if (!versions) return std::unexpected(versions.error());
               json out = evaluation::SystemJson(*system, *versions);
               out["editable"] =
                   req.principal != nullptr &&
                   req.principal->HoldsIn({"evaluation", "design"}, system->region_code);
               return ApiResponse::Json(out);
             });

  router.Add("PATCH", "/api/v1/evaluation/systems/{id}", design.On("evaluation_system"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto system = SeenSystem(service, req);
               if (!system) return std::unexpected(system.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               evaluation::SystemPatch patch;
               patch.version = r.Int("version", 0, true);
               if (r.Has("name")) patch.name = r.Text("name");
               if (r.Has("name_en")) patch.name_en = r.Text("name_en");
               if (r.Has("description")) patch.description = r.Text("description");
               std::optional<Error> draft_error;
               if (r.Has("draft")) {
                 auto draft = evaluation::ParseContent((*body)["draft"], "draft");
                 if (!draft) {
                   draft_error = draft.error();
                 } else {
                   patch.draft = std::move(*draft);
                 }
               }
               if (auto done = r.Done("indicator system"); !done)
                 return std::unexpected(done.error());
               if (draft_error) return std::unexpected(*draft_error);
               auto saved = service.Update(req.scope, system->id, patch, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               auto versions = service.Versions(req.scope, system->id);
               if (!versions) return std::unexpected(versions.error());
               return ApiResponse::Json(json(evaluation::SystemJson(*saved, *versions)));
             });

  router.Add("POST", "/api/v1/evaluation/systems/{id}/publish", design.On("evaluation_system"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto system = SeenSystem(service, req);
               if (!system) return std::unexpected(system.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               const int64_t version = r.Int("version", 0, true);
               const std::string note = r.Text("note");
               FUPIN_TRY(r.Done("publication"));
               auto published = service.Publish(req.scope, system->id, version, note, req.Actor());
               if (!published) return std::unexpected(published.error());
               return ApiResponse::Json(json(evaluation::VersionJson(*published)), 201);
             });

  router.Add("GET", "/api/v1/evaluation/systems/{id}/versions/{version}",
             read.On("evaluation_system"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto system = SeenSystem(service, req);
               if (!system) return std::unexpected(system.error());
               auto version = VersionParam(req);
               if (!version) return std::unexpected(version.error());
               auto v = service.Version(req.scope, system->id, *version);
               if (!v) return std::unexpected(v.error());
               json out = evaluation::VersionJson(*v);
               out["name"] = system->name;
               out["name_en"] = system->name_en;
               out["region_code"] = system->region_code;
               return ApiResponse::Json(out);
             });

  router.Add(
      "GET", "/api/v1/evaluation/systems/{id}/versions/{version}/judgments",
      read.On("evaluation_system"), [&service](const ApiRequest& req) -> Result<ApiResponse> {
        auto system = SeenSystem(service, req);
        if (!system) return std::unexpected(system.error());
        auto version = VersionParam(req);
        if (!version) return std::unexpected(version.error());
        auto list =
            service.Judgments(req.scope, system->id, *version, req.Query("node").value_or(""));
        if (!list) return std::unexpected(list.error());
        json items = json::array();
        for (const auto& j : *list) items.push_back(JudgmentJson(j));
        return ApiResponse::Json(ListEnvelope(items, static_cast<int64_t>(items.size())));
      });

  // The caller's own judgment of a node (an expert judges on their own behalf only).
  router.Add(
      "PUT", "/api/v1/evaluation/systems/{id}/versions/{version}/judgments/{node}",
      judge.On("evaluation_system"), [&service](const ApiRequest& req) -> Result<ApiResponse> {
        auto system = SeenSystem(service, req);
        if (!system) return std::unexpected(system.error());
        auto version = VersionParam(req);
        if (!version) return std::unexpected(version.error());
        auto body = req.JsonBody();
        if (!body) return std::unexpected(body.error());
        auto matrix = MatrixOf(*body);
        if (!matrix) return std::unexpected(matrix.error());
        BodyReader r(*body);
        const std::string note = r.Text("note");
        const std::string display =
            req.principal->name;  // the login name; the display name is not in the principal
        auto saved = service.Judge(req.scope, system->id, *version, req.Param("node"),
                                   req.principal->user_id, display, *matrix, note, req.Actor());
        if (!saved) return std::unexpected(saved.error());
        return ApiResponse::Json(JudgmentJson(*saved));
      });

  router.Add("DELETE", "/api/v1/evaluation/systems/{id}/versions/{version}/judgments/{node}",
             judge.On("evaluation_system"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto system = SeenSystem(service, req);
               if (!system) return std::unexpected(system.error());
               auto version = VersionParam(req);
               if (!version) return std::unexpected(version.error());
               FUPIN_TRY(service.Withdraw(req.scope, system->id, *version, req.Param("node"),
                                          req.principal->user_id, req.Actor()));
               return ApiResponse::Json(nullptr, 204);
             });

  router.Add("GET", "/api/v1/evaluation/systems/{id}/versions/{version}/weights",
             read.On("evaluation_system"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto system = SeenSystem(service, req);
               if (!system) return std::unexpected(system.error());
               auto version = VersionParam(req);
               if (!version) return std::unexpected(version.error());
               auto ahp = AhpOptionsOf(req);
               if (!ahp) return std::unexpected(ahp.error());
               // Experts with CR above 0.1 are left out unless asked otherwise (max_cr=none).
               std::optional<double> max_cr = 0.1;
               if (req.Query("max_cr") == "none") {
                 max_cr.reset();
               } else if (auto text = req.Query("max_cr")) {
                 char* end = nullptr;
                 max_cr = std::strtod(text->c_str(), &end);
                 if (end == text->c_str() || *end != '\0') {
                   return InvalidArgument("max_cr is a positive number",
                                          {ErrorDetail{0, "max_cr", *text, "not a number"}});
                 }
               }
               const std::string aggregate = req.Query("aggregate").value_or("aij");
               auto group = GroupOptionsOf(aggregate, max_cr, *ahp);
               if (!group) return std::unexpected(group.error());
               evaluation::WeightOptions options;
               options.group = *group;
               auto weights = service.Weights(req.scope, system->id, *version, options);
               if (!weights) return std::unexpected(weights.error());
               json items = json::array();
               for (const auto& w : *weights) items.push_back(WeightsJson(w));
               json out = ListEnvelope(items, static_cast<int64_t>(items.size()));
               out["conventions"] = {
                   {"aggregate", aggregate},
                   {"weights_method", req.Query("weights_method").value_or("eigen")},
                   {"ri", req.Query("ri").value_or("saaty1980")},
                   {"max_cr", options.group.max_cr ? json(*options.group.max_cr) : json(nullptr)},
                   {"fallback",
                    "a node without usable judgments keeps the system's default "
                    "weights"}};
               return ApiResponse::Json(out);
             });

  // ---- Runs (评价运行) ----

  router.Add("GET", "/api/v1/evaluation/runs", read,
             [&runs](const ApiRequest& req) -> Result<ApiResponse> {
               auto system = QueryInt(req, "system", 0);
               if (!system) return std::unexpected(system.error());
               auto list = runs.List(req.scope, *system);
               if (!list) return std::unexpected(list.error());
               json items = json::array();
               for (const auto& r : *list) items.push_back(json(evaluation::RunJson(r, false)));
               return ApiResponse::Json(ListEnvelope(items, static_cast<int64_t>(items.size())));
             });

  router.Add("POST", "/api/v1/evaluation/runs", run,
             [&runs](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto request = ParseRunRequest(*body);
               if (!request) return std::unexpected(request.error());
               auto created = runs.Create(req.scope, *request, req.Actor());
               if (!created) return std::unexpected(created.error());
               return ApiResponse::Json(json(evaluation::RunJson(*created, true)), 201);
             });

  // Two runs side by side (registered before /runs/{id}).
  router.Add("GET", "/api/v1/evaluation/runs/compare", read,
             [&runs](const ApiRequest& req) -> Result<ApiResponse> {
               auto a = QueryInt(req, "a", 0);
               if (!a) return std::unexpected(a.error());
               auto b = QueryInt(req, "b", 0);
               if (!b) return std::unexpected(b.error());
               if (*a <= 0 || *b <= 0) {
                 return InvalidArgument(
                     "name the two runs to compare",
                     {ErrorDetail{0, *a <= 0 ? "a" : "b", "", "a run id is required"}});
               }
               auto c = runs.Compare(req.scope, *a, *b);
               if (!c) return std::unexpected(c.error());
               json out = evaluation::ComparisonJson(*c);
               out["a"] = *a;
               out["b"] = *b;
               return ApiResponse::Json(out);
             });

  router.Add("GET", "/api/v1/evaluation/runs/{id}", read.On("evaluation_run"),
             [&runs](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = PathId(req, "id", "evaluation run");
               if (!id) return std::unexpected(id.error());
               auto r = runs.Get(req.scope, *id);
               if (!r) return std::unexpected(r.error());
               json out = evaluation::RunJson(*r, true);
               out["editable"] = r->status == evaluation::RunStatus::kDraft &&
                                 req.principal != nullptr &&
                                 req.principal->HoldsIn({"evaluation", "run"}, r->region_code);
               out["publishable"] =
                   r->status == evaluation::RunStatus::kDraft && req.principal != nullptr &&
                   req.principal->HoldsIn({"evaluation", "publish"}, r->region_code);
               return ApiResponse::Json(out);
             });

  // Computes the stored snapshot again: the same numbers, bit for bit, or says not.
  router.Add("GET", "/api/v1/evaluation/runs/{id}/reproduce", read.On("evaluation_run"),
             [&runs](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = PathId(req, "id", "evaluation run");
               if (!id) return std::unexpected(id.error());
               auto r = runs.Reproduce(req.scope, *id);
               if (!r) return std::unexpected(r.error());
               json scores = json::array();
               for (const auto& o : r->recomputed.outcomes) scores.push_back(o.overall().score);
               return ApiResponse::Json({{"run_id", *id},
                                         {"reproduced", r->same},
                                         {"scores", scores},
                                         {"fupin_version", kVersion}});
             });

  router.Add("PUT", "/api/v1/evaluation/runs/{id}/findings", run.On("evaluation_run"),
             [&runs](const ApiRequest& req) -> Result<ApiResponse> {
               auto write = RunWrite::Of(runs, req);
               if (!write) return std::unexpected(write.error());
               const int64_t id = write->id;
               const nlohmann::json& body = write->body;
               BodyReader r(body);
               const int64_t version = r.Int("version", 0, true);
               FUPIN_TRY(r.Done("findings"));
               if (!body.contains("findings")) {
                 return InvalidArgument("the findings are missing",
                                        {ErrorDetail{0, "findings", "", "is required"}});
               }
               auto findings = evaluation::ParseFindings(body["findings"]);
               if (!findings) return std::unexpected(findings.error());
               auto saved =
                   runs.SaveFindings(req.scope, id, version, std::move(*findings), req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(json(evaluation::RunJson(*saved, true)));
             });

  router.Add("POST", "/api/v1/evaluation/runs/{id}/publish", publish.On("evaluation_run"),
             [&runs](const ApiRequest& req) -> Result<ApiResponse> {
               auto write = RunWrite::Of(runs, req);
               if (!write) return std::unexpected(write.error());
               const int64_t id = write->id;
               const nlohmann::json& body = write->body;
               BodyReader r(body);
               const int64_t version = r.Int("version", 0, true);
               FUPIN_TRY(r.Done("publication"));
               auto published = runs.Publish(req.scope, id, version, req.Actor());
               if (!published) return std::unexpected(published.error());
               return ApiResponse::Json(json(evaluation::RunJson(*published, true)));
             });
}

}  // namespace fupin::http
