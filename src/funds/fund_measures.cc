#include "funds/fund_measures.h"

#include <algorithm>
#include <map>
#include <set>

#include "indicators/fund_indicators.h"

namespace fupin::funds {

bool FundMeasures::Computes(std::string_view code) const {
  const auto& codes = indicators::FundMeasureCodes();
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

Result<std::shared_ptr<const indicators::MeasureTable>> FundMeasures::Compute(
    const indicators::RegistryCube& cube, const Period& period) {
  const Date day = period.last;
  const int year = day.year;
  const auto& nodes = cube.nodes();
  const auto& codes = indicators::FundMeasureCodes();
  std::map<std::string, std::vector<double>, std::less<>> sums;
  for (const auto& code : codes) sums[code].assign(nodes.size(), 0);
  auto add = [&](std::string_view code, const std::string& region, double value) {
    auto node = cube.Find(region);
    if (!node) return;
    std::vector<double>& column = sums.find(code)->second;
    for (int32_t i = *node; i >= 0; i = nodes[static_cast<size_t>(i)].parent) {
      column[static_cast<size_t>(i)] += value;
    }
  };

  BatchQuery batches;
  batches.scope = {""};
  batches.year = year;
  batches.limit = 0;
  auto page = funds_.ListBatches(batches);
  if (!page) return std::unexpected(page.error());
  std::map<int64_t, std::string> batch_region;
  for (const auto& b : page->items) {
    if (b.issued_on > day) continue;
    batch_region[b.id] = b.region_code;
    add(indicators::kFundIssued, b.region_code, static_cast<double>(b.amount_fen) / 100);
  }
  AllocationQuery allocations;
  allocations.scope = {""};
  allocations.year = year;
  auto allocated = funds_.Allocations(allocations);
  if (!allocated) return std::unexpected(allocated.error());
  std::map<int64_t, std::string> allocation_region;  // counted allocation → project region
  for (const auto& a : *allocated) {
    auto batch = batch_region.find(a.batch_id);
    if (batch == batch_region.end() || a.allocated_on > day) continue;
    allocation_region[a.id] = a.project_region;
    const double yuan = static_cast<double>(a.amount_fen) / 100;
    add(indicators::kFundAllocated, batch->second, yuan);
    add(indicators::kFundReceived, a.project_region, yuan);
  }
  PaymentQuery payments;
  payments.scope = {""};
  payments.year = year;
  payments.include_voided = false;
  auto paid = funds_.Payments(payments);
  if (!paid) return std::unexpected(paid.error());
  std::vector<const Payment*> counted;
  std::set<int64_t> projects;
  for (const auto& p : *paid) {
    if (p.paid_on > day || !allocation_region.contains(p.allocation_id)) continue;
    counted.push_back(&p);
    projects.insert(p.project_id);
  }
  // The payment rules on D, over each project's records up to D.
  std::set<int64_t> flagged;
  for (int64_t id : projects) {
    auto detail = projects_.FindDetail(id, {""});
    if (!detail) return std::unexpected(detail.error());
    if (!*detail) continue;
    auto records = funds_.Records(**detail);
    if (!records) return std::unexpected(records.error());
    std::erase_if(records->payments, [&](const Payment& p) { return p.paid_on > day; });
    std::erase_if(records->allocations, [&](const Allocation& a) { return a.allocated_on > day; });
    const EarnedValue value = ComputeEarnedValue(*records, day);
    for (int64_t p : NonCompliantPayments(DetectAlerts(*records, value, day))) flagged.insert(p);
  }
  for (const Payment* p : counted) {
    const std::string& region = allocation_region.at(p->allocation_id);
    add(indicators::kFundPaid, region, static_cast<double>(p->amount_fen) / 100);
    add(indicators::kFundPayments, region, 1);
    if (!flagged.contains(p->id)) add(indicators::kFundPaymentsCompliant, region, 1);
  }

  auto table = std::make_shared<indicators::MeasureTable>();
  for (const auto& code : codes) {
    std::vector<std::optional<double>> column;
    column.reserve(nodes.size());
    for (double v : sums[code]) column.emplace_back(v);
    (*table)[code] = std::move(column);
  }
  return std::shared_ptr<const indicators::MeasureTable>(std::move(table));
}

}  // namespace fupin::funds
