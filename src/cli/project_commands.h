// `fupin projects`: the project library (项目库) of a region — each project with its type,
// status, budget, dates, the version in force and progress, its earned value (SPI, CPI) and
// its deviation alerts (docs/funds.md).
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddProjectCommands(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
