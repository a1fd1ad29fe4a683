#include "http/monitoring_routes.h"

#include <fmt/format.h>

#include <charconv>

#include "registry/vocabulary.h"
#include "tabular/writer.h"

namespace fupin::http {
namespace {

using monitoring::Alert;
using monitoring::Caller;
using monitoring::Case;
using monitoring::MonitoringService;
using nlohmann::json;

json Opt(const std::optional<Date>& v) { return v ? json(v->ToString()) : json(nullptr); }
json Opt(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }
json Opt(const std::optional<bool>& v) { return v ? json(*v) : json(nullptr); }
json Text(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

Caller CallerOf(const ApiRequest& req) { return {req.Actor(), req.scope}; }

Result<int64_t> IdParam(const ApiRequest& req, std::string_view what) {
  return PathId(req, "id", what);
}

// Reads the fields of a JSON body, noting each one of the wrong type.
class Body {
 public:
  explicit Body(json body) : body_(std::move(body)) {}
  bool Has(const char* f) const { return body_.contains(f) && !body_[f].is_null(); }
  std::string String(const char* f) {
    if (!Has(f)) return "";
    if (!body_[f].is_string()) {
      Problem(f, "must be a string");
      return "";
    }
    return body_[f].get<std::string>();
  }
  std::optional<bool> Bool(const char* f) {
    if (!Has(f)) return std::nullopt;
    if (!body_[f].is_boolean()) {
      Problem(f, "must be true or false");
      return std::nullopt;
    }
    return body_[f].get<bool>();
  }
  std::optional<int64_t> Int(const char* f) {
    if (!Has(f)) return std::nullopt;
    if (!body_[f].is_number_integer()) {
      Problem(f, "must be a whole number");
      return std::nullopt;
    }
    return body_[f].get<int64_t>();
  }
  std::optional<double> Number(const char* f) {
    if (!Has(f)) return std::nullopt;
    if (!body_[f].is_number()) {
      Problem(f, "must be a number");
      return std::nullopt;
    }
    return body_[f].get<double>();
  }
  // A date YYYY-MM-DD; nullopt when missing or empty (and, with `required`, a problem then).
  std::optional<Date> DateField(const char* f, bool required = false) {
    const std::string text = String(f);
    if (text.empty()) {
      if (required) Problem(f, "is required (YYYY-MM-DD)");
      return std::nullopt;
    }
    auto d = ParseDate(text);
    if (!d) {
      Problem(f, "must be a date YYYY-MM-DD", text);
      return std::nullopt;
    }
    return *d;
  }
  void Problem(const char* f, std::string reason, std::string value = "") {
    problems_.push_back({0, f, std::move(value), std::move(reason)});
  }
  // The problems as a 400 error, if there are any.
  Status Check() const {
    if (problems_.empty()) return {};
    return InvalidArgument(problems_.size() == 1
                               ? fmt::format("{} {}", problems_[0].column, problems_[0].reason)
                               : fmt::format("the request has {} problems", problems_.size()),
                           problems_);
  }

 private:
  const json body_;
  std::vector<ErrorDetail> problems_;
};

json ThresholdJson(const monitoring::Threshold& t) {
  return {{"province", t.province_code},        {"year", t.year},
          {"per_capita_fen", t.per_capita_fen}, {"note", t.note},
          {"updated_by", t.updated_by},         {"updated_at", t.updated_at}};
}

json OptionsJson(const monitoring::RuleOptions& o) {
  return {{"province", o.province_code},
          {"income_drop_share", o.income_drop_share},
          {"medical_expense_fen", o.medical_expense_fen},
          {"medical_income_share", o.medical_income_share},
          {"disaster_loss_fen", o.disaster_loss_fen},
          {"disaster_income_share", o.disaster_income_share},
          {"verify_days", o.verify_days},
          {"review_days", o.review_days},
          {"decide_days", o.decide_days},
          {"minimum_months", o.minimum_months},
          {"version", o.version},
          {"updated_by", o.updated_by},
          {"updated_at", o.updated_at}};
}

json EventJson(const monitoring::RiskEvent& e) {
  return {{"id", e.id},     {"household_id", e.household_id},  {"region", e.region_code},
          {"kind", e.kind}, {"amount_fen", Opt(e.amount_fen)}, {"on", e.on.ToString()},
          {"note", e.note}, {"reported_by", e.reported_by},    {"reported_at", e.reported_at}};
}

json AlertJson(const Alert& a) {
  json values = json::array();
  for (const auto& v : a.values) values.push_back({{"name", v.name}, {"value", v.value}});
  return {{"id", a.id},
          {"case_id", a.case_id},
          {"household_id", a.household_id},
          {"household_number", a.household_number},
          {"region", a.region_code},
          {"rule", a.rule},
          {"period", a.period},
          {"values", values},
          {"message_zh", a.message_zh},
          {"message_en", a.message_en},
          {"detected_on", a.detected_on.ToString()}};
}

// What the caller may do next with the case: the UI shows these buttons only.
json Actions(const Case& c, const access::Principal& p) {
  auto holds = [&](std::string_view action) {
    return p.HoldsIn({"monitoring", action}, c.region_code);
  };
  json out = json::array();
  if (c.stage == monitoring::kStageAlert && holds("verify")) out.push_back("verify");
  if (c.stage == monitoring::kStageVerified && holds("review")) out.push_back("review");
  if (c.stage == monitoring::kStageReviewed && holds("decide")) {
    out.push_back("decide");
    out.push_back("dismiss");
  }
  if (c.stage == monitoring::kStageMonitored && holds("write")) out.push_back("measure");
  if (c.stage == monitoring::kStageMonitored && holds("decide")) out.push_back("eliminate");
  return out;
}

json CaseJson(const Case& c, const Date& today, const access::Principal& p) {
  const auto due = c.CurrentDue();
  const int64_t over = monitoring::DaysOverdue(c, today);
  json deadlines = json::array();
  for (const auto& d : monitoring::Deadlines(c, today)) {
    deadlines.push_back({{"step", d.step},
                         {"due", d.due.ToString()},
                         {"done_on", Opt(d.done_on)},
                         {"pending", d.pending},
                         {"overdue", d.overdue},
                         {"late", d.late},
                         {"days_over", d.days_over}});
  }
  json j = {{"id", c.id},
            {"household_id", c.household_id},
            {"household_number", c.household_number},
            {"head_name", c.head_name},
            {"region", c.region_code},
            {"region_name", c.region_name},
            {"stage", c.stage},
            {"category", Text(c.category)},
            {"village_confirmed", Opt(c.village_confirmed)},
            {"recommendation", Text(c.recommendation)},
            {"dismiss_reason", Text(c.dismiss_reason)},
            {"opened_on", c.opened_on.ToString()},
            {"due_on", Opt(due)},
            {"overdue", over > 0},
            {"days_overdue", over},
            {"deadlines", deadlines},
            {"verified_on", Opt(c.verified_on)},
            {"reviewed_on", Opt(c.reviewed_on)},
            {"decided_on", Opt(c.decided_on)},
            {"closed_on", Opt(c.closed_on)},
            {"rules", c.rules},
            {"version", c.version},
            {"actions", Actions(c, p)}};
  return j;
}

json FullCaseJson(const Case& c, const Date& today, const access::Principal& p) {
  json j = CaseJson(c, today, p);
  j["alerts"] = json::array();
  for (const Alert& a : c.alerts) j["alerts"].push_back(AlertJson(a));
  j["steps"] = json::array();
  for (const auto& s : c.steps) {
    j["steps"].push_back({{"id", s.id},
                          {"action", s.action},
                          {"on", s.on.ToString()},
                          {"actor", s.actor},
                          {"at", s.at},
                          {"note", s.note},
                          {"detail", s.detail}});
  }
  j["measures"] = json::array();
  for (const auto& m : c.measures) {
    j["measures"].push_back({{"id", m.id},
                             {"kind", m.kind},
                             {"amount_fen", Opt(m.amount_fen)},
                             {"start_on", Opt(m.start_on)},
                             {"note", m.note},
                             {"assigned_by", m.assigned_by},
                             {"assigned_on", m.assigned_on.ToString()}});
  }
  return j;
}

// A case transition: the case must be in the caller's scope (404 otherwise) before the body
// is looked at, so that an out-of-scope case answers the same whatever is sent.
using StepFn = std::function<Result<Case>(MonitoringService&, int64_t, Body&, const Caller&)>;

ApiHandler Transition(MonitoringService& service, StepFn step) {
  return [&service, step](const ApiRequest& req) -> Result<ApiResponse> {
    auto id = IdParam(req, "monitoring case");
    if (!id) return std::unexpected(id.error());
    auto parsed = req.JsonBody();
    if (!parsed) {
      FUPIN_TRY(service.GetCase(*id, CallerOf(req)));
      return std::unexpected(parsed.error());
    }
    Body body(std::move(*parsed));
    auto done = step(service, *id, body, CallerOf(req));
    if (!done) return std::unexpected(done.error());
    return ApiResponse::Json(FullCaseJson(*done, service.Today(), *req.principal));
  };
}

}  // namespace

void AddMonitoringRoutes(Router& router, MonitoringService& service) {
  const Access read = Access::Needs("monitoring", "read");
  const Access write = Access::Needs("monitoring", "write");
  const Access configure = Access::Needs("monitoring", "configure");

  router.Add("GET", "/api/v1/monitoring/vocabularies", Access::SignedIn(),
             [](const ApiRequest&) -> Result<ApiResponse> {
               json out = json::object();
               for (const registry::Vocabulary* v : monitoring::AllVocabularies()) {
                 json terms = json::array();
                 for (const auto& t : v->terms) {
                   terms.push_back({{"code", t.code}, {"zh", t.zh}, {"en", t.en}});
                 }
                 out[std::string(v->name)] = terms;
               }
               return ApiResponse::Json(out);
             });

  router.Add("GET", "/api/v1/monitoring/thresholds", read,
             [&service](const ApiRequest&) -> Result<ApiResponse> {
               auto thresholds = service.Thresholds();
               if (!thresholds) return std::unexpected(thresholds.error());
               auto options = service.StoredOptions();
               if (!options) return std::unexpected(options.error());
               json items = json::array();
               for (const auto& t : *thresholds) items.push_back(ThresholdJson(t));
               json out = ListEnvelope(items, static_cast<int64_t>(thresholds->size()));
               out["options"] = json::array();
               for (const auto& o : *options) out["options"].push_back(OptionsJson(o));
               return ApiResponse::Json(out);
             });

  router.Add("PUT", "/api/v1/monitoring/thresholds", configure,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto parsed = req.JsonBody();
               if (!parsed) return std::unexpected(parsed.error());
               Body b(std::move(*parsed));
               monitoring::Threshold t;
               if (!b.Has("province")) b.Problem("province", "is required (\"\" = national)");
               t.province_code = b.String("province");
               auto year = b.Int("year");
               if (!year) b.Problem("year", "is required");
               auto fen = b.Int("per_capita_fen");
               if (!fen) b.Problem("per_capita_fen", "is required, in fen");
               t.note = b.String("note");
               FUPIN_TRY(b.Check());
               t.year = static_cast<int>(*year);
               t.per_capita_fen = *fen;
               auto saved = service.SetThreshold(t, CallerOf(req));
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(ThresholdJson(*saved));
             });

