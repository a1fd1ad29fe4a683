#include "storage/boundary_store.h"

#include <fmt/format.h>

#include <map>

#include "regions/region.h"
#include "storage/audit_store.h"

namespace fupin::storage {
namespace {

constexpr size_t kChunk = 400;
constexpr std::string_view kSelect =
    "SELECT b.code, r.name, b.geometry, b.synthetic, b.source FROM region_boundaries b "
    "JOIN regions r ON r.code = b.code";

regions::Boundary ReadBoundary(const SqlRow& row) {
  return {row.Text(0), row.Text(1), row.Text(2), row.Int(3) != 0, row.Text(4)};
}

// The smallest region whose subtree holds every code ("" when they span provinces).
std::string CommonAncestor(std::span<const regions::Boundary> boundaries) {
  if (boundaries.empty()) return "";
  std::string common = boundaries.front().code;
  for (const auto& b : boundaries) {
    size_t n = 0;
    while (n < common.size() && n < b.code.size() && common[n] == b.code[n]) ++n;
    common.resize(n);
  }
  // Round down to a level's prefix and pad back to 12 digits.
  for (auto level : {regions::RegionLevel::kVillage, regions::RegionLevel::kTownship,
                     regions::RegionLevel::kCounty, regions::RegionLevel::kCity,
                     regions::RegionLevel::kProvince}) {
    const size_t len = static_cast<size_t>(regions::PrefixLength(level));
    if (common.size() >= len) return common.substr(0, len) + std::string(12 - len, '0');
  }
  return "";
}

}  // namespace

Result<std::vector<regions::Boundary>> SqlBoundaryRepository::ChildBoundaries(
    std::string_view parent_code) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<regions::Boundary> out;
  const bool top = parent_code.empty();
  std::vector<SqlValue> params;
  if (!top) params.emplace_back(std::string(parent_code));
  FUPIN_TRY((*conn)->Run(fmt::format("{} WHERE {} ORDER BY b.code", kSelect,
                                     top ? "r.parent_code IS NULL" : "r.parent_code = ?"),
                         params, [&](const SqlRow& row) { out.push_back(ReadBoundary(row)); }));
  return out;
}

Result<std::vector<regions::Boundary>> SqlBoundaryRepository::Find(std::string_view code) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<regions::Boundary> out;
  const SqlValue params[] = {std::string(code)};
  FUPIN_TRY((*conn)->Run(fmt::format("{} WHERE b.code = ?", kSelect), params,
                         [&](const SqlRow& row) { out.push_back(ReadBoundary(row)); }));
  return out;
}

Result<regions::BoundaryCounts> SqlBoundaryRepository::Save(
    std::span<const regions::Boundary> boundaries, const audit::Actor& actor,
    std::string_view note) {
  return InTransaction<regions::BoundaryCounts>(
      pool_, [&](SqlConnection& conn) -> Result<regions::BoundaryCounts> {
        std::map<std::string, std::string> stored;  // code → geometry
        std::map<std::string, bool> known;          // regions that exist
        for (size_t first = 0; first < boundaries.size(); first += kChunk) {
          const size_t n = std::min(kChunk, boundaries.size() - first);
          std::vector<SqlValue> codes;
          for (size_t i = first; i < first + n; ++i) codes.emplace_back(boundaries[i].code);
          FUPIN_TRY(conn.Run(
              fmt::format("SELECT r.code, b.geometry FROM regions r LEFT JOIN region_boundaries b "
                          "ON b.code = r.code WHERE r.code IN ({})",
                          Placeholders(n)),
              codes, [&](const SqlRow& row) {
                known[row.Text(0)] = true;
                if (!row.IsNull(1)) stored[row.Text(0)] = row.Text(1);
              }));
        }
        std::vector<ErrorDetail> unknown;
        for (size_t i = 0; i < boundaries.size(); ++i) {
          if (!known.contains(boundaries[i].code)) {
            unknown.push_back(
                {static_cast<int64_t>(i + 1), "code", boundaries[i].code, "is not a known region"});
          }
        }
        if (!unknown.empty()) {
          return InvalidArgument(fmt::format("{} boundaries name unknown regions", unknown.size()),
                                 std::move(unknown));
        }
        regions::BoundaryCounts counts;
        const std::string now = FormatTimestampUtc(std::chrono::system_clock::now());
        for (const regions::Boundary& b : boundaries) {
          auto it = stored.find(b.code);
          if (it != stored.end() && it->second == b.geometry) {
            ++counts.unchanged;
            continue;
          }
          FUPIN_TRY(
              Execute(conn,
                      "INSERT INTO region_boundaries (code, geometry, synthetic, source, "
                      "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
                      "geometry = excluded.geometry, synthetic = excluded.synthetic, "
                      "source = excluded.source, updated_at = excluded.updated_at",
                      {b.code, b.geometry, static_cast<int64_t>(b.synthetic), b.source, now}));
          ++(it == stored.end() ? counts.inserted : counts.updated);
          stored[b.code] = b.geometry;
        }
        audit::Entry entry;
        entry.actor = actor;
        entry.action = "import";
        entry.entity = "region_boundary";
        entry.region_code = CommonAncestor(boundaries);
        entry.note = fmt::format("{}; inserted {}, updated {}, unchanged {}", note, counts.inserted,
                                 counts.updated, counts.unchanged);
        FUPIN_TRY(AppendAudit(conn, std::move(entry)));
        return counts;
      });
}

}  // namespace fupin::storage
