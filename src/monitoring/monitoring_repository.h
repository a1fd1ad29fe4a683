// The storage interface of monitoring, in domain types. Implemented once over SQL in
// storage/monitoring_store for SQLite and PostgreSQL; checked by the storage contract tests on
// both.
//
// Reads of region-bound records (risk events, cases) take the caller's scope (region subtrees,
// {""} = everywhere) and apply it in the query: a record outside it is not found. Every write
// records its audit entry in the same transaction. A transition that decides a household is
// monitored, or that its risk is eliminated, appends that status event to the household's
// registry history in the same transaction too (the history is only ever appended to).
// Implementations are thread-safe: each call takes its own connection from the pool.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "base/time.h"
#include "monitoring/model.h"
#include "registry/model.h"

namespace fupin::monitoring {

struct RiskEventQuery {
  std::vector<std::string> scope;
  int64_t household_id = 0;   // 0 = any household
  std::string within;         // a region subtree ("" = the whole scope)
  std::optional<Date> since;  // events on or after this day
};

// An alert found by detection, with the dates a case opened for it would get.
struct NewAlert {
  Alert alert;
  Date verify_due;
  Date review_due;
  Date decide_due;
};

struct RecordedAlerts {
  std::vector<Alert> created;  // with their ids and cases
  int64_t already_recorded = 0;
  int64_t cases_opened = 0;
  int64_t added_to_open_cases = 0;
};

struct CaseQuery {
  std::vector<std::string> scope;
  std::string within;         // a region subtree
  std::string stage;          // Stages() code, "open" (the pending stages) or "" = any
  bool overdue_only = false;  // pending and past the current step's due date
  int64_t household_id = 0;   // 0 = any
  std::string category;       // "" = any
  Date today;                 // for "overdue"
  int64_t offset = 0;
  int64_t limit = 50;
};

struct CasePage {
  std::vector<Case> items;  // overdue first (most days over first), then by due date, then id
  int64_t total = 0;
  // Within the scope, region and household filters (not the stage and overdue ones): the
  // number of cases per stage, and of overdue ones.
  std::map<std::string, int64_t> stage_counts;
  int64_t overdue = 0;
};

// A step of the workflow applied to one case: the store checks that the case is still at
// `from_stage` (kFailedPrecondition naming its current stage otherwise).
struct Transition {
  int64_t case_id = 0;
  std::string from_stage;
  std::string to_stage;
  Step step;  // action, on, note, detail (actor filled from the audit actor)
  // Fields of the case set by this step (left alone when empty / nullopt).
  std::optional<bool> village_confirmed;
  std::string recommendation;
  std::string category;
  std::string dismiss_reason;
  // The status event to append to the household's history, if any.
  std::optional<registry::StatusEvent> status_event;
};

class MonitoringRepository {
 public:
  virtual ~MonitoringRepository() = default;

  // Thresholds and rule options (reference data, not region-scoped for reading).
  virtual Result<std::vector<Threshold>> ListThresholds() = 0;
  // Inserts or replaces the threshold of (province, year). Audited.
  virtual Result<Threshold> SaveThreshold(const Threshold& threshold,
                                          const audit::Actor& actor) = 0;
  virtual Result<std::vector<RuleOptions>> ListOptions() = 0;
  // Inserts or replaces the options of a province. `options.version` must be the stored
  // version (kConflict with the current one otherwise); 0 for a province without options yet.
  virtual Result<RuleOptions> SaveOptions(const RuleOptions& options,
                                          const audit::Actor& actor) = 0;

  // Risk events. `event` is validated by the caller; region_code is the household's.
  virtual Result<RiskEvent> AddRiskEvent(const RiskEvent& event, const audit::Actor& actor) = 0;
  virtual Result<std::vector<RiskEvent>> ListRiskEvents(const RiskEventQuery& query) = 0;

  // Records detection's alerts in one transaction: an alert whose (household, rule, period)
  // is already recorded — in any case, open or closed — is skipped; a new one joins its
  // household's open case, or opens a case with the alert's dates. One audit entry in
  // `region_code` with `note` and the counts.
  virtual Result<RecordedAlerts> RecordAlerts(std::span<const NewAlert> alerts,
                                              const audit::Actor& actor,
                                              std::string_view region_code,
                                              std::string_view note) = 0;

  virtual Result<CasePage> ListCases(const CaseQuery& query) = 0;
  // A case with its alerts, history and measures; nullopt when it does not exist or lies
  // outside `scope`.
  virtual Result<std::optional<Case>> FindCase(int64_t id,
                                               const std::vector<std::string>& scope) = 0;
  // The region of a case regardless of scope (to log an out-of-scope attempt); nullopt when
  // it does not exist.
  virtual Result<std::optional<std::string>> CaseRegion(int64_t id) = 0;
  // Applies a transition; returns the case as it is afterwards. Audited.
  virtual Result<Case> ApplyTransition(const Transition& transition, const audit::Actor& actor) = 0;
  // Adds a measure to a monitored case (kFailedPrecondition when the case is not monitored),
  // with a "measure" step. Audited.
  virtual Result<Measure> AddMeasure(const Measure& measure, const Date& on,
                                     const audit::Actor& actor) = 0;
};

}  // namespace fupin::monitoring
