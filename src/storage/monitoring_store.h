// Internal to storage/: MonitoringRepository over SQL, shared by both backends.
#pragma once

#include <string>

#include "monitoring/monitoring_repository.h"
#include "storage/sql.h"

namespace fupin::storage {

class SqlMonitoringRepository final : public monitoring::MonitoringRepository {
 public:
  // `hmac_key` keys the HMACs that stand for sensitive values (a risk event's note may speak
  // of an illness) in the audit log.
  SqlMonitoringRepository(ConnectionPool& pool, std::string hmac_key)
      : pool_(pool), hmac_key_(std::move(hmac_key)) {}

  Result<std::vector<monitoring::Threshold>> ListThresholds() override;
  Result<monitoring::Threshold> SaveThreshold(const monitoring::Threshold& threshold,
                                              const audit::Actor& actor) override;
  Result<std::vector<monitoring::RuleOptions>> ListOptions() override;
  Result<monitoring::RuleOptions> SaveOptions(const monitoring::RuleOptions& options,
                                              const audit::Actor& actor) override;
  Result<monitoring::RiskEvent> AddRiskEvent(const monitoring::RiskEvent& event,
                                             const audit::Actor& actor) override;
  Result<std::vector<monitoring::RiskEvent>> ListRiskEvents(
      const monitoring::RiskEventQuery& query) override;
  Result<monitoring::RecordedAlerts> RecordAlerts(std::span<const monitoring::NewAlert> alerts,
                                                  const audit::Actor& actor,
                                                  std::string_view region_code,
                                                  std::string_view note) override;
  Result<monitoring::CasePage> ListCases(const monitoring::CaseQuery& query) override;
  Result<std::optional<monitoring::Case>> FindCase(int64_t id,
                                                   const std::vector<std::string>& scope) override;
  Result<std::optional<std::string>> CaseRegion(int64_t id) override;
  Result<monitoring::Case> ApplyTransition(const monitoring::Transition& transition,
                                           const audit::Actor& actor) override;
  Result<monitoring::Measure> AddMeasure(const monitoring::Measure& measure, const Date& on,
                                         const audit::Actor& actor) override;

 private:
  ConnectionPool& pool_;
  const std::string hmac_key_;
};

}  // namespace fupin::storage
