// Workshop subsidies against the real stores of each backend, through the subsidy service:
// rules stored with every version, an eligibility run naming the version it evaluated (at the
// "more than half a year" boundary), the review of its lines, and payments that never exceed a
// line's approved amount — exactly the approved amount is payable, one fen more is not, and a
// rejected line is not payable at all. Everything audited, nothing half-written.
#include <fmt/format.h>

#include <atomic>
#include <thread>

#include "access/model.h"
#include "contract_fixture.h"
#include "registry/id_number.h"
#include "workshops/subsidy.h"
#include "workshops/subsidy_service.h"
#include "workshops/workshop_service.h"

namespace fupin::storage {
namespace {

using workshops::Employment;
using workshops::SubsidyLine;
using workshops::SubsidyPayment;
using workshops::SubsidyRule;
using workshops::Workshop;

constexpr const char* kCounty = "620623000000";
const std::vector<std::string> kEverywhere = {""};

std::string Id(std::string_view birth, std::string_view sequence) {
  const std::string first17 = "620623" + std::string(birth) + std::string(sequence);
  return first17 + registry::IdNumberCheckCharacter(first17);
}

std::chrono::system_clock::time_point Instant(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days{std::chrono::year{y} / m / d} + std::chrono::hours(4);
}

class SubsidyStoreTest : public ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    if (HasFatalFailure()) return;
    SeedSmallTree();
    access::Organization org;
    org.name = "天祝县民族服饰有限公司";
    org.type = access::OrgType::kEnterprise;
    org.region_code = "620623100201";
    auto created = db_->Access().CreateOrganization(org, kActor);
    ASSERT_TRUE(created) << created.error().message;
    registry::HouseholdRecord h;
    h.household.number = "H1";
    h.household.region_code = "620623100201";
    h.household.attribute = "general";
    h.household.main_cause = "illness";
    registry::Member head;
    head.name = "张大山";
    head.relation = "head";
    head.id_number = Id("19720304", "031");
    registry::Member son;
    son.name = "张小军";
    son.relation = "child";
    son.id_number = Id("19900102", "053");
    h.members = {head, son};
    ASSERT_TRUE(registry::ValidateRecord(h, Date{2024, 6, 1}).empty());
    auto saved = db_->Registry().CreateHousehold(h, kActor);
    ASSERT_TRUE(saved) << saved.error().message;

    Workshop w;
    w.name = "华藏寺村民族服饰车间";
    w.operator_id = created->id;
    w.type = "factory";
    w.region_code = "620623100201";
    w.capacity_jobs = 30;
    w.recognitions = {{"recognized", {2019, 5, 1}, "县扶办〔2019〕12号"}};
    w.status_changes = {{"operating", {2019, 5, 1}, ""}};
    auto shop = db_->Workshops().SaveWorkshop(w, kActor);
    ASSERT_TRUE(shop) << shop.error().message;
    workshop_ = shop->id;
    // The son works 183 days of 2020 (more than half a year); his father exactly 182 (not).
    Employment e;
    e.workshop_id = workshop_;
    e.member_id = saved->members[1].id;
    e.category = "registered_poor";
    e.start = {2020, 1, 1};
    e.end = Date{2020, 7, 1};
    e.wage_form = "monthly";
    ASSERT_TRUE(db_->Workshops().SaveEmployment(e, kActor));
    e.member_id = saved->members[0].id;
    e.end = Date{2020, 6, 30};
    ASSERT_TRUE(db_->Workshops().SaveEmployment(e, kActor));
  }

  SubsidyRule Labour() { return workshops::RuleTemplates(kCounty, 2020, false).at(0); }

  ManualClock clock_{Instant(2021, 6, 30)};
  workshops::WorkshopService workshops_service() {
    return workshops::WorkshopService(db_->Workshops(), db_->Registry());
  }
  int64_t workshop_ = 0;
};

