// `fupin survey …`: evaluation surveys from the command line — list the questionnaires, show
// one with its leaf tallies, import responses from survey tools' exports, check their quality.
// Questionnaires are designed in the web UI or the API (docs/evaluation.md).
#pragma once

#include "cli/command.h"

namespace fupin::cli {

void AddSurveyCommands(CLI::App& root, CommandContext& ctx);

}  // namespace fupin::cli
