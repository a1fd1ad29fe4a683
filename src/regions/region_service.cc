#include "regions/region_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/text.h"

namespace fupin::regions {
namespace {

// Counts UTF-8 code points (the input is valid UTF-8 by the time it gets here).
size_t CodePointCount(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Maximum number of problems reported for one file; beyond it the report says how many more.
constexpr size_t kMaxReportedProblems = 1000;

}  // namespace

Status ValidateRegionName(std::string_view name) {
  if (name.empty()) return InvalidArgument("the name is empty");
  if (CodePointCount(name) > 100) return InvalidArgument("the name is longer than 100 characters");
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return InvalidArgument("the name contains a control character");
    }
  }
  return {};
}

Result<RegionWithAncestors> RegionService::Get(std::string_view code) {
  auto level = LevelOfCode(code);
  if (!level) return std::unexpected(level.error());
  auto found = repository_.Find(code);
  if (!found) return std::unexpected(found.error());
  if (!found->has_value()) return NotFound(fmt::format("no region with code {}", code));
  RegionWithAncestors out;
  out.region = std::move(**found);
  const auto ancestor_codes = AncestorCodes(code, *level);
  auto ancestors = repository_.FindMany(ancestor_codes);
  if (!ancestors) return std::unexpected(ancestors.error());
  out.ancestors = std::move(*ancestors);
  auto children = repository_.Children(code, /*include_closed=*/false);
  if (!children) return std::unexpected(children.error());
  out.child_count = static_cast<int64_t>(children->size());
  return out;
}

Result<std::vector<RegionListItem>> RegionService::Children(std::string_view code,
                                                            bool include_closed) {
  if (!code.empty()) {
    auto level = LevelOfCode(code);
    if (!level) return std::unexpected(level.error());
    auto found = repository_.Find(code);
    if (!found) return std::unexpected(found.error());
    if (!found->has_value()) return NotFound(fmt::format("no region with code {}", code));
  }
  return repository_.Children(code, include_closed);
}

Result<RegionPage> RegionService::Search(const RegionQuery& query) {
  if (!query.within.empty()) {
    auto level = LevelOfCode(query.within);
    if (!level) return std::unexpected(level.error());
  }
  if (query.limit < 1 || query.limit > 1000) {
    return InvalidArgument("page_size must be between 1 and 1000");
  }
  if (query.offset < 0) return InvalidArgument("page must be 1 or more");
  return repository_.Search(query);
}

Result<LevelCounts> RegionService::CountByLevel(std::string_view code) {
  if (!code.empty()) {
    auto region = Get(code);
    if (!region) return std::unexpected(region.error());
  }
  return repository_.CountByLevel(code);
}

