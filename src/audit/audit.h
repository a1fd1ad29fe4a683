// The audit trail (审计日志): who changed what, when, from where, with old → new values.
//
// Entries form a hash chain: each entry's hash covers its own canonical content and the
// previous entry's hash, so an edited entry, a deleted entry and (against a head kept
// elsewhere) a truncated tail are all detected by VerifyChain. Storage appends an entry in the
// same transaction as the change it records. Sensitive values (ID numbers, phones, bank
// accounts, health) are never stored: only a keyed HMAC of them, which cannot be brute-forced
// without the key, so that "did it change, and to the same value as elsewhere" stays answerable.
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fupin::audit {

// Who acted: a signed-in user ("alice"), or a command-line run ("cli:root").
struct Actor {
  std::string name;
  int64_t user_id = 0;  // 0 for the command line
  std::string address;  // client IP address, or "local" for the command line
};

struct FieldChange {
  std::string field;
  std::optional<std::string> before;  // nullopt = did not exist / was empty
  std::optional<std::string> after;

  friend bool operator==(const FieldChange&, const FieldChange&) = default;
};

struct Entry {
  int64_t seq = 0;  // position in the chain, from 1
  std::string at;   // ISO 8601 UTC timestamp
  Actor actor;
  std::string action;  // create, update, delete, import, close, reveal, login, …
  std::string entity;  // region, user, organization, …
  std::string entity_id;
  std::string region_code;  // the region the record belongs to ("" = not region-bound)
  std::vector<FieldChange> changes;
  std::string note;       // free text, e.g. an import's file name, SHA-256 and counts
  std::string prev_hash;  // hash of entry seq-1 ("" for the first)
  std::string hash;
};

// The canonical serialization the hash covers (every field but `hash`), stable across
// versions: a JSON object with keys in a fixed order.
std::string CanonicalContent(const Entry& entry);
// SHA-256 over prev_hash and the canonical content.
std::string ComputeHash(const Entry& entry);

// The value to store for a sensitive field: "hmac:" + HMAC-SHA-256(key, value).
std::string SensitiveValue(std::string_view key, std::string_view value);

// Changes between two versions of a record, as (field, before, after) for the fields that
// differ; `sensitive` fields are passed through SensitiveValue.
struct Field {
  std::string name;
  std::optional<std::string> value;
  bool sensitive = false;
};
std::vector<FieldChange> Diff(const std::vector<Field>& before, const std::vector<Field>& after,
                              std::string_view hmac_key);

struct Head {
  int64_t count = 0;
  std::string hash;
};

struct Verification {
  bool ok = true;
  int64_t checked = 0;
  Head head;                 // of the entries as found
  int64_t first_broken = 0;  // seq of the first entry that does not verify (0 = none)
  std::string problem;
};

// Checks that seqs run 1, 2, 3, …, each prev_hash is the previous entry's hash and each hash
// matches its content; with `expected`, also that the chain still reaches that head (a
// truncated tail or a rewritten chain shows). Entries must be in seq order.
Verification VerifyChain(std::span<const Entry> entries, const std::optional<Head>& expected);

}  // namespace fupin::audit
