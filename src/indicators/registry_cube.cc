#include "indicators/registry_cube.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <numeric>
#include <tuple>

#include "registry/vocabulary.h"

namespace fupin::indicators {
namespace {

// Status codes of the event columns (0 = no status).
constexpr uint8_t kStatusNone = 0;
constexpr uint8_t kStatusIdentified = 1;
constexpr uint8_t kStatusLifted = 2;
constexpr uint8_t kStatusMonitored = 3;
constexpr uint8_t kStatusRiskEliminated = 4;
constexpr uint8_t kStatusReturned = 5;
constexpr uint8_t kStatusCancelled = 6;
constexpr uint8_t kStatusOther = 7;  // a code this build does not know: registered, not poor

uint8_t StatusCode(std::string_view status) {
  if (status == "identified") return kStatusIdentified;
  if (status == "lifted") return kStatusLifted;
  if (status == "monitored") return kStatusMonitored;
  if (status == "risk_eliminated") return kStatusRiskEliminated;
  if (status == "returned") return kStatusReturned;
  if (status == "cancelled") return kStatusCancelled;
  return status.empty() ? kStatusNone : kStatusOther;
}

uint8_t CauseIndex(std::string_view cause) {
  const auto& causes = registry::Causes().terms;
  for (size_t i = 0; i < causes.size(); ++i) {
    if (causes[i].code == cause) return static_cast<uint8_t>(i + 1);
  }
  return 0;
}

// Measure indices: the counted indicators, in MeasureCodes() order.
constexpr size_t kMHouseholds = 0;
constexpr size_t kMPeople = 1;
constexpr size_t kMPoorHouseholds = 2;
constexpr size_t kMPoorPeople = 3;
constexpr size_t kMLiftedPeople = 4;
constexpr size_t kMReturnedPeople = 5;
constexpr size_t kMMonitoredPeople = 6;
constexpr size_t kMIncomeHouseholds = 7;
constexpr size_t kMIncomePeople = 8;
constexpr size_t kMNetIncomeTotal = 9;
constexpr size_t kMBelowThreshold = 10;
constexpr size_t kItemCount = std::size(kCoverageItems);
constexpr size_t kMAssessed = 11;                      // + item
constexpr size_t kMSecured = kMAssessed + kItemCount;  // + item
constexpr size_t kMCause = kMSecured + kItemCount;     // + cause index

const std::vector<std::string>& Codes() {
  static const std::vector<std::string> codes = [] {
    std::vector<std::string> c = {std::string(kHouseholds),
                                  std::string(kPeople),
                                  std::string(kPoorHouseholds),
                                  std::string(kPoorPeople),
                                  std::string(kLiftedPeople),
                                  std::string(kReturnedPeople),
                                  std::string(kMonitoredPeople),
                                  std::string(kIncomeHouseholds),
                                  std::string(kIncomePeople),
                                  std::string(kNetIncomeTotal),
                                  std::string(kIncomeBelowThresholdHouseholds)};
    for (std::string_view item : kCoverageItems) c.push_back(AssessedCode(item));
    for (std::string_view item : kCoverageItems) c.push_back(SecuredCode(item));
    for (const registry::Term& t : registry::Causes().terms) {
      c.push_back(CauseCode(t.code));
    }
    return c;
  }();
  return codes;
}

int32_t Day(const Date& d) { return static_cast<int32_t>(d.DaysSinceEpoch()); }

size_t ItemIndex(std::string_view item) {
  for (size_t i = 0; i < kItemCount; ++i) {
    if (kCoverageItems[i] == item) return i;
  }
  return kItemCount;
}

}  // namespace

// The region tree, sorted by code.
struct RegistryCube::Hierarchy {
  std::vector<Node> nodes;
  std::unordered_map<std::string, int32_t> index;
  std::vector<int32_t> child_begin;  // CSR over children, one entry per node + 1
  std::vector<int32_t> children;

  std::optional<int32_t> Find(std::string_view code) const {
    auto it = index.find(std::string(code));
    if (it == index.end()) return std::nullopt;
    return it->second;
  }

