// `fupin indicators` (the values of every indicator for a region and period, as an aligned
// table or JSON), `fupin import statistics FILE` (entered indicator values from CSV/XLSX) and
// `fupin catalogue list|declare|remove` (the indicator catalogue and its declared indicators).
#pragma once

#include "base/error.h"
#include "cli/command.h"
#include "indicators/registry_indicators.h"

namespace fupin::cli {

// Adds `statistics` under the `import` subcommand.
void AddImportStatisticsCommand(CLI::App& import, CommandContext& ctx);

void AddIndicatorCommands(CLI::App& root, CommandContext& ctx);
void AddCatalogueCommands(CLI::App& root, CommandContext& ctx);

// The income thresholds: the documented defaults, overridden by the income_thresholds
// setting (env FUPIN_INCOME_THRESHOLDS, or the config file) — "YEAR:YUAN,…".
Result<indicators::IncomeThresholds> IncomeThresholdsSetting(const CommandContext& ctx);

}  // namespace fupin::cli
