// `fupin user add|list|disable|enable|reset-password` and `fupin audit verify|head`.
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddUserCommands(CLI::App& root, CommandContext& ctx);
void AddAuditCommands(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