  // Sorts the nodes by code and links each to its parent (or nearest existing ancestor).
  void Ready() {
    std::sort(nodes.begin(), nodes.end(),
              [](const Node& a, const Node& b) { return a.code < b.code; });
    nodes.erase(std::unique(nodes.begin(), nodes.end(),
                            [](const Node& a, const Node& b) { return a.code == b.code; }),
                nodes.end());
    index.reserve(nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i) index.emplace(nodes[i].code, static_cast<int32_t>(i));
    std::vector<int32_t> child_count(nodes.size(), 0);
    for (Node& n : nodes) {
      const std::vector<std::string> ancestors = regions::AncestorCodes(n.code, n.level);
      for (auto it = ancestors.rbegin(); it != ancestors.rend(); ++it) {
        auto found = index.find(*it);
        if (found != index.end()) {
          n.parent = found->second;
          ++child_count[static_cast<size_t>(n.parent)];
          break;
        }
      }
    }
    child_begin.assign(nodes.size() + 1, 0);
    for (size_t i = 0; i < nodes.size(); ++i) child_begin[i + 1] = child_begin[i] + child_count[i];
    children.assign(static_cast<size_t>(child_begin.back()), 0);
    std::vector<int32_t> fill(child_begin.begin(), child_begin.end() - 1);
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (nodes[i].parent >= 0) {
        children[static_cast<size_t>(fill[static_cast<size_t>(nodes[i].parent)]++)] =
            static_cast<int32_t>(i);
      }
    }
  }
};

// Households as columns, sorted by node, then id.
struct RegistryCube::Columns {
  std::vector<int64_t> id;
  std::vector<int32_t> node;
  std::vector<uint8_t> cause;           // 0 = none, else 1 + index in Causes()
  std::vector<uint16_t> plain_members;  // members without joined/left dates
  std::vector<uint32_t> member_begin;   // CSR over the dated members
  std::vector<int32_t> joined;          // day number; INT32_MIN = since always
  std::vector<int32_t> left;            // day number; INT32_MAX = still a member
  std::vector<uint32_t> event_begin;    // CSR over status events, in date order
  std::vector<int32_t> event_day;
  std::vector<uint8_t> event_status;
  std::map<int, std::vector<double>> income;      // year → net income per household (NaN = none)
  std::vector<uint8_t> guarantee[kItemCount];     // 0 = no result, 1 = not met, 2 = met
  std::vector<int32_t> verified_day[kItemCount];  // INT32_MIN = no date (counts as always)
  // id → position, for marking households of a base dead.
  std::vector<int32_t> dense_position;
  std::unordered_map<int64_t, int32_t> sparse_position;

  size_t size() const { return node.size(); }

  int32_t PositionOf(int64_t household_id) const {
    if (sparse_position.empty()) {
      if (household_id < 0 || static_cast<size_t>(household_id) >= dense_position.size()) {
        return -1;
      }
      return dense_position[static_cast<size_t>(household_id)];
    }
    auto it = sparse_position.find(household_id);
    return it == sparse_position.end() ? -1 : it->second;
  }
};

namespace {

// An id → index map: a vector when the ids are dense enough, else a hash map.
void IndexIds(const std::vector<int64_t>& ids, std::vector<int32_t>& dense,
              std::unordered_map<int64_t, int32_t>& sparse) {
  int64_t max_id = 0;
  for (int64_t v : ids) max_id = std::max(max_id, v);
  if (max_id <= 4 * static_cast<int64_t>(ids.size()) + (1 << 20)) {
    dense.assign(static_cast<size_t>(max_id) + 1, -1);
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] >= 0) dense[static_cast<size_t>(ids[i])] = static_cast<int32_t>(i);
    }
  } else {
    sparse.reserve(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) sparse.emplace(ids[i], static_cast<int32_t>(i));
  }
}

