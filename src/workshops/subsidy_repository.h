// The storage interface of workshop subsidies (扶贫车间补贴), in domain types: subsidy rules kept
// as data with every version, eligibility runs (one rule version evaluated over a period and a
// region, a line per unit with its explanation), a review decision per line, and the ledger of
// payments (补贴发放台账). Implemented once over SQL in storage/subsidy_store for SQLite and
// PostgreSQL; checked by the storage contract tests on both.
//
// Money is integer fen. Every write records its audit entry in the same transaction, and either
// all of it is stored or none. A line's payments never add up to more than its approved amount,
// and only approved lines are payable: RecordPayment checks both in the statement that adds the
// payment to the line, so concurrent payments cannot overrun it.
// Implementations are thread-safe: each call takes its own connection from the pool.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "base/time.h"
#include "workshops/subsidy.h"

namespace fupin::workshops {

// Review decisions of a line.
inline constexpr std::string_view kPending = "pending";
inline constexpr std::string_view kApproved = "approved";
inline constexpr std::string_view kRejected = "rejected";

// One unit of a run: a worker (an employment in a workshop) or a workshop.
struct SubsidyLine {
  int64_t id = 0;
  int64_t run_id = 0;
  std::string unit;  // "worker" | "workshop"
  int64_t workshop_id = 0;
  std::string workshop_name;  // read back, not stored twice
  int64_t member_id = 0;      // worker lines
  std::string member_name;    // read back from the registry
  int64_t employment_id = 0;  // worker lines
  bool qualifies = false;
  int64_t amount_fen = 0;
  // Each condition with the value the unit had ("days_employed > 182: 201 ✓"), then how the
  // amount was reached.
  std::string explanation;
  std::string decision = std::string(kPending);
  int64_t approved_fen = 0;  // = amount_fen when approved, else 0
  std::string reason;        // why rejected (or a note on approval)
  std::string reviewed_by;
  std::string reviewed_at;  // UTC timestamp
  int64_t paid_fen = 0;     // the sum of the line's payments
};

// An eligibility run (资格核定): which version of which rule was evaluated, over what, by whom.
struct SubsidyRun {
  int64_t id = 0;
  int64_t rule_id = 0;
  std::string rule_code;  // read back
  std::string rule_name;  // of the version evaluated
  int64_t rule_version = 0;
  std::string unit;  // of the version evaluated
  std::string region_code;
  Date period_from;  // as requested
  Date period_to;
  Date window_from;  // the period within the rule's validity
  Date window_to;
  bool applies = false;
  int64_t units = 0;
  int64_t eligible = 0;
  int64_t total_fen = 0;
  std::string run_by;
  std::string run_at;  // UTC timestamp
  // Summaries of the lines, read back: approved and paid so far.
  int64_t approved_fen = 0;
  int64_t paid_fen = 0;
  int64_t pending = 0;
  std::vector<SubsidyLine> lines;  // by position; empty in lists
};

// A payment of a line (补贴发放记录).
struct SubsidyPayment {
  int64_t id = 0;
  int64_t line_id = 0;
  Date paid_on;
  int64_t amount_fen = 0;
  std::string voucher;  // 凭证号
  std::string payee;
  std::string note;
  std::string recorded_by;
  std::string recorded_at;  // UTC timestamp
  // Read back from the line, its run and rule.
  int64_t run_id = 0;
  int64_t rule_id = 0;
  std::string rule_code;
  std::string rule_name;
  int64_t rule_version = 0;
  int64_t workshop_id = 0;
  std::string workshop_name;
  std::string region_code;  // the workshop's
  int64_t member_id = 0;
  std::string member_name;
};

struct PaymentQuery {
  std::vector<std::string> scope;  // of the workshops ({""} = everywhere)
  std::string within;              // a region subtree ("" = the whole scope)
  int64_t rule_id = 0;             // 0 = any
  int64_t workshop_id = 0;         // 0 = any
  int64_t run_id = 0;              // 0 = any
  int year = 0;                    // of paid_on; 0 = any
};

struct RunQuery {
  std::vector<std::string> scope;  // of the run's region
  int64_t rule_id = 0;             // 0 = any
  int64_t limit = 100;
};

class SubsidyRepository {
 public:
  virtual ~SubsidyRepository() = default;

  // The current version of every rule, by code.
  virtual Result<std::vector<SubsidyRule>> ListRules() = 0;
  // A rule at `version` (0 = the current one); nullopt when either does not exist.
  virtual Result<std::optional<SubsidyRule>> FindRule(int64_t id, int64_t version = 0) = 0;
  virtual Result<std::optional<SubsidyRule>> FindRuleByCode(const std::string& code) = 0;
  // Every version of a rule, oldest first.
  virtual Result<std::vector<SubsidyRule>> RuleVersions(int64_t id) = 0;

  // Stores a new rule (id 0; kAlreadyExists naming `code` when taken) as version 1, or a new
  // version of rule `id`, which must come from its current version (`version`; kConflict with
  // the current one otherwise). Its code never changes. The rule is not validated here (the
  // service does). Returns the rule as stored. Audited as "create" / "update".
  virtual Result<SubsidyRule> SaveRule(const SubsidyRule& rule, const audit::Actor& actor) = 0;

  // Stores a run with its lines (their ids and review fields ignored: every line starts
  // pending) and returns it as stored. Audited as "run".
  virtual Result<SubsidyRun> SaveRun(const SubsidyRun& run, const audit::Actor& actor) = 0;
  // A run with its lines, if its region lies within `scope`.
  virtual Result<std::optional<SubsidyRun>> FindRun(int64_t id,
                                                    const std::vector<std::string>& scope) = 0;
  // Runs without their lines, newest first.
  virtual Result<std::vector<SubsidyRun>> ListRuns(const RunQuery& query) = 0;

  // Records one decision for lines of run `run_id`: approved (approved_fen = amount_fen) or
  // rejected, with `reason`. All or nothing: kInvalidArgument naming the line ("lines[2]") when
  // a line is not of the run, an approved line does not qualify, or a line already has
  // payments (its decision then stands). Returns the lines as stored. Audited per line as
  // "approve" / "reject".
  virtual Result<std::vector<SubsidyLine>> Review(int64_t run_id, std::span<const int64_t> line_ids,
                                                  std::string_view decision,
                                                  const std::string& reason,
                                                  const audit::Actor& actor) = 0;

  // Adds a payment to its line, if the line's workshop lies within `scope` (kNotFound
  // otherwise). kInvalidArgument naming `line_id` when the line is not approved, naming
  // `amount_fen` with the approved, paid and remaining figures when the payment would take the
  // line beyond its approved amount. Audited as "pay".
  virtual Result<SubsidyPayment> RecordPayment(const SubsidyPayment& payment,
                                               const std::vector<std::string>& scope,
                                               const audit::Actor& actor) = 0;
  // Payments by day paid and id.
  virtual Result<std::vector<SubsidyPayment>> ListPayments(const PaymentQuery& query) = 0;
};

}  // namespace fupin::workshops
