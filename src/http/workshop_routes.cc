#include "http/workshop_routes.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <map>
#include <set>

#include "http/body_reader.h"
#include "http/download.h"
#include "indicators/indicator_json.h"
#include "indicators/workshop_indicators.h"
#include "tabular/writer.h"
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

// A region-bound route's {id}: a number, else no such workshop.
Result<int64_t> WorkshopId(const ApiRequest& req) { return PathId(req, "id", "workshop"); }

workshops::WorkshopReach ReachOf(const ApiRequest& req) { return {req.scope, req.organizations}; }

Result<workshops::Workshop> ParseWorkshop(const json& body) {
  BodyReader r(body);
  workshops::Workshop w;
  w.name = r.Text("name", true);
  w.operator_id = r.Int("operator_id", 0, true);
  w.type = r.Text("type", true);
  w.region_code = r.Text("region", true);
  w.industry = r.Text("industry");
  w.products = r.Text("products");
  w.site_area_m2 = r.Number("site_area_m2");
  w.investment_fen = r.Int("investment_fen");
  w.capacity_jobs = static_cast<int>(r.Int("capacity_jobs"));
  w.longitude = r.Number("longitude");
  w.latitude = r.Number("latitude");
  w.version = r.Int("version", 1);
  r.Each("recognitions", [&](BodyReader& item) {
    workshops::Recognition x;
    x.status = item.Text("status", true);
    x.on = item.Day("on", true).value_or(Date{});
    x.document = item.Text("document");
    w.recognitions.push_back(std::move(x));
  });
  r.Each("status_changes", [&](BodyReader& item) {
    workshops::StatusChange x;
    x.status = item.Text("status", true);
    x.on = item.Day("on", true).value_or(Date{});
    x.note = item.Text("note");
    w.status_changes.push_back(std::move(x));
  });
  r.Each("support", [&](BodyReader& item) {
    workshops::Support x;
    x.kind = item.Text("kind", true);
    x.amount_fen = item.Int("amount_fen", 0, true);
    x.on = item.Day("on", true).value_or(Date{});
    x.note = item.Text("note");
    w.support.push_back(std::move(x));
  });
  FUPIN_TRY(r.Done("workshop"));
  return w;
}

json WorkerJson(const workshops::Employment& e,
                const std::map<int64_t, workshops::WorkerInfo>& workers, const Date& today) {
  json j = {{"id", e.id},
            {"workshop_id", e.workshop_id},
            {"member_id", e.member_id},
            {"category", e.category},
            {"start", e.start.ToString()},
            {"end", e.end ? json(e.end->ToString()) : json(nullptr)},
            {"employed", e.EmployedOn(today)},
            {"wage_form", e.wage_form},
            {"contract", e.contract},
            {"position", e.position},
            {"overlap_accepted", e.overlap_accepted},
            {"version", e.version}};
  if (auto it = workers.find(e.member_id); it != workers.end()) {
    const workshops::WorkerInfo& w = it->second;
    j["name"] = w.name;
    j["household_id"] = w.household_id;
    j["household_number"] = w.household_number;
    j["region"] = w.region_code;
    j["labour"] = w.labour;
    j["current_member"] = w.current;
  }
  return j;
}

json ReportJson(const workshops::MonthlyReport& r) {
  return {{"id", r.id},
          {"workshop_id", r.workshop_id},
          {"month", YearMonth{r.year, r.month}.ToString()},
          {"status", r.status},
          {"days_operated", r.days_operated},
          {"headcount", r.headcount},
          {"poor_headcount", r.poor_headcount},
          {"wages_fen", r.wages_fen},
          {"poor_wages_fen", r.poor_wages_fen},
          {"output_fen", r.output_fen},
          {"sales_fen", r.sales_fen},
          {"problems", r.problems},
          {"remarks", r.remarks},
          {"revision", r.revision},
          {"submitted_by", r.submitted_by},
          {"submitted_at", r.submitted_at},
          {"late", workshops::SubmittedLate(r)}};
}

Result<YearMonth> ParseMonthText(std::string_view field, const std::string& text) {
  auto day = ParseDate(text + "-01");
  if (text.size() != 7 || !day) {
    return InvalidArgument(fmt::format("{} must be YYYY-MM", field),
                           {{0, std::string(field), text, "is not a month (YYYY-MM)"}});
  }
  return YearMonth{day->year, day->month};
}