  router.Add("PUT", "/api/v1/monitoring/options", configure,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto parsed = req.JsonBody();
               if (!parsed) return std::unexpected(parsed.error());
               Body b(std::move(*parsed));
               monitoring::RuleOptions o;
               if (!b.Has("province")) b.Problem("province", "is required (\"\" = national)");
               o.province_code = b.String("province");
               auto version = b.Int("version");
               if (!version) b.Problem("version", "is required (0 for a province's first options)");
               auto number = [&](const char* f, double& out) {
                 if (auto v = b.Number(f)) out = *v;
               };
               auto integer = [&](const char* f, auto& out) {
                 if (auto v = b.Int(f)) out = static_cast<std::decay_t<decltype(out)>>(*v);
               };
               number("income_drop_share", o.income_drop_share);
               integer("medical_expense_fen", o.medical_expense_fen);
               number("medical_income_share", o.medical_income_share);
               integer("disaster_loss_fen", o.disaster_loss_fen);
               number("disaster_income_share", o.disaster_income_share);
               integer("verify_days", o.verify_days);
               integer("review_days", o.review_days);
               integer("decide_days", o.decide_days);
               integer("minimum_months", o.minimum_months);
               FUPIN_TRY(b.Check());
               o.version = *version;
               auto saved = service.SetOptions(o, CallerOf(req));
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(OptionsJson(*saved));
             });

