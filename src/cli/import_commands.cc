#include "cli/import_commands.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "base/csv.h"
#include "cli/database_option.h"
#include "cli/indicator_commands.h"
#include "cli/text_table.h"
#include "regions/region_service.h"
#include "registry/importer.h"
#include "security/crypto.h"
#include "storage/database.h"
#include "tabular/reader.h"
#include "tabular/writer.h"

namespace fupin::cli {
namespace {

nlohmann::json DetailsJson(const std::vector<ErrorDetail>& details) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : details) {
    out.push_back({{"row", d.row}, {"column", d.column}, {"value", d.value}, {"reason", d.reason}});
  }
  return out;
}

// The problems of a failed import as an aligned table on stderr.
void PrintProblemTable(const Error& error) {
  fmt::print(stderr, "fupin: {}\n", error.message);
  if (error.details.empty()) return;
  const std::vector<std::string> head = {"row", "column", "value", "reason"};
  std::vector<std::vector<std::string>> rows;
  for (const ErrorDetail& d : error.details) {
    rows.push_back({d.row > 0 ? std::to_string(d.row) : "", d.column, d.value, d.reason});
  }
  std::vector<size_t> widths(3, 0);
  for (size_t c = 0; c < 3; ++c) {
    widths[c] = DisplayWidth(head[c]);
    for (const auto& r : rows)
      widths[c] = std::max(widths[c], std::min<size_t>(40, DisplayWidth(r[c])));
  }
  auto line = [&](const std::vector<std::string>& r) {
    fmt::print(stderr, "  {}  {}  {}  {}\n", Pad(r[0], widths[0], false),
               Pad(r[1], widths[1], false), Pad(r[2], widths[2], false), r[3]);
  };
  line(head);
  for (const auto& r : rows) line(r);
}

