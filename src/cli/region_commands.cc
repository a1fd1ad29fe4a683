#include "cli/region_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/database_option.h"
#include "regions/region_service.h"

namespace fupin::cli {
namespace {

std::string Describe(const regions::Region& r) {
  std::string out = fmt::format("{}  {}  {}", r.code, r.name, regions::LevelName(r.level));
  if (r.closed_on) {
    out += fmt::format("  closed {}", r.closed_on->ToString());
    if (!r.successor_code.empty()) out += " → " + r.successor_code;
  }
  if (r.synthetic) out += "  (synthetic)";
  return out;
}

// Runs `body` with a RegionService on the opened database.
template <typename F>
int WithService(const CommandContext& ctx, const DatabaseOption& db, F body) {
  auto opened = db.Open(ctx, /*migrate=*/true);
  if (!opened) return ReportError(opened.error());
  regions::RegionService service((*opened)->Regions());
  return body(service);
}

// The version to update: the one given, else the current one (for an operator at a terminal).
Result<int64_t> VersionToUse(regions::RegionService& service, const std::string& code,
                             int64_t given) {
  if (given > 0) return given;
  auto current = service.Get(code);
  if (!current) return std::unexpected(current.error());
  return current->region.version;
}

}  // namespace

void AddRegionCommands(CLI::App& root, CommandContext& ctx) {
  auto* group = root.add_subcommand("regions", "Show and maintain administrative regions");
  group->require_subcommand(1);

  {
    auto* cmd = group->add_subcommand(
        "show", "Show a region (default: the provinces) with its ancestors and children");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    auto code = std::make_shared<std::string>();
    auto closed = std::make_shared<bool>(false);
    cmd->add_option("CODE", *code, "12-digit region code");
    cmd->add_flag("--include-closed", *closed, "list closed children too");
    cmd->callback([&ctx, db, code, closed] {
      ctx.action = [&ctx, db, code, closed] {
        return WithService(ctx, *db, [&](regions::RegionService& service) {
          if (!code->empty()) {
            auto region = service.Get(*code);
            if (!region) return ReportError(region.error());
            for (const auto& a : region->ancestors) fmt::print("  {}\n", Describe(a));
            fmt::print("* {}  (version {})\n", Describe(region->region), region->region.version);
          }
          auto children = service.Children(*code, *closed);
          if (!children) return ReportError(children.error());
          for (const auto& c : *children) {
            fmt::print("    {}  [{} children]\n", Describe(c.region), c.child_count);
          }
          return kExitOk;
        });
      };
    });
  }
  {
    auto* cmd = group->add_subcommand("rename", "Rename a region");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    struct Options {
      std::string code, name;
      int64_t version = 0;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("CODE", o->code, "12-digit region code")->required();
    cmd->add_option("NAME", o->name, "the new name")->required();
    cmd->add_option("--version", o->version,
                    "the version you looked at (refused if it changed since; default: current)");
    cmd->callback([&ctx, db, o] {
      ctx.action = [&ctx, db, o] {
        return WithService(ctx, *db, [&](regions::RegionService& service) {
          auto version = VersionToUse(service, o->code, o->version);
          if (!version) return ReportError(version.error());
          auto renamed = service.Rename(o->code, o->name, *version, CliActor());
          if (!renamed) return ReportError(renamed.error());
          fmt::print("{}  (version {})\n", Describe(*renamed), renamed->version);
          return kExitOk;
        });
      };
    });
  }
  {
    auto* cmd = group->add_subcommand(
        "close",
        "Close a region on a date (abolished or merged); its data is kept and its code is never "
        "reused. A region with open subordinate regions cannot close.");
    auto db = std::make_shared<DatabaseOption>(*cmd);
    struct Options {
      std::string code, on, successor;
      int64_t version = 0;
    };
    auto o = std::make_shared<Options>();
    cmd->add_option("CODE", o->code, "12-digit region code")->required();
    cmd->add_option("--on", o->on, "closing date, YYYY-MM-DD")->required();
    cmd->add_option("--successor", o->successor, "the region of the same level it merged into");
    cmd->add_option("--version", o->version,
                    "the version you looked at (refused if it changed since; default: current)");
    cmd->callback([&ctx, db, o] {
      ctx.action = [&ctx, db, o] {
        return WithService(ctx, *db, [&](regions::RegionService& service) {
          auto version = VersionToUse(service, o->code, o->version);
          if (!version) return ReportError(version.error());
          auto closed = service.Close(o->code, o->on, o->successor, *version, CliActor());
          if (!closed) return ReportError(closed.error());
          fmt::print("{}  (version {})\n", Describe(*closed), closed->version);
          return kExitOk;
        });
      };
    });
  }
}

}  // namespace fupin::cli
