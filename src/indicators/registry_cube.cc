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
    for (const registry::Term& t : registry::Causes().terms) c.push_back(CauseCode(t.code));
    return c;
  }();
  return codes;
}

int32_t Day(const Date& d) { return static_cast<int32_t>(d.DaysSinceEpoch()); }

}  // namespace

struct RegistryCube::Builder::State {
  std::unique_ptr<RegistryCube> cube{new RegistryCube()};
  bool nodes_ready = false;

  // Households in arrival order ("slots").
  std::vector<int64_t> id;
  std::vector<int32_t> node;
  std::vector<uint8_t> cause;
  std::vector<uint16_t> plain;
  bool slots_ready = false;
  std::vector<int32_t> dense_slot;  // id → slot when ids are dense enough
  std::unordered_map<int64_t, int32_t> sparse_slot;

  std::vector<int32_t> member_slot, member_joined, member_left;
  std::vector<int32_t> event_slot, event_day;
  std::vector<int64_t> event_id;
  std::vector<uint8_t> event_status;
  std::map<int, std::vector<double>> income;
  std::vector<uint8_t> guarantee[kItemCount];
  std::vector<int32_t> verified[kItemCount];
  std::vector<std::tuple<std::string, std::string, std::string, double>> entered;

  // Sorts the regions by code and links each to its parent (once, before the first
  // household needs a node).
  void ReadyNodes() {
    if (nodes_ready) return;
    nodes_ready = true;
    auto& nodes = cube->nodes_;
    std::sort(nodes.begin(), nodes.end(),
              [](const Node& a, const Node& b) { return a.code < b.code; });
    nodes.erase(std::unique(nodes.begin(), nodes.end(),
                            [](const Node& a, const Node& b) { return a.code == b.code; }),
                nodes.end());
    auto& index = cube->node_index_;
    index.reserve(nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i) index.emplace(nodes[i].code, static_cast<int32_t>(i));
    std::vector<int32_t> child_count(nodes.size(), 0);
    for (Node& n : nodes) {
      std::vector<std::string> ancestors = regions::AncestorCodes(n.code, n.level);
      for (auto it = ancestors.rbegin(); it != ancestors.rend(); ++it) {
        auto found = index.find(*it);
        if (found != index.end()) {
          n.parent = found->second;
          ++child_count[static_cast<size_t>(n.parent)];
          break;
        }
      }
    }
    auto& begin = cube->child_begin_;
    begin.assign(nodes.size() + 1, 0);
    for (size_t i = 0; i < nodes.size(); ++i) begin[i + 1] = begin[i] + child_count[i];
    cube->children_.assign(static_cast<size_t>(begin.back()), 0);
    std::vector<int32_t> fill(begin.begin(), begin.end() - 1);
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (nodes[i].parent >= 0) {
        cube->children_[static_cast<size_t>(fill[static_cast<size_t>(nodes[i].parent)]++)] =
            static_cast<int32_t>(i);
      }
    }
  }

  void ReadySlots() {
    if (slots_ready) return;
    slots_ready = true;
    int64_t max_id = 0;
    for (int64_t v : id) max_id = std::max(max_id, v);
    if (max_id <= 4 * static_cast<int64_t>(id.size()) + (1 << 20)) {
      dense_slot.assign(static_cast<size_t>(max_id) + 1, -1);
      for (size_t s = 0; s < id.size(); ++s) {
        if (id[s] >= 0) dense_slot[static_cast<size_t>(id[s])] = static_cast<int32_t>(s);
      }
    } else {
      sparse_slot.reserve(id.size());
      for (size_t s = 0; s < id.size(); ++s) sparse_slot.emplace(id[s], static_cast<int32_t>(s));
    }
  }

  int32_t Slot(int64_t household_id) {
    ReadySlots();
    if (sparse_slot.empty()) {
      if (household_id < 0 || static_cast<size_t>(household_id) >= dense_slot.size()) return -1;
      return dense_slot[static_cast<size_t>(household_id)];
    }
    auto it = sparse_slot.find(household_id);
    return it == sparse_slot.end() ? -1 : it->second;
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
  s_->cube->nodes_.push_back(std::move(n));
}