Result<ImportReport> RegionService::Import(const CsvTable& table, bool dry_run,
                                           const audit::Actor& actor, std::string_view source) {
  const auto code_col = table.FindColumn({"code", "行政区划代码", "区划代码"});
  const auto name_col = table.FindColumn({"name", "名称"});
  const auto parent_col = table.FindColumn({"parent_code", "上级代码", "上级区划代码"});
  const auto level_col = table.FindColumn({"level", "级别", "层级"});
  std::vector<ErrorDetail> problems;
  if (!code_col) problems.push_back({1, "code", "", "missing column code (行政区划代码)"});
  if (!name_col) problems.push_back({1, "name", "", "missing column name (名称)"});
  if (!parent_col) {
    problems.push_back({1, "parent_code", "", "missing column parent_code (上级代码)"});
  }
  if (!problems.empty()) {
    return InvalidArgument("the header lacks required columns", std::move(problems));
  }
  const std::string& code_name = table.header[*code_col];
  const std::string& name_name = table.header[*name_col];
  const std::string& parent_name = table.header[*parent_col];

  struct Parsed {
    Region region;
    int64_t line = 0;
  };
  std::vector<Parsed> rows;
  rows.reserve(table.rows.size());
  std::map<std::string, int64_t> first_line_of;  // code → line where it first appears
  // Every problem is counted; the first kMaxReportedProblems are listed.
  size_t total_problems = 0;
  auto count_problem = [&](int64_t line, const std::string& column, std::string_view value,
                           std::string reason) {
    ++total_problems;
    if (problems.size() < kMaxReportedProblems) {
      problems.push_back({line, column, std::string(value), std::move(reason)});
    }
  };

  for (const CsvRecord& rec : table.rows) {
    if (rec.cells.size() != table.header.size()) {
      count_problem(rec.line, "", "",
                    fmt::format("the row has {} cells, the header has {}", rec.cells.size(),
                                table.header.size()));
      continue;
    }
    const std::string& code = rec.cells[*code_col];
    const std::string& name = rec.cells[*name_col];
    const std::string& parent = rec.cells[*parent_col];
    auto level = LevelOfCode(code);
    if (!level) {
      count_problem(rec.line, code_name, code,
                    code.empty() ? "the code is empty" : level.error().message);
      continue;
    }
    bool ok = true;
    if (auto valid = ValidateRegionName(name); !valid) {
      count_problem(rec.line, name_name, name, valid.error().message);
      ok = false;
    }
    const std::string derived_parent = ParentCodeOf(code, *level);
    if (*level == RegionLevel::kProvince) {
      if (!parent.empty()) {
        count_problem(rec.line, parent_name, parent, "a province has no parent: leave it empty");
        ok = false;
      }
    } else if (!parent.empty() && parent != derived_parent) {
      count_problem(rec.line, parent_name, parent,
                    fmt::format("does not match the code: the parent of {} {} is {}",
                                LevelName(*level), code, derived_parent));
      ok = false;
    }
    if (level_col) {
      const std::string& given = rec.cells[*level_col];
      auto given_level = ParseLevel(given);
      if (!given.empty() && (!given_level || *given_level != *level)) {
        count_problem(rec.line, table.header[*level_col], given,
                      fmt::format("the code {} is a {}", code, LevelName(*level)));
        ok = false;
      }
    }
    if (auto [it, inserted] = first_line_of.emplace(code, rec.line); !inserted) {
      count_problem(rec.line, code_name, code,
                    fmt::format("duplicate code: already on line {}", it->second));
      continue;
    }
    if (!ok) continue;
    Region r;
    r.code = code;
    r.name = name;
    r.level = *level;
    r.parent_code = derived_parent;
    rows.push_back({std::move(r), rec.line});
  }

  // Look up, in one query, the stored state of every code and parent the file mentions.
  std::set<std::string> wanted;
  for (const auto& p : rows) {
    wanted.insert(p.region.code);
    if (!p.region.parent_code.empty()) wanted.insert(p.region.parent_code);
  }
  const std::vector<std::string> wanted_list(wanted.begin(), wanted.end());
  auto stored = repository_.FindMany(wanted_list);
  if (!stored) return std::unexpected(stored.error());
  std::map<std::string, const Region*> stored_by_code;
  for (const Region& r : *stored) stored_by_code.emplace(r.code, &r);

  std::vector<Region> to_write;
  to_write.reserve(rows.size());
  for (auto& p : rows) {
    const Region& r = p.region;
    if (auto it = stored_by_code.find(r.code);
        it != stored_by_code.end() && it->second->IsClosed()) {
      count_problem(p.line, code_name, r.code,
                    fmt::format("region {} was closed on {}; a closed code is never reused", r.code,
                                it->second->closed_on->ToString()));
      continue;
    }
    if (!r.parent_code.empty()) {
      auto stored_parent = stored_by_code.find(r.parent_code);
      const bool in_file = first_line_of.contains(r.parent_code);
      if (stored_parent == stored_by_code.end() && !in_file) {
        count_problem(
            p.line, parent_name, r.parent_code,
            fmt::format("unknown parent: {} is neither in the file nor stored", r.parent_code));
        continue;
      }
      if (stored_parent != stored_by_code.end() && stored_parent->second->IsClosed()) {
        count_problem(p.line, parent_name, r.parent_code,
                      fmt::format("the parent {} was closed on {}", r.parent_code,
                                  stored_parent->second->closed_on->ToString()));
        continue;
      }
    }
    to_write.push_back(r);
  }
  // A parent that is in the file but was itself rejected leaves its children without a parent.
  std::set<std::string> accepted;
  for (const Region& r : to_write) accepted.insert(r.code);
  for (const auto& p : rows) {
    const Region& r = p.region;
    if (!accepted.contains(r.code) || r.parent_code.empty()) continue;
    if (!stored_by_code.contains(r.parent_code) && !accepted.contains(r.parent_code)) {
      count_problem(p.line, parent_name, r.parent_code,
                    fmt::format("the parent {} (line {}) is itself invalid", r.parent_code,
                                first_line_of[r.parent_code]));
    }
  }

  if (total_problems > 0) {
    std::sort(problems.begin(), problems.end(),
              [](const ErrorDetail& a, const ErrorDetail& b) { return a.row < b.row; });
    std::string message =
        fmt::format("{} problem{} in {} rows; nothing was imported", total_problems,
                    total_problems == 1 ? "" : "s", table.rows.size());
    if (total_problems > problems.size()) {
      message += fmt::format(" (the first {} are listed)", problems.size());
    }
    return InvalidArgument(std::move(message), std::move(problems));
  }

  // Parents before children, so that the foreign keys hold at every insert.
  std::stable_sort(to_write.begin(), to_write.end(),
                   [](const Region& a, const Region& b) { return a.level < b.level; });
  ImportReport report;
  report.rows = static_cast<int64_t>(table.rows.size());
  report.encoding = table.encoding;
  report.dry_run = dry_run;
  if (dry_run) {
    for (const Region& r : to_write) {
      auto it = stored_by_code.find(r.code);
      if (it == stored_by_code.end()) {
        ++report.counts.inserted;
      } else if (it->second->name != r.name) {
        ++report.counts.updated;
      } else {
        ++report.counts.unchanged;
      }
    }
    return report;
  }
  auto counts = repository_.Upsert(to_write, actor, source);
  if (!counts) return std::unexpected(counts.error());
  report.counts = *counts;
  return report;
}

