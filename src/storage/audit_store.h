// Internal to storage/: appending to the audit chain inside a write transaction, and the SQL
// AuditRepository.
#pragma once

#include "audit/audit.h"
#include "audit/audit_repository.h"
#include "storage/sql.h"

namespace fupin::storage {

// Appends `entry` to the chain on `conn`, which must be inside a write transaction (the one of
// the change being recorded). Fills seq, at (if empty), prev_hash and hash. On PostgreSQL a
// transaction-scoped advisory lock keeps concurrent writers from forking the chain.
Result<audit::Entry> AppendAudit(SqlConnection& conn, audit::Entry entry);

class SqlAuditRepository final : public audit::AuditRepository {
 public:
  explicit SqlAuditRepository(ConnectionPool& pool) : pool_(pool) {}
  Result<audit::Page> List(const audit::Query& query) override;
  Result<audit::Verification> Verify(const std::optional<audit::Head>& expected) override;
  Result<audit::Head> CurrentHead() override;
  Result<audit::Entry> Append(const audit::Entry& entry) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace fupin::storage
