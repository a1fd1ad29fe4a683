// The routes of funds (资金监管): fund batches, allocations and payments (funds.read to read,
// funds.write for batches and allocations, funds.pay for payments and voids), a project's
// execution (earned value and alerts), a region's monitoring and flow of funds, and public
// notices of projects and batches with where they were posted. See docs/funds.md and
// docs/api.md.
#pragma once

#include "funds/fund_service.h"
#include "http/router.h"

namespace fupin::http {

void AddFundRoutes(Router& router, funds::FundService& service);

}  // namespace fupin::http
