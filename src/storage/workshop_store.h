// Internal to storage/: WorkshopRepository over SQL, shared by both backends.
#pragma once

#include "storage/sql.h"
#include "workshops/workshop_repository.h"

namespace fupin::storage {

class SqlWorkshopRepository final : public workshops::WorkshopRepository {
 public:
  explicit SqlWorkshopRepository(ConnectionPool& pool) : pool_(pool) {}

  Result<workshops::WorkshopPage> ListWorkshops(const workshops::WorkshopQuery& query) override;
  Result<std::optional<workshops::Workshop>> FindWorkshop(
      int64_t id, const std::vector<std::string>& scope) override;
  Result<std::optional<std::string>> WorkshopRegion(int64_t id) override;
  Result<workshops::Workshop> SaveWorkshop(const workshops::Workshop& workshop,
                                           const audit::Actor& actor) override;
  Result<std::vector<workshops::Employment>> EmploymentsOfWorkshops(
      std::span<const int64_t> workshop_ids) override;
  Result<std::vector<workshops::Employment>> EmploymentsOfPeople(
      std::span<const std::string> id_numbers) override;
  Result<workshops::Employment> SaveEmployment(const workshops::Employment& employment,
                                               const audit::Actor& actor) override;
  Result<std::vector<workshops::MemberRegistryFacts>> RegistryFactsOfMembers(
      std::span<const int64_t> member_ids, int income_year) override;
  Result<int64_t> Generation() override;
  Result<workshops::MonthlyReport> SubmitReport(const workshops::MonthlyReport& report,
                                                const audit::Actor& actor) override;
  Result<std::vector<workshops::MonthlyReport>> ListReports(std::span<const int64_t> workshop_ids,
                                                            int first_month,
                                                            int last_month) override;
  Result<std::vector<workshops::AlertStandard>> ListAlertStandards() override;
  Result<workshops::AlertStandard> SaveAlertStandard(const workshops::AlertStandard& standard,
                                                     const audit::Actor& actor) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace fupin::storage
