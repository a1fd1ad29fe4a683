// The demo's workshops (扶贫车间) in the demo county: operators created (local enterprises,
// cooperatives as the auxiliary, and the demo enterprise user's company), 62 synthetic
// workshops placed in its villages (workshops/synthetic_workshops.h), employing the county's
// registered members of working age, with their monthly reports from 2018 on. Same regions,
// registry and day → the same workshops.
#pragma once

#include <vector>

#include "access/access_repository.h"
#include "base/error.h"
#include "base/time.h"
#include "regions/boundary.h"
#include "regions/region.h"
#include "registry/registry_repository.h"
#include "workshops/workshop_repository.h"

namespace fupin::app {

struct DemoWorkshopCounts {
  int64_t workshops = 0;
  int64_t employments = 0;
  int64_t reports = 0;
  int64_t idle = 0;
};

Result<DemoWorkshopCounts> GenerateDemoWorkshops(workshops::WorkshopRepository& workshops,
                                                 access::AccessRepository& access,
                                                 registry::RegistryRepository& registry,
                                                 const std::vector<regions::Region>& generated,
                                                 const std::vector<regions::Boundary>& boundaries,
                                                 int64_t demo_enterprise, uint64_t seed,
                                                 const Date& today);

}  // namespace fupin::app
