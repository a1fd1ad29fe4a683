// The storage interface of the registry, in domain types. Implemented once over SQL in
// storage/ for SQLite and PostgreSQL; checked by the storage contract tests on both.
//
// Every read takes the caller's scope (region subtrees, {""} = everywhere) and applies it in
// the query itself: a record outside the scope is simply not found. Writes record their audit
// entries in the same transaction, sensitive values as keyed HMACs, and bump the "registry"
// change counter there too, logging the households they touched (storage's
// RecordRegistryWrite; see indicators/indicator_repository.h): a write that did not would
// leave the indicator cache stale.
// Implementations are thread-safe: each call takes its own connection from the pool.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "regions/region.h"
#include "registry/editing.h"
#include "registry/model.h"

namespace fupin::registry {

enum class HouseholdSort { kNumber, kRegion, kHeadName, kMembers, kYearIdentified };

struct HouseholdQuery {
  std::vector<std::string> scope;  // where the caller may read
  std::string within;              // a region code: only its subtree ("" = the whole scope)
  std::string status;              // Statuses() code, "" = any (the status on `as_of`, if given)
  std::string cause;               // main cause, "" = any
  std::string attribute;           // Attributes() code, "none" = without, "" = any
  // Household number prefix, head's name substring, or a complete ID number of a member.
  std::string text;
  HouseholdSort sort = HouseholdSort::kNumber;
  bool descending = false;
  int64_t offset = 0;
  int64_t limit = 50;
  // Households the caller may read besides `scope` (a household member's own); the query
  // reaches the union of the two.
  std::vector<int64_t> households = {};
  // "As of date D": only households registered by then (a status event on or before D), and
  // `status` is the status they had at the end of that day (their latest event by then, by
  // date and then by the order recorded). Summaries then carry that status in `status_on`.
  std::optional<Date> as_of = {};
};

struct HouseholdPage {
  std::vector<HouseholdSummary> items;
  int64_t total = 0;
};

struct SaveCounts {
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
};

// A load of new households into an empty registry that is written while its records are
// still being read and checked (RegistryImporter, on a machine with a core to spare): one
// write transaction from RegistryRepository::BeginBulkLoad to Finish, nothing written unless
// Finish succeeds. Used from one thread at a time.
class BulkLoad {
 public:
  virtual ~BulkLoad() = default;  // rolls back, unless finished
  // Inserts these new households (validated, numbers unique among all given), as
  // SaveHouseholds inserts them. The records must stay alive and unchanged until Flush.
  virtual Status Add(std::span<const HouseholdRecord* const> records) = 0;
  // Writes what is left of the households added (no more may be added): the records may go.
  virtual Status Flush() = 0;
  // Completes the load as SaveHouseholds(every record added, actor, note) would have on the
  // empty registry — one audit entry with the note, the counts and the numbers — and commits.
  // Flushes first; needs no record after Flush.
  virtual Result<SaveCounts> Finish(const audit::Actor& actor, std::string_view note) = 0;
  // RegionRepository::FindMany, read inside the load's transaction: while a load holds
  // SQLite's rollback journal, other connections cannot read until it ends.
  virtual Result<std::vector<regions::Region>> FindRegions(std::span<const std::string> codes) = 0;
};

class RegistryRepository {
 public:
  virtual ~RegistryRepository() = default;

