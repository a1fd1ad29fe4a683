// Read-only routes of the workshops (扶贫车间) so far: the list of a region's workshops, its
// figures for a month, and the daily resumption curve — within the caller's workshops.read
// regions. Writing (workshops, employments, reports, subsidy rules) comes with the web pages.
#pragma once

#include "base/time.h"
#include "http/router.h"
#include "workshops/workshop_service.h"

namespace fupin::http {

// `clock` dates the default month (the last full one, China time).
void AddWorkshopRoutes(Router& router, workshops::WorkshopService& service,
                       workshops::WorkshopRepository& repository, const Clock& clock);

}  // namespace fupin::http
