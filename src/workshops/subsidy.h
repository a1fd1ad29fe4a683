// Subsidy rules for workshops as data, not code: each rule has a region, a validity period, a
// unit (each worker, or each workshop), conditions over named facts, and an amount — fixed,
// multiplied by a fact, or banded on a fact. Evaluating a rule over a period gives, for every
// unit, whether it qualifies and how much, with an explanation naming every condition and the
// value it saw. A new rule (a new combination of conditions) is a new row, evaluated without
// rebuilding fupin.
//
// Facts of a worker (one employment record in a workshop):
//   category            registered_poor / monitored / other_local (WorkerCategories)
//   days_employed       days employed within the rule's window, summed over the person's
//                       employments in every workshop (a day of two jobs counts once)
//   days_employed_here  the same, in this workshop only
//   employment_year     which year of employment in this workshop the window's last day falls
//                       in (1 = the first 365 days from the first hiring there)
//   age                 on the window's last day (from the registry)
//   labour              labour capacity (LabourCapacities, from the registry)
//   contract            1 with a labour contract, else 0
// Facts of a workshop:
//   type, recognized (1/0 on the window's last day), recognized_in_window (1/0: recognized or
//   upgraded on a day within the window), poor_workers and workers (employed on the window's
//   last day), poor_share (poor_workers / workers), days_operated (sum over the window's
//   reports), capacity_jobs
// The window is the requested period intersected with the rule's validity.
// Thread-safety: pure functions over value types.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "workshops/model.h"

namespace fupin::workshops {

// fact op value, e.g. {"days_employed", ">", "182"}; op is = != < <= > >= in (value a
// comma-separated list for "in").
struct Condition {
  std::string fact;
  std::string op;
  std::string value;
};

// An amount band: applies when min <= fact value <= max (max nullopt = no upper bound).
struct AmountBand {
  double min = 0;
  std::optional<double> max;
  int64_t amount_fen = 0;
};

struct SubsidyRule {
  int64_t id = 0;
  std::string code;         // unique, e.g. "gansu-2020-labour"
  std::string name;         // 甘肃 2020 年扶贫车间吸纳就业补贴
  std::string region_code;  // the rule applies to workshops in this subtree
  Date valid_from;
  Date valid_to;
  std::string unit;                   // "worker" or "workshop"
  std::vector<Condition> conditions;  // all must hold
  // The amount of a qualifying unit: bands on `amount_fact` when given; otherwise amount_fen,
  // multiplied by `amount_fact`'s value when that is given; capped at cap_fen when set.
  int64_t amount_fen = 0;
  std::string amount_fact;
  std::vector<AmountBand> bands;
  std::optional<int64_t> cap_fen;
  std::string basis;  // the policy document it implements (文号), shown in explanations
  int64_t version = 1;
};

// The facts one can name in conditions, per unit.
const std::vector<std::string>& WorkerFacts();
const std::vector<std::string>& WorkshopFacts();

// Checks a rule: code, name, region, window in order, unit, every condition (known fact for the
// unit, known operator, a number where the operator compares), amount or bands. Problems name
// the field ("conditions[2].fact"); empty = valid.
std::vector<ErrorDetail> ValidateRule(const SubsidyRule& rule);

// What the registry says about a person, for worker facts.
struct PersonFacts {
  std::optional<Date> birth_date;
  std::string labour;
};

// Everything a rule is evaluated over. `employments` are every employment of the workshops'
// workers in every workshop (for days across workshops), `reports` the workshops'.
struct SubsidyInput {
  std::vector<Workshop> workshops;
  std::vector<Employment> employments;
  std::vector<MonthlyReport> reports;
  std::map<int64_t, PersonFacts> people;  // by member id
};

struct SubsidyResult {
  int64_t workshop_id = 0;
  int64_t member_id = 0;      // worker rules; 0 for workshop rules
  int64_t employment_id = 0;  // worker rules
  bool eligible = false;
  int64_t amount_fen = 0;
  // Each condition with the value the unit had, in the rule's order.
  struct Check {
    Condition condition;
    std::string actual;
    bool passed = false;
  };
  std::vector<Check> checks;
  // How the amount was reached, in neutral notation: "5000.00", "2400.00 × 3 = 7200.00",
  // "poor_workers = 12 in [10, 19]: 50000.00", "… capped at 100000.00"; "" when not eligible.
  std::string amount_formula;
  int days_here = 0;  // worker rules: days employed in this workshop within the window
  Date hired_on;      // worker rules: the employment's start
};

struct SubsidyEvaluation {
  Date first;  // the window: the period within the rule's validity
  Date last;
  bool applies = false;                // false when the period and the validity do not meet
  std::vector<SubsidyResult> results;  // every unit in the rule's region, eligible or not
  int64_t total_fen = 0;
  int eligible = 0;
};

// Evaluates `rule` over [first, last] for the workshops of `input` within the rule's region
// (the caller passes those within the user's scope). A worker is each employment record that
// overlaps the window; a person with two employments in one workshop counts once there (their
// latest employment record), and qualifies once per rule: through the workshop where they
// worked most days of the window. kInvalidArgument when the rule is not valid.
Result<SubsidyEvaluation> EvaluateRule(const SubsidyRule& rule, const SubsidyInput& input,
                                       const Date& first, const Date& last);

// The rules shipped as templates (copied and adjusted by users): Gansu's 2020 labour subsidy
// (5,000 yuan per local worker employed more than half a year; `registered_poor_only` chooses
// the variant), a one-off recognition subsidy banded by registered-poor workers, and a yearly
// per-worker subsidy for the first three years of employment.
std::vector<SubsidyRule> RuleTemplates(const std::string& region_code, int year,
                                       bool registered_poor_only);

}  // namespace fupin::workshops
