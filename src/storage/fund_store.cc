#include "storage/fund_store.h"

#include <fmt/format.h>

#include <chrono>
#include <map>

#include "projects/model.h"
#include "regions/region.h"
#include "storage/audit_store.h"

namespace fupin::storage {
namespace {

using funds::Allocation;
using funds::FundBatch;
using funds::NoticePosting;
using funds::Payment;
using funds::PurposeShare;
using projects::Yuan;

std::string Now() { return FormatTimestampUtc(std::chrono::system_clock::now()); }

Date DateOf(const std::string& text) {
  auto d = ParseDate(text);
  return d ? *d : Date{};
}

constexpr std::string_view kBatchColumns =
    "id, source, document_number, title, year, level, region_code, issued_on, amount_fen, "
    "note, allocated_fen, version, created_by, created_at, updated_at";

FundBatch ReadBatch(const SqlRow& row) {
  FundBatch b;
  b.id = row.Int(0);
  b.source = row.Text(1);
  b.document_number = row.Text(2);
  b.title = row.Text(3);
  b.year = static_cast<int>(row.Int(4));
  b.level = row.Text(5);
  b.region_code = row.Text(6);
  b.issued_on = DateOf(row.Text(7));
  b.amount_fen = row.Int(8);
  b.note = row.Text(9);
  b.allocated_fen = row.Int(10);
  b.version = row.Int(11);
  b.created_by = row.Text(12);
  b.created_at = row.Text(13);
  b.updated_at = row.Text(14);
  return b;
}

std::vector<audit::Field> AuditFields(const FundBatch& b) {
  return {{"source", b.source, false},
          {"document_number", b.document_number, false},
          {"title", b.title, false},
          {"year", std::to_string(b.year), false},
          {"level", b.level, false},
          {"region_code", b.region_code, false},
          {"issued_on", b.issued_on.ToString(), false},
          {"amount_fen", std::to_string(b.amount_fen), false},
          {"note", b.note, false}};
}

std::string PurposesText(const std::vector<PurposeShare>& shares) {
  std::string out;
  for (const auto& s : shares) {
    if (!out.empty()) out += "; ";
    out += fmt::format("{} {}", s.purpose, s.amount_fen);
  }
  return out;
}

std::vector<audit::Field> AuditFields(const Allocation& a) {
  return {{"batch_id", std::to_string(a.batch_id), false},
          {"project_id", std::to_string(a.project_id), false},
          {"allocated_on", a.allocated_on.ToString(), false},
          {"amount_fen", std::to_string(a.amount_fen), false},
          {"purposes", PurposesText(a.purposes), false},
          {"note", a.note, false}};
}

// Allocations with their project and batch, for lists.
constexpr std::string_view kAllocationFrom =
    "fund_allocations a JOIN projects p ON p.id = a.project_id JOIN fund_batches b ON b.id = "
    "a.batch_id";
constexpr std::string_view kAllocationColumns =
    "a.id, a.batch_id, a.project_id, a.allocated_on, a.amount_fen, a.paid_fen, a.note, "
    "a.version, a.created_by, a.created_at, p.name, p.region_code, b.source, b.document_number";

Allocation ReadAllocation(const SqlRow& row) {
  Allocation a;
  a.id = row.Int(0);
  a.batch_id = row.Int(1);
  a.project_id = row.Int(2);
  a.allocated_on = DateOf(row.Text(3));
  a.amount_fen = row.Int(4);
  a.paid_fen = row.Int(5);
  a.note = row.Text(6);
  a.version = row.Int(7);
  a.created_by = row.Text(8);
  a.created_at = row.Text(9);
  a.project_name = row.Text(10);
  a.project_region = row.Text(11);
  a.batch_source = row.Text(12);
  a.batch_document = row.Text(13);
  return a;
}

constexpr std::string_view kPaymentFrom =
    "fund_payments f JOIN fund_allocations a ON a.id = f.allocation_id JOIN projects p ON p.id "
    "= a.project_id JOIN fund_batches b ON b.id = a.batch_id";
constexpr std::string_view kPaymentColumns =
    "f.id, f.allocation_id, f.paid_on, f.payee, f.amount_fen, f.purpose, f.voucher_number, "
    "f.note, f.voided, f.void_reason, f.recorded_by, f.recorded_at, a.project_id, a.batch_id, "
    "p.region_code";

Payment ReadPayment(const SqlRow& row) {
  Payment p;
  p.id = row.Int(0);
  p.allocation_id = row.Int(1);
  p.paid_on = DateOf(row.Text(2));
  p.payee = row.Text(3);
  p.amount_fen = row.Int(4);
  p.purpose = row.Text(5);
  p.voucher_number = row.Text(6);
  p.note = row.Text(7);
  p.voided = row.Int(8) != 0;
  p.void_reason = row.Text(9);
  p.recorded_by = row.Text(10);
  p.recorded_at = row.Text(11);
  p.project_id = row.Int(12);
  p.batch_id = row.Int(13);
  return p;
}

// The condition of allocations and payments seen by `scope` (by their project's region),
// narrowed to the `within` subtree when one is given.
Result<std::string> ProjectRegions(const std::vector<std::string>& scope, const std::string& within,
                                   std::vector<SqlValue>& params) {
  auto in_scope = ScopeCondition(scope, "p.region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  if (within.empty()) return in_scope;
  auto narrowed = ScopeCondition({within}, "p.region_code", params);
  if (!narrowed) return std::unexpected(narrowed.error());
  return *in_scope + " AND " + *narrowed;
}

Result<std::optional<FundBatch>> LoadBatch(SqlConnection& conn, int64_t id,
                                           const std::vector<std::string>& scope) {
  std::vector<SqlValue> params = {id};
  auto in_scope = ScopeOrAboveCondition(scope, "region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  std::optional<FundBatch> out;
  FUPIN_TRY(conn.Run(
      fmt::format("SELECT {} FROM fund_batches WHERE id = ? AND {}", kBatchColumns, *in_scope),
      params, [&](const SqlRow& row) { out = ReadBatch(row); }));
  return out;
}

// Allocations matching `where` (with `params`), their purposes filled in.
Result<std::vector<Allocation>> LoadAllocations(SqlConnection& conn, const std::string& where,
                                                const std::vector<SqlValue>& params) {
  auto items =
      QueryAll<Allocation>(conn,
                           fmt::format("SELECT {} FROM {} WHERE {} ORDER BY a.allocated_on, a.id",
                                       kAllocationColumns, kAllocationFrom, where),
                           params, ReadAllocation);
  if (!items) return std::unexpected(items.error());
  if (items->empty()) return items;
  std::map<int64_t, Allocation*> by_id;
  for (auto& a : *items) by_id[a.id] = &a;
  FUPIN_TRY(conn.Run(fmt::format("SELECT ap.allocation_id, ap.purpose, ap.amount_fen FROM "
                                 "fund_allocation_purposes ap JOIN fund_allocations a ON a.id = "
                                 "ap.allocation_id JOIN projects p ON p.id = a.project_id JOIN "
                                 "fund_batches b ON b.id = a.batch_id WHERE {} ORDER BY "
                                 "ap.allocation_id, ap.position",
                                 where),
                     params, [&](const SqlRow& row) {
                       auto it = by_id.find(row.Int(0));
                       if (it != by_id.end()) {
                         it->second->purposes.push_back({row.Text(1), row.Int(2)});
                       }
                     }));
  return items;
}

Result<std::optional<Allocation>> LoadAllocation(SqlConnection& conn, int64_t id,
                                                 const std::vector<std::string>& scope) {
  std::vector<SqlValue> params = {id};
  auto in_scope = ScopeCondition(scope, "p.region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  auto found = LoadAllocations(conn, "a.id = ? AND " + *in_scope, params);
  if (!found) return std::unexpected(found.error());
  if (found->empty()) return std::optional<Allocation>{};
  return std::optional<Allocation>(std::move(found->front()));
}

Result<std::optional<Payment>> LoadPayment(SqlConnection& conn, int64_t id,
                                           std::string* region = nullptr) {
  std::optional<Payment> out;
  const SqlValue key[] = {id};
  FUPIN_TRY(conn.Run(fmt::format("SELECT {} FROM {} WHERE f.id = ?", kPaymentColumns, kPaymentFrom),
                     key, [&](const SqlRow& row) {
                       out = ReadPayment(row);
                       if (region) *region = row.Text(14);
                     }));
  return out;
}

std::vector<audit::Field> AuditFields(const Payment& p) {
  return {{"allocation_id", std::to_string(p.allocation_id), false},
          {"paid_on", p.paid_on.ToString(), false},
          {"payee", p.payee, false},
          {"amount_fen", std::to_string(p.amount_fen), false},
          {"purpose", p.purpose, false},
          {"voucher_number", p.voucher_number, false},
          {"note", p.note, false}};
}

Status AppendEntry(SqlConnection& conn, const audit::Actor& actor, std::string action,
                   std::string entity, int64_t id, std::string region,
                   std::vector<audit::FieldChange> changes) {
  audit::Entry entry;
  entry.actor = actor;
  entry.action = std::move(action);
  entry.entity = std::move(entity);
  entry.entity_id = std::to_string(id);
  entry.region_code = std::move(region);
  entry.changes = std::move(changes);
  auto appended = AppendAudit(conn, std::move(entry));
  if (!appended) return std::unexpected(appended.error());
  return {};
}

// Moves a batch's running total by `delta` if it stays within the batch; refuses with the
// figures otherwise.
Status MoveAllocated(SqlConnection& conn, int64_t batch_id, int64_t delta) {
  auto moved = Execute(conn,
                       "UPDATE fund_batches SET allocated_fen = allocated_fen + ? WHERE id = ? AND "
                       "allocated_fen + ? <= amount_fen",
                       {delta, batch_id, delta});
  if (!moved) return std::unexpected(moved.error());
  if (*moved == 1) return {};
  auto batch = LoadBatch(conn, batch_id, {""});
  if (!batch) return std::unexpected(batch.error());
  if (!*batch) return NotFound(fmt::format("no fund batch with id {}", batch_id));
  const FundBatch& b = **batch;
  const std::string reason =
      fmt::format("exceeds what is left of batch {}: amount {}, allocated {}, left {} (yuan)",
                  b.document_number, Yuan(b.amount_fen), Yuan(b.allocated_fen),
                  Yuan(b.amount_fen - b.allocated_fen));
  return InvalidArgument(fmt::format("the allocation {}", reason),
                         {{0, "amount_fen", std::to_string(delta), reason}});
}

Status ReplacePurposes(SqlConnection& conn, int64_t allocation_id,
                       const std::vector<PurposeShare>& shares) {
  FUPIN_TRY(Execute(conn, "DELETE FROM fund_allocation_purposes WHERE allocation_id = ?",
                    {allocation_id}));
  int64_t position = 0;
  for (const auto& s : shares) {
    FUPIN_TRY(Execute(conn,
                      "INSERT INTO fund_allocation_purposes (allocation_id, position, purpose, "
                      "amount_fen) VALUES (?, ?, ?, ?)",
                      {allocation_id, position++, s.purpose, s.amount_fen}));
  }
  return {};
}

}  // namespace

Result<funds::BatchPage> SqlFundRepository::ListBatches(const funds::BatchQuery& query) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  auto in_scope = ScopeOrAboveCondition(query.scope, "region_code", params);
  if (!in_scope) return std::unexpected(in_scope.error());
  std::string where = *in_scope;
  if (!query.within.empty()) {
    auto within = ScopeCondition({query.within}, "region_code", params);
    if (!within) return std::unexpected(within.error());
    where += " AND " + *within;
  }
  if (query.year != 0) {
    where += " AND year = ?";
    params.emplace_back(int64_t{query.year});
  }
  if (!query.source.empty()) {
    where += " AND source = ?";
    params.emplace_back(query.source);
  }
  if (!query.text.empty()) {
    where += " AND (document_number LIKE ? OR title LIKE ?)";
    const std::string like = "%" + query.text + "%";
    params.emplace_back(like);
    params.emplace_back(like);
  }
  funds::BatchPage page;
  FUPIN_TRY((*conn)->Run(
      fmt::format("SELECT COUNT(*), COALESCE(SUM(amount_fen), 0), COALESCE(SUM(allocated_fen), "
                  "0) FROM fund_batches WHERE {}",
                  where),
      params, [&](const SqlRow& row) {
        page.total = row.Int(0);
        page.amount_fen = row.Int(1);
        page.allocated_fen = row.Int(2);
      }));
  std::string sql =
      fmt::format("SELECT {} FROM fund_batches WHERE {} ORDER BY issued_on DESC, id DESC",
                  kBatchColumns, where);
  if (query.limit > 0) {
    sql += " LIMIT ? OFFSET ?";
    params.emplace_back(query.limit);
    params.emplace_back(query.offset);
  }
  auto items = QueryAll<FundBatch>(**conn, sql, params, ReadBatch);
  if (!items) return std::unexpected(items.error());
  page.items = std::move(*items);
  return page;
}

Result<std::optional<FundBatch>> SqlFundRepository::FindBatch(
    int64_t id, const std::vector<std::string>& scope) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return LoadBatch(**conn, id, scope);
}

Result<FundBatch> SqlFundRepository::SaveBatch(const FundBatch& b, const audit::Actor& actor) {
  return InTransaction<FundBatch>(pool_, [&](SqlConnection& conn) -> Result<FundBatch> {
    bool known_region = false;
    const SqlValue region_key[] = {b.region_code};
    FUPIN_TRY(conn.Run("SELECT 1 FROM regions WHERE code = ?", region_key,
                       [&](const SqlRow&) { known_region = true; }));
    if (!known_region) {
      return InvalidArgument(fmt::format("no region with code {}", b.region_code),
                             {{0, "region", b.region_code, "is not a known region"}});
    }
    int64_t same_document = 0;
    const SqlValue document_key[] = {b.region_code, b.document_number, b.id};
    FUPIN_TRY(conn.Run(
        "SELECT id FROM fund_batches WHERE region_code = ? AND document_number = ? AND id <> ?",
        document_key, [&](const SqlRow& row) { same_document = row.Int(0); }));
    if (same_document != 0) {
      return MakeError(
          ErrorCode::kAlreadyExists,
          fmt::format("batch {} already has document number {} in region {}", same_document,
                      b.document_number, b.region_code),
          {{0, "document_number", b.document_number,
            fmt::format("is already used by fund batch {} of the same region", same_document)}});
    }
    const std::string now = Now();
    std::optional<FundBatch> before;
    int64_t id = b.id;
    if (id == 0) {
      FUPIN_TRY(conn.Run(
          "INSERT INTO fund_batches (source, document_number, title, year, level, region_code, "
          "issued_on, amount_fen, note, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, "
          "?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          std::vector<SqlValue>{b.source, b.document_number, b.title, int64_t{b.year}, b.level,
                                b.region_code, b.issued_on.ToString(), b.amount_fen, b.note,
                                actor.name, now, now},
          [&](const SqlRow& row) { id = row.Int(0); }));
    } else {
      auto stored = LoadBatch(conn, id, {""});
      if (!stored) return std::unexpected(stored.error());
      if (!*stored) return NotFound(fmt::format("no fund batch with id {}", id));
      const FundBatch& current = **stored;
      if (current.version != b.version) {
        return StaleVersion("fund batch", id, "edited", b.version, current.version);
      }
      before = current;
      auto updated =
          Execute(conn,
                  "UPDATE fund_batches SET source = ?, document_number = ?, title = ?, "
                  "year = ?, level = ?, region_code = ?, issued_on = ?, amount_fen = "
                  "?, note = ?, version = version + 1, updated_at = ? WHERE id = ? AND "
                  "version = ? AND allocated_fen <= ?",
                  {b.source, b.document_number, b.title, int64_t{b.year}, b.level, b.region_code,
                   b.issued_on.ToString(), b.amount_fen, b.note, now, id, b.version, b.amount_fen});
      if (!updated) return std::unexpected(updated.error());
      if (*updated == 0) {
        const std::string reason =
            fmt::format("is below what is already allocated from the batch: {} yuan",
                        Yuan(current.allocated_fen));
        return InvalidArgument(fmt::format("the amount of fund batch {} {}", id, reason),
                               {{0, "amount_fen", std::to_string(b.amount_fen), reason}});
      }
    }
    auto after = LoadBatch(conn, id, {""});
    if (!after) return std::unexpected(after.error());
    if (!*after) return Internal(fmt::format("fund batch {} vanished while being saved", id));
    FUPIN_TRY(AppendEntry(conn, actor, before ? "update" : "create", "fund_batch", id,
                          b.region_code,
                          audit::Diff(before ? AuditFields(*before) : std::vector<audit::Field>{},
                                      AuditFields(**after), "")));
    return **after;
  });
}

Result<std::vector<Allocation>> SqlFundRepository::ListAllocations(
    const funds::AllocationQuery& query) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  auto regions = ProjectRegions(query.scope, query.within, params);
  if (!regions) return std::unexpected(regions.error());
  std::string where = *regions;
  if (query.batch_id != 0) {
    where += " AND a.batch_id = ?";
    params.emplace_back(query.batch_id);
  }
  if (query.project_id != 0) {
    where += " AND a.project_id = ?";
    params.emplace_back(query.project_id);
  }
  if (query.year != 0) {
    where += " AND b.year = ?";
    params.emplace_back(int64_t{query.year});
  }
  return LoadAllocations(**conn, where, params);
}

