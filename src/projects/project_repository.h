// The storage interface of the project library, in domain types. Implemented once over SQL in
// storage/project_store for SQLite and PostgreSQL; checked by the storage contract tests on
// both.
//
// Reads take the caller's scope (region subtrees, {""} = everywhere) and apply it in the query:
// a project outside it is not found. Every write records its audit entry in the same
// transaction, and either all of it is stored or none. Versions, transitions, progress reports
// and measurements are only appended; a project's row holds where its lifecycle stands, with a
// revision that every write checks and moves on (optimistic locking), so that two decisions
// taken at once cannot both apply.
// Implementations are thread-safe: each call takes its own connection from the pool.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "projects/model.h"

namespace fupin::projects {

struct ProjectQuery {
  std::vector<std::string> scope;
  std::string within;  // a region subtree ("" = the whole scope)
  std::string type;    // ProjectTypes() code, "" = any
  std::string status;  // Statuses() code, "" = any
  std::string text;    // part of the name
  int64_t offset = 0;
  int64_t limit = 50;  // 0 = all
};

struct ProjectPage {
  std::vector<Project> items;  // by id
  int64_t total = 0;
  // Projects matching the query but for `status`, by status: the lifecycle board's columns.
  std::vector<std::pair<std::string, int64_t>> by_status;
};

// A write of a project's lifecycle: optionally a new version of its profile, and the step
// (the transition row, the project's new status, the version's new stage, the version in
// force).
struct ProjectWrite {
  int64_t project_id = 0;                 // 0: a new project (version 1, action "submit")
  int64_t revision = 0;                   // the revision acted on (ignored for a new project)
  std::optional<ProjectProfile> profile;  // a new version
  std::string change_reason;
  Transition transition;  // action, from/to status, stage, reason, on
  int64_t approved_version = 0;
  std::string maintainer;  // set with "maintain"
};

class ProjectRepository {
 public:
  virtual ~ProjectRepository() = default;

  virtual Result<ProjectPage> ListProjects(const ProjectQuery& query) = 0;
  // A project within `scope` with its latest version's profile.
  virtual Result<std::optional<Project>> FindProject(int64_t id,
                                                     const std::vector<std::string>& scope) = 0;
  // A project within `scope` with everything its page shows.
  virtual Result<std::optional<ProjectDetail>> FindDetail(
      int64_t id, const std::vector<std::string>& scope) = 0;
  // The region of a project regardless of scope; nullopt when it does not exist.
  virtual Result<std::optional<std::string>> ProjectRegion(int64_t id) = 0;
  // Every version of a project, oldest first (empty when there is no such project).
  virtual Result<std::vector<ProjectVersion>> Versions(int64_t id) = 0;

  // Applies a lifecycle write in one transaction: a new project (as version 1) or, for an
  // existing one, checks that `revision` is the current one (kConflict with the current one
  // otherwise) and that the project is still in `transition.from_status`, stores the new
  // version if any, sets the status, the stage of the version acted on and the version in
  // force, and appends the transition. A new version's region must be a known region
  // (kInvalidArgument naming `region`) and its beneficiaries registered households in the
  // region's county (kInvalidArgument naming `beneficiaries[i]`). Audited: "create",
  // "update" with the version's changed fields, or the action's name with its reason.
  virtual Result<Project> Write(const ProjectWrite& write, const audit::Actor& actor) = 0;

  // Records the completion date of a milestone (a later record replaces it), the actual value
  // of a target, or appends a progress report. The project must exist (kNotFound). Audited.
  virtual Result<MilestoneActual> RecordMilestone(int64_t project_id, const MilestoneActual& m,
                                                  const audit::Actor& actor) = 0;
  virtual Result<TargetActual> RecordTarget(int64_t project_id, const TargetActual& t,
                                            const audit::Actor& actor) = 0;
  virtual Result<ProgressReport> AddReport(const ProgressReport& report,
                                           const audit::Actor& actor) = 0;
};

}  // namespace fupin::projects
