#include "projects/project_json.h"

#include "projects/project_service.h"

namespace fupin::projects {

using nlohmann::json;

namespace {

json TargetJson(const Target& t) {
  return {{"key", t.key},
          {"category", t.category},
          {"group", TargetGroup(t.category)},
          {"name", t.name},
          {"unit", t.unit},
          {"direction", t.direction},
          {"target_value", t.target_value}};
}

}  // namespace

json ProfileJson(const ProjectProfile& p) {
  json targets = json::array();
  for (const Target& t : p.targets) targets.push_back(TargetJson(t));
  json milestones = json::array();
  for (const Milestone& m : p.milestones) {
    milestones.push_back({{"key", m.key},
                          {"name", m.name},
                          {"planned_on", m.planned_on.ToString()},
                          {"weight", m.weight}});
  }
  return {{"name", p.name},
          {"type", p.type},
          {"region", p.region_code},
          {"implementing_unit", p.implementing_unit},
          {"person_in_charge", p.person_in_charge},
          {"content", p.content},
          {"mechanism", p.mechanism},
          {"beneficiaries", p.beneficiaries},
          {"budget_fen", p.budget_fen},
          {"start_on", p.start_on.ToString()},
          {"end_on", p.end_on.ToString()},
          {"targets", targets},
          {"milestones", milestones}};
}

json VersionJson(const ProjectVersion& v) {
  return {{"version", v.version},
          {"stage", v.stage},
          {"change_reason", v.change_reason},
          {"created_by", v.created_by},
          {"created_at", v.created_at},
          {"profile", ProfileJson(v.profile)}};
}

json ProjectJson(const Project& p) {
  json j = ProfileJson(p.profile);
  j.erase("targets");
  j.erase("milestones");
  j["beneficiary_count"] = p.profile.beneficiaries.size();
  j.erase("beneficiaries");
  j["id"] = p.id;
  j["status"] = p.status;
  j["version"] = p.version;
  j["stage"] = p.stage;
  j["approved_version"] = p.approved_version;
  j["pending_change"] = p.PendingChange();
  j["revision"] = p.revision;
  j["maintainer"] = p.maintainer;
  j["latest_percent"] = p.latest_percent;
  j["latest_report_on"] = p.latest_report_on ? json(p.latest_report_on->ToString()) : json(nullptr);
  j["milestone_count"] = p.profile.milestones.size();
  j["created_at"] = p.created_at;
  j["updated_at"] = p.updated_at;
  // Not computed until the funds (payments, hence actual cost) are part of fupin.
  j["earned_value"] = nullptr;
  return j;
}

json TransitionJson(const Transition& t) {
  return {{"id", t.id},         {"version", t.version},
          {"action", t.action}, {"from", t.from_status},
          {"to", t.to_status},  {"stage", t.stage},
          {"reason", t.reason}, {"on", t.on.ToString()},
          {"actor", t.actor},   {"at", t.at}};
}

json ReportJson(const ProgressReport& r) {
  json attachments = json::array();
  for (const Attachment& a : r.attachments) {
    attachments.push_back({{"name", a.name}, {"ref", a.ref}});
  }
  return {{"id", r.id},
          {"project_id", r.project_id},
          {"on", r.on.ToString()},
          {"percent", r.percent},
          {"narrative", r.narrative},
          {"attachments", attachments},
          {"reported_by", r.reported_by},
          {"reported_at", r.reported_at}};
}

json DifferenceJson(const Difference& d) {
  return {{"field", d.field}, {"before", d.before}, {"after", d.after}};
}

json DetailJson(const ProjectDetail& d) {
  json j = ProjectJson(d.project);
  const ProjectProfile& in_force = InForce(d);
  json profile = ProfileJson(d.project.profile);
  j["beneficiaries"] = profile["beneficiaries"];
  j["profile"] = profile;
  j["in_force"] = d.approved ? ProfileJson(d.approved->profile) : profile;
  // The version in force's targets and milestones with what was measured and done.
  json targets = json::array();
  for (const Target& t : in_force.targets) {
    json x = TargetJson(t);
    x["actual_value"] = nullptr;
    for (const TargetActual& a : d.target_actuals) {
      if (a.key != t.key) continue;
      x["actual_value"] = a.value;
      x["measured_on"] = a.measured_on.ToString();
      x["note"] = a.note;
      const bool met = t.direction == ">="   ? a.value >= t.target_value
                       : t.direction == "<=" ? a.value <= t.target_value
                                             : a.value == t.target_value;
      x["met"] = met;
    }
    targets.push_back(std::move(x));
  }
  j["targets"] = targets;
  json milestones = json::array();
  for (const Milestone& m : in_force.milestones) {
    json x = {{"key", m.key},
              {"name", m.name},
              {"planned_on", m.planned_on.ToString()},
              {"weight", m.weight},
              {"completed_on", nullptr}};
    for (const MilestoneActual& a : d.milestone_actuals) {
      if (a.key != m.key) continue;
      x["completed_on"] = a.completed_on.ToString();
      x["note"] = a.note;
    }
    milestones.push_back(std::move(x));
  }
  j["milestones"] = milestones;
  json reports = json::array();
  for (const ProgressReport& r : d.reports) reports.push_back(ReportJson(r));
  j["reports"] = reports;
  json history = json::array();
  for (const Transition& t : d.transitions) history.push_back(TransitionJson(t));
  j["transitions"] = history;
  json versions = json::array();
  for (const ProjectVersion& v : d.versions) versions.push_back(VersionJson(v));
  j["versions"] = versions;
  return j;
}

json VocabulariesJson() {
  json out = json::object();
  for (const Vocabulary* v : {&ProjectTypes(), &Statuses(), &VersionStages(), &TargetCategories(),
                              &Directions(), &Actions()}) {
    json terms = json::array();
    for (const auto& t : v->terms) terms.push_back({{"code", t.code}, {"zh", t.zh}, {"en", t.en}});
    out[std::string(v->name)] = terms;
  }
  return out;
}

}  // namespace fupin::projects
