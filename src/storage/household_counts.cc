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
}

bool HouseholdCounts::Put(int64_t id, std::string_view region, std::string_view status,
                          std::string_view cause, std::string_view attribute,
                          std::string_view head_name) {
  if (id < 0 || id >= kNoName || head_name.find('\0') != std::string_view::npos ||
      names_.size() + head_name.size() + 1 >= kNoName) {
    return false;
  }
  Remove(id);
  uint32_t key = 0;
  const std::string_view values[3] = {status, cause, attribute};
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
    regions_.emplace(std::string(region), index);
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
    const size_t size = std::max(static_cast<size_t>(id) + 1, region_of_.size() * 5 / 4);
    region_of_.resize(size, kNone);
    key_of_.resize(size, 0);
    name_at_.resize(size, kNoName);
  }
  region_of_[static_cast<size_t>(id)] = index;
  key_of_[static_cast<size_t>(id)] = key;
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

Status HouseholdCounts::Load(SqlConnection& conn) {
  Clear();
  int64_t rows = 0;
  int64_t max_id = 0;
  FUPIN_TRY(conn.Run("SELECT count(*), max(id) FROM households", {}, [&](const SqlRow& row) {
    rows = row.Int(0);
    max_id = row.IsNull(1) ? 0 : row.Int(1);
  }));
  if (TooSparse(max_id, static_cast<size_t>(rows))) return {};
  region_of_.assign(static_cast<size_t>(max_id) + 1, kNone);
  key_of_.assign(static_cast<size_t>(max_id) + 1, 0);
  name_at_.assign(static_cast<size_t>(max_id) + 1, kNoName);
  entry_start_.reserve(static_cast<size_t>(rows));
  entry_id_.reserve(static_cast<size_t>(rows));
  bool fits = true;
  FUPIN_TRY(conn.Run(
      "SELECT id, region_code, status, main_cause, attribute, head_name FROM households", {},
      [&](const SqlRow& row) {
        if (!fits) return;
        fits = Put(row.Int(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5));
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

int64_t HouseholdCounts::CountAsOf(const std::vector<char>& in_range, uint32_t want, uint32_t mask,
                                   int32_t day, int status, std::vector<int64_t>* matches) const {
  int64_t total = 0;
  for (size_t id = 0; id < region_of_.size(); ++id) {
    const int32_t region = region_of_[id];
    if (region == kNone || !in_range[static_cast<size_t>(region)]) continue;
    if ((key_of_[id] & mask) != want) continue;
    const int then = StatusOn(static_cast<int64_t>(id), day);
    if (then < 0 || (status >= 0 && then != status)) continue;
    ++total;
    if (matches && static_cast<size_t>(total) <= kMaxMatches) {
      matches->push_back(static_cast<int64_t>(id));
    }
  }
  if (matches && static_cast<size_t>(total) > kMaxMatches) matches->clear();
  return total;
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
        FUPIN_TRY(c.Run(
            "SELECT id, region_code, status, main_cause, attribute, head_name FROM households "
            "WHERE id IN (SELECT household_id FROM registry_changes WHERE generation > ?)",
            since, [&](const SqlRow& row) {
              if (!fits) return;
              if (TooSparse(row.Int(0), region_of_.size())) {
                fits = false;
                return;
              }
              fits =
                  Put(row.Int(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5));
            }));
        usable_ = fits;
        CompactNames();
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

Result<std::optional<int64_t>> HouseholdCounts::Count(SqlConnection& conn,
                                                      std::span<const Range> scope,
                                                      const std::optional<Range>& within,
                                                      const Filter& filter,
                                                      std::vector<int64_t>* matches) {
  std::lock_guard lock(mutex_);
  if (matches) matches->clear();
  FUPIN_TRY(Refresh(conn, filter.as_of.has_value()));
  if (!usable_) return std::optional<int64_t>();
  if (filter.as_of && !(events_loaded_ && events_usable_)) return std::optional<int64_t>();
  const std::optional<Compiled> f = Compile(filter);
  if (!f) return std::optional<int64_t>(0);
  const std::vector<char> in_range = RegionsIn(scope, within);
  if (filter.as_of) {
    return std::optional<int64_t>(
        CountAsOf(in_range, f->want, f->mask, f->day, f->status_then, matches));
  }
  int64_t total = 0;
  for (size_t g = 0; g < groups_.size(); ++g) {
    if (!in_range[g]) continue;
    for (const auto& [key, households] : groups_[g]) {
      if ((key & f->mask) == f->want) total += households;
    }
  }
  return std::optional<int64_t>(total);
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

Result<std::optional<HouseholdCounts::NameSearch>> HouseholdCounts::SearchNames(
    SqlConnection& conn, std::span<const Range> scope, const std::optional<Range>& within,
    const Filter& filter, std::string_view text, std::span<const int64_t> starting) {
  using Found = std::optional<NameSearch>;
  std::lock_guard lock(mutex_);
  FUPIN_TRY(Refresh(conn, filter.as_of.has_value()));
  if (!usable_ || text.empty() || text.find('\0') != std::string_view::npos) return Found();
  if (filter.as_of && !(events_loaded_ && events_usable_)) return Found();
  NameSearch found;
  const std::optional<Compiled> f = Compile(filter);
  if (!f) return Found(std::move(found));  // a value no household has
  const std::vector<char> in_range = RegionsIn(scope, within);
  for (int64_t id : starting) {
    if (Passes(id, in_range, *f)) found.ids.push_back(id);
  }
  if (found.ids.empty()) {
    // No name starts with the text: the names that hold it.
    found.inside = true;
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
      // The household's current name (not one left by a re-read), and a household searched.
      if (name_at_[id] == entry_start_[e] && Passes(id, in_range, *f)) found.ids.push_back(id);
      pos = e + 1 < entry_start_.size() ? entry_start_[e + 1] : size;
    }
  }
  std::sort(found.ids.begin(), found.ids.end());
  found.ids.erase(std::unique(found.ids.begin(), found.ids.end()), found.ids.end());
  return Found(std::move(found));
}

}  // namespace fupin::storage
