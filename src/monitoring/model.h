// Relapse-prevention monitoring (防返贫动态监测): the domain types, defined once.
//
// Thresholds (监测范围) are per-capita net incomes per province and year; rule options (how
// large a drop, a medical bill or a disaster loss must be; the workflow's deadlines; the
// minimum monitoring time) are per province too, with the national defaults under the
// province code "". Risk events are what the registry does not hold — large medical
// expenses, disasters, other sudden hardship — reported on a household. Detection turns
// registry records and risk events into alerts (one per rule, household and period); alerts
// open a case (one open case per household), and a case goes through the workflow
//   alert → village_verified → township_reviewed → monitored (with a category) → risk_eliminated
//                                               ↘ dismissed (with a reason)
// with a deadline per step counted in calendar days (China Standard Time) from the day the
// case was opened. Money is integer fen. See docs/monitoring.md.
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "registry/vocabulary.h"

namespace fupin::monitoring {

// 监测范围 — the per-capita net income below which a household is watched, for one province
// and year. The national guidance (province "") is the fallback for provinces without their
// own figure.
struct Threshold {
  std::string province_code;  // a province's 12-digit code, or "" for the national guidance
  int year = 0;
  int64_t per_capita_fen = 0;
  std::string note;
  std::string updated_by;
  std::string updated_at;
};

// The threshold that applies to a household: where it came from, for the alert's values.
struct AppliedThreshold {
  int64_t per_capita_fen = 0;
  std::string province_code;   // "" = the national guidance
  int year = 0;                // the year of the figure (may be earlier than the year asked)
  std::string Source() const;  // "990000000000/2021" or "national/2021"
};

// The threshold for `province` in `year`: the province's own figure for that year, else the
// national one for that year, else the latest earlier year's (province first, then national).
// nullopt when there is none at all.
std::optional<AppliedThreshold> ResolveThreshold(const std::vector<Threshold>& thresholds,
                                                 const std::string& province, int year);

// Options of the detection rules and the workflow, per province ("" = the national defaults
// every province uses until it sets its own). Defaults are documented in docs/monitoring.md.
struct RuleOptions {
  std::string province_code;
  // income_drop: per-capita net income fell by more than this share from the year before.
  double income_drop_share = 0.30;
  // medical_expense: out-of-pocket medical expenses reported in a calendar year reach this
  // amount, or this share of the household's net income of the year before.
  int64_t medical_expense_fen = 1'000'000;  // 10,000 yuan
  double medical_income_share = 0.5;
  // disaster: losses reported in a calendar year reach this amount or share.
  int64_t disaster_loss_fen = 1'000'000;  // 10,000 yuan
  double disaster_income_share = 0.5;
  // Deadlines, in calendar days after the day a case was opened: village verification,
  // township review, county decision (the whole within decide_days).
  int verify_days = 5;
  int review_days = 10;
  int decide_days = 15;
  // Risk elimination: at least this many months after the county's decision.
  int minimum_months = 6;
  int64_t version = 1;
  std::string updated_by;
  std::string updated_at;
};

// The problems of a set of options (field, value, reason); empty when valid.
std::vector<ErrorDetail> ValidateOptions(const RuleOptions& options);

// The options for `province`: its own, else the national defaults, else built-in defaults.
RuleOptions ResolveOptions(const std::vector<RuleOptions>& options, const std::string& province);

// The province of a 12-digit region code ("990121001001" → "990000000000").
std::string ProvinceOf(std::string_view region_code);

// A risk the registry does not hold, reported on a household: a large medical expense
// (amount = the out-of-pocket cost), a disaster (amount = the loss), or other sudden hardship
// (amount optional).
struct RiskEvent {
  int64_t id = 0;
  int64_t household_id = 0;
  std::string region_code;  // the household's village
  std::string kind;         // RiskKinds()
  std::optional<int64_t> amount_fen;
  Date on;
  std::string note;
  std::string reported_by;
  std::string reported_at;  // UTC timestamp
};

// Checks a reported event: a known kind, an amount where the kind needs one (never negative),
// a date not in the future. Problems name the field.
std::vector<ErrorDetail> ValidateRiskEvent(const RiskEvent& event, const Date& today);

// One value a rule looked at, e.g. {"per_capita_fen", "523450"}.
struct AlertValue {
  std::string name;
  std::string value;