// Collects household facts in arrival order ("slots") and turns them into Columns.
class ColumnsBuilder {
 public:
  void Household(int64_t id, int32_t node, uint8_t cause) {
    const auto slot = static_cast<int32_t>(id_.size());
    id_.push_back(id);
    node_.push_back(node);
    cause_.push_back(cause);
    plain_.push_back(0);
    if (!slots_ready_) return;
    // A household after facts of others (a store sending households in batches).
    if (sparse_slot_.empty() && id >= 0) {
      if (static_cast<size_t>(id) >= dense_slot_.size()) {
        dense_slot_.resize(static_cast<size_t>(id) + 1, -1);
      }
      dense_slot_[static_cast<size_t>(id)] = slot;
    } else {
      sparse_slot_.emplace(id, slot);
    }
    for (auto& [year, column] : income_) column.push_back(std::numeric_limits<double>::quiet_NaN());
    for (size_t k = 0; k < kItemCount; ++k) {
      if (guarantee_[k].empty()) continue;
      guarantee_[k].push_back(0);
      verified_[k].push_back(INT32_MIN);
    }
  }

  void Member(int64_t household_id, const std::optional<Date>& joined_on,
              const std::optional<Date>& left_on) {
    const int32_t slot = Slot(household_id);
    if (slot < 0) return;
    if (!joined_on && !left_on) {
      uint16_t& plain = plain_[static_cast<size_t>(slot)];
      if (plain < std::numeric_limits<uint16_t>::max()) ++plain;
      return;
    }
    member_slot_.push_back(slot);
    member_joined_.push_back(joined_on ? Day(*joined_on) : INT32_MIN);
    member_left_.push_back(left_on ? Day(*left_on) : INT32_MAX);
  }

  void StatusEvent(int64_t household_id, int64_t id, std::string_view status, const Date& on) {
    const int32_t slot = Slot(household_id);
    if (slot < 0) return;
    event_slot_.push_back(slot);
    event_id_.push_back(id);
    event_day_.push_back(Day(on));
    event_status_.push_back(StatusCode(status));
  }

  void Income(int64_t household_id, int year, double net) {
    const int32_t slot = Slot(household_id);
    if (slot < 0) return;
    auto& column = income_[year];
    if (column.empty()) column.assign(id_.size(), std::numeric_limits<double>::quiet_NaN());
    column[static_cast<size_t>(slot)] = net;
  }

  void Guarantee(int64_t household_id, std::string_view item, bool met,
                 const std::optional<Date>& verified_on) {
    const size_t k = ItemIndex(item);
    if (k == kItemCount) return;  // food and clothing have no coverage indicator
    const int32_t slot = Slot(household_id);
    if (slot < 0) return;
    if (guarantee_[k].empty()) {
      guarantee_[k].assign(id_.size(), 0);
      verified_[k].assign(id_.size(), INT32_MIN);
    }
    guarantee_[k][static_cast<size_t>(slot)] = met ? 2 : 1;
    verified_[k][static_cast<size_t>(slot)] = verified_on ? Day(*verified_on) : INT32_MIN;
  }

