#include "http/goal_routes.h"

#include <fmt/format.h>

#include <map>

#include "http/body_reader.h"
#include "http/download.h"

namespace fupin::http {
namespace {

using nlohmann::json;

json Optional(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json Optional(const std::optional<Date>& v) { return v ? json(v->ToString()) : json(nullptr); }

json ProgressJson(const goals::Progress& p) {
  return {{"as_of", p.as_of.ToString()},    {"actual", Optional(p.actual)},
          {"percent", Optional(p.percent)}, {"expected", p.expected},
          {"ratio", Optional(p.ratio)},     {"status", p.status},
          {"explanation", p.explanation}};
}

json GoalJson(const goals::Goal& g) {
  return {{"id", g.id},
          {"region", g.region_code},
          {"indicator", g.indicator},
          {"title", g.title},
          {"baseline", Optional(g.baseline)},
          {"baseline_date", Optional(g.baseline_date)},
          {"target", Optional(g.target)},
          {"deadline", Optional(g.deadline)},
          {"responsible_unit", g.responsible_unit},
          {"responsible_person", g.responsible_person},
          {"note", g.note},
          {"on_track_ratio", g.on_track_ratio},
          {"at_risk_ratio", g.at_risk_ratio},
          {"version", g.version},
          {"created_by", g.created_by},
          {"created_at", g.created_at},
          {"updated_by", g.updated_by},
          {"updated_at", g.updated_at}};
}

json ViewJson(const goals::GoalView& v) {
  json j = GoalJson(v.goal);
  j["region_name"] = v.region_name;
  j["indicator_zh"] = v.indicator ? v.indicator->zh : "";
  j["indicator_en"] = v.indicator ? v.indicator->en : "";
  j["unit"] = v.indicator ? v.indicator->unit : "";
  j["unit_zh"] = v.indicator ? indicators::UnitZh(v.indicator->unit) : "";
  j["unit_en"] = v.indicator ? indicators::UnitEn(v.indicator->unit) : "";
  j["direction"] = v.indicator ? indicators::DirectionName(v.indicator->direction) : "";
  j["progress"] = ProgressJson(v.progress);
  return j;
}

Result<goals::Goal> ParseGoal(const json& body) {
  BodyReader r(body);
  goals::Goal g;
  g.region_code = r.Text("region", true);
  g.indicator = r.Text("indicator");
  g.title = r.Text("title");
  g.baseline = r.Number("baseline");
  g.baseline_date = r.Day("baseline_date", false);
  g.target = r.Number("target");
  g.deadline = r.Day("deadline", false);
  g.responsible_unit = r.Text("responsible_unit");
  g.responsible_person = r.Text("responsible_person");
  g.note = r.Text("note");
  g.on_track_ratio = r.Number("on_track_ratio").value_or(0.9);
  g.at_risk_ratio = r.Number("at_risk_ratio").value_or(0.7);
  g.version = r.Int("version", 1);
  FUPIN_TRY(r.Done("goal"));
  return g;
}

Result<int64_t> GoalId(const ApiRequest& req) { return PathId(req, "id", "goal"); }

std::string Cell(const std::optional<double>& v, int digits = 2) {
  return v ? fmt::format("{:.{}f}", *v, digits) : "";
}

}  // namespace

void AddGoalRoutes(Router& router, goals::GoalService& service) {
  const Access read = Access::Needs("goals", "read");
  const Access write = Access::Needs("goals", "write");

  // The board, or with `format` its spreadsheet.
  router.Add(
      "GET", "/api/v1/goals", read, [&service](const ApiRequest& req) -> Result<ApiResponse> {
        const std::string region = req.Query("region").value_or("");
        const std::string indicator = req.Query("indicator").value_or("");
        auto board = service.Board(req.scope, region, indicator);
        if (!board) return std::unexpected(board.error());
        if (req.Query("format")) {
          auto format = FormatOf(req);
          if (!format) return std::unexpected(format.error());
          const bool zh = req.Query("lang").value_or("zh") != "en";
          const std::vector<std::string> header =
              zh ? std::vector<std::string>{"地区",   "地区代码", "指标",    "目标名称",
                                            "基期值", "基期日期", "目标值",  "截止日期",
                                            "当前值", "截至",     "完成度%", "时间进度%",
                                            "状态",   "责任单位", "责任人",  "说明"}
                 : std::vector<std::string>{"region",     "region_code",      "indicator",
                                            "title",      "baseline",         "baseline_date",
                                            "target",     "deadline",         "actual",
                                            "as_of",      "percent",          "expected_percent",
                                            "status",     "responsible_unit", "responsible_person",
                                            "explanation"};
          const std::map<std::string, std::string> status_zh = {{"achieved", "已完成"},
                                                                {"on_track", "正常"},
                                                                {"at_risk", "有风险"},
                                                                {"off_track", "滞后"},
                                                                {"no_data", "无数据"}};
          std::vector<std::vector<std::string>> rows;
          for (const auto& v : *board) {
            const auto& g = v.goal;
            const auto& p = v.progress;
            rows.push_back(
                {v.region_name, g.region_code,
                 v.indicator ? (zh ? v.indicator->zh : v.indicator->en) : g.indicator, g.title,
                 Cell(g.baseline, 4), g.baseline_date ? g.baseline_date->ToString() : "",
                 Cell(g.target, 4), g.deadline ? g.deadline->ToString() : "", Cell(p.actual, 4),
                 p.as_of.ToString(), Cell(p.percent, 1), fmt::format("{:.1f}", p.expected),
                 zh ? status_zh.at(p.status) : p.status, g.responsible_unit, g.responsible_person,
                 p.explanation});
          }
          return Download(*format, header, rows,
                          "goals-" + (region.empty() ? std::string("all") : region));
        }
        json items = json::array();
        std::map<std::string, int> counts;
        for (const std::string& s : goals::GoalStatuses()) counts[s] = 0;
        for (const auto& v : *board) {
          items.push_back(ViewJson(v));
          ++counts[v.progress.status];
        }
        json out = ListEnvelope(items, static_cast<int64_t>(items.size()));
        out["counts"] = counts;
        return ApiResponse::Json(out);
      });

  router.Add("POST", "/api/v1/goals", write,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto goal = ParseGoal(*body);
               if (!goal) return std::unexpected(goal.error());
               goal->id = 0;
               auto saved = service.Save(req.scope, *goal, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(GoalJson(*saved), 201);
             });

  // What a goal for a region may target besides the catalogue: the outputs of its approved
  // projects (project:<id>:<target key>). Registered before /goals/{id}.
  router.Add("GET", "/api/v1/goals/outputs", read,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto outputs = service.Outputs(req.scope, req.Query("region").value_or(""));
               if (!outputs) return std::unexpected(outputs.error());
               json items = json::array();
               for (const auto& o : *outputs) {
                 items.push_back({{"code", o.indicator->code},
                                  {"zh", o.indicator->zh},
                                  {"en", o.indicator->en},
                                  {"unit", o.indicator->unit},
                                  {"direction", indicators::DirectionName(o.indicator->direction)},
                                  {"region", o.region_code},
                                  {"region_name", o.region_name}});
               }
               return ApiResponse::Json(ListEnvelope(items, static_cast<int64_t>(items.size())));
             });

