// `fupin check`: runs the registry's data-quality rules (registry/quality.h) over a region's
// households and prints a summary per rule and the findings — as text, as JSON, or into a
// CSV/XLSX file. See docs/quality.md.
//
// Exit codes: kExitOk when the check ran and found no error-severity finding (warnings and
// notes may remain), kExitFindings when it found at least one, and the usual codes of
// command.h when it could not run.
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddQualityCommands(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
