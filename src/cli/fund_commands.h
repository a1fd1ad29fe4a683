// `fupin funds`: the fund monitoring of a region for a year (资金监管) — the batches issued, the
// allocation, payment and compliance rates, earned value rolled up over the region's projects,
// and every deviation alert with its rule and values. Definitions: docs/funds.md.
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddFundCommands(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