// `fupin import members|incomes`: the registry's imports (registry/importer.h).
void AddRegistryImportCommand(CLI::App* import, CommandContext& ctx, registry::ImportKind kind) {
  const bool members = kind == registry::ImportKind::kMembers;
  auto* cmd = import->add_subcommand(
      std::string(registry::ImportKindName(kind)),
      members ? "Import households and their members: one row per person with the household's "
                "columns repeated (户编号, 行政区划代码, 姓名, 身份证号, 与户主关系, …; English "
                "headers too; see docs/import.md). CSV in UTF-8 or GB18030/GBK, or XLSX. All or "
                "nothing: any bad row → nothing is written and every problem is listed (row, "
                "column, value, reason). Re-importing the same file changes nothing."
              : "Import household incomes by year (户编号, 年度, 工资性收入, 生产经营性收入, "
                "财产性收入, 转移性收入, 生产经营性支出; optional 纯收入 and 人均纯收入, checked "
                "against the components). CSV or XLSX; all or nothing; see docs/import.md.");
  auto db = std::make_shared<DatabaseOption>(*cmd);
  struct Options {
    std::string file;
    bool dry_run = false;
    bool json = false;
    std::optional<int> year;
    std::string template_path;
    std::string lang = "zh";
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("FILE", opts->file, "CSV or XLSX file");
  cmd->add_flag("--dry-run", opts->dry_run, "check everything, write nothing");
  cmd->add_flag("--json", opts->json, "print the result (or the problems) as JSON");
  cmd->add_option("--year", opts->year,
                  members ? "the year of the file's income columns, if it has any"
                          : "the year of every row when the file has no year column (年度)")
      ->check(CLI::Range(1980, 2100));
  cmd->add_option("--template", opts->template_path,
                  "write the import template to this file (.xlsx or .csv with a UTF-8 BOM) "
                  "instead of importing");
  cmd->add_option("--lang", opts->lang, "template headers: zh (default) or en")
      ->check(CLI::IsMember({"zh", "en"}));
  cmd->callback([&ctx, db, opts, kind] {
    ctx.action = [&ctx, db, opts, kind]() -> int {
      auto fail = [&](Error e) {
        if (opts->json) {
          fmt::print("{}\n", ErrorJson(e).dump(2));
          return ExitCodeFor(e);
        }
        PrintProblemTable(e);
        return ExitCodeFor(e);
      };
      if (!opts->template_path.empty()) {
        const bool xlsx = opts->template_path.ends_with(".xlsx");
        if (!xlsx && !opts->template_path.ends_with(".csv")) {
          return fail(Error{ErrorCode::kInvalidArgument,
                            "--template: the file name must end in .xlsx or .csv",
                            {},
                            0,
                            0});
        }
        auto writer = tabular::TableWriter::Create(
            opts->template_path, xlsx ? tabular::Format::kXlsx : tabular::Format::kCsv,
            registry::TemplateHeader(kind, opts->lang));
        if (!writer) return fail(writer.error());
        for (const auto& row : registry::TemplateExamples(kind)) {
          if (auto added = (*writer)->Add(row); !added) return fail(added.error());
        }
        if (auto closed = (*writer)->Close(); !closed) return fail(closed.error());
        fmt::print("template written to {}\n", opts->template_path);
        return kExitOk;
      }
      if (opts->file.empty()) {
        return fail(
            Error{ErrorCode::kInvalidArgument, "FILE is required (or --template PATH)", {}, 0, 0});
      }
      auto sha = security::Sha256FileHex(opts->file);
      if (!sha) return fail(sha.error());
      auto reader = tabular::TableReader::Open(opts->file);
      if (!reader) return fail(reader.error());
      auto opened = db->Open(ctx, /*migrate=*/true, /*one_query=*/false, /*sole_user=*/true);
      if (!opened) return fail(opened.error());
      SystemClock clock;
      registry::RegistryImporter importer((*opened)->Registry(), (*opened)->Regions(), clock);
      registry::ImportOptions options;
      options.dry_run = opts->dry_run;
      options.year = opts->year;
      options.source = fmt::format("file {} sha256:{}", opts->file, *sha);
      auto report = importer.Import(kind, **reader, options, CliActor());
      if (!report) {
        Error e = report.error();
        return fail(e.Prefix(opts->file));
      }
      const auto& c = report->counts;
      if (opts->json) {
        fmt::print("{}\n", nlohmann::json{{"file", opts->file},
                                          {"sha256", *sha},
                                          {"kind", registry::ImportKindName(kind)},
                                          {"format", report->format},
                                          {"dry_run", report->dry_run},
                                          {"rows", report->rows},
                                          {"households", report->households},
                                          {"members", report->members},
                                          {"incomes", report->incomes},
                                          {"inserted", c.inserted},
                                          {"updated", c.updated},
                                          {"unchanged", c.unchanged},
                                          {"written_while_reading", report->written_while_reading},
                                          {"warnings", DetailsJson(report->warnings)}}
                               .dump(2));
        return kExitOk;
      }
      for (const ErrorDetail& w : report->warnings) {
        fmt::print(stderr, "warning: {}{}{}{}\n", w.row > 0 ? fmt::format("row {}, ", w.row) : "",
                   w.column.empty() ? "" : "column " + w.column + ", ",
                   w.value.empty() ? "" : "value '" + w.value + "': ", w.reason);
      }
      fmt::print("{}{} ({}): {} rows, {} households{} — {} inserted, {} updated, {} unchanged\n",
                 report->dry_run ? "dry run, nothing written: " : "imported ", opts->file,
                 report->format, report->rows, report->households,
                 kind == registry::ImportKind::kMembers
                     ? fmt::format(", {} members", report->members)
                     : fmt::format(", {} incomes", report->incomes),
                 c.inserted, c.updated, c.unchanged);
      return kExitOk;
    };
  });
}

// The 12-digit region code a GeoJSON feature names: properties code, region_code, 区划代码 or
// adcode (DataV.GeoAtlas files give 6-digit codes for counties and above: padded with zeros).
std::string FeatureCode(const nlohmann::json& feature) {
  const auto& props = feature.value("properties", nlohmann::json::object());
  if (!props.is_object()) return "";
  for (const char* key : {"code", "region_code", "区划代码", "adcode"}) {
    if (!props.contains(key)) continue;
    const auto& v = props[key];
    std::string code = v.is_string()           ? v.get<std::string>()
                       : v.is_number_integer() ? std::to_string(v.get<int64_t>())
                                               : "";
    if (code.size() == 6 || code.size() == 9) code += std::string(12 - code.size(), '0');
    return code;
  }
  return "";
}

// Checks a GeoJSON geometry: a Polygon or MultiPolygon whose rings are closed lists of at least
// four [longitude, latitude] positions within range. Returns the reason it is not, or "".
std::string GeometryProblem(const nlohmann::json& g) {
  if (!g.is_object()) return "the feature has no geometry";
  const std::string type = g.value("type", "");
  if (type != "Polygon" && type != "MultiPolygon") {
    return "the geometry must be a Polygon or MultiPolygon, not " +
           (type.empty() ? "nothing" : type);
  }
  const auto& coords = g.value("coordinates", nlohmann::json());
  if (!coords.is_array() || coords.empty()) return "the geometry has no coordinates";
  auto ring_ok = [](const nlohmann::json& ring) {
    if (!ring.is_array() || ring.size() < 4) return false;
    for (const auto& p : ring) {
      if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number()) return false;
      const double lon = p[0].get<double>(), lat = p[1].get<double>();
      if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return false;
    }
    return ring.front() == ring.back();
  };
  auto polygon_ok = [&](const nlohmann::json& polygon) {
    if (!polygon.is_array() || polygon.empty()) return false;
    return std::all_of(polygon.begin(), polygon.end(), ring_ok);
  };
  const bool ok = type == "Polygon" ? polygon_ok(coords)
                                    : std::all_of(coords.begin(), coords.end(), polygon_ok);
  return ok ? "" : "every ring must be a closed list of at least 4 [longitude, latitude] positions";
}