  std::shared_ptr<RegistryCube::Columns> Finish() {
    auto c = std::make_shared<RegistryCube::Columns>();
    const size_t n = id_.size();
    // Sorted by node, then id: `order[new] = old`, `rank[old] = new`.
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return node_[a] != node_[b] ? node_[a] < node_[b] : id_[a] < id_[b];
    });
    std::vector<uint32_t> rank(n);
    for (size_t i = 0; i < n; ++i) rank[order[i]] = static_cast<uint32_t>(i);
    auto permute = [&](const auto& column) {
      std::remove_cvref_t<decltype(column)> out(column.size());
      for (size_t i = 0; i < column.size(); ++i) out[i] = column[order[i]];
      return out;
    };
    c->id = permute(id_);
    c->node = permute(node_);
    c->cause = permute(cause_);
    c->plain_members = permute(plain_);

    // Dated members and status events grouped by household (counting sort on the new rank).
    auto group = [&](const std::vector<int32_t>& slots, std::vector<uint32_t>& begin) {
      begin.assign(n + 1, 0);
      for (int32_t slot : slots) ++begin[rank[static_cast<size_t>(slot)] + 1];
      for (size_t i = 0; i < n; ++i) begin[i + 1] += begin[i];
      std::vector<uint32_t> position(slots.size());
      std::vector<uint32_t> fill(begin.begin(), begin.end() - 1);
      for (size_t r = 0; r < slots.size(); ++r) {
        position[r] = fill[rank[static_cast<size_t>(slots[r])]]++;
      }
      return position;
    };
    {
      const auto position = group(member_slot_, c->member_begin);
      c->joined.resize(position.size());
      c->left.resize(position.size());
      for (size_t r = 0; r < position.size(); ++r) {
        c->joined[position[r]] = member_joined_[r];
        c->left[position[r]] = member_left_[r];
      }
    }
    {
      const auto position = group(event_slot_, c->event_begin);
      std::vector<std::tuple<int32_t, int64_t, uint8_t>> events(position.size());
      for (size_t r = 0; r < position.size(); ++r) {
        events[position[r]] = {event_day_[r], event_id_[r], event_status_[r]};
      }
      for (size_t h = 0; h < n; ++h) {
        std::sort(events.begin() + c->event_begin[h], events.begin() + c->event_begin[h + 1]);
      }
      c->event_day.resize(events.size());
      c->event_status.resize(events.size());
      for (size_t e = 0; e < events.size(); ++e) {
        c->event_day[e] = std::get<0>(events[e]);
        c->event_status[e] = std::get<2>(events[e]);
      }
    }
    for (auto& [year, column] : income_) c->income[year] = permute(column);
    for (size_t k = 0; k < kItemCount; ++k) {
      if (guarantee_[k].empty()) continue;
      c->guarantee[k] = permute(guarantee_[k]);
      c->verified_day[k] = permute(verified_[k]);
    }
    IndexIds(c->id, c->dense_position, c->sparse_position);
    return c;
  }

 private:
  int32_t Slot(int64_t household_id) {
    if (!slots_ready_) {
      slots_ready_ = true;
      IndexIds(id_, dense_slot_, sparse_slot_);
    }
    if (sparse_slot_.empty()) {
      if (household_id < 0 || static_cast<size_t>(household_id) >= dense_slot_.size()) return -1;
      return dense_slot_[static_cast<size_t>(household_id)];
    }
    auto it = sparse_slot_.find(household_id);
    return it == sparse_slot_.end() ? -1 : it->second;
  }

  std::vector<int64_t> id_;
  std::vector<int32_t> node_;
  std::vector<uint8_t> cause_;
  std::vector<uint16_t> plain_;
  bool slots_ready_ = false;
  std::vector<int32_t> dense_slot_;
  std::unordered_map<int64_t, int32_t> sparse_slot_;
  std::vector<int32_t> member_slot_, member_joined_, member_left_;
  std::vector<int32_t> event_slot_, event_day_;
  std::vector<int64_t> event_id_;
  std::vector<uint8_t> event_status_;
  std::map<int, std::vector<double>> income_;
  std::vector<uint8_t> guarantee_[kItemCount];
  std::vector<int32_t> verified_[kItemCount];
};

using EnteredRows = std::vector<std::tuple<std::string, std::string, std::string, double>>;

std::shared_ptr<const RegistryCube::EnteredValues> BuildEntered(
    const RegistryCube::Hierarchy& hierarchy, const EnteredRows& rows) {
  auto out = std::make_shared<RegistryCube::EnteredValues>();
  for (const auto& [indicator, region, period, value] : rows) {
    auto node = hierarchy.Find(region);
    if (!node) continue;
    (*out)[{indicator, period}].emplace_back(*node, value);
  }
  for (auto& [key, values] : *out) std::sort(values.begin(), values.end());
  return out;
}

}  // namespace

struct RegistryCube::Builder::State {
  std::unique_ptr<Hierarchy> hierarchy = std::make_unique<Hierarchy>();
  bool nodes_ready = false;
  ColumnsBuilder columns;
  EnteredRows entered;

  void ReadyNodes() {
    if (nodes_ready) return;
    nodes_ready = true;
    hierarchy->Ready();
  }
};

RegistryCube::Builder::Builder() : s_(std::make_unique<State>()) {}
RegistryCube::Builder::~Builder() = default;

