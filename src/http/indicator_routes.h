// Routes of the indicators module: the catalogue (with the indicators users declare), the
// entered statistics and the values per region and period. See
// docs/api.md and docs/indicators.md.
#pragma once

#include <nlohmann/json.hpp>

#include "base/time.h"
#include "http/router.h"
#include "indicators/indicator_service.h"

namespace fupin::http {

// `clock` dates the default period (as of today, China time) when a request names none.
void AddIndicatorRoutes(Router& router, indicators::IndicatorService& service, const Clock& clock);

}  // namespace fupin::http