Result<UpsertCounts> RegionService::Store(std::span<const Region> regions,
                                          const audit::Actor& actor, std::string_view note) {
  return repository_.Upsert(regions, actor, note);
}

Result<Region> RegionService::Rename(std::string_view code, std::string_view name,
                                     int64_t expected_version, const audit::Actor& actor) {
  auto level = LevelOfCode(code);
  if (!level) return std::unexpected(level.error());
  const std::string_view trimmed = Trim(name);
  if (auto valid = ValidateRegionName(trimmed); !valid) {
    return InvalidArgument(valid.error().message,
                           {{0, "name", std::string(name), valid.error().message}});
  }
  return repository_.Rename(code, trimmed, expected_version, actor);
}

Result<Region> RegionService::Close(std::string_view code, std::string_view on,
                                    std::string_view successor, int64_t expected_version,
                                    const audit::Actor& actor) {
  auto level = LevelOfCode(code);
  if (!level) return std::unexpected(level.error());
  auto date = ParseDate(on);
  if (!date) {
    return InvalidArgument(date.error().message,
                           {{0, "closed_on", std::string(on), date.error().message}});
  }
  if (!successor.empty()) {
    auto successor_level = LevelOfCode(successor);
    if (!successor_level) return std::unexpected(successor_level.error());
    if (*successor_level != *level) {
      return InvalidArgument(fmt::format("the successor {} is a {}, not a {}", successor,
                                         LevelName(*successor_level), LevelName(*level)));
    }
    if (successor == code) return InvalidArgument("a region cannot succeed itself");
    auto found = repository_.Find(successor);
    if (!found) return std::unexpected(found.error());
    if (!found->has_value()) return NotFound(fmt::format("no successor region {}", successor));
    if ((*found)->IsClosed()) {
      return FailedPrecondition(fmt::format("the successor {} is itself closed", successor));
    }
  }
  return repository_.Close(code, *date, successor, expected_version, actor);
}

}  // namespace fupin::regions