void RegistryCube::Builder::Region(std::string_view code, std::string_view name,
                                   const std::optional<Date>& closed_on) {
  auto level = regions::LevelOfCode(code);
  if (!level) return;  // not a region code: nothing can hang under it
  Node n;
  n.code = code;
  n.name = name;
  n.level = *level;
  n.closed_on = closed_on;
  s_->hierarchy->nodes.push_back(std::move(n));
}

void RegistryCube::Builder::Household(int64_t id, std::string_view region_code,
                                      std::string_view main_cause) {
  s_->ReadyNodes();
  auto node = s_->hierarchy->Find(region_code);
  if (!node) return;  // the foreign key makes this impossible
  s_->columns.Household(id, *node, CauseIndex(main_cause));
}

void RegistryCube::Builder::Member(int64_t household_id, const std::optional<Date>& joined_on,
                                   const std::optional<Date>& left_on) {
  s_->columns.Member(household_id, joined_on, left_on);
}

void RegistryCube::Builder::StatusEvent(int64_t household_id, int64_t id, std::string_view status,
                                        const Date& on) {
  s_->columns.StatusEvent(household_id, id, status, on);
}

void RegistryCube::Builder::Income(int64_t household_id, int year, double net) {
  s_->columns.Income(household_id, year, net);
}

void RegistryCube::Builder::Guarantee(int64_t household_id, std::string_view item, bool met,
                                      const std::optional<Date>& verified_on) {
  s_->columns.Guarantee(household_id, item, met, verified_on);
}

void RegistryCube::Builder::Entered(std::string_view indicator, std::string_view region_code,
                                    std::string_view period, double value) {
  s_->entered.emplace_back(std::string(indicator), std::string(region_code), std::string(period),
                           value);
}

std::shared_ptr<const RegistryCube> RegistryCube::Builder::Finish(const ChangeStamp& stamp) {
  s_->ReadyNodes();
  std::shared_ptr<RegistryCube> cube(new RegistryCube());
  cube->stamp_ = stamp;
  cube->base_generation_ = stamp.registry;
  cube->base_ = s_->columns.Finish();
  cube->entered_ = BuildEntered(*s_->hierarchy, s_->entered);
  cube->hierarchy_ = std::move(s_->hierarchy);
  s_.reset();
  return cube;
}

struct RegistryCube::PatchBuilder::State {
  std::shared_ptr<const RegistryCube> base;
  ColumnsBuilder columns;
  EnteredRows entered;
};

RegistryCube::PatchBuilder::PatchBuilder(std::shared_ptr<const RegistryCube> base)
    : s_(std::make_unique<State>()) {
  s_->base = std::move(base);
}
RegistryCube::PatchBuilder::~PatchBuilder() = default;

void RegistryCube::PatchBuilder::Household(int64_t id, std::string_view region_code,
                                           std::string_view main_cause) {
  auto node = s_->base->hierarchy_->Find(region_code);
  if (!node) return;  // a new region changes the regions counter: callers reload in full
  s_->columns.Household(id, *node, CauseIndex(main_cause));
}

void RegistryCube::PatchBuilder::Member(int64_t household_id, const std::optional<Date>& joined_on,
                                        const std::optional<Date>& left_on) {
  s_->columns.Member(household_id, joined_on, left_on);
}

void RegistryCube::PatchBuilder::StatusEvent(int64_t household_id, int64_t id,
                                             std::string_view status, const Date& on) {
  s_->columns.StatusEvent(household_id, id, status, on);
}

void RegistryCube::PatchBuilder::Income(int64_t household_id, int year, double net) {
  s_->columns.Income(household_id, year, net);
}

void RegistryCube::PatchBuilder::Guarantee(int64_t household_id, std::string_view item, bool met,
                                           const std::optional<Date>& verified_on) {
  s_->columns.Guarantee(household_id, item, met, verified_on);
}

void RegistryCube::PatchBuilder::Entered(std::string_view indicator, std::string_view region_code,
                                         std::string_view period, double value) {
  s_->entered.emplace_back(std::string(indicator), std::string(region_code), std::string(period),
                           value);
}

