// Routes of the regions module under /api/v1/regions.
#pragma once

#include "http/router.h"
#include "regions/boundary.h"
#include "regions/region_service.h"

namespace fupin::http {

// `boundaries` serves the map outlines of a region's children.
void AddRegionRoutes(Router& router, regions::RegionService& service,
                     regions::BoundaryRepository& boundaries);

}  // namespace fupin::http
