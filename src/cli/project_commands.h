// `fupin projects`: the project library (项目库) of a region — each project with its type,
// status, budget, dates, the version in force and progress. Earned value (SPI, CPI) and
// deviation alerts are computed once funds are tracked (issue #7's later parts); until then the
// listing says so instead of showing a figure.
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddProjectCommands(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
