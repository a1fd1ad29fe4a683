// Workshops against the real stores of each backend: saving with versions and scope,
// employments of registry members found across workshops by the person's ID number, monthly
// reports appended as revisions, and the computations run over what was stored.
#include <fmt/format.h>

#include "access/model.h"
#include "audit/audit_repository.h"
#include "base/chinese.h"
#include "contract_fixture.h"
#include "registry/id_number.h"
#include "workshops/analysis.h"
#include "workshops/subsidy.h"
#include "workshops/workshop_service.h"

namespace fupin::storage {
namespace {

using workshops::Employment;
using workshops::MonthlyReport;
using workshops::Workshop;

std::string Id(std::string_view birth, std::string_view sequence) {
  const std::string first17 = "620623" + std::string(birth) + std::string(sequence);
  return first17 + registry::IdNumberCheckCharacter(first17);
}

class WorkshopStoreTest : public ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    if (HasFatalFailure()) return;
    SeedSmallTree();
    access::Organization org;
    org.name = "天祝县藏香猪养殖专业合作社";
    org.type = access::OrgType::kCooperative;
    org.region_code = "620623100201";
    auto created = db_->Access().CreateOrganization(org, kActor);
    ASSERT_TRUE(created) << created.error().message;
    operator_ = created->id;
    registry::HouseholdRecord h;
    h.household.number = "H1";
    h.household.region_code = "620623100201";
    h.household.attribute = "general";
    h.household.main_cause = "illness";
    registry::Member head;
    head.name = "张大山";
    head.relation = "head";
    head.id_number = Id("19620304", "031");
    registry::Member son;
    son.name = "张小军";
    son.relation = "child";
    son.id_number = Id("19900102", "053");
    son.labour = "lost";
    son.birth_date = Date{1990, 1, 2};
    h.members = {head, son};
    registry::Income income;
    income.year = 2019;
    income.wages = 20000;
    income.business = 5000;
    income.transfer = 1200.5;
    income.costs = 3000;
    h.incomes = {income};
    registry::HouseholdRecord valid = h;
    ASSERT_TRUE(registry::ValidateRecord(valid, Date{2024, 6, 1}).empty());
    auto saved = db_->Registry().CreateHousehold(valid, kActor);
    ASSERT_TRUE(saved) << saved.error().message;
    head_ = saved->members[0].id;
    son_ = saved->members[1].id;
  }

  Workshop Shop(std::string name, std::string village = "620623100201") {
    Workshop w;
    w.name = std::move(name);
    w.operator_id = operator_;
    w.type = "factory";
    w.region_code = std::move(village);
    w.capacity_jobs = 30;
    w.recognitions = {{"recognized", {2019, 5, 1}, "县扶办〔2019〕12号"}};
    w.status_changes = {{"operating", {2019, 5, 1}, ""}, {"suspended", {2020, 1, 24}, "春节疫情"}};
    return w;
  }

  int64_t operator_ = 0;
  int64_t head_ = 0;
  int64_t son_ = 0;
};

