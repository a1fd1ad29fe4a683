// The demo's workshop subsidies (扶贫车间补贴): Gansu's 2020 labour subsidy (5,000 yuan per local
// worker employed more than half a year) stored as a rule of the demo province, evaluated for
// the demo county over 2020, reviewed (one line rejected, the other qualifying lines approved)
// and partly paid in 2021 — some lines in full, one in part, the rest still to pay.
#pragma once

#include <vector>

#include "base/error.h"
#include "regions/region.h"
#include "workshops/subsidy_service.h"

namespace fupin::app {

struct DemoSubsidyCounts {
  int64_t lines = 0;
  int64_t approved = 0;
  int64_t payments = 0;
  int64_t paid_fen = 0;
};

Result<DemoSubsidyCounts> GenerateDemoSubsidies(workshops::SubsidyService& subsidies,
                                                const std::vector<regions::Region>& generated);

}  // namespace fupin::app
