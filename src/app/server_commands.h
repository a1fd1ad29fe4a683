// `fupin serve` and `fupin demo`: the commands that run the web application.
#pragma once

#include "cli/command.h"

namespace fupin::app {

void AddServeCommand(CLI::App& root, cli::CommandContext& ctx);
void AddDemoCommand(CLI::App& root, cli::CommandContext& ctx);

}  // namespace fupin::app