TEST_F(SubsidyStoreTest, RulesAreStoredWithEveryVersion) {
  auto& repo = db_->Subsidies();
  auto created = repo.SaveRule(Labour(), kActor);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->code, "labour-2020");
  ASSERT_EQ(created->conditions.size(), 1u);
  EXPECT_EQ(created->conditions[0].value, "182");
  EXPECT_EQ(created->amount_fen, 500000);
  EXPECT_FALSE(created->cap_fen);

  // Bands with an open top, and a cap, come back as stored.
  SubsidyRule banded = workshops::RuleTemplates(kCounty, 2020, false).at(1);
  banded.cap_fen = 8000000;
  auto recognition = repo.SaveRule(banded, kActor);
  ASSERT_TRUE(recognition) << recognition.error().message;
  ASSERT_EQ(recognition->bands.size(), 3u);
  EXPECT_EQ(recognition->bands[1].max, 19);
  EXPECT_FALSE(recognition->bands[2].max);
  EXPECT_EQ(recognition->bands[2].amount_fen, 10000000);
  EXPECT_EQ(recognition->cap_fen, 8000000);
  EXPECT_EQ(recognition->amount_fact, "poor_workers");

  // A taken code names the field.
  auto twice = repo.SaveRule(Labour(), kActor);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(twice.error().details.at(0).column, "code");

  // An edit is a new version; the old one stays readable; a stale edit is refused.
  SubsidyRule edited = *created;
  edited.amount_fen = 600000;
  edited.conditions.push_back({"contract", "=", "1"});
  auto v2 = repo.SaveRule(edited, kActor);
  ASSERT_TRUE(v2) << v2.error().message;
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->id, created->id);
  auto stale = repo.SaveRule(edited, kActor);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().current_version, 2);
  auto v1 = repo.FindRule(created->id, 1).value();
  ASSERT_TRUE(v1);
  EXPECT_EQ(v1->amount_fen, 500000);
  EXPECT_EQ(v1->conditions.size(), 1u);
  EXPECT_EQ(repo.FindRule(created->id, 0).value()->conditions.size(), 2u);
  EXPECT_EQ(repo.RuleVersions(created->id).value().size(), 2u);
  EXPECT_EQ(repo.FindRuleByCode("labour-2020").value()->version, 2);
  const auto all = repo.ListRules().value();
  ASSERT_EQ(all.size(), 2u);  // current versions only, by code
  EXPECT_EQ(all[0].code, "labour-2020");
  EXPECT_EQ(all[1].code, "recognition-2020");

  // Both saves and the edit are audited, with what changed.
  audit::Query q;
  q.scope = kEverywhere;
  q.entity = "subsidy_rule";
  q.entity_id = std::to_string(created->id);
  const auto entries = db_->Audit().List(q).value().items;
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, "update");
  bool amount_changed = false;
  for (const auto& c : entries[0].changes) {
    if (c.field == "amount_fen") {
      amount_changed = c.before == "500000" && c.after == "600000";
    }
  }
  EXPECT_TRUE(amount_changed);
}

TEST_F(SubsidyStoreTest, ServiceValidatesRulesAndKeepsThemInScope) {
  workshops::WorkshopService ws = workshops_service();
  workshops::SubsidyService service(db_->Subsidies(), ws, clock_);
  SubsidyRule bad = Labour();
  bad.conditions.push_back({"shoe_size", ">", "40"});
  bad.conditions.push_back({"category", ">", "registered_poor"});
  auto refused = service.SaveRule(bad, kEverywhere, kActor);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(refused.error().details.size(), 2u);
  EXPECT_EQ(refused.error().details[0].column, "conditions[2].fact");
  EXPECT_EQ(refused.error().details[1].column, "conditions[3].op");
  EXPECT_TRUE(db_->Subsidies().ListRules().value().empty());  // nothing stored

  // A township official may not set a county rule; the county one may.
  auto outside = service.SaveRule(Labour(), {"620623100000"}, kActor);
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, ErrorCode::kPermissionDenied);
  auto county = service.SaveRule(Labour(), {kCounty}, kActor);
  ASSERT_TRUE(county) << county.error().message;
  // The township sees the county's rule (it applies there), another county does not.
  EXPECT_EQ(service.Rules({"620623100000"}).value().size(), 1u);
  EXPECT_EQ(service.Rules({"620621000000"}).value().size(), 0u);
  EXPECT_EQ(service.Rule(county->id, 0, {"620621000000"}).error().code, ErrorCode::kNotFound);
  // Seen from the township, the county's rule may not be edited; from another county it is not
  // found at all.
  EXPECT_EQ(service.SaveRule(*county, {"620623100000"}, kActor).error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service.SaveRule(*county, {"620621000000"}, kActor).error().code, ErrorCode::kNotFound);
  // Its code does not change on edit.
  SubsidyRule renamed = *county;
  renamed.code = "labour-2020-b";
  EXPECT_EQ(service.SaveRule(renamed, {kCounty}, kActor).error().details.at(0).column, "code");
}

