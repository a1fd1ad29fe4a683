// JSON of households as the API and the command line show them.
#include "registry/registry_json.h"

#include <fmt/format.h>

#include <charconv>
#include <functional>

#include "registry/vocabulary.h"

namespace fupin::registry {

namespace {

using nlohmann::json;

json Opt(const std::optional<bool>& v) { return v ? json(*v) : json(nullptr); }
json Opt(const std::optional<int>& v) { return v ? json(*v) : json(nullptr); }
json Opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json Opt(const std::optional<Date>& v) { return v ? json(v->ToString()) : json(nullptr); }
json Text(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

// Explicit response shapes: every sensitive field passed through here is already masked by
// the service (see RegistryService).
json HouseholdJson(const Household& h) {
  return {{"id", h.id},
          {"number", h.number},
          {"region", h.region_code},
          {"attribute", Text(h.attribute)},
          {"main_cause", Text(h.main_cause)},
          {"secondary_cause", Text(h.secondary_cause)},
          {"phone", Text(h.phone)},
          {"bank_account", Text(h.bank_account)},
          {"housing_safe", Opt(h.housing_safe)},
          {"housing_area", Opt(h.housing_area)},
          {"water_safe", Opt(h.water_safe)},
          {"market_distance_km", Opt(h.market_distance_km)},
          {"year_identified", Opt(h.year_identified)},
          {"reported_size", Opt(h.reported_size)},
          {"status", Text(h.status)},
          {"lifted_year", Opt(h.lifted_year)},
          {"version", h.version},
          {"created_at", h.created_at},
          {"updated_at", h.updated_at}};
}

json MemberJson(const Member& m) {
  return {{"id", m.id},
          {"name", m.name},
          {"id_number", m.id_number},
          {"relation", m.relation},
          {"sex", Text(m.sex)},
          {"birth_date", Opt(m.birth_date)},
          {"ethnicity", Text(m.ethnicity)},
          {"education", Text(m.education)},
          {"in_school", Opt(m.in_school)},
          {"health", Text(m.health)},
          {"labour", Text(m.labour)},
          {"migrant_months", Opt(m.migrant_months)},
          {"dibao", Opt(m.dibao)},
          {"medical_insurance", Opt(m.medical_insurance)},
          {"pension", Opt(m.pension)},
          {"joined_on", Opt(m.joined_on)},
          {"left_on", Opt(m.left_on)},
          {"left_reason", Text(m.left_reason)}};
}

json IncomeJson(const Income& i, const std::optional<double>& per_capita) {
  return {{"year", i.year},
          {"wages", i.wages},
          {"business", i.business},
          {"property", i.property},
          {"transfer", i.transfer},
          {"costs", i.costs},
          {"net", i.Net()},
          {"per_capita", Opt(per_capita)},
          {"reported_gross", Opt(i.reported_gross)},
          {"reported_net", Opt(i.reported_net)}};
}

}  // namespace

json HouseholdViewJson(const HouseholdView& view) {
  json j = HouseholdJson(view.record.household);
  j["masked"] = true;
  j["may_reveal"] = view.may_reveal;
  j["members"] = json::array();
  for (const Member& m : view.record.members) j["members"].push_back(MemberJson(m));
  j["events"] = json::array();
  for (const auto& e : view.record.events) {
    j["events"].push_back({{"status", e.status},
                           {"on", e.on.ToString()},
                           {"year", Opt(e.year)},
                           {"reason", Text(e.reason)}});
  }
  j["incomes"] = json::array();
  for (size_t i = 0; i < view.record.incomes.size(); ++i) {
    j["incomes"].push_back(IncomeJson(view.record.incomes[i], view.per_capita[i]));
  }
  j["income_formula"] =
      "net = wages + business + property + transfer − costs; per_capita = net / members on 31 "
      "December";
  j["guarantees"] = json::array();
  for (const auto& g : view.record.guarantees) {
    j["guarantees"].push_back(
        {{"item", g.item}, {"met", g.met}, {"verified_on", Opt(g.verified_on)}});
  }
  j["measures"] = json::array();
  for (const auto& m : view.record.measures) {
    j["measures"].push_back({{"id", m.id},
                             {"kind", m.kind},
                             {"amount", Opt(m.amount)},
                             {"start_on", Opt(m.start_on)},
                             {"end_on", Opt(m.end_on)},
                             {"note", Text(m.note)}});
  }
  j["helpers"] = json::array();
  for (const auto& a : view.record.helpers) {
    j["helpers"].push_back({{"helper_id", a.helper_id},
                            {"name", a.name},
                            {"unit", Text(a.unit)},
                            {"level", Text(a.level)},
                            {"phone", Text(a.phone)},  // masked
                            {"since", Opt(a.since)},
                            {"until", Opt(a.until)}});
  }
  j["member_events"] = json::array();
  for (const auto& e : view.record.member_events) {
    j["member_events"].push_back(
        {{"id", e.id},
         {"kind", e.kind},
         {"on", e.on.ToString()},
         {"member_id", e.member_id},
         {"name", e.name},
         {"id_number", e.id_number},                // masked
         {"old_id_number", Text(e.old_id_number)},  // masked
         {"other_household_id",
          e.other_household_id != 0 ? json(e.other_household_id) : json(nullptr)},
         {"other_household_number", Text(e.other_household_number)},
         {"note", Text(e.note)},
         {"recorded_by", e.recorded_by},
         {"recorded_at", e.recorded_at}});
  }
  return j;
}

json HouseholdSummaryJson(const HouseholdSummary& s) {
  json j = HouseholdJson(s.household);
  j["head_name"] = s.head_name;
  j["head_id_number"] = Text(s.head_id_number);
  j["members"] = s.members;
  j["latest_income"] = s.latest_income ? IncomeJson(*s.latest_income, std::nullopt) : json(nullptr);
  if (!s.status_on.empty()) j["status_on"] = s.status_on;
  return j;
}

// ---------------------------------------------------------------------------------------------
// Requests: the bodies of the API's writes, which the command line reads from files too.

namespace {

// Reads the optional fields of a JSON object with clear errors.
class BodyReader {
 public:
  // Keeps its own copy: callers pass temporaries (an item, or {} for a malformed one).
  explicit BodyReader(json body, std::string prefix = "")
      : body_(std::move(body)), prefix_(std::move(prefix)) {}
  std::string String(const char* field) {
    if (!body_.contains(field) || body_[field].is_null()) return "";
    if (!body_[field].is_string()) {
      Problem(field, "must be a string");
      return "";
    }
    return body_[field].get<std::string>();
  }
  // A vocabulary field: accepts the code or a label, stores the code.
  std::string Code(const char* field, const Vocabulary& vocabulary) {
    const std::string text = String(field);
    if (text.empty()) return "";
    auto code = vocabulary.Parse(text);
    return code ? std::string(*code) : text;  // unknown values are reported by validation
  }
  std::optional<bool> Bool(const char* field) {
    if (!body_.contains(field) || body_[field].is_null()) return std::nullopt;
    if (!body_[field].is_boolean()) {
      Problem(field, "must be true or false");
      return std::nullopt;
    }
    return body_[field].get<bool>();
  }
  std::optional<double> Number(const char* field) {
    if (!body_.contains(field) || body_[field].is_null()) return std::nullopt;
    if (!body_[field].is_number()) {
      Problem(field, "must be a number");
      return std::nullopt;
    }
    return body_[field].get<double>();
  }
  std::optional<int> Int(const char* field) {
    if (!body_.contains(field) || body_[field].is_null()) return std::nullopt;
    if (!body_[field].is_number_integer()) {
      Problem(field, "must be a whole number");
      return std::nullopt;
    }
    return body_[field].get<int>();
  }
  std::optional<int64_t> Int64(const char* field) {
    if (!body_.contains(field) || body_[field].is_null()) return std::nullopt;
    if (!body_[field].is_number_integer()) {
      Problem(field, "must be a whole number");
      return std::nullopt;
    }
    return body_[field].get<int64_t>();
  }
  std::optional<Date> DateField(const char* field) {
    const std::string text = String(field);
    if (text.empty()) return std::nullopt;
    auto d = ParseDate(text);
    if (!d) {
      Problem(field, "must be a date YYYY-MM-DD", text);
      return std::nullopt;
    }
    return *d;
  }
  std::vector<ErrorDetail>& problems() { return problems_; }
  void Problem(const std::string& field, std::string reason, std::string value = "") {
    problems_.push_back({0, prefix_ + field, std::move(value), std::move(reason)});
  }

