// `fupin workshops`: a region's workshop figures for a month (status, resumption, jobs, wages
// of registered-poor workers, reports missing, idle workshops) or the daily resumption curve.
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddWorkshopCommands(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