TEST_F(SubsidyStoreTest, RunReviewAndPayAtTheirBoundaries) {
  workshops::WorkshopService ws = workshops_service();
  workshops::SubsidyService service(db_->Subsidies(), ws, clock_);
  auto rule = service.SaveRule(Labour(), kEverywhere, kActor);
  ASSERT_TRUE(rule) << rule.error().message;

  auto run = service.Run(rule->id, kCounty, {2020, 1, 1}, {2020, 12, 31}, kEverywhere, kActor);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->rule_version, 1);
  EXPECT_EQ(run->rule_code, "labour-2020");
  EXPECT_EQ(run->units, 2);
  EXPECT_EQ(run->eligible, 1);
  EXPECT_EQ(run->total_fen, 500000);
  EXPECT_EQ(run->pending, 1);
  ASSERT_EQ(run->lines.size(), 2u);
  const SubsidyLine* yes = nullptr;
  const SubsidyLine* no = nullptr;
  for (const auto& l : run->lines) (l.qualifies ? yes : no) = &l;
  ASSERT_TRUE(yes && no);
  EXPECT_EQ(yes->member_name, "张小军");
  EXPECT_EQ(yes->workshop_name, "华藏寺村民族服饰车间");
  EXPECT_EQ(yes->explanation, "days_employed > 182: 183 ✓ → 5000.00");
  EXPECT_EQ(no->explanation, "days_employed > 182: 182 ✗ → not eligible");  // exactly half a year
  EXPECT_EQ(yes->decision, "pending");

  // A rule edit makes a new version; the old run still names the one it evaluated.
  SubsidyRule edited = *rule;
  edited.amount_fen = 600000;
  edited.name = "2020 年吸纳就业补贴（调整）";
  auto v2 = service.SaveRule(edited, kEverywhere, kActor);
  ASSERT_TRUE(v2) << v2.error().message;
  EXPECT_EQ(v2->version, 2);
  auto old_run = service.FindRun(run->id, kEverywhere);
  ASSERT_TRUE(old_run);
  EXPECT_EQ(old_run->rule_version, 1);
  EXPECT_EQ(old_run->rule_name, Labour().name);
  EXPECT_EQ(old_run->total_fen, 500000);
  auto new_run = service.Run(rule->id, kCounty, {2020, 1, 1}, {2020, 12, 31}, kEverywhere, kActor);
  ASSERT_TRUE(new_run);
  EXPECT_EQ(new_run->rule_version, 2);
  EXPECT_EQ(new_run->total_fen, 600000);
  EXPECT_EQ(service.Runs(kEverywhere).value().size(), 2u);
  EXPECT_EQ(service.FindRun(run->id, {"620623101000"}).error().code, ErrorCode::kNotFound);

  // Approving a line that does not qualify fails the whole review, naming it.
  auto mixed = service.Review(run->id, {yes->id, no->id}, "approved", "", kEverywhere, kActor);
  ASSERT_FALSE(mixed);
  ASSERT_EQ(mixed.error().details.size(), 1u);
  EXPECT_EQ(mixed.error().details[0].column, "lines[2]");
  EXPECT_EQ(service.FindRun(run->id, kEverywhere)->pending, 1);  // nothing written
  // A line of another run is not this run's.
  auto foreign =
      service.Review(run->id, {new_run->lines[0].id}, "approved", "", kEverywhere, kActor);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().details.at(0).column, "lines[1]");
  // A rejection needs its reason.
  auto bare = service.Review(run->id, {no->id}, "rejected", "", kEverywhere, kActor);
  ASSERT_FALSE(bare);
  EXPECT_EQ(bare.error().details.at(0).column, "reason");

  auto approved = service.Review(run->id, {yes->id}, "approved", "", kEverywhere, kActor);
  ASSERT_TRUE(approved) << approved.error().message;
  ASSERT_EQ(approved->size(), 1u);
  EXPECT_EQ((*approved)[0].decision, "approved");
  EXPECT_EQ((*approved)[0].approved_fen, 500000);
  EXPECT_EQ((*approved)[0].reviewed_by, kActor.name);
  auto rejected = service.Review(run->id, {no->id}, "rejected", "不足半年", kEverywhere, kActor);
  ASSERT_TRUE(rejected) << rejected.error().message;
  EXPECT_EQ((*rejected)[0].reason, "不足半年");
  EXPECT_EQ((*rejected)[0].approved_fen, 0);

  SubsidyPayment p;
  p.line_id = no->id;
  p.paid_on = {2021, 3, 15};
  p.amount_fen = 1;
  p.voucher = "记-2021-0315";
  p.payee = "天祝县民族服饰有限公司";
  // A rejected line is not payable.
  auto not_payable = service.Pay(p, kEverywhere, kActor);
  ASSERT_FALSE(not_payable);
  EXPECT_EQ(not_payable.error().details.at(0).column, "line_id");
  // A pending line neither.
  p.line_id = new_run->lines[0].qualifies ? new_run->lines[0].id : new_run->lines[1].id;
  EXPECT_EQ(service.Pay(p, kEverywhere, kActor).error().details.at(0).column, "line_id");

  p.line_id = yes->id;
  p.amount_fen = 300000;
  auto first = service.Pay(p, kEverywhere, kActor);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->rule_code, "labour-2020");
  EXPECT_EQ(first->rule_version, 1);
  EXPECT_EQ(first->workshop_id, workshop_);
  EXPECT_EQ(first->member_name, "张小军");
  // One fen more than is left: refused with the figures.
  p.amount_fen = 200001;
  p.paid_on = {2021, 6, 1};
  auto over = service.Pay(p, kEverywhere, kActor);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(over.error().details.size(), 1u);
  EXPECT_EQ(over.error().details[0].column, "amount_fen");
  EXPECT_EQ(over.error().details[0].reason,
            "exceeds what is left to pay: approved 5000.00, paid 3000.00, left 2000.00 (yuan)");
  // Exactly what is left: paid in full.
  p.amount_fen = 200000;
  auto rest = service.Pay(p, kEverywhere, kActor);
  ASSERT_TRUE(rest) << rest.error().message;
  p.amount_fen = 1;
  EXPECT_EQ(service.Pay(p, kEverywhere, kActor).error().details.at(0).column, "amount_fen");
  // Outside the payer's regions the line is not found; bad payments name their fields.
  EXPECT_EQ(service.Pay(p, {"620623101000"}, kActor).error().code, ErrorCode::kNotFound);
  SubsidyPayment empty;
  empty.line_id = yes->id;
  empty.paid_on = {2021, 7, 1};  // after the clock's today
  auto incomplete = service.Pay(empty, kEverywhere, kActor);
  ASSERT_FALSE(incomplete);
  EXPECT_EQ(incomplete.error().details.size(), 4u);  // amount, day, voucher, payee

  // A paid line's decision stands.
  auto undo = service.Review(run->id, {yes->id}, "rejected", "重审", kEverywhere, kActor);
  ASSERT_FALSE(undo);
  EXPECT_EQ(undo.error().details.at(0).column, "lines[1]");

  const auto paid_run = service.FindRun(run->id, kEverywhere).value();
  EXPECT_EQ(paid_run.approved_fen, 500000);
  EXPECT_EQ(paid_run.paid_fen, 500000);
  EXPECT_EQ(paid_run.pending, 0);

  // The ledger and its totals.
  workshops::PaymentQuery q;
  q.scope = kEverywhere;
  auto ledger = service.LedgerOf(q);
  ASSERT_TRUE(ledger) << ledger.error().message;
  ASSERT_EQ(ledger->payments.size(), 2u);
  EXPECT_EQ(ledger->payments[0].paid_on, (Date{2021, 3, 15}));
  EXPECT_EQ(ledger->total_fen, 500000);
  ASSERT_EQ(ledger->by_rule.size(), 1u);
  EXPECT_EQ(ledger->by_rule[0].key, "labour-2020");
  EXPECT_EQ(ledger->by_rule[0].payments, 2);
  ASSERT_EQ(ledger->by_workshop.size(), 1u);
  EXPECT_EQ(ledger->by_workshop[0].amount_fen, 500000);
  ASSERT_EQ(ledger->by_year.size(), 1u);
  EXPECT_EQ(ledger->by_year[0].key, "2021");
  q.year = 2020;
  EXPECT_TRUE(service.LedgerOf(q)->payments.empty());
  q.year = 0;
  q.scope = {"620623101000"};
  EXPECT_TRUE(service.LedgerOf(q)->payments.empty());

  // Audited: the run, each decision, each payment.
  audit::Query a;
  a.scope = kEverywhere;
  a.entity = "subsidy_payment";
  EXPECT_EQ(db_->Audit().List(a).value().items.size(), 2u);
  a.entity = "subsidy_line";
  EXPECT_EQ(db_->Audit().List(a).value().items.size(), 2u);
  a.entity = "subsidy_run";
  EXPECT_EQ(db_->Audit().List(a).value().items.size(), 2u);
  EXPECT_TRUE(db_->Audit().Verify(std::nullopt).value().ok);
}

