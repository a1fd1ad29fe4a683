// Google Benchmark figures for the methods library: DEA on 2,850 DMUs × 3 inputs × 3 outputs
// (CRS and VRS, input orientation, with slacks) and fuzzy evaluation from 1,000,000 responses
// × 30 questions × 5 grades (membership from responses, then the weighted-average operator);
// Malmquist over 3 periods of 2,850 DMUs.
#include <benchmark/benchmark.h>

#include "bench/bench_data.h"
#include "methods/dea.h"
#include "methods/fuzzy.h"
#include "methods/malmquist.h"

namespace {

using fupin::methods::Matrix;

void BM_Dea(benchmark::State& state, fupin::methods::ReturnsToScale rts) {
  Matrix x, y;
  fupin::bench::GenerateDeaData(static_cast<int>(state.range(0)), &x, &y);
  fupin::methods::DeaOptions options;
  options.rts = rts;
  for (auto _ : state) {
    auto r = fupin::methods::Dea(x, y, options);
    if (!r) state.SkipWithError("DEA failed");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK_CAPTURE(BM_Dea, crs, fupin::methods::ReturnsToScale::kCrs)
    ->Arg(2850)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Dea, vrs, fupin::methods::ReturnsToScale::kVrs)
    ->Arg(2850)
    ->Unit(benchmark::kMillisecond);

void BM_FuzzyFromResponses(benchmark::State& state) {
  const int64_t respondents = state.range(0);
  const int questions = 30;
  const int grades = 5;
  const auto codes = fupin::bench::GenerateResponses(respondents, questions, grades);
  const fupin::methods::Vector weights =
      fupin::methods::Vector::Constant(questions, 1.0 / questions);
  fupin::methods::FuzzyOptions options;
  options.grade_scores = {100, 80, 60, 40, 20};
  for (auto _ : state) {
    auto r = fupin::methods::MembershipFromResponses(codes, respondents, questions, grades);
    if (!r) state.SkipWithError("membership failed");
    auto b = fupin::methods::FuzzyEvaluate(weights, *r, options);
    benchmark::DoNotOptimize(b);
  }
  state.SetItemsProcessed(state.iterations() * respondents * questions);
}
BENCHMARK(BM_FuzzyFromResponses)->Arg(1000000)->Unit(benchmark::kMillisecond);

// Malmquist over 3 periods of the DEA data set (each period a fresh draw shifted 3% a year).
void BM_Malmquist(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  std::vector<fupin::methods::PanelPeriod> periods(3);
  for (int t = 0; t < 3; ++t) {
    fupin::bench::GenerateDeaData(n, &periods[t].inputs, &periods[t].outputs);
    // Different DMU draws per period: rotate rows so each DMU's data changes between periods.
    const Matrix in = periods[t].inputs, out = periods[t].outputs;
    for (int i = 0; i < n; ++i) {
      periods[t].inputs.row(i) = in.row((i + 7 * t) % n);
      periods[t].outputs.row(i) = out.row((i + 7 * t) % n) * (1.0 + 0.03 * t);
    }
  }
  for (auto _ : state) {
    auto r = fupin::methods::Malmquist(periods);
    if (!r) state.SkipWithError("Malmquist failed");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Malmquist)->Arg(2850)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
