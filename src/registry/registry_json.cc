// JSON of households as the API and the command line show them.
#include "registry/registry_json.h"

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

}  // namespace fupin::registry
