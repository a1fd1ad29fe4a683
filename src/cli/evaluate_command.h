// `fupin evaluate SPEC.json`: a whole comprehensive evaluation from a file, without a
// database (issue 8, docs/evaluation.md).
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddEvaluateCommand(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
