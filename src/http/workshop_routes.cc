#include "http/workshop_routes.h"

#include <fmt/format.h>

#include <charconv>

#include "workshops/workshop_json.h"

namespace fupin::http {
namespace {

using nlohmann::json;
using workshops::YearMonth;

json Opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json WorkshopJson(const workshops::Workshop& w, const Date& today) {
  json recognitions = json::array();
  for (const auto& r : w.recognitions) {
    recognitions.push_back(
        {{"status", r.status}, {"on", r.on.ToString()}, {"document", r.document}});
  }
  json changes = json::array();
  for (const auto& s : w.status_changes) {
    changes.push_back({{"status", s.status}, {"on", s.on.ToString()}, {"note", s.note}});
  }
  const std::string status = workshops::StatusOn(w, today);
  return {{"id", w.id},
          {"name", w.name},
          {"operator_id", w.operator_id},
          {"type", w.type},
          {"region", w.region_code},
          {"industry", w.industry},
          {"products", w.products},
          {"site_area_m2", Opt(w.site_area_m2)},
          {"investment_fen", w.investment_fen},
          {"capacity_jobs", w.capacity_jobs},
          {"longitude", Opt(w.longitude)},
          {"latitude", Opt(w.latitude)},
          {"recognized", workshops::RecognizedOn(w, today)},
          {"status", status.empty() ? json(nullptr) : json(status)},
          {"recognitions", recognitions},
          {"status_changes", changes},
          {"version", w.version}};
}

Result<YearMonth> MonthParam(const ApiRequest& req, const Clock& clock) {
  const Date today = ChinaDate(clock.Now());
  auto text = req.Query("month");
  if (!text) return YearMonth{today.year, today.month}.Previous();
  auto day = ParseDate(*text + "-01");
  if (text->size() != 7 || !day) {
    return InvalidArgument("month must be YYYY-MM",
                           {{0, "month", *text, "is not a month (YYYY-MM)"}});
  }
  return YearMonth{day->year, day->month};
}

Result<int> IntParam(const ApiRequest& req, std::string_view name, int fallback) {
  auto text = req.Query(name);
  if (!text) return fallback;
  int value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size()) {
    return InvalidArgument(fmt::format("{} must be a whole number", name),
                           {{0, std::string(name), *text, "is not a whole number"}});
  }
  return value;
}

Result<double> DoubleParam(const ApiRequest& req, std::string_view name, double fallback) {
  auto text = req.Query(name);
  if (!text) return fallback;
  double value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || ptr != text->data() + text->size()) {
    return InvalidArgument(fmt::format("{} must be a number", name),
                           {{0, std::string(name), *text, "is not a number"}});
  }
  return value;
}

}  // namespace

void AddWorkshopRoutes(Router& router, workshops::WorkshopService& service,
                       workshops::WorkshopRepository& repository, const Clock& clock) {
  const Access read = Access::Needs("workshops", "read");

  router.Add("GET", "/api/v1/workshops", read,
             [&repository, &clock](const ApiRequest& req) -> Result<ApiResponse> {
               auto paging = ParsePaging(req, 50, 500);
               if (!paging) return std::unexpected(paging.error());
               workshops::WorkshopQuery q;
               q.scope = req.scope;
               q.within = req.Query("region").value_or("");
               q.type = req.Query("type").value_or("");
               q.text = req.Query("q").value_or("");
               q.offset = paging->offset();
               q.limit = paging->page_size;
               auto page = repository.ListWorkshops(q);
               if (!page) return std::unexpected(page.error());
               const Date today = ChinaDate(clock.Now());
               json items = json::array();
               for (const auto& w : page->items) items.push_back(WorkshopJson(w, today));
               return ApiResponse::Json(ListEnvelope(items, page->total, *paging));
             });

  router.Add("GET", "/api/v1/workshops/figures", read,
             [&service, &clock](const ApiRequest& req) -> Result<ApiResponse> {
               const std::string region = req.Query("region").value_or("");
               if (region.empty()) {
                 return InvalidArgument("region is required",
                                        {{0, "region", "", "is required (a region code)"}});
               }
               auto month = MonthParam(req, clock);
               if (!month) return std::unexpected(month.error());
               auto days = IntParam(req, "idle_days", 10);
               if (!days) return std::unexpected(days.error());
               auto months = IntParam(req, "idle_months", 3);
               if (!months) return std::unexpected(months.error());
               auto rf = service.Figures(req.scope, region, *month, {*days, *months});
               if (!rf) return std::unexpected(rf.error());
               return ApiResponse::Json(workshops::FiguresJson(*rf));
             });

  router.Add(
      "GET", "/api/v1/workshops/resumption", read,
      [&service](const ApiRequest& req) -> Result<ApiResponse> {
        const std::string region = req.Query("region").value_or("");
        auto from = ParseDate(req.Query("from").value_or(""));
        auto to = ParseDate(req.Query("to").value_or(""));
        std::vector<ErrorDetail> problems;
        if (region.empty()) problems.push_back({0, "region", "", "is required"});
        if (!from)
          problems.push_back(
              {0, "from", req.Query("from").value_or(""), "is required (YYYY-MM-DD)"});
        if (!to)
          problems.push_back({0, "to", req.Query("to").value_or(""), "is required (YYYY-MM-DD)"});
        if (!problems.empty()) {
          return InvalidArgument("the curve needs region, from and to", std::move(problems));
        }
        auto curve = service.Curve(req.scope, region, *from, *to);
        if (!curve) return std::unexpected(curve.error());
        json points = json::array();
        for (const auto& r : *curve) points.push_back(workshops::ResumptionJson(r));
        return ApiResponse::Json({{"region", region},
                                  {"curve", points},
                                  {"convention", curve->empty() ? "" : curve->back().convention}});
      });

  router.Add("GET", "/api/v1/workshops/alerts", read,
             [&service, &clock](const ApiRequest& req) -> Result<ApiResponse> {
               const std::string region = req.Query("region").value_or("");
               if (region.empty()) {
                 return InvalidArgument("region is required",
                                        {{0, "region", "", "is required (a region code)"}});
               }
               auto month = MonthParam(req, clock);
               if (!month) return std::unexpected(month.error());
               workshops::AlertOptions options;
               auto days = IntParam(req, "idle_days", options.idle.min_days);
               if (!days) return std::unexpected(days.error());
               auto months = IntParam(req, "idle_months", options.idle.months);
               if (!months) return std::unexpected(months.error());
               auto share = DoubleParam(req, "min_poor_share", options.min_poor_share);
               if (!share) return std::unexpected(share.error());
               auto count = IntParam(req, "min_poor_workers", options.min_poor_workers);
               if (!count) return std::unexpected(count.error());
               auto floor = IntParam(req, "poor_wage_floor_fen",
                                     static_cast<int>(options.poor_wage_floor_fen));
               if (!floor) return std::unexpected(floor.error());
               options.idle = {*days, *months};
               options.min_poor_share = *share;
               options.min_poor_workers = *count;
               options.poor_wage_floor_fen = *floor;
               auto alerts = service.Alerts(req.scope, region, *month, options);
               if (!alerts) return std::unexpected(alerts.error());
               return ApiResponse::Json(workshops::AlertsJson(*alerts));
             });
}

}  // namespace fupin::http
