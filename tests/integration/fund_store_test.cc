// Funds against the real stores of each backend: a batch allocated to projects and paid from,
// the limits refused with their figures and nothing written, concurrent payments that cannot
// overrun an allocation, voiding, scopes, and the monitoring (earned value, alerts, usage
// rates, the flow of funds) over what was stored.
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "contract_fixture.h"
#include "funds/fund_service.h"
#include "projects/project_service.h"

namespace fupin::storage {
namespace {

using funds::Allocation;
using funds::FundBatch;
using funds::Payment;
using projects::Decision;
using projects::Project;
using projects::ProjectProfile;

const std::vector<std::string> kEverywhere = {""};
const std::vector<std::string> kCountyScope = {"620623000000"};
const std::vector<std::string> kTownshipScope = {"620623100000"};
funds::BatchQuery BatchesIn(std::vector<std::string> scope) {
  funds::BatchQuery q;
  q.scope = std::move(scope);
  return q;
}

funds::AllocationQuery AllocationsIn(std::vector<std::string> scope, int64_t batch_id = 0) {
  funds::AllocationQuery q;
  q.scope = std::move(scope);
  q.batch_id = batch_id;
  return q;
}

const audit::Actor kCounty{"县财政局", 13, "10.0.0.3"};
const audit::Actor kTownship{"乡镇财政所", 12, "10.0.0.2"};

class FundStoreTest : public ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    if (HasFatalFailure()) return;
    SeedSmallTree();
    projects_ = std::make_unique<projects::ProjectService>(db_->Projects(), db_->Regions(), clock_);
    funds_ =
        std::make_unique<funds::FundService>(db_->Funds(), db_->Projects(), db_->Regions(), clock_);
  }

  ProjectProfile Profile(std::string name, std::string region) {
    ProjectProfile p;
    p.name = std::move(name);
    p.type = "industry";
    p.region_code = std::move(region);
    p.implementing_unit = "村股份经济合作社";
    p.person_in_charge = "李村长";
    p.mechanism = "资产收益分红到户";
    p.budget_fen = 100'000'000;  // 1,000,000 yuan
    p.start_on = {2024, 3, 1};
    p.end_on = {2024, 12, 31};
    p.targets = {{"", "output_quantity", "新建温室", "座", ">=", 10},
                 {"", "benefit_economic", "户均增收", "元", ">=", 2000},
                 {"", "satisfaction", "满意度", "%", ">=", 90}};
    p.milestones = {{"", "建设", {2024, 6, 30}, 50}, {"", "竣工", {2024, 12, 31}, 50}};
    return p;
  }

  Project Step(const Project& p, std::string action, Date on) {
    Decision d;
    d.action = std::move(action);
    d.revision = p.revision;
    d.on = on;
    auto done = projects_->Decide(kEverywhere, p.id, d, kCounty);
    EXPECT_TRUE(done) << done.error().message;
    return done ? *done : p;
  }

  // A project approved on 2024-03-05 and started on 2024-03-10.
  Project Running(std::string name, std::string region = "620623100201") {
    auto proposed = projects_->Propose(kEverywhere, Profile(std::move(name), std::move(region)),
                                       kCounty, Date{2024, 3, 1});
    EXPECT_TRUE(proposed) << proposed.error().message;
    Project p = Step(*proposed, "review", {2024, 3, 3});
    p = Step(p, "approve", {2024, 3, 5});
    return Step(p, "start", {2024, 3, 10});
  }

  FundBatch Batch(int64_t amount_fen, std::string document = "甘财农〔2024〕12号") {
    FundBatch b;
    b.source = "central_special";
    b.document_number = std::move(document);
    b.title = "2024年中央财政衔接推进乡村振兴补助资金";
    b.year = 2024;
    b.level = "central";
    b.region_code = "620623000000";
    b.issued_on = {2024, 2, 15};
    b.amount_fen = amount_fen;
    auto saved = funds_->SaveBatch(kCountyScope, b, kCounty);
    EXPECT_TRUE(saved) << saved.error().message;
    return saved ? *saved : b;
  }

  Result<Allocation> Allocate(const FundBatch& b, const Project& p, int64_t amount_fen,
                              std::vector<funds::PurposeShare> shares = {}) {
    Allocation a;
    a.batch_id = b.id;
    a.project_id = p.id;
    a.allocated_on = {2024, 3, 1};
    a.amount_fen = amount_fen;
    a.purposes = shares.empty() ? std::vector<funds::PurposeShare>{{"infrastructure", amount_fen}}
                                : std::move(shares);
    return funds_->Allocate(kCountyScope, a, kCounty);
  }

