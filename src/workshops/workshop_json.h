// The JSON of the workshops' computed figures, one shape for the API and `fupin workshops
// --json`: a region's month, a resumption point, and a region's alerts. Its own library
// (fupin_workshops_json), so that the domain module itself stays free of JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "workshops/analysis.h"
#include "workshops/workshop_service.h"

namespace fupin::workshops {

nlohmann::json ResumptionJson(const Resumption& r);
nlohmann::json FiguresJson(const RegionFigures& figures);
// A region's alerts: each with its rule, workshop (id and name), member id for worker rules
// (never an ID number or a name), month, values, thresholds, and the message in English and
// Chinese (message_zh, from base/chinese.h; the English when the catalogue lacks it); with
// the options used and the count per rule.
nlohmann::json AlertsJson(const RegionAlerts& alerts);

}  // namespace fupin::workshops