// Payments made at the same moment cannot together exceed the approved amount: the check and
// the addition are one statement.
TEST_F(SubsidyStoreTest, ConcurrentPaymentsNeverOverrunALine) {
  workshops::WorkshopService ws = workshops_service();
  workshops::SubsidyService service(db_->Subsidies(), ws, clock_);
  auto rule = service.SaveRule(Labour(), kEverywhere, kActor);
  ASSERT_TRUE(rule);
  auto run = service.Run(rule->id, kCounty, {2020, 1, 1}, {2020, 12, 31}, kEverywhere, kActor);
  ASSERT_TRUE(run);
  int64_t line = 0;
  for (const auto& l : run->lines) {
    if (l.qualifies) line = l.id;
  }
  ASSERT_TRUE(service.Review(run->id, {line}, "approved", "", kEverywhere, kActor));
  constexpr int kThreads = 8;  // 8 × 1,000 yuan against 5,000 approved
  std::atomic<int> accepted = 0, refused = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      SubsidyPayment p;
      p.line_id = line;
      p.paid_on = {2021, 3, 1};
      p.amount_fen = 100000;
      p.voucher = fmt::format("V-{}", i);
      p.payee = "车间";
      auto paid = service.Pay(p, kEverywhere, kActor);
      if (paid) {
        ++accepted;
      } else if (paid.error().code == ErrorCode::kInvalidArgument) {
        ++refused;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 5);
  EXPECT_EQ(refused.load(), 3);
  EXPECT_EQ(service.FindRun(run->id, kEverywhere)->paid_fen, 500000);
  workshops::PaymentQuery q;
  q.scope = kEverywhere;
  EXPECT_EQ(service.LedgerOf(q)->total_fen, 500000);
}