  Result<Payment> Pay(const Allocation& a, int64_t amount_fen, Date on,
                      std::string payee = "天祝县建筑公司",
                      std::string purpose = "infrastructure") {
    Payment p;
    p.allocation_id = a.id;
    p.paid_on = on;
    p.payee = std::move(payee);
    p.amount_fen = amount_fen;
    p.purpose = std::move(purpose);
    p.voucher_number = fmt::format("记-{}", amount_fen);
    return funds_->Pay(kTownshipScope, p, kTownship);
  }

  ManualClock clock_{std::chrono::sys_days{std::chrono::year{2024} / 12 / 20} +
                     std::chrono::hours(4)};
  std::unique_ptr<projects::ProjectService> projects_;
  std::unique_ptr<funds::FundService> funds_;
};

TEST_F(FundStoreTest, AllocationsAndPaymentsKeepTheirRunningTotalsWithinTheLimits) {
  FundBatch batch = Batch(100'000'000);
  Project greenhouses = Running("温室项目");
  Project roads = Running("产业路项目", "620623101201");
  auto first = Allocate(batch, greenhouses, 60'000'000,
                        {{"infrastructure", 40'000'000}, {"training", 20'000'000}});
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->purposes.size(), 2u);
  EXPECT_EQ(first->project_name, "温室项目");
  // What is left of the batch is 400,000 yuan: 400,000.01 is refused with the figures.
  auto over = Allocate(batch, roads, 40'000'001);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(over.error().details.at(0).column, "amount_fen");
  EXPECT_NE(over.error().details.at(0).reason.find("400000.00"), std::string::npos)
      << over.error().details.at(0).reason;
  auto second = Allocate(batch, roads, 40'000'000);
  ASSERT_TRUE(second) << second.error().message;
  auto stored = funds_->Batch(kEverywhere, batch.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->allocated_fen, 100'000'000);
  // The batch's amount cannot fall below what is allocated.
  FundBatch smaller = *stored;
  smaller.amount_fen = 90'000'000;
  auto refused = funds_->SaveBatch(kCountyScope, smaller, kCounty);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().details.at(0).column, "amount_fen");

  // Payments: within the allocation, the exceeding one refused and not recorded.
  ASSERT_TRUE(Pay(*first, 30'000'000, {2024, 4, 1}));
  auto too_much = Pay(*first, 30'000'001, {2024, 5, 1});
  ASSERT_FALSE(too_much);
  EXPECT_EQ(too_much.error().details.at(0).column, "amount_fen");
  EXPECT_NE(too_much.error().details.at(0).reason.find("300000.00"), std::string::npos)
      << too_much.error().details.at(0).reason;
  auto last = Pay(*first, 30'000'000, {2024, 5, 1}, "天祝县建筑公司", "training");
  ASSERT_TRUE(last) << last.error().message;
  auto allocation = funds_->FindAllocation(kEverywhere, first->id);
  ASSERT_TRUE(allocation);
  EXPECT_EQ(allocation->paid_fen, 60'000'000);
  funds::PaymentQuery all;
  all.scope = kEverywhere;
  all.allocation_id = first->id;
  auto listed = funds_->Payments(all);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->size(), 2u);

  // Voiding frees the amount; voiding twice is refused; a reason is required.
  auto unexplained = funds_->Void(kTownshipScope, last->id, "  ", kTownship);
  ASSERT_FALSE(unexplained);
  EXPECT_EQ(unexplained.error().details.at(0).column, "reason");
  auto voided = funds_->Void(kTownshipScope, last->id, "凭证号录错", kTownship);
  ASSERT_TRUE(voided) << voided.error().message;
  EXPECT_TRUE(voided->voided);
  EXPECT_EQ(voided->void_reason, "凭证号录错");
  auto again = funds_->Void(kTownshipScope, last->id, "再次", kTownship);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
  allocation = funds_->FindAllocation(kEverywhere, first->id);
  EXPECT_EQ(allocation->paid_fen, 30'000'000);

  // Revising an allocation: not below what is paid; within the batch.
  Allocation revised = *allocation;
  revised.amount_fen = 29'999'999;
  revised.purposes = {{"infrastructure", 29'999'999}};
  auto below_paid = funds_->ReviseAllocation(kCountyScope, revised, kCounty);
  ASSERT_FALSE(below_paid);
  EXPECT_EQ(below_paid.error().details.at(0).column, "amount_fen");
  revised.amount_fen = 50'000'000;
  revised.purposes = {{"infrastructure", 50'000'000}};
  auto shrunk = funds_->ReviseAllocation(kCountyScope, revised, kCounty);
  ASSERT_TRUE(shrunk) << shrunk.error().message;
  EXPECT_EQ(shrunk->version, 2);
  stored = funds_->Batch(kEverywhere, batch.id);
  EXPECT_EQ(stored->allocated_fen, 90'000'000);
  // A stale version conflicts.
  auto stale = funds_->ReviseAllocation(kCountyScope, revised, kCounty);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);

  // An allocation with payments stays; one without goes and frees the batch.
  auto kept = funds_->DeleteAllocation(kCountyScope, first->id, shrunk->version, kCounty);
  ASSERT_FALSE(kept);
  EXPECT_EQ(kept.error().code, ErrorCode::kFailedPrecondition);
  auto gone = funds_->DeleteAllocation(kCountyScope, second->id, second->version, kCounty);
  ASSERT_TRUE(gone) << gone.error().message;
  stored = funds_->Batch(kEverywhere, batch.id);
  EXPECT_EQ(stored->allocated_fen, 50'000'000);

  // Every write is audited.
  audit::Query q;
  q.scope = kEverywhere;
  q.entity = "fund_payment";
  q.limit = 100;
  auto entries = db_->Audit().List(q);
  ASSERT_TRUE(entries);
  EXPECT_EQ(entries->total, 3);  // two payments, one void
}

