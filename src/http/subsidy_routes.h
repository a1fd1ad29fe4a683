// Routes of the workshop subsidies (扶贫车间补贴): subsidy rules (list, templates, create, edit —
// each edit a new version), eligibility runs (run, read, export as XLSX or CSV, review their
// lines), payments, and the ledger with its totals (exportable too). Each use case needs its
// own permission (subsidies.read / configure / review / pay) and works within the regions
// where the caller holds it.
#pragma once

#include "http/router.h"
#include "workshops/subsidy_service.h"

namespace fupin::http {

void AddSubsidyRoutes(Router& router, workshops::SubsidyService& service);

}  // namespace fupin::http
