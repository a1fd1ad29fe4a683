#include "storage/region_store.h"

#include <fmt/format.h>

#include <map>

#include "base/text.h"
#include "storage/audit_store.h"

namespace fupin::storage {
namespace {

using regions::Region;
using regions::RegionLevel;
using regions::RegionListItem;

constexpr std::string_view kColumns =
    "code, name, level, parent_code, closed_on, successor_code, synthetic, version";
// Open children of r, for list items.
constexpr std::string_view kChildCount =
    "(SELECT count(*) FROM regions c WHERE c.parent_code = r.code AND c.closed_on IS NULL)";
// How many rows go into one multi-row INSERT or IN (…) list.
constexpr size_t kChunk = 200;

Region ReadRegion(const SqlRow& row, int first = 0) {
  Region r;
  r.code = row.Text(first + 0);
  r.name = row.Text(first + 1);
  r.level = static_cast<RegionLevel>(row.Int(first + 2));
  r.parent_code = row.IsNull(first + 3) ? "" : row.Text(first + 3);
  if (!row.IsNull(first + 4)) {
    auto d = ParseDate(row.Text(first + 4));
    if (d) r.closed_on = *d;
  }
  r.successor_code = row.IsNull(first + 5) ? "" : row.Text(first + 5);
  r.synthetic = row.Int(first + 6) != 0;
  r.version = row.Int(first + 7);
  return r;
}

RegionListItem ReadListItem(const SqlRow& row) { return {ReadRegion(row), row.Int(8)}; }

std::string Now() { return FormatTimestampUtc(std::chrono::system_clock::now()); }

SqlValue NullableText(std::string_view s) {
  return s.empty() ? SqlValue(nullptr) : SqlValue(std::string(s));
}

// Loads one region inside an open connection (for read-after-write in a transaction).
Result<std::optional<Region>> LoadRegion(SqlConnection& conn, std::string_view code) {
  const std::string sql = fmt::format("SELECT {} FROM regions WHERE code = ?", kColumns);
  const SqlValue params[] = {std::string(code)};
  std::optional<Region> out;
  auto r = conn.Run(sql, params, [&](const SqlRow& row) { out = ReadRegion(row); });
  if (!r) return std::unexpected(r.error());
  return out;
}

// After an UPDATE … WHERE version = ? changed nothing: the region is missing or stale.
Error MissingOrStale(SqlConnection& conn, std::string_view code, int64_t expected_version) {
  auto current = LoadRegion(conn, code);
  if (!current) return current.error();
  if (!current->has_value()) return NotFound(fmt::format("no region with code {}", code)).error();
  return Conflict(fmt::format("region {} was changed by someone else: you edited version {}, "
                              "the current version is {}",
                              code, expected_version, (*current)->version),
                  (*current)->version)
      .error();
}

}  // namespace

Result<std::optional<Region>> SqlRegionRepository::Find(std::string_view code) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return LoadRegion(**conn, code);
}

Result<std::vector<Region>> FindRegions(SqlConnection& conn, std::span<const std::string> codes) {
  std::vector<Region> out;
  for (size_t start = 0; start < codes.size(); start += kChunk) {
    const size_t n = std::min(kChunk, codes.size() - start);
    const std::string sql = fmt::format("SELECT {} FROM regions WHERE code IN ({}) ORDER BY code",
                                        kColumns, Placeholders(n));
    std::vector<SqlValue> params(codes.begin() + start, codes.begin() + start + n);
    auto r = conn.Run(sql, params, [&](const SqlRow& row) { out.push_back(ReadRegion(row)); });
    if (!r) return std::unexpected(r.error());
  }
  return out;
}

Result<std::vector<Region>> SqlRegionRepository::FindMany(std::span<const std::string> codes) {
  if (codes.empty()) return std::vector<Region>();
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return FindRegions(**conn, codes);
}

Result<std::vector<RegionListItem>> SqlRegionRepository::Children(std::string_view parent_code,
                                                                  bool include_closed) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  const std::string sql =
      fmt::format("SELECT {}, {} FROM regions r WHERE {}{} ORDER BY code", kColumns, kChildCount,
                  parent_code.empty() ? "r.parent_code IS NULL" : "r.parent_code = ?",
                  include_closed ? "" : " AND r.closed_on IS NULL");
  std::vector<SqlValue> params;
  if (!parent_code.empty()) params.emplace_back(std::string(parent_code));
  return QueryAll<RegionListItem>(**conn, sql, params, ReadListItem);
}

