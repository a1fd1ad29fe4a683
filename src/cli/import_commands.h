// `fupin import <kind> FILE`: all-or-nothing imports with a per-row error report.
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddImportCommands(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
