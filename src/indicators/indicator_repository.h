// The storage interface of the indicators module, in domain types. Implemented once over SQL
// in storage/ for SQLite and PostgreSQL; checked by the storage contract tests on both.
//
// Two jobs: the entered statistics (values of `entered` indicators per region and period,
// with who entered them), and the facts the registry engine aggregates, read as one
// consistent snapshot together with the change counters that tell whether a cached snapshot
// is still current. Every write to the registry, the regions or the entered values increments
// its counter in the same transaction, so a reader that sees unchanged counters knows nothing
// it cached has changed; registry writes also log which households they touched, so that a
// reader can re-read just those (ScanChanges).
// Implementations are thread-safe: each call takes its own connection from the pool.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "base/time.h"
#include "indicators/indicator.h"

namespace fupin::indicators {

// The change counters: each grows by one with every committed write of its data.
struct ChangeStamp {
  int64_t registry = 0;    // households, members, status events, incomes, guarantees
  int64_t regions = 0;     // the region hierarchy (names, closures, new regions)
  int64_t statistics = 0;  // entered indicator values
  int64_t catalogue = 0;   // declared indicators

  friend bool operator==(const ChangeStamp&, const ChangeStamp&) = default;
};

// One value of an entered indicator.
struct EnteredValue {
  std::string indicator;
  std::string region_code;
  std::string period;  // "YYYY"
  double value = 0;
  std::string note;        // where the figure comes from (e.g. the file and its SHA-256)
  std::string entered_by;  // filled by the store from the actor
  std::string entered_at;  // filled by the store (ISO 8601 UTC)
};

struct SaveCounts {
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
};

// An indicator declared by a user, as stored: optimistic locking by `version` (1 when
// declared, one more with each change).
struct Declaration {
  Indicator indicator;
  int64_t version = 0;
  std::string declared_by;
  std::string declared_at;  // ISO 8601 UTC
  std::string updated_by;
  std::string updated_at;
};

// Receives a snapshot: every region first; then households and their members, status
// events, incomes and guarantees, each household before any of its own facts (stores may
// send them in batches of households); entered values in any order.
class FactSink {
 public:
  virtual ~FactSink() = default;
  virtual void Region(std::string_view code, std::string_view name,
                      const std::optional<Date>& closed_on) = 0;
  virtual void Household(int64_t id, std::string_view region_code, std::string_view main_cause) = 0;
  virtual void Member(int64_t household_id, const std::optional<Date>& joined_on,
                      const std::optional<Date>& left_on) = 0;
  // `id` orders events of the same day (the order they were recorded in).
  virtual void StatusEvent(int64_t household_id, int64_t id, std::string_view status,
                           const Date& on) = 0;
  // Net income of one year (wages + business + property + transfer − costs).
  virtual void Income(int64_t household_id, int year, double net) = 0;
  virtual void Guarantee(int64_t household_id, std::string_view item, bool met,
                         const std::optional<Date>& verified_on) = 0;
  virtual void Entered(std::string_view indicator, std::string_view region_code,
                       std::string_view period, double value) = 0;
};

// What ScanChanges streamed.
struct ChangeScan {
  ChangeStamp stamp;                // the counters of the snapshot
  std::vector<int64_t> households;  // changed since (those deleted since included)
  bool entered = false;             // every entered value was streamed too
};

class IndicatorRepository {
 public:
  virtual ~IndicatorRepository() = default;

  // The current counters (one small query).
  virtual Result<ChangeStamp> Changes() = 0;

  // Streams everything the registry engine needs to `sink` from one consistent snapshot (one
  // read transaction; repeatable read on PostgreSQL) and returns the counters of that same
  // snapshot.
  virtual Result<ChangeStamp> ScanFacts(FactSink& sink) = 0;

  // Streams, from one snapshot, the facts of every household changed since the registry
  // counter was `since.registry` (Household, Member, StatusEvent, Income, Guarantee; no
  // regions) and, when the statistics counter differs from `since.statistics`, every entered
  // value. nullopt — stream everything instead — when the change log no longer reaches back
  // that far or more than `max_households` households changed.
  virtual Result<std::optional<ChangeScan>> ScanChanges(const ChangeStamp& since,
                                                        size_t max_households, FactSink& sink) = 0;

  // Entered values of `indicator` ("" = all) in the subtree of `within` ("" = everywhere)
  // for `period` ("" = all), ordered by indicator, region code and period.
  virtual Result<std::vector<EnteredValue>> EnteredValues(std::string_view indicator,
                                                          std::string_view within,
                                                          std::string_view period) = 0;

  // Inserts or replaces values by (indicator, region, period), all in one transaction
  // (nothing is written on any error), recorded as one audit entry with `note` and the
  // counts. A value equal to the stored one is counted unchanged and keeps who entered it.
  // Callers validate first (IndicatorService does).
  virtual Result<SaveCounts> SaveEnteredValues(std::span<const EnteredValue> values,
                                               const audit::Actor& actor,
                                               std::string_view note) = 0;

  // The declared indicators, in the order they were first declared.
  virtual Result<std::vector<Declaration>> Declarations() = 0;

  // Stores a new declaration (version 1). kAlreadyExists when the code is declared. Audited
  // ("declare"); bumps the catalogue counter. Callers validate first (IndicatorService does).
  virtual Result<Declaration> InsertDeclaration(const Indicator& indicator,
                                                const audit::Actor& actor) = 0;
  // Replaces the declaration of `indicator.code` if it is still at `version`. kNotFound when
  // it is not declared; kConflict when it was changed since. Audited ("update").
  virtual Result<Declaration> UpdateDeclaration(const Indicator& indicator, int64_t version,
                                                const audit::Actor& actor) = 0;
  // Removes it if still at `version` (kNotFound, kConflict as above); also refused
  // (kFailedPrecondition) while entered values of it are stored. Audited ("delete").
  virtual Status DeleteDeclaration(std::string_view code, int64_t version,
                                   const audit::Actor& actor) = 0;
};

}  // namespace fupin::indicators
