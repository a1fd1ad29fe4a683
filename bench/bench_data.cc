#include "bench/bench_data.h"

#include <cmath>
#include <random>

namespace fupin::bench {

void GenerateDeaData(int n, methods::Matrix* inputs, methods::Matrix* outputs) {
  std::mt19937_64 rng(20201231);
  std::uniform_real_distribution<double> input(10.0, 1000.0);
  std::normal_distribution<double> inefficiency(0.0, 0.3);
  std::uniform_real_distribution<double> noise(0.6, 1.4);
  inputs->resize(n, 3);
  outputs->resize(n, 3);
  for (int i = 0; i < n; ++i) {
    double frontier = 1.0;
    for (int j = 0; j < 3; ++j) {
      (*inputs)(i, j) = std::round(input(rng) * 100.0) / 100.0;
      frontier *= std::pow((*inputs)(i, j), 0.3);
    }
    const double efficiency = std::exp(-std::abs(inefficiency(rng)));
    for (int r = 0; r < 3; ++r) {
      (*outputs)(i, r) = std::round(frontier * efficiency * noise(rng) * 100.0) / 100.0;
    }
  }
}

std::vector<int8_t> GenerateResponses(int64_t respondents, int questions, int grades) {
  std::mt19937_64 rng(7);
  std::vector<std::discrete_distribution<int>> per_question;
  for (int q = 0; q < questions; ++q) {
    std::vector<double> p(static_cast<size_t>(grades));
    for (int g = 0; g < grades; ++g) p[static_cast<size_t>(g)] = 1.0 + ((q * 7 + g * 3) % 5);
    per_question.emplace_back(p.begin(), p.end());
  }
  std::uniform_int_distribution<int> skip(0, 99);
  std::vector<int8_t> codes(static_cast<size_t>(respondents) * static_cast<size_t>(questions));
  size_t k = 0;
  for (int64_t r = 0; r < respondents; ++r) {
    for (int q = 0; q < questions; ++q) {
      codes[k++] = skip(rng) == 0 ? int8_t{-1}
                                  : static_cast<int8_t>(per_question[static_cast<size_t>(q)](rng));
    }
  }
  return codes;
}

}  // namespace fupin::bench