Result<workshops::MonthlyReport> ParseReport(const json& body, int64_t workshop_id) {
  BodyReader r(body);
  workshops::MonthlyReport report;
  report.workshop_id = workshop_id;
  const std::string month = r.Text("month", true);
  report.status = r.Text("status", true);
  report.days_operated = static_cast<int>(r.Int("days_operated", 0, true));
  report.headcount = static_cast<int>(r.Int("headcount", 0, true));
  report.poor_headcount = static_cast<int>(r.Int("poor_headcount", 0, true));
  report.wages_fen = r.Int("wages_fen", 0, true);
  report.poor_wages_fen = r.Int("poor_wages_fen", 0, true);
  report.output_fen = r.Int("output_fen");
  report.sales_fen = r.Int("sales_fen");
  report.remarks = r.Text("remarks");
  if (r.Has("problems")) {
    if (!body["problems"].is_array()) {
      return InvalidArgument("the report has 1 problem(s)",
                             {{0, "problems", body["problems"].dump(), "must be a list"}});
    }
    for (const json& p : body["problems"]) {
      report.problems.push_back(p.is_string() ? p.get<std::string>() : p.dump());
    }
  }
  FUPIN_TRY(r.Done("report"));
  auto ym = ParseMonthText("month", month);
  if (!ym) return std::unexpected(ym.error());
  report.year = ym->year;
  report.month = ym->month;
  return report;
}

Result<workshops::HireRequest> ParseHire(const json& body, bool for_lookup) {
  BodyReader r(body);
  workshops::HireRequest h;
  h.id_number = r.Text("id_number");
  h.member_id = r.Int("member_id");
  if (!for_lookup) {
    h.start = r.Day("start", true).value_or(Date{});
    h.end = r.Day("end", false);
    h.wage_form = r.Text("wage_form");
    h.contract = r.Bool("contract");
    h.position = r.Text("position");
    h.overlap_accepted = r.Bool("overlap_accepted");
  }
  FUPIN_TRY(r.Done("employment"));
  return h;
}

json CandidateJson(const workshops::Candidate& c, const Date& today) {
  json jobs = json::array();
  std::map<int64_t, workshops::WorkerInfo> none;
  for (const auto& e : c.employments) jobs.push_back(WorkerJson(e, none, today));
  return {{"member_id", c.worker.member_id},
          {"name", c.worker.name},
          {"household_number", c.worker.household_number},
          {"region", c.worker.region_code},
          {"labour", c.worker.labour},
          {"category", c.category},
          {"employments", jobs}};
}

std::string Yuan(int64_t fen) {
  return fmt::format("{}{}.{:02}", fen < 0 ? "-" : "", std::llabs(fen) / 100,
                     std::llabs(fen) % 100);
}

std::string Label(const workshops::Vocabulary& v, const std::string& code, bool zh) {
  if (zh && !v.Zh(code).empty()) return std::string(v.Zh(code));
  return code;
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

// The alert options for a region's month: the stored standard in force there that year,
// with any of idle_days, idle_months, min_poor_share, min_poor_workers and
// poor_wage_floor_fen the request gives instead (then marked "(adjusted)").
Result<workshops::AlertOptions> OptionsOf(const ApiRequest& req,
                                          workshops::WorkshopService& service,
                                          std::string_view region, workshops::YearMonth month) {
  auto stored = service.OptionsFor(region, month.year);
  if (!stored) return std::unexpected(stored.error());
  workshops::AlertOptions o = *stored;
  auto days = IntParam(req, "idle_days", o.idle.min_days);
  if (!days) return std::unexpected(days.error());
  auto months = IntParam(req, "idle_months", o.idle.months);
  if (!months) return std::unexpected(months.error());
  auto share = DoubleParam(req, "min_poor_share", o.min_poor_share);
  if (!share) return std::unexpected(share.error());
  auto count = IntParam(req, "min_poor_workers", o.min_poor_workers);
  if (!count) return std::unexpected(count.error());
  auto floor = IntParam(req, "poor_wage_floor_fen", static_cast<int>(o.poor_wage_floor_fen));
  if (!floor) return std::unexpected(floor.error());
  const bool adjusted = *days != o.idle.min_days || *months != o.idle.months ||
                        *share != o.min_poor_share || *count != o.min_poor_workers ||
                        *floor != o.poor_wage_floor_fen;
  o.idle = {*days, *months};
  o.min_poor_share = *share;
  o.min_poor_workers = *count;
  o.poor_wage_floor_fen = *floor;
  if (adjusted) o.standard = (o.standard.empty() ? "built-in" : o.standard) + " (adjusted)";
  return o;
}

json StandardJson(const workshops::AlertStandard& s) {
  const workshops::AlertOptions& o = s.options;
  return {{"province", s.province_code},
          {"year", s.year},
          {"idle_days", o.idle.min_days},
          {"idle_months", o.idle.months},
          {"min_poor_share", o.min_poor_share},
          {"min_poor_workers", o.min_poor_workers},
          {"poor_wage_floor_fen", o.poor_wage_floor_fen},
          {"note", s.note},
          {"updated_by", s.updated_by},
          {"updated_at", s.updated_at}};
}

}  // namespace

