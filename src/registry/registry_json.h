// JSON of households: the shapes of the API (GET /api/v1/households, /households/{id}) and of
// `fupin household … --json`. Every sensitive field passed through here is already masked by
// the service (RegistryService) unless the caller revealed it.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "registry/registry_service.h"

namespace fupin::registry {

// One household with its members, incomes (with per-capita net income), guarantees, measures,
// helpers, status history and membership events, and whether the viewer may reveal.
nlohmann::json HouseholdViewJson(const HouseholdView& view);
// A row of the household list.
nlohmann::json HouseholdSummaryJson(const HouseholdSummary& summary);

}  // namespace fupin::registry