Result<std::optional<Allocation>> SqlFundRepository::FindAllocation(
    int64_t id, const std::vector<std::string>& scope) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return LoadAllocation(**conn, id, scope);
}

Result<Allocation> SqlFundRepository::SaveAllocation(const Allocation& a,
                                                     const audit::Actor& actor) {
  return InTransaction<Allocation>(pool_, [&](SqlConnection& conn) -> Result<Allocation> {
    const std::string now = Now();
    std::optional<Allocation> before;
    int64_t id = a.id;
    if (id == 0) {
      auto batch = LoadBatch(conn, a.batch_id, {""});
      if (!batch) return std::unexpected(batch.error());
      if (!*batch) return NotFound(fmt::format("no fund batch with id {}", a.batch_id));
      bool project = false;
      const SqlValue key[] = {a.project_id};
      FUPIN_TRY(conn.Run("SELECT 1 FROM projects WHERE id = ?", key,
                         [&](const SqlRow&) { project = true; }));
      if (!project) return NotFound(fmt::format("no project with id {}", a.project_id));
      FUPIN_TRY(MoveAllocated(conn, a.batch_id, a.amount_fen));
      FUPIN_TRY(conn.Run(
          "INSERT INTO fund_allocations (batch_id, project_id, allocated_on, amount_fen, note, "
          "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
          std::vector<SqlValue>{a.batch_id, a.project_id, a.allocated_on.ToString(), a.amount_fen,
                                a.note, actor.name, now},
          [&](const SqlRow& row) { id = row.Int(0); }));
    } else {
      auto stored = LoadAllocation(conn, id, {""});
      if (!stored) return std::unexpected(stored.error());
      if (!*stored) return NotFound(fmt::format("no fund allocation with id {}", id));
      const Allocation& current = **stored;
      if (current.version != a.version) {
        return StaleVersion("fund allocation", id, "edited", a.version, current.version);
      }
      before = current;
      auto updated =
          Execute(conn,
                  "UPDATE fund_allocations SET allocated_on = ?, amount_fen = ?, note = "
                  "?, version = version + 1 WHERE id = ? AND version = ? AND paid_fen "
                  "<= ?",
                  {a.allocated_on.ToString(), a.amount_fen, a.note, id, a.version, a.amount_fen});
      if (!updated) return std::unexpected(updated.error());
      if (*updated == 0) {
        const std::string reason = fmt::format(
            "is below what is already paid from the allocation: {} yuan", Yuan(current.paid_fen));
        return InvalidArgument(fmt::format("the amount of fund allocation {} {}", id, reason),
                               {{0, "amount_fen", std::to_string(a.amount_fen), reason}});
      }
      if (a.amount_fen != current.amount_fen) {
        FUPIN_TRY(MoveAllocated(conn, current.batch_id, a.amount_fen - current.amount_fen));
      }
    }
    FUPIN_TRY(ReplacePurposes(conn, id, a.purposes));
    auto after = LoadAllocation(conn, id, {""});
    if (!after) return std::unexpected(after.error());
    if (!*after) return Internal(fmt::format("fund allocation {} vanished while being saved", id));
    FUPIN_TRY(AppendEntry(conn, actor, before ? "update" : "create", "fund_allocation", id,
                          (*after)->project_region,
                          audit::Diff(before ? AuditFields(*before) : std::vector<audit::Field>{},
                                      AuditFields(**after), "")));
    return **after;
  });
}