std::shared_ptr<const RegistryCube> RegistryCube::PatchBuilder::Finish(
    const ChangeStamp& stamp, std::span<const int64_t> changed, bool entered_received) {
  const RegistryCube& base = *s_->base;
  std::shared_ptr<RegistryCube> cube(new RegistryCube());
  cube->stamp_ = stamp;
  cube->base_generation_ = base.base_generation_;
  cube->hierarchy_ = base.hierarchy_;
  cube->base_ = base.base_;
  auto delta = s_->columns.Finish();
  if (delta->size() > 0) cube->delta_ = std::move(delta);
  if (!changed.empty()) {
    auto dead = std::make_shared<std::vector<bool>>(cube->base_->size(), false);
    for (int64_t id : changed) {
      const int32_t position = cube->base_->PositionOf(id);
      if (position >= 0) (*dead)[static_cast<size_t>(position)] = true;
    }
    cube->dead_ = std::move(dead);
  }
  cube->entered_ = entered_received ? BuildEntered(*base.hierarchy_, s_->entered) : base.entered_;
  s_.reset();
  return cube;
}

RegistryCube::~RegistryCube() = default;

std::span<const std::string> RegistryCube::MeasureCodes() { return Codes(); }

std::optional<size_t> RegistryCube::MeasureOf(std::string_view code) {
  static const std::map<std::string, size_t, std::less<>> index = [] {
    std::map<std::string, size_t, std::less<>> m;
    for (size_t i = 0; i < Codes().size(); ++i) m.emplace(Codes()[i], i);
    return m;
  }();
  auto it = index.find(code);
  if (it == index.end()) return std::nullopt;
  return it->second;
}

size_t RegistryCube::patched_households() const { return delta_ ? delta_->size() : 0; }

const std::vector<RegistryCube::Node>& RegistryCube::nodes() const { return hierarchy_->nodes; }

std::optional<int32_t> RegistryCube::Find(std::string_view code) const {
  return hierarchy_->Find(code);
}

std::span<const int32_t> RegistryCube::Children(int32_t node) const {
  const auto i = static_cast<size_t>(node);
  const auto& h = *hierarchy_;
  return std::span<const int32_t>(h.children.data() + h.child_begin[i],
                                  static_cast<size_t>(h.child_begin[i + 1] - h.child_begin[i]));
}

size_t RegistryCube::household_count() const {
  size_t n = base_->size();
  if (dead_) n -= static_cast<size_t>(std::count(dead_->begin(), dead_->end(), true));
  return n + patched_households();
}

std::span<const std::pair<int32_t, double>> RegistryCube::Entered(std::string_view indicator,
                                                                  std::string_view period) const {
  auto it = entered_->find(std::pair<std::string, std::string>(indicator, period));
  if (it == entered_->end()) return {};
  return it->second;
}

std::shared_ptr<const RegistryCube::Totals> RegistryCube::Compute(
    const Period& period, const IncomeThresholds& thresholds) const {
  const int income_year = LastCompleteYear(period);
  const std::optional<double> threshold = thresholds.For(income_year);
  // Periods with the same last day give the same totals.
  const std::string key =
      fmt::format("{} {}", period.last.ToString(), threshold ? fmt::format("{}", *threshold) : "-");
  {
    std::lock_guard lock(memo_mutex_);
    auto it = memo_.find(key);
    if (it != memo_.end()) {
      if (it->second->period == period) return it->second;
      auto copy = std::make_shared<Totals>(*it->second);
      copy->period = period;
      return copy;
    }
  }
  auto totals = ComputeUncached(period, thresholds);
  std::lock_guard lock(memo_mutex_);
  if (memo_.size() >= kMemoSize) memo_.clear();
  memo_.emplace(key, totals);
  return totals;
}

