// `fupin migrate`, `fupin backup`, `fupin restore`, `fupin version`.
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddDatabaseCommands(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
