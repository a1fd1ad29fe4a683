// Internal to storage/: FundRepository over SQL, shared by both backends.
#pragma once

#include "funds/fund_repository.h"
#include "storage/sql.h"

namespace fupin::storage {

class SqlFundRepository final : public funds::FundRepository {
 public:
  explicit SqlFundRepository(ConnectionPool& pool) : pool_(pool) {}

  Result<funds::BatchPage> ListBatches(const funds::BatchQuery& query) override;
  Result<std::optional<funds::FundBatch>> FindBatch(int64_t id,
                                                    const std::vector<std::string>& scope) override;
  Result<funds::FundBatch> SaveBatch(const funds::FundBatch& batch,
                                     const audit::Actor& actor) override;
  Result<std::vector<funds::Allocation>> ListAllocations(
      const funds::AllocationQuery& query) override;
  Result<std::optional<funds::Allocation>> FindAllocation(
      int64_t id, const std::vector<std::string>& scope) override;
  Result<funds::Allocation> SaveAllocation(const funds::Allocation& allocation,
                                           const audit::Actor& actor) override;
  Status DeleteAllocation(int64_t id, int64_t version, const audit::Actor& actor) override;
  Result<std::vector<funds::Payment>> ListPayments(const funds::PaymentQuery& query) override;
  Result<funds::Payment> AddPayment(const funds::Payment& payment,
                                    const audit::Actor& actor) override;
  Result<funds::Payment> VoidPayment(int64_t id, const std::string& reason,
                                     const audit::Actor& actor) override;
  Result<std::vector<funds::NoticePosting>> ListPostings(const std::string& subject,
                                                         int64_t subject_id) override;
  Result<funds::NoticePosting> AddPosting(const funds::NoticePosting& posting,
                                          const audit::Actor& actor) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace fupin::storage
