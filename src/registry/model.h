// The household registry (建档立卡): households, their members, status history, incomes by
// year, the 两不愁三保障 items, assistance measures and helpers — the domain types, defined
// once. Categorical fields hold the
// codes of the vocabularies in vocabulary.h.
//
// Sensitive fields — a member's ID number (身份证号) and health, a household's phone and bank
// account, a helper's phone — are plain here; whoever renders a record for a caller masks them (see
// access/masking.h and RegistryService), and the audit log stores only keyed HMACs of them.
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/time.h"

namespace fupin::registry {

struct Member {
  int64_t id = 0;
  int64_t household_id = 0;
  std::string name;
  std::string id_number;  // 身份证号 (sensitive)
  std::string relation;   // Relations()
  std::string sex;        // Sexes()
  std::optional<Date> birth_date;
  std::string ethnicity;  // 民族, free text (e.g. 汉族, 藏族)
  std::string education;  // Educations(), "" = unknown
  std::optional<bool> in_school;
  std::string health;                 // HealthConditions() (sensitive), "" = unknown
  std::string labour;                 // LabourCapacities(), "" = unknown
  std::optional<int> migrant_months;  // 务工时间 in the last year
  std::optional<bool> dibao;          // 低保
  std::optional<bool> medical_insurance;
  std::optional<bool> pension;
  // Membership over time: from `joined_on` (nullopt = since the household was registered)
  // until `left_on` (nullopt = still a member), left for `left_reason` (MemberEventKinds()).
  std::optional<Date> joined_on;
  std::optional<Date> left_on;
  std::string left_reason;
  int64_t version = 1;

  bool MemberOn(const Date& day) const {
    return (!joined_on || *joined_on <= day) && (!left_on || day < *left_on);
  }
};

// One entry of a household's status history; never overwritten.
struct StatusEvent {
  int64_t id = 0;
  std::string status;  // Statuses()
  Date on;
  std::optional<int> year;  // lifted out: the year of lifting out
  std::string reason;       // cancelled / dismissed: why
};

// Income of one year, in yuan.
struct Income {
  int year = 0;
  double wages = 0;     // 工资性收入
  double business = 0;  // 生产经营性收入
  double property = 0;  // 财产性收入
  double transfer = 0;  // 转移性收入
  double costs = 0;     // 生产经营性支出
  // Totals as the source (an imported file, a survey form) stated them, kept to be checked
  // against the components (see quality.h); nullopt when the source gave none.
  std::optional<double> reported_gross{};  // 总收入 as stated
  std::optional<double> reported_net{};    // 纯收入 as stated
  // 总收入 = wages + business + property + transfer.
  double Gross() const { return wages + business + property + transfer; }
  // 纯收入 = wages + business + property + transfer − costs.
  double Net() const { return Gross() - costs; }
};

// One of 两不愁三保障 + safe drinking water, as last verified.
struct Guarantee {
  std::string item;  // GuaranteeItems()
  bool met = false;
  std::optional<Date> verified_on;
};

// 帮扶措施 — one assistance measure the household received.
struct AssistanceMeasure {
  int64_t id = 0;
  std::string kind;              // MeasureKinds()
  std::optional<double> amount;  // yuan, when the measure has one (a loan, a subsidy)
  std::optional<Date> start_on;
  std::optional<Date> end_on;  // nullopt = ongoing
  std::string note;
};

// 帮扶责任人 — a cadre paired with the household (结对帮扶), from `since` until `until`.
// One helper may be paired with several households; storage keeps each person once, matched
// by name, unit and phone.
struct HelperAssignment {
  int64_t helper_id = 0;  // set by storage
  std::string name;
  std::string unit;   // 工作单位
  std::string level;  // HelperLevels(), "" = unknown
  std::string phone;  // sensitive
  std::optional<Date> since;
  std::optional<Date> until;  // nullopt = still paired

