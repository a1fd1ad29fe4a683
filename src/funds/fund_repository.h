// The storage interface of the funds module, in domain types. Implemented once over SQL in
// storage/fund_store for SQLite and PostgreSQL; checked by the storage contract tests on both.
//
// Scopes are region subtrees ({""} = everywhere), applied in the query: a batch is in scope
// when the region it is issued to is within the scope or above it (the county's batches are
// seen by its townships and villages, who receive the money; writing one needs its region
// within the writer's scope, which the service checks), an allocation and a payment by their
// project's region (so that a township sees the money spent on its projects, whoever issued
// it). Every write records its
// audit entry in the same transaction, and either all of it is stored or none. The limits
// (allocations within the batch, payments within the allocation) are enforced by conditional
// updates of the running totals in the same transaction, and refused with the figures.
// Implementations are thread-safe: each call takes its own connection from the pool.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "funds/model.h"

namespace fupin::funds {

struct BatchQuery {
  std::vector<std::string> scope;
  std::string within;  // a region subtree ("" = the whole scope)
  int year = 0;        // 0 = any
  std::string source;  // Sources() code, "" = any
  std::string text;    // part of the document number or title
  int64_t offset = 0;
  int64_t limit = 50;  // 0 = all
};

struct BatchPage {
  std::vector<FundBatch> items;  // newest issue date first, then id
  int64_t total = 0;
  int64_t amount_fen = 0;  // over every batch matching (not only this page)
  int64_t allocated_fen = 0;
};

struct AllocationQuery {
  std::vector<std::string> scope;  // by the project's region
  std::string within;              // the project's region within this subtree
  int64_t batch_id = 0;            // 0 = any
  int64_t project_id = 0;          // 0 = any
  int year = 0;                    // the batch's year, 0 = any
};

struct PaymentQuery {
  std::vector<std::string> scope;  // by the project's region
  std::string within;
  int64_t payment_id = 0;
  int64_t batch_id = 0;
  int64_t allocation_id = 0;
  int64_t project_id = 0;
  int year = 0;  // the batch's year, 0 = any
  bool include_voided = true;
};

// Where and when a public notice (公告公示) was posted.
struct NoticePosting {
  int64_t id = 0;
  std::string subject;  // project, batch
  int64_t subject_id = 0;
  std::string region_code;  // the subject's region (for scope and audit)
  Date posted_on;
  std::optional<Date> until_on;  // the end of the posting period (公示期), if any
  std::string place;             // 张贴地点 or the website
  std::string note;
  std::string recorded_by;
  std::string recorded_at;
};

class FundRepository {
 public:
  virtual ~FundRepository() = default;

  virtual Result<BatchPage> ListBatches(const BatchQuery& query) = 0;
  virtual Result<std::optional<FundBatch>> FindBatch(int64_t id,
                                                     const std::vector<std::string>& scope) = 0;
  // Creates a batch (id 0) or updates one: `version` must be the current one (kConflict), and
  // the amount may not fall below what is allocated (kInvalidArgument naming amount_fen with
  // both figures). The region must be a known region (kInvalidArgument naming region_code); a
  // document number already used for the region is refused (kAlreadyExists naming
  // document_number). Audited.
  virtual Result<FundBatch> SaveBatch(const FundBatch& batch, const audit::Actor& actor) = 0;

  virtual Result<std::vector<Allocation>> ListAllocations(const AllocationQuery& query) = 0;
  virtual Result<std::optional<Allocation>> FindAllocation(
      int64_t id, const std::vector<std::string>& scope) = 0;
  // Adds an allocation (id 0) or revises one (`version` must be the current one; its batch and
  // project stay): the batch's running total moves by the difference only if it stays within
  // the batch's amount (kInvalidArgument naming amount_fen with the batch's amount, allocated
  // and left otherwise), and a revised amount may not fall below what is paid from it. The
  // batch and the project must exist (kNotFound). Audited.
  virtual Result<Allocation> SaveAllocation(const Allocation& allocation,
                                            const audit::Actor& actor) = 0;
  // Deletes an allocation nothing was paid from (kFailedPrecondition otherwise); `version` must
  // be the current one. Audited.
  virtual Status DeleteAllocation(int64_t id, int64_t version, const audit::Actor& actor) = 0;

  virtual Result<std::vector<Payment>> ListPayments(const PaymentQuery& query) = 0;
  // Records a payment: the allocation's running total grows only if it stays within the
  // allocation (kInvalidArgument naming amount_fen with the allocation's amount, paid and left
  // otherwise). Audited.
  virtual Result<Payment> AddPayment(const Payment& payment, const audit::Actor& actor) = 0;
  // Voids a payment with a reason: it no longer counts, and its amount is free again. A payment
  // already voided is refused (kFailedPrecondition). Audited.
  virtual Result<Payment> VoidPayment(int64_t id, const std::string& reason,
                                      const audit::Actor& actor) = 0;

  virtual Result<std::vector<NoticePosting>> ListPostings(const std::string& subject,
                                                          int64_t subject_id) = 0;
  virtual Result<NoticePosting> AddPosting(const NoticePosting& posting,
                                           const audit::Actor& actor) = 0;
};

}  // namespace fupin::funds
