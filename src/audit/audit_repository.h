// Reading the audit log (appending happens inside each audited write, in storage).
// Implementations are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"

namespace fupin::audit {

struct Query {
  // Region subtrees the reader may see; {""} = everything. Entries that belong to no region
  // (users, settings) are shown only to readers who see everything.
  std::vector<std::string> scope;
  std::string actor;   // exact user name
  std::string entity;  // e.g. "region"
  std::string entity_id;
  std::string region;  // a subtree within the scope
  std::string from;    // ISO timestamps, inclusive
  std::string to;
  int64_t offset = 0;
  int64_t limit = 50;
};

struct Page {
  std::vector<Entry> items;  // newest first
  int64_t total = 0;
};

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;
  virtual Result<Page> List(const Query& query) = 0;
  // Re-reads the whole chain in order and verifies it (see VerifyChain).
  virtual Result<Verification> Verify(const std::optional<Head>& expected) = 0;
  virtual Result<Head> CurrentHead() = 0;
  // Appends one entry in its own transaction (for events with no other write: a reveal of
  // personal data, a CLI action that changes nothing else).
  virtual Result<Entry> Append(const Entry& entry) = 0;
};

}  // namespace fupin::audit
