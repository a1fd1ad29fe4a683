// Internal to storage/: the household list's totals from memory.
//
// The number of households per region and per combination of the list's filters (status,
// main cause, attribute), held in memory and kept current from the registry change log
// (registry_changes, written by every registry write in its own transaction: storage/sql.h).
// A list's total is then a sum over the regions of the caller's subtrees instead of a count
// over the registry's rows: a province-wide count costs ~50 ms on SQLite and 100–250 ms on
// PostgreSQL, the sum well under a millisecond.
//
// The table is loaded on first use (one read of every household's id, region and filter
// columns, in one snapshot) and brought forward before each count: the households changed
// since the state it holds are read again, their earlier contribution taken away and the new
// one added (each household's counted key is kept per id for this). A change of the regions,
// a change log pruned past the table's state, or a very large change (a bulk load) reloads it.
//
// Lists "as of a day" count by each household's status history: the first such count loads
// every household's status events (day and status, in the order the list's SQL takes them:
// by date, then by the order recorded); after that the events of the households re-read are
// kept beside them. A count as of a day is then one pass over the households in memory
// (~1 M at province scale: milliseconds) instead of a correlated subquery per household.
// Heads' names are held too (~10 MB of names and 12 bytes per household, ~22 MB at province
// scale; re-read households' old names until compacted), so that a search by name over a broad
// region applies the regions and filters in memory (SearchNames) to the names starting with
// the text (an index range) or, when none does, to the names containing it (a scan of the
// names in memory). SQL reads every name of the regions for the second (60–280 ms over a
// province), and with a filter, every household of the filter's to learn that no name starts
// with the text (100–370 ms).
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "storage/sql.h"

namespace fupin::storage {

class HouseholdCounts {
 public:
  // An inclusive range of region codes (a subtree: regions::SubtreeRange).
  struct Range {
    std::string low;
    std::string high;
  };
  // Each a value the column must equal; nullopt = any. With `as_of`, only households with a
  // status event on or before that day count, and `status` is the status of the latest of
  // them (as registry::HouseholdQuery::as_of).
  struct Filter {
    std::optional<std::string> status;
    std::optional<std::string> cause;
    std::optional<std::string> attribute;
    std::optional<Date> as_of = std::nullopt;
  };

  // The number of households whose region lies in any of `scope` (an empty span: none) and in
  // `within` (when given) and that match `filter`, at the registry's state as `conn` sees it
  // (or a later one, when another reader brought the table further). nullopt when the table
  // cannot serve (the registry's values do not fit it); the caller then counts with SQL.
  // As of a day, with `matches`: also the ids of the households counted, in id order, when
  // there are at most kMaxMatches of them (otherwise it is left empty), so that the caller can
  // read the page from them instead of probing every household's events again.
  Result<std::optional<int64_t>> Count(SqlConnection& conn, std::span<const Range> scope,
                                       const std::optional<Range>& within, const Filter& filter,
                                       std::vector<int64_t>* matches = nullptr);

  // The most ids a count as of a day returns in `matches`.
  static constexpr size_t kMaxMatches = 20000;

  // A search of heads' names: the households in `scope` (and `within`) that match `filter`
  // among `starting` (those whose number or head's name starts with `text`, which the caller
  // found by index ranges); when there are none, those whose head's name contains `text`
  // (`inside`: bytewise and case-sensitive, as SQL's instr/strpos). Ids in id order, at the
  // registry's state as `conn` sees it (or a later one). nullopt when the table cannot serve
  // or the text is empty (the caller then searches with SQL).
  struct NameSearch {
    std::vector<int64_t> ids;
    bool inside = false;
  };
  Result<std::optional<NameSearch>> SearchNames(SqlConnection& conn, std::span<const Range> scope,
                                                const std::optional<Range>& within,
                                                const Filter& filter, std::string_view text,
                                                std::span<const int64_t> starting);

  // Changes larger than this are a reload rather than a patch.
  static constexpr size_t kMaxPatch = 50000;

