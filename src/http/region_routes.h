// Routes of the regions module under /api/v1/regions.
#pragma once

#include "http/router.h"
#include "regions/region_service.h"

namespace fupin::http {

void AddRegionRoutes(Router& router, regions::RegionService& service);

}  // namespace fupin::http
