// The MeasureSource of the fund-usage indicators (indicators/fund_indicators.h) over the funds
// and project stores: issued, allocated, received and paid amounts, payments and compliant
// payments, per region and rolled up, for the catalogue, goals and evaluations. Reads the
// stores afresh on every call (no cache, so never stale); the compliance of a payment is that
// of funds/execution.h's payment rules on the period's last day, over the project's records
// up to that day.
// Thread-safety: as thread-safe as the repositories it reads.
#pragma once

#include <memory>
#include <string_view>

#include "funds/fund_service.h"
#include "indicators/measure_source.h"
#include "indicators/registry_cube.h"

namespace fupin::funds {

class FundMeasures final : public indicators::MeasureSource {
 public:
  FundMeasures(FundService& funds, projects::ProjectRepository& projects)
      : funds_(funds), projects_(projects) {}

  bool Computes(std::string_view code) const override;
  Result<std::shared_ptr<const indicators::MeasureTable>> Compute(
      const indicators::RegistryCube& cube, const Period& period) override;

 private:
  FundService& funds_;
  projects::ProjectRepository& projects_;
};

}  // namespace fupin::funds
