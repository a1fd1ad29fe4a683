#include "storage/household_counts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <limits>

namespace fupin::storage {

namespace {

// Ids are the households' INTEGER PRIMARY KEY / identity: dense. A registry whose ids are far
// sparser than its rows is served by SQL instead of a per-id table this large.
bool TooSparse(int64_t id, size_t rows) {
  return id < 0 || id > 8 * static_cast<int64_t>(rows) + (int64_t{1} << 22);
}

// "YYYY-MM-DD" as yyyymmdd (which orders as the text does); -1 when it is not so written.
int32_t DayOf(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return -1;
  int32_t day = 0;
  for (size_t i = 0; i < 10; ++i) {
    if (i == 4 || i == 7) continue;
    if (text[i] < '0' || text[i] > '9') return -1;
    day = day * 10 + (text[i] - '0');
  }
  return day;
}

}  // namespace

void HouseholdCounts::Clear() {
  events_loaded_ = false;
  events_usable_ = false;
  event_begin_.clear();
  event_day_.clear();
  event_status_.clear();
  events_since_.clear();
  usable_ = false;
  generation_ = -1;
  regions_generation_ = -1;
  for (auto& v : vocab_) v.clear();
  regions_.clear();
  region_index_.clear();
  groups_.clear();
  region_of_.clear();
  key_of_.clear();
  names_.clear();
  entry_start_.clear();
  entry_id_.clear();
  name_at_.clear();
  live_name_bytes_ = 0;
  numbers_.clear();
  number_at_.clear();
  live_number_bytes_ = 0;
  members_.clear();
  year_.clear();
  region_code_.clear();
  for (size_t o = 0; o < kOrders; ++o) {
    orders_[o].clear();
    orders_built_[o] = false;
  }
}

void HouseholdCounts::Remove(int64_t id) {
  if (id < 0 || static_cast<size_t>(id) >= region_of_.size()) return;
  const int32_t region = region_of_[static_cast<size_t>(id)];
  if (region == kNone) return;
  auto& group = groups_[static_cast<size_t>(region)];
  const uint32_t key = key_of_[static_cast<size_t>(id)];
  auto it = std::find_if(group.begin(), group.end(), [&](const auto& g) { return g.first == key; });
  if (it != group.end() && --it->second == 0) group.erase(it);
  region_of_[static_cast<size_t>(id)] = kNone;
  uint32_t& name = name_at_[static_cast<size_t>(id)];
  if (name != kNoName) {
    live_name_bytes_ -= std::strlen(names_.data() + name) + 1;
    name = kNoName;
  }
  uint32_t& number = number_at_[static_cast<size_t>(id)];
  if (number != kNoName) {
    live_number_bytes_ -= std::strlen(numbers_.data() + number) + 1;
    number = kNoName;
  }
}

void HouseholdCounts::ResizeIds(size_t size) {
  region_of_.resize(size, kNone);
  key_of_.resize(size, 0);
  name_at_.resize(size, kNoName);
  number_at_.resize(size, kNoName);
  members_.resize(size, 0);
  year_.resize(size, 0);
}

HouseholdCounts::Row HouseholdCounts::ReadRow(const SqlRow& row) {
  Row r;
  r.id = row.Int(0);
  r.region = row.TextView(1);
  r.status = row.TextView(2);
  r.cause = row.TextView(3);
  r.attribute = row.TextView(4);
  r.head_name = row.TextView(5);
  r.number = row.TextView(6);
  r.members = row.Int(7);
  if (!row.IsNull(8)) r.year = row.Int(8);
  return r;
}

bool HouseholdCounts::Put(const Row& row) {
  const int64_t id = row.id;
  const std::string_view head_name = row.head_name;
  const std::string_view region = row.region;
  constexpr int64_t kLowest = std::numeric_limits<int32_t>::min() + 1;
  constexpr int64_t kHighest = std::numeric_limits<int32_t>::max() - 1;
  if (id < 0 || id >= kNoName || head_name.find('\0') != std::string_view::npos ||
      names_.size() + head_name.size() + 1 >= kNoName ||
      row.number.find('\0') != std::string_view::npos ||
      numbers_.size() + row.number.size() + 1 >= kNoName || row.members < kLowest ||
      row.members > kHighest || (row.year && (*row.year < kLowest || *row.year > kHighest))) {
    return false;
  }
  Remove(id);
  uint32_t key = 0;
  const std::string_view values[3] = {row.status, row.cause, row.attribute};
  for (size_t c = 0; c < 3; ++c) {
    auto& vocab = vocab_[c];
    auto it = std::find(vocab.begin(), vocab.end(), values[c]);
    if (it == vocab.end()) {
      if (vocab.size() == 255) return false;
      vocab.emplace_back(values[c]);
      it = vocab.end() - 1;
    }
    key |= static_cast<uint32_t>(it - vocab.begin()) << (8 * c);
  }
  int32_t index = 0;
  if (auto found = region_index_.find(region); found != region_index_.end()) {
    index = found->second;
  } else {
    index = static_cast<int32_t>(groups_.size());
    groups_.emplace_back();
    auto placed = regions_.emplace(std::string(region), index).first;
    region_code_.emplace_back(placed->first);
    region_index_.emplace(std::string(region), index);
  }
  auto& group = groups_[static_cast<size_t>(index)];
  auto it = std::find_if(group.begin(), group.end(), [&](const auto& g) { return g.first == key; });
  if (it == group.end()) {
    group.emplace_back(key, 1);
  } else {
    ++it->second;
  }
  if (static_cast<size_t>(id) >= region_of_.size()) {
    ResizeIds(std::max(static_cast<size_t>(id) + 1, region_of_.size() * 5 / 4));
  }
  region_of_[static_cast<size_t>(id)] = index;
  key_of_[static_cast<size_t>(id)] = key;
  members_[static_cast<size_t>(id)] = static_cast<int32_t>(row.members);
  year_[static_cast<size_t>(id)] = row.year ? static_cast<int32_t>(*row.year) : null_year_;
  number_at_[static_cast<size_t>(id)] = static_cast<uint32_t>(numbers_.size());
  numbers_.append(row.number);
  numbers_.push_back('\0');
  live_number_bytes_ += row.number.size() + 1;
  const auto start = static_cast<uint32_t>(names_.size());
  names_.append(head_name);
  names_.push_back('\0');
  entry_start_.push_back(start);
  entry_id_.push_back(static_cast<uint32_t>(id));
  name_at_[static_cast<size_t>(id)] = start;
  live_name_bytes_ += head_name.size() + 1;
  return true;
}

void HouseholdCounts::CompactNames() {
  if (names_.size() < 2 * live_name_bytes_ + (1u << 20)) return;
  std::string names;
  names.reserve(live_name_bytes_);
  entry_start_.clear();
  entry_id_.clear();
  for (size_t id = 0; id < name_at_.size(); ++id) {
    if (name_at_[id] == kNoName) continue;
    const char* name = names_.data() + name_at_[id];
    const size_t length = std::strlen(name);
    name_at_[id] = static_cast<uint32_t>(names.size());
    entry_start_.push_back(name_at_[id]);
    entry_id_.push_back(static_cast<uint32_t>(id));
    names.append(name, length + 1);
  }
  names_ = std::move(names);
}

void HouseholdCounts::CompactNumbers() {
  if (numbers_.size() < 2 * live_number_bytes_ + (1u << 20)) return;
  std::string numbers;
  numbers.reserve(live_number_bytes_);
  for (uint32_t& at : number_at_) {
    if (at == kNoName) continue;
    const char* number = numbers_.data() + at;
    const size_t length = std::strlen(number);
    at = static_cast<uint32_t>(numbers.size());
    numbers.append(number, length + 1);
  }
  numbers_ = std::move(numbers);
}

std::string_view HouseholdCounts::NumberOf(uint32_t id) const {
  return numbers_.data() + number_at_[id];
}

std::string_view HouseholdCounts::NameOf(uint32_t id) const { return names_.data() + name_at_[id]; }

Status HouseholdCounts::Load(SqlConnection& conn) {
  Clear();
  int64_t rows = 0;
  int64_t max_id = 0;
  FUPIN_TRY(conn.Run("SELECT count(*), max(id) FROM households", {}, [&](const SqlRow& row) {
    rows = row.Int(0);
    max_id = row.IsNull(1) ? 0 : row.Int(1);
  }));
  if (TooSparse(max_id, static_cast<size_t>(rows))) return {};
  ResizeIds(static_cast<size_t>(max_id) + 1);  // all empty after Clear
  entry_start_.reserve(static_cast<size_t>(rows));
  entry_id_.reserve(static_cast<size_t>(rows));
  null_year_ = conn.backend() == Backend::kSqlite ? std::numeric_limits<int32_t>::min()
                                                  : std::numeric_limits<int32_t>::max();
  bool fits = true;
  FUPIN_TRY(
      conn.Run(fmt::format("SELECT {} FROM households", kRowColumns), {}, [&](const SqlRow& row) {
        if (!fits) return;
        fits = Put(ReadRow(row));
      }));
  usable_ = fits;
  return {};
}

namespace {

// A status's index in `vocab` (added when new); -1 when the vocabulary is full.
int StatusIndex(std::vector<std::string>& vocab, std::string_view status) {
  auto it = std::find(vocab.begin(), vocab.end(), status);
  if (it != vocab.end()) return static_cast<int>(it - vocab.begin());
  if (vocab.size() == 255) return -1;
  vocab.emplace_back(status);
  return static_cast<int>(vocab.size() - 1);
}

}  // namespace

Status HouseholdCounts::LoadEvents(SqlConnection& conn) {
  events_loaded_ = true;
  events_usable_ = false;
  events_since_.clear();
  // Read in any order, then grouped by household (a counting sort) and each household's
  // sorted by date, then by the order recorded (the event's id) — the list's order.
  const size_t households = region_of_.size();
  std::vector<uint32_t> holder;
  std::vector<int32_t> day;
  std::vector<int64_t> order;
  std::vector<uint8_t> status;
  bool fits = true;
  FUPIN_TRY(conn.Run("SELECT household_id, on_date, id, status FROM household_events", {},
                     [&](const SqlRow& row) {
                       if (!fits) return;
                       const int64_t h = row.Int(0);
                       const int32_t d = DayOf(row.Text(1));
                       const int st = StatusIndex(vocab_[0], row.Text(3));
                       if (d < 0 || st < 0) {
                         fits = false;
                         return;
                       }
                       // Events of households not counted (none, in a consistent snapshot).
                       if (h < 0 || static_cast<size_t>(h) >= households) return;
                       holder.push_back(static_cast<uint32_t>(h));
                       day.push_back(d);
                       order.push_back(row.Int(2));
                       status.push_back(static_cast<uint8_t>(st));
                     }));
  if (!fits) return {};
  event_begin_.assign(households + 1, 0);
  for (uint32_t h : holder) ++event_begin_[h + 1];
  for (size_t i = 0; i < households; ++i) event_begin_[i + 1] += event_begin_[i];
  std::vector<uint32_t> fill(event_begin_.begin(), event_begin_.end() - 1);
  std::vector<uint32_t> position(holder.size());
  for (size_t r = 0; r < holder.size(); ++r) position[fill[holder[r]]++] = static_cast<uint32_t>(r);
  for (size_t h = 0; h < households; ++h) {
    std::sort(position.begin() + event_begin_[h], position.begin() + event_begin_[h + 1],
              [&](uint32_t a, uint32_t b) {
                return day[a] != day[b] ? day[a] < day[b] : order[a] < order[b];
              });
  }
  event_day_.resize(position.size());
  event_status_.resize(position.size());
  for (size_t e = 0; e < position.size(); ++e) {
    event_day_[e] = day[position[e]];
    event_status_[e] = status[position[e]];
  }
  events_usable_ = true;
  return {};
}

Status HouseholdCounts::PatchEvents(SqlConnection& conn, int64_t since,
                                    std::span<const int64_t> changed) {
  for (int64_t id : changed) events_since_[id].clear();  // none, unless read below
  const SqlValue params[] = {since};
  bool fits = true;
  FUPIN_TRY(conn.Run(
      "SELECT household_id, on_date, status FROM household_events WHERE household_id IN "
      "(SELECT household_id FROM registry_changes WHERE generation > ?) ORDER BY household_id, "
      "on_date, id",
      params, [&](const SqlRow& row) {
        if (!fits) return;
        const int32_t d = DayOf(row.Text(1));
        const int st = StatusIndex(vocab_[0], row.Text(2));
        if (d < 0 || st < 0) {
          fits = false;
          return;
        }
        events_since_[row.Int(0)].emplace_back(d, static_cast<uint8_t>(st));
      }));
  if (!fits) events_usable_ = false;
  return {};
}

int HouseholdCounts::StatusOn(int64_t id, int32_t day) const {
  if (auto it = events_since_.find(id); it != events_since_.end()) {
    int status = -1;
    for (const auto& [d, st] : it->second) {
      if (d > day) break;
      status = st;
    }
    return status;
  }
  if (static_cast<size_t>(id) + 1 >= event_begin_.size()) return -1;
  const uint32_t begin = event_begin_[static_cast<size_t>(id)];
  const uint32_t end = event_begin_[static_cast<size_t>(id) + 1];
  int status = -1;
  for (uint32_t e = begin; e < end && event_day_[e] <= day; ++e) status = event_status_[e];
  return status;
}

Status HouseholdCounts::Refresh(SqlConnection& conn, bool events) {
  auto refreshed = InSnapshot<bool>(conn, [&](SqlConnection& c) -> Result<bool> {
    int64_t pruned = 0;
    auto counters = ReadChangeStamp(c, &pruned);
    if (!counters) return std::unexpected(counters.error());
    const bool loaded = generation_ >= 0;
    // Another reader may have brought the table past this snapshot: it stays as it is.
    const bool current =
        loaded && counters->regions == regions_generation_ && counters->registry <= generation_;
    if (!current) {
      const bool patchable =
          loaded && counters->regions == regions_generation_ && generation_ >= pruned;
      std::vector<int64_t> changed;
      if (patchable) {
        const SqlValue since[] = {generation_};
        FUPIN_TRY(c.Run("SELECT DISTINCT household_id FROM registry_changes WHERE generation > ?",
                        since, [&](const SqlRow& row) { changed.push_back(row.Int(0)); }));
      }
      if (!patchable || changed.size() > kMaxPatch || !usable_) {
        FUPIN_TRY(Load(c));
      } else {
        for (int64_t id : changed) Remove(id);
        const SqlValue since[] = {generation_};
        bool fits = true;
        FUPIN_TRY(c.Run(fmt::format("SELECT {} FROM households WHERE id IN (SELECT household_id "
                                    "FROM registry_changes WHERE generation > ?)",
                                    kRowColumns),
                        since, [&](const SqlRow& row) {
                          if (!fits) return;
                          if (TooSparse(row.Int(0), region_of_.size())) {
                            fits = false;
                            return;
                          }
                          fits = Put(ReadRow(row));
                        }));
        usable_ = fits;
        if (fits) PatchOrders(changed);
        CompactNames();
        CompactNumbers();
        if (events_loaded_ && events_usable_) {
          FUPIN_TRY(PatchEvents(c, generation_, changed));
          // Too many households kept aside: load them all again when next needed.
          if (events_since_.size() > kMaxPatch) {
            events_loaded_ = events_usable_ = false;
            event_begin_.clear();
            event_day_.clear();
            event_status_.clear();
            events_since_.clear();
          }
        }
      }
      generation_ = counters->registry;
      regions_generation_ = counters->regions;
    }
    // The events are read in the snapshot of the table's own state only.
    if (events && usable_ && !events_loaded_ && counters->registry == generation_) {
      FUPIN_TRY(LoadEvents(c));
    }
    return true;
  });
  if (!refreshed) {
    Clear();  // half brought forward: load afresh next time
    return std::unexpected(refreshed.error());
  }
  return {};
}

std::vector<char> HouseholdCounts::RegionsIn(std::span<const Range> scope,
                                             const std::optional<Range>& within) const {
  // The scope's subtrees merged (nested or disjoint: each region once), cut to `within`.
  std::vector<Range> ranges(scope.begin(), scope.end());
  std::sort(ranges.begin(), ranges.end(),
            [](const Range& a, const Range& b) { return a.low < b.low; });
  std::vector<Range> merged;
  for (Range& r : ranges) {
    if (!merged.empty() && r.low <= merged.back().high) {
      merged.back().high = std::max(merged.back().high, r.high);
    } else {
      merged.push_back(std::move(r));
    }
  }
  std::vector<char> in_range(groups_.size(), 0);
  for (Range r : merged) {
    if (within) {
      r.low = std::max(r.low, within->low);
      r.high = std::min(r.high, within->high);
      if (r.low > r.high) continue;
    }
    for (auto it = regions_.lower_bound(r.low); it != regions_.end() && it->first <= r.high; ++it) {
      in_range[static_cast<size_t>(it->second)] = 1;
    }
  }
  return in_range;
}

std::optional<HouseholdCounts::Compiled> HouseholdCounts::Compile(const Filter& filter) const {
  Compiled f;
  const std::optional<std::string>* values[3] = {&filter.status, &filter.cause, &filter.attribute};
  for (size_t c = 0; c < 3; ++c) {
    if (!*values[c]) continue;
    const auto& vocab = vocab_[c];
    auto it = std::find(vocab.begin(), vocab.end(), **values[c]);
    if (it == vocab.end()) return std::nullopt;
    if (c == 0 && filter.as_of) {
      f.status_then = static_cast<int>(it - vocab.begin());
      continue;
    }
    f.want |= static_cast<uint32_t>(it - vocab.begin()) << (8 * c);
    f.mask |= 0xFFu << (8 * c);
  }
  if (filter.as_of) {
    const Date& d = *filter.as_of;
    f.day = d.year * 10000 + d.month * 100 + d.day;
  }
  return f;
}

bool HouseholdCounts::Passes(int64_t id, const std::vector<char>& in_range,
                             const Compiled& f) const {
  if (id < 0 || static_cast<size_t>(id) >= region_of_.size()) return false;
  const int32_t region = region_of_[static_cast<size_t>(id)];
  if (region == kNone || !in_range[static_cast<size_t>(region)]) return false;
  if ((key_of_[static_cast<size_t>(id)] & f.mask) != f.want) return false;
  if (f.day < 0) return true;
  const int then = StatusOn(id, f.day);
  return then >= 0 && (f.status_then < 0 || then == f.status_then);
}

bool HouseholdCounts::Less(Order order, uint32_t a, uint32_t b) const {
  switch (order) {
    case Order::kNumber:
      break;
    case Order::kRegion: {
      const std::string_view x = region_code_[static_cast<size_t>(region_of_[a])];
      const std::string_view y = region_code_[static_cast<size_t>(region_of_[b])];
      if (x != y) return x < y;
      break;
    }
    case Order::kHeadName: {
      const std::string_view x = NameOf(a);
      const std::string_view y = NameOf(b);
      if (x != y) return x < y;
      break;
    }
    case Order::kMembers:
      if (members_[a] != members_[b]) return members_[a] < members_[b];
      break;
    case Order::kYearIdentified:
      if (year_[a] != year_[b]) return year_[a] < year_[b];
      break;
  }
  // string_view compares as unsigned bytes, as SQLite's BINARY and PostgreSQL's "C" do.
  return NumberOf(a) < NumberOf(b);
}

const std::vector<uint32_t>& HouseholdCounts::OrderOf(Order order) {
  const auto o = static_cast<size_t>(order);
  if (orders_built_[o]) return orders_[o];
  std::vector<uint32_t>& out = orders_[o];
  out.clear();
  if (order == Order::kNumber) {
    out.reserve(entry_id_.size());
    for (size_t id = 0; id < region_of_.size(); ++id) {
      if (region_of_[id] != kNone) out.push_back(static_cast<uint32_t>(id));
    }
    // Households are mostly numbered in the order they were stored: often sorted already.
    auto less = [&](uint32_t a, uint32_t b) { return NumberOf(a) < NumberOf(b); };
    if (!std::is_sorted(out.begin(), out.end(), less)) std::sort(out.begin(), out.end(), less);
    orders_built_[o] = true;
    return out;
  }
  const std::vector<uint32_t>& by_number = OrderOf(Order::kNumber);
  // The number order sorted stably by the order's own key: ties stay in number order.
  auto counting = [&](auto bucket_of, size_t buckets) {
    std::vector<uint32_t> start(buckets + 1, 0);
    for (uint32_t id : by_number) ++start[bucket_of(id) + 1];
    for (size_t b = 0; b < buckets; ++b) start[b + 1] += start[b];
    out.resize(by_number.size());
    for (uint32_t id : by_number) out[start[bucket_of(id)]++] = id;
  };
  auto stable = [&] {
    out = by_number;
    std::stable_sort(out.begin(), out.end(),
                     [&](uint32_t a, uint32_t b) { return Less(order, a, b); });
  };
  // An integer key: a counting sort over its range when that is narrow (member counts and
  // years always are).
  constexpr int64_t kMaxBuckets = int64_t{1} << 20;
  auto by_key = [&](const std::vector<int32_t>& key, bool nullable) {
    int64_t low = std::numeric_limits<int64_t>::max();
    int64_t high = std::numeric_limits<int64_t>::min();
    for (uint32_t id : by_number) {
      if (nullable && key[id] == null_year_) continue;
      low = std::min<int64_t>(low, key[id]);
      high = std::max<int64_t>(high, key[id]);
    }
    if (low > high) low = high = 0;  // none, or only nulls
    if (high - low >= kMaxBuckets) return stable();
    // Nulls first (SQLite: below every value) or last (PostgreSQL).
    const bool nulls_first = null_year_ < 0;
    const auto span = static_cast<size_t>(high - low + 1);
    counting(
        [&](uint32_t id) -> size_t {
          if (nullable && key[id] == null_year_) return nulls_first ? 0 : span + 1;
          return static_cast<size_t>(key[id] - low) + 1;
        },
        span + 2);
  };
  switch (order) {
    case Order::kNumber:
      break;
    case Order::kRegion: {
      std::vector<uint32_t> rank(groups_.size(), 0);
      uint32_t next = 0;
      for (const auto& [code, index] : regions_) rank[static_cast<size_t>(index)] = next++;
      counting([&](uint32_t id) -> size_t { return rank[static_cast<size_t>(region_of_[id])]; },
               groups_.size());
      break;
    }
    case Order::kHeadName:
      stable();
      break;
    case Order::kMembers:
      by_key(members_, false);
      break;
    case Order::kYearIdentified:
      by_key(year_, true);
      break;
  }
  orders_built_[o] = true;
  return out;
}

void HouseholdCounts::PatchOrders(std::span<const int64_t> changed) {
  if (changed.empty() || std::none_of(std::begin(orders_built_), std::end(orders_built_),
                                      [](bool built) { return built; })) {
    return;
  }
  std::vector<char> marked(region_of_.size(), 0);
  std::vector<uint32_t> back;  // the households changed that are still counted
  for (int64_t id : changed) {
    if (id < 0 || static_cast<size_t>(id) >= marked.size() || marked[static_cast<size_t>(id)]) {
      continue;
    }
    marked[static_cast<size_t>(id)] = 1;
    if (region_of_[static_cast<size_t>(id)] != kNone) back.push_back(static_cast<uint32_t>(id));
  }
  for (size_t o = 0; o < kOrders; ++o) {
    if (!orders_built_[o]) continue;
    const auto order = static_cast<Order>(o);
    auto less = [&](uint32_t a, uint32_t b) { return Less(order, a, b); };
    std::vector<uint32_t>& ids = orders_[o];
    ids.erase(std::remove_if(ids.begin(), ids.end(), [&](uint32_t id) { return marked[id] != 0; }),
              ids.end());
    std::sort(back.begin(), back.end(), less);
    // Each put back where it belongs: a binary search from the last one's place, and the
    // stretches between copied once.
    std::vector<uint32_t> merged;
    merged.reserve(ids.size() + back.size());
    auto from = ids.begin();
    for (uint32_t id : back) {
      auto at = std::upper_bound(from, ids.end(), id, less);
      merged.insert(merged.end(), from, at);
      merged.push_back(id);
      from = at;
    }
    merged.insert(merged.end(), from, ids.end());
    ids = std::move(merged);
  }
}

void HouseholdCounts::StartingWith(std::string_view text, bool names, std::vector<uint32_t>& out) {
  const std::vector<uint32_t>& order = OrderOf(names ? Order::kHeadName : Order::kNumber);
  auto key = [&](uint32_t id) { return names ? NameOf(id) : NumberOf(id); };
  // Sorted by the key first: the keys starting with the text are one stretch.
  auto it =
      std::partition_point(order.begin(), order.end(), [&](uint32_t id) { return key(id) < text; });
  for (; it != order.end() && key(*it).starts_with(text); ++it) out.push_back(*it);
}

Result<std::optional<HouseholdCounts::Page>> HouseholdCounts::List(
    SqlConnection& conn, std::span<const Range> scope, const std::optional<Range>& within,
    const Filter& filter, const PageRequest& request) {
  using Found = std::optional<Page>;
  std::lock_guard lock(mutex_);
  FUPIN_TRY(Refresh(conn, filter.as_of.has_value()));
  if (!usable_) return Found();
  if (filter.as_of && !(events_loaded_ && events_usable_)) return Found();
  Page page;
  const std::optional<Compiled> f = Compile(filter);
  if (!f) return Found(std::move(page));  // a value no household has
  const std::vector<char> in_range = RegionsIn(scope, within);
  // The matches, marked per household when searching or as of a day (one pass); otherwise
  // counted by region and tested while walking.
  std::vector<char> marked;
  if (request.search) {
    const std::string_view text = request.search->text;
    marked.assign(region_of_.size(), 0);
    auto mark = [&](uint32_t id) {
      if (marked[id] || !Passes(id, in_range, *f)) return;
      marked[id] = 1;
      ++page.total;
    };
    std::vector<uint32_t> starting;
    StartingWith(text, /*names=*/false, starting);
    if (!request.search->numbers_only) StartingWith(text, /*names=*/true, starting);
    for (uint32_t id : starting) mark(id);
    if (page.total == 0 && !request.search->numbers_only && !text.empty()) {
      // No number or name starts with the text: the names that hold it.
      const char* base = names_.data();
      const size_t size = names_.size();
      size_t pos = 0;
      while (pos < size) {
        const void* hit = memmem(base + pos, size - pos, text.data(), text.size());
        if (!hit) break;
        // The entry holding the hit (a hit never spans two: the text holds no NUL).
        const auto at = static_cast<uint32_t>(static_cast<const char*>(hit) - base);
        const size_t e =
            static_cast<size_t>(std::upper_bound(entry_start_.begin(), entry_start_.end(), at) -
                                entry_start_.begin() - 1);
        const uint32_t id = entry_id_[e];
        // The household's current name (not one left by a re-read).
        if (name_at_[id] == entry_start_[e]) mark(id);
        pos = e + 1 < entry_start_.size() ? entry_start_[e + 1] : size;
      }
    }
  } else if (filter.as_of) {
    marked.assign(region_of_.size(), 0);
    for (size_t id = 0; id < region_of_.size(); ++id) {
      if (Passes(static_cast<int64_t>(id), in_range, *f)) {
        marked[id] = 1;
        ++page.total;
      }
    }
  } else {
    for (size_t g = 0; g < groups_.size(); ++g) {
      if (!in_range[g]) continue;
      for (const auto& [key, households] : groups_[g]) {
        if ((key & f->mask) == f->want) page.total += households;
      }
    }
  }
  if (request.limit <= 0 || request.offset < 0 || request.offset >= page.total) {
    return Found(std::move(page));
  }
  // The list is the order, reversed when descending. A page in its second half is found from
  // the list's end: the walk then passes fewer households.
  const std::vector<uint32_t>& order = OrderOf(request.order);
  const int64_t n = std::min(request.limit, page.total - request.offset);
  const bool from_end = request.offset > page.total / 2;
  int64_t skip = from_end ? page.total - request.offset - n : request.offset;
  const bool backwards = request.descending != from_end;
  page.ids.reserve(static_cast<size_t>(n));
  const size_t size = order.size();
  for (size_t i = 0; i < size && static_cast<int64_t>(page.ids.size()) < n; ++i) {
    const uint32_t id = order[backwards ? size - 1 - i : i];
    if (marked.empty() ? !Passes(id, in_range, *f) : !marked[id]) continue;
    if (skip > 0) {
      --skip;
      continue;
    }
    page.ids.push_back(id);
  }
  if (from_end) std::reverse(page.ids.begin(), page.ids.end());
  return Found(std::move(page));
}

}  // namespace fupin::storage
