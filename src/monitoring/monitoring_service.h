// The use cases of relapse-prevention monitoring, for a caller in their scope: thresholds and
// rule options, reported risk events, detection runs, the case workflow (verify → review →
// decide or dismiss → measures → risk elimination) and the public notice list.
//
// Every method takes the caller and the scope of the permission its route needs (docs/
// access.md): a household or case outside it is "not found", and the attempt is audited as
// with the registry. Business dates come from the Clock in China Standard Time.
// Thread-safety: as thread-safe as the repositories it uses (the SQL ones are).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "audit/audit_repository.h"
#include "base/error.h"
#include "base/time.h"
#include "monitoring/monitoring_repository.h"
#include "regions/region_repository.h"
#include "registry/registry_repository.h"

namespace fupin::monitoring {

// Who acts, and the region subtrees where the route's permission holds ({""} = everywhere).
struct Caller {
  audit::Actor actor;
  std::vector<std::string> scope;
};

struct DetectionReport {
  std::string region;
  std::optional<int> year;
  Date today;
  int64_t households = 0;    // in the region
  int64_t watched = 0;       // of those, the ones detection looks at
  std::vector<Alert> found;  // everything that fired, recorded before or not
  RecordedAlerts recorded;
};

// What the public notice lists: decisions to monitor in a region, optionally by decision date.
struct NoticeQuery {
  std::string within;  // a region subtree ("" = the caller's scope)
  std::optional<Date> from;
  std::optional<Date> to;
};

struct NoticeColumn {
  std::string_view zh;
  std::string_view en;
};

class MonitoringService {
 public:
  MonitoringService(MonitoringRepository& monitoring, registry::RegistryRepository& registry,
                    audit::AuditRepository& audit, regions::RegionRepository& regions,
                    const Clock& clock)
      : monitoring_(monitoring),
        registry_(registry),
        audit_(audit),
        regions_(regions),
        clock_(clock) {}

  Date Today() const { return ChinaDate(clock_.Now()); }

  // --- thresholds and options (monitoring.configure to change) ---
  Result<std::vector<Threshold>> Thresholds() { return monitoring_.ListThresholds(); }
  Result<std::vector<RuleOptions>> StoredOptions() { return monitoring_.ListOptions(); }
  // Sets a province's threshold for a year ("" = the national guidance, which needs a scope of
  // everywhere). The caller's scope must lie in the province or cover it (kPermissionDenied).
  Result<Threshold> SetThreshold(Threshold threshold, const Caller& caller);
  // Sets a province's options (same rule); kInvalidArgument naming each bad field.
  Result<RuleOptions> SetOptions(RuleOptions options, const Caller& caller);

  // --- households and risk events ---
  // The household, if in the caller's scope (kNotFound otherwise, and the attempt audited).
  Result<registry::HouseholdRecord> Household(int64_t household_id, const Caller& caller);
  // Reports a risk event on a household in the caller's scope (monitoring.write). The event's
  // household, region, reporter and timestamps are set here.
  Result<RiskEvent> ReportRiskEvent(int64_t household_id, RiskEvent event, const Caller& caller);
  Result<std::vector<RiskEvent>> RiskEventsOf(int64_t household_id, const Caller& caller);

  // --- detection (monitoring.detect) ---
  // Runs every rule over the watched households of `region` (within the caller's scope) and
  // records new alerts; an alert already recorded for the same household, rule and period is
  // not recorded again. kInvalidArgument for a missing or unknown region; kPermissionDenied
  // for a region outside the scope.
  Result<DetectionReport> RunDetection(const std::string& region, std::optional<int> year,
                                       const Caller& caller);

  // --- cases ---
  Result<CasePage> ListCases(CaseQuery query, const Caller& caller);
  // A case in full; kNotFound outside the caller's scope (attempt audited).
  Result<Case> GetCase(int64_t id, const Caller& caller);
  // 村级核实 (monitoring.verify): whether the situation is confirmed, and a note (required).
  Result<Case> Verify(int64_t id, std::optional<bool> confirmed, std::string note,
                      const Caller& caller);
  // 乡镇审核 (monitoring.review): a note (required) and an optional recommendation (a
  // category or "dismiss").
  Result<Case> Review(int64_t id, std::string recommendation, std::string note,
                      const Caller& caller);
  // 县级审定 (monitoring.decide): monitored as `category`. unstable_lifted needs a household
  // that was lifted out, marginal one that was not. Appends the status event "monitored".
  Result<Case> Decide(int64_t id, std::string category, std::string note, const Caller& caller);
  // 县级审定 not to monitor, with the reason (required).
  Result<Case> Dismiss(int64_t id, std::string reason, const Caller& caller);
  // 帮扶措施 on a monitored case (monitoring.write).
  Result<Measure> AssignMeasure(int64_t id, Measure measure, const Caller& caller);
  // 风险消除 (monitoring.decide): only when, as of today, (1) at least minimum_months have
  // passed since the decision to monitor, (2) the assessed per-capita net income of this year
  // and every recorded year since monitoring began are above the threshold, and (3) every item
  // of 两不愁三保障 and safe water is recorded as met. Otherwise kFailedPrecondition with one
  // detail per unmet condition. Appends the status event "risk_eliminated".
  Result<Case> EliminateRisk(int64_t id, std::optional<int64_t> assessed_per_capita_fen,
                             std::string note, const Caller& caller);

  // --- public notice (公示) ---
  // One row per household decided monitored (also those whose risk was eliminated since):
  // household number, head's name, township, village, category, date monitored, date risk
  // eliminated. Never ID numbers, phones, bank accounts or health.
  static std::vector<NoticeColumn> NoticeColumns();
  Status Notice(const NoticeQuery& query, const Caller& caller,
                const std::function<Status(const std::vector<std::string>&)>& row);

 private:
  // Finds a case in scope for a step; kNotFound (audited) outside it.
  Result<Case> FindForStep(int64_t id, const Caller& caller, std::string_view what);
  void RecordDenied(std::string_view entity, int64_t id, const std::optional<std::string>& region,
                    const Caller& caller, std::string_view what);
  Status CheckProvince(const std::string& province, const Caller& caller);
  Result<Case> Apply(Transition t, const Caller& caller);

  MonitoringRepository& monitoring_;
  registry::RegistryRepository& registry_;
  audit::AuditRepository& audit_;
  regions::RegionRepository& regions_;
  const Clock& clock_;
};

}  // namespace fupin::monitoring