  router.Add("GET", "/api/v1/households/{id}/risk-events", read.On("household"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = IdParam(req, "household");
               if (!id) return std::unexpected(id.error());
               auto events = service.RiskEventsOf(*id, CallerOf(req));
               if (!events) return std::unexpected(events.error());
               json items = json::array();
               for (const auto& e : *events) items.push_back(EventJson(e));
               return ApiResponse::Json(ListEnvelope(items, static_cast<int64_t>(events->size())));
             });

  router.Add("POST", "/api/v1/households/{id}/risk-events", write.On("household"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = IdParam(req, "household");
               if (!id) return std::unexpected(id.error());
               // The household must be the caller's before the body says anything.
               FUPIN_TRY(service.Household(*id, CallerOf(req)));
               auto parsed = req.JsonBody();
               if (!parsed) return std::unexpected(parsed.error());
               Body b(std::move(*parsed));
               monitoring::RiskEvent e;
               e.kind = b.String("kind");
               e.amount_fen = b.Int("amount_fen");
               auto on = b.DateField("on", /*required=*/true);
               e.note = b.String("note");
               FUPIN_TRY(b.Check());
               e.on = *on;
               auto saved = service.ReportRiskEvent(*id, e, CallerOf(req));
               if (!saved) return std::unexpected(saved.error());
               return ApiResponse::Json(EventJson(*saved), 201);
             });

