// Test helpers: loading the JSON test vectors under testdata/ (input → expected output).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "methods/common.h"

namespace fupin::methods::testing {

// Parses testdata/<name>; aborts the test binary when missing or malformed.
nlohmann::json LoadTestData(const std::string& name);

// Row-major array of arrays → Matrix; JSON null → NaN (a missing judgment).
Matrix ToMatrix(const nlohmann::json& rows);
Vector ToVector(const nlohmann::json& values);
std::vector<double> ToStdVector(const nlohmann::json& values);

}  // namespace fupin::methods::testing
