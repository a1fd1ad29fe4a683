// Internal to storage/: SubsidyRepository over SQL, shared by both backends.
#pragma once

#include "storage/sql.h"
#include "workshops/subsidy_repository.h"

namespace fupin::storage {

class SqlSubsidyRepository final : public workshops::SubsidyRepository {
 public:
  explicit SqlSubsidyRepository(ConnectionPool& pool) : pool_(pool) {}

  Result<std::vector<workshops::SubsidyRule>> ListRules() override;
  Result<std::optional<workshops::SubsidyRule>> FindRule(int64_t id, int64_t version) override;
  Result<std::optional<workshops::SubsidyRule>> FindRuleByCode(const std::string& code) override;
  Result<std::vector<workshops::SubsidyRule>> RuleVersions(int64_t id) override;
  Result<workshops::SubsidyRule> SaveRule(const workshops::SubsidyRule& rule,
                                          const audit::Actor& actor) override;
  Result<workshops::SubsidyRun> SaveRun(const workshops::SubsidyRun& run,
                                        const audit::Actor& actor) override;
  Result<std::optional<workshops::SubsidyRun>> FindRun(
      int64_t id, const std::vector<std::string>& scope) override;
  Result<std::vector<workshops::SubsidyRun>> ListRuns(const workshops::RunQuery& query) override;
  Result<std::vector<workshops::SubsidyLine>> Review(int64_t run_id,
                                                     std::span<const int64_t> line_ids,
                                                     std::string_view decision,
                                                     const std::string& reason,
                                                     const audit::Actor& actor) override;
  Result<workshops::SubsidyPayment> RecordPayment(const workshops::SubsidyPayment& payment,
                                                  const std::vector<std::string>& scope,
                                                  const audit::Actor& actor) override;
  Result<std::vector<workshops::SubsidyPayment>> ListPayments(
      const workshops::PaymentQuery& query) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace fupin::storage
