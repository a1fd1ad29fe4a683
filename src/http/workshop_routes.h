// The routes of the workshops (扶贫车间): the list, a region's figures for a month, the daily
// resumption curve and their spreadsheets (workshops.read, within the caller's regions); a
// workshop's page with its workers and reports (also for its operator's users); registering
// and editing workshops (workshops.write); status changes, hiring and monthly reports
// (workshops.report, also by the operator); a workshop's own indicator values.
#pragma once

#include "access/access_repository.h"
#include "base/time.h"
#include "http/router.h"
#include "indicators/indicator.h"
#include "workshops/workshop_service.h"

namespace fupin::http {

// `clock` dates the default month (the last full one, China time). `catalogue` holds the
// workshop indicators (RegisterWorkshopIndicators) and must outlive the router.
void AddWorkshopRoutes(Router& router, workshops::WorkshopService& service,
                       workshops::WorkshopRepository& repository,
                       access::AccessRepository& organizations,
                       const indicators::Catalogue& catalogue, const Clock& clock);

}  // namespace fupin::http
