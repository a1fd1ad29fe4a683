// The storage interface of workshops, in domain types. Implemented once over SQL in
// storage/workshop_store for SQLite and PostgreSQL; checked by the storage contract tests on
// both.
//
// Reads take the caller's scope (region subtrees, {""} = everywhere) and apply it in the query:
// a workshop outside it is not found. Every write records its audit entry in the same
// transaction. Employments refer to registry members; the person across households is their
// ID number (read from the registry, never stored twice). Reports are only appended: a
// correction is a new revision of the month, the earlier ones kept.
// Implementations are thread-safe: each call takes its own connection from the pool.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "workshops/alerts.h"
#include "workshops/model.h"

namespace fupin::workshops {

struct WorkshopQuery {
  std::vector<std::string> scope;
  // Operators (organization ids) whose workshops are visible wherever they lie, besides
  // `scope`: an enterprise or cooperative user sees the workshops it runs.
  std::vector<int64_t> operators;
  int64_t operator_id = 0;  // only this operator's workshops (0 = any)
  std::string within;       // a region subtree ("" = the whole scope)
  std::string type;         // WorkshopTypes() code, "" = any
  std::string text;         // part of the name
  int64_t offset = 0;
  int64_t limit = 50;  // 0 = all
};

// What the registry says about a worker, for alerts and indicators over workshops.
struct MemberRegistryFacts {
  int64_t member_id = 0;
  int64_t household_id = 0;
  std::string labour;  // registry::LabourCapacities() code, "" = unknown
  std::optional<Date> birth_date;
  // The household's gross income (总收入: wages + business + property + transfer) of the year
  // asked for, in yuan; nullopt when none is recorded.
  std::optional<double> household_gross_income;
};

struct WorkshopPage {
  std::vector<Workshop> items;  // with recognitions, status changes and support
  int64_t total = 0;
};

class WorkshopRepository {
 public:
  virtual ~WorkshopRepository() = default;

  // Workshops in name order.
  virtual Result<WorkshopPage> ListWorkshops(const WorkshopQuery& query) = 0;
  virtual Result<std::optional<Workshop>> FindWorkshop(int64_t id,
                                                       const std::vector<std::string>& scope) = 0;
  // The region of a workshop regardless of scope; nullopt when it does not exist.
  virtual Result<std::optional<std::string>> WorkshopRegion(int64_t id) = 0;

  // Inserts (id 0) or replaces a workshop with its recognitions, status changes and support.
  // A replacement must come from the stored version (kConflict with the current one
  // otherwise). The operator must be an organization (kInvalidArgument naming operator_id).
  // Audited as "create" / "update" with the changed fields.
  virtual Result<Workshop> SaveWorkshop(const Workshop& workshop, const audit::Actor& actor) = 0;

  // The employments of these workshops, with each person's ID number as person_key, by start.
  virtual Result<std::vector<Employment>> EmploymentsOfWorkshops(
      std::span<const int64_t> workshop_ids) = 0;
  // Every employment, in any workshop, of the people with these ID numbers (whatever household
  // row they were hired under).
  virtual Result<std::vector<Employment>> EmploymentsOfPeople(
      std::span<const std::string> id_numbers) = 0;
  // Inserts (id 0) or replaces an employment (its dates, wage form, contract, position,
  // overlap acceptance; not its workshop or member). kNotFound for an unknown member. Audited.
  virtual Result<Employment> SaveEmployment(const Employment& employment,
                                            const audit::Actor& actor) = 0;

  // The registry's facts of these members (those that exist), regardless of scope — workers
  // may live outside the region asked about —, with their household's gross income of
  // `income_year`; in member id order.
  virtual Result<std::vector<MemberRegistryFacts>> RegistryFactsOfMembers(
      std::span<const int64_t> member_ids, int income_year) = 0;

  // Appends a report as the next revision of its month (the first is revision 1) and returns
  // it with its id, revision and submission stamp (now, unless the report brings one: the
  // demo's historical reports do; the API never passes one through). Audited.
  virtual Result<MonthlyReport> SubmitReport(const MonthlyReport& report,
                                             const audit::Actor& actor) = 0;
  // The 'workshops' change counter: every committed SaveWorkshop, SaveEmployment and
  // SubmitReport adds one in its own transaction, so that a cache of figures computed over
  // workshops (the indicators) knows when it is stale. 0 before the first write.
  virtual Result<int64_t> Generation() = 0;

  // The stored alert standards (alerts.h), by province code and year.
  virtual Result<std::vector<AlertStandard>> ListAlertStandards() = 0;
  // Inserts or replaces the standard of (province_code, year); not validated here (the
  // service does). Returns it as stored, with who and when. Audited as "create" / "update" of
  // a workshop_standard.
  virtual Result<AlertStandard> SaveAlertStandard(const AlertStandard& standard,
                                                  const audit::Actor& actor) = 0;

  // Every revision of the reports of these workshops within [first, last] (months as
  // year * 12 + month − 1), by workshop, month and revision.
  virtual Result<std::vector<MonthlyReport>> ListReports(std::span<const int64_t> workshop_ids,
                                                         int first_month, int last_month) = 0;
};

}  // namespace fupin::workshops