Result<regions::RegionPage> SqlRegionRepository::Search(const regions::RegionQuery& query) {
  std::string where = "1 = 1";
  std::vector<SqlValue> params;
  if (!query.within.empty()) {
    auto level = regions::LevelOfCode(query.within);
    if (!level) return std::unexpected(level.error());
    const auto range = regions::SubtreeRange(query.within, *level);
    where += " AND r.code BETWEEN ? AND ?";
    params.emplace_back(range.low);
    params.emplace_back(range.high);
  }
  if (query.level) {
    where += " AND r.level = ?";
    params.emplace_back(static_cast<int64_t>(*query.level));
  }
  if (!query.include_closed) where += " AND r.closed_on IS NULL";
  if (!query.text.empty()) {
    std::string pattern = "%";
    for (char c : ToLowerAscii(query.text)) {
      if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
      pattern.push_back(c);
    }
    pattern.push_back('%');
    if (IsAsciiDigits(query.text)) {
      where += " AND (r.code LIKE ? OR lower(r.name) LIKE ? ESCAPE '\\')";
      params.emplace_back(query.text + "%");
    } else {
      where += " AND lower(r.name) LIKE ? ESCAPE '\\'";
    }
    params.emplace_back(std::move(pattern));
  }
  std::string_view order = "r.code";
  switch (query.sort) {
    case regions::RegionSort::kCode:
      order = "r.code";
      break;
    case regions::RegionSort::kCodeDesc:
      order = "r.code DESC";
      break;
    case regions::RegionSort::kName:
      order = "r.name COLLATE \"C\", r.code";
      break;
    case regions::RegionSort::kNameDesc:
      order = "r.name COLLATE \"C\" DESC, r.code";
      break;
  }
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  regions::RegionPage page;
  auto counted = (*conn)->Run(fmt::format("SELECT count(*) FROM regions r WHERE {}", where), params,
                              [&](const SqlRow& row) { page.total = row.Int(0); });
  if (!counted) return std::unexpected(counted.error());
  params.emplace_back(query.limit);
  params.emplace_back(query.offset);
  auto items = QueryAll<RegionListItem>(
      **conn,
      fmt::format("SELECT {}, {} FROM regions r WHERE {} ORDER BY {} LIMIT ? OFFSET ?", kColumns,
                  kChildCount, where, order),
      params, ReadListItem);
  if (!items) return std::unexpected(items.error());
  page.items = std::move(*items);
  return page;
}

Result<regions::LevelCounts> SqlRegionRepository::CountByLevel(std::string_view code) {
  std::string sql = "SELECT level, count(*) FROM regions WHERE closed_on IS NULL";
  std::vector<SqlValue> params;
  if (!code.empty()) {
    auto level = regions::LevelOfCode(code);
    if (!level) return std::unexpected(level.error());
    const auto range = regions::SubtreeRange(code, *level);
    sql += " AND code BETWEEN ? AND ?";
    params = {range.low, range.high};
  }
  sql += " GROUP BY level";
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  regions::LevelCounts counts{};
  auto r = (*conn)->Run(sql, params, [&](const SqlRow& row) {
    const int64_t level = row.Int(0);
    if (level >= 1 && level <= regions::kLevelCount) counts[level - 1] = row.Int(1);
  });
  if (!r) return std::unexpected(r.error());
  return counts;
}

Result<regions::UpsertCounts> SqlRegionRepository::Upsert(std::span<const Region> regions,
                                                          const audit::Actor& actor,
                                                          std::string_view note) {
  return InTransaction<regions::UpsertCounts>(
      pool_, [&](SqlConnection& conn) -> Result<regions::UpsertCounts> {
        // The stored state of every code in the batch, fetched in chunks.
        std::map<std::string, std::pair<std::string, bool>> stored;  // code → (name, closed)
        for (size_t start = 0; start < regions.size(); start += kChunk) {
          const size_t n = std::min(kChunk, regions.size() - start);
          std::vector<SqlValue> params;
          for (size_t i = start; i < start + n; ++i) params.emplace_back(regions[i].code);
          auto r =
              conn.Run(fmt::format("SELECT code, name, closed_on FROM regions WHERE code IN ({})",
                                   Placeholders(n)),
                       params, [&](const SqlRow& row) {
                         stored[row.Text(0)] = {row.Text(1), !row.IsNull(2)};
                       });
          if (!r) return std::unexpected(r.error());
        }
        regions::UpsertCounts counts;
        std::vector<std::string> touched;
        const std::string now = Now();
        std::vector<const Region*> inserts;
        for (const Region& r : regions) {
          auto it = stored.find(r.code);
          if (it == stored.end()) {
            inserts.push_back(&r);
            stored[r.code] = {r.name, false};  // a duplicate later in the batch updates
            continue;
          }
          if (it->second.second) {
            return FailedPrecondition(
                fmt::format("region {} is closed and cannot be changed", r.code));
          }
          if (it->second.first == r.name) {
            ++counts.unchanged;
            continue;
          }
          auto changed = Execute(conn,
                                 "UPDATE regions SET name = ?, version = version + 1, "
                                 "updated_at = ? WHERE code = ?",
                                 {r.name, now, r.code});
          if (!changed) return std::unexpected(changed.error());
          it->second.first = r.name;
          ++counts.updated;
          touched.push_back(r.code);
        }
        // Parents first: the caller orders by level, and multi-row inserts keep that order.
        for (size_t start = 0; start < inserts.size(); start += kChunk) {
          const size_t n = std::min(kChunk, inserts.size() - start);
          std::string sql =
              "INSERT INTO regions (code, name, level, parent_code, synthetic, updated_at) VALUES ";
          std::vector<SqlValue> params;
          params.reserve(n * 6);
          for (size_t i = 0; i < n; ++i) {
            const Region& r = *inserts[start + i];
            sql += i == 0 ? "(?, ?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?, ?)";
            params.emplace_back(r.code);
            params.emplace_back(r.name);
            params.emplace_back(static_cast<int64_t>(r.level));
            params.emplace_back(NullableText(r.parent_code));
            params.emplace_back(static_cast<int64_t>(r.synthetic ? 1 : 0));
            params.emplace_back(now);
          }
          auto inserted = conn.Run(sql, params, nullptr);
          if (!inserted) {
            Error e = inserted.error();
            if (e.code == ErrorCode::kFailedPrecondition) {
              e.message = "a region's parent does not exist (foreign key): " + e.message;
            }
            return std::unexpected(std::move(e));
          }
          counts.inserted += *inserted;
          for (size_t i = 0; i < n; ++i) touched.push_back(inserts[start + i]->code);
        }
        // One audit entry for the whole batch: what, how many, and which codes changed.
        audit::Entry entry;
        entry.actor = actor;
        entry.action = "import";
        entry.entity = "region";
        entry.region_code = CoveringRegion(touched);
        std::string ids;
        for (const auto& c : touched) ids += (ids.empty() ? "" : ",") + c;
        entry.note = fmt::format("{}; {} inserted, {} updated, {} unchanged; codes: {}", note,
                                 counts.inserted, counts.updated, counts.unchanged, ids);
        FUPIN_TRY(AppendAudit(conn, std::move(entry)));
        if (counts.inserted + counts.updated > 0) FUPIN_TRY(BumpChangeCounter(conn, "regions"));
        return counts;
      });
}