Status SqlFundRepository::DeleteAllocation(int64_t id, int64_t version, const audit::Actor& actor) {
  auto done = InTransaction<bool>(pool_, [&](SqlConnection& conn) -> Result<bool> {
    auto stored = LoadAllocation(conn, id, {""});
    if (!stored) return std::unexpected(stored.error());
    if (!*stored) return NotFound(fmt::format("no fund allocation with id {}", id));
    const Allocation& current = **stored;
    if (current.version != version) {
      return StaleVersion("fund allocation", id, "deleted", version, current.version);
    }
    int64_t payments = 0;
    const SqlValue key[] = {id};
    FUPIN_TRY(conn.Run("SELECT COUNT(*) FROM fund_payments WHERE allocation_id = ?", key,
                       [&](const SqlRow& row) { payments = row.Int(0); }));
    if (payments > 0) {
      return FailedPrecondition(
          fmt::format("fund allocation {} has {} payment(s) recorded (voided ones included) and "
                      "stays on record: revise its amount instead",
                      id, payments));
    }
    FUPIN_TRY(Execute(conn, "DELETE FROM fund_allocation_purposes WHERE allocation_id = ?", {id}));
    FUPIN_TRY(Execute(conn, "DELETE FROM fund_allocations WHERE id = ?", {id}));
    FUPIN_TRY(MoveAllocated(conn, current.batch_id, -current.amount_fen));
    FUPIN_TRY(AppendEntry(conn, actor, "delete", "fund_allocation", id, current.project_region,
                          audit::Diff(AuditFields(current), {}, "")));
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return {};
}

Result<std::vector<Payment>> SqlFundRepository::ListPayments(const funds::PaymentQuery& query) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<SqlValue> params;
  auto regions = ProjectRegions(query.scope, query.within, params);
  if (!regions) return std::unexpected(regions.error());
  std::string where = *regions;
  const std::pair<const char*, int64_t> filters[] = {
      {" AND f.id = ?", query.payment_id},
      {" AND a.batch_id = ?", query.batch_id},
      {" AND f.allocation_id = ?", query.allocation_id},
      {" AND a.project_id = ?", query.project_id},
      {" AND b.year = ?", query.year}};
  for (const auto& [condition, value] : filters) {
    if (value == 0) continue;
    where += condition;
    params.emplace_back(value);
  }
  if (!query.include_voided) where += " AND f.voided = 0";
  return QueryAll<Payment>(**conn,
                           fmt::format("SELECT {} FROM {} WHERE {} ORDER BY f.paid_on, f.id",
                                       kPaymentColumns, kPaymentFrom, where),
                           params, ReadPayment);
}

Result<Payment> SqlFundRepository::AddPayment(const Payment& p, const audit::Actor& actor) {
  return InTransaction<Payment>(pool_, [&](SqlConnection& conn) -> Result<Payment> {
    auto allocation = LoadAllocation(conn, p.allocation_id, {""});
    if (!allocation) return std::unexpected(allocation.error());
    if (!*allocation)
      return NotFound(fmt::format("no fund allocation with id {}", p.allocation_id));
    // The check and the addition in one statement, so that concurrent payments cannot overrun
    // the allocation.
    auto added = Execute(conn,
                         "UPDATE fund_allocations SET paid_fen = paid_fen + ? WHERE id = ? AND "
                         "paid_fen + ? <= amount_fen",
                         {p.amount_fen, p.allocation_id, p.amount_fen});
    if (!added) return std::unexpected(added.error());
    if (*added == 0) {
      auto now_stored = LoadAllocation(conn, p.allocation_id, {""});
      if (!now_stored) return std::unexpected(now_stored.error());
      const Allocation& a = now_stored->value_or(**allocation);
      const std::string reason = fmt::format(
          "exceeds what is left of allocation {}: allocated {}, paid {}, left {} (yuan)", a.id,
          Yuan(a.amount_fen), Yuan(a.paid_fen), Yuan(a.amount_fen - a.paid_fen));
      return InvalidArgument(fmt::format("a payment of {} yuan {}", Yuan(p.amount_fen), reason),
                             {{0, "amount_fen", std::to_string(p.amount_fen), reason}});
    }
    int64_t id = 0;
    FUPIN_TRY(conn.Run(
        "INSERT INTO fund_payments (allocation_id, paid_on, payee, amount_fen, purpose, "
        "voucher_number, note, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id",
        std::vector<SqlValue>{p.allocation_id, p.paid_on.ToString(), p.payee, p.amount_fen,
                              p.purpose, p.voucher_number, p.note, actor.name, Now()},
        [&](const SqlRow& row) { id = row.Int(0); }));
    std::string region;
    auto stored = LoadPayment(conn, id, &region);
    if (!stored) return std::unexpected(stored.error());
    if (!*stored) return Internal(fmt::format("payment {} vanished while being recorded", id));
    FUPIN_TRY(AppendEntry(conn, actor, "create", "fund_payment", id, region,
                          audit::Diff({}, AuditFields(**stored), "")));
    return **stored;
  });
}

Result<Payment> SqlFundRepository::VoidPayment(int64_t id, const std::string& reason,
                                               const audit::Actor& actor) {
  return InTransaction<Payment>(pool_, [&](SqlConnection& conn) -> Result<Payment> {
    std::string region;
    auto stored = LoadPayment(conn, id, &region);
    if (!stored) return std::unexpected(stored.error());
    if (!*stored) return NotFound(fmt::format("no payment with id {}", id));
    auto voided = Execute(conn,
                          "UPDATE fund_payments SET voided = 1, void_reason = ? WHERE id = ? AND "
                          "voided = 0",
                          {reason, id});
    if (!voided) return std::unexpected(voided.error());
    if (*voided == 0) {
      return FailedPrecondition(
          fmt::format("payment {} is already voided ({})", id, (*stored)->void_reason));
    }
    FUPIN_TRY(Execute(conn, "UPDATE fund_allocations SET paid_fen = paid_fen - ? WHERE id = ?",
                      {(*stored)->amount_fen, (*stored)->allocation_id}));
    FUPIN_TRY(
        AppendEntry(conn, actor, "void", "fund_payment", id, region,
                    audit::Diff({{"voided", "false", false}, {"void_reason", "", false}},
                                {{"voided", "true", false}, {"void_reason", reason, false}}, "")));
    auto after = LoadPayment(conn, id);
    if (!after) return std::unexpected(after.error());
    if (!*after) return Internal(fmt::format("payment {} vanished while being voided", id));
    return **after;
  });
}

Result<std::vector<NoticePosting>> SqlFundRepository::ListPostings(const std::string& subject,
                                                                   int64_t subject_id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  const SqlValue key[] = {subject, subject_id};
  return QueryAll<NoticePosting>(
      **conn,
      "SELECT id, subject, subject_id, region_code, posted_on, until_on, place, note, "
      "recorded_by, recorded_at FROM notice_postings WHERE subject = ? AND subject_id = ? ORDER "
      "BY posted_on, id",
      key, [](const SqlRow& row) {
        NoticePosting n;
        n.id = row.Int(0);
        n.subject = row.Text(1);
        n.subject_id = row.Int(2);
        n.region_code = row.Text(3);
        n.posted_on = DateOf(row.Text(4));
        if (auto until = ParseDate(row.Text(5))) n.until_on = *until;
        n.place = row.Text(6);
        n.note = row.Text(7);
        n.recorded_by = row.Text(8);
        n.recorded_at = row.Text(9);
        return n;
      });
}

Result<NoticePosting> SqlFundRepository::AddPosting(const NoticePosting& n,
                                                    const audit::Actor& actor) {
  return InTransaction<NoticePosting>(pool_, [&](SqlConnection& conn) -> Result<NoticePosting> {
    NoticePosting out = n;
    out.recorded_by = actor.name;
    out.recorded_at = Now();
    FUPIN_TRY(conn.Run(
        "INSERT INTO notice_postings (subject, subject_id, region_code, posted_on, until_on, "
        "place, note, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        std::vector<SqlValue>{n.subject, n.subject_id, n.region_code, n.posted_on.ToString(),
                              n.until_on ? n.until_on->ToString() : std::string(), n.place, n.note,
                              out.recorded_by, out.recorded_at},
        [&](const SqlRow& row) { out.id = row.Int(0); }));
    FUPIN_TRY(
        AppendEntry(conn, actor, "post_notice", n.subject == "batch" ? "fund_batch" : "project",
                    n.subject_id, n.region_code,
                    audit::Diff({},
                                {{"posted_on", n.posted_on.ToString(), false},
                                 {"until_on", n.until_on ? n.until_on->ToString() : "", false},
                                 {"place", n.place, false},
                                 {"note", n.note, false}},
                                "")));
    return out;
  });
}

}  // namespace fupin::storage
