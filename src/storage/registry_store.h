// Internal to storage/: RegistryRepository over SQL, shared by both backends.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "registry/registry_repository.h"
#include "storage/household_counts.h"
#include "storage/sql.h"

namespace fupin::storage {

// Appends `event` to the status history of household `household_id` on `conn`, which must be
// inside the caller's write transaction, and re-derives the household's status (the latest
// event's). The history is only appended to, never rewritten. Returns the status before;
// kNotFound when there is no such household. The caller audits the change.
Result<std::string> AppendStatusEvent(SqlConnection& conn, int64_t household_id,
                                      const registry::StatusEvent& event);

class SqlRegistryRepository final : public registry::RegistryRepository {
 public:
  // `hmac_key` keys the HMACs that stand for sensitive values in the audit log.
  // `cache_totals`: keep the totals of recent list queries while the registry is unchanged,
  // and serve the list from memory (HouseholdCounts); false reads every list with SQL (the
  // command line's one-query lists, benchmarks, tests).
  SqlRegistryRepository(ConnectionPool& pool, std::string hmac_key, bool cache_totals = true)
      : pool_(pool), hmac_key_(std::move(hmac_key)), cache_totals_(cache_totals) {}

  Result<registry::HouseholdPage> ListHouseholds(const registry::HouseholdQuery& query) override;
  Status ForEachHousehold(
      const registry::HouseholdQuery& query,
      const std::function<Status(const registry::HouseholdSummary&)>& visit) override;
  Status ForEachRecord(
      const registry::HouseholdQuery& query,
      const std::function<Status(const registry::HouseholdRecord&)>& visit) override;
  Result<std::optional<registry::HouseholdRecord>> FindHousehold(
      int64_t id, const std::vector<std::string>& scope) override;
  Result<std::optional<std::pair<registry::Member, std::string>>> FindMember(
      int64_t id, const std::vector<std::string>& scope) override;
  Result<std::optional<std::string>> HouseholdRegion(int64_t id) override;
  Result<std::optional<std::string>> MemberRegion(int64_t id) override;
  Result<std::vector<registry::HouseholdRecord>> FindHouseholdsByNumber(
      std::span<const std::string> numbers) override;
  Result<std::unordered_map<std::string, std::string>> HouseholdsOfIdNumbers(
      std::span<const std::string> id_numbers) override;
  Result<registry::HouseholdRecord> CreateHousehold(const registry::HouseholdRecord& record,
                                                    const audit::Actor& actor) override;
  Result<registry::SaveCounts> SaveHouseholds(std::span<const registry::HouseholdRecord> records,
                                              const audit::Actor& actor,
                                              std::string_view note) override;
  Result<std::unique_ptr<registry::BulkLoad>> BeginBulkLoad(size_t expected) override;
  Result<std::vector<int64_t>> ApplyEdit(const registry::HouseholdEdit& edit,
                                         const audit::Actor& actor) override;

 private:
  // The number of households matching `where` (on households `h`, with `params`). Totals are
  // cached while the registry's change counter stands still: every registry write bumps it in
  // its own transaction (RecordRegistryWrite), so a cached total is exact for any reader that
  // sees the same counter value — also across processes, since the counter is in the database.
  Result<int64_t> CountHouseholds(SqlConnection& conn, const std::string& where,
                                  const std::vector<SqlValue>& params);

  // The list from the in-memory table (HouseholdCounts::List): every query by regions,
  // filters, a day and a search by number or name; the page's summaries are then read by id.
  // nullopt when the table cannot serve (totals not cached, a member's own households, a
  // search by ID number, a text that is not UTF-8 or has no prefix range, values that do not
  // fit the table): the list is then read with SQL.
  Result<std::optional<registry::HouseholdPage>> ListFromMemory(
      SqlConnection& conn, const registry::HouseholdQuery& query);

  static constexpr size_t kCachedCounts = 4096;

  ConnectionPool& pool_;
  const std::string hmac_key_;
  const bool cache_totals_;
  std::mutex counts_mutex_;
  int64_t counts_generation_ = -1;                   // guarded by counts_mutex_
  std::unordered_map<std::string, int64_t> counts_;  // guarded by counts_mutex_
  HouseholdCounts list_counts_;
};

}  // namespace fupin::storage
