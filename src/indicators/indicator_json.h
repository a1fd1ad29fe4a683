// The JSON of catalogue indicators, shared by the API and the command line: an indicator as
// they show it, and a declaration as they read it (POST/PUT /api/v1/indicators, `fupin
// catalogue declare`).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "base/error.h"
#include "indicators/indicator.h"
#include "indicators/indicator_repository.h"

namespace fupin::indicators {

// An indicator (code, names, unit with its labels, direction, source, aggregation,
// definitions, module, formula, weight, `declared`), with its stored record when it is
// declared (version, who declared and changed it, when).
nlohmann::json IndicatorJson(const Indicator& indicator,
                             const std::optional<Declaration>& declaration = {});

// A declaration {code, zh, en, unit, direction, source, aggregation, formula: {numerator,
// denominator, factor}, weight, definition_zh, definition_en, version}: the indicator (module
// "declared"; the aggregation follows from the source unless given) and the version given (0
// when none). `code` is the code an update is for ("" for a new declaration: the body's is
// required then; on an update a different one is refused); an update requires `version`.
// kInvalidArgument naming every field that is missing or of the wrong type; the rules of
// the catalogue are checked later (IndicatorService).
Result<std::pair<Indicator, int64_t>> ParseDeclaration(const nlohmann::json& body,
                                                       const std::string& code = "");

}  // namespace fupin::indicators
