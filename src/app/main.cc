// fupin — poverty-alleviation performance management (扶贫绩效管理).
// The single executable: web application, command-line tool and evaluation toolkit.
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "app/server_commands.h"
#include "base/version.h"
#include "cli/command.h"
#include "cli/database_commands.h"
#include "cli/evaluate_command.h"
#include "cli/evaluation_commands.h"
#include "cli/fund_commands.h"
#include "cli/goal_commands.h"
#include "cli/household_commands.h"
#include "cli/import_commands.h"
#include "cli/indicator_commands.h"
#include "cli/method_command.h"
#include "cli/monitor_commands.h"
#include "cli/project_commands.h"
#include "cli/quality_commands.h"
#include "cli/region_commands.h"
#include "cli/settings.h"
#include "cli/subsidy_commands.h"
#include "cli/survey_commands.h"
#include "cli/user_commands.h"
#include "cli/workshop_commands.h"

int main(int argc, char** argv) {
  using namespace fupin;
  auto settings = cli::Settings::Load(argc, argv);
  if (!settings)
    return cli::ReportError(settings.error()) == cli::kExitInvalidInput ? cli::kExitUsage
                                                                        : cli::kExitFailure;

  // Logs go to stderr so that stdout stays clean for results (--json).
  auto logger = spdlog::stderr_color_mt("fupin");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  CLI::App root{"fupin — poverty-alleviation performance management (扶贫绩效管理)"};
  root.require_subcommand(1);
  root.fallthrough();  // --config and --log-level may follow the subcommand
  root.set_version_flag("--version", std::string("fupin ") + kVersion);
  std::string config_path;
  root.add_option("--config", config_path,
                  "config file of `key = value` lines (db, host, port, web_root, log_level); "
                  "env FUPIN_CONFIG. Flags beat environment variables, which beat the file");
  std::string log_level;
  auto* log_level_option = root.add_option("--log-level", log_level,
                                           "trace, debug, info (default), warn, error (env "
                                           "FUPIN_LOG_LEVEL)");

  cli::CommandContext ctx;
  ctx.settings = &*settings;
  app::AddServeCommand(root, ctx);
  app::AddDemoCommand(root, ctx);
  cli::AddDatabaseCommands(root, ctx);
  cli::AddImportCommands(root, ctx);
  cli::AddRegionCommands(root, ctx);
  cli::AddHouseholdCommands(root, ctx);
  cli::AddQualityCommands(root, ctx);
  cli::AddIndicatorCommands(root, ctx);
  cli::AddCatalogueCommands(root, ctx);
  cli::AddWorkshopCommands(root, ctx);
  cli::AddGoalCommands(root, ctx);
  cli::AddSubsidyCommands(root, ctx);
  cli::AddProjectCommands(root, ctx);
  cli::AddFundCommands(root, ctx);
  cli::AddMonitorCommands(root, ctx);
  cli::AddUserCommands(root, ctx);
  cli::AddAuditCommands(root, ctx);
  cli::AddMethodCommand(root, ctx);
  cli::AddEvaluateCommand(root, ctx);
  cli::AddEvaluationCommands(root, ctx);
  cli::AddSurveyCommands(root, ctx);

  try {
    root.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = root.exit(e);  // prints help, or the parse error
    return code == 0 ? cli::kExitOk : cli::kExitUsage;
  }
  const std::string level =
      settings->Resolve(log_level, log_level_option->count() > 0, "log_level", "info");
  const auto parsed_level = spdlog::level::from_str(level);
  if (parsed_level == spdlog::level::off && level != "off") {
    fmt::print(stderr, "fupin: unknown log level '{}'\n", level);
    return cli::kExitUsage;
  }
  spdlog::set_level(parsed_level);
  if (!ctx.action) return cli::kExitUsage;
  return ctx.action();
}
