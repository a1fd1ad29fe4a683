#include "cli/import_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "base/csv.h"
#include "cli/database_option.h"
#include "cli/indicator_commands.h"
#include "regions/region_service.h"
#include "security/crypto.h"

namespace fupin::cli {
namespace {

nlohmann::json ErrorJson(const Error& e) {
  nlohmann::json details = nlohmann::json::array();
  for (const auto& d : e.details) {
    details.push_back(
        {{"row", d.row}, {"column", d.column}, {"value", d.value}, {"reason", d.reason}});
  }
  return {
      {"error", {{"code", ErrorCodeName(e.code)}, {"message", e.message}, {"details", details}}}};
}

}  // namespace

void AddImportCommands(CLI::App& root, CommandContext& ctx) {
  auto* import = root.add_subcommand("import", "Import data files (all or nothing)");
  import->require_subcommand(1);
  AddImportStatisticsCommand(*import, ctx);

  auto* cmd = import->add_subcommand(
      "regions",
      "Import administrative regions from CSV: code,name,parent_code (or "
      "行政区划代码,名称,上级代码), "
      "optional level/级别; UTF-8 or GB18030/GBK, BOM tolerated. Level and parent follow from the "
      "12-digit code; existing regions are renamed, closed codes are never reused. Any bad row → "
      "nothing is written and every problem is listed (row, column, value, reason).");
  auto db = std::make_shared<DatabaseOption>(*cmd);
  struct Options {
    std::string file;
    bool dry_run = false;
    bool json = false;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("FILE", opts->file, "CSV file")->required();
  cmd->add_flag("--dry-run", opts->dry_run, "validate only; write nothing");
  cmd->add_flag("--json", opts->json, "print the result (or the errors) as JSON");
  cmd->callback([&ctx, db, opts] {
    ctx.action = [&ctx, db, opts]() -> int {
      auto fail = [&](Error e) {
        if (opts->json) fmt::print("{}\n", ErrorJson(e).dump(2));
        return opts->json ? ExitCodeFor(e) : ReportError(e);
      };
      auto bytes = ReadFileBytes(opts->file);
      if (!bytes) return fail(bytes.error());
      auto decoded = DecodeText(*bytes);
      if (!decoded) return fail(decoded.error().Prefix(opts->file));
      auto table = ParseCsv(decoded->utf8);
      if (!table) return fail(table.error().Prefix(opts->file));
      table->encoding = decoded->encoding;
      const std::string source =
          fmt::format("file {} sha256:{}", opts->file, security::Sha256Hex(*bytes));
      auto opened = db->Open(ctx, /*migrate=*/true);
      if (!opened) return fail(opened.error());
      regions::RegionService service((*opened)->Regions());
      auto report = service.Import(*table, opts->dry_run, CliActor(), source);
      if (!report) {
        Error e = report.error();
        return fail(e.Prefix(opts->file));
      }
      const auto& c = report->counts;
      if (opts->json) {
        fmt::print("{}\n", nlohmann::json{{"file", opts->file},
                                          {"encoding", TextEncodingName(report->encoding)},
                                          {"rows", report->rows},
                                          {"dry_run", report->dry_run},
                                          {"inserted", c.inserted},
                                          {"updated", c.updated},
                                          {"unchanged", c.unchanged}}
                               .dump(2));
      } else {
        fmt::print("{}{} ({}): {} rows — {} inserted, {} updated, {} unchanged\n",
                   report->dry_run ? "dry run, nothing written: " : "imported ", opts->file,
                   TextEncodingName(report->encoding), report->rows, c.inserted, c.updated,
                   c.unchanged);
      }
      return kExitOk;
    };
  });
}

}  // namespace fupin::cli
