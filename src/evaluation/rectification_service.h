// Rectification (整改): the use cases behind the API and the CLI.
//
// Who does what: tasks are assigned, edited and verified by the office that ran the evaluation
// (evaluation.rectify held over the run's region); the responsible side reports progress and
// submits evidence (evaluation.rectify held over the task's region). Readers (evaluation.read)
// list the tasks of their regions and those their office assigned; a single task, like a run's
// tasks, is also shown to whoever sees its run (the runs of the regions above theirs).
// Thread-safety: as thread-safe as the repository (the service holds no mutable state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "base/time.h"
#include "evaluation/rectification.h"
#include "evaluation/repository.h"
#include "evaluation/run_service.h"

namespace fupin::evaluation {

struct NewTask {
  int64_t run_id = 0;
  std::optional<int> finding;  // index into the run's findings
  Finding custom;              // when no index: the finding written out (object, node, text)
  std::string title;           // "" = the finding's text
  std::string unit;
  std::string person;
  std::string deadline;
};

struct TaskEdit {
  int64_t version = 0;
  std::optional<std::string> title;
  std::optional<std::string> unit;
  std::optional<std::string> person;
  std::optional<std::string> deadline;
};

struct TaskReport {
  int64_t version = 0;
  TaskStatus status = TaskStatus::kInProgress;
  std::string note;
  std::string evidence;
};

class RectificationService {
 public:
  RectificationService(EvaluationRepository& repository, RunService& runs, const Clock& clock)
      : repository_(repository), runs_(runs), clock_(clock) {}

  // `scope`: evaluation.rectify. The run must be published, its region in the scope; the
  // finding's object one of its objects.
  Result<RectificationTask> Assign(const std::vector<std::string>& scope, const NewTask& task,
                                   const audit::Actor& actor);
  // `scope`: evaluation.read. Tasks of the scope's regions and those assigned from them.
  Result<std::vector<RectificationTask>> List(const std::vector<std::string>& scope,
                                              EvaluationRepository::TaskFilter filter);
  // kNotFound when it does not exist, its region is not in `scope` and its run is not seen
  // from it.
  Result<RectificationTask> Get(const std::vector<std::string>& scope, int64_t id);
  // `scope`: evaluation.rectify over the run's region (the assigning office).
  Result<RectificationTask> Edit(const std::vector<std::string>& scope, int64_t id,
                                 const TaskEdit& edit, const audit::Actor& actor);
  // `scope`: evaluation.rectify. Progress and submission: over the task's region; verifying
  // and returning a submission: over the run's region. Submitting needs evidence; returning
  // needs a note.
  Result<RectificationTask> Report(const std::vector<std::string>& scope, int64_t id,
                                   const TaskReport& report, const audit::Actor& actor);
  // The tasks of `run`, and the follow-up of earlier runs' tasks on its objects.
  struct RunRectification {
    std::vector<RectificationTask> tasks;
    std::vector<RectificationFollowUp> follow_up;
  };
  Result<RunRectification> OfRun(const std::vector<std::string>& scope, int64_t run_id);
  // kNotFound unless the run exists and is seen from `scope` (routes check it before reading
  // a body).
  Status RunSeen(const std::vector<std::string>& scope, int64_t run_id);

  Date Today() const { return ChinaDate(clock_.Now()); }

 private:
  EvaluationRepository& repository_;
  RunService& runs_;
  const Clock& clock_;
};

}  // namespace fupin::evaluation
