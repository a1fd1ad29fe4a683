// Internal to storage/: GoalRepository over SQL, shared by both backends.
#pragma once

#include "goals/goal_repository.h"
#include "storage/sql.h"

namespace fupin::storage {

class SqlGoalRepository final : public goals::GoalRepository {
 public:
  explicit SqlGoalRepository(ConnectionPool& pool) : pool_(pool) {}

  Result<std::vector<goals::Goal>> ListGoals(const goals::GoalQuery& query) override;
  Result<std::optional<goals::Goal>> FindGoal(int64_t id,
                                              const std::vector<std::string>& scope) override;
  Result<goals::Goal> SaveGoal(const goals::Goal& goal, const audit::Actor& actor) override;
  Status DeleteGoal(int64_t id, int64_t version, const audit::Actor& actor) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace fupin::storage
