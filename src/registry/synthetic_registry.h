// A deterministic synthetic household registry for the demo and the benchmarks: realistic
// distributions of household attributes, causes of poverty (illness first, then lack of
// skills and funds), family structures, health and labour capacity, incomes rising over
// 2014–2024, lifting out mostly in 2016–2020, a few relapses and monitored households,
// assistance measures that fit each household's causes, and helpers (帮扶责任人) from a pool of
// cadres per village, each paired with about four households.
//
// Everything is synthetic: names are drawn from common characters, and ID numbers are valid
// (GB 11643 check character) but issued by region codes starting with 99, which no real
// region has — docs/import.md marks that range as synthetic.
// Same villages and seed → the same registry. Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "base/error.h"
#include "regions/region.h"
#include "registry/model.h"

namespace fupin::registry {

struct SyntheticOptions {
  uint64_t seed = 1;
  int households_per_village = 50;  // mean; each village varies around it
  int last_year = 2024;             // incomes run from 2014 to this year
  // The year in which members' ages decide schooling, labour and pensions (0 = last_year):
  // the demo passes the current year, so that a record generated today is consistent today.
  int age_year = 0;
};

// Generates the households of every village in `villages` (other levels are skipped),
// village by village, handing each village's households to `sink`. Stops at the first error
// `sink` returns.
Status GenerateRegistry(std::span<const regions::Region> villages, const SyntheticOptions& options,
                        const std::function<Status(std::vector<HouseholdRecord>&&)>& sink);

}  // namespace fupin::registry