  friend bool operator==(const AlertValue&, const AlertValue&) = default;
};

// One firing of one rule for one household and period: what fired and on what values.
struct Alert {
  int64_t id = 0;
  int64_t case_id = 0;
  int64_t household_id = 0;
  std::string household_number;
  std::string region_code;
  std::string rule;    // Rules()
  std::string period;  // the dedupe key with household and rule: "2024", or "2024-03-05"
  std::vector<AlertValue> values;
  std::string message_zh;
  std::string message_en;
  Date detected_on;
};

// Workflow stages (Stages()) and the decision's categories (Categories()).
inline constexpr std::string_view kStageAlert = "alert";
inline constexpr std::string_view kStageVerified = "village_verified";
inline constexpr std::string_view kStageReviewed = "township_reviewed";
inline constexpr std::string_view kStageMonitored = "monitored";
inline constexpr std::string_view kStageDismissed = "dismissed";
inline constexpr std::string_view kStageEliminated = "risk_eliminated";

// True for the stages that wait for someone (and have a deadline).
bool IsPendingStage(std::string_view stage);
// True for the stages after which nothing more happens.
bool IsClosedStage(std::string_view stage);

// One entry of a case's history; never changed once written.
struct Step {
  int64_t id = 0;
  std::string action;  // opened, alert_added, verified, reviewed, decided, dismissed, measure,
                       // eliminated
  Date on;             // the business date (China Standard Time)
  std::string actor;
  int64_t actor_user_id = 0;
  std::string at;  // UTC timestamp
  std::string note;
  std::string detail;  // e.g. "confirmed", the category, the measure's kind
};

// 帮扶措施 assigned to a monitored household (kept with the case: the registry has no measure
// records of its own yet).
struct Measure {
  int64_t id = 0;
  int64_t case_id = 0;
  int64_t household_id = 0;
  std::string kind;  // registry::MeasureKinds()
  std::optional<int64_t> amount_fen;
  std::optional<Date> start_on;
  std::string note;
  std::string assigned_by;
  Date assigned_on;
};

struct Case {
  int64_t id = 0;
  int64_t household_id = 0;
  std::string household_number;
  std::string head_name;
  std::string region_code;
  std::string region_name;  // the village's name
  std::string stage;        // Stages()
  std::string category;     // Categories(), once decided monitored
  std::optional<bool> village_confirmed;
  std::string recommendation;  // the township's: a category or "dismiss" ("" = none)
  std::string dismiss_reason;
  Date opened_on;
  Date verify_due;
  Date review_due;
  Date decide_due;
  std::optional<Date> verified_on;
  std::optional<Date> reviewed_on;
  std::optional<Date> decided_on;  // monitored or dismissed
  std::optional<Date> closed_on;   // dismissed or risk eliminated
  int64_t version = 1;
  std::vector<std::string> rules;  // the rules of its alerts, in the order they fired
  // Filled when one case is read in full.
  std::vector<Alert> alerts;
  std::vector<Step> steps;
  std::vector<Measure> measures;

  // The due date of the step the case waits for; nullopt when it waits for nobody.
  std::optional<Date> CurrentDue() const;
};

// The deadlines of a case for its three steps, as of `today`.
struct Deadline {
  std::string step;  // verify, review, decide
  Date due;
  std::optional<Date> done_on;
  bool pending = false;   // the case waits for this step now
  bool overdue = false;   // pending and `today` is after `due`
  bool late = false;      // done after `due`
  int64_t days_over = 0;  // overdue: today − due; late: done − due
};
std::vector<Deadline> Deadlines(const Case& c, const Date& today);
// Days the pending step is past its due date (0 when not overdue).
int64_t DaysOverdue(const Case& c, const Date& today);

// `date` plus `months` calendar months, the day clamped to the month's end (31 Aug + 6 months
// = 28/29 Feb).
Date AddMonths(const Date& date, int months);
Date AddDays(const Date& date, int64_t days);

// Vocabularies of the module (codes with Chinese and English labels).
const registry::Vocabulary& Rules();       // detection rules
const registry::Vocabulary& Stages();      // workflow stages
const registry::Vocabulary& Categories();  // 监测对象类别
const registry::Vocabulary& RiskKinds();   // reported risk events
std::span<const registry::Vocabulary* const> AllVocabularies();

}  // namespace fupin::monitoring
