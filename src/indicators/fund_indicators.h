// The indicators of fund usage (资金使用), as catalogue entries: what was issued, allocated,
// received and paid, and the allocation, payment and compliance rates derived from them. The
// source that computes them over the funds store is funds/fund_measures (the funds module sits
// above this one). docs/indicators.md and docs/funds.md hold the definitions in full.
//
// Conventions, for a period whose last day is D and whose year is Y (D's year):
//   - the batches of year Y count, in the region they are issued to and every region above it
//     (fund_issued, and what was allocated from them by D: fund_allocated);
//   - the allocations from those batches dated on or before D count in the region of the
//     project they went to and above (fund_received), and so do the payments from them, not
//     voided, dated on or before D (fund_paid, fund_payments) and those of them that no payment
//     rule flags on D (fund_payments_compliant: payment before approval, purpose not
//     allocated, split payments; funds/execution.h).
// Thread-safety: pure registrations.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "indicators/indicator.h"

namespace fupin::indicators {

inline constexpr std::string_view kFundIssued = "fund_issued";
inline constexpr std::string_view kFundAllocated = "fund_allocated";
inline constexpr std::string_view kFundReceived = "fund_received";
inline constexpr std::string_view kFundPaid = "fund_paid";
inline constexpr std::string_view kFundPayments = "fund_payments";
inline constexpr std::string_view kFundPaymentsCompliant = "fund_payments_compliant";
// Derived.
inline constexpr std::string_view kFundAllocationRate = "fund_allocation_rate";
inline constexpr std::string_view kFundPaymentRate = "fund_payment_rate";
inline constexpr std::string_view kFundComplianceRate = "fund_compliance_rate";

// The counted codes above, in that order.
const std::vector<std::string>& FundMeasureCodes();

// Registers the fund indicators (module "funds"): the counted ones, then the derived.
Status RegisterFundIndicators(Catalogue& catalogue);

}  // namespace fupin::indicators
