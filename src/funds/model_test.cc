#include "funds/model.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace fupin::funds {
namespace {

FundBatch Batch() {
  FundBatch b;
  b.id = 3;
  b.source = "central_special";
  b.document_number = "甘财农〔2024〕12号";
  b.title = "2024年中央财政衔接推进乡村振兴补助资金";
  b.year = 2024;
  b.level = "central";
  b.region_code = "990121000000";
  b.issued_on = {2024, 2, 1};
  b.amount_fen = 10'000'000;
  return b;
}

Allocation Alloc() {
  Allocation a;
  a.id = 5;
  a.batch_id = 3;
  a.project_id = 9;
  a.allocated_on = {2024, 2, 10};
  a.amount_fen = 6'000'000;
  a.purposes = {{"infrastructure", 3'600'000}, {"training", 1'800'000}, {"marketing", 600'000}};
  return a;
}

const ErrorDetail* Find(const std::vector<ErrorDetail>& problems, const std::string& column) {
  auto it = std::find_if(problems.begin(), problems.end(),
                         [&](const ErrorDetail& d) { return d.column == column; });
  return it == problems.end() ? nullptr : &*it;
}

TEST(FundModel, AValidBatchAllocationAndPayment) {
  EXPECT_TRUE(ValidateBatch(Batch()).empty());
  EXPECT_TRUE(ValidateAllocation(Alloc(), Batch(), 10'000'000).empty());
  Payment p;
  p.payee = "某建材公司";
  p.purpose = "infrastructure";
  p.voucher_number = "记-2024-031";
  p.paid_on = {2024, 3, 1};
  p.amount_fen = 6'000'000;
  EXPECT_TRUE(ValidatePayment(p, Alloc(), {2024, 3, 1}).empty());
}

TEST(FundModel, BatchProblemsNameTheirFields) {
  FundBatch b = Batch();
  b.source = "lottery";
  b.document_number = "";
  b.amount_fen = 0;
  b.issued_on = {2023, 12, 31};
  const auto problems = ValidateBatch(b);
  ASSERT_NE(Find(problems, "source"), nullptr);
  EXPECT_NE(Find(problems, "source")->reason.find("central_special"), std::string::npos);
  EXPECT_NE(Find(problems, "document_number"), nullptr);
  EXPECT_NE(Find(problems, "amount_fen"), nullptr);
  EXPECT_NE(Find(problems, "issued_on"), nullptr);
  // Not below what is already allocated.
  const auto below = ValidateBatch(Batch(), 10'000'001);
  ASSERT_NE(Find(below, "amount_fen"), nullptr);
  EXPECT_NE(Find(below, "amount_fen")->reason.find("100000.01"), std::string::npos);
}

TEST(FundModel, AnAllocationNeverExceedsWhatIsLeftOfTheBatch) {
  // 100,000 yuan batch, 50,000 already allocated elsewhere: 50,000 left; 60,000 asked.
  const auto problems = ValidateAllocation(Alloc(), Batch(), 5'000'000);
  const auto* p = Find(problems, "amount_fen");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->reason,
            "exceeds what is left of batch 3: 60000.00 yuan asked, batch 100000.00 yuan, already "
            "allocated 50000.00 yuan, left 50000.00 yuan");
  // Exactly what is left is fine.
  EXPECT_TRUE(ValidateAllocation(Alloc(), Batch(), 6'000'000).empty());
  // Not below what was paid from it.
  EXPECT_NE(Find(ValidateAllocation(Alloc(), Batch(), 6'000'000, 6'000'001), "amount_fen"),
            nullptr);
}

TEST(FundModel, PurposesAddUpToTheAllocation) {
  Allocation a = Alloc();
  a.purposes[2].amount_fen = 599'999;
  const auto unbalanced = ValidateAllocation(a, Batch(), 10'000'000);
  const auto* p = Find(unbalanced, "purposes");
  ASSERT_NE(p, nullptr);
  EXPECT_NE(p->reason.find("59999.99"), std::string::npos);
  a = Alloc();
  a.purposes[1].purpose = "infrastructure";
  a.purposes[2].purpose = "holidays";
  const auto problems = ValidateAllocation(a, Batch(), 10'000'000);
  EXPECT_NE(Find(problems, "purposes[1].purpose"), nullptr);
  EXPECT_NE(Find(problems, "purposes[2].purpose"), nullptr);
  a = Alloc();
  a.allocated_on = {2024, 1, 31};
  EXPECT_NE(Find(ValidateAllocation(a, Batch(), 10'000'000), "allocated_on"), nullptr);
}

TEST(FundModel, APaymentNeverExceedsWhatIsLeftOfTheAllocation) {
  Allocation a = Alloc();
  a.paid_fen = 5'000'000;
  Payment p;
  p.payee = "某建材公司";
  p.purpose = "infrastructure";
  p.voucher_number = "记-2024-031";
  p.paid_on = {2024, 3, 1};
  p.amount_fen = 1'000'000;
  EXPECT_TRUE(ValidatePayment(p, a, {2024, 3, 1}).empty());
  p.amount_fen = 1'000'001;
  const auto too_much = ValidatePayment(p, a, {2024, 3, 1});
  const auto* over = Find(too_much, "amount_fen");
  ASSERT_NE(over, nullptr);
  EXPECT_EQ(over->reason,
            "exceeds what is left of allocation 5: 10000.01 yuan asked, allocated 60000.00 yuan, "
            "paid 50000.00 yuan, left 10000.00 yuan");
  p.amount_fen = 100;
  EXPECT_NE(Find(ValidatePayment(p, a, {2024, 2, 28}), "paid_on"), nullptr);  // future
  p.paid_on = {2024, 2, 9};
  EXPECT_NE(Find(ValidatePayment(p, a, {2024, 3, 1}), "paid_on"), nullptr);  // before allocation
  p.paid_on = {2024, 3, 1};
  p.purpose = "";
  p.voucher_number = "";
  p.payee = "";
  const auto problems = ValidatePayment(p, a, {2024, 3, 1});
  EXPECT_NE(Find(problems, "purpose"), nullptr);
  EXPECT_NE(Find(problems, "voucher_number"), nullptr);
  EXPECT_NE(Find(problems, "payee"), nullptr);
}

}  // namespace
}  // namespace fupin::funds
