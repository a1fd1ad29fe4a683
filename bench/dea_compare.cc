// fupin_dea_compare: times fupin's DEA on the benchmark data set (2,850 DMUs × 3 inputs × 3
// outputs by default; CRS and VRS, input orientation, with the second-stage slacks) and
// writes the data and the scores for the scipy peer (bench/dea_scipy.py) to compare.
//
//   fupin_dea_compare DIR [N]   → DIR/dea_data.csv, DIR/dea_fupin.csv, timings on stdout
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include "bench/bench_data.h"
#include "methods/dea.h"

using fupin::methods::Dea;
using fupin::methods::DeaOptions;
using fupin::methods::Matrix;
using fupin::methods::ReturnsToScale;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: fupin_dea_compare DIR [N]\n");
    return 1;
  }
  const std::string dir = argv[1];
  const int n = argc > 2 ? std::stoi(argv[2]) : 2850;
  Matrix x, y;
  fupin::bench::GenerateDeaData(n, &x, &y);
  {
    std::ofstream out(dir + "/dea_data.csv");
    out << "dmu,x1,x2,x3,y1,y2,y3\n";
    for (int i = 0; i < n; ++i) {
      out << fmt::format("d{},{},{},{},{},{},{}\n", i + 1, x(i, 0), x(i, 1), x(i, 2), y(i, 0),
                         y(i, 1), y(i, 2));
    }
  }
  // Best of 3 runs of the whole computation (CRS and VRS with slacks).
  double best = 1e300;
  double best_crs = 0, best_vrs = 0;
  fupin::Result<fupin::methods::DeaResult> crs, vrs;
  for (int run = 0; run < 3; ++run) {
    const auto t0 = std::chrono::steady_clock::now();
    DeaOptions options;
    crs = Dea(x, y, options);
    const auto t1 = std::chrono::steady_clock::now();
    options.rts = ReturnsToScale::kVrs;
    vrs = Dea(x, y, options);
    const auto t2 = std::chrono::steady_clock::now();
    if (!crs || !vrs) {
      std::fprintf(stderr, "DEA failed\n");
      return 3;
    }
    const double a = std::chrono::duration<double>(t1 - t0).count();
    const double b = std::chrono::duration<double>(t2 - t1).count();
    if (a + b < best) {
      best = a + b;
      best_crs = a;
      best_vrs = b;
    }
  }
  std::ofstream scores(dir + "/dea_fupin.csv");
  scores << "dmu,crs,vrs\n";
  int efficient_crs = 0, efficient_vrs = 0;
  for (int i = 0; i < n; ++i) {
    scores << fmt::format("d{},{:.12f},{:.12f}\n", i + 1, crs->dmus[i].efficiency,
                          vrs->dmus[i].efficiency);
    efficient_crs += crs->dmus[i].efficiency > 1 - 1e-6;
    efficient_vrs += vrs->dmus[i].efficiency > 1 - 1e-6;
  }
  fmt::print("fupin DEA, {} DMUs x 3 inputs x 3 outputs, input orientation, with slacks\n", n);
  fmt::print("  CRS {:.3f} s ({} on the frontier, {} LP solves)\n", best_crs, efficient_crs,
             crs->lp_solves);
  fmt::print("  VRS {:.3f} s ({} on the frontier, {} LP solves)\n", best_vrs, efficient_vrs,
             vrs->lp_solves);
  fmt::print("  total {:.3f} s (best of 3)\n", best);
  std::ofstream(dir + "/dea_fupin_time.txt") << fmt::format("{:.6f}\n", best);
  return 0;
}