TEST_F(WorkshopStoreTest, SavesWithChildrenVersionsAndScope) {
  auto created = db_->Workshops().SaveWorkshop(Shop("华藏寺村民族服饰车间"), kActor);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->version, 1);
  ASSERT_EQ(created->status_changes.size(), 2u);
  EXPECT_EQ(created->status_changes[1].note, "春节疫情");

  Workshop changed = *created;
  changed.status_changes.push_back({"partial", {2020, 2, 23}, ""});
  auto updated = db_->Workshops().SaveWorkshop(changed, kActor);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->status_changes.size(), 3u);
  // From the old version: refused with the current one.
  auto stale = db_->Workshops().SaveWorkshop(changed, kActor);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().current_version, 2);

  // An unknown operator names the field.
  Workshop orphan = Shop("无主车间");
  orphan.operator_id = 999999;
  auto refused = db_->Workshops().SaveWorkshop(orphan, kActor);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().details.at(0).column, "operator_id");

  // Scope: found inside, not outside.
  EXPECT_TRUE(db_->Workshops().FindWorkshop(created->id, {"620623100000"}).value());
  EXPECT_FALSE(db_->Workshops().FindWorkshop(created->id, {"620623101000"}).value());
  EXPECT_EQ(db_->Workshops().WorkshopRegion(created->id).value(), "620623100201");
  ASSERT_TRUE(db_->Workshops().SaveWorkshop(Shop("打柴沟车间", "620623101201"), kActor));
  workshops::WorkshopQuery q;
  q.scope = {"620623000000"};
  EXPECT_EQ(db_->Workshops().ListWorkshops(q).value().total, 2);
  q.within = "620623101000";
  auto page = db_->Workshops().ListWorkshops(q);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].name, "打柴沟车间");
  EXPECT_EQ(page->items[0].recognitions.size(), 1u);

  // An operator sees what it runs wherever it lies, besides its scope; and only its own
  // when asked for one operator.
  workshops::WorkshopQuery theirs;
  theirs.scope = {"620623101000"};  // 打柴沟's township only
  theirs.operators = {operator_};
  EXPECT_EQ(db_->Workshops().ListWorkshops(theirs).value().total, 2);
  theirs.operators = {operator_ + 1000};
  EXPECT_EQ(db_->Workshops().ListWorkshops(theirs).value().total, 1);
  theirs.scope = {};
  theirs.operators = {operator_};
  theirs.operator_id = operator_;
  EXPECT_EQ(db_->Workshops().ListWorkshops(theirs).value().total, 2);
  theirs.operator_id = operator_ + 1000;
  EXPECT_EQ(db_->Workshops().ListWorkshops(theirs).value().total, 0);

  // The stored workshops give the resumption of their county.
  workshops::WorkshopQuery everything;
  everything.scope = {""};
  everything.limit = 0;
  std::vector<Workshop> all = db_->Workshops().ListWorkshops(everything).value().items;
  EXPECT_DOUBLE_EQ(workshops::ResumptionOn(all, {2020, 1, 20}).rate, 1.0);
  EXPECT_DOUBLE_EQ(workshops::ResumptionOn(all, {2020, 2, 24}).rate, 0.5);  // 华藏寺 partly back
}

TEST_F(WorkshopStoreTest, EmploymentsAreFoundByThePersonAcrossWorkshops) {
  const int64_t a = db_->Workshops().SaveWorkshop(Shop("甲车间"), kActor).value().id;
  const int64_t b = db_->Workshops().SaveWorkshop(Shop("乙车间"), kActor).value().id;
  Employment first;
  first.workshop_id = a;
  first.member_id = son_;
  first.category = "registered_poor";
  first.start = {2020, 1, 1};
  first.end = Date{2020, 4, 9};
  first.wage_form = "piece";
  auto saved = db_->Workshops().SaveEmployment(first, kActor);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->person_key, Id("19900102", "053"));
  Employment second = first;
  second.workshop_id = b;
  second.start = {2020, 4, 10};
  second.end = Date{2020, 7, 19};
  ASSERT_TRUE(db_->Workshops().SaveEmployment(second, kActor));

  const std::string people[] = {Id("19900102", "053")};
  auto jobs = db_->Workshops().EmploymentsOfPeople(people);
  ASSERT_TRUE(jobs);
  ASSERT_EQ(jobs->size(), 2u);
  EXPECT_EQ((*jobs)[0].workshop_id, a);
  EXPECT_EQ(workshops::DaysEmployed(*jobs, {2020, 1, 1}, {2020, 12, 31}), 201);

  // Ending an employment checks the version.
  Employment ended = (*jobs)[1];
  ended.end = Date{2020, 6, 30};
  auto done = db_->Workshops().SaveEmployment(ended, kActor);
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->version, 2);
  auto stale = db_->Workshops().SaveEmployment(ended, kActor);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);

  const int64_t ids[] = {a, b};
  auto by_workshop = db_->Workshops().EmploymentsOfWorkshops(ids);
  ASSERT_TRUE(by_workshop);
  EXPECT_EQ(by_workshop->size(), 2u);

  // An unknown member is refused.
  Employment ghost = first;
  ghost.member_id = 999999;
  auto refused = db_->Workshops().SaveEmployment(ghost, kActor);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kNotFound);
}

