// The workshop subsidies' use cases (扶贫车间补贴) over the subsidy repository: subsidy rules
// created and edited as data (each edit a new version), listed for a region; eligibility runs
// that evaluate one version of a rule for a region and a period and store every unit with its
// explanation; the review of the lines (approve / reject with a reason); payments recorded in the
// ledger (补贴发放台账), which never pays more than a line's approved amount; and the ledger
// with its totals by rule, workshop and year.
//
// Scopes are region subtrees ({""} = everywhere), the caller's for the permission the use case
// needs; records outside them are not found. Rules apply to a region when the rule's region
// contains it or lies within it, so a county sees its province's rules.
// Thread-safety: as thread-safe as the repositories it uses (the SQL ones are).
#pragma once

#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "base/time.h"
#include "workshops/subsidy.h"
#include "workshops/subsidy_repository.h"
#include "workshops/workshop_service.h"

namespace fupin::workshops {

// A ledger total: one rule, workshop or year.
struct LedgerTotal {
  std::string key;    // rule code, workshop id or year
  std::string label;  // rule name, workshop name or year
  int64_t payments = 0;
  int64_t amount_fen = 0;
};

struct Ledger {
  std::vector<SubsidyPayment> payments;  // by day paid
  int64_t total_fen = 0;
  std::vector<LedgerTotal> by_rule;      // by code
  std::vector<LedgerTotal> by_workshop;  // by name
  std::vector<LedgerTotal> by_year;      // by year
};

// The explanation stored with a line: each condition with the unit's value and ✓ or ✗, then
// the amount's formula ("days_employed > 182: 201 ✓; category = registered_poor:
// registered_poor ✓ → 5000.00"), or "→ not eligible".
std::string Explain(const SubsidyResult& result);

class SubsidyService {
 public:
  SubsidyService(SubsidyRepository& repository, WorkshopService& workshops, const Clock& clock)
      : repository_(repository), workshops_(workshops), clock_(clock) {}

  // The current rules visible in `scope` (their region overlaps it), by code; with `region`
  // given, only those applying to it.
  Result<std::vector<SubsidyRule>> Rules(const std::vector<std::string>& scope,
                                         const std::string& region = "");
  // A rule at `version` (0 = current), kNotFound when missing or not visible in `scope`.
  Result<SubsidyRule> Rule(int64_t id, int64_t version, const std::vector<std::string>& scope);
  Result<std::vector<SubsidyRule>> Versions(int64_t id, const std::vector<std::string>& scope);

  // Creates (id 0) or edits a rule (a new version; `version` must be the current one). The
  // rule is validated (ValidateRule: kInvalidArgument, each problem naming its field); its
  // region — and an edited rule's stored region — must lie within `scope`, the caller's
  // subsidies.configure regions (kPermissionDenied otherwise; kNotFound for a stored rule whose
  // region does not even overlap `scope`).
  Result<SubsidyRule> SaveRule(const SubsidyRule& rule, const std::vector<std::string>& scope,
                               const audit::Actor& actor);

  // Evaluates rule `rule_id` (its current version) over [first, last] for the workshops
  // within `region` and `scope` and stores the run with every unit. `region` must lie in
  // `scope` (kPermissionDenied) and the rule must apply to it (kInvalidArgument naming
  // rule_id); the period is at most 3 years.
  Result<SubsidyRun> Run(int64_t rule_id, const std::string& region, const Date& first,
                         const Date& last, const std::vector<std::string>& scope,
                         const audit::Actor& actor);
  // A run with its lines; kNotFound outside `scope`.
  Result<SubsidyRun> FindRun(int64_t id, const std::vector<std::string>& scope);
  Result<std::vector<SubsidyRun>> Runs(const std::vector<std::string>& scope, int64_t rule_id = 0);

  // Approves or rejects lines of a run within `scope`. A rejection needs a reason.
  Result<std::vector<SubsidyLine>> Review(int64_t run_id, const std::vector<int64_t>& line_ids,
                                          const std::string& decision, const std::string& reason,
                                          const std::vector<std::string>& scope,
                                          const audit::Actor& actor);

  // Records a payment of an approved line whose workshop lies within `scope`: a positive
  // amount, a day not in the future (China time), a voucher number and a payee; never more
  // than is left to pay on the line (the repository's checks).
  Result<SubsidyPayment> Pay(const SubsidyPayment& payment, const std::vector<std::string>& scope,
                             const audit::Actor& actor);

  // The payments matching `query` and their totals.
  Result<Ledger> LedgerOf(const PaymentQuery& query);

 private:
  SubsidyRepository& repository_;
  WorkshopService& workshops_;
  const Clock& clock_;
};

}  // namespace fupin::workshops
