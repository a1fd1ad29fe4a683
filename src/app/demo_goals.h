// The demo's goals (目标管理) for the demo county and one of its villages, with baselines read
// from the demo's own indicator values: poverty incidence under the exit standard by the end of
// 2020, per-capita net income doubled, safe housing for every household, workshops resumed
// after the 2020 shock, a village's poor people to zero and monitored people halved — so the
// board shows goals achieved, on track and behind.
#pragma once

#include <vector>

#include "base/error.h"
#include "goals/goal_service.h"
#include "regions/region.h"

namespace fupin::app {

// Returns the number of goals stored (fewer when an indicator has no baseline value).
Result<int> GenerateDemoGoals(goals::GoalService& goals, indicators::IndicatorService& indicators,
                              const std::vector<regions::Region>& generated);

}  // namespace fupin::app
