#include "registry/editing.h"

#include <fmt/format.h>

#include <algorithm>

#include "access/masking.h"
#include "base/text.h"
#include "registry/vocabulary.h"

namespace fupin::registry {
namespace {

// A member named by ID number or name, as an error may show it: masked when it looks like an
// ID number.
std::string Shown(std::string_view who) {
  who = Trim(who);
  const bool digits = who.size() >= 15 && std::all_of(who.begin(), who.end(), [](char c) {
                        return (c >= '0' && c <= '9') || c == 'x' || c == 'X';
                      });
  return digits ? access::MaskIdNumber(who) : std::string(who);
}

template <class T>
void Apply(T& field, const Set<T>& value) {
  if (value) field = *value;
}

Member* CurrentMember(HouseholdRecord& r, int64_t id) {
  for (Member& m : r.members) {
    if (m.id == id && !m.left_on) return &m;
  }
  return nullptr;
}

size_t CurrentCount(const HouseholdRecord& r) {
  return static_cast<size_t>(std::count_if(r.members.begin(), r.members.end(),
                                           [](const Member& m) { return !m.left_on; }));
}

class Planner {
 public:
  Planner(const HouseholdRecord& here, const HouseholdRecord* other,
          const MemberEventRequest& request, const Date& today)
      : here_(here), request_(request), today_(today), member_id_(request.member_id) {
    if (other) other_ = *other;
  }

  Result<HouseholdEdit> Plan() {
    const MemberEventRequest& q = request_;
    if (!MemberEventKinds().Contains(q.kind)) {
      Problem("kind", q.kind, "is not a membership event (birth, death, marriage_in, ...)");
      return Done();
    }
    if (q.on > today_) Problem("on", q.on.ToString(), "is in the future");
    if (!q.member.empty()) {
      const std::string& kind = q.kind;
      if (kind != "death" && kind != "marriage_out" && kind != "move_out" &&
          kind != "id_correction") {
        Problem("member", Shown(q.member),
                "names the member concerned of a death, marriage out, move out or ID "
                "correction; this event does not use it");
        return Done();
      }
      if (q.member_id != 0) {
        Problem("member", Shown(q.member), "name the member by member or by member_id, not both");
        return Done();
      }
      auto id = CurrentMemberId(here_, q.member, "member");
      if (!id) {
        for (ErrorDetail& d : id.error().details) problems_.push_back(std::move(d));
        return Done();
      }
      member_id_ = *id;
    }
    const std::string& k = q.kind;
    if (k == "birth" || ((k == "marriage_in" || k == "move_in") && q.id_number.empty())) {
      Arrive();
    } else if (k == "marriage_in" || k == "move_in") {
      TransferIn();
    } else if (k == "death" || k == "marriage_out" || k == "move_out") {
      Depart();
    } else if (k == "split") {
      Split();
    } else if (k == "merge") {
      Merge();
    } else if (k == "id_correction") {
      CorrectId();
    }
    return Done();
  }

 private:
  Result<HouseholdEdit> Done() {
    if (!problems_.empty()) {
      std::string message = fmt::format("the {} event cannot be recorded: {} problem{}",
                                        request_.kind.empty() ? "membership" : request_.kind,
                                        problems_.size(), problems_.size() == 1 ? "" : "s");
      return InvalidArgument(std::move(message), std::move(problems_));
    }
    HouseholdEdit edit;
    edit.action = "member_event";
    edit.note =
        request_.note.empty()
            ? fmt::format("{} on {}", MemberEventKinds().Zh(request_.kind), request_.on.ToString())
            : request_.note;
    CancelIfEmpty(here_);
    if (other_ && other_touched_) CancelIfEmpty(*other_);
    edit.replaced.push_back(std::move(here_));
    if (other_ && other_touched_) edit.replaced.push_back(std::move(*other_));
    if (created_) edit.created = std::move(*created_);
    edit.events = std::move(events_);
    return edit;
  }

  void Problem(std::string field, std::string value, std::string reason) {
    problems_.push_back({0, std::move(field), std::move(value), std::move(reason)});
  }

  // A household left without current members is cancelled (销户), with the reason.
  void CancelIfEmpty(HouseholdRecord& r) {
    if (CurrentCount(r) > 0 || r.members.empty()) return;
    if (!r.events.empty() && r.events.back().status == "cancelled") return;
    StatusEvent cancel;
    cancel.status = "cancelled";
    cancel.on = request_.on;
    cancel.reason = request_.kind == "merge" && &r != &here_
                        ? fmt::format("merged into household {}", here_.household.number)
                        : fmt::format("no members remain after {} on {}", request_.kind,
                                      request_.on.ToString());
    r.events.push_back(std::move(cancel));
  }

