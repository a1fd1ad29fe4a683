#include "funds/fund_json.h"

namespace fupin::funds {

using nlohmann::json;

namespace {

template <typename T>
json Optional(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

}  // namespace

json BatchJson(const FundBatch& b) {
  return {{"id", b.id},
          {"source", b.source},
          {"source_zh", Sources().Zh(b.source)},
          {"document_number", b.document_number},
          {"title", b.title},
          {"year", b.year},
          {"level", b.level},
          {"region", b.region_code},
          {"issued_on", b.issued_on.ToString()},
          {"amount_fen", b.amount_fen},
          {"allocated_fen", b.allocated_fen},
          {"left_fen", b.amount_fen - b.allocated_fen},
          {"note", b.note},
          {"version", b.version},
          {"created_by", b.created_by},
          {"created_at", b.created_at},
          {"updated_at", b.updated_at}};
}

json AllocationJson(const Allocation& a) {
  json purposes = json::array();
  for (const auto& s : a.purposes) {
    purposes.push_back({{"purpose", s.purpose}, {"amount_fen", s.amount_fen}});
  }
  return {{"id", a.id},
          {"batch_id", a.batch_id},
          {"project_id", a.project_id},
          {"allocated_on", a.allocated_on.ToString()},
          {"amount_fen", a.amount_fen},
          {"paid_fen", a.paid_fen},
          {"left_fen", a.amount_fen - a.paid_fen},
          {"purposes", purposes},
          {"note", a.note},
          {"version", a.version},
          {"created_by", a.created_by},
          {"created_at", a.created_at},
          {"project_name", a.project_name},
          {"project_region", a.project_region},
          {"batch_source", a.batch_source},
          {"batch_document", a.batch_document}};
}

json PaymentJson(const Payment& p) {
  return {{"id", p.id},
          {"allocation_id", p.allocation_id},
          {"project_id", p.project_id},
          {"batch_id", p.batch_id},
          {"paid_on", p.paid_on.ToString()},
          {"payee", p.payee},
          {"amount_fen", p.amount_fen},
          {"purpose", p.purpose},
          {"voucher_number", p.voucher_number},
          {"note", p.note},
          {"voided", p.voided},
          {"void_reason", p.void_reason},
          {"recorded_by", p.recorded_by},
          {"recorded_at", p.recorded_at}};
}

json EarnedValueJson(const EarnedValue& v) {
  return {{"as_of", v.as_of.ToString()},
          {"bac_fen", v.bac_fen},
          {"pv_fen", v.pv_fen},
          {"ev_fen", v.ev_fen},
          {"ac_fen", v.ac_fen},
          {"sv_fen", v.sv_fen},
          {"cv_fen", v.cv_fen},
          {"percent_complete", v.percent_complete},
          {"planned_percent", v.planned_percent},
          {"basis", v.basis},
          {"spi", Optional(v.spi)},
          {"cpi", Optional(v.cpi)},
          {"eac_fen", Optional(v.eac_fen)}};
}

json AlertJson(const Alert& a) {
  json values = json::array();
  for (const auto& v : a.values) values.push_back({{"name", v.name}, {"value", v.value}});
  return {{"rule", a.rule},
          {"rule_zh", AlertRules().Zh(a.rule)},
          {"project_id", a.project_id},
          {"project_name", a.project_name},
          {"allocation_id", a.allocation_id},
          {"payment_ids", a.payment_ids},
          {"values", values},
          {"message_zh", a.message_zh},
          {"message_en", a.message_en}};
}

json ExecutionJson(const ProjectExecution& e) {
  json allocations = json::array();
  for (const auto& a : e.allocations) allocations.push_back(AllocationJson(a));
  json payments = json::array();
  for (const auto& p : e.payments) payments.push_back(PaymentJson(p));
  json alerts = json::array();
  for (const auto& a : e.alerts) alerts.push_back(AlertJson(a));
  return {{"project_id", e.project.id}, {"project_name", e.project.profile.name},
          {"status", e.project.status}, {"earned_value", EarnedValueJson(e.value)},
          {"alerts", alerts},           {"allocations", allocations},
          {"payments", payments},       {"allocated_fen", e.allocated_fen},
          {"paid_fen", e.paid_fen}};
}

json UsageJson(const FundUsage& u) {
  return {{"batches", u.batches},
          {"issued_fen", u.issued_fen},
          {"allocated_fen", u.allocated_fen},
          {"received_fen", u.received_fen},
          {"paid_fen", u.paid_fen},
          {"payments", u.payments},
          {"non_compliant", u.non_compliant},
          {"allocation_rate", Optional(u.allocation_rate)},
          {"payment_rate", Optional(u.payment_rate)},
          {"compliance_rate", Optional(u.compliance_rate)}};
}

json MonitoringJson(const RegionMonitoring& m) {
  json rows = json::array();
  for (const auto& r : m.projects) {
    rows.push_back({{"id", r.project.id},
                    {"name", r.project.profile.name},
                    {"type", r.project.profile.type},
                    {"region", r.project.profile.region_code},
                    {"status", r.project.status},
                    {"end_on", r.project.profile.end_on.ToString()},
                    {"earned_value", EarnedValueJson(r.value)},
                    {"allocated_fen", r.allocated_fen},
                    {"paid_fen", r.paid_fen},
                    {"alerts", r.alerts}});
  }
  json alerts = json::array();
  for (const auto& a : m.alerts) alerts.push_back(AlertJson(a));
  return {{"region", m.region_code},
          {"year", m.year},
          {"as_of", m.as_of.ToString()},
          {"options",
           {{"behind_threshold", m.options.behind_threshold},
            {"idle_days", m.options.idle_days},
            {"split_threshold_fen", m.options.split_threshold_fen},
            {"split_window_days", m.options.split_window_days},
            {"acceptance_grace_days", m.options.acceptance_grace_days}}},
          {"total", EarnedValueJson(m.total)},
          {"projects", rows},
          {"alerts", alerts},
          {"usage", UsageJson(m.usage)}};
}

json FlowJson(const FundFlow& f) {
  json nodes = json::array();
  for (const auto& n : f.nodes) {
    nodes.push_back({{"name", n.name},
                     {"kind", n.kind},
                     {"code", n.code},
                     {"label", n.label},
                     {"value_fen", n.value_fen}});
  }
  json links = json::array();
  for (const auto& l : f.links) {
    links.push_back({{"source", l.source}, {"target", l.target}, {"value_fen", l.value_fen}});
  }
  return {{"nodes", nodes}, {"links", links}};
}

json PostingJson(const NoticePosting& p) {
  return {{"id", p.id},
          {"subject", p.subject},
          {"subject_id", p.subject_id},
          {"region", p.region_code},
          {"posted_on", p.posted_on.ToString()},
          {"until_on", p.until_on ? json(p.until_on->ToString()) : json(nullptr)},
          {"place", p.place},
          {"note", p.note},
          {"recorded_by", p.recorded_by},
          {"recorded_at", p.recorded_at}};
}

json NoticeJson(const Notice& n) {
  json fields = json::array();
  for (const auto& f : n.fields) {
    fields.push_back({{"key", f.key}, {"zh", f.zh}, {"en", f.en}, {"value", f.value}});
  }
  json postings = json::array();
  for (const auto& p : n.postings) postings.push_back(PostingJson(p));
  return {{"subject", n.subject},    {"subject_id", n.subject_id}, {"title", n.title},
          {"region", n.region_code}, {"fields", fields},           {"postings", postings}};
}

json VocabulariesJson() {
  json out = json::object();
  for (const Vocabulary* v : {&Sources(), &IssuingLevels(), &Purposes(), &AlertRules()}) {
    json terms = json::array();
    for (const auto& t : v->terms) terms.push_back({{"code", t.code}, {"zh", t.zh}, {"en", t.en}});
    out[std::string(v->name)] = terms;
  }
  return out;
}

}  // namespace fupin::funds