 private:
  const json body_;
  std::string prefix_;
  std::vector<ErrorDetail> problems_;
};

Member ReadMember(BodyReader& m) {
  Member member;
  member.name = m.String("name");
  member.id_number = m.String("id_number");
  member.relation = m.Code("relation", Relations());
  member.sex = m.Code("sex", Sexes());
  member.birth_date = m.DateField("birth_date");
  member.ethnicity = m.String("ethnicity");
  member.education = m.Code("education", Educations());
  member.in_school = m.Bool("in_school");
  member.health = m.Code("health", HealthConditions());
  member.labour = m.Code("labour", LabourCapacities());
  member.migrant_months = m.Int("migrant_months");
  member.dibao = m.Bool("dibao");
  member.medical_insurance = m.Bool("medical_insurance");
  member.pension = m.Bool("pension");
  member.joined_on = m.DateField("joined_on");
  member.left_on = m.DateField("left_on");
  member.left_reason = m.Code("left_reason", MemberEventKinds());
  return member;
}

StatusEvent ReadStatusEvent(BodyReader& e) {
  StatusEvent event;
  event.status = e.Code("status", Statuses());
  auto on = e.DateField("on");
  if (!on) e.Problem("on", "is required (YYYY-MM-DD)");
  event.on = on.value_or(Date{});
  event.year = e.Int("year");
  event.reason = e.String("reason");
  return event;
}

Income ReadIncome(BodyReader& in) {
  Income income;
  income.year = in.Int("year").value_or(0);
  income.wages = in.Number("wages").value_or(0);
  income.business = in.Number("business").value_or(0);
  income.property = in.Number("property").value_or(0);
  income.transfer = in.Number("transfer").value_or(0);
  income.costs = in.Number("costs").value_or(0);
  income.reported_gross = in.Number("reported_gross");
  income.reported_net = in.Number("reported_net");
  return income;
}

Guarantee ReadGuarantee(BodyReader& g) {
  Guarantee guarantee;
  guarantee.item = g.Code("item", GuaranteeItems());
  guarantee.met = g.Bool("met").value_or(false);
  guarantee.verified_on = g.DateField("verified_on");
  return guarantee;
}

AssistanceMeasure ReadMeasure(BodyReader& m) {
  AssistanceMeasure measure;
  measure.id = m.Int64("id").value_or(0);
  measure.kind = m.Code("kind", MeasureKinds());
  measure.amount = m.Number("amount");
  measure.start_on = m.DateField("start_on");
  measure.end_on = m.DateField("end_on");
  measure.note = m.String("note");
  return measure;
}

HelperAssignment ReadHelper(BodyReader& a) {
  HelperAssignment helper;
  helper.name = a.String("name");
  helper.unit = a.String("unit");
  helper.level = a.Code("level", HelperLevels());
  helper.phone = a.String("phone");
  helper.since = a.DateField("since");
  helper.until = a.DateField("until");
  return helper;
}

// Reads each object of the list `field` of `body` with a BodyReader prefixed "field[i].",
// collecting its problems into `problems`.
void Each(const json& body, const char* field, std::vector<ErrorDetail>& problems,
          const std::function<void(BodyReader&)>& read) {
  if (!body.contains(field) || body[field].is_null()) return;
  if (!body[field].is_array()) {
    problems.push_back({0, field, "", "must be a list"});
    return;
  }
  const json& items = body[field];
  for (size_t i = 0; i < items.size(); ++i) {
    BodyReader item(items[i].is_object() ? items[i] : json::object(),
                    fmt::format("{}[{}].", field, i + 1));
    read(item);
    for (auto& p : item.problems()) problems.push_back(std::move(p));
  }
}

// A list of whole numbers (member ids, years), or a problem.
template <class T>
std::vector<T> Numbers(const json& body, const char* field, std::vector<ErrorDetail>& problems) {
  std::vector<T> out;
  if (!body.contains(field) || body[field].is_null()) return out;
  if (!body[field].is_array()) {
    problems.push_back({0, field, "", "must be a list of whole numbers"});
    return out;
  }
  for (const json& v : body[field]) {
    if (!v.is_number_integer()) {
      problems.push_back({0, field, v.dump(), "must be a list of whole numbers"});
      continue;
    }
    out.push_back(v.get<T>());
  }
  return out;
}

}  // namespace

// PATCH /api/v1/households/{id}: the fields present are set (null clears a nullable one).
Result<HouseholdPatch> ParsePatch(const json& body) {
  HouseholdPatch patch;
  BodyReader b(body);
  auto has = [&](const char* f) { return body.contains(f); };
  patch.version = b.Int64("version").value_or(0);
  patch.note = b.String("note");
  if (has("region")) patch.region_code = b.String("region");
  if (has("attribute")) patch.attribute = b.Code("attribute", Attributes());
  if (has("main_cause")) patch.main_cause = b.Code("main_cause", Causes());
  if (has("secondary_cause")) patch.secondary_cause = b.Code("secondary_cause", Causes());
  if (has("phone")) patch.phone = b.String("phone");
  if (has("bank_account")) patch.bank_account = b.String("bank_account");
  if (has("housing_safe")) patch.housing_safe = b.Bool("housing_safe");
  if (has("water_safe")) patch.water_safe = b.Bool("water_safe");
  if (has("housing_area")) patch.housing_area = b.Number("housing_area");
  if (has("market_distance_km")) patch.market_distance_km = b.Number("market_distance_km");
  if (has("year_identified")) patch.year_identified = b.Int("year_identified");
  std::vector<ErrorDetail> problems = std::move(b.problems());
  if (body.contains("members") && body["members"].is_array()) {
    const json& items = body["members"];
    for (size_t i = 0; i < items.size(); ++i) {
      const json item = items[i].is_object() ? items[i] : json::object();
      BodyReader m(item, fmt::format("members[{}].", i + 1));
      auto in = [&](const char* f) { return item.contains(f); };
      MemberPatch mp;
      mp.member_id = m.Int64("id").value_or(0);
      if (mp.member_id <= 0) m.Problem("id", "is required: the member's id");
      if (in("name")) mp.name = m.String("name");
      if (in("relation")) mp.relation = m.Code("relation", Relations());
      if (in("sex")) mp.sex = m.Code("sex", Sexes());
      if (in("ethnicity")) mp.ethnicity = m.String("ethnicity");
      if (in("education")) mp.education = m.Code("education", Educations());
      if (in("health")) mp.health = m.Code("health", HealthConditions());
      if (in("labour")) mp.labour = m.Code("labour", LabourCapacities());
      if (in("birth_date")) mp.birth_date = m.DateField("birth_date");
      if (in("in_school")) mp.in_school = m.Bool("in_school");
      if (in("dibao")) mp.dibao = m.Bool("dibao");
      if (in("medical_insurance")) mp.medical_insurance = m.Bool("medical_insurance");
      if (in("pension")) mp.pension = m.Bool("pension");
      if (in("migrant_months")) mp.migrant_months = m.Int("migrant_months");
      for (const char* f : {"id_number", "joined_on", "left_on", "left_reason"}) {
        if (in(f)) {
          m.Problem(f, "changes only through a membership event (member-events)");
        }
      }
      for (auto& p : m.problems()) problems.push_back(std::move(p));
      patch.members.push_back(std::move(mp));
    }
  } else if (body.contains("members") && !body["members"].is_null()) {
    problems.push_back({0, "members", "", "must be a list"});
  }
  Each(body, "incomes", problems, [&](BodyReader& in) { patch.incomes.push_back(ReadIncome(in)); });
  patch.incomes_removed = Numbers<int>(body, "incomes_removed", problems);
  Each(body, "guarantees", problems,
       [&](BodyReader& g) { patch.guarantees.push_back(ReadGuarantee(g)); });
  Each(body, "measures", problems,
       [&](BodyReader& m) { patch.measures.push_back(ReadMeasure(m)); });
  patch.measures_removed = Numbers<int64_t>(body, "measures_removed", problems);
  Each(body, "helpers_added", problems,
       [&](BodyReader& a) { patch.helpers_added.push_back(ReadHelper(a)); });
  Each(body, "helpers_ended", problems, [&](BodyReader& e) {
    HelperEnd end;
    end.helper_id = e.Int64("helper_id").value_or(0);
    auto until = e.DateField("until");
    if (!until) e.Problem("until", "is required (YYYY-MM-DD)");
    end.until = until.value_or(Date{});
    patch.helpers_ended.push_back(end);
  });
  if (body.contains("status_event") && !body["status_event"].is_null()) {
    BodyReader e(body["status_event"].is_object() ? body["status_event"] : json::object(),
                 "status_event.");
    patch.status_event = ReadStatusEvent(e);
    for (auto& p : e.problems()) problems.push_back(std::move(p));
  }
  if (!problems.empty()) {
    return InvalidArgument("the edit has fields of the wrong type", std::move(problems));
  }
  return patch;
}

// POST /api/v1/households/{id}/member-events.
Result<MemberEventRequest> ParseMemberEvent(const json& body) {
  MemberEventRequest q;
  BodyReader b(body);
  q.kind = b.Code("kind", MemberEventKinds());
  auto on = b.DateField("on");
  if (!on && b.problems().empty()) b.Problem("on", "is required (YYYY-MM-DD)");
  q.on = on.value_or(Date{});
  q.version = b.Int64("version").value_or(0);
  q.note = b.String("note");
  q.member_id = b.Int64("member_id").value_or(0);
  q.member = b.String("member");
  q.id_number = b.String("id_number");
  q.relation = b.String("relation");
  q.other_household_id = b.Int64("other_household_id").value_or(0);
  q.new_head_member_id = b.Int64("new_head_member_id").value_or(0);
  q.new_household_number = b.String("new_household_number");
  q.split_head_member_id = b.Int64("split_head_member_id").value_or(0);
  q.new_id_number = b.String("new_id_number");
  std::vector<ErrorDetail> problems = std::move(b.problems());
  q.member_ids = Numbers<int64_t>(body, "member_ids", problems);
  if (body.contains("relations") && body["relations"].is_object()) {
    for (const auto& [key, value] : body["relations"].items()) {
      int64_t id = 0;
      auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), id);
      if (ec != std::errc() || ptr != key.data() + key.size() || !value.is_string()) {
        problems.push_back({0, "relations." + key, value.dump(),
                            "must map a member id to a relation (e.g. {\"12\": \"配偶\"})"});
        continue;
      }
      q.relations[id] = value.get<std::string>();
    }
  }
  if (body.contains("person") && !body["person"].is_null()) {
    BodyReader p(body["person"].is_object() ? body["person"] : json::object(), "person.");
    q.person = ReadMember(p);
    for (auto& d : p.problems()) problems.push_back(std::move(d));
  }
  if (!problems.empty()) {
    return InvalidArgument("the event is incomplete or has fields of the wrong type",
                           std::move(problems));
  }
  return q;
}

