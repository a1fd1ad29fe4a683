// `fupin goals`: the goal board of a region — every goal within it with its indicator's value
// today, the share of the way from baseline to target, where the straight line is and the
// status (docs/goals.md).
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddGoalCommands(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