  void Record(int64_t household, const std::string& kind, const Member& m,
              const HouseholdRecord* counterpart, int64_t counterpart_id) {
    HouseholdEdit::Event e;
    e.household = household;
    e.event.kind = kind;
    e.event.on = request_.on;
    e.event.name = m.name;
    e.event.id_number = m.id_number;
    e.event.other_household_id = counterpart_id;
    if (counterpart) e.event.other_household_number = counterpart->household.number;
    e.event.note = request_.note;
    events_.push_back(std::move(e));
  }

  // The member `id` of `r` leaves on the request's day for `reason`; when they were the head
  // and others stay, the request's new head takes over. Returns the member as they were.
  std::optional<Member> Leave(HouseholdRecord& r, int64_t id, const std::string& reason,
                              const std::string& field, bool head_may_stay_unset = false) {
    Member* m = CurrentMember(r, id);
    if (!m) {
      Problem(field, std::to_string(id),
              fmt::format("is not a current member of household {}", r.household.number));
      return std::nullopt;
    }
    if (m->joined_on && request_.on < *m->joined_on) {
      Problem(
          "on", request_.on.ToString(),
          fmt::format("is before {} joined the household ({})", m->name, m->joined_on->ToString()));
      return std::nullopt;
    }
    const Member before = *m;
    m->left_on = request_.on;
    m->left_reason = reason;
    if (before.relation == "head" && CurrentCount(r) > 0 && !head_may_stay_unset) {
      NewHead(r);
    }
    return before;
  }

  void NewHead(HouseholdRecord& r) {
    if (request_.new_head_member_id == 0) {
      Problem("new_head_member_id", "",
              fmt::format("the head of household {} leaves: name the member who becomes head",
                          r.household.number));
      return;
    }
    Member* head = CurrentMember(r, request_.new_head_member_id);
    if (!head) {
      Problem("new_head_member_id", std::to_string(request_.new_head_member_id),
              fmt::format("is not a member who stays in household {}", r.household.number));
      return;
    }
    head->relation = "head";
  }

  Member Joining(const Member& m, const std::string& relation) const {
    Member j = m;
    j.id = 0;
    j.household_id = 0;
    j.version = 1;
    j.relation = relation;
    j.joined_on = request_.on;
    j.left_on.reset();
    j.left_reason.clear();
    return j;
  }

  std::string RelationFor(int64_t member_id, const std::string& fallback) {
    auto it = request_.relations.find(member_id);
    const std::string& given = it != request_.relations.end() ? it->second : request_.relation;
    if (given.empty()) return fallback;
    auto code = Relations().Parse(given);
    if (!code) {
      Problem(it != request_.relations.end() ? fmt::format("relations[{}]", member_id) : "relation",
              given, "is not a relation to the head (户主, 配偶, 子女, ...)");
      return fallback;
    }
    if (*code == "head") {
      Problem(it != request_.relations.end() ? fmt::format("relations[{}]", member_id) : "relation",
              given, "the receiving household has its head already");
      return fallback;
    }
    return std::string(*code);
  }

  // birth, marriage_in, move_in of a person new to the registry.
  void Arrive() {
    if (!request_.person) {
      Problem("person", "", "give the person who joins (name, ID number, relation, ...)");
      return;
    }
    Member m = *request_.person;
    if (m.relation.empty()) m.relation = request_.kind == "birth" ? "child" : "other";
    if (m.relation == "head" && CurrentCount(here_) > 0) {
      Problem("person.relation", m.relation, "the household has its head already");
    }
    if (request_.kind == "birth") {
      if (!m.birth_date) m.birth_date = request_.on;
      if (*m.birth_date != request_.on) {
        Problem("person.birth_date", m.birth_date->ToString(),
                fmt::format("a birth recorded on {} is of a person born that day",
                            request_.on.ToString()));
      }
    }
    m = Joining(m, m.relation);
    here_.members.push_back(m);
    Record(here_.household.id, request_.kind, m, nullptr, 0);
  }

