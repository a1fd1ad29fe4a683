// The demo's funds (资金监管): four fund batches issued to the demo county (last year's and this
// year's central special funds, east–west collaboration funds, and a donation not yet
// allocated), allocated to the demo projects by purpose and paid from in step with their
// milestones — with the deviations the monitoring is there to catch: a project paid far ahead
// of its progress, split payments just under the approval threshold, a payment for a purpose
// not allocated, a payment before approval, funds idle for months, a completed project not
// accepted. Dated relative to `today` (China time), like the projects.
#pragma once

#include <cstdint>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "funds/fund_service.h"
#include "projects/project_service.h"
#include "regions/region.h"

namespace fupin::app {

struct DemoFundCounts {
  int64_t batches = 0;
  int64_t allocations = 0;
  int64_t payments = 0;
};

Result<DemoFundCounts> GenerateDemoFunds(funds::FundService& funds,
                                         projects::ProjectService& projects,
                                         const std::vector<regions::Region>& generated,
                                         const Date& today);

}  // namespace fupin::app