  bool PairedOn(const Date& day) const {
    return (!since || *since <= day) && (!until || day <= *until);
  }
};

struct Household {
  int64_t id = 0;
  std::string number;       // 户编号, unique
  std::string region_code;  // the village
  std::string attribute;    // Attributes(), "" = monitored non-poor household
  std::string main_cause;   // Causes()
  std::string secondary_cause;
  std::string phone;         // sensitive
  std::string bank_account;  // sensitive
  std::optional<bool> housing_safe;
  std::optional<double> housing_area;  // m²
  std::optional<bool> water_safe;
  std::optional<double> market_distance_km;
  std::optional<int> year_identified;
  // 家庭人口数 as the source stated it, kept to be checked against the members; nullopt when
  // the source gave none.
  std::optional<int> reported_size{};
  // Derived from the status history: the latest status, and the year lifted out.
  std::string status;
  std::optional<int> lifted_year;
  int64_t version = 1;
  std::string created_at;
  std::string updated_at;
};

// One change of membership (出生, 死亡, 婚入/婚出, 迁入/迁出, 分户, 合户, 身份证号更正) as it was
// recorded: what happened to whom, on which day. Events are only ever appended; the member
// rows carry the effect (joined_on / left_on / left_reason, a corrected ID number), so that a
// record "as of date D" is right, and the events say why. A move, marriage, split or merge
// between two registered households is recorded on both, each naming the other.
struct MemberEvent {
  int64_t id = 0;
  std::string kind;  // MemberEventKinds()
  Date on;
  int64_t member_id = 0;      // the member row of this household the event concerns
  std::string name;           // the person's name then
  std::string id_number;      // the person's ID number (sensitive); after a correction, the new one
  std::string old_id_number;  // id_correction: the number before (sensitive)
  int64_t other_household_id = 0;      // the other registered household, 0 = none
  std::string other_household_number;  // its number, for display
  std::string note;
  std::string recorded_by;  // the user's login name
  std::string recorded_at;  // UTC timestamp
};

// A household with everything that hangs off it.
struct HouseholdRecord {
  Household household;
  std::vector<Member> members;
  std::vector<StatusEvent> events;  // in date order
  std::vector<Income> incomes;      // in year order
  std::vector<Guarantee> guarantees;
  std::vector<AssistanceMeasure> measures{};  // in start order
  std::vector<HelperAssignment> helpers{};    // in pairing order
  // Appended only through RegistryRepository::ApplyEdit; imports and SaveHouseholds leave
  // them as they are (and SameContent ignores them).
  std::vector<MemberEvent> member_events{};  // in date order
};

// The list view of a household.
struct HouseholdSummary {
  Household household;
  std::string head_name;
  std::string head_id_number;  // sensitive
  int64_t members = 0;         // current members
  std::optional<Income> latest_income;
  std::string status_on;  // lists "as of D" (HouseholdQuery::as_of): the status then
};

// Per-capita net income (人均纯收入) = net income / number of members on 31 December of the
// year. nullopt when there were none.
std::optional<double> PerCapitaNetIncome(const Income& income, const std::vector<Member>& members);

// The status on `day` from a history in date order ("" before the first event).
std::string StatusOn(const std::vector<StatusEvent>& events, const Date& day);

// The record as it stood at the end of day `day` (for "as of date D" views): the members on
// that day, the status history up to it (and the status and year lifted out it gives), the
// incomes of years complete by then, guarantees verified by then (or never dated), measures
// started by then, and the helpers paired on that day.
HouseholdRecord RecordAsOf(const HouseholdRecord& record, const Date& day);

// Whether two records hold the same data, ignoring what the store assigns (ids, versions,
// timestamps) and the derived fields: tells an unchanged household on re-import.
bool SameContent(const HouseholdRecord& a, const HouseholdRecord& b);

// Checks a record as it would be stored: required fields, vocabulary codes, ID numbers (with
// birth date and sex derived where missing — the record is updated — and conflicts reported),
// exactly one current head, a status history in date order, measures (known kind, amount not
// negative, end not before start) and helpers (name, level, phone, until not before since).
// Each problem names the field
// (e.g. "members[2].id_number"), the value as given and the reason — problems go back only to
// whoever supplied the record, never to a log. Returns the problems (empty = valid).
std::vector<ErrorDetail> ValidateRecord(HouseholdRecord& record, const Date& today);

}  // namespace fupin::registry
