// Data-quality rules of the household registry (数据质量检查): a catalogue of rules — each with a
// stable code, a severity, a title, a message template and a fix hint in Chinese and English —
// and a checker that runs them over full household records.
//
// The checker is fed records one at a time (so a province's registry streams through it) and
// keeps only what the cross-record rules need: per household its number, region and income
// years, and per member a packed ID number (duplicates across households); per-capita net
// incomes of the checked year (outliers). Everything else is decided record by record.
//
// Business dates come from the caller: `today` is the date in China Standard Time, and the
// checked income year defaults to the year most households last reported income for. The
// thresholds (working age, school age, the 6-month rule, the outlier method) are options with
// the defaults below, and every report records the values it used.
//
// Findings never carry personal data in clear: values of sensitive fields (ID numbers, phones,
// bank accounts, health) are masked with access/masking.h, and no message names a member's
// health condition or ID number.
//
// Thread-safety: the catalogue is immutable; a QualityChecker is used by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "registry/model.h"
#include "registry/registry_repository.h"

namespace fupin::registry {

enum class Severity { kError, kWarning, kInfo };

// "error", "warning", "info".
std::string_view SeverityName(Severity severity);
// "错误", "警告", "提示".
std::string_view SeverityZh(Severity severity);
// A severity from its English name or Chinese label; nullopt otherwise.
std::optional<Severity> ParseSeverity(std::string_view text);

// One rule of the catalogue. Message templates name the values of a finding in braces
// ({member}, {age}, {value}, …); each rule's placeholders are filled by its check.
struct QualityRule {
  std::string_view code;  // stable: "area.what", e.g. "member.healthy_without_labour"
  Severity severity;
  std::string_view title_zh;
  std::string_view title_en;
  std::string_view message_zh;
  std::string_view message_en;
  std::string_view fix_zh;
  std::string_view fix_en;
};

// Every rule, grouped by area (household, status, member, income, guarantee, measure,
// helper), in a fixed order.
std::span<const QualityRule> QualityRules();
// The rule with `code`; nullptr when there is none.
const QualityRule* FindQualityRule(std::string_view code);

// The thresholds of the rules, with their defaults.
struct QualityThresholds {
  int working_age_min = 16;         // 劳动年龄: from 16 …
  int working_age_max = 60;         // … to 60 years, inclusive
  int school_age_min = 6;           // 义务教育: from 6 …
  int school_age_max = 15;          // … to 15 years, inclusive
  int elderly_skilled_age = 75;     // skilled labour from this age on is implausible
  int max_age = 110;                // older than this is implausible
  int min_head_age = 16;            // a head of household is at least this old
  int min_parent_gap = 14;          // years between a parent and a child, at least
  int adult_in_school_age = 30;     // in school after this age is unusual
  int risk_elimination_months = 6;  // 风险消除: at least 6 months after monitoring started
  // Per-capita net income outliers: robust z-score of ln(per-capita net income) against the
  // checked year's distribution over the checked households, z = 0.6745 (x − median) / MAD
  // (Iglewicz & Hoaglin), flagged when |z| > outlier_z; applied only with at least
  // outlier_min_households positive values.
  double outlier_z = 3.5;
  int outlier_min_households = 30;
  double money_tolerance = 1.0;  // yuan: stated totals may differ from the sum by this much
};

struct QualityOptions {
  Date today;  // the business date (China Standard Time)
  // The income year checked for missing incomes and outliers; nullopt = the year most of the
  // checked households last reported income for (today's year − 1 when none did).
  std::optional<int> year;
  // Only these rule codes (empty = every rule). Unknown codes are kInvalidArgument.
  std::vector<std::string> rules;
  // Only rules of this severity (nullopt = all).
  std::optional<Severity> severity;
  // Whether to look for an ID number in several households. The stored registry cannot hold
  // one person twice (the database refuses it), so runs over it turn this off and keep no
  // per-member state; records checked before they are stored need it.
  bool across_households = true;
  QualityThresholds thresholds;
};

// One problem in one household.
struct Finding {
  const QualityRule* rule = nullptr;
  int64_t household_id = 0;
  std::string household_number;
  std::string region_code;
  int64_t member_id = 0;    // 0 = not about one member
  std::string member_name;  // "" = not about one member
  std::string field;        // e.g. "members[2].labour", "incomes[2023].net", "phone"
  std::string value;        // as recorded, masked when sensitive; "" when there is none
  std::string message_zh;
  std::string message_en;
};

struct RuleCount {
  const QualityRule* rule = nullptr;
  int64_t findings = 0;
  int64_t households = 0;  // households with at least one finding of the rule
};

// The distribution the outlier rule compared per-capita net incomes with.
struct IncomeDistribution {
  int year = 0;
  int64_t households = 0;    // positive per-capita values of `year`
  bool applied = false;      // false: too few values, or no spread (MAD = 0)
  double median = 0;         // yuan per person
  double low = 0, high = 0;  // yuan per person: values outside are flagged
};

struct QualityReport {
  Date today;
  int year = 0;  // the income year checked
  bool year_given = false;
  QualityThresholds thresholds;
  int64_t households = 0;  // households checked
  int64_t members = 0;     // members checked
  int64_t households_with_findings = 0;
  // Sorted by region, household number, rule (catalogue order), field.
  std::vector<Finding> findings;
  // Every rule that ran, in catalogue order, with its counts (0 when clean).
  std::vector<RuleCount> counts;
  IncomeDistribution income;

  int64_t Count(Severity severity) const;
};

class QualityChecker {
 public:
  // kInvalidArgument for an unknown rule code in `options.rules` (the detail names it).
  static Result<QualityChecker> Create(QualityOptions options);

  // Runs the per-record rules over `record` and remembers what the cross-record rules need.
  void Add(const HouseholdRecord& record);
  // Runs the cross-record rules and returns the report. The checker is spent afterwards.
  QualityReport Finish();

 private:
  struct HouseholdRef {
    int64_t id = 0;
    std::string number;
    uint32_t region = 0;        // index into regions_
    uint64_t income_years = 0;  // bit y − kFirstIncomeYear for each income year
    bool wants_income = false;  // a registered household, expected to report income …
    int from_year = 0;          // … from this year on
  };
  struct IdEntry {
    uint64_t key = 0;  // the packed ID number
    int64_t member_id = 0;
    uint32_t household = 0;  // index into households_
    std::string name;
  };
  struct PerCapita {
    int year = 0;
    uint32_t household = 0;
    double value = 0;
  };

  explicit QualityChecker(QualityOptions options);
  void CheckMissingIncome(int year);
  void CheckDuplicateIds();
  void CheckOutliers(int year, QualityReport& report);
  Finding& NewFinding(size_t rule, const HouseholdRef& household);

  QualityOptions options_;
  std::vector<bool> enabled_;  // by catalogue index
  std::vector<Finding> findings_;
  std::vector<HouseholdRef> households_;
  std::vector<std::string> regions_;
  std::unordered_map<std::string, uint32_t> region_index_;
  std::vector<IdEntry> ids_;
  std::vector<PerCapita> per_capita_;
  int64_t members_ = 0;
};

// Checks the households of `query` (its scope and filters; sort and paging ignored) by
// streaming them through RegistryRepository::ForEachRecord into a QualityChecker.
Result<QualityReport> CheckHouseholds(RegistryRepository& repository, const HouseholdQuery& query,
                                      QualityOptions options);

}  // namespace fupin::registry