TEST_F(WorkshopStoreTest, ReportsAreAppendedAsRevisions) {
  const int64_t a = db_->Workshops().SaveWorkshop(Shop("甲车间"), kActor).value().id;
  MonthlyReport r;
  r.workshop_id = a;
  r.year = 2020;
  r.month = 2;
  r.status = "suspended";
  r.days_operated = 0;
  r.headcount = 12;
  r.poor_headcount = 8;
  r.problems = {"epidemic", "raw_materials"};
  auto first = db_->Workshops().SubmitReport(r, kActor);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->revision, 1);
  EXPECT_EQ(first->submitted_by, kActor.name);
  r.days_operated = 5;
  r.status = "partial";
  auto corrected = db_->Workshops().SubmitReport(r, kActor);
  ASSERT_TRUE(corrected);
  EXPECT_EQ(corrected->revision, 2);
  r.month = 3;
  ASSERT_TRUE(db_->Workshops().SubmitReport(r, kActor));

  const int64_t ids[] = {a};
  auto all = db_->Workshops().ListReports(ids, 2020 * 12 + 1, 2020 * 12 + 2);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);  // both revisions of February kept, and March
  EXPECT_EQ((*all)[0].problems, (std::vector<std::string>{"epidemic", "raw_materials"}));
  const auto latest = workshops::LatestRevisions(*all);
  ASSERT_EQ(latest.size(), 2u);
  EXPECT_EQ(latest[0].days_operated, 5);
  EXPECT_EQ(db_->Workshops().ListReports(ids, 2020 * 12 + 1, 2020 * 12 + 1).value().size(), 2u);
  // A report of an unknown workshop.
  r.workshop_id = 999999;
  EXPECT_EQ(db_->Workshops().SubmitReport(r, kActor).error().code, ErrorCode::kNotFound);
}

TEST_F(WorkshopStoreTest, EveryWriteMovesTheWorkshopCounter) {
  auto before = db_->Workshops().Generation();
  ASSERT_TRUE(before) << before.error().message;
  const int64_t a = db_->Workshops().SaveWorkshop(Shop("甲车间"), kActor).value().id;
  EXPECT_EQ(db_->Workshops().Generation().value(), *before + 1);
  Employment e;
  e.workshop_id = a;
  e.member_id = son_;
  e.category = "registered_poor";
  e.start = {2019, 6, 1};
  e.wage_form = "monthly";
  ASSERT_TRUE(db_->Workshops().SaveEmployment(e, kActor));
  EXPECT_EQ(db_->Workshops().Generation().value(), *before + 2);
  MonthlyReport r;
  r.workshop_id = a;
  r.year = 2019;
  r.month = 6;
  r.status = "operating";
  ASSERT_TRUE(db_->Workshops().SubmitReport(r, kActor));
  EXPECT_EQ(db_->Workshops().Generation().value(), *before + 3);
  // A failed write moves nothing.
  r.workshop_id = 999999;
  ASSERT_FALSE(db_->Workshops().SubmitReport(r, kActor));
  EXPECT_EQ(db_->Workshops().Generation().value(), *before + 3);
}

TEST_F(WorkshopStoreTest, RegistryFactsOfWorkersWithTheirHouseholdsIncome) {
  const int64_t members[] = {son_, head_, 999999};
  auto facts = db_->Workshops().RegistryFactsOfMembers(members, 2019);
  ASSERT_TRUE(facts) << facts.error().message;
  ASSERT_EQ(facts->size(), 2u);  // the unknown member is left out; in member id order
  EXPECT_EQ((*facts)[0].member_id, std::min(son_, head_));
  const auto& son = (*facts)[0].member_id == son_ ? (*facts)[0] : (*facts)[1];
  EXPECT_EQ(son.labour, "lost");
  EXPECT_EQ(son.birth_date, (Date{1990, 1, 2}));
  EXPECT_EQ(son.household_id, (*facts)[0].household_id);
  // Gross income: 20000 + 5000 + 0 + 1200.5 (costs not subtracted).
  ASSERT_TRUE(son.household_gross_income.has_value());
  EXPECT_DOUBLE_EQ(*son.household_gross_income, 26200.5);
  auto other_year = db_->Workshops().RegistryFactsOfMembers(members, 2020);
  ASSERT_TRUE(other_year);
  EXPECT_FALSE((*other_year)[0].household_gross_income.has_value());
}