TEST_F(FundStoreTest, ConcurrentPaymentsCannotOverrunAnAllocation) {
  FundBatch batch = Batch(10'000'000);
  Project p = Running("温室项目");
  auto a = Allocate(batch, p, 10'000'000);
  ASSERT_TRUE(a) << a.error().message;
  std::atomic<int> accepted{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      auto paid = Pay(*a, 3'000'000, {2024, 4, 1 + i}, fmt::format("收款方{}", i));
      if (paid) {
        ++accepted;
      } else {
        EXPECT_EQ(paid.error().code, ErrorCode::kInvalidArgument) << paid.error().message;
        ++refused;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 3);
  EXPECT_EQ(refused.load(), 3);
  auto after = funds_->FindAllocation(kEverywhere, a->id);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->paid_fen, 9'000'000);
}

TEST_F(FundStoreTest, BadBatchesAndAllocationsAreRefusedWithTheirFields) {
  FundBatch batch = Batch(10'000'000);
  // The same document number twice in one region.
  FundBatch twin = batch;
  twin.id = 0;
  auto duplicate = funds_->SaveBatch(kCountyScope, twin, kCounty);
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(duplicate.error().details.at(0).column, "document_number");
  // A township may not hold a batch; a county outside the scope may not be written.
  twin.document_number = "甘财农〔2024〕13号";
  twin.region_code = "620623100000";
  auto township = funds_->SaveBatch(kEverywhere, twin, kCounty);
  ASSERT_FALSE(township);
  EXPECT_EQ(township.error().details.at(0).column, "region");
  twin.region_code = "620623000000";
  auto outside = funds_->SaveBatch({"620600000000"}, twin, kCounty);
  ASSERT_TRUE(outside) << outside.error().message;
  twin.document_number = "甘财农〔2024〕14号";
  auto denied = funds_->SaveBatch(kTownshipScope, twin, kCounty);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied);
  // A batch issued above the writer's regions is seen, not rewritten nor moved into them.
  FundBatch moved = batch;
  moved.region_code = "620623000000";
  auto hijacked = funds_->SaveBatch({"620623101000"}, moved, kCounty);
  ASSERT_FALSE(hijacked);
  EXPECT_EQ(hijacked.error().code, ErrorCode::kPermissionDenied);

  // A rejected project, a project outside the batch's region, purposes not adding up.
  auto proposed = projects_->Propose(kEverywhere, Profile("被否决项目", "620623100202"), kCounty,
                                     Date{2024, 3, 1});
  ASSERT_TRUE(proposed);
  Decision reject;
  reject.action = "review_reject";
  reject.revision = proposed->revision;
  reject.reason = "不符合入库条件";
  auto rejected = projects_->Decide(kEverywhere, proposed->id, reject, kCounty);
  ASSERT_TRUE(rejected) << rejected.error().message;
  auto to_rejected = Allocate(batch, *rejected, 1'000'000);
  ASSERT_FALSE(to_rejected);
  EXPECT_EQ(to_rejected.error().details.at(0).column, "project_id");
  Project p = Running("温室项目");
  auto uneven = Allocate(batch, p, 1'000'000, {{"infrastructure", 600'000}, {"training", 300'000}});
  ASSERT_FALSE(uneven);
  auto listed = funds_->Allocations(AllocationsIn(kEverywhere, batch.id));
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
  auto stored = funds_->Batch(kEverywhere, batch.id);
  EXPECT_EQ(stored->allocated_fen, 0);
}

