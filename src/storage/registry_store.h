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
  // and count by region and filters from memory (HouseholdCounts); false counts every total
  // with SQL (benchmarks). `named_matches`: storage::OpenOptions::list_named_matches.
  SqlRegistryRepository(ConnectionPool& pool, std::string hmac_key, bool cache_totals = true,
                        size_t named_matches = HouseholdCounts::kMaxMatches)
      : pool_(pool),
        hmac_key_(std::move(hmac_key)),
        cache_totals_(cache_totals),
        named_matches_(named_matches) {}

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

  // A list's total: from the in-memory table of counts (HouseholdCounts) when the query is by
  // region and filters alone, else CountHouseholds. As of a day, `matches` (when given) gets
  // the matching households' ids from the table too, when it counted them and they are few
  // (HouseholdCounts::kMaxMatches); otherwise it is left empty.
  Result<int64_t> ListTotal(SqlConnection& conn, const registry::HouseholdQuery& query,
                            const std::string& where, const std::vector<SqlValue>& params,
                            std::vector<int64_t>* matches = nullptr);

  // A search by name answered from the in-memory table (HouseholdCounts::SearchNames): every
  // household the query matches, in id order — those whose number or head's name starts
  // with the text or, when none does, whose head's name contains it (`inside`), as the SQL
  // of the list (ChooseNameMatch). nullopt when the table cannot say (totals not cached, a
  // member's own households, a text that can only be a number or has no prefix range).
  Result<std::optional<HouseholdCounts::NameSearch>> SearchInMemory(
      SqlConnection& conn, const registry::HouseholdQuery& query);

  static constexpr size_t kCachedCounts = 4096;

  ConnectionPool& pool_;
  const std::string hmac_key_;
  const bool cache_totals_;
  const size_t named_matches_;
  std::mutex counts_mutex_;
  int64_t counts_generation_ = -1;                   // guarded by counts_mutex_
  std::unordered_map<std::string, int64_t> counts_;  // guarded by counts_mutex_
  HouseholdCounts list_counts_;
};

}  // namespace fupin::storage
