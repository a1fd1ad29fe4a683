// Edits of stored households, planned as pure functions over loaded records:
//   - a patch of a household's fields, its members' fields, incomes, 三保障 items, measures,
//     helper pairings and status history (PATCH /api/v1/households/{id});
//   - a membership event — birth, death, marriage in/out, move in/out, household split (分户)
//     and merge (合户), ID-number correction (身份证号更正) — which changes the member rows of one
//     or two households (and creates one on a split) and is recorded as MemberEvents on each.
// The result is a HouseholdEdit that RegistryRepository::ApplyEdit writes in one transaction,
// each changed household checked against the version it was loaded at. The caller
// (RegistryService) loads the records within the writer's scope and validates the results with
// ValidateRecord before writing.
// Thread-safety: pure functions over value types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "registry/model.h"

namespace fupin::registry {

// Stands for "the household this edit creates" in MemberEvent household references.
inline constexpr int64_t kCreatedHousehold = -1;

// What RegistryRepository::ApplyEdit writes.
struct HouseholdEdit {
  std::string action;  // the audit action: "update" or "member_event"
  std::string note;    // why, for the audit log (the user's note or a summary)
  // Whole records to store in place of the stored ones: household.id names the household and
  // household.version the version the edit was made from (kConflict when it has changed since).
  // Members keep their rows by member id (new members have id 0); status history, incomes,
  // guarantees, measures and helper pairings are replaced by the record's.
  std::vector<HouseholdRecord> replaced;
  // A household to create (the new household of a split); its number must be free.
  std::optional<HouseholdRecord> created;
  // Events to append, each on `household` (an id of `replaced`, or kCreatedHousehold), naming
  // the person by ID number: storage resolves member_id to that person's newest row there.
  struct Event {
    int64_t household = 0;
    MemberEvent event;
  };
  std::vector<Event> events;
};

// A field of a patch: nullopt = leave as it is. For a nullable field, Set<std::optional<T>>
// holding nullopt clears it.
template <class T>
using Set = std::optional<T>;

struct MemberPatch {
  int64_t member_id = 0;
  Set<std::string> name, relation, sex, ethnicity, education, health, labour;
  Set<std::optional<Date>> birth_date;
  Set<std::optional<bool>> in_school, dibao, medical_insurance, pension;
  Set<std::optional<int>> migrant_months;
};

struct HelperEnd {
  int64_t helper_id = 0;
  Date until;
};

struct HouseholdPatch {
  int64_t version = 0;  // the version edited (required)
  Set<std::string> region_code, attribute, main_cause, secondary_cause, phone, bank_account;
  Set<std::optional<bool>> housing_safe, water_safe;
  Set<std::optional<double>> housing_area, market_distance_km;
  Set<std::optional<int>> year_identified;
  std::vector<MemberPatch> members;
  std::vector<Income> incomes;        // set the year's income (added or replaced)
  std::vector<int> incomes_removed;   // years
  std::vector<Guarantee> guarantees;  // set the item (added or replaced)
  // Measures: id 0 adds one, another id replaces that measure.
  std::vector<AssistanceMeasure> measures;
  std::vector<int64_t> measures_removed;
  std::vector<HelperAssignment> helpers_added;  // paired from `since`
  std::vector<HelperEnd> helpers_ended;         // the current pairing ends on `until`
  std::optional<StatusEvent> status_event;      // appended to the history
  std::string note;

  bool Empty() const;
};

// Applies `patch` to `record` in place. Problems (unknown member, measure, helper or income
// year; a member field that is not a member's) name the field as "members[id=7].name",
// "measures[id=3]", "incomes[2019]". Does not validate the result: run ValidateRecord after.
std::vector<ErrorDetail> ApplyPatch(HouseholdRecord& record, const HouseholdPatch& patch);

struct MemberEventRequest {
  std::string kind;  // MemberEventKinds()
  Date on;
  int64_t version = 0;  // the version of the household the event is recorded on
  std::string note;
  // death, marriage_out, move_out, id_correction: the member concerned, by id or by `member`
  // (CurrentMemberId: an ID number, or a name only one current member has), not both.
  int64_t member_id = 0;
  std::string member;
  // split: the members who leave to form the new household.
  std::vector<int64_t> member_ids;
  // birth, marriage_in, move_in of someone not registered in another household: the person.
  std::optional<Member> person;
  // marriage_in, move_in of a person who is a current member of another registered household:
  // their ID number; they leave that household on the same day.
  std::string id_number;
  // Relation to the receiving household's head (transfers, merge: default "other"; split: per
  // member, default "other"; the new head is "head").
  std::string relation;
  std::map<int64_t, std::string> relations;  // by member id (split, merge)
  // marriage_out, move_out: the registered household they join (0 = none, they leave the
  // registry); merge: the household absorbed into this one.
  int64_t other_household_id = 0;
  // When this household's head leaves while others stay: the member who becomes head.
  int64_t new_head_member_id = 0;
  // split: the new household's number and head (one of member_ids; may be omitted when one
  // member leaves).
  std::string new_household_number;
  int64_t split_head_member_id = 0;
  // id_correction: the right ID number.
  std::string new_id_number;
};

// The id of `record`'s current member named by `who`: an ID number (身份证号; a final x read as
// X) or a name (姓名) that exactly one current member has. An unknown or ambiguous one is
// kInvalidArgument with a problem naming `field`, the value masked when it looks like an ID
// number (errors may be logged).
Result<int64_t> CurrentMemberId(const HouseholdRecord& record, std::string_view who,
                                std::string_view field);

// Which other registered household a request involves, so the caller can load it: the
// household named by other_household_id, or — for marriage_in / move_in by id_number — the one
// the caller finds holding that person (the caller looks that up by ID number).
bool NeedsOtherHousehold(const MemberEventRequest& request);

// Plans the event on `here` (as loaded; its version is the request's) with `other` the second
// household (nullptr when none). Returns every problem with the request's field names; the
// records in the edit still need ValidateRecord. A household left with no current members is
// cancelled (a status event with the reason).
Result<HouseholdEdit> PlanMemberEvent(const HouseholdRecord& here, const HouseholdRecord* other,
                                      const MemberEventRequest& request, const Date& today);

}  // namespace fupin::registry