  router.Add("GET", "/api/v1/goals/{id}", read.On("goal"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = GoalId(req);
               if (!id) return std::unexpected(id.error());
               auto detail = service.Detail(req.scope, *id);
               if (!detail) return std::unexpected(detail.error());
               json j = ViewJson(detail->view);
               json history = json::array();
               for (const auto& h : detail->history) {
                 history.push_back({{"day", h.day.ToString()},
                                    {"value", Optional(h.value)},
                                    {"expected", Optional(h.expected_value)}});
               }
               j["history"] = history;
               return ApiResponse::Json(j);
             });

  router.Add("PUT", "/api/v1/goals/{id}", write.On("goal"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = GoalId(req);
               if (!id) return std::unexpected(id.error());
               // Out of the writer's regions: not found, before the body is looked at.
               auto found = service.Find(req.scope, *id);
               if (!found) return std::unexpected(found.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               if (!body->contains("version")) {
                 return InvalidArgument(
                     "version is required",
                     {{0, "version", "", "is required (the version you edited)"}});
               }
               auto goal = ParseGoal(*body);
               if (!goal) return std::unexpected(goal.error());
               goal->id = *id;
               auto saved = service.Save(req.scope, *goal, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(GoalJson(*saved));
             });

  router.Add("DELETE", "/api/v1/goals/{id}", write.On("goal"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = GoalId(req);
               if (!id) return std::unexpected(id.error());
               auto found = service.Find(req.scope, *id);
               if (!found) return std::unexpected(found.error());
               const std::string text = req.Query("version").value_or("");
               int64_t version = 0;
               try {
                 version = text.empty() ? 0 : std::stoll(text);
               } catch (...) {
                 version = 0;
               }
               if (version <= 0) {
                 return InvalidArgument(
                     "version is required",
                     {{0, "version", text, "is required (the version deleted)"}});
               }
               FUPIN_TRY(service.Delete(req.scope, *id, version, req.Actor()));
               return ApiResponse::Json({{"deleted", *id}});
             });
}

}  // namespace fupin::http