void RegistryCube::Builder::Household(int64_t id, std::string_view region_code,
                                      std::string_view main_cause) {
  s_->ReadyNodes();
  auto found = s_->cube->node_index_.find(std::string(region_code));
  if (found == s_->cube->node_index_.end()) return;  // the foreign key makes this impossible
  uint8_t cause = 0;
  const auto& causes = registry::Causes().terms;
  for (size_t i = 0; i < causes.size(); ++i) {
    if (causes[i].code == main_cause) cause = static_cast<uint8_t>(i + 1);
  }
  const auto slot = static_cast<int32_t>(s_->id.size());
  s_->id.push_back(id);
  s_->node.push_back(found->second);
  s_->cause.push_back(cause);
  s_->plain.push_back(0);
  if (!s_->slots_ready) return;
  // A household after facts of others (not the order ScanFacts promises, but harmless).
  if (s_->sparse_slot.empty() && id >= 0) {
    if (static_cast<size_t>(id) >= s_->dense_slot.size()) {
      s_->dense_slot.resize(static_cast<size_t>(id) + 1, -1);
    }
    s_->dense_slot[static_cast<size_t>(id)] = slot;
  } else {
    s_->sparse_slot.emplace(id, slot);
  }
  for (auto& [year, column] : s_->income)
    column.push_back(std::numeric_limits<double>::quiet_NaN());
  for (size_t k = 0; k < kItemCount; ++k) {
    if (s_->guarantee[k].empty()) continue;
    s_->guarantee[k].push_back(0);
    s_->verified[k].push_back(INT32_MIN);
  }
}

void RegistryCube::Builder::Member(int64_t household_id, const std::optional<Date>& joined_on,
                                   const std::optional<Date>& left_on) {
  const int32_t slot = s_->Slot(household_id);
  if (slot < 0) return;
  if (!joined_on && !left_on) {
    uint16_t& plain = s_->plain[static_cast<size_t>(slot)];
    if (plain < std::numeric_limits<uint16_t>::max()) ++plain;
    return;
  }
  s_->member_slot.push_back(slot);
  s_->member_joined.push_back(joined_on ? Day(*joined_on) : INT32_MIN);
  s_->member_left.push_back(left_on ? Day(*left_on) : INT32_MAX);
}

void RegistryCube::Builder::StatusEvent(int64_t household_id, int64_t id, std::string_view status,
                                        const Date& on) {
  const int32_t slot = s_->Slot(household_id);
  if (slot < 0) return;
  s_->event_slot.push_back(slot);
  s_->event_id.push_back(id);
  s_->event_day.push_back(Day(on));
  s_->event_status.push_back(StatusCode(status));
}

void RegistryCube::Builder::Income(int64_t household_id, int year, double net) {
  const int32_t slot = s_->Slot(household_id);
  if (slot < 0) return;
  auto& column = s_->income[year];
  if (column.empty()) column.assign(s_->id.size(), std::numeric_limits<double>::quiet_NaN());
  column[static_cast<size_t>(slot)] = net;
}

void RegistryCube::Builder::Guarantee(int64_t household_id, std::string_view item, bool met,
                                      const std::optional<Date>& verified_on) {
  size_t k = kItemCount;
  for (size_t i = 0; i < kItemCount; ++i) {
    if (kCoverageItems[i] == item) k = i;
  }
  if (k == kItemCount) return;  // food and clothing have no coverage indicator
  const int32_t slot = s_->Slot(household_id);
  if (slot < 0) return;
  if (s_->guarantee[k].empty()) {
    s_->guarantee[k].assign(s_->id.size(), 0);
    s_->verified[k].assign(s_->id.size(), INT32_MIN);
  }
  s_->guarantee[k][static_cast<size_t>(slot)] = met ? 2 : 1;
  s_->verified[k][static_cast<size_t>(slot)] = verified_on ? Day(*verified_on) : INT32_MIN;
}

void RegistryCube::Builder::Entered(std::string_view indicator, std::string_view region_code,
                                    std::string_view period, double value) {
  s_->entered.emplace_back(std::string(indicator), std::string(region_code), std::string(period),
                           value);
}

std::shared_ptr<const RegistryCube> RegistryCube::Builder::Finish(const ChangeStamp& stamp) {
  State& s = *s_;
  s.ReadyNodes();
  RegistryCube& c = *s.cube;
  c.stamp_ = stamp;
  const size_t n = s.id.size();

  // Households sorted by node, then id: `order[new] = old`, `rank[old] = new`.
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return s.node[a] != s.node[b] ? s.node[a] < s.node[b] : s.id[a] < s.id[b];
  });
  std::vector<uint32_t> rank(n);
  for (size_t i = 0; i < n; ++i) rank[order[i]] = static_cast<uint32_t>(i);
  auto permute = [&](const auto& column) {
    std::remove_cvref_t<decltype(column)> out(column.size());
    for (size_t i = 0; i < column.size(); ++i) out[i] = column[order[i]];
    return out;
  };
  c.node_ = permute(s.node);
  c.cause_ = permute(s.cause);
  c.plain_members_ = permute(s.plain);

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
    const auto position = group(s.member_slot, c.member_begin_);
    c.joined_.resize(position.size());
    c.left_.resize(position.size());
    for (size_t r = 0; r < position.size(); ++r) {
      c.joined_[position[r]] = s.member_joined[r];
      c.left_[position[r]] = s.member_left[r];
    }
  }
  {
    const auto position = group(s.event_slot, c.event_begin_);
    std::vector<std::tuple<int32_t, int64_t, uint8_t>> events(position.size());
    for (size_t r = 0; r < position.size(); ++r) {
      events[position[r]] = {s.event_day[r], s.event_id[r], s.event_status[r]};
    }
    for (size_t h = 0; h < n; ++h) {
      std::sort(events.begin() + c.event_begin_[h], events.begin() + c.event_begin_[h + 1]);
    }
    c.event_day_.resize(events.size());
    c.event_status_.resize(events.size());
    for (size_t e = 0; e < events.size(); ++e) {
      c.event_day_[e] = std::get<0>(events[e]);
      c.event_status_[e] = std::get<2>(events[e]);
    }
  }
  for (auto& [year, column] : s.income) c.income_[year] = permute(column);
  for (size_t k = 0; k < kItemCount; ++k) {
    if (s.guarantee[k].empty()) continue;
    c.guarantee_[k] = permute(s.guarantee[k]);
    c.verified_day_[k] = permute(s.verified[k]);
  }

  for (auto& [indicator, region, period, value] : s.entered) {
    auto found = c.node_index_.find(region);
    if (found == c.node_index_.end()) continue;
    c.entered_[{indicator, period}].emplace_back(found->second, value);
  }
  for (auto& [key, values] : c.entered_) std::sort(values.begin(), values.end());

  std::shared_ptr<const RegistryCube> cube(s.cube.release());
  s_.reset();
  return cube;
}

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