// The use cases over both stores: hiring by ID number, the operator's reach, reports checked
// against the worker list, status changes in order, registration within the writer's regions.
// The alert standards: the migration's placeholder default row, a province's own rows
// inserted and replaced per year, each write audited with what changed.
TEST_F(WorkshopStoreTest, AlertStandardsPerProvinceAndYear) {
  auto& repo = db_->Workshops();
  auto initial = repo.ListAlertStandards();
  ASSERT_TRUE(initial) << initial.error().message;
  ASSERT_EQ(initial->size(), 1u);
  EXPECT_EQ(initial->front().province_code, "");
  EXPECT_EQ(initial->front().year, 2016);
  EXPECT_EQ(initial->front().options.poor_wage_floor_fen, 160000);
  EXPECT_DOUBLE_EQ(initial->front().options.min_poor_share, 0.3);

  workshops::AlertStandard gansu;
  gansu.province_code = "620000000000";
  gansu.year = 2020;
  gansu.options.min_poor_share = 0.25;
  gansu.options.min_poor_workers = 10;
  gansu.options.poor_wage_floor_fen = 170000;
  gansu.options.idle = {8, 2};
  gansu.note = "甘肃省扶贫车间认定办法";
  auto saved = repo.SaveAlertStandard(gansu, kActor);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->updated_by, kActor.name);
  EXPECT_FALSE(saved->updated_at.empty());
  gansu.options.poor_wage_floor_fen = 182000;
  ASSERT_TRUE(repo.SaveAlertStandard(gansu, kActor));
  gansu.year = 2022;
  ASSERT_TRUE(repo.SaveAlertStandard(gansu, kActor));

  auto all = repo.ListAlertStandards().value();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1].province_code, "620000000000");
  EXPECT_EQ(all[1].year, 2020);
  EXPECT_EQ(all[1].options.poor_wage_floor_fen, 182000);
  EXPECT_EQ(all[1].options.idle.min_days, 8);
  EXPECT_EQ(all[1].options.idle.months, 2);
  EXPECT_EQ(all[1].options.min_poor_workers, 10);
  EXPECT_DOUBLE_EQ(all[1].options.min_poor_share, 0.25);
  EXPECT_EQ(all[1].note, "甘肃省扶贫车间认定办法");
  EXPECT_EQ(all[2].year, 2022);
  const auto in_force = workshops::ResolveAlertOptions(all, "620623001001", 2021);
  EXPECT_EQ(in_force.standard, "620000000000/2020");
  EXPECT_EQ(in_force.poor_wage_floor_fen, 182000);

  audit::Query q;
  q.scope = {""};
  q.entity = "workshop_standard";
  q.entity_id = "620000000000/2020";
  const auto entries = db_->Audit().List(q).value().items;
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, "update");
  bool floor_changed = false;
  for (const auto& c : entries[0].changes) {
    floor_changed = floor_changed || (c.field == "poor_wage_floor_fen" && c.before == "170000" &&
                                      c.after == "182000");
  }
  EXPECT_TRUE(floor_changed);
}

