// `fupin evaluation …`: the stored indicator systems and evaluation runs from the command
// line — list them, show a run's results, reproduce a run from its snapshot, compare two runs.
// Runs are made in the web UI or the API (docs/evaluation.md).
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddEvaluationCommands(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
