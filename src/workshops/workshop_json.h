// The JSON of the workshops' computed figures, one shape for the API and `fupin workshops
// --json`: a region's month, and a resumption point. Its own library (fupin_workshops_json), so
// that the domain module itself stays free of JSON.
#pragma once

#include <nlohmann/json.hpp>

#include "workshops/analysis.h"
#include "workshops/workshop_service.h"

namespace fupin::workshops {

nlohmann::json ResumptionJson(const Resumption& r);
nlohmann::json FiguresJson(const RegionFigures& figures);

}  // namespace fupin::workshops
