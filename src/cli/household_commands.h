// `fupin household list|show|status`: the registry from the command line (建档立卡) — a
// filtered list of households, one household as it stands or as of a date, and recording a
// status event (identified → lifted out → monitored / risk eliminated / returned, cancelled),
// through the same service as the API: personal data masked, every change validated and
// audited. See docs/registry.md.
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddHouseholdCommands(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
