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

// Requests, as the API's bodies and the command line's files give them. Each returns
// kInvalidArgument with every field of the wrong type ("members[2].in_school"); vocabulary
// fields take a code or a label, and values are checked by the service (ValidateRecord).
// PATCH /api/v1/households/{id}: the fields present are set (null clears a nullable one).
Result<HouseholdPatch> ParsePatch(const nlohmann::json& body);
// POST /api/v1/households/{id}/member-events.
Result<MemberEventRequest> ParseMemberEvent(const nlohmann::json& body);
// POST /api/v1/households: a whole household.
Result<HouseholdRecord> ParseRecord(const nlohmann::json& body);

}  // namespace fupin::registry