void AddWorkshopRoutes(Router& router, workshops::WorkshopService& service,
                       workshops::WorkshopRepository& repository,
                       access::AccessRepository& organizations,
                       const indicators::Catalogue& catalogue, const Clock& clock) {
  // Operators' names by id, read once per request (organizations are few).
  auto names = [&organizations]() -> std::map<int64_t, std::string> {
    std::map<int64_t, std::string> out;
    auto all = organizations.ListOrganizations({""});
    if (all) {
      for (const auto& o : *all) out[o.id] = o.name;
    }
    return out;
  };
  const Access read = Access::Needs("workshops", "read");
  const Access write = Access::Needs("workshops", "write");
  const Access report = Access::Needs("workshops", "report");

  router.Add("GET", "/api/v1/workshops", read.OrOwnOrganization(),
             [&repository, &clock, names](const ApiRequest& req) -> Result<ApiResponse> {
               auto paging = ParsePaging(req, 50, 500);
               if (!paging) return std::unexpected(paging.error());
               workshops::WorkshopQuery q;
               q.scope = req.scope;
               q.operators = req.organizations;
               auto op = IntParam(req, "operator", 0);
               if (!op) return std::unexpected(op.error());
               q.operator_id = *op;
               q.within = req.Query("region").value_or("");
               q.type = req.Query("type").value_or("");
               q.text = req.Query("q").value_or("");
               q.offset = paging->offset();
               q.limit = paging->page_size;
               auto page = repository.ListWorkshops(q);
               if (!page) return std::unexpected(page.error());
               const Date today = ChinaDate(clock.Now());
               json items = json::array();
               const auto operator_names = names();
               for (const auto& w : page->items) {
                 json j = WorkshopJson(w, today);
                 j["operator_name"] =
                     operator_names.contains(w.operator_id) ? operator_names.at(w.operator_id) : "";
                 items.push_back(std::move(j));
               }
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
               auto options = OptionsOf(req, service, region, *month);
               if (!options) return std::unexpected(options.error());
               auto rf = service.Figures(req.scope, region, *month, options->idle);
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

  // The alert standards per province and year (before the {id} routes, like alerts).
  const Access configure = Access::Needs("workshops", "configure");
  router.Add("GET", "/api/v1/workshops/standards", read,
             [&service, &clock](const ApiRequest& req) -> Result<ApiResponse> {
               auto standards = service.Standards();
               if (!standards) return std::unexpected(standards.error());
               json items = json::array();
               for (const auto& s : *standards) items.push_back(StandardJson(s));
               json out = ListEnvelope(items, static_cast<int64_t>(items.size()));
               // What applies to a region (default: the caller's first) this year or in `year`.
               const std::string region = req.Query("region").value_or(
                   req.scope.empty() || req.scope.front().empty() ? "" : req.scope.front());
               auto year = IntParam(req, "year", ChinaDate(clock.Now()).year);
               if (!year) return std::unexpected(year.error());
               const auto applied = workshops::ResolveAlertOptions(*standards, region, *year);
               out["applies"] = {{"region", region},
                                 {"year", *year},
                                 {"standard", applied.standard},
                                 {"idle_days", applied.idle.min_days},
                                 {"idle_months", applied.idle.months},
                                 {"min_poor_share", applied.min_poor_share},
                                 {"min_poor_workers", applied.min_poor_workers},
                                 {"poor_wage_floor_fen", applied.poor_wage_floor_fen}};
               return ApiResponse::Json(out);
             });

  router.Add("PUT", "/api/v1/workshops/standards", configure,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader b(*body);
               workshops::AlertStandard s;
               if (!b.Has("province")) {
                 b.Problem("province", "is required (\"\" = every province without its own)");
               }
               s.province_code = b.Text("province");
               s.year = static_cast<int>(b.Int("year", 0, true));
               s.options.idle.min_days = static_cast<int>(b.Int("idle_days", 0, true));
               s.options.idle.months = static_cast<int>(b.Int("idle_months", 0, true));
               auto share = b.Number("min_poor_share");
               if (!share) b.Problem("min_poor_share", "is required (a share from 0 to 1)");
               s.options.min_poor_share = share.value_or(0);
               s.options.min_poor_workers = static_cast<int>(b.Int("min_poor_workers", 0));
               s.options.poor_wage_floor_fen = b.Int("poor_wage_floor_fen", 0, true);
               s.note = b.Text("note");
               FUPIN_TRY(b.Done("standard"));
               auto saved = service.SetStandard(s, req.scope, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(StandardJson(*saved));
             });

  // Before the {id} routes, which would take "alerts" for a workshop id.
  router.Add("GET", "/api/v1/workshops/alerts", read,
             [&service, &clock](const ApiRequest& req) -> Result<ApiResponse> {
               const std::string region = req.Query("region").value_or("");
               if (region.empty()) {
                 return InvalidArgument("region is required",
                                        {{0, "region", "", "is required (a region code)"}});
               }
               auto month = MonthParam(req, clock);
               if (!month) return std::unexpected(month.error());
               auto options = OptionsOf(req, service, region, *month);
               if (!options) return std::unexpected(options.error());
               auto alerts = service.Alerts(req.scope, region, *month, *options);
               if (!alerts) return std::unexpected(alerts.error());
               return ApiResponse::Json(workshops::AlertsJson(*alerts));
             });

  // The workshops' code lists with their Chinese and English labels, for forms and tables.
  router.Add("GET", "/api/v1/workshops/vocabularies", Access::SignedIn(),
             [](const ApiRequest&) -> Result<ApiResponse> {
               json out = json::object();
               for (const workshops::Vocabulary* v :
                    {&workshops::WorkshopTypes(), &workshops::RecognitionStatuses(),
                     &workshops::OperatingStatuses(), &workshops::WageForms(),
                     &workshops::ReportProblems(), &workshops::SupportKinds(),
                     &workshops::WorkerCategories()}) {
                 json terms = json::array();
                 for (const auto& t : v->terms) {
                   terms.push_back({{"code", t.code}, {"zh", t.zh}, {"en", t.en}});
                 }
                 out[std::string(v->name)] = terms;
               }
               return ApiResponse::Json(out);
             });

  // The region's workshops with their month's report and findings, as a spreadsheet (the
  // list, the missing reports and the idle list in one table).
  router.Add("GET", "/api/v1/workshops/export", read,
             [&service, &repository, &clock, names](const ApiRequest& req) -> Result<ApiResponse> {
               const std::string region = req.Query("region").value_or("");
               if (region.empty()) {
                 return InvalidArgument("region is required",
                                        {{0, "region", "", "is required (a region code)"}});
               }
               auto format = FormatOf(req);
               if (!format) return std::unexpected(format.error());
               auto month = MonthParam(req, clock);
               if (!month) return std::unexpected(month.error());
               auto options = OptionsOf(req, service, region, *month);
               if (!options) return std::unexpected(options.error());
               auto rf = service.Figures(req.scope, region, *month, options->idle);
               if (!rf) return std::unexpected(rf.error());
               std::vector<int64_t> ids;
               for (const auto& w : rf->workshops) ids.push_back(w.id);
               const int index = month->year * 12 + month->month - 1;
               auto reports = repository.ListReports(ids, index, index);
               if (!reports) return std::unexpected(reports.error());
               std::map<int64_t, workshops::MonthlyReport> latest;
               for (auto& r : workshops::LatestRevisions(std::move(*reports)))
                 latest[r.workshop_id] = r;
               std::map<int64_t, std::string> idle;
               for (const auto& [id, findings] : rf->figures.idle) {
                 for (const auto& f : findings)
                   idle[id] += (idle[id].empty() ? "" : "; ") + f.detail;
               }
               const std::set<int64_t> missing(rf->figures.missing.begin(),
                                               rf->figures.missing.end());
               const bool zh = req.Query("lang").value_or("zh") != "en";
               const std::vector<std::string> header =
                   zh ? std::vector<std::string>{"车间",
                                                 "经营主体",
                                                 "类型",
                                                 "行政区划代码",
                                                 "认定",
                                                 "月末状态",
                                                 "月份",
                                                 "月报",
                                                 "生产天数",
                                                 "用工人数",
                                                 "脱贫人口用工",
                                                 "工资总额(元)",
                                                 "脱贫人口工资(元)",
                                                 "产值(元)",
                                                 "销售收入(元)",
                                                 "空壳预警"}
                      : std::vector<std::string>{
                            "workshop",        "operator",       "type",
                            "region_code",     "recognized",     "status_at_month_end",
                            "month",           "report",         "days_operated",
                            "headcount",       "poor_headcount", "wages_yuan",
                            "poor_wages_yuan", "output_yuan",    "sales_yuan",
                            "idle_findings"};
               const auto operator_names = names();
               std::vector<std::vector<std::string>> rows;
               const Date end = month->Last();
               for (const auto& w : rf->workshops) {
                 const bool recognized = workshops::RecognizedOn(w, end);
                 const std::string status = workshops::StatusOn(w, end);
                 auto it = latest.find(w.id);
                 std::string report_state = it != latest.end()       ? (zh ? "已报" : "submitted")
                                            : missing.contains(w.id) ? (zh ? "未报" : "missing")
                                                                     : (zh ? "不需报" : "not due");
                 if (it != latest.end() && it->second.revision > 1) {
                   report_state += fmt::format(
                       fmt::runtime(zh ? " (第{}次更正)" : " (revision {})"), it->second.revision);
                 }
                 std::vector<std::string> row = {
                     w.name,
                     operator_names.contains(w.operator_id) ? operator_names.at(w.operator_id) : "",
                     Label(workshops::WorkshopTypes(), w.type, zh),
                     w.region_code,
                     recognized ? (zh ? "是" : "yes") : (zh ? "否" : "no"),
                     Label(workshops::OperatingStatuses(), status, zh),
                     month->ToString(),
                     report_state};
                 if (it != latest.end()) {
                   const auto& r = it->second;
                   for (auto v : {std::to_string(r.days_operated), std::to_string(r.headcount),
                                  std::to_string(r.poor_headcount), Yuan(r.wages_fen),
                                  Yuan(r.poor_wages_fen), Yuan(r.output_fen), Yuan(r.sales_fen)}) {
                     row.push_back(v);
                   }
                 } else {
                   row.insert(row.end(), 7, "");
                 }
                 row.push_back(idle.contains(w.id) ? idle[w.id] : "");
                 rows.push_back(std::move(row));
               }
               return Download(*format, header, rows,
                               fmt::format("workshops-{}-{}", region, month->ToString()));
             });

  // The resumption curve as a spreadsheet.
  router.Add("GET", "/api/v1/workshops/resumption/export", read,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               const std::string region = req.Query("region").value_or("");
               auto from = ParseDate(req.Query("from").value_or(""));
               auto to = ParseDate(req.Query("to").value_or(""));
               if (region.empty() || !from || !to) {
                 return InvalidArgument(
                     "the curve needs region, from and to",
                     {{0, "region", region, "region, from and to are required"}});
               }
               auto format = FormatOf(req);
               if (!format) return std::unexpected(format.error());
               auto curve = service.Curve(req.scope, region, *from, *to);
               if (!curve) return std::unexpected(curve.error());
               const bool zh = req.Query("lang").value_or("zh") != "en";
               const std::vector<std::string> header =
                   zh ? std::vector<std::string>{"日期", "已认定", "正常生产", "部分生产",
                                                 "停工", "关停",   "状态不明", "复工率"}
                      : std::vector<std::string>{"day",       "recognized", "operating", "partial",
                                                 "suspended", "closed",     "unknown",   "rate"};
               std::vector<std::vector<std::string>> rows;
               for (const auto& r : *curve) {
                 rows.push_back({r.day.ToString(), std::to_string(r.recognized),
                                 std::to_string(r.operating), std::to_string(r.partial),
                                 std::to_string(r.suspended), std::to_string(r.closed),
                                 std::to_string(r.unknown), fmt::format("{:.4f}", r.rate)});
               }
               return Download(*format, header, rows, "resumption-" + region);
             });

  // Registering a workshop (township and county officials).
  router.Add("POST", "/api/v1/workshops", write,
             [&service, &clock](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto w = ParseWorkshop(*body);
               if (!w) return std::unexpected(w.error());
               w->id = 0;
               const Date today = ChinaDate(clock.Now());
               auto saved = service.Save(req.scope, *w, req.Actor(), today);
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(WorkshopJson(*saved, today), 201);
             });

  router.Add(
      "GET", "/api/v1/workshops/{id}", read.OrOwnOrganization().On("workshop"),
      [&service, &repository, &clock, names](const ApiRequest& req) -> Result<ApiResponse> {
        auto id = WorkshopId(req);
        if (!id) return std::unexpected(id.error());
        const Date today = ChinaDate(clock.Now());
        // Default: the twelve months up to the current one.
        YearMonth last{today.year, today.month};
        if (auto to = req.Query("to")) {
          auto parsed = ParseMonthText("to", *to);
          if (!parsed) return std::unexpected(parsed.error());
          last = *parsed;
        }
        YearMonth first = last;
        for (int i = 0; i < 11; ++i) first = first.Previous();
        if (auto from = req.Query("from")) {
          auto parsed = ParseMonthText("from", *from);
          if (!parsed) return std::unexpected(parsed.error());
          first = *parsed;
        }
        if (last.year * 12 + last.month - (first.year * 12 + first.month) > 120) {
          return InvalidArgument(
              "at most ten years of reports at a time",
              {{0, "from", first.ToString(), "is more than 120 months before to"}});
        }
        // The month in progress is not due yet: idle findings look at the last full one.
        const YearMonth idle_month = last >= YearMonth{today.year, today.month}
                                         ? YearMonth{today.year, today.month}.Previous()
                                         : last;
        auto region = repository.WorkshopRegion(*id);
        if (!region) return std::unexpected(region.error());
        auto options = OptionsOf(req, service, region->value_or(""), idle_month);
        if (!options) return std::unexpected(options.error());
        auto detail = service.Detail(ReachOf(req), *id, first, last, options->idle);
        if (!detail) return std::unexpected(detail.error());
        if (idle_month != last) {
          // From what is loaded already: idle findings look at their window's months only.
          detail->missing =
              workshops::MissingReports(detail->workshop, detail->reports, first, idle_month);
          detail->idle = workshops::DetectIdle(detail->workshop, detail->reports,
                                               detail->employments, idle_month, options->idle);
        }
        json j = WorkshopJson(detail->workshop, today);
        // The workshop's alerts of the last full month (or `to`), computed over its
        // village with the standard in force: the caller reaches this workshop.
        auto alerts = service.Alerts({""}, detail->workshop.region_code, idle_month, *options);
        if (!alerts) return std::unexpected(alerts.error());
        std::erase_if(alerts->alerts,
                      [&](const workshops::WorkshopAlert& a) { return a.workshop_id != *id; });
        j["alerts"] = workshops::AlertsJson(*alerts)["alerts"];
        const auto operator_names = names();
        j["operator_name"] = operator_names.contains(detail->workshop.operator_id)
                                 ? operator_names.at(detail->workshop.operator_id)
                                 : "";
        json support = json::array();
        for (const auto& x : detail->workshop.support) {
          support.push_back({{"kind", x.kind},
                             {"amount_fen", x.amount_fen},
                             {"on", x.on.ToString()},
                             {"note", x.note}});
        }
        j["support"] = support;
        json workers = json::array();
        for (const auto& e : detail->employments) {
          workers.push_back(WorkerJson(e, detail->workers, today));
        }
        j["workers"] = workers;
        json reports = json::array();
        for (const auto& r : detail->reports) reports.push_back(ReportJson(r));
        j["reports"] = reports;
        json missing = json::array();
        for (const auto& m : detail->missing) {
          missing.push_back(
              {{"month", m.ToString()}, {"deadline", workshops::ReportDeadline(m).ToString()}});
        }
        j["missing_reports"] = missing;
        json idle = json::array();
        for (const auto& f : detail->idle) {
          json ms = json::array();
          for (const auto& m : f.months) ms.push_back(m.ToString());
          idle.push_back({{"rule", f.rule}, {"detail", f.detail}, {"months", ms}});
        }
        j["idle"] = idle;
        j["from"] = first.ToString();
        j["to"] = last.ToString();
        return ApiResponse::Json(j);
      });

  router.Add("PUT", "/api/v1/workshops/{id}", write.On("workshop"),
             [&service, &clock](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = WorkshopId(req);
               if (!id) return std::unexpected(id.error());
               // Out of the writer's regions: not found, before the body is looked at.
               auto found = service.Find({req.scope, {}}, *id);
               if (!found) return std::unexpected(found.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto w = ParseWorkshop(*body);
               if (!w) return std::unexpected(w.error());
               if (!body->contains("version")) {
                 return InvalidArgument(
                     "version is required",
                     {{0, "version", "", "is required (the version you edited)"}});
               }
               w->id = *id;
               const Date today = ChinaDate(clock.Now());
               auto saved = service.Save(req.scope, *w, req.Actor(), today);
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(WorkshopJson(*saved, today));
             });

  // An operating-status change (停工 / 复工 / 关停), by the operator, the village or officials.
  router.Add(
      "POST", "/api/v1/workshops/{id}/status-changes", report.OrOwnOrganization().On("workshop"),
      [&service, &clock](const ApiRequest& req) -> Result<ApiResponse> {
        auto id = WorkshopId(req);
        if (!id) return std::unexpected(id.error());
        auto found = service.Find(ReachOf(req), *id);
        if (!found) return std::unexpected(found.error());
        auto body = req.JsonBody();
        if (!body) return std::unexpected(body.error());
        BodyReader r(*body);
        workshops::StatusChange change;
        change.status = r.Text("status", true);
        change.on = r.Day("on", true).value_or(Date{});
        change.note = r.Text("note");
        const int64_t version = r.Int("version", 0, true);
        FUPIN_TRY(r.Done("status change"));
        const Date today = ChinaDate(clock.Now());
        auto saved = service.ChangeStatus(ReachOf(req), *id, version, change, req.Actor(), today);
        if (!saved) return std::unexpected(saved.error());
        return ApiResponse::Json(WorkshopJson(*saved, today), 201);
      });

  // Who an ID number (or member id) is, before hiring them: the registry's answer for the
  // workshop's county only.
  router.Add("POST", "/api/v1/workshops/{id}/candidates", report.OrOwnOrganization().On("workshop"),
             [&service, &clock](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = WorkshopId(req);
               if (!id) return std::unexpected(id.error());
               auto found = service.Find(ReachOf(req), *id);
               if (!found) return std::unexpected(found.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto who = ParseHire(*body, true);
               if (!who) return std::unexpected(who.error());
               const Date today = ChinaDate(clock.Now());
               auto c = service.FindCandidate(ReachOf(req), *id, *who, today);
               if (!c) return std::unexpected(c.error());
               return ApiResponse::Json(CandidateJson(*c, today));
             });

  router.Add("POST", "/api/v1/workshops/{id}/employments",
             report.OrOwnOrganization().On("workshop"),
             [&service, &clock](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = WorkshopId(req);
               if (!id) return std::unexpected(id.error());
               auto found = service.Find(ReachOf(req), *id);
               if (!found) return std::unexpected(found.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto hire = ParseHire(*body, false);
               if (!hire) return std::unexpected(hire.error());
               const Date today = ChinaDate(clock.Now());
               auto e = service.Hire(ReachOf(req), *id, *hire, req.Actor(), today);
               if (!e) return std::unexpected(e.error());
               std::map<int64_t, workshops::WorkerInfo> none;
               return ApiResponse::Json(WorkerJson(*e, none, today), 201);
             });

  router.Add("PUT", "/api/v1/workshops/{id}/employments/{employment}",
             report.OrOwnOrganization().On("workshop"),
             [&service, &clock](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = WorkshopId(req);
               if (!id) return std::unexpected(id.error());
               auto found = service.Find(ReachOf(req), *id);
               if (!found) return std::unexpected(found.error());
               const std::string& text = req.Param("employment");
               int64_t employment = 0;
               auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), employment);
               if (ec != std::errc() || ptr != text.data() + text.size() || employment <= 0) {
                 return InvalidArgument("employment must be an employment's id",
                                        {{0, "employment", text, "is not an id"}});
               }
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               BodyReader r(*body);
               workshops::Employment e;
               e.id = employment;
               e.workshop_id = *id;
               e.start = r.Day("start", true).value_or(Date{});
               e.end = r.Day("end", false);
               e.wage_form = r.Text("wage_form");
               e.contract = r.Bool("contract");
               e.position = r.Text("position");
               e.overlap_accepted = r.Bool("overlap_accepted");
               e.version = r.Int("version", 0, true);
               FUPIN_TRY(r.Done("employment"));
               auto saved = service.UpdateEmployment(ReachOf(req), *id, e, req.Actor());
               if (!saved) return std::unexpected(saved.error());
               std::map<int64_t, workshops::WorkerInfo> none;
               return ApiResponse::Json(WorkerJson(*saved, none, ChinaDate(clock.Now())));
             });

  // A monthly report (月报), or a correction of one: a new revision, the earlier kept.
  router.Add("POST", "/api/v1/workshops/{id}/reports", report.OrOwnOrganization().On("workshop"),
             [&service, &clock](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = WorkshopId(req);
               if (!id) return std::unexpected(id.error());
               auto found = service.Find(ReachOf(req), *id);
               if (!found) return std::unexpected(found.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto r = ParseReport(*body, *id);
               if (!r) return std::unexpected(r.error());
               auto saved =
                   service.SubmitReport(ReachOf(req), *r, req.Actor(), ChinaDate(clock.Now()));
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(ReportJson(*saved), 201);
             });

  // The workshop's own value of every workshop indicator for a period (default: as of today,
  // so the last full month and the last complete year).
  router.Add(
      "GET", "/api/v1/workshops/{id}/indicators", read.OrOwnOrganization().On("workshop"),
      [&service, &repository, &catalogue, &clock](const ApiRequest& req) -> Result<ApiResponse> {
        auto id = WorkshopId(req);
        if (!id) return std::unexpected(id.error());
        Period period = indicators::DayPeriod(ChinaDate(clock.Now()));
        if (auto text = req.Query("period")) {
          auto parsed = indicators::ParseIndicatorPeriod(*text);
          if (!parsed) {
            return InvalidArgument("period must be YYYY, YYYY-MM or YYYY-MM-DD",
                                   {{0, "period", *text, "is not YYYY, YYYY-MM or YYYY-MM-DD"}});
          }
          period = *parsed;
        }
        auto found = service.Find(ReachOf(req), *id);
        if (!found) return std::unexpected(found.error());
        auto values = indicators::WorkshopIndicatorValues(catalogue, repository, *found, period);
        if (!values) return std::unexpected(values.error());
        json items = json::array();
        for (const auto& v : *values) {
          json j = indicators::IndicatorJson(*v.indicator);
          j["value"] = v.value ? json(*v.value) : json(nullptr);
          j["numerator"] = v.numerator ? json(*v.numerator) : json(nullptr);
          j["denominator"] = v.denominator ? json(*v.denominator) : json(nullptr);
          items.push_back(std::move(j));
        }
        return ApiResponse::Json({{"workshop", *id},
                                  {"period", period.ToString()},
                                  {"stock_day", period.last.ToString()},
                                  {"stock_month", indicators::StockMonth(period).ToString()},
                                  {"income_year", indicators::LastCompleteYear(period)},
                                  {"items", items}});
      });

  // A workshop's reports (every revision) or workers as a spreadsheet.
  router.Add(
      "GET", "/api/v1/workshops/{id}/export", read.OrOwnOrganization().On("workshop"),
      [&service, &clock](const ApiRequest& req) -> Result<ApiResponse> {
        auto id = WorkshopId(req);
        if (!id) return std::unexpected(id.error());
        auto format = FormatOf(req);
        if (!format) return std::unexpected(format.error());
        const std::string table = req.Query("table").value_or("reports");
        if (table != "reports" && table != "workers") {
          return InvalidArgument("table must be reports or workers",
                                 {{0, "table", table, "must be reports or workers"}});
        }
        const Date today = ChinaDate(clock.Now());
        auto detail = service.Detail(ReachOf(req), *id, {2000, 1}, {today.year, today.month});
        if (!detail) return std::unexpected(detail.error());
        const bool zh = req.Query("lang").value_or("zh") != "en";
        std::vector<std::vector<std::string>> rows;
        std::vector<std::string> header;
        if (table == "workers") {
          header = zh ? std::vector<std::string>{"姓名",     "户编号",   "行政区划代码",
                                                 "人员类别", "入职日期", "离职日期",
                                                 "工资形式", "劳动合同", "岗位"}
                      : std::vector<std::string>{
                            "name", "household_number", "region_code", "category", "start",
                            "end",  "wage_form",        "contract",    "position"};
          for (const auto& e : detail->employments) {
            const auto it = detail->workers.find(e.member_id);
            const bool known = it != detail->workers.end();
            rows.push_back({known ? it->second.name : "", known ? it->second.household_number : "",
                            known ? it->second.region_code : "",
                            Label(workshops::WorkerCategories(), e.category, zh),
                            e.start.ToString(), e.end ? e.end->ToString() : "",
                            Label(workshops::WageForms(), e.wage_form, zh),
                            e.contract ? (zh ? "有" : "yes") : (zh ? "无" : "no"), e.position});
          }
        } else {
          header = zh ? std::vector<std::string>{"月份",         "版本",
                                                 "状态",         "生产天数",
                                                 "用工人数",     "脱贫人口用工",
                                                 "工资总额(元)", "脱贫人口工资(元)",
                                                 "产值(元)",     "销售收入(元)",
                                                 "问题",         "备注",
                                                 "填报人",       "填报时间(UTC)",
                                                 "逾期"}
                      : std::vector<std::string>{
                            "month",        "revision",         "status",     "days_operated",
                            "headcount",    "poor_headcount",   "wages_yuan", "poor_wages_yuan",
                            "output_yuan",  "sales_yuan",       "problems",   "remarks",
                            "submitted_by", "submitted_at_utc", "late"};
          for (const auto& r : detail->reports) {
            std::string problems;
            for (const auto& p : r.problems) {
              problems +=
                  (problems.empty() ? "" : ", ") + Label(workshops::ReportProblems(), p, zh);
            }
            rows.push_back({YearMonth{r.year, r.month}.ToString(), std::to_string(r.revision),
                            Label(workshops::OperatingStatuses(), r.status, zh),
                            std::to_string(r.days_operated), std::to_string(r.headcount),
                            std::to_string(r.poor_headcount), Yuan(r.wages_fen),
                            Yuan(r.poor_wages_fen), Yuan(r.output_fen), Yuan(r.sales_fen), problems,
                            r.remarks, r.submitted_by, r.submitted_at,
                            workshops::SubmittedLate(r) ? (zh ? "是" : "yes") : ""});
          }
        }
        return Download(*format, header, rows, fmt::format("workshop-{}-{}", *id, table));
      });
}

}  // namespace fupin::http