  router.Add(
      "POST", "/api/v1/monitoring/detection", Access::Needs("monitoring", "detect"),
      [&service](const ApiRequest& req) -> Result<ApiResponse> {
        auto parsed = req.JsonBody();
        if (!parsed) return std::unexpected(parsed.error());
        Body b(std::move(*parsed));
        const std::string region = b.String("region");
        auto year = b.Int("year");
        FUPIN_TRY(b.Check());
        auto report = service.RunDetection(
            region, year ? std::optional<int>(static_cast<int>(*year)) : std::nullopt,
            CallerOf(req));
        if (!report) return std::unexpected(report.error());
        json created = json::array();
        for (const Alert& a : report->recorded.created) created.push_back(AlertJson(a));
        return ApiResponse::Json({{"region", report->region},
                                  {"year", report->year ? json(*report->year) : json(nullptr)},
                                  {"today", report->today.ToString()},
                                  {"households", report->households},
                                  {"watched", report->watched},
                                  {"found", report->found.size()},
                                  {"new_alerts", report->recorded.created.size()},
                                  {"already_recorded", report->recorded.already_recorded},
                                  {"cases_opened", report->recorded.cases_opened},
                                  {"added_to_open_cases", report->recorded.added_to_open_cases},
                                  {"alerts", created}});
      });

