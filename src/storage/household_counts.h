// Internal to storage/: the household list from memory — its totals, its searches and its
// pages.
//
// The number of households per region and per combination of the list's filters (status,
// main cause, attribute), held in memory and kept current from the registry change log
// (registry_changes, written by every registry write in its own transaction: storage/sql.h).
// A list's total is then a sum over the regions of the caller's subtrees instead of a count
// over the registry's rows: a province-wide count costs ~50 ms on SQLite and 100–250 ms on
// PostgreSQL, the sum well under a millisecond.
//
// The table is loaded on first use (one read of every household's id, region, filter columns,
// number, head's name, member count and year identified, in one snapshot) and brought forward
// before each use: the households changed since the state it holds are read again, their
// earlier entry taken away and the new one added. A change of the regions, a change log
// pruned past the table's state (a bulk load prunes it), or a very large change reloads it.
//
// Pages: for each of the list's orders (number; region, head's name, member count or year
// identified, each then by number) the table keeps the households in that order, built on
// first use (the number order by a sort, the others from it by a stable counting sort or, for
// names, a stable sort) and patched in one pass when households change. A page is a walk of
// the order, from the end nearer to it, that picks the households matching the query: at
// worst one pass over ~1 M ids and their regions and keys (milliseconds). SQLite's schema has
// no index for these orders and filters (they cost a bulk import a second at province scale,
// docs/benchmarks.md); SQL serves the list only when the table cannot.
//
// Lists "as of a day" count by each household's status history: the first such list loads
// every household's status events (day and status, in the order the list's SQL takes them:
// by date, then by the order recorded); after that the events of the households re-read are
// kept beside them. A count as of a day is then one pass over the households in memory.
//
// Searches: the households whose number or head's name starts with the text (ranges of the
// number and name orders) or, when none of those matches the query, whose head's name
// contains it (a scan of the ~10 MB of names), as the list's SQL does (ChooseNameMatch).
// Thread-safe.
#pragma once

#include <cstdint>
#include <limits>
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

  // The list's orders (registry::HouseholdSort): each ends with the unique number, so that
  // it is total and descending is its reverse.
  enum class Order { kNumber, kRegion, kHeadName, kMembers, kYearIdentified };
  static constexpr size_t kOrders = 5;

  // A search text: households whose number starts with it, and unless `numbers_only`, whose
  // head's name starts with it or, when no household of the query matches either way, whose
  // head's name contains it (bytewise and case-sensitive, as SQL's instr/strpos). The caller
  // passes only texts that are valid UTF-8 with no NUL.
  struct Search {
    std::string_view text;
    bool numbers_only = false;
  };
  struct PageRequest {
    Order order = Order::kNumber;
    bool descending = false;
    int64_t offset = 0;
    int64_t limit = 50;
    std::optional<Search> search = std::nullopt;
  };
  struct Page {
    int64_t total = 0;
    std::vector<int64_t> ids;  // the page's households, in the list's order
  };
  // A page of the households in `scope` (and `within`) matching `filter` (and the search), at
  // the registry's state as `conn` sees it (or a later one, when another reader brought the
  // table further), with their total. nullopt when the table cannot serve (the registry's
  // values do not fit it); the caller then reads the page with SQL.
  Result<std::optional<Page>> List(SqlConnection& conn, std::span<const Range> scope,
                                   const std::optional<Range>& within, const Filter& filter,
                                   const PageRequest& request);

  // Changes larger than this are a reload rather than a patch.
  static constexpr size_t kMaxPatch = 50000;

 private:
  // Brings the table to the state `conn` sees (in one snapshot), with the status events when
  // `events`. Requires mutex_.
  Status Refresh(SqlConnection& conn, bool events);
  Status Load(SqlConnection& conn);
  // A household as read (its texts view the SqlRow it was read from).
  struct Row {
    int64_t id = 0;
    std::string_view region;
    std::string_view status;
    std::string_view cause;
    std::string_view attribute;
    std::string_view head_name;
    std::string_view number;
    int64_t members = 0;
    std::optional<int64_t> year;
  };
  // The columns read for each Row, in its order.
  static constexpr const char* kRowColumns =
      "id, region_code, status, main_cause, attribute, head_name, number, member_count, "
      "year_identified";
  static Row ReadRow(const SqlRow& row);
  // Counts household `row.id` under (region, status, cause, attribute) and keeps its name,
  // number and sort keys, replacing what it held before. False when a column has more
  // distinct values than a key holds, or a text cannot be held (a NUL byte, or 4 GB of names
  // or numbers).
  bool Put(const Row& row);
  void Remove(int64_t id);
  void Clear();
  // Sizes every per-id array to `size` ids, new ids not counted.
  void ResizeIds(size_t size);
  // Drops the names and numbers of households re-read or removed since the load, when they
  // are most of their buffer.
  void CompactNames();
  void CompactNumbers();
  std::string_view NumberOf(uint32_t id) const;
  std::string_view NameOf(uint32_t id) const;
  // Whether household `a` comes before `b` in `order` (ascending).
  bool Less(Order order, uint32_t a, uint32_t b) const;
  // The households in `order` (ascending), built when first asked for. Requires mutex_.
  const std::vector<uint32_t>& OrderOf(Order order);
  // Takes the households `changed` out of every order built and puts those still counted
  // back in their places (their rows read again). Requires mutex_.
  void PatchOrders(std::span<const int64_t> changed);
  // The counted households whose number (or head's name, `names`) starts with `text`, by
  // ranges of those orders. Requires mutex_.
  void StartingWith(std::string_view text, bool names, std::vector<uint32_t>& out);
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
  // Household numbers, as the names but without an index of entries: numbers_at_ per id
  // (kNoName when not counted).
  std::string numbers_;
  std::vector<uint32_t> number_at_;
  size_t live_number_bytes_ = 0;
  // Sort keys per household id: member count, and year identified (null_year_ when none:
  // below every year on SQLite, above on PostgreSQL, as each orders NULL).
  std::vector<int32_t> members_;
  std::vector<int32_t> year_;
  int32_t null_year_ = std::numeric_limits<int32_t>::min();
  // Per region index (groups_), its code (a view of the key in regions_).
  std::vector<std::string_view> region_code_;
  // The orders built, each the counted households' ids ascending (orders_built_ says which).
  std::vector<uint32_t> orders_[kOrders];
  bool orders_built_[kOrders] = {};
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
