// The demo's monitoring cases: risk events reported and detection run in three villages of
// the first township at dates relative to `today`, and the cases walked through the workflow
// as the demo's village, township and county users would have — so that the board shows cases
// at every stage, some of them overdue, one with its risk eliminated. Same regions, registry
// and day → the same cases.
#pragma once

#include <vector>

#include "audit/audit_repository.h"
#include "base/error.h"
#include "base/time.h"
#include "monitoring/monitoring_repository.h"
#include "regions/region.h"
#include "regions/region_repository.h"
#include "registry/registry_repository.h"

namespace fupin::app {

struct DemoMonitoringCounts {
  int64_t cases = 0;
  int64_t overdue = 0;
};

Result<DemoMonitoringCounts> GenerateDemoMonitoring(monitoring::MonitoringRepository& monitoring,
                                                    registry::RegistryRepository& registry,
                                                    audit::AuditRepository& audit,
                                                    regions::RegionRepository& regions,
                                                    const std::vector<regions::Region>& generated,
                                                    const Date& today);

}  // namespace fupin::app