  // marriage_in, move_in of a current member of another registered household.
  void TransferIn() {
    if (!other_) {
      Problem("id_number", Shown(request_.id_number),
              "is not a current member of another registered household: give the person instead");
      return;
    }
    const std::string reason = request_.kind == "marriage_in" ? "marriage_out" : "move_out";
    int64_t id = 0;
    for (const Member& m : other_->members) {
      if (m.id_number == request_.id_number && !m.left_on) id = m.id;
    }
    auto left = Leave(*other_, id, reason, "id_number");
    if (!left) return;
    other_touched_ = true;
    Member joined = Joining(*left, RelationFor(left->id, "other"));
    here_.members.push_back(joined);
    Record(here_.household.id, request_.kind, joined, &*other_, other_->household.id);
    Record(other_->household.id, reason, *left, &here_, here_.household.id);
  }

  // death, marriage_out, move_out — optionally into another registered household.
  void Depart() {
    if (member_id_ == 0) {
      Problem("member_id", "",
              "name the member concerned (member_id, or member: ID number or name)");
      return;
    }
    if (request_.kind == "death" && request_.other_household_id != 0) {
      Problem("other_household_id", std::to_string(request_.other_household_id),
              "a death does not move anyone to another household");
      return;
    }
    auto left = Leave(here_, member_id_, request_.kind, "member_id");
    if (!left) return;
    if (request_.other_household_id == 0) {
      Record(here_.household.id, request_.kind, *left, nullptr, 0);
      return;
    }
    if (!other_) {
      Problem("other_household_id", std::to_string(request_.other_household_id),
              "is not a household you may change");
      return;
    }
    if (other_->household.id == here_.household.id) {
      Problem("other_household_id", std::to_string(request_.other_household_id),
              "is this household");
      return;
    }
    other_touched_ = true;
    Member joined = Joining(*left, RelationFor(left->id, "other"));
    other_->members.push_back(joined);
    const std::string arrival = request_.kind == "marriage_out" ? "marriage_in" : "move_in";
    Record(here_.household.id, request_.kind, *left, &*other_, other_->household.id);
    Record(other_->household.id, arrival, joined, &here_, here_.household.id);
  }

  void Split() {
    const MemberEventRequest& q = request_;
    if (q.member_ids.empty()) {
      Problem("member_ids", "", "name the members who form the new household");
      return;
    }
    if (q.new_household_number.empty()) {
      Problem("new_household_number", "", "the new household needs its number");
    }
    if (q.member_ids.size() >= CurrentCount(here_)) {
      Problem("member_ids", "", "at least one member must stay in the household");
      return;
    }
    int64_t new_head = q.split_head_member_id;
    if (new_head == 0 && q.member_ids.size() == 1) new_head = q.member_ids.front();
    if (std::find(q.member_ids.begin(), q.member_ids.end(), new_head) == q.member_ids.end()) {
      Problem("split_head_member_id", std::to_string(new_head),
              "the new household's head must be one of the members who leave");
    }
    HouseholdRecord created;
    created.household = here_.household;
    created.household.id = 0;
    created.household.version = 1;
    created.household.number = q.new_household_number;
    created.household.phone.clear();
    created.household.bank_account.clear();
    created.household.housing_safe.reset();
    created.household.housing_area.reset();
    created.household.reported_size.reset();
    // The split-off part keeps the history it shared up to the split.
    for (const StatusEvent& e : here_.events) {
      if (e.on <= q.on) created.events.push_back(StatusEvent{0, e.status, e.on, e.year, e.reason});
    }
    bool head_leaves = false;
    for (int64_t id : q.member_ids) {
      const Member* m = CurrentMember(here_, id);
      if (m && m->relation == "head") head_leaves = true;
    }
    std::vector<Member> leaving;
    for (int64_t id : q.member_ids) {
      auto left = Leave(here_, id, "split", fmt::format("member_ids[{}]", id),
                        /*head_may_stay_unset=*/true);
      if (left) leaving.push_back(*left);
    }
    if (head_leaves) NewHead(here_);
    for (const Member& m : leaving) {
      Member joined = Joining(m, m.id == new_head ? "head" : RelationFor(m.id, "other"));
      created.members.push_back(joined);
      Record(here_.household.id, "split", m, nullptr, kCreatedHousehold);
      Record(kCreatedHousehold, "split", joined, &here_, here_.household.id);
      events_[events_.size() - 2].event.other_household_number = q.new_household_number;
    }
    created_ = std::move(created);
  }