TEST_F(SubsidyStoreTest, ARunOutsideTheRulesRegionIsRefused) {
  workshops::WorkshopService ws = workshops_service();
  workshops::SubsidyService service(db_->Subsidies(), ws, clock_);
  SubsidyRule township = Labour();
  township.region_code = "620623101000";  // 打柴沟镇
  auto rule = service.SaveRule(township, kEverywhere, kActor);
  ASSERT_TRUE(rule);
  auto elsewhere =
      service.Run(rule->id, "620623100000", {2020, 1, 1}, {2020, 12, 31}, kEverywhere, kActor);
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().details.at(0).column, "rule_id");
  auto outside =
      service.Run(rule->id, "620623101000", {2020, 1, 1}, {2020, 12, 31}, {"620623100000"}, kActor);
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, ErrorCode::kPermissionDenied);
  auto backwards =
      service.Run(rule->id, "620623101000", {2020, 12, 31}, {2020, 1, 1}, kEverywhere, kActor);
  EXPECT_EQ(backwards.error().details.at(0).column, "to");
  // Within its region: no workshops there, an empty run that still records what was asked.
  auto empty =
      service.Run(rule->id, "620623101000", {2019, 7, 1}, {2020, 6, 30}, kEverywhere, kActor);
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_EQ(empty->units, 0);
  EXPECT_EQ(empty->window_from, (Date{2020, 1, 1}));  // the rule's validity starts in 2020
  EXPECT_EQ(empty->window_to, (Date{2020, 6, 30}));
}

}  // namespace
}  // namespace fupin::storage
