// The workshops' use cases over the repository: a region's figures for a month, and the
// resumption curve between two days — loaded within the caller's scope and computed by
// analysis.h.
// Thread-safety: as thread-safe as the repository it uses (the SQL one is).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "registry/registry_repository.h"
#include "workshops/alerts.h"
#include "workshops/analysis.h"
#include "workshops/subsidy.h"
#include "workshops/workshop_repository.h"

namespace fupin::workshops {

// Which workshops a caller reaches: those within the region subtrees of `scope` ({""} =
// everywhere) and, for an operator's users, those its organizations run wherever they lie.
struct WorkshopReach {
  std::vector<std::string> scope;
  std::vector<int64_t> operators;
  bool Covers(const Workshop& w) const;
};

// A worker as the workshop pages show them: who they are in the registry, never their ID
// number (the employment's person_key stays inside the service).
struct WorkerInfo {
  int64_t member_id = 0;
  std::string name;
  int64_t household_id = 0;
  std::string household_number;
  std::string region_code;
  std::string labour;  // LabourCapacities(), from the registry
  std::optional<Date> birth_date;
  bool current = true;  // still a current member of that household
};

// A workshop with everything its page shows.
struct WorkshopDetail {
  Workshop workshop;
  std::vector<Employment> employments;    // by start
  std::map<int64_t, WorkerInfo> workers;  // by member id
  std::vector<MonthlyReport> reports;     // every revision, by month and revision
  std::vector<YearMonth> missing;         // reports due and not submitted, within the range
  std::vector<IdleFinding> idle;          // as of the range's last month
};

// Hiring a registered household member: by ID number (what an operator has from the
// worker's ID card) or by member id (picked from the registry).
struct HireRequest {
  std::string id_number;
  int64_t member_id = 0;
  Date start;
  std::optional<Date> end;
  std::string wage_form;
  bool contract = false;
  std::string position;
  bool overlap_accepted = false;
};

// What the registry says about a person an operator is about to hire.
struct Candidate {
  WorkerInfo worker;
  std::string category;                 // WorkerCategories()
  std::vector<Employment> employments;  // theirs, in any workshop
  std::string person_key;               // their ID number: for the service, never shown
};

// What a region's figures were computed over, beside the figures.
struct RegionFigures {
  std::string region;
  WorkshopFigures figures;
  std::vector<Workshop> workshops;  // those of the region, for names
};

// A region's alerts for a month, with the options they were computed under.
struct RegionAlerts {
  std::string region;
  YearMonth month;
  AlertOptions options;
  std::vector<WorkshopAlert> alerts;
  std::vector<Workshop> workshops;  // those of the region, for names
};

class WorkshopService {
 public:
  WorkshopService(WorkshopRepository& repository, registry::RegistryRepository& registry)
      : repository_(repository), registry_(registry) {}

  // The workshops within `region` (and `scope`) and their figures for `month`.
  Result<RegionFigures> Figures(const std::vector<std::string>& scope, const std::string& region,
                                YearMonth month, const IdleOptions& idle = {});

  // The resumption rate of the region's workshops for each day from `first` to `last`
  // (at most 800 days).
  Result<std::vector<Resumption>> Curve(const std::vector<std::string>& scope,
                                        const std::string& region, const Date& first,
                                        const Date& last);

  // The alerts (alerts.h) of the workshops within `region` (and `scope`) for `month`: their
  // employments, the reports of the idle window and what the registry says about each
  // worker. kInvalidArgument for a bad month or options (naming each).
  Result<RegionAlerts> Alerts(const std::vector<std::string>& scope, const std::string& region,
                              YearMonth month, const AlertOptions& options = {});

  // The stored alert standards, and the options in force for a region in a year
  // (ResolveAlertOptions over them).
  Result<std::vector<AlertStandard>> Standards() { return repository_.ListAlertStandards(); }
  Result<AlertOptions> OptionsFor(std::string_view region, int year);
  // Stores a province's (or the default) standard for a year: validated as a whole
  // (ValidateAlertStandard); a province's row only by a caller whose `scope` covers that
  // province, the default row only with the whole country ({""}) — else kPermissionDenied.
  Result<AlertStandard> SetStandard(const AlertStandard& standard,
                                    const std::vector<std::string>& scope,
                                    const audit::Actor& actor);

  // Evaluates a subsidy rule over [first, last] for the workshops within `region` (and
  // `scope`): their workers' employments in every workshop (for days across workshops), their
  // reports, and what the registry says about each worker (age, labour capacity).
  Result<SubsidyEvaluation> EvaluateSubsidy(const std::vector<std::string>& scope,
                                            const std::string& region, const SubsidyRule& rule,
                                            const Date& first, const Date& last);

  // A workshop the caller reaches; kNotFound otherwise (whether or not it exists).
  Result<Workshop> Find(const WorkshopReach& reach, int64_t id);
  // A workshop with its workers, reports from `first` to `last` (every revision), the months
  // due without a report and the idle findings as of `last`.
  Result<WorkshopDetail> Detail(const WorkshopReach& reach, int64_t id, YearMonth first,
                                YearMonth last, const IdleOptions& idle = {});

  // Registers a workshop (id 0) or replaces one from its stored version. Validated as a whole
  // (ValidateWorkshop: every problem names its field); its village, and for a replacement its
  // current village, must lie in `scope` (the writer's), or kNotFound / kPermissionDenied.
  Result<Workshop> Save(const std::vector<std::string>& scope, const Workshop& workshop,
                        const audit::Actor& actor, const Date& today);
  // Appends an operating-status change (停工 / 复工 / 关停) dated on or after the last one.
  Result<Workshop> ChangeStatus(const WorkshopReach& reach, int64_t id, int64_t version,
                                const StatusChange& change, const audit::Actor& actor,
                                const Date& today);

  // Looks a person up for hiring: a current member of a household in the workshop's county,
  // with their category and employments. kNotFound naming the field otherwise.
  Result<Candidate> FindCandidate(const WorkshopReach& reach, int64_t workshop_id,
                                  const HireRequest& who, const Date& today);
  // Records an employment (the category from the registry at hiring). Checked like
  // ValidateEmployment against the person's other employments in any workshop.
  Result<Employment> Hire(const WorkshopReach& reach, int64_t workshop_id,
                          const HireRequest& request, const audit::Actor& actor, const Date& today);
  // Changes an employment's end date (leaving), wage form, contract, position or overlap
  // acceptance, from its stored version.
  Result<Employment> UpdateEmployment(const WorkshopReach& reach, int64_t workshop_id,
                                      const Employment& changed, const audit::Actor& actor);

  // Submits a monthly report (a correction when the month has one: a new revision, the
  // earlier kept). Checked by ValidateReport and against the worker list: the headcount cannot
  // exceed the workers employed on some day of the month, nor the registered-poor headcount
  // the registered-poor ones among them.
  Result<MonthlyReport> SubmitReport(const WorkshopReach& reach, const MonthlyReport& report,
                                     const audit::Actor& actor, const Date& today);

 private:
  Result<std::vector<Workshop>> Load(const std::vector<std::string>& scope,
                                     const std::string& region);
  Result<std::map<int64_t, WorkerInfo>> Workers(const std::vector<Employment>& employments);

  WorkshopRepository& repository_;
  registry::RegistryRepository& registry_;
};

}  // namespace fupin::workshops