  void Merge() {
    if (!other_) {
      Problem("other_household_id", std::to_string(request_.other_household_id),
              "name the household that merges into this one");
      return;
    }
    if (other_->household.id == here_.household.id) {
      Problem("other_household_id", std::to_string(request_.other_household_id),
              "is this household");
      return;
    }
    if (other_->household.region_code != here_.household.region_code) {
      Problem("other_household_id", other_->household.number,
              "households merge within one village; move the members instead");
      return;
    }
    std::vector<int64_t> ids;
    for (const Member& m : other_->members) {
      if (!m.left_on) ids.push_back(m.id);
    }
    if (ids.empty()) {
      Problem("other_household_id", other_->household.number, "has no current members");
      return;
    }
    other_touched_ = true;
    for (int64_t id : ids) {
      auto left = Leave(*other_, id, "merge", "other_household_id", /*head_may_stay_unset=*/true);
      if (!left) continue;
      Member joined = Joining(*left, RelationFor(id, "other"));
      here_.members.push_back(joined);
      Record(here_.household.id, "merge", joined, &*other_, other_->household.id);
      Record(other_->household.id, "merge", *left, &here_, here_.household.id);
    }
  }

  void CorrectId() {
    Member* m = CurrentMember(here_, member_id_);
    if (!m) {
      Problem("member_id", std::to_string(member_id_),
              fmt::format("is not a current member of household {}", here_.household.number));
      return;
    }
    if (request_.new_id_number.empty()) {
      Problem("new_id_number", "", "give the corrected ID number");
      return;
    }
    const std::string old = m->id_number;
    m->id_number = request_.new_id_number;
    // Birth date and sex follow the corrected number (ValidateRecord derives them again).
    m->birth_date.reset();
    m->sex.clear();
    Record(here_.household.id, "id_correction", *m, nullptr, 0);
    events_.back().event.old_id_number = old;
  }

