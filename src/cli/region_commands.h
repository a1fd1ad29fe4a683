// `fupin regions show|rename|close`: looking at and maintaining the region hierarchy from the
// command line (village mergers: close a village with its successor).
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddRegionCommands(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
