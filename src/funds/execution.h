// Execution monitoring (项目实施监测): earned value per project and rolled up, and the
// deviation alerts over a project, its allocations and its payments — pure functions over
// records read elsewhere.
//
// Earned-value conventions (docs/funds.md), on a day D (as_of), for the version in force:
//   - BAC (budget at completion) = the version's budget_fen;
//   - PV (planned value) = Σ over milestones of BAC × weight/100 × f, where f is the share of
//     the days from the previous milestone's planned date (the project's start for the first)
//     to the milestone's own planned date that have passed on D, clamped to 0..1 (a milestone
//     planned on the previous one's date counts in full from that day);
//   - EV (earned value) = BAC × percent complete, where percent complete is that of the latest
//     progress report dated on or before D, else the sum of the weights of the milestones
//     completed on or before D (`basis` says which: "report", "milestones" or "none");
//   - AC (actual cost) = the payments (not voided) from the project's allocations paid on or
//     before D;
//   - PV, EV and AC are rounded to whole fen (half away from zero) and the indices computed
//     from the rounded figures: SPI = EV ÷ PV (none while PV = 0), CPI = EV ÷ AC (none while
//     AC = 0), EAC (estimate at completion) = BAC ÷ CPI (none without a CPI, or when CPI = 0),
//     SV = EV − PV, CV = EV − AC.
//
// Deviation rules (each alert names its rule and its values; thresholds in AlertOptions):
//   behind_schedule       the project is approved or in progress, PV > 0 and
//                         SPI < 1 − behind_threshold (default 0.10: more than 10 % behind);
//   over_budget           AC > BAC;
//   payment_before_approval  a payment dated before the project's first approval (or with
//                         the project never approved);
//   purpose_not_allocated a payment whose purpose is not one of its allocation's purposes;
//   idle_funds            an allocation with money left whose last movement (the allocation,
//                         or its latest payment) is more than idle_days (default 90) before D;
//   split_payments        two or more payments from the project to one payee (names compared
//                         trimmed), each below the approval threshold, the last at most
//                         split_window_days (default 30) after the first, together above the
//                         threshold (default 50,000 yuan, a placeholder to set to local rules);
//   past_end              the project is approved or in progress after its end date;
//   not_accepted          the project is completed and was completed more than
//                         acceptance_grace_days (default 30) before D.
// A payment flagged by payment_before_approval, purpose_not_allocated or split_payments is
// non-compliant; the compliance rate counts the others.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/time.h"
#include "funds/model.h"
#include "projects/model.h"

namespace fupin::funds {

struct EarnedValue {
  Date as_of;
  int64_t bac_fen = 0;
  int64_t pv_fen = 0;
  int64_t ev_fen = 0;
  int64_t ac_fen = 0;
  double percent_complete = 0;  // 0–100
  std::string basis;            // report, milestones, none
  double planned_percent = 0;   // PV ÷ BAC × 100
  std::optional<double> spi;
  std::optional<double> cpi;
  std::optional<int64_t> eac_fen;
  int64_t sv_fen = 0;
  int64_t cv_fen = 0;
};

// Everything the monitoring reads about one project.
struct ProjectRecords {
  projects::Project project;
  projects::ProjectProfile in_force;  // the version in force
  std::vector<projects::MilestoneActual> milestones_done;
  std::vector<projects::ProgressReport> reports;
  std::optional<Date> approved_on;   // the first approval
  std::optional<Date> completed_on;  // the latest completion
  std::vector<Allocation> allocations;
  std::vector<Payment> payments;  // voided ones are ignored
};

struct AlertOptions {
  double behind_threshold = 0.10;
  int idle_days = 90;
  int64_t split_threshold_fen = 5'000'000;
  int split_window_days = 30;
  int acceptance_grace_days = 30;
};

struct AlertValue {
  std::string name;
  std::string value;
};

struct Alert {
  std::string rule;
  int64_t project_id = 0;
  std::string project_name;
  int64_t allocation_id = 0;         // 0 when not about one allocation
  std::vector<int64_t> payment_ids;  // the payments it is about
  std::vector<AlertValue> values;
  std::string message_en;
  std::string message_zh;
};

// The rules, in the order alerts are listed, with their Chinese and English names.
const Vocabulary& AlertRules();

EarnedValue ComputeEarnedValue(const ProjectRecords& r, const Date& as_of);

// The alerts of one project on `as_of`, in AlertRules() order, then by allocation and payment.
std::vector<Alert> DetectAlerts(const ProjectRecords& r, const EarnedValue& ev, const Date& as_of,
                                const AlertOptions& options = {});

// Totals over many projects: sums of BAC, PV, EV, AC with indices from the sums — but CPI (and
// EAC = ΣBAC ÷ CPI) from the projects with an actual cost only: Σ EV of those ÷ Σ AC.
EarnedValue RollUp(const std::vector<EarnedValue>& values, const Date& as_of);

// The ids of the payments any alert flags (payment_before_approval, purpose_not_allocated,
// split_payments).
std::vector<int64_t> NonCompliantPayments(const std::vector<Alert>& alerts);

}  // namespace fupin::funds
