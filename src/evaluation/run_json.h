// JSON of evaluation runs: the snapshot and results as stored (read back exactly: doubles are
// written with round-trip precision), and the API's view of a run.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "evaluation/run.h"

namespace fupin::evaluation {

nlohmann::ordered_json SnapshotJson(const RunSnapshot& snapshot);
Result<RunSnapshot> ParseSnapshot(const nlohmann::json& j);

nlohmann::ordered_json ResultsJson(const RunResults& results);
Result<RunResults> ParseResults(const nlohmann::json& j);

nlohmann::ordered_json FindingsJson(const std::vector<Finding>& findings);
// Problems name "findings[i].field".
Result<std::vector<Finding>> ParseFindings(const nlohmann::json& j);

// A run for readers: meta, the snapshot's tree and objects with their inputs, and per object
// every node's membership, score and grades (by name), the ranking, the weakest indicators,
// the sensitivity, the DEA and the findings. `detail` false: meta and overall results only (lists).
nlohmann::ordered_json RunJson(const Run& run, bool detail);

// The run's fund-efficiency DEA for readers (null when it has none): the model, the columns,
// and per object its values, efficiency, class, rank, slacks, targets, peers (code, name, λ)
// and scale efficiency.
nlohmann::ordered_json DeaJson(const Run& run);

nlohmann::ordered_json ComparisonJson(const RunComparison& c);

}  // namespace fupin::evaluation
