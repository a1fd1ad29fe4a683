// `fupin method NAME ...`: the evaluation-methods toolkit over CSV files (issue 4).
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddMethodCommand(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