Result<HouseholdRecord> ParseRecord(const json& body) {
  HouseholdRecord r;
  BodyReader b(body);
  Household& h = r.household;
  h.number = b.String("number");
  h.region_code = b.String("region");
  h.attribute = b.Code("attribute", Attributes());
  h.main_cause = b.Code("main_cause", Causes());
  h.secondary_cause = b.Code("secondary_cause", Causes());
  h.phone = b.String("phone");
  h.bank_account = b.String("bank_account");
  h.housing_safe = b.Bool("housing_safe");
  h.housing_area = b.Number("housing_area");
  h.water_safe = b.Bool("water_safe");
  h.market_distance_km = b.Number("market_distance_km");
  h.year_identified = b.Int("year_identified");
  h.reported_size = b.Int("reported_size");
  std::vector<ErrorDetail> problems = std::move(b.problems());
  Each(body, "members", problems, [&](BodyReader& m) { r.members.push_back(ReadMember(m)); });
  Each(body, "events", problems, [&](BodyReader& e) { r.events.push_back(ReadStatusEvent(e)); });
  Each(body, "incomes", problems, [&](BodyReader& in) { r.incomes.push_back(ReadIncome(in)); });
  Each(body, "guarantees", problems,
       [&](BodyReader& g) { r.guarantees.push_back(ReadGuarantee(g)); });
  Each(body, "measures", problems, [&](BodyReader& m) { r.measures.push_back(ReadMeasure(m)); });
  Each(body, "helpers", problems, [&](BodyReader& a) { r.helpers.push_back(ReadHelper(a)); });
  if (!problems.empty()) {
    return InvalidArgument("the household has fields of the wrong type", std::move(problems));
  }
  return r;
}

}  // namespace fupin::registry