Result<Region> SqlRegionRepository::Rename(std::string_view code, std::string_view name,
                                           int64_t expected_version, const audit::Actor& actor) {
  return InTransaction<Region>(pool_, [&](SqlConnection& conn) -> Result<Region> {
    auto before = LoadRegion(conn, code);
    if (!before) return std::unexpected(before.error());
    if (!before->has_value()) return NotFound(fmt::format("no region with code {}", code));
    auto changed = Execute(conn,
                           "UPDATE regions SET name = ?, version = version + 1, updated_at = ? "
                           "WHERE code = ? AND version = ?",
                           {std::string(name), Now(), std::string(code), expected_version});
    if (!changed) return std::unexpected(changed.error());
    if (*changed == 0) return std::unexpected(MissingOrStale(conn, code, expected_version));
    auto region = LoadRegion(conn, code);
    if (!region) return std::unexpected(region.error());
    audit::Entry entry;
    entry.actor = actor;
    entry.action = "update";
    entry.entity = "region";
    entry.entity_id = std::string(code);
    entry.region_code = std::string(code);
    entry.changes = {{"name", (*before)->name, std::string(name)}};
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    FUPIN_TRY(BumpChangeCounter(conn, "regions"));
    return **region;
  });
}

Result<Region> SqlRegionRepository::Close(std::string_view code, const Date& on,
                                          std::string_view successor_code, int64_t expected_version,
                                          const audit::Actor& actor) {
  return InTransaction<Region>(pool_, [&](SqlConnection& conn) -> Result<Region> {
    auto current = LoadRegion(conn, code);
    if (!current) return std::unexpected(current.error());
    if (!current->has_value()) return NotFound(fmt::format("no region with code {}", code));
    if ((*current)->IsClosed()) {
      return FailedPrecondition(fmt::format("region {} was already closed on {}", code,
                                            (*current)->closed_on->ToString()));
    }
    int64_t open_children = 0;
    const SqlValue params[] = {std::string(code)};
    auto counted =
        conn.Run("SELECT count(*) FROM regions WHERE parent_code = ? AND closed_on IS NULL", params,
                 [&](const SqlRow& row) { open_children = row.Int(0); });
    if (!counted) return std::unexpected(counted.error());
    if (open_children > 0) {
      return FailedPrecondition(
          fmt::format("region {} still has {} open subordinate regions; close or move them first",
                      code, open_children));
    }
    auto changed = Execute(
        conn,
        "UPDATE regions SET closed_on = ?, successor_code = ?, "
        "version = version + 1, updated_at = ? WHERE code = ? AND version = ?",
        {on.ToString(), NullableText(successor_code), Now(), std::string(code), expected_version});
    if (!changed) return std::unexpected(changed.error());
    if (*changed == 0) return std::unexpected(MissingOrStale(conn, code, expected_version));
    auto region = LoadRegion(conn, code);
    if (!region) return std::unexpected(region.error());
    audit::Entry entry;
    entry.actor = actor;
    entry.action = "close";
    entry.entity = "region";
    entry.entity_id = std::string(code);
    entry.region_code = std::string(code);
    entry.changes = {{"closed_on", std::nullopt, on.ToString()}};
    if (!successor_code.empty()) {
      entry.changes.push_back({"successor_code", std::nullopt, std::string(successor_code)});
    }
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    FUPIN_TRY(BumpChangeCounter(conn, "regions"));
    return **region;
  });
}

}  // namespace fupin::storage
