#include "base/cores.h"

#include <sched.h>

#include <algorithm>
#include <thread>

namespace fupin {

int UsableCores() {
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  const int cores = sched_getaffinity(0, sizeof allowed, &allowed) == 0
                        ? CPU_COUNT(&allowed)
                        : static_cast<int>(std::thread::hardware_concurrency());
  return std::max(cores, 1);
}

}  // namespace fupin
