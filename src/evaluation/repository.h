// The storage interface of the evaluation module, in domain types. Implemented once over SQL
// in storage/evaluation_store for SQLite and PostgreSQL; checked by the storage contract tests
// on both. Every write records its audit entry in the same transaction.
// Implementations are thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "evaluation/rectification.h"
#include "evaluation/run.h"
#include "evaluation/survey.h"
#include "evaluation/system.h"

namespace fupin::evaluation {

class EvaluationRepository {
 public:
  virtual ~EvaluationRepository() = default;

  // The systems whose region lies within one of the `scope` subtrees or above one of them
  // ({""} = all), by region code then id.
  virtual Result<std::vector<System>> ListSystems(const std::vector<std::string>& scope) = 0;
  // A system whatever its region (the service checks who may see it).
  virtual Result<std::optional<System>> FindSystem(int64_t id) = 0;
  // Inserts (id 0) or replaces the draft and description of a system stored at
  // `system.version` (kConflict naming the current version otherwise; kNotFound when it does
  // not exist). Returns it as stored. Audited ("create" / "update").
  virtual Result<System> SaveSystem(const System& system, const audit::Actor& actor) = 0;
  // Freezes `content` (the system's draft, validated by the caller) as the next version of a
  // system stored at `expected_version` (kConflict otherwise). Audited ("publish").
  virtual Result<SystemVersion> PublishSystem(int64_t id, int64_t expected_version,
                                              const SystemContent& content, const std::string& note,
                                              const audit::Actor& actor) = 0;
  // Published versions, oldest first.
  virtual Result<std::vector<SystemVersion>> ListVersions(int64_t id) = 0;
  virtual Result<std::optional<SystemVersion>> FindVersion(int64_t id, int version) = 0;

  // Judgments of a version (all nodes when `node_key` is empty), by node key then expert id.
  virtual Result<std::vector<Judgment>> ListJudgments(int64_t id, int version,
                                                      const std::string& node_key) = 0;
  // Inserts or replaces the expert's judgment of the node. Audited ("judge").
  virtual Result<Judgment> SaveJudgment(const Judgment& judgment, const audit::Actor& actor) = 0;
  // kNotFound when there is none. Audited ("delete").
  virtual Status DeleteJudgment(int64_t id, int version, const std::string& node_key,
                                int64_t expert_id, const audit::Actor& actor) = 0;

  // Inserts a run (id 0) as version 1 with its snapshot, results and findings. Audited
  // ("create").
  virtual Result<Run> CreateRun(const Run& run, const audit::Actor& actor) = 0;
  virtual Result<std::optional<Run>> FindRun(int64_t id) = 0;
  // Runs whose region lies within or above the scope, of one system (0 = any), newest first.
  virtual Result<std::vector<Run>> ListRuns(const std::vector<std::string>& scope,
                                            int64_t system_id) = 0;
  // Replaces a run's findings, status and publication fields from `run.version` (kConflict
  // otherwise); the snapshot and results never change. Audited with `action`.
  virtual Result<Run> UpdateRun(const Run& run, const std::string& action,
                                const audit::Actor& actor) = 0;

  // Questionnaires whose region lies within or above the scope, of one system (0 = any), by id,
  // each with its count of responses.
  virtual Result<std::vector<Questionnaire>> ListQuestionnaires(
      const std::vector<std::string>& scope, int64_t system_id) = 0;
  virtual Result<std::optional<Questionnaire>> FindQuestionnaire(int64_t id) = 0;
  // Inserts (id 0) or replaces a questionnaire stored at `q.version` (kConflict otherwise;
  // kNotFound when it does not exist); `grades` are the system version's, kept with it.
  // Audited ("create" / "update").
  virtual Result<Questionnaire> SaveQuestionnaire(const Questionnaire& q,
                                                  const std::vector<GradeInput>& grades,
                                                  const audit::Actor& actor) = 0;
  // Responses of a questionnaire whose region lies within one of `regions` ({""} = all), by id.
  virtual Result<std::vector<Response>> ListResponses(int64_t questionnaire_id,
                                                      const std::vector<std::string>& regions) = 0;
  struct SavedResponses {
    int inserted = 0;
    int updated = 0;           // same questionnaire and external id as a stored response
    std::vector<int64_t> ids;  // in the order given
  };
  // Stores the responses in one transaction (all or none): a response whose external id is
  // already stored for the questionnaire replaces that one. Audited per response ("create" /
  // "update").
  virtual Result<SavedResponses> SaveResponses(int64_t questionnaire_id,
                                               const std::vector<Response>& responses,
                                               const audit::Actor& actor) = 0;
  // kNotFound when there is none. Audited ("delete").
  virtual Status DeleteResponse(int64_t questionnaire_id, int64_t id,
                                const audit::Actor& actor) = 0;

  // Rectification tasks (整改). Inserts a task as version 1 with its first update. Audited
  // ("create").
  virtual Result<RectificationTask> CreateTask(const RectificationTask& task,
                                               const TaskUpdate& first,
                                               const audit::Actor& actor) = 0;
  // A task with its updates.
  virtual Result<std::optional<RectificationTask>> FindTask(int64_t id) = 0;
  struct TaskFilter {
    // Tasks whose region or whose run's region lies within one of these ({""} = all).
    std::vector<std::string> scope;
    int64_t run_id = 0;     // 0 = any
    int64_t system_id = 0;  // 0 = any
    std::optional<TaskStatus> status;
  };
  // Matching tasks with their updates, by deadline then id.
  virtual Result<std::vector<RectificationTask>> ListTasks(const TaskFilter& filter) = 0;
  // Replaces the task's title, unit, person, deadline, status and dates from `task.version`
  // (kConflict otherwise), appending `update` when given. Audited with `action`.
  virtual Result<RectificationTask> UpdateTask(const RectificationTask& task,
                                               const std::optional<TaskUpdate>& update,
                                               const std::string& action,
                                               const audit::Actor& actor) = 0;
};

}  // namespace fupin::evaluation
