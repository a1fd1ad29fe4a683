// Google Benchmark figures for the methods library: DEA on 2,850 DMUs × 3 inputs × 3 outputs
// (CRS and VRS, input orientation, with slacks) and fuzzy evaluation from 1,000,000 responses
// × 30 questions × 5 grades (membership from responses, then the weighted-average operator).
#include <benchmark/benchmark.h>

#include "bench/bench_data.h"
#include "methods/dea.h"
#include "methods/fuzzy.h"

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

}  // namespace

BENCHMARK_MAIN();
