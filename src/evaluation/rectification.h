// Rectification (整改): the findings of a published evaluation run turned into tasks, each
// assigned to a responsible unit and person with a deadline, followed through status updates
// with evidence until the assigning office verifies it (销号). The next run of the same system
// shows, for every earlier task on one of its objects, how the node the finding was about
// scores now.
//
// Status moves:
//   assigned (已下达) → in_progress (整改中) → submitted (已提交, evidence required)
//   submitted → verified (已验收销号, the assigning office) | in_progress (returned, with a note)
// A progress note may be added in any open state (assigned, in_progress). A task is overdue
// when its deadline (a China Standard Time date) has passed and it is still assigned or in
// progress; a task submitted after its deadline is marked late.
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "evaluation/run.h"

namespace fupin::evaluation {

enum class TaskStatus { kAssigned, kInProgress, kSubmitted, kVerified };
std::string_view TaskStatusName(TaskStatus status);  // "assigned", … "verified"
std::optional<TaskStatus> TaskStatusNamed(std::string_view name);

struct TaskUpdate {
  TaskStatus status = TaskStatus::kAssigned;  // the status after the update
  std::string note;
  std::string evidence;  // what shows the rectification: documents, photos, figures (text)
  std::string by;
  std::string at;  // UTC timestamp
};

struct RectificationTask {
  int64_t id = 0;
  int64_t run_id = 0;
  int64_t system_id = 0;
  std::string run_region;   // the assigning office (the run's region)
  Finding finding;          // the finding it rectifies (copied from the run, or written)
  std::string region_code;  // where the responsible unit works: the finding's object, or the
                            // run's region for a finding about all objects
  std::string title;
  std::string unit;      // 责任单位
  std::string person;    // 责任人 (a name; no contact details)
  std::string deadline;  // YYYY-MM-DD
  TaskStatus status = TaskStatus::kAssigned;
  std::string submitted_on;  // China date of the last submission ("" = none)
  std::string verified_on;
  std::vector<TaskUpdate> updates;  // oldest first
  int64_t version = 1;
  std::string created_by;
  std::string created_at;
  std::string updated_at;
};

bool Overdue(const RectificationTask& task, const Date& today);
bool Late(const RectificationTask& task);  // submitted after the deadline

// Whether `from` may move to `to`; a progress note keeps an open status.
bool AllowedMove(TaskStatus from, TaskStatus to);

// Checks a new task: title, unit, person, a deadline date not before `today`. Details name the
// field.
Status ValidateTask(const RectificationTask& task, const Date& today);

// How a node of an earlier task's object scores in a later run.
struct RectificationFollowUp {
  RectificationTask task;
  int64_t earlier_run = 0;
  std::optional<double> score_before;  // the node's score in the task's run
  std::optional<double> score_now;     // and in this run (unset: the node is gone)
  std::string grade_before;
  std::string grade_now;
  bool improved = false;  // the score rose (or the grade moved up)
};

// The follow-up of `tasks` (of earlier runs of the same system) in `run`: only tasks whose
// object is one of the run's objects (tasks about all objects: every object's overall node
// is not compared; they are listed without scores).
std::vector<RectificationFollowUp> FollowUp(const std::vector<RectificationTask>& tasks,
                                            const std::vector<Run>& earlier, const Run& run);

}  // namespace fupin::evaluation
