// Deterministic data sets for the method benchmarks (fixed seeds, so every run and the scipy
// peer see the same numbers).
#pragma once

#include <cstdint>
#include <vector>

#include "methods/common.h"

namespace fupin::bench {

// n DMUs with 3 inputs and 3 outputs from a Cobb–Douglas technology with a half-normal
// inefficiency term and per-output noise, roughly the spread of county statistics.
void GenerateDeaData(int n, methods::Matrix* inputs, methods::Matrix* outputs);

// respondents × questions grade codes 0..grades−1 (row-major), with a per-question skew and
// about 1% non-answers (−1).
std::vector<int8_t> GenerateResponses(int64_t respondents, int questions, int grades);

}  // namespace fupin::bench
