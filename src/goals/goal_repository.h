// The storage interface of goals, in domain types. Implemented once over SQL in
// storage/goal_store for SQLite and PostgreSQL; checked by the storage contract tests on both.
// Reads take the caller's scope (region subtrees, {""} = everywhere) and apply it in the query:
// a goal outside it is not found. Every write records its audit entry in the same transaction.
// Implementations are thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "goals/goal.h"

namespace fupin::goals {

struct GoalQuery {
  std::vector<std::string> scope;
  std::string within;     // a region subtree ("" = the whole scope)
  std::string indicator;  // "" = any
};

class GoalRepository {
 public:
  virtual ~GoalRepository() = default;

  // Goals by region code, then deadline, then id.
  virtual Result<std::vector<Goal>> ListGoals(const GoalQuery& query) = 0;
  virtual Result<std::optional<Goal>> FindGoal(int64_t id,
                                               const std::vector<std::string>& scope) = 0;
  // Inserts (id 0, as version 1) or replaces a goal from its stored version (kConflict naming
  // the current one otherwise; kNotFound when it does not exist). Not validated here (the
  // service does). Returns it as stored. Audited as "create" / "update" with what changed.
  virtual Result<Goal> SaveGoal(const Goal& goal, const audit::Actor& actor) = 0;
  // Deletes a goal at `version` (kConflict otherwise). Audited as "delete".
  virtual Status DeleteGoal(int64_t id, int64_t version, const audit::Actor& actor) = 0;
};

}  // namespace fupin::goals
