// The funds module's use cases (资金监管) over the repositories: fund batches, their allocations
// to projects, payments and their voiding; and the execution monitoring built on them — a
// project's earned value and deviation alerts, a region's roll-up with its fund-usage rates,
// and the flow of funds from sources to purposes.
//
// Scopes are region subtrees ({""} = everywhere), the caller's for the permission the use case
// needs (the HTTP layer passes the route's): funds.read to read, funds.write for batches and
// allocations, funds.pay for payments. A batch is in scope by its region, an allocation and a
// payment by their project's region; a record outside the scope is not found (kNotFound,
// whether or not it exists). Writing a batch or an allocation needs its batch's region within
// the scope (kPermissionDenied naming region_code).
// Thread-safety: as thread-safe as the repositories it uses (the SQL ones are).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "base/time.h"
#include "funds/execution.h"
#include "funds/fund_repository.h"
#include "projects/project_repository.h"
#include "regions/region_repository.h"

namespace fupin::funds {

// A project's execution on a day: its earned value, its alerts, and its money.
struct ProjectExecution {
  projects::Project project;
  EarnedValue value;
  std::vector<Alert> alerts;
  std::vector<Allocation> allocations;
  std::vector<Payment> payments;  // voided ones included, marked
  int64_t allocated_fen = 0;
  int64_t paid_fen = 0;  // not voided
};

// Fund-usage figures of a region (资金使用) for a year: the batches of the year issued to the
// region or below it and what was allocated from them (the allocation rate); the allocations
// of the year's batches (whoever issued them) to the region's projects, what was paid from
// them (the payment rate) and how many of those payments no payment rule flags (the
// compliance rate).
struct FundUsage {
  int64_t batches = 0;
  int64_t issued_fen = 0;     // Σ amounts of the batches issued to the region
  int64_t allocated_fen = 0;  // Σ allocated from those batches
  int64_t received_fen = 0;   // Σ allocations to the region's projects
  int64_t paid_fen = 0;       // Σ payments not voided from those allocations
  int64_t payments = 0;       // payments not voided from those allocations
  int64_t non_compliant = 0;  // of those, flagged by a payment rule
  // allocated ÷ issued, paid ÷ received, (payments − non-compliant) ÷ payments; none while
  // the divisor is 0.
  std::optional<double> allocation_rate;
  std::optional<double> payment_rate;
  std::optional<double> compliance_rate;
};

// The monitoring of a region (项目资金监测) on a day.
struct RegionMonitoring {
  std::string region_code;
  int year = 0;  // 0 = every year
  Date as_of;
  AlertOptions options;
  EarnedValue total;  // rolled up over `projects`
  struct Row {
    projects::Project project;
    EarnedValue value;
    int64_t allocated_fen = 0;
    int64_t paid_fen = 0;
    int alerts = 0;
  };
  std::vector<Row> projects;  // approved at least once, running in the year; by id
  std::vector<Alert> alerts;  // of those projects, in rule order then by project
  FundUsage usage;
};

// The flow of funds (资金流向) for an ECharts Sankey: sources → batches → projects → purposes,
// with money in fen. Node names are unique (ECharts links by name).
struct FundFlow {
  struct Node {
    std::string name;  // unique: "source:central_special", "batch:12", "project:7", "purpose:…"
    std::string kind;  // source, batch, project, purpose
    std::string code;  // the source or purpose code, the batch's document, the project's id
    std::string label;
    int64_t value_fen = 0;
  };
  struct Link {
    std::string source;
    std::string target;
    int64_t value_fen = 0;
  };
  std::vector<Node> nodes;
  std::vector<Link> links;
};

// A public notice (公告公示) of a project or a fund batch: the fields notices must carry, in
// order, each with its Chinese and English label. No personal data beyond the names of the
// implementing unit and the person in charge (beneficiary households are counted, not named).
struct Notice {
  std::string subject;  // project, batch
  int64_t subject_id = 0;
  std::string title;
  std::string region_code;
  struct Field {
    std::string key;
    std::string zh;
    std::string en;
    std::string value;
  };
  std::vector<Field> fields;
  std::vector<NoticePosting> postings;
};

// The national hotline for poverty-alleviation supervision (扶贫监督举报电话).
inline constexpr std::string_view kSupervisionHotline = "12317";

class FundService {
 public:
  FundService(FundRepository& funds, projects::ProjectRepository& projects,
              regions::RegionRepository& regions, const Clock& clock)
      : funds_(funds), projects_(projects), regions_(regions), clock_(clock) {}