TEST_F(FundStoreTest, ScopesFollowTheBatchRegionAndTheProjectRegion) {
  FundBatch batch = Batch(10'000'000);
  Project near = Running("华藏寺镇项目");
  Project far = Running("打柴沟镇项目", "620623101201");
  ASSERT_TRUE(Allocate(batch, near, 5'000'000));
  auto other = Allocate(batch, far, 5'000'000);
  ASSERT_TRUE(other);
  // The township sees the county's batch (it receives the money) and the allocations to its
  // own projects only; it may not allocate from the batch.
  auto batches = funds_->ListBatches(BatchesIn(kTownshipScope));
  ASSERT_TRUE(batches);
  EXPECT_EQ(batches->total, 1);
  auto other_county = funds_->ListBatches(BatchesIn({"620600000000"}));
  ASSERT_TRUE(other_county);
  EXPECT_EQ(other_county->total, 1);  // the city sees its county's batch
  auto elsewhere_batches = funds_->ListBatches(BatchesIn({"620623101000"}));
  ASSERT_TRUE(elsewhere_batches);
  EXPECT_EQ(elsewhere_batches->total, 1);
  auto another_county = funds_->ListBatches(BatchesIn({"620702000000"}));
  ASSERT_TRUE(another_county);
  EXPECT_EQ(another_county->total, 0);
  Allocation by_township;
  by_township.batch_id = batch.id;
  by_township.project_id = near.id;
  by_township.allocated_on = {2024, 3, 1};
  by_township.amount_fen = 1'000;
  by_township.purposes = {{"infrastructure", 1'000}};
  auto refused = funds_->Allocate(kTownshipScope, by_township, kTownship);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  auto allocations = funds_->Allocations(AllocationsIn(kTownshipScope));
  ASSERT_TRUE(allocations);
  ASSERT_EQ(allocations->size(), 1u);
  EXPECT_EQ(allocations->front().project_name, "华藏寺镇项目");
  // Paying from another township's allocation: not found.
  auto elsewhere = Pay(*other, 1'000, {2024, 4, 1});
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kNotFound);
  auto county = funds_->ListBatches(BatchesIn(kCountyScope));
  ASSERT_TRUE(county);
  EXPECT_EQ(county->total, 1);
  EXPECT_EQ(county->amount_fen, 10'000'000);
  EXPECT_EQ(county->allocated_fen, 10'000'000);
  // An allocated batch stays in its region.
  FundBatch moved = county->items.front();
  moved.region_code = "620600000000";
  auto stays = funds_->SaveBatch(kEverywhere, moved, kCounty);
  ASSERT_FALSE(stays);
  EXPECT_EQ(stays.error().details.at(0).column, "region");
}

TEST_F(FundStoreTest, MonitoringComputesEarnedValueAlertsAndUsageFromWhatWasStored) {
  FundBatch batch = Batch(200'000'000);
  Project running = Running("温室项目");
  // Never approved: its payment is one before approval.
  auto proposed = projects_->Propose(kEverywhere, Profile("待审项目", "620623100202"), kCounty,
                                     Date{2024, 3, 1});
  ASSERT_TRUE(proposed);
  auto a = Allocate(batch, running, 80'000'000,
                    {{"infrastructure", 60'000'000}, {"training", 20'000'000}});
  ASSERT_TRUE(a) << a.error().message;
  auto b = Allocate(batch, *proposed, 10'000'000);
  ASSERT_TRUE(b) << b.error().message;
  ASSERT_TRUE(Pay(*a, 20'000'000, {2024, 4, 1}));
  // A purpose not in the allocation.
  ASSERT_TRUE(Pay(*a, 5'000'000, {2024, 5, 1}, "天祝县广告公司", "marketing"));
  ASSERT_TRUE(Pay(*b, 1'000'000, {2024, 4, 2}, "材料商"));

  // The running project on 2024-12-20: PV = 50 % + 50 % × (173/184), EV from its milestones
  // (none completed) = 0, AC = 250,000 yuan.
  auto execution = funds_->Execution(kEverywhere, running.id, Date{2024, 12, 20});
  ASSERT_TRUE(execution) << execution.error().message;
  EXPECT_EQ(execution->value.ac_fen, 25'000'000);
  EXPECT_EQ(execution->value.ev_fen, 0);
  EXPECT_EQ(execution->value.pv_fen, 50'000'000 + 47'010'870);  // 50,000,000 × 173/184
  EXPECT_EQ(execution->allocated_fen, 80'000'000);
  EXPECT_EQ(execution->paid_fen, 25'000'000);
  std::vector<std::string> rules;
  for (const auto& alert : execution->alerts) rules.push_back(alert.rule);
  EXPECT_EQ(rules,
            (std::vector<std::string>{"behind_schedule", "purpose_not_allocated", "idle_funds"}));

  auto monitoring = funds_->Monitor(kCountyScope, "620623000000", 2024, Date{2024, 12, 20});
  ASSERT_TRUE(monitoring) << monitoring.error().message;
  EXPECT_EQ(monitoring->projects.size(), 2u);  // the running one, and the funded proposal
  EXPECT_EQ(monitoring->usage.issued_fen, 200'000'000);
  EXPECT_EQ(monitoring->usage.allocated_fen, 90'000'000);
  EXPECT_EQ(monitoring->usage.received_fen, 90'000'000);
  EXPECT_EQ(monitoring->usage.paid_fen, 26'000'000);
  EXPECT_EQ(monitoring->usage.payments, 3);
  EXPECT_EQ(monitoring->usage.non_compliant, 2);
  ASSERT_TRUE(monitoring->usage.allocation_rate);
  EXPECT_DOUBLE_EQ(*monitoring->usage.allocation_rate, 0.45);
  EXPECT_DOUBLE_EQ(*monitoring->usage.payment_rate, 26.0 / 90.0);
  EXPECT_DOUBLE_EQ(*monitoring->usage.compliance_rate, 1.0 / 3.0);
  EXPECT_EQ(monitoring->total.ac_fen, 26'000'000);
  ASSERT_FALSE(monitoring->alerts.empty());
  EXPECT_EQ(monitoring->alerts.front().rule, "behind_schedule");

  // The flow: source → batch → projects (and what is unallocated) → purposes.
  auto flow = funds_->Flow(kCountyScope, "620623000000", 2024);
  ASSERT_TRUE(flow) << flow.error().message;
  std::map<std::pair<std::string, std::string>, int64_t> links;
  for (const auto& l : flow->links) links[{l.source, l.target}] = l.value_fen;
  const std::string batch_node = fmt::format("batch:{}", batch.id);
  EXPECT_EQ((links[{"source:central_special", batch_node}]), 200'000'000);
  EXPECT_EQ((links[{batch_node, fmt::format("project:{}", running.id)}]), 80'000'000);
  EXPECT_EQ((links[{batch_node, "unallocated"}]), 110'000'000);
  EXPECT_EQ((links[{fmt::format("project:{}", running.id), "purpose:training"}]), 20'000'000);
  // A village sees the part of the county's batch that reached it, and nothing unallocated.
  auto village = funds_->Flow({"620623100201"}, "620623100201", 2024);
  ASSERT_TRUE(village) << village.error().message;
  links.clear();
  for (const auto& l : village->links) links[{l.source, l.target}] = l.value_fen;
  EXPECT_EQ((links[{"source:central_special", batch_node}]), 80'000'000);
  EXPECT_EQ((links[{batch_node, fmt::format("project:{}", running.id)}]), 80'000'000);
  EXPECT_FALSE(links.contains({batch_node, "unallocated"}));
}

TEST_F(FundStoreTest, NoticePostingsAreRecordedForSubjectsInScope) {
  FundBatch batch = Batch(10'000'000);
  funds::NoticePosting n;
  n.subject = "batch";
  n.subject_id = batch.id;
  n.posted_on = {2024, 3, 1};
  n.until_on = Date{2024, 3, 10};
  n.place = "县政府门户网站";
  auto posted = funds_->RecordPosting(kCountyScope, n, kCounty);
  ASSERT_TRUE(posted) << posted.error().message;
  EXPECT_EQ(posted->region_code, "620623000000");
  n.place = "";
  n.until_on = Date{2024, 2, 1};
  auto bad = funds_->RecordPosting(kCountyScope, n, kCounty);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().details.size(), 2u);
  n.place = "村务公开栏";
  auto hidden = funds_->RecordPosting({"620702000000"}, n, kCounty);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, ErrorCode::kNotFound);
  auto listed = funds_->Postings(kCountyScope, "batch", batch.id);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().place, "县政府门户网站");
}

}  // namespace
}  // namespace fupin::storage