std::optional<int32_t> RegistryCube::Find(std::string_view code) const {
  auto it = node_index_.find(std::string(code));
  if (it == node_index_.end()) return std::nullopt;
  return it->second;
}

std::span<const int32_t> RegistryCube::Children(int32_t node) const {
  const auto i = static_cast<size_t>(node);
  return std::span<const int32_t>(children_.data() + child_begin_[i],
                                  static_cast<size_t>(child_begin_[i + 1] - child_begin_[i]));
}

std::span<const std::pair<int32_t, double>> RegistryCube::Entered(std::string_view indicator,
                                                                  std::string_view period) const {
  auto it = entered_.find(std::pair<std::string, std::string>(indicator, period));
  if (it == entered_.end()) return {};
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

std::shared_ptr<const RegistryCube::Totals> RegistryCube::ComputeUncached(
    const Period& period, const IncomeThresholds& thresholds) const {
  auto t = std::make_shared<Totals>();
  t->period = period;
  t->income_year = LastCompleteYear(period);
  t->income_threshold = thresholds.For(t->income_year);
  const size_t measures = Codes().size();
  t->measure_count = measures;
  t->values.assign(nodes_.size() * measures, 0.0);
  t->available.assign(measures, true);
  t->available[kMBelowThreshold] = t->income_threshold.has_value();

  const int32_t d = Day(period.last);
  const int32_t income_day = Day(Date{t->income_year, 12, 31});
  const auto income_it = income_.find(t->income_year);
  const double* income = income_it == income_.end() ? nullptr : income_it->second.data();
  const double threshold = t->income_threshold.value_or(0);
  const bool has_threshold = t->income_threshold.has_value();
  const uint8_t* guarantee[kItemCount];
  const int32_t* verified[kItemCount];
  for (size_t k = 0; k < kItemCount; ++k) {
    guarantee[k] = guarantee_[k].empty() ? nullptr : guarantee_[k].data();
    verified[k] = verified_day_[k].empty() ? nullptr : verified_day_[k].data();
  }
  auto members_on = [&](size_t h, int32_t day) {
    int32_t count = plain_members_[h];
    for (uint32_t m = member_begin_[h]; m < member_begin_[h + 1]; ++m) {
      count += (joined_[m] <= day && day < left_[m]) ? 1 : 0;
    }
    return count;
  };

  double* values = t->values.data();
  const size_t households = node_.size();
  for (size_t h = 0; h < households; ++h) {
    uint8_t status = kStatusNone;
    bool lifted = false;
    for (uint32_t e = event_begin_[h]; e < event_begin_[h + 1] && event_day_[e] <= d; ++e) {
      status = event_status_[e];
      lifted = lifted || status == kStatusLifted;
    }
    if (status == kStatusNone || status == kStatusCancelled) continue;
    const int32_t people = members_on(h, d);
    double* a = values + static_cast<size_t>(node_[h]) * measures;
    a[kMHouseholds] += 1;
    a[kMPeople] += people;
    if (status == kStatusIdentified || status == kStatusReturned) {
      a[kMPoorHouseholds] += 1;
      a[kMPoorPeople] += people;
      if (cause_[h] != 0) a[kMCause + cause_[h] - 1] += people;
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

  // Roll up: children have larger codes than their parents, so a reverse pass adds every
  // finished subtree into its parent.
  for (size_t i = nodes_.size(); i-- > 0;) {
    const int32_t parent = nodes_[i].parent;
    if (parent < 0) continue;
    const double* from = values + i * measures;
    double* to = values + static_cast<size_t>(parent) * measures;
    for (size_t m = 0; m < measures; ++m) to[m] += from[m];
  }
  return t;
}

}  // namespace fupin::indicators
