// The processor cores this process may run on.
// Thread-safety: a pure query of the process's state.
#pragma once

namespace fupin {

// The cores the scheduler lets this process use (taskset, cgroup cpusets), not all the
// machine's; at least 1.
int UsableCores();

}  // namespace fupin