  router.Add("GET", "/api/v1/monitoring/cases", read,
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               monitoring::CaseQuery q;
               if (auto region = req.Query("region")) {
                 if (!regions::LevelOfCode(*region)) {
                   return InvalidArgument("region must be a 12-digit region code",
                                          {{0, "region", *region, "is not a region code"}});
                 }
                 q.within = *region;
               }
               q.stage = req.Query("stage").value_or("");
               q.category = req.Query("category").value_or("");
               auto overdue = QueryBool(req, "overdue", false);
               if (!overdue) return std::unexpected(overdue.error());
               q.overdue_only = *overdue;
               if (auto household = req.Query("household")) {
                 int64_t h = 0;
                 auto [ptr, ec] =
                     std::from_chars(household->data(), household->data() + household->size(), h);
                 if (ec != std::errc() || ptr != household->data() + household->size() || h <= 0) {
                   return InvalidArgument("household must be a household id",
                                          {{0, "household", *household, "is not an id"}});
                 }
                 q.household_id = h;
               }
               auto paging = ParsePaging(req, 50, 500);
               if (!paging) return std::unexpected(paging.error());
               q.offset = paging->offset();
               q.limit = paging->page_size;
               auto page = service.ListCases(q, CallerOf(req));
               if (!page) return std::unexpected(page.error());
               const Date today = service.Today();
               json items = json::array();
               for (const Case& c : page->items)
                 items.push_back(CaseJson(c, today, *req.principal));
               json out = ListEnvelope(items, page->total, *paging);
               out["stages"] = json::object();
               for (const registry::Term& s : monitoring::Stages().terms) {
                 auto it = page->stage_counts.find(std::string(s.code));
                 out["stages"][std::string(s.code)] =
                     it == page->stage_counts.end() ? 0 : it->second;
               }
               out["overdue"] = page->overdue;
               out["today"] = today.ToString();
               return ApiResponse::Json(out);
             });

  router.Add("GET", "/api/v1/monitoring/cases/{id}", read.On("monitoring_case"),
             [&service](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = IdParam(req, "monitoring case");
               if (!id) return std::unexpected(id.error());
               auto c = service.GetCase(*id, CallerOf(req));
               if (!c) return std::unexpected(c.error());
               json j = FullCaseJson(*c, service.Today(), *req.principal);
               // The household's reported risk events, for the case page (same scope).
               auto events = service.RiskEventsOf(c->household_id, CallerOf(req));
               if (!events) return std::unexpected(events.error());
               j["risk_events"] = json::array();
               for (const auto& e : *events) j["risk_events"].push_back(EventJson(e));
               return ApiResponse::Json(j);
             });

  router.Add(
      "POST", "/api/v1/monitoring/cases/{id}/verify",
      Access::Needs("monitoring", "verify").On("monitoring_case"),
      Transition(service,
                 [](MonitoringService& s, int64_t id, Body& b, const Caller& c) -> Result<Case> {
                   auto confirmed = b.Bool("confirmed");
                   const std::string note = b.String("note");
                   if (auto bad = b.Check(); !bad) {
                     FUPIN_TRY(s.GetCase(id, c));
                     return std::unexpected(bad.error());
                   }
                   return s.Verify(id, confirmed, note, c);
                 }));

  router.Add(
      "POST", "/api/v1/monitoring/cases/{id}/review",
      Access::Needs("monitoring", "review").On("monitoring_case"),
      Transition(service,
                 [](MonitoringService& s, int64_t id, Body& b, const Caller& c) -> Result<Case> {
                   const std::string recommendation = b.String("recommendation");
                   const std::string note = b.String("note");
                   if (auto bad = b.Check(); !bad) {
                     FUPIN_TRY(s.GetCase(id, c));
                     return std::unexpected(bad.error());
                   }
                   return s.Review(id, recommendation, note, c);
                 }));

  router.Add(
      "POST", "/api/v1/monitoring/cases/{id}/decide",
      Access::Needs("monitoring", "decide").On("monitoring_case"),
      Transition(service,
                 [](MonitoringService& s, int64_t id, Body& b, const Caller& c) -> Result<Case> {
                   const std::string category = b.String("category");
                   const std::string note = b.String("note");
                   if (auto bad = b.Check(); !bad) {
                     FUPIN_TRY(s.GetCase(id, c));
                     return std::unexpected(bad.error());
                   }
                   return s.Decide(id, category, note, c);
                 }));

  router.Add(
      "POST", "/api/v1/monitoring/cases/{id}/dismiss",
      Access::Needs("monitoring", "decide").On("monitoring_case"),
      Transition(service,
                 [](MonitoringService& s, int64_t id, Body& b, const Caller& c) -> Result<Case> {
                   const std::string reason = b.String("reason");
                   if (auto bad = b.Check(); !bad) {
                     FUPIN_TRY(s.GetCase(id, c));
                     return std::unexpected(bad.error());
                   }
                   return s.Dismiss(id, reason, c);
                 }));

  router.Add(
      "POST", "/api/v1/monitoring/cases/{id}/eliminate",
      Access::Needs("monitoring", "decide").On("monitoring_case"),
      Transition(service,
                 [](MonitoringService& s, int64_t id, Body& b, const Caller& c) -> Result<Case> {
                   auto fen = b.Int("per_capita_fen");
                   const std::string note = b.String("note");
                   if (auto bad = b.Check(); !bad) {
                     FUPIN_TRY(s.GetCase(id, c));
                     return std::unexpected(bad.error());
                   }
                   return s.EliminateRisk(id, fen, note, c);
                 }));

  router.Add(
      "POST", "/api/v1/monitoring/cases/{id}/measures", write.On("monitoring_case"),
      Transition(service,
                 [](MonitoringService& s, int64_t id, Body& b, const Caller& c) -> Result<Case> {
                   monitoring::Measure m;
                   m.kind = b.String("kind");
                   m.amount_fen = b.Int("amount_fen");
                   m.start_on = b.DateField("start_on");
                   m.note = b.String("note");
                   if (auto bad = b.Check(); !bad) {
                     FUPIN_TRY(s.GetCase(id, c));
                     return std::unexpected(bad.error());
                   }
                   auto added = s.AssignMeasure(id, m, c);
                   if (!added) return std::unexpected(added.error());
                   return s.GetCase(id, c);
                 }));

  router.Add(
      "GET", "/api/v1/monitoring/notice", read,
      [&service](const ApiRequest& req) -> Result<ApiResponse> {
        const std::string format = req.Query("format").value_or("csv");
        if (format != "csv" && format != "xlsx") {
          return InvalidArgument("format must be csv or xlsx",
                                 {{0, "format", format, "must be csv or xlsx"}});
        }
        monitoring::NoticeQuery q;
        q.within = req.Query("region").value_or("");
        for (auto [name, field] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
          if (auto text = req.Query(name)) {
            auto d = ParseDate(*text);
            if (!d) {
              return InvalidArgument(fmt::format("{} must be a date YYYY-MM-DD", name),
                                     {{0, name, *text, "is not a date"}});
            }
            *field = *d;
          }
        }
        const bool english = req.Query("lang").value_or("zh") == "en";
        std::vector<std::string> header;
        for (const auto& c : MonitoringService::NoticeColumns()) {
          header.emplace_back(english ? c.en : c.zh);
        }
        std::vector<std::vector<std::string>> rows;
        FUPIN_TRY(
            service.Notice(q, CallerOf(req), [&](const std::vector<std::string>& row) -> Status {
              rows.push_back(row);
              return {};
            }));
        const auto kind = format == "csv" ? tabular::Format::kCsv : tabular::Format::kXlsx;
        auto bytes = tabular::WriteToBytes(kind, header, rows);
        if (!bytes) return std::unexpected(bytes.error());
        return ApiResponse::File(std::move(*bytes), std::string(tabular::ContentType(kind)),
                                 fmt::format("monitoring-notice{}", tabular::FileExtension(kind)));
      });
}

}  // namespace fupin::http
