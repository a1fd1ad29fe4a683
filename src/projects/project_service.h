// The project library's use cases (项目库) over the repository: proposing projects, editing
// them (each edit a new version; a change of an approved project approved again), the
// lifecycle's decisions by the roles that take them, progress reports and what was measured
// and done, and the differences between two versions.
//
// Scopes are region subtrees ({""} = everywhere): the caller's for the permission the use case
// needs (the HTTP layer passes the scope of the route's permission: projects.propose for
// proposing and editing, projects.review, projects.approve, projects.accept, projects.report).
// A project outside them is not found (kNotFound, whether or not it exists). Which permission
// each action needs is lifecycle.h's PermissionFor.
// Thread-safety: as thread-safe as the repositories it uses (the SQL ones are).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "base/time.h"
#include "projects/lifecycle.h"
#include "projects/project_repository.h"
#include "regions/region_repository.h"

namespace fupin::projects {

// A decision or step of the lifecycle, as the caller asks for it.
struct Decision {
  std::string action;    // Actions(): review, review_return, approve, start, complete, …
  int64_t revision = 0;  // the project's revision the caller saw
  std::string reason;
  std::optional<Date> on;  // the business date (default today, China time)
  std::string maintainer;  // "maintain": who maintains it (谁受益谁管护)
};

// The version in force of a detail: the approved one, or the latest before any approval.
const ProjectProfile& InForce(const ProjectDetail& d);

class ProjectService {
 public:
  ProjectService(ProjectRepository& repository, regions::RegionRepository& regions,
                 const Clock& clock)
      : repository_(repository), regions_(regions), clock_(clock) {}

  Result<ProjectPage> List(const ProjectQuery& query) { return repository_.ListProjects(query); }
  // A project within `scope` (its latest version); kNotFound otherwise.
  Result<Project> Find(const std::vector<std::string>& scope, int64_t id);
  // A project within `scope` with everything its page shows; kNotFound otherwise.
  Result<ProjectDetail> Detail(const std::vector<std::string>& scope, int64_t id);

  // Proposes a project (version 1, status proposed). The profile is validated as a whole
  // (ValidateProfile: kInvalidArgument, every problem naming its field); its region must be an
  // open village, township or county (kInvalidArgument naming `region`) within `scope`
  // (kPermissionDenied naming `region`). `on` dates the submission (default today; never in
  // the future: the demo's history is dated in the past).
  Result<Project> Propose(const std::vector<std::string>& scope, ProjectProfile profile,
                          const audit::Actor& actor, std::optional<Date> on = std::nullopt);

  // A new version of the profile (edit, resubmit after a return, or a change of an approved
  // project, which needs `change_reason` and keeps the region). `revision` must be the
  // current one (kConflict). An edit that changes nothing is refused.
  Result<Project> Edit(const std::vector<std::string>& scope, int64_t id, int64_t revision,
                       ProjectProfile profile, const std::string& change_reason,
                       const audit::Actor& actor, std::optional<Date> on = std::nullopt);

  // Takes a step of the lifecycle (lifecycle.h's Plan): kFailedPrecondition when the project's
  // state does not allow it, kInvalidArgument for a missing reason or maintainer, a date in the
  // future or before the project's start. Completion needs every milestone of the version in
  // force completed.
  Result<Project> Decide(const std::vector<std::string>& scope, int64_t id,
                         const Decision& decision, const audit::Actor& actor);

  // Records a milestone's completion date (the project in progress; a milestone of the version
  // in force; a day within [start, today]).
  Result<MilestoneActual> CompleteMilestone(const std::vector<std::string>& scope, int64_t id,
                                            MilestoneActual m, const audit::Actor& actor);
  // Records a target's actual value (the project in progress or later; a target of the version
  // in force; a day not in the future).
  Result<TargetActual> MeasureTarget(const std::vector<std::string>& scope, int64_t id,
                                     TargetActual t, const audit::Actor& actor);
  // Appends a progress report (the project in progress or completed; ValidateReport).
  Result<ProgressReport> Report(const std::vector<std::string>& scope, int64_t id,
                                ProgressReport report, const audit::Actor& actor);

  // The differences from version `from` to version `to` (0 = the latest; `from` 0 = the one
  // before `to`, or `to` itself for version 1). kNotFound naming a version that does not exist.
  struct VersionDiff {
    int64_t from = 0;
    int64_t to = 0;
    std::vector<Difference> differences;
  };
  Result<VersionDiff> Diff(const std::vector<std::string>& scope, int64_t id, int64_t from,
                           int64_t to);

 private:
  Status CheckRegion(const std::vector<std::string>& scope, const std::string& region);
  Result<Date> DayOf(const std::optional<Date>& on, const char* field);

  ProjectRepository& repository_;
  regions::RegionRepository& regions_;
  const Clock& clock_;
};

}  // namespace fupin::projects
