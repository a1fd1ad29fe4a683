// Internal to storage/: IndicatorRepository over SQL, shared by both backends.
#pragma once

#include "indicators/indicator_repository.h"
#include "storage/sql.h"

namespace fupin::storage {

class SqlIndicatorRepository final : public indicators::IndicatorRepository {
 public:
  explicit SqlIndicatorRepository(ConnectionPool& pool) : pool_(pool) {}

  Result<indicators::ChangeStamp> Changes() override;
  Result<indicators::ChangeStamp> ScanFacts(indicators::FactSink& sink) override;
  Result<std::optional<indicators::ChangeScan>> ScanChanges(const indicators::ChangeStamp& since,
                                                            size_t max_households,
                                                            indicators::FactSink& sink) override;
  Result<std::vector<indicators::EnteredValue>> EnteredValues(std::string_view indicator,
                                                              std::string_view within,
                                                              std::string_view period) override;
  Result<indicators::SaveCounts> SaveEnteredValues(std::span<const indicators::EnteredValue> values,
                                                   const audit::Actor& actor,
                                                   std::string_view note) override;
  Result<std::vector<indicators::Declaration>> Declarations() override;
  Result<indicators::Declaration> InsertDeclaration(const indicators::Indicator& indicator,
                                                    const audit::Actor& actor) override;
  Result<indicators::Declaration> UpdateDeclaration(const indicators::Indicator& indicator,
                                                    int64_t version,
                                                    const audit::Actor& actor) override;
  Status DeleteDeclaration(std::string_view code, int64_t version,
                           const audit::Actor& actor) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace fupin::storage