  Result<BatchPage> ListBatches(const BatchQuery& query) { return funds_.ListBatches(query); }
  Result<FundBatch> Batch(const std::vector<std::string>& scope, int64_t id);
  // Creates or updates a batch (ValidateBatch; the region a province, city or county within
  // `scope`; an update of a batch within `scope`, at the version the caller saw).
  Result<FundBatch> SaveBatch(const std::vector<std::string>& scope, FundBatch batch,
                              const audit::Actor& actor);

  Result<std::vector<Allocation>> Allocations(const AllocationQuery& query) {
    return funds_.ListAllocations(query);
  }
  Result<Allocation> FindAllocation(const std::vector<std::string>& scope, int64_t id);
  // Allocates from a batch within `scope` to a project in the batch's region (kInvalidArgument
  // naming project_id otherwise, or when the project was rejected), checked by
  // ValidateAllocation against what is left of the batch. `allocated_on` defaults to today.
  Result<Allocation> Allocate(const std::vector<std::string>& scope, Allocation allocation,
                              const audit::Actor& actor);
  // Revises an allocation's amount, purposes, date and note (at the version the caller saw);
  // the amount may not fall below what is paid nor exceed what is left of the batch.
  Result<Allocation> ReviseAllocation(const std::vector<std::string>& scope, Allocation allocation,
                                      const audit::Actor& actor);
  Status DeleteAllocation(const std::vector<std::string>& scope, int64_t id, int64_t version,
                          const audit::Actor& actor);

  Result<std::vector<Payment>> Payments(const PaymentQuery& query) {
    return funds_.ListPayments(query);
  }
  // Records a payment from an allocation whose project is within `scope` (ValidatePayment;
  // `paid_on` defaults to today).
  Result<Payment> Pay(const std::vector<std::string>& scope, Payment payment,
                      const audit::Actor& actor);
  // Voids a payment within `scope`; the reason is required.
  Result<Payment> Void(const std::vector<std::string>& scope, int64_t id, const std::string& reason,
                       const audit::Actor& actor);

  // A project within `scope` on `as_of` (default today).
  Result<ProjectExecution> Execution(const std::vector<std::string>& scope, int64_t project_id,
                                     std::optional<Date> as_of, const AlertOptions& options = {});
  // A region within `scope` on `as_of` (default today; the end of `year` when that is earlier):
  // the projects in the region approved at least once and running in `year` (0: all), and the
  // batches of `year` issued to the region or below it.
  Result<RegionMonitoring> Monitor(const std::vector<std::string>& scope, const std::string& region,
                                   int year, std::optional<Date> as_of,
                                   const AlertOptions& options = {});
  // The flow of the batches of `year` (0: all) issued to `region` or below it, and of the part
  // of the batches issued above it that reached its projects, as far as the caller's scope
  // sees them.
  Result<FundFlow> Flow(const std::vector<std::string>& scope, const std::string& region, int year);

  // Public notices: where and when one was posted. The subject ("project" or "batch") must be
  // within `scope`.
  Result<std::vector<NoticePosting>> Postings(const std::vector<std::string>& scope,
                                              const std::string& subject, int64_t subject_id);
  Result<NoticePosting> RecordPosting(const std::vector<std::string>& scope, NoticePosting posting,
                                      const audit::Actor& actor);

  // The notice of a project (within `scope`, funds of every batch shown) or of a batch.
  // `phone`: the local supervision phone (监督电话) to print beside the 12317 hotline.
  Result<Notice> ProjectNotice(const std::vector<std::string>& scope, int64_t id,
                               const std::string& phone);
  Result<Notice> BatchNotice(const std::vector<std::string>& scope, int64_t id,
                             const std::string& phone);

  // The records the monitoring reads about one project (the detail as the repository gives
  // it): exposed for the CLI and the notices.
  Result<ProjectRecords> Records(const projects::ProjectDetail& detail);

 private:
  Date Today() const { return ChinaDate(clock_.Now()); }
  // "甘肃省武威市天祝藏族自治县华藏寺镇华藏寺村": the names from the province down.
  Result<std::string> PlaceName(const std::string& code);
  Result<std::string> SubjectRegion(const std::vector<std::string>& scope,
                                    const std::string& subject, int64_t subject_id);

  FundRepository& funds_;
  projects::ProjectRepository& projects_;
  regions::RegionRepository& regions_;
  const Clock& clock_;
};

}  // namespace fupin::funds
