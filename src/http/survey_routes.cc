#include "http/survey_routes.h"

#include <fmt/format.h>

#include "access/permissions.h"
#include "evaluation/spec_json.h"
#include "evaluation/survey_json.h"
#include "http/body_reader.h"
#include "http/download.h"
#include "security/crypto.h"

namespace fupin::http {
namespace {

using evaluation::SurveyService;
using nlohmann::json;

Result<int64_t> SurveyId(const ApiRequest& req) { return PathId(req, "id", "questionnaire"); }

// The questionnaire of the path, seen from the caller's scope: 404 before the body is read.
Result<evaluation::Questionnaire> SeenQuestionnaire(SurveyService& surveys, const ApiRequest& req) {
  auto id = SurveyId(req);
  if (!id) return std::unexpected(id.error());
  return surveys.Get(req.scope, *id);
}

// One questionnaire with its grades, its questions and the survey leaves it can feed, and
// what the caller may do with it.
Result<json> DetailJson(SurveyService& surveys, const ApiRequest& req,
                        const evaluation::Questionnaire& q) {
  auto version = surveys.VersionOf({""}, q.system_id, q.system_version);
  if (!version) return std::unexpected(version.error());
  const auto& content = version->content;
  json out = evaluation::QuestionnaireJson(q, content.grades, true);
  json leaves = json::array();
  const auto children = evaluation::ChildrenOf(content);
  for (size_t i = 1; i < content.nodes.size(); ++i) {
    const auto& n = content.nodes[i];
    if (!children[i].empty() || n.source != evaluation::LeafSource::kSurvey) continue;
    const int parent = evaluation::FindNode(content, n.parent);
    leaves.push_back(
        {{"key", n.key},
         {"name", n.name},
         {"name_en", n.name_en},
         {"parent", n.parent},
         {"parent_name", parent >= 0 ? content.nodes[static_cast<size_t>(parent)].name : ""},
         {"parent_name_en",
          parent >= 0 ? content.nodes[static_cast<size_t>(parent)].name_en : ""}});
  }
  out["leaves"] = std::move(leaves);
  bool can_enter = false;
  if (req.principal) {
    for (const auto& s : req.principal->Scope({"evaluation", "survey"})) {
      if (access::InSubtree(s, q.region_code) || access::InSubtree(q.region_code, s)) {
        can_enter = true;
      }
    }
  }
  out["can_design"] =
      req.principal != nullptr && req.principal->HoldsIn({"evaluation", "design"}, q.region_code);
  out["can_enter"] = can_enter && q.open;
  return out;
}

}  // namespace

void AddSurveyRoutes(Router& router, SurveyService& surveys) {
  const Access read = Access::Needs("evaluation", "read");
  const Access design = Access::Needs("evaluation", "design");
  const Access enter = Access::Needs("evaluation", "survey");

  router.Add("GET", "/api/v1/evaluation/survey-groups", read,
             [](const ApiRequest&) -> Result<ApiResponse> {
               return ApiResponse::Json(json(evaluation::RespondentGroupsJson()));
             });

  router.Add("GET", "/api/v1/evaluation/surveys", read,
             [&surveys](const ApiRequest& req) -> Result<ApiResponse> {
               auto system = QueryInt(req, "system_id", 0);
               if (!system) return std::unexpected(system.error());
               auto list = surveys.List(req.scope, *system);
               if (!list) return std::unexpected(list.error());
               json items = json::array();
               for (const auto& q : *list) {
                 items.push_back(json(evaluation::QuestionnaireJson(q, {}, false)));
               }
               return ApiResponse::Json(ListEnvelope(items, static_cast<int64_t>(items.size())));
             });

  router.Add(
      "POST", "/api/v1/evaluation/surveys", design,
      [&surveys](const ApiRequest& req) -> Result<ApiResponse> {
        auto body = req.JsonBody();
        if (!body) return std::unexpected(body.error());
        BodyReader r(*body);
        evaluation::Questionnaire q;
        q.system_id = r.Int("system_id", 0, true);
        q.system_version = static_cast<int>(r.Int("system_version"));
        q.region_code = r.Text("region", true);
        FUPIN_TRY(r.Done("questionnaire"));
        if (!access::InAnySubtree(req.scope, q.region_code)) {
          return PermissionDenied(fmt::format(
              "region {} is outside the regions where you design evaluations", q.region_code));
        }
        auto version = surveys.VersionOf(req.scope, q.system_id, q.system_version);
        if (!version) return std::unexpected(version.error());
        FUPIN_TRY(evaluation::ParseQuestionnaireFields(*body, version->content.grades, q));
        auto created = surveys.Create(req.scope, std::move(q), req.Actor());
        if (!created) return std::unexpected(created.error());
        auto out = DetailJson(surveys, req, *created);
        if (!out) return std::unexpected(out.error());
        return ApiResponse::Json(*out, 201);
      });

  router.Add("GET", "/api/v1/evaluation/surveys/{id}", read.On("survey_questionnaire"),
             [&surveys](const ApiRequest& req) -> Result<ApiResponse> {
               auto q = SeenQuestionnaire(surveys, req);
               if (!q) return std::unexpected(q.error());
               auto out = DetailJson(surveys, req, *q);
               if (!out) return std::unexpected(out.error());
               return ApiResponse::Json(*out);
             });

  router.Add("PATCH", "/api/v1/evaluation/surveys/{id}", design.On("survey_questionnaire"),
             [&surveys](const ApiRequest& req) -> Result<ApiResponse> {
               auto q = SeenQuestionnaire(surveys, req);
               if (!q) return std::unexpected(q.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               const int64_t version = r.Int("version", 0, true);
               FUPIN_TRY(r.Done("questionnaire"));
               auto sv = surveys.VersionOf({""}, q->system_id, q->system_version);
               if (!sv) return std::unexpected(sv.error());
               evaluation::Questionnaire edited = *q;
               edited.version = version;
               FUPIN_TRY(evaluation::ParseQuestionnaireFields(*body, sv->content.grades, edited));
               auto saved = surveys.Update(req.scope, edited, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               auto out = DetailJson(surveys, req, *saved);
               if (!out) return std::unexpected(out.error());
               return ApiResponse::Json(*out);
             });

  router.Add("GET", "/api/v1/evaluation/surveys/{id}/responses", read.On("survey_questionnaire"),
             [&surveys](const ApiRequest& req) -> Result<ApiResponse> {
               auto q = SeenQuestionnaire(surveys, req);
               if (!q) return std::unexpected(q.error());
               std::vector<std::string> regions;
               if (auto region = req.Query("region"); region && !region->empty()) {
                 regions.push_back(*region);
               }
               auto list = surveys.Responses(req.scope, q->id, regions);
               if (!list) return std::unexpected(list.error());
               json items = json::array();
               for (const auto& r : *list) items.push_back(json(evaluation::ResponseJson(r)));
               return ApiResponse::Json(ListEnvelope(items, static_cast<int64_t>(items.size())));
             });

  router.Add("POST", "/api/v1/evaluation/surveys/{id}/responses", enter.On("survey_questionnaire"),
             [&surveys](const ApiRequest& req) -> Result<ApiResponse> {
               auto q = SeenQuestionnaire(surveys, req);
               if (!q) return std::unexpected(q.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto response = evaluation::ParseResponse(*body);
               if (!response) return std::unexpected(response.error());
               auto saved = surveys.Enter(req.scope, q->id, std::move(*response), req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(json(evaluation::ResponseJson(*saved)), 201);
             });

  router.Add("DELETE", "/api/v1/evaluation/surveys/{id}/responses/{response}",
             enter.On("survey_questionnaire"),
             [&surveys](const ApiRequest& req) -> Result<ApiResponse> {
               auto q = SeenQuestionnaire(surveys, req);
               if (!q) return std::unexpected(q.error());
               auto rid = PathId(req, "response", "survey response");
               if (!rid) return std::unexpected(rid.error());
               FUPIN_TRY(surveys.DeleteResponse(req.scope, q->id, *rid, req.Actor()));
               return ApiResponse::Json(nullptr, 204);
             });

  router.Add("POST", "/api/v1/evaluation/surveys/{id}/import/preview",
             enter.On("survey_questionnaire"),
             [&surveys](const ApiRequest& req) -> Result<ApiResponse> {
               auto q = SeenQuestionnaire(surveys, req);
               if (!q) return std::unexpected(q.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto reader = OpenBodyUpload(*body);
               if (!reader) return std::unexpected(reader.error());
               auto p = surveys.Preview(req.scope, q->id, **reader);
               if (!p) return std::unexpected(p.error());
               return ApiResponse::Json({{"tool", evaluation::SurveyToolName(p->tool)},
                                         {"format", p->format},
                                         {"header", p->header},
                                         {"mapping", json(evaluation::MappingJson(p->mapping))},
                                         {"sample", p->sample},
                                         {"unmapped", p->unmapped}});
             });

  router.Add("POST", "/api/v1/evaluation/surveys/{id}/import", enter.On("survey_questionnaire"),
             [&surveys](const ApiRequest& req) -> Result<ApiResponse> {
               auto q = SeenQuestionnaire(surveys, req);
               if (!q) return std::unexpected(q.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               const bool dry_run = r.Bool("dry_run");
               const std::string tool_name = r.Text("tool");
               r.Text("file");
               r.Text("file_name");
               FUPIN_TRY(r.Done("import"));
               std::optional<evaluation::SurveyTool> tool;
               if (!tool_name.empty()) {
                 tool = evaluation::SurveyToolNamed(tool_name);
                 if (!tool) {
                   return InvalidArgument(
                       "unknown survey tool",
                       {ErrorDetail{0, "tool", tool_name, "wjx, kobo, odk or file"}});
                 }
               }
               if (!body->contains("mapping")) {
                 return InvalidArgument("the column mapping is missing",
                                        {ErrorDetail{0, "mapping", "", "is required"}});
               }
               auto mapping = evaluation::ParseMapping(body->at("mapping"));
               if (!mapping) return std::unexpected(mapping.error());
               auto reader = OpenBodyUpload(*body);
               if (!reader) return std::unexpected(reader.error());
               auto outcome =
                   surveys.Import(req.scope, q->id, **reader, tool, *mapping, dry_run, req.Actor());
               if (!outcome) return std::unexpected(outcome.error());
               return ApiResponse::Json({{"tool", evaluation::SurveyToolName(outcome->tool)},
                                         {"dry_run", outcome->dry_run},
                                         {"rows", outcome->rows},
                                         {"inserted", outcome->inserted},
                                         {"updated", outcome->updated}});
             });

  router.Add("GET", "/api/v1/evaluation/surveys/{id}/quality", read.On("survey_questionnaire"),
             [&surveys](const ApiRequest& req) -> Result<ApiResponse> {
               auto q = SeenQuestionnaire(surveys, req);
               if (!q) return std::unexpected(q.error());
               auto quality = surveys.Quality(req.scope, q->id, req.Query("region").value_or(""));
               if (!quality) return std::unexpected(quality.error());
               return ApiResponse::Json(json(evaluation::QualityJson(*quality)));
             });

  router.Add("GET", "/api/v1/evaluation/surveys/{id}/tally", read.On("survey_questionnaire"),
             [&surveys](const ApiRequest& req) -> Result<ApiResponse> {
               auto q = SeenQuestionnaire(surveys, req);
               if (!q) return std::unexpected(q.error());
               auto tally = surveys.Tally(req.scope, q->id, req.Query("region").value_or(""));
               if (!tally) return std::unexpected(tally.error());
               auto version = surveys.VersionOf({""}, q->system_id, q->system_version);
               if (!version) return std::unexpected(version.error());
               json grades = json::array();
               for (const auto& g : version->content.grades) grades.push_back(g.name);
               return ApiResponse::Json(
                   {{"grades", grades}, {"leaves", json(evaluation::TallyJson(*tally))}});
             });
}

}  // namespace fupin::http