namespace {

// Adds the households of `c` (but those marked in `dead`) into the per-node totals.
void Accumulate(const RegistryCube::Columns& c, const std::vector<bool>* dead, int32_t d,
                int income_year, const std::optional<double>& threshold_or_none, size_t measures,
                double* values) {
  const int32_t income_day = Day(Date{income_year, 12, 31});
  const auto income_it = c.income.find(income_year);
  const double* income = income_it == c.income.end() ? nullptr : income_it->second.data();
  const bool has_threshold = threshold_or_none.has_value();
  const double threshold = threshold_or_none.value_or(0);
  const uint8_t* guarantee[kItemCount];
  const int32_t* verified[kItemCount];
  for (size_t k = 0; k < kItemCount; ++k) {
    guarantee[k] = c.guarantee[k].empty() ? nullptr : c.guarantee[k].data();
    verified[k] = c.verified_day[k].empty() ? nullptr : c.verified_day[k].data();
  }
  auto members_on = [&](size_t h, int32_t day) {
    int32_t count = c.plain_members[h];
    for (uint32_t m = c.member_begin[h]; m < c.member_begin[h + 1]; ++m) {
      count += (c.joined[m] <= day && day < c.left[m]) ? 1 : 0;
    }
    return count;
  };
  const size_t households = c.size();
  for (size_t h = 0; h < households; ++h) {
    if (dead != nullptr && (*dead)[h]) continue;
    uint8_t status = kStatusNone;
    bool lifted = false;
    for (uint32_t e = c.event_begin[h]; e < c.event_begin[h + 1] && c.event_day[e] <= d; ++e) {
      status = c.event_status[e];
      lifted = lifted || status == kStatusLifted;
    }
    if (status == kStatusNone || status == kStatusCancelled) continue;
    const int32_t people = members_on(h, d);
    double* a = values + static_cast<size_t>(c.node[h]) * measures;
    a[kMHouseholds] += 1;
    a[kMPeople] += people;
    if (status == kStatusIdentified || status == kStatusReturned) {
      a[kMPoorHouseholds] += 1;
      a[kMPoorPeople] += people;
      if (c.cause[h] != 0) a[kMCause + c.cause[h] - 1] += people;
      if (status == kStatusReturned) a[kMReturnedPeople] += people;
    } else if (lifted && (status == kStatusLifted || status == kStatusMonitored ||
                          status == kStatusRiskEliminated)) {
      a[kMLiftedPeople] += people;
    }
    if (status == kStatusMonitored) a[kMMonitoredPeople] += people;
    if (income != nullptr && !std::isnan(income[h])) {
      const int32_t earners = income_day == d ? people : members_on(h, income_day);
      if (earners > 0) {
        a[kMIncomeHouseholds] += 1;
        a[kMIncomePeople] += earners;
        a[kMNetIncomeTotal] += income[h];
        if (has_threshold && income[h] < threshold * earners) a[kMBelowThreshold] += 1;
      }
    }
    for (size_t k = 0; k < kItemCount; ++k) {
      if (guarantee[k] == nullptr || guarantee[k][h] == 0 || verified[k][h] > d) continue;
      a[kMAssessed + k] += 1;
      if (guarantee[k][h] == 2) a[kMSecured + k] += 1;
    }
  }
}

}  // namespace

std::shared_ptr<const RegistryCube::Totals> RegistryCube::ComputeUncached(
    const Period& period, const IncomeThresholds& thresholds) const {
  auto t = std::make_shared<Totals>();
  t->period = period;
  t->income_year = LastCompleteYear(period);
  t->income_threshold = thresholds.For(t->income_year);
  const size_t measures = Codes().size();
  const auto& nodes = hierarchy_->nodes;
  t->measure_count = measures;
  t->values.assign(nodes.size() * measures, 0.0);
  t->available.assign(measures, true);
  t->available[kMBelowThreshold] = t->income_threshold.has_value();

  const int32_t d = Day(period.last);
  double* values = t->values.data();
  Accumulate(*base_, dead_.get(), d, t->income_year, t->income_threshold, measures, values);
  if (delta_)
    Accumulate(*delta_, nullptr, d, t->income_year, t->income_threshold, measures, values);

  // Roll up: children have larger codes than their parents, so a reverse pass adds every
  // finished subtree into its parent.
  for (size_t i = nodes.size(); i-- > 0;) {
    const int32_t parent = nodes[i].parent;
    if (parent < 0) continue;
    const double* from = values + i * measures;
    double* to = values + static_cast<size_t>(parent) * measures;
    for (size_t m = 0; m < measures; ++m) to[m] += from[m];
  }
  return t;
}

}  // namespace fupin::indicators
