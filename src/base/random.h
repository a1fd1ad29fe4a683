// A small deterministic pseudo-random generator for synthetic data and Monte Carlo runs.
//
// std::mt19937 is portable but std's distributions are not (their algorithms differ between
// standard libraries), so "same seed → same data" needs our own mapping to ranges.
// SplitMix64 (Steele, Lea & Flood 2014): fast, 64-bit state, good enough statistically for
// synthetic data. Not for cryptography. Thread-safety: one generator per thread.
#pragma once

#include <cstdint>

namespace fupin {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform integer in [lo, hi] (inclusive); lo <= hi.
  int64_t Uniform(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int64_t>(Next() % span);  // bias < span / 2^64: negligible here
  }
  // Uniform double in [0, 1).
  double NextDouble() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

 private:
  uint64_t state_;
};

}  // namespace fupin