TEST_F(WorkshopStoreTest, ServiceHiresReportsAndKeepsToTheCallersReach) {
  workshops::WorkshopService service(db_->Workshops(), db_->Registry());
  const Date today{2024, 6, 1};
  const std::vector<std::string> county = {"620623000000"};
  auto a = service.Save(county, Shop("甲车间"), kActor, today);
  ASSERT_TRUE(a) << a.error().message;
  auto b = service.Save(county, Shop("乙车间", "620623101201"), kActor, today);
  ASSERT_TRUE(b) << b.error().message;

  // Registering outside the writer's regions, or on a township, names the region.
  auto outside = service.Save({"620623101000"}, Shop("丙车间"), kActor, today);
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().details.at(0).column, "region");
  auto township = service.Save(county, Shop("丁车间", "620623100000"), kActor, today);
  ASSERT_FALSE(township);
  EXPECT_EQ(township.error().details.back().reason, "is not a village");

  // The operator's users reach the workshops it runs, nobody else's.
  const workshops::WorkshopReach operator_reach{{}, {operator_}};
  const workshops::WorkshopReach stranger{{}, {operator_ + 1000}};
  EXPECT_TRUE(service.Find(operator_reach, a->id));
  EXPECT_EQ(service.Find(stranger, a->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(service.Find({{"620623101000"}, {}}, a->id).error().code, ErrorCode::kNotFound);

  // Hiring by ID number: the category comes from the registry (a registered-poor household).
  workshops::HireRequest hire;
  hire.id_number = Id("19900102", "053");
  hire.start = {2020, 1, 1};
  hire.end = Date{2020, 4, 9};
  hire.wage_form = "piece";
  auto candidate = service.FindCandidate(operator_reach, a->id, hire, today);
  ASSERT_TRUE(candidate) << candidate.error().message;
  EXPECT_EQ(candidate->worker.name, "张小军");
  EXPECT_EQ(candidate->category, "registered_poor");
  auto hired = service.Hire(operator_reach, a->id, hire, kActor, today);
  ASSERT_TRUE(hired) << hired.error().message;
  EXPECT_EQ(hired->category, "registered_poor");
  EXPECT_EQ(hired->member_id, son_);
  // The same person in another workshop over an overlapping period: refused unless accepted.
  workshops::HireRequest again = hire;
  again.start = {2020, 4, 1};
  again.end.reset();
  auto overlap = service.Hire({county, {}}, b->id, again, kActor, today);
  ASSERT_FALSE(overlap);
  EXPECT_EQ(overlap.error().details.at(0).column, "start");
  again.overlap_accepted = true;
  ASSERT_TRUE(service.Hire({county, {}}, b->id, again, kActor, today));
  // Someone the registry does not hold: not found, and the number is not repeated.
  workshops::HireRequest stranger_hire = hire;
  stranger_hire.id_number = Id("19850505", "017");
  auto unknown = service.Hire(operator_reach, a->id, stranger_hire, kActor, today);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(unknown.error().details.at(0).column, "id_number");
  EXPECT_EQ(unknown.error().details.at(0).value.find("19850505"), std::string::npos);
  // A malformed number is named as such.
  stranger_hire.id_number = "620623199001020530";
  auto malformed = service.Hire(operator_reach, a->id, stranger_hire, kActor, today);
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().code, ErrorCode::kInvalidArgument);

  // Reports against the worker list: one registered-poor worker from January to 9 April 2020.
  MonthlyReport r;
  r.workshop_id = a->id;
  r.year = 2020;
  r.month = 3;
  r.status = "operating";
  r.days_operated = 20;
  r.headcount = 2;
  r.poor_headcount = 1;
  auto too_many = service.SubmitReport(operator_reach, r, kActor, today);
  ASSERT_FALSE(too_many);
  ASSERT_EQ(too_many.error().details.size(), 1u);
  EXPECT_EQ(too_many.error().details[0].column, "headcount");
  EXPECT_NE(too_many.error().details[0].reason.find("1 worker(s)"), std::string::npos);
  r.headcount = 1;
  auto first = service.SubmitReport(operator_reach, r, kActor, today);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->revision, 1);
  EXPECT_TRUE(workshops::SubmittedLate(*first));  // 2020-03 was due by 2020-04-10
  r.days_operated = 22;
  auto corrected = service.SubmitReport(operator_reach, r, kActor, today);
  ASSERT_TRUE(corrected);
  EXPECT_EQ(corrected->revision, 2);
  r.month = 5;  // nobody employed in May
  auto empty = service.SubmitReport(operator_reach, r, kActor, today);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().details.at(0).column, "headcount");
  EXPECT_EQ(empty.error().details.at(1).column, "poor_headcount");
  EXPECT_EQ(service.SubmitReport(stranger, r, kActor, today).error().code, ErrorCode::kNotFound);

  // Status changes: appended in date order, from the current version.
  auto resumed = service.ChangeStatus(operator_reach, a->id, a->version,
                                      {"partial", {2020, 2, 23}, "复工"}, kActor, today);
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(resumed->status_changes.back().status, "partial");
  auto stale = service.ChangeStatus(operator_reach, a->id, a->version,
                                    {"operating", {2020, 3, 10}, ""}, kActor, today);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  auto earlier = service.ChangeStatus(operator_reach, a->id, resumed->version,
                                      {"operating", {2020, 2, 1}, ""}, kActor, today);
  ASSERT_FALSE(earlier);
  EXPECT_EQ(earlier.error().details.at(0).column, "on");

  // Every message and reason above also comes in Chinese.
  for (const Error& e : {outside.error(), township.error(), overlap.error(), unknown.error(),
                         too_many.error(), empty.error(), stale.error(), earlier.error()}) {
    EXPECT_FALSE(ToChinese(e.message).empty()) << e.message;
    for (const ErrorDetail& d : e.details) EXPECT_FALSE(ToChinese(d.reason).empty()) << d.reason;
  }

  // The page: workers with who they are, every revision, the months due without a report.
  auto detail = service.Detail(operator_reach, a->id, {2020, 1}, {2020, 4});
  ASSERT_TRUE(detail) << detail.error().message;
  ASSERT_EQ(detail->employments.size(), 1u);
  EXPECT_EQ(detail->workers.at(son_).household_number, "H1");
  EXPECT_EQ(detail->reports.size(), 2u);
  std::vector<std::string> missing;
  for (const auto& m : detail->missing) missing.push_back(m.ToString());
  EXPECT_EQ(missing, (std::vector<std::string>{"2020-01", "2020-02", "2020-04"}));
}

}  // namespace
}  // namespace fupin::storage
