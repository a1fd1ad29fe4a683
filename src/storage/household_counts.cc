#include "storage/household_counts.h"

#include <fmt/format.h>

#include <algorithm>

namespace fupin::storage {

namespace {

// The counters that say which state the table holds, read in the snapshot it is brought to.
struct Counters {
  int64_t registry = 0;
  int64_t regions = 0;
  int64_t pruned = 0;
};

Result<Counters> ReadCounters(SqlConnection& conn) {
  Counters c;
  FUPIN_TRY(conn.Run("SELECT name, value FROM change_counters", {}, [&](const SqlRow& row) {
    const std::string name = row.Text(0);
    if (name == "registry") c.registry = row.Int(1);
    if (name == "regions") c.regions = row.Int(1);
    if (name == "registry_pruned") c.pruned = row.Int(1);
  }));
  return c;
}

// Ids are the households' INTEGER PRIMARY KEY / identity: dense. A registry whose ids are far
// sparser than its rows is served by SQL instead of a per-id table this large.
bool TooSparse(int64_t id, size_t rows) {
  return id < 0 || id > 8 * static_cast<int64_t>(rows) + (int64_t{1} << 22);
}

}  // namespace

int64_t HouseholdCounts::patched() const {
  std::lock_guard lock(mutex_);
  return patched_;
}

int64_t HouseholdCounts::loads() const {
  std::lock_guard lock(mutex_);
  return loads_;
}

void HouseholdCounts::Clear() {
  usable_ = false;
  generation_ = -1;
  regions_generation_ = -1;
  patched_ = 0;
  for (auto& v : vocab_) v.clear();
  regions_.clear();
  region_index_.clear();
  groups_.clear();
  region_of_.clear();
  key_of_.clear();
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
}

bool HouseholdCounts::Put(int64_t id, std::string_view region, std::string_view status,
                          std::string_view cause, std::string_view attribute) {
  if (id < 0) return false;
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
  }
  region_of_[static_cast<size_t>(id)] = index;
  key_of_[static_cast<size_t>(id)] = key;
  return true;
}

Status HouseholdCounts::Load(SqlConnection& conn) {
  Clear();
  ++loads_;
  int64_t rows = 0;
  int64_t max_id = 0;
  FUPIN_TRY(conn.Run("SELECT count(*), max(id) FROM households", {}, [&](const SqlRow& row) {
    rows = row.Int(0);
    max_id = row.IsNull(1) ? 0 : row.Int(1);
  }));
  if (TooSparse(max_id, static_cast<size_t>(rows))) return {};
  region_of_.assign(static_cast<size_t>(max_id) + 1, kNone);
  key_of_.assign(static_cast<size_t>(max_id) + 1, 0);
  bool fits = true;
  FUPIN_TRY(conn.Run("SELECT id, region_code, status, main_cause, attribute FROM households", {},
                     [&](const SqlRow& row) {
                       if (!fits) return;
                       fits = Put(row.Int(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4));
                     }));
  usable_ = fits;
  return {};
}

Status HouseholdCounts::Refresh(SqlConnection& conn) {
  auto refreshed = InSnapshot<bool>(conn, [&](SqlConnection& c) -> Result<bool> {
    auto counters = ReadCounters(c);
    if (!counters) return std::unexpected(counters.error());
    const bool loaded = generation_ >= 0;
    // Another reader may have brought the table past this snapshot: it stays as it is.
    if (loaded && counters->regions == regions_generation_ && counters->registry <= generation_) {
      return true;
    }
    const bool patchable =
        loaded && counters->regions == regions_generation_ && generation_ >= counters->pruned;
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
      FUPIN_TRY(
          c.Run("SELECT id, region_code, status, main_cause, attribute FROM households WHERE id IN "
                "(SELECT household_id FROM registry_changes WHERE generation > ?)",
                since, [&](const SqlRow& row) {
                  if (!fits) return;
                  if (TooSparse(row.Int(0), region_of_.size())) {
                    fits = false;
                    return;
                  }
                  fits = Put(row.Int(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4));
                }));
      patched_ += static_cast<int64_t>(changed.size());
      usable_ = fits;
    }
    generation_ = counters->registry;
    regions_generation_ = counters->regions;
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
                                                      const Filter& filter) {
  std::lock_guard lock(mutex_);
  FUPIN_TRY(Refresh(conn));
  if (!usable_) return std::optional<int64_t>();
  // The filter as a key and a mask; a value never seen matches no household.
  uint32_t want = 0;
  uint32_t mask = 0;
  const std::optional<std::string>* values[3] = {&filter.status, &filter.cause, &filter.attribute};
  for (size_t c = 0; c < 3; ++c) {
    if (!*values[c]) continue;
    const auto& vocab = vocab_[c];
    auto it = std::find(vocab.begin(), vocab.end(), **values[c]);
    if (it == vocab.end()) return std::optional<int64_t>(0);
    want |= static_cast<uint32_t>(it - vocab.begin()) << (8 * c);
    mask |= 0xFFu << (8 * c);
  }
  // The scope's subtrees merged (nested or disjoint: each household once), cut to `within`.
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
  int64_t total = 0;
  for (Range r : merged) {
    if (within) {
      r.low = std::max(r.low, within->low);
      r.high = std::min(r.high, within->high);
      if (r.low > r.high) continue;
    }
    for (auto it = regions_.lower_bound(r.low); it != regions_.end() && it->first <= r.high; ++it) {
      for (const auto& [key, households] : groups_[static_cast<size_t>(it->second)]) {
        if ((key & mask) == want) total += households;
      }
    }
  }
  return std::optional<int64_t>(total);
}

}  // namespace fupin::storage