  virtual Result<HouseholdPage> ListHouseholds(const HouseholdQuery& query) = 0;
  // Every household matching the query (offset and limit ignored), in the query's order,
  // without materializing them all: for exports. As of a day (`as_of`), summaries carry the
  // status then in `status_on`, as ListHouseholds' do.
  virtual Status ForEachHousehold(const HouseholdQuery& query,
                                  const std::function<Status(const HouseholdSummary&)>& visit) = 0;
  // Every household matching the query (sort, offset and limit ignored) as a full record —
  // members, status history, incomes, guarantees, measures and helpers —, in id order.
  // Streams: reads about a thousand households at a time, with one query per table for each
  // such chunk (never one per household). Stops at, and returns, the first error `visit`
  // returns. Each chunk is read as of its own moment: households written while the stream
  // runs may or may not be visited.
  virtual Status ForEachRecord(const HouseholdQuery& query,
                               const std::function<Status(const HouseholdRecord&)>& visit) = 0;
  // A household with members, status history, incomes, guarantees, measures and helpers;
  // nullopt when it does not exist or lies outside `scope`.
  virtual Result<std::optional<HouseholdRecord>> FindHousehold(
      int64_t id, const std::vector<std::string>& scope) = 0;
  // A member and the region of their household, within `scope`.
  virtual Result<std::optional<std::pair<Member, std::string>>> FindMember(
      int64_t id, const std::vector<std::string>& scope) = 0;
  // The region of a household or a member's household regardless of scope (so that an
  // out-of-scope attempt can be logged where the record's auditors see it); nullopt when the
  // record does not exist.
  virtual Result<std::optional<std::string>> HouseholdRegion(int64_t id) = 0;
  virtual Result<std::optional<std::string>> MemberRegion(int64_t id) = 0;

  // The full records of the households with these numbers that exist, regardless of scope
  // (for importers, which check where each household lies themselves), in no particular order.
  virtual Result<std::vector<HouseholdRecord>> FindHouseholdsByNumber(
      std::span<const std::string> numbers) = 0;
  // For each of these ID numbers that a member holds, the number of that member's household.
  virtual Result<std::unordered_map<std::string, std::string>> HouseholdsOfIdNumbers(
      std::span<const std::string> id_numbers) = 0;

  // Inserts a new household with its members, history, incomes, guarantees, measures and
  // helpers (validated by the caller; a helper already stored — same name, unit and phone —
  // is paired rather than stored again). kAlreadyExists when the number is taken or a member's ID
  // number is registered in another household (the detail names the field). Audited as one "create"
  // entry.
  virtual Result<HouseholdRecord> CreateHousehold(const HouseholdRecord& record,
                                                  const audit::Actor& actor) = 0;
  // Inserts or replaces households by number, all in one transaction (nothing is written on
  // any error), recorded as one audit entry with `note`, the counts and the numbers touched.
  // Re-saving identical records changes nothing and counts them unchanged (helpers compare in
  // any order). Members of a replaced household keep their ids when their ID number is
  // unchanged (other records refer to members); members the new record does not list are
  // deleted. The other children (history, incomes, guarantees, measures, helper pairings) are
  // replaced wholesale.
  virtual Result<SaveCounts> SaveHouseholds(std::span<const HouseholdRecord> records,
                                            const audit::Actor& actor, std::string_view note) = 0;
  // Starts a BulkLoad of about `expected` households. It holds the registry's write lock until
  // it ends, so it is offered only to a database's sole user (storage::OpenOptions::sole_user:
  // `fupin import` on the command line), and only while the registry holds no household:
  // nullptr otherwise (the caller then uses SaveHouseholds).
  virtual Result<std::unique_ptr<BulkLoad>> BeginBulkLoad(size_t expected) {
    (void)expected;
    return std::unique_ptr<BulkLoad>();
  }

  // Writes one edit (editing.h) in one transaction, all or nothing: each replaced household
  // must still be at the version it was edited from (kConflict with the current version
  // otherwise), the created household's number must be free (kAlreadyExists), and no current
  // member may hold the ID number of another household's current member (kAlreadyExists
  // naming the person). Member events are appended with the actor as recorder and their
  // member_id resolved. One audit entry per household written (edit.action, the field changes,
  // edit.note). Returns the ids of the households written: the replaced ones in order, then
  // the created one.
  virtual Result<std::vector<int64_t>> ApplyEdit(const HouseholdEdit& edit,
                                                 const audit::Actor& actor) = 0;
};

}  // namespace fupin::registry
