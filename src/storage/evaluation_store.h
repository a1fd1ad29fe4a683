// Internal to storage/: EvaluationRepository over SQL, shared by both backends.
#pragma once

#include "evaluation/repository.h"
#include "storage/sql.h"

namespace fupin::storage {

class SqlEvaluationRepository final : public evaluation::EvaluationRepository {
 public:
  explicit SqlEvaluationRepository(ConnectionPool& pool) : pool_(pool) {}

  Result<std::vector<evaluation::System>> ListSystems(
      const std::vector<std::string>& scope) override;
  Result<std::optional<evaluation::System>> FindSystem(int64_t id) override;
  Result<evaluation::System> SaveSystem(const evaluation::System& system,
                                        const audit::Actor& actor) override;
  Result<evaluation::SystemVersion> PublishSystem(int64_t id, int64_t expected_version,
                                                  const evaluation::SystemContent& content,
                                                  const std::string& note,
                                                  const audit::Actor& actor) override;
  Result<std::vector<evaluation::SystemVersion>> ListVersions(int64_t id) override;
  Result<std::optional<evaluation::SystemVersion>> FindVersion(int64_t id, int version) override;
  Result<std::vector<evaluation::Judgment>> ListJudgments(int64_t id, int version,
                                                          const std::string& node_key) override;
  Result<evaluation::Judgment> SaveJudgment(const evaluation::Judgment& judgment,
                                            const audit::Actor& actor) override;
  Status DeleteJudgment(int64_t id, int version, const std::string& node_key, int64_t expert_id,
                        const audit::Actor& actor) override;
  Result<evaluation::Run> CreateRun(const evaluation::Run& run, const audit::Actor& actor) override;
  Result<std::optional<evaluation::Run>> FindRun(int64_t id) override;
  Result<std::vector<evaluation::Run>> ListRuns(const std::vector<std::string>& scope,
                                                int64_t system_id) override;
  Result<evaluation::Run> UpdateRun(const evaluation::Run& run, const std::string& action,
                                    const audit::Actor& actor) override;

  // Surveys (storage/survey_store.cc).
  Result<std::vector<evaluation::Questionnaire>> ListQuestionnaires(
      const std::vector<std::string>& scope, int64_t system_id) override;
  Result<std::optional<evaluation::Questionnaire>> FindQuestionnaire(int64_t id) override;
  Result<evaluation::Questionnaire> SaveQuestionnaire(
      const evaluation::Questionnaire& q, const std::vector<evaluation::GradeInput>& grades,
      const audit::Actor& actor) override;
  Result<std::vector<evaluation::Response>> ListResponses(
      int64_t questionnaire_id, const std::vector<std::string>& regions) override;
  Result<SavedResponses> SaveResponses(int64_t questionnaire_id,
                                       const std::vector<evaluation::Response>& responses,
                                       const audit::Actor& actor) override;
  Status DeleteResponse(int64_t questionnaire_id, int64_t id, const audit::Actor& actor) override;

  // Rectification (storage/rectification_store.cc).
  Result<evaluation::RectificationTask> CreateTask(const evaluation::RectificationTask& task,
                                                   const evaluation::TaskUpdate& first,
                                                   const audit::Actor& actor) override;
  Result<std::optional<evaluation::RectificationTask>> FindTask(int64_t id) override;
  Result<std::vector<evaluation::RectificationTask>> ListTasks(const TaskFilter& filter) override;
  Result<evaluation::RectificationTask> UpdateTask(
      const evaluation::RectificationTask& task,
      const std::optional<evaluation::TaskUpdate>& update, const std::string& action,
      const audit::Actor& actor) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace fupin::storage
