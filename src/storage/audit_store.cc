#include "storage/audit_store.h"

#include <fmt/format.h>

#include <map>

#include "regions/region.h"

namespace fupin::storage {
namespace {

constexpr std::string_view kEntryColumns =
    "seq, at, actor, actor_user_id, address, action, entity, entity_id, region_code, note, "
    "prev_hash, hash";

audit::Entry ReadEntry(const SqlRow& row) {
  audit::Entry e;
  e.seq = row.Int(0);
  e.at = row.Text(1);
  e.actor = {row.Text(2), row.Int(3), row.Text(4)};
  e.action = row.Text(5);
  e.entity = row.Text(6);
  e.entity_id = row.Text(7);
  e.region_code = row.Text(8);
  e.note = row.Text(9);
  e.prev_hash = row.Text(10);
  e.hash = row.Text(11);
  return e;
}

// Loads the changes of the entries in [first_seq, last_seq] into `entries` (keyed by seq).
Status LoadChanges(SqlConnection& conn, std::map<int64_t, audit::Entry*>& entries, int64_t first,
                   int64_t last) {
  const SqlValue params[] = {first, last};
  auto r = conn.Run(
      "SELECT seq, field, old_value, new_value FROM audit_changes WHERE seq BETWEEN ? AND ? "
      "ORDER BY seq, position",
      params, [&](const SqlRow& row) {
        auto it = entries.find(row.Int(0));
        if (it == entries.end()) return;
        it->second->changes.push_back({row.Text(1), row.OptionalText(2), row.OptionalText(3)});
      });
  if (!r) return std::unexpected(r.error());
  return {};
}

}  // namespace

Result<audit::Entry> AppendAudit(SqlConnection& conn, audit::Entry entry) {
  if (conn.backend() == Backend::kPostgres) {
    FUPIN_TRY(Execute(conn, "SELECT pg_advisory_xact_lock(7346002)"));
  }
  int64_t last_seq = 0;
  std::string last_hash;
  auto head = conn.Run("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", {},
                       [&](const SqlRow& row) {
                         last_seq = row.Int(0);
                         last_hash = row.Text(1);
                       });
  if (!head) return std::unexpected(head.error());
  entry.seq = last_seq + 1;
  entry.prev_hash = last_hash;
  if (entry.at.empty()) entry.at = FormatTimestampUtc(std::chrono::system_clock::now());
  entry.hash = audit::ComputeHash(entry);
  FUPIN_TRY(
      Execute(conn,
              "INSERT INTO audit_log (seq, at, actor, actor_user_id, address, action, entity, "
              "entity_id, region_code, note, prev_hash, hash) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {entry.seq, entry.at, entry.actor.name, entry.actor.user_id, entry.actor.address,
               entry.action, entry.entity, entry.entity_id, entry.region_code, entry.note,
               entry.prev_hash, entry.hash}));
  for (size_t i = 0; i < entry.changes.size(); ++i) {
    const auto& c = entry.changes[i];
    FUPIN_TRY(Execute(conn,
                      "INSERT INTO audit_changes (seq, position, field, old_value, new_value) "
                      "VALUES (?, ?, ?, ?, ?)",
                      {entry.seq, static_cast<int64_t>(i), c.field,
                       c.before ? SqlValue(*c.before) : SqlValue(nullptr),
                       c.after ? SqlValue(*c.after) : SqlValue(nullptr)}));
  }
  return entry;
}

Result<audit::Page> SqlAuditRepository::List(const audit::Query& q) {
  std::string where = "1 = 1";
  std::vector<SqlValue> params;
  // The reader's scope: a union of subtrees, or everything.
  auto scope = ScopeCondition(q.scope, "region_code", params);
  if (!scope) return std::unexpected(scope.error());
  where += " AND " + *scope;
  if (!q.region.empty()) {
    auto level = regions::LevelOfCode(q.region);
    if (!level) return std::unexpected(level.error());
    const auto range = regions::SubtreeRange(q.region, *level);
    where += " AND region_code BETWEEN ? AND ?";
    params.emplace_back(range.low);
    params.emplace_back(range.high);
  }
  if (!q.actor.empty()) {
    where += " AND actor = ?";
    params.emplace_back(q.actor);
  }
  if (!q.entity.empty()) {
    where += " AND entity = ?";
    params.emplace_back(q.entity);
  }
  if (!q.entity_id.empty()) {
    where += " AND entity_id = ?";
    params.emplace_back(q.entity_id);
  }
  if (!q.from.empty()) {
    where += " AND at >= ?";
    params.emplace_back(q.from);
  }
  if (!q.to.empty()) {
    where += " AND at <= ?";
    params.emplace_back(q.to);
  }
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  audit::Page page;
  FUPIN_TRY((*conn)->Run(fmt::format("SELECT count(*) FROM audit_log WHERE {}", where), params,
                         [&](const SqlRow& row) { page.total = row.Int(0); }));
  params.emplace_back(q.limit);
  params.emplace_back(q.offset);
  auto items = QueryAll<audit::Entry>(
      **conn,
      fmt::format("SELECT {} FROM audit_log WHERE {} ORDER BY seq DESC LIMIT ? OFFSET ?",
                  kEntryColumns, where),
      params, ReadEntry);
  if (!items) return std::unexpected(items.error());
  page.items = std::move(*items);
  if (!page.items.empty()) {
    std::map<int64_t, audit::Entry*> by_seq;
    for (auto& e : page.items) by_seq[e.seq] = &e;
    FUPIN_TRY(LoadChanges(**conn, by_seq, page.items.back().seq, page.items.front().seq));
  }
  return page;
}

Result<audit::Verification> SqlAuditRepository::Verify(const std::optional<audit::Head>& expected) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  // One read transaction, so the chain and its changes are one snapshot.
  FUPIN_TRY((*conn)->Begin(false));
  std::vector<audit::Entry> entries;
  auto r = (*conn)->Run(fmt::format("SELECT {} FROM audit_log ORDER BY seq", kEntryColumns), {},
                        [&](const SqlRow& row) { entries.push_back(ReadEntry(row)); });
  if (!r) {
    (*conn)->Rollback();
    return std::unexpected(r.error());
  }
  std::map<int64_t, audit::Entry*> by_seq;
  for (auto& e : entries) by_seq[e.seq] = &e;
  if (!entries.empty()) {
    if (auto loaded = LoadChanges(**conn, by_seq, entries.front().seq, entries.back().seq);
        !loaded) {
      (*conn)->Rollback();
      return std::unexpected(loaded.error());
    }
  }
  (*conn)->Rollback();
  return audit::VerifyChain(entries, expected);
}

Result<audit::Head> SqlAuditRepository::CurrentHead() {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  audit::Head head;
  FUPIN_TRY((*conn)->Run("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", {},
                         [&](const SqlRow& row) {
                           head.count = row.Int(0);
                           head.hash = row.Text(1);
                         }));
  return head;
}

Result<audit::Entry> SqlAuditRepository::Append(const audit::Entry& entry) {
  return InTransaction<audit::Entry>(pool_,
                                     [&](SqlConnection& conn) { return AppendAudit(conn, entry); });
}

}  // namespace fupin::storage
