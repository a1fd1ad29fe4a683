// Poverty-alleviation workshops (扶贫车间): the domain types, their vocabularies and their
// checks — defined once. A workshop is run by an operator (an organization: enterprise,
// cooperative, individual business), recognized by the county (申报 → 认定 → 升级, or 撤销),
// employs registered household members, changes operating status over time (so that
// resumption after a shock can be drawn day by day) and reports monthly.
// Money is integer fen (分) throughout, never floating point.
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "registry/vocabulary.h"

namespace fupin::workshops {

using registry::Vocabulary;

// 车间类型: factory processing, home-based processing, farming/breeding, trade/e-commerce,
// tourism/services.
const Vocabulary& WorkshopTypes();
// 认定状态: applied / recognized / upgraded / revoked.
const Vocabulary& RecognitionStatuses();
// 生产状态: operating / partly operating / suspended / closed.
const Vocabulary& OperatingStatuses();
// 工资形式: piece rate / monthly / daily.
const Vocabulary& WageForms();
// Problem flags of a monthly report: raw materials, sales, labour, logistics, epidemic
// measures, funding.
const Vocabulary& ReportProblems();
// Kinds of support a workshop received: one-off subsidy, interest-free loan, rent relief.
const Vocabulary& SupportKinds();
// Who a worker is in the registry: registered poor (建档立卡), monitored (监测对象), other local.
const Vocabulary& WorkerCategories();

// "Partly operating" counts as resumed.
inline bool IsOperating(std::string_view status) {
  return status == "operating" || status == "partial";
}

// One step of recognition, with the document that decided it (文号 or file name).
struct Recognition {
  std::string status;  // RecognitionStatuses()
  Date on;
  std::string document;
};

struct Support {
  std::string kind;  // SupportKinds()
  int64_t amount_fen = 0;
  Date on;
  std::string note;
};

// A change of operating status on a day (停工 on, 复工 on, 关停 on).
struct StatusChange {
  std::string status;  // OperatingStatuses()
  Date on;
  std::string note;
};

struct Workshop {
  int64_t id = 0;
  std::string name;
  int64_t operator_id = 0;  // the organization running it
  std::string type;         // WorkshopTypes()
  std::string region_code;  // the village
  std::string industry;
  std::string products;
  std::optional<double> site_area_m2;
  int64_t investment_fen = 0;
  int capacity_jobs = 0;
  std::optional<double> longitude;  // WGS 84, for the map
  std::optional<double> latitude;
  std::vector<Recognition> recognitions;     // in date order
  std::vector<StatusChange> status_changes;  // in date order
  std::vector<Support> support;
  int64_t version = 1;
};

// An employment record: a registered household member working in a workshop from `start`
// until `end` (inclusive; nullopt = still employed).
struct Employment {
  int64_t id = 0;
  int64_t workshop_id = 0;
  int64_t member_id = 0;
  std::string person_key;  // the person across households: their ID number (sensitive)
  std::string category;    // WorkerCategories(), from the registry at hiring
  Date start;
  std::optional<Date> end;
  std::string wage_form;  // WageForms()
  bool contract = false;
  std::string position;
  // Set when the period overlaps another employment of the same person and the overlap was
  // accepted (two part-time jobs, say); overlaps are refused otherwise.
  bool overlap_accepted = false;
  int64_t version = 1;

  bool EmployedOn(const Date& day) const { return start <= day && (!end || day <= *end); }
};

// A month of a workshop, as reported (月报). Corrections make a new revision; earlier ones are
// kept.
struct MonthlyReport {
  int64_t id = 0;
  int64_t workshop_id = 0;
  int year = 0;
  int month = 0;
  std::string status;  // OperatingStatuses()
  int days_operated = 0;
  int headcount = 0;
  int poor_headcount = 0;
  int64_t wages_fen = 0;
  int64_t poor_wages_fen = 0;
  int64_t output_fen = 0;
  int64_t sales_fen = 0;
  std::vector<std::string> problems;  // ReportProblems()
  std::string remarks;
  int revision = 1;
  std::string submitted_by;
  std::string submitted_at;  // UTC timestamp
};

// The number of days of a month.
int DaysInMonth(int year, int month);

// Checks a workshop as it would be stored: required fields, vocabulary codes, amounts not
// negative, recognitions and status changes in date order and not in the future, coordinates
// in range. Problems name the field; empty = valid.
std::vector<ErrorDetail> ValidateWorkshop(const Workshop& w, const Date& today);

// Checks a monthly report: the month not after today's, status, days within the month (0 when
// suspended or closed all month), poor counts within totals, amounts not negative, problem
// flags known.
std::vector<ErrorDetail> ValidateReport(const MonthlyReport& r, const Date& today);

// Checks an employment: dates in order, codes known; and against the other employments of the
// same person (in any workshop): an overlapping period is a problem unless accepted.
std::vector<ErrorDetail> ValidateEmployment(const Employment& e,
                                            const std::vector<Employment>& others_of_person);

}  // namespace fupin::workshops
