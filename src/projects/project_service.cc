#include "projects/project_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "access/permissions.h"

namespace fupin::projects {
namespace {

std::unexpected<Error> NoProject(int64_t id) {
  return NotFound(fmt::format("no project with id {}", id));
}

std::unexpected<Error> Invalid(std::vector<ErrorDetail> problems) {
  // The message first: the problems are moved into the error.
  std::string message = fmt::format("the project has {} problem(s)", problems.size());
  return InvalidArgument(std::move(message), std::move(problems));
}

}  // namespace

const ProjectProfile& InForce(const ProjectDetail& d) {
  return d.approved ? d.approved->profile : d.project.profile;
}

Status ProjectService::CheckRegion(const std::vector<std::string>& scope,
                                   const std::string& region) {
  auto found = regions_.Find(region);
  if (!found) return std::unexpected(found.error());
  if (!*found) {
    return Invalid({{0, "region", region, "is not a known region"}});
  }
  const regions::RegionLevel level = (*found)->level;
  if (level != regions::RegionLevel::kVillage && level != regions::RegionLevel::kTownship &&
      level != regions::RegionLevel::kCounty) {
    return Invalid({{0, "region", region, "must be a village, township or county"}});
  }
  if ((*found)->closed_on) {
    return Invalid(
        {{0, "region", region, fmt::format("was closed on {}", (*found)->closed_on->ToString())}});
  }
  if (!access::InAnySubtree(scope, region)) {
    return MakeError(
        ErrorCode::kPermissionDenied,
        fmt::format("region {} is outside the regions where you may propose projects", region),
        {{0, "region", region, "is outside the regions where you may propose projects"}});
  }
  return {};
}

Result<Date> ProjectService::DayOf(const std::optional<Date>& on, const char* field) {
  const Date today = ChinaDate(clock_.Now());
  if (!on) return today;
  if (*on > today) return Invalid({{0, field, on->ToString(), "is in the future"}});
  return *on;
}

Result<Project> ProjectService::Find(const std::vector<std::string>& scope, int64_t id) {
  auto p = repository_.FindProject(id, scope);
  if (!p) return std::unexpected(p.error());
  if (!*p) return NoProject(id);
  return std::move(**p);
}

Result<ProjectDetail> ProjectService::Detail(const std::vector<std::string>& scope, int64_t id) {
  auto d = repository_.FindDetail(id, scope);
  if (!d) return std::unexpected(d.error());
  if (!*d) return NoProject(id);
  return std::move(**d);
}

Result<Project> ProjectService::Propose(const std::vector<std::string>& scope,
                                        ProjectProfile profile, const audit::Actor& actor,
                                        std::optional<Date> on) {
  AssignKeys(profile);
  if (auto problems = ValidateProfile(profile); !problems.empty()) {
    return Invalid(std::move(problems));
  }
  FUPIN_TRY(CheckRegion(scope, profile.region_code));
  auto day = DayOf(on, "on");
  if (!day) return std::unexpected(day.error());
  ProjectWrite w;
  w.profile = std::move(profile);
  w.transition.action = "submit";
  w.transition.to_status = std::string(kProposed);
  w.transition.stage = std::string(kProposed);
  w.transition.version = 1;
  w.transition.on = *day;
  return repository_.Write(w, actor);
}

Result<Project> ProjectService::Edit(const std::vector<std::string>& scope, int64_t id,
                                     int64_t revision, ProjectProfile profile,
                                     const std::string& change_reason, const audit::Actor& actor,
                                     std::optional<Date> on) {
  auto found = repository_.FindProject(id, scope);
  if (!found) return std::unexpected(found.error());
  if (!*found) return NoProject(id);
  const Project& p = **found;
  auto step = Plan(p, "new_version", "");
  if (!step) return std::unexpected(step.error());
  auto versions = repository_.Versions(id);
  if (!versions) return std::unexpected(versions.error());
  AssignKeys(profile, *versions);
  std::vector<ErrorDetail> problems = ValidateProfile(profile);
  if (step->action == "change") {
    if (change_reason.find_first_not_of(" \t\r\n") == std::string::npos) {
      problems.push_back(
          {0, "change_reason", "", "is required for a change to an approved project"});
    }
    if (profile.region_code != p.profile.region_code) {
      problems.push_back({0, "region", profile.region_code,
                          fmt::format("cannot change once the project is approved (it is {})",
                                      p.profile.region_code)});
    }
  }
  if (!problems.empty()) return Invalid(std::move(problems));
  if (profile == p.profile) {
    return InvalidArgument("the edit changes nothing", {{0, "version", "", "nothing to change"}});
  }
  FUPIN_TRY(CheckRegion(scope, profile.region_code));
  auto day = DayOf(on, "on");
  if (!day) return std::unexpected(day.error());
  ProjectWrite w;
  w.project_id = id;
  w.revision = revision;
  w.profile = std::move(profile);
  w.change_reason = change_reason;
  w.approved_version = step->approved_version;
  w.transition.action = step->action;
  w.transition.from_status = p.status;
  w.transition.to_status = step->to_status;
  w.transition.stage = step->stage;
  w.transition.version = p.version + 1;
  w.transition.reason = change_reason;
  w.transition.on = *day;
  return repository_.Write(w, actor);
}

Result<Project> ProjectService::Decide(const std::vector<std::string>& scope, int64_t id,
                                       const Decision& decision, const audit::Actor& actor) {
  auto detail = Detail(scope, id);
  if (!detail) return std::unexpected(detail.error());
  const Project& p = detail->project;
  if (decision.action == "new_version" || PermissionFor(decision.action) == "propose") {
    return InvalidArgument(fmt::format("{} is not a decision", decision.action),
                           {{0, "action", decision.action, "edit the project instead"}});
  }
  auto step = Plan(p, decision.action, decision.reason);
  if (!step) return std::unexpected(step.error());
  auto on = DayOf(decision.on, "on");
  if (!on) return std::unexpected(on.error());
  const ProjectProfile& in_force = InForce(*detail);
  if (decision.action == "maintain" &&
      decision.maintainer.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Invalid({{0, "maintainer", "", "is required (who maintains it: 谁受益谁管护)"}});
  }
  if (decision.action == "complete") {
    std::string missing;
    for (const Milestone& m : in_force.milestones) {
      const bool done =
          std::any_of(detail->milestone_actuals.begin(), detail->milestone_actuals.end(),
                      [&](const MilestoneActual& a) { return a.key == m.key; });
      if (!done) missing += (missing.empty() ? "" : ", ") + m.name;
    }
    if (!missing.empty()) {
      return FailedPrecondition(
          fmt::format("every milestone needs its completion date first: {}", missing));
    }
  }
  ProjectWrite w;
  w.project_id = id;
  w.revision = decision.revision;
  w.approved_version = step->approved_version;
  w.maintainer = decision.maintainer;
  w.transition.action = step->action;
  w.transition.from_status = p.status;
  w.transition.to_status = step->to_status;
  w.transition.stage = step->stage;
  w.transition.version = p.version;
  w.transition.reason = decision.reason;
  w.transition.on = *on;
  return repository_.Write(w, actor);
}

Result<MilestoneActual> ProjectService::CompleteMilestone(const std::vector<std::string>& scope,
                                                          int64_t id, MilestoneActual m,
                                                          const audit::Actor& actor) {
  auto detail = Detail(scope, id);
  if (!detail) return std::unexpected(detail.error());
  if (detail->project.status != kInProgress) {
    return FailedPrecondition(
        fmt::format("milestones are completed while the project is in progress; it is {}",
                    detail->project.status));
  }
  const ProjectProfile& in_force = InForce(*detail);
  const bool known = std::any_of(in_force.milestones.begin(), in_force.milestones.end(),
                                 [&](const Milestone& x) { return x.key == m.key; });
  std::vector<ErrorDetail> problems;
  if (!known) problems.push_back({0, "key", m.key, "is not a milestone of the project"});
  if (m.completed_on == Date{}) {
    problems.push_back({0, "completed_on", "", "is required (YYYY-MM-DD)"});
  } else if (m.completed_on > ChinaDate(clock_.Now())) {
    problems.push_back({0, "completed_on", m.completed_on.ToString(), "is in the future"});
  } else if (m.completed_on < in_force.start_on) {
    problems.push_back(
        {0, "completed_on", m.completed_on.ToString(),
         fmt::format("is before the project's start ({})", in_force.start_on.ToString())});
  }
  if (!problems.empty()) return Invalid(std::move(problems));
  return repository_.RecordMilestone(id, m, actor);
}

Result<TargetActual> ProjectService::MeasureTarget(const std::vector<std::string>& scope,
                                                   int64_t id, TargetActual t,
                                                   const audit::Actor& actor) {
  auto detail = Detail(scope, id);
  if (!detail) return std::unexpected(detail.error());
  const std::string& status = detail->project.status;
  if (status != kInProgress && status != kCompleted && status != kAccepted &&
      status != kMaintenance) {
    return FailedPrecondition(
        fmt::format("targets are measured once the project is in progress; it is {}", status));
  }
  const ProjectProfile& in_force = InForce(*detail);
  const bool known = std::any_of(in_force.targets.begin(), in_force.targets.end(),
                                 [&](const Target& x) { return x.key == t.key; });
  std::vector<ErrorDetail> problems;
  if (!known) problems.push_back({0, "key", t.key, "is not a target of the project"});
  if (!std::isfinite(t.value)) {
    problems.push_back({0, "value", fmt::format("{}", t.value), "must be a finite number"});
  }
  if (t.measured_on == Date{}) {
    problems.push_back({0, "measured_on", "", "is required (YYYY-MM-DD)"});
  } else if (t.measured_on > ChinaDate(clock_.Now())) {
    problems.push_back({0, "measured_on", t.measured_on.ToString(), "is in the future"});
  }
  if (!problems.empty()) return Invalid(std::move(problems));
  return repository_.RecordTarget(id, t, actor);
}

Result<ProgressReport> ProjectService::Report(const std::vector<std::string>& scope, int64_t id,
                                              ProgressReport report, const audit::Actor& actor) {
  auto detail = Detail(scope, id);
  if (!detail) return std::unexpected(detail.error());
  const std::string& status = detail->project.status;
  if (status != kInProgress && status != kCompleted) {
    return FailedPrecondition(fmt::format(
        "progress is reported while the project is in progress or completed; it is {}", status));
  }
  report.project_id = id;
  if (auto problems = ValidateReport(report, InForce(*detail), ChinaDate(clock_.Now()));
      !problems.empty()) {
    std::string message = fmt::format("the progress report has {} problem(s)", problems.size());
    return InvalidArgument(std::move(message), std::move(problems));
  }
  return repository_.AddReport(report, actor);
}

Result<ProjectService::VersionDiff> ProjectService::Diff(const std::vector<std::string>& scope,
                                                         int64_t id, int64_t from, int64_t to) {
  auto found = repository_.FindProject(id, scope);
  if (!found) return std::unexpected(found.error());
  if (!*found) return NoProject(id);
  auto versions = repository_.Versions(id);
  if (!versions) return std::unexpected(versions.error());
  const int64_t latest = (*found)->version;
  if (to == 0) to = latest;
  if (from == 0) from = std::max<int64_t>(1, to - 1);
  auto find = [&](int64_t v, const char* field) -> Result<const ProjectVersion*> {
    for (const ProjectVersion& x : *versions) {
      if (x.version == v) return &x;
    }
    return MakeError(ErrorCode::kNotFound, fmt::format("project {} has no version {}", id, v),
                     {{0, field, std::to_string(v),
                       fmt::format("is not a version of the project (1 to {})", latest)}});
  };
  auto a = find(from, "from");
  if (!a) return std::unexpected(a.error());
  auto b = find(to, "to");
  if (!b) return std::unexpected(b.error());
  return VersionDiff{from, to, Compare((*a)->profile, (*b)->profile)};
}

}  // namespace fupin::projects
