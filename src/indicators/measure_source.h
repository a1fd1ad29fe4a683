// A source of computed indicators over data the registry engine does not hold (workshops now;
// projects and funds later). IndicatorService asks each source for the values of its codes
// at every region of the registry engine's hierarchy, already rolled up (a region's value
// covers its subtree), and treats them like the engine's own counted measures: derived
// indicators divide them per region.
// Thread-safety: implementations must be thread-safe (Values() is called from many threads).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "indicators/registry_cube.h"

namespace fupin::indicators {

// Values per code, each indexed by the cube's node; nullopt where there is none.
using MeasureTable = std::map<std::string, std::vector<std::optional<double>>, std::less<>>;

class MeasureSource {
 public:
  virtual ~MeasureSource() = default;

  // Whether this source computes `code` (registered as computed, without a formula).
  virtual bool Computes(std::string_view code) const = 0;

  // The values of every code it computes at every node of `cube` for `period`. Never older
  // than the last committed write of the data it reads: a source that caches must check
  // the data's change counter first.
  virtual Result<std::shared_ptr<const MeasureTable>> Compute(const RegistryCube& cube,
                                                              const Period& period) = 0;
};

}  // namespace fupin::indicators
