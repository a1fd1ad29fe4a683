// Routes of relapse-prevention monitoring (防返贫监测): thresholds and rule options, risk
// events on households, detection runs, the case workflow and the public notice. See
// docs/monitoring.md and docs/api.md.
#pragma once

#include "http/router.h"
#include "monitoring/monitoring_service.h"

namespace fupin::http {

void AddMonitoringRoutes(Router& router, monitoring::MonitoringService& service);

}  // namespace fupin::http
