// `fupin subsidy rules|add-rule|run|show|review|pay|ledger`: workshop subsidies (扶贫车间补贴)
// from the command line — rules stored from a JSON file or a template (a new rule needs no
// rebuild), eligibility runs for a region and period, their review, payments and the ledger
// (docs/workshops.md). The command line acts as an operator with the whole country in scope.
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddSubsidyCommands(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
