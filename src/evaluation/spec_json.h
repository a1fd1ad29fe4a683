// JSON of the evaluation spec and of its results (the file format of `fupin evaluate`,
// docs/evaluation.md; reused by the evaluation API).
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "evaluation/engine.h"
#include "evaluation/spec.h"

namespace fupin::evaluation {

// The names files and the API use for the methods' choices ("eigen", "saaty1980", "aij",
// "weighted-average", … — the methods library's *Name functions); nullopt for an unknown name.
std::optional<methods::AhpWeightMethod> WeightMethodNamed(std::string_view name);
std::optional<methods::RandomIndexTable> RiTableNamed(std::string_view name);
std::optional<methods::GroupAggregation> AggregationNamed(std::string_view name);
std::optional<methods::FuzzyOperator> OperatorNamed(std::string_view name);

// Parses a spec. Errors are kInvalidArgument whose details name the JSON path of each problem
// ("root.children[1].weights.ahp[0][0][2]") and the reason; every problem found is reported.
Result<Spec> ParseSpec(const nlohmann::json& doc);

// Pieces shared with the indicator systems' JSON (system_json.h). Parse functions append their
// problems, with JSON paths under `path`, to `details`.
std::vector<GradeInput> ParseGrades(const nlohmann::json& j, const std::string& path,
                                    std::vector<ErrorDetail>& details);
// A scoring rule {"rule": "linear"|"threshold"|"banded", …}; band grades are names of `grades`.
std::optional<ScoringRule> ParseScoringRule(const nlohmann::json& j,
                                            const std::vector<GradeInput>& grades,
                                            const std::string& path,
                                            std::vector<ErrorDetail>& details);
// A square judgment matrix: rows of numbers, fraction strings ("1/3") or null (missing → NaN).
std::optional<Matrix> ParseJudgmentMatrix(const nlohmann::json& j, const std::string& path,
                                          std::vector<ErrorDetail>& details);
nlohmann::ordered_json JudgmentMatrixJson(const Matrix& m);  // NaN → null
nlohmann::ordered_json GradesJson(const std::vector<GradeInput>& grades);
nlohmann::ordered_json ScoringRuleJson(const ScoringRule& rule,
                                       const std::vector<GradeInput>& grades);

struct SensitivityReport {
  SensitivityOptions options;
  std::vector<ObjectSensitivity> objects;
};

// The result of a single-object evaluation: grades, operator, the overall result, every node
// (nested like the input, with its weight, global weight, b, score, grade, maximum-membership
// grade and, for AHP-weighted nodes, each expert's CR), the weakest indicators, the sensitivity
// when it was run, and the conventions used.
nlohmann::ordered_json ResultJson(const Spec& spec, const Prepared& prepared,
                                  const Outcome& outcome,
                                  const std::optional<SensitivityReport>& sensitivity);

}  // namespace fupin::evaluation
