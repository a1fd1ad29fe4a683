// `fupin monitor run|list|notice`: relapse-prevention monitoring from the command line —
// detection runs, the case list (overdue first) and the public notice list (docs/monitoring.md).
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddMonitorCommands(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
