// Internal to storage/: ProjectRepository over SQL, shared by both backends.
#pragma once

#include "projects/project_repository.h"
#include "storage/sql.h"

namespace fupin::storage {

class SqlProjectRepository final : public projects::ProjectRepository {
 public:
  explicit SqlProjectRepository(ConnectionPool& pool) : pool_(pool) {}

  Result<projects::ProjectPage> ListProjects(const projects::ProjectQuery& query) override;
  Result<std::optional<projects::Project>> FindProject(
      int64_t id, const std::vector<std::string>& scope) override;
  Result<std::optional<projects::ProjectDetail>> FindDetail(
      int64_t id, const std::vector<std::string>& scope) override;
  Result<std::optional<std::string>> ProjectRegion(int64_t id) override;
  Result<std::vector<projects::ProjectVersion>> Versions(int64_t id) override;
  Result<projects::Project> Write(const projects::ProjectWrite& write,
                                  const audit::Actor& actor) override;
  Result<projects::MilestoneActual> RecordMilestone(int64_t project_id,
                                                    const projects::MilestoneActual& m,
                                                    const audit::Actor& actor) override;
  Result<projects::TargetActual> RecordTarget(int64_t project_id, const projects::TargetActual& t,
                                              const audit::Actor& actor) override;
  Result<projects::ProgressReport> AddReport(const projects::ProgressReport& report,
                                             const audit::Actor& actor) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace fupin::storage