 private:
  // Brings the table to the state `conn` sees (in one snapshot), with the status events when
  // `events`. Requires mutex_.
  Status Refresh(SqlConnection& conn, bool events);
  Status Load(SqlConnection& conn);
  // Counts household `id` under (region, status, cause, attribute) with its head's name,
  // replacing what it counted before. False when a column has more distinct values than a key
  // holds, or the name cannot be held (a NUL byte, or 4 GB of names).
  bool Put(int64_t id, std::string_view region, std::string_view status, std::string_view cause,
           std::string_view attribute, std::string_view head_name);
  void Remove(int64_t id);
  void Clear();
  // Drops the names of households re-read or removed since the load, when they are most of
  // the buffer.
  void CompactNames();
  // The regions of the scope's subtrees, cut to `within`, as a flag per index of groups_.
  std::vector<char> RegionsIn(std::span<const Range> scope,
                              const std::optional<Range>& within) const;
  // A filter in the table's terms: the key and mask of the columns compared, and as of a day
  // the day (yyyymmdd) and the status wanted then (-1 = any).
  struct Compiled {
    uint32_t want = 0;
    uint32_t mask = 0;
    int32_t day = -1;  // -1: not as of a day
    int status_then = -1;
  };
  // nullopt when the filter names a value no household has. Requires mutex_.
  std::optional<Compiled> Compile(const Filter& filter) const;
  // Whether household `id` is counted, lies in a region flagged in `in_range` and matches
  // `f`. Requires mutex_ (and the events loaded, as of a day).
  bool Passes(int64_t id, const std::vector<char>& in_range, const Compiled& f) const;
  // Status events: the whole registry's (requires a loaded table), and those of the households
  // `changed` since generation_ (when loaded). Require mutex_.
  Status LoadEvents(SqlConnection& conn);
  Status PatchEvents(SqlConnection& conn, int64_t since, std::span<const int64_t> changed);
  // The status index of household `id`'s latest event on or before `day` (yyyymmdd), -1 when
  // it has none by then.
  int StatusOn(int64_t id, int32_t day) const;
  int64_t CountAsOf(const std::vector<char>& in_range, uint32_t want, uint32_t mask, int32_t day,
                    int status, std::vector<int64_t>* matches) const;

  static constexpr int32_t kNone = -1;

  std::mutex mutex_;
  bool usable_ = false;  // loaded, and every value fitted
  int64_t generation_ = -1;
  int64_t regions_generation_ = -1;
  // Each filter column's distinct values, in order of first appearance (at most 255 each).
  std::vector<std::string> vocab_[3];
  // Region code → index into groups_, in code order (ranges) and hashed (lookups).
  std::map<std::string, int32_t, std::less<>> regions_;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> region_index_;
  // Per region: (key, households) pairs; key = status | cause << 8 | attribute << 16.
  std::vector<std::vector<std::pair<uint32_t, int64_t>>> groups_;
  // Per household id: its region's index (kNone when not counted) and its key.
  std::vector<int32_t> region_of_;
  std::vector<uint32_t> key_of_;
  // Heads' names: each household's as "name\0" in names_, in the order read (a re-read
  // household's is appended, its old one left until CompactNames). entry_start_ and
  // entry_id_: each entry's offset and household, in buffer order; name_at_: per household id,
  // the offset of its current entry (kNoName when not counted).
  static constexpr uint32_t kNoName = ~uint32_t{0};
  std::string names_;
  std::vector<uint32_t> entry_start_;
  std::vector<uint32_t> entry_id_;
  std::vector<uint32_t> name_at_;
  size_t live_name_bytes_ = 0;
  // Status events per household id (CSR, each household's in list order), day as yyyymmdd and
  // status as an index of vocab_[0]; households re-read since the events were loaded have
  // theirs in events_since_ instead.
  bool events_loaded_ = false;
  bool events_usable_ = false;
  std::vector<uint32_t> event_begin_;
  std::vector<int32_t> event_day_;
  std::vector<uint8_t> event_status_;
  std::unordered_map<int64_t, std::vector<std::pair<int32_t, uint8_t>>> events_since_;
};

}  // namespace fupin::storage