  HouseholdRecord here_;
  std::optional<HouseholdRecord> other_;
  bool other_touched_ = false;
  std::optional<HouseholdRecord> created_;
  const MemberEventRequest& request_;
  const Date today_;
  int64_t member_id_;  // the member concerned: request_.member_id, or found by request_.member
  std::vector<HouseholdEdit::Event> events_;
  std::vector<ErrorDetail> problems_;
};

}  // namespace

bool HouseholdPatch::Empty() const {
  return !region_code && !attribute && !main_cause && !secondary_cause && !phone && !bank_account &&
         !housing_safe && !water_safe && !housing_area && !market_distance_km && !year_identified &&
         members.empty() && incomes.empty() && incomes_removed.empty() && guarantees.empty() &&
         measures.empty() && measures_removed.empty() && helpers_added.empty() &&
         helpers_ended.empty() && !status_event;
}

std::vector<ErrorDetail> ApplyPatch(HouseholdRecord& record, const HouseholdPatch& patch) {
  std::vector<ErrorDetail> problems;
  auto problem = [&](std::string field, std::string value, std::string reason) {
    problems.push_back({0, std::move(field), std::move(value), std::move(reason)});
  };
  Household& h = record.household;
  Apply(h.region_code, patch.region_code);
  Apply(h.attribute, patch.attribute);
  Apply(h.main_cause, patch.main_cause);
  Apply(h.secondary_cause, patch.secondary_cause);
  Apply(h.phone, patch.phone);
  Apply(h.bank_account, patch.bank_account);
  Apply(h.housing_safe, patch.housing_safe);
  Apply(h.water_safe, patch.water_safe);
  Apply(h.housing_area, patch.housing_area);
  Apply(h.market_distance_km, patch.market_distance_km);
  Apply(h.year_identified, patch.year_identified);

  for (const MemberPatch& mp : patch.members) {
    auto it = std::find_if(record.members.begin(), record.members.end(),
                           [&](const Member& m) { return m.id == mp.member_id; });
    const std::string at = fmt::format("members[id={}]", mp.member_id);
    if (it == record.members.end()) {
      problem(at, std::to_string(mp.member_id), "is not a member of this household");
      continue;
    }
    Member& m = *it;
    Apply(m.name, mp.name);
    Apply(m.relation, mp.relation);
    Apply(m.sex, mp.sex);
    Apply(m.ethnicity, mp.ethnicity);
    Apply(m.education, mp.education);
    Apply(m.health, mp.health);
    Apply(m.labour, mp.labour);
    Apply(m.birth_date, mp.birth_date);
    Apply(m.in_school, mp.in_school);
    Apply(m.dibao, mp.dibao);
    Apply(m.medical_insurance, mp.medical_insurance);
    Apply(m.pension, mp.pension);
    Apply(m.migrant_months, mp.migrant_months);
  }

  for (int year : patch.incomes_removed) {
    auto it = std::find_if(record.incomes.begin(), record.incomes.end(),
                           [&](const Income& i) { return i.year == year; });
    if (it == record.incomes.end()) {
      problem(fmt::format("incomes[{}]", year), std::to_string(year), "has no income recorded");
      continue;
    }
    record.incomes.erase(it);
  }
  for (const Income& income : patch.incomes) {
    auto it = std::find_if(record.incomes.begin(), record.incomes.end(),
                           [&](const Income& i) { return i.year == income.year; });
    if (it != record.incomes.end()) {
      *it = income;
    } else {
      record.incomes.push_back(income);
    }
  }
  std::sort(record.incomes.begin(), record.incomes.end(),
            [](const Income& a, const Income& b) { return a.year < b.year; });

  for (const Guarantee& g : patch.guarantees) {
    auto it = std::find_if(record.guarantees.begin(), record.guarantees.end(),
                           [&](const Guarantee& x) { return x.item == g.item; });
    if (it != record.guarantees.end()) {
      *it = g;
    } else {
      record.guarantees.push_back(g);
    }
  }

  for (int64_t id : patch.measures_removed) {
    auto it = std::find_if(record.measures.begin(), record.measures.end(),
                           [&](const AssistanceMeasure& m) { return m.id == id; });
    if (it == record.measures.end()) {
      problem(fmt::format("measures_removed[id={}]", id), std::to_string(id),
              "is not a measure of this household");
      continue;
    }
    record.measures.erase(it);
  }
  for (const AssistanceMeasure& measure : patch.measures) {
    if (measure.id == 0) {
      record.measures.push_back(measure);
      continue;
    }
    auto it = std::find_if(record.measures.begin(), record.measures.end(),
                           [&](const AssistanceMeasure& m) { return m.id == measure.id; });
    if (it == record.measures.end()) {
      problem(fmt::format("measures[id={}]", measure.id), std::to_string(measure.id),
              "is not a measure of this household");
      continue;
    }
    *it = measure;
  }

  for (const HelperEnd& end : patch.helpers_ended) {
    auto it = std::find_if(
        record.helpers.begin(), record.helpers.end(),
        [&](const HelperAssignment& a) { return a.helper_id == end.helper_id && !a.until; });
    if (it == record.helpers.end()) {
      problem(fmt::format("helpers_ended[id={}]", end.helper_id), std::to_string(end.helper_id),
              "is not a helper currently paired with this household");
      continue;
    }
    it->until = end.until;
  }
  for (const HelperAssignment& a : patch.helpers_added) record.helpers.push_back(a);

  if (patch.status_event) record.events.push_back(*patch.status_event);
  return problems;
}

bool NeedsOtherHousehold(const MemberEventRequest& request) {
  const std::string& k = request.kind;
  if (k == "merge") return true;
  if ((k == "marriage_out" || k == "move_out") && request.other_household_id != 0) return true;
  if ((k == "marriage_in" || k == "move_in") && !request.id_number.empty()) return true;
  return false;
}

Result<int64_t> CurrentMemberId(const HouseholdRecord& record, std::string_view who,
                                std::string_view field) {
  who = Trim(who);
  std::string id_number(who);
  if (id_number.size() == 18 && id_number[17] == 'x') id_number[17] = 'X';
  std::vector<int64_t> by_id, by_name;
  for (const auto& m : record.members) {
    if (m.left_on) continue;
    if (!m.id_number.empty() && m.id_number == id_number) by_id.push_back(m.id);
    if (m.name == who) by_name.push_back(m.id);
  }
  if (by_id.size() == 1) return by_id.front();
  if (by_name.size() == 1) return by_name.front();
  const std::string& household = record.household.number;
  const std::string shown = Shown(who);
  if (by_name.size() > 1) {
    return InvalidArgument(
        fmt::format("household {} has {} current members named {}", household, by_name.size(),
                    shown),
        {{0, std::string(field), shown,
          "several current members have this name: give the ID number or the member's id"}});
  }
  return InvalidArgument(fmt::format("household {} has no current member {}", household, shown),
                         {{0, std::string(field), shown,
                           "no current member of the household has this ID number or name"}});
}

Result<HouseholdEdit> PlanMemberEvent(const HouseholdRecord& here, const HouseholdRecord* other,
                                      const MemberEventRequest& request, const Date& today) {
  return Planner(here, other, request, today).Plan();
}

}  // namespace fupin::registry