void AddBoundaryImportCommand(CLI::App* import, CommandContext& ctx) {
  auto* cmd = import->add_subcommand(
      "boundaries",
      "Import region boundaries for the dashboard's map from a GeoJSON FeatureCollection: one "
      "Polygon or MultiPolygon feature per region, its code in properties.code, region_code, "
      "区划代码 or adcode (6-digit adcodes are padded to 12). All or nothing; re-importing the "
      "same file changes nothing.");
  auto db = std::make_shared<DatabaseOption>(*cmd);
  struct Options {
    std::string file;
    bool dry_run = false;
    bool json = false;
  };
  auto opts = std::make_shared<Options>();
  cmd->add_option("FILE", opts->file, "GeoJSON file")->required();
  cmd->add_flag("--dry-run", opts->dry_run, "check everything, write nothing");
  cmd->add_flag("--json", opts->json, "print the result (or the problems) as JSON");
  cmd->callback([&ctx, db, opts] {
    ctx.action = [&ctx, db, opts]() -> int {
      auto fail = [&](Error e) {
        if (opts->json) {
          fmt::print("{}\n", ErrorJson(e).dump(2));
          return ExitCodeFor(e);
        }
        PrintProblemTable(e);
        return ExitCodeFor(e);
      };
      auto bytes = ReadFileBytes(opts->file);
      if (!bytes) return fail(bytes.error());
      const auto doc = nlohmann::json::parse(*bytes, nullptr, false);
      if (doc.is_discarded() || !doc.is_object() || doc.value("type", "") != "FeatureCollection" ||
          !doc.contains("features") || !doc["features"].is_array()) {
        return fail(Error{ErrorCode::kInvalidArgument,
                          opts->file + ": not a GeoJSON FeatureCollection",
                          {},
                          0,
                          0});
      }
      const std::string source =
          fmt::format("file {} sha256:{}", opts->file, security::Sha256Hex(*bytes));
      std::vector<regions::Boundary> boundaries;
      std::vector<ErrorDetail> problems;
      std::set<std::string> seen;
      int64_t index = 0;
      for (const auto& feature : doc["features"]) {
        ++index;  // the feature's position, 1-based, stands for the row
        const std::string code = FeatureCode(feature);
        if (code.size() != 12 || !IsAsciiDigits(code)) {
          problems.push_back({index, "properties.code", code,
                              "a feature needs its region's code (code, region_code, 区划代码 or "
                              "adcode)"});
          continue;
        }
        if (!seen.insert(code).second) {
          problems.push_back({index, "properties.code", code, "a second feature for this region"});
        }
        const auto geometry = feature.value("geometry", nlohmann::json());
        if (const std::string why = GeometryProblem(geometry); !why.empty()) {
          problems.push_back({index, "geometry", code, why});
          continue;
        }
        boundaries.push_back({code, "", geometry.dump(), false, source});
      }
      if (!problems.empty()) {
        return fail(Error{
            ErrorCode::kInvalidArgument,
            fmt::format("{}: {} problems found; nothing was written", opts->file, problems.size()),
            std::move(problems), 0, 0});
      }
      auto opened = db->Open(ctx, /*migrate=*/true);
      if (!opened) return fail(opened.error());
      if (opts->dry_run) {
        std::vector<std::string> codes;
        for (const auto& b : boundaries) codes.push_back(b.code);
        auto found = (*opened)->Regions().FindMany(codes);
        if (!found) return fail(found.error());
        std::set<std::string> known;
        for (const auto& r : *found) known.insert(r.code);
        for (size_t i = 0; i < codes.size(); ++i) {
          if (!known.contains(codes[i])) {
            problems.push_back({static_cast<int64_t>(i + 1), "properties.code", codes[i],
                                "is not a known region"});
          }
        }
        if (!problems.empty()) {
          return fail(Error{ErrorCode::kInvalidArgument,
                            fmt::format("{}: {} problems found", opts->file, problems.size()),
                            std::move(problems), 0, 0});
        }
        fmt::print("dry run, nothing written: {} boundaries checked\n", boundaries.size());
        return kExitOk;
      }
      auto saved = (*opened)->Boundaries().Save(boundaries, CliActor(), source);
      if (!saved) {
        Error e = saved.error();
        return fail(e.Prefix(opts->file));
      }
      if (opts->json) {
        fmt::print("{}\n", nlohmann::json{{"file", opts->file},
                                          {"features", boundaries.size()},
                                          {"inserted", saved->inserted},
                                          {"updated", saved->updated},
                                          {"unchanged", saved->unchanged}}
                               .dump(2));
      } else {
        fmt::print("imported {}: {} boundaries — {} inserted, {} updated, {} unchanged\n",
                   opts->file, boundaries.size(), saved->inserted, saved->updated,
                   saved->unchanged);
      }
      return kExitOk;
    };
  });
}

}  // namespace

void AddImportCommands(CLI::App& root, CommandContext& ctx) {
  auto* import = root.add_subcommand("import", "Import data files (all or nothing)");
  import->require_subcommand(1);
  AddImportStatisticsCommand(*import, ctx);

  AddRegistryImportCommand(import, ctx, registry::ImportKind::kMembers);
  AddRegistryImportCommand(import, ctx, registry::ImportKind::kIncomes);
  AddBoundaryImportCommand(import, ctx);

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
