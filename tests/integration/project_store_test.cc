// The project library against the real stores of each backend: the lifecycle from proposal to
// maintenance with every transition recorded, changes of an approved project kept as versions
// and approved again, returns and rejections with their reasons, and bad input refused with
// nothing written.
#include <fmt/format.h>

#include <chrono>

#include "base/chinese.h"
#include "contract_fixture.h"
#include "projects/project_service.h"
#include "registry/id_number.h"
#include "registry/model.h"

namespace fupin::storage {
namespace {

using projects::Decision;
using projects::Project;
using projects::ProjectProfile;

std::chrono::system_clock::time_point Instant(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days{std::chrono::year{y} / m / d} + std::chrono::hours(4);
}

const std::vector<std::string> kEverywhere = {""};
const audit::Actor kVillage{"村两委", 11, "10.0.0.1"};
const audit::Actor kTownship{"乡镇审核人", 12, "10.0.0.2"};
const audit::Actor kCounty{"县审批人", 13, "10.0.0.3"};

class ProjectStoreTest : public ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    if (HasFatalFailure()) return;
    SeedSmallTree();
    service_ = std::make_unique<projects::ProjectService>(db_->Projects(), db_->Regions(), clock_);
    for (const char* number : {"H1", "H2"}) {
      registry::HouseholdRecord h;
      h.household.number = number;
      h.household.region_code = "620623100201";
      h.household.attribute = "general";
      h.household.main_cause = "illness";
      registry::Member head;
      head.name = std::string("户主") + number;
      head.relation = "head";
      const std::string first17 =
          std::string("62062319620304") + (number == std::string("H1") ? "031" : "053");
      head.id_number = first17 + registry::IdNumberCheckCharacter(first17);
      h.members = {head};
      auto saved = db_->Registry().CreateHousehold(h, kActor);
      ASSERT_TRUE(saved) << saved.error().message;
      households_.push_back(saved->household.id);
    }
  }

  ProjectProfile Greenhouses(std::string region = "620623100201") {
    ProjectProfile p;
    p.name = "华藏寺村日光温室产业项目";
    p.type = "industry";
    p.region_code = std::move(region);
    p.implementing_unit = "华藏寺村股份经济合作社";
    p.person_in_charge = "李村长";
    p.content = "新建日光温室 20 座";
    p.mechanism = "资产收益：温室租金的 60% 按户分配给脱贫户，优先吸纳脱贫劳动力务工";
    p.beneficiaries = households_;
    p.budget_fen = 120'000'000;
    p.start_on = {2024, 3, 1};
    p.end_on = {2024, 10, 31};
    p.targets = {{"", "output_quantity", "新建日光温室", "座", ">=", 20},
                 {"", "benefit_economic", "带动脱贫户户均增收", "元", ">=", 2000},
                 {"", "satisfaction", "受益群众满意度", "%", ">=", 90}};
    p.milestones = {{"", "基础平整", {2024, 4, 15}, 30},
                    {"", "主体建设", {2024, 8, 31}, 50},
                    {"", "竣工", {2024, 10, 31}, 20}};
    return p;
  }

  Result<Project> Take(const Project& p, std::string action, const audit::Actor& who,
                       std::string reason = "", std::string maintainer = "") {
    Decision d;
    d.action = std::move(action);
    d.revision = p.revision;
    d.reason = std::move(reason);
    d.maintainer = std::move(maintainer);
    return service_->Decide(kEverywhere, p.id, d, who);
  }

  ManualClock clock_{Instant(2024, 12, 20)};
  std::unique_ptr<projects::ProjectService> service_;
  std::vector<int64_t> households_;
};

TEST_F(ProjectStoreTest, AProjectGoesFromProposalToMaintenanceWithEveryStepRecorded) {
  auto proposed = service_->Propose({"620623100201"}, Greenhouses(), kVillage);
  ASSERT_TRUE(proposed) << proposed.error().message;
  EXPECT_EQ(proposed->status, "proposed");
  EXPECT_EQ(proposed->version, 1);
  EXPECT_EQ(proposed->profile.milestones[1].key, "m2");
  EXPECT_EQ(proposed->profile.beneficiaries, households_);
  const int64_t id = proposed->id;

  auto reviewed = Take(*proposed, "review", kTownship, "材料齐全，同意上报");
  ASSERT_TRUE(reviewed) << reviewed.error().message;
  EXPECT_EQ(reviewed->status, "reviewed");
  EXPECT_EQ(reviewed->revision, proposed->revision + 1);
  // Milestones are not completed before the project runs.
  auto early =
      service_->CompleteMilestone(kEverywhere, id, {"m1", {2024, 4, 10}, "", "", ""}, kVillage);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kFailedPrecondition);
  auto approved = Take(*reviewed, "approve", kCounty);
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->approved_version, 1);
  auto started = Take(*approved, "start", kVillage);
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_EQ(started->status, "in_progress");

  // Progress: reports, milestones, targets measured.
  projects::ProgressReport r;
  r.on = {2024, 5, 1};
  r.percent = 30;
  r.narrative = "基础平整完成";
  r.attachments = {{"现场照片.jpg", "档案室 2024-05-01"}, {"监理日志.pdf", ""}};
  auto reported = service_->Report(kEverywhere, id, r, kVillage);
  ASSERT_TRUE(reported) << reported.error().message;
  EXPECT_GT(reported->id, 0);
  EXPECT_EQ(reported->reported_by, kVillage.name);
  r.on = {2024, 9, 1};
  r.percent = 80;
  r.narrative = "主体建设完成";
  r.attachments.clear();
  ASSERT_TRUE(service_->Report(kEverywhere, id, r, kVillage));
  // Completion needs every milestone.
  auto incomplete = Take(*started, "complete", kVillage);
  ASSERT_FALSE(incomplete);
  EXPECT_EQ(incomplete.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(incomplete.error().message.find("竣工"), std::string::npos);
  for (auto [key, day] : {std::pair{"m1", Date{2024, 4, 12}}, std::pair{"m2", Date{2024, 9, 1}},
                          std::pair{"m3", Date{2024, 10, 30}}}) {
    auto done = service_->CompleteMilestone(kEverywhere, id, {key, day, "", "", ""}, kVillage);
    ASSERT_TRUE(done) << key << ": " << done.error().message;
  }
  auto unknown =
      service_->CompleteMilestone(kEverywhere, id, {"m9", {2024, 5, 1}, "", "", ""}, kVillage);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().details.at(0).column, "key");
  auto measured = service_->MeasureTarget(
      kEverywhere, id, {"t1", 21, {2024, 10, 30}, "实建 21 座", "", ""}, kVillage);
  ASSERT_TRUE(measured) << measured.error().message;
  auto completed = Take(*started, "complete", kVillage);
  ASSERT_TRUE(completed) << completed.error().message;
  // The county returns it for rectification once, then accepts it.
  auto rectify = Take(*completed, "accept_return", kCounty, "排水沟未硬化");
  ASSERT_TRUE(rectify) << rectify.error().message;
  EXPECT_EQ(rectify->status, "in_progress");
  completed = Take(*rectify, "complete", kVillage);
  ASSERT_TRUE(completed) << completed.error().message;
  auto accepted = Take(*completed, "accept", kCounty);
  ASSERT_TRUE(accepted) << accepted.error().message;
  auto unnamed = Take(*accepted, "maintain", kVillage);
  ASSERT_FALSE(unnamed);
  EXPECT_EQ(unnamed.error().details.at(0).column, "maintainer");
  auto maintained = Take(*accepted, "maintain", kVillage, "", "华藏寺村股份经济合作社");
  ASSERT_TRUE(maintained) << maintained.error().message;
  EXPECT_EQ(maintained->status, "maintenance");
  EXPECT_EQ(maintained->maintainer, "华藏寺村股份经济合作社");
  EXPECT_EQ(maintained->latest_percent, 80);

  auto d = service_->Detail(kEverywhere, id);
  ASSERT_TRUE(d) << d.error().message;
  const std::vector<std::string> actions = {"submit",   "review",   "approve",
                                            "start",    "complete", "accept_return",
                                            "complete", "accept",   "maintain"};
  ASSERT_EQ(d->transitions.size(), actions.size());
  for (size_t i = 0; i < actions.size(); ++i) EXPECT_EQ(d->transitions[i].action, actions[i]);
  EXPECT_EQ(d->transitions[1].actor, kTownship.name);
  EXPECT_EQ(d->transitions[1].from_status, "proposed");
  EXPECT_EQ(d->transitions[1].to_status, "reviewed");
  EXPECT_EQ(d->transitions[1].reason, "材料齐全，同意上报");
  EXPECT_EQ(d->transitions[1].on, (Date{2024, 12, 20}));
  EXPECT_EQ(d->transitions[5].reason, "排水沟未硬化");
  EXPECT_EQ(d->transitions[2].actor_user_id, kCounty.user_id);
  ASSERT_EQ(d->reports.size(), 2u);
  ASSERT_EQ(d->reports[0].attachments.size(), 2u);
  EXPECT_EQ(d->reports[0].attachments[0].name, "现场照片.jpg");
  EXPECT_EQ(d->milestone_actuals.size(), 3u);
  ASSERT_EQ(d->target_actuals.size(), 1u);
  EXPECT_DOUBLE_EQ(d->target_actuals[0].value, 21);
  EXPECT_EQ(d->versions.size(), 1u);
  EXPECT_EQ(d->versions[0].stage, "approved");

  // Every write is in the audit log under the village.
  audit::Query q;
  q.scope = kEverywhere;
  q.entity = "project";
  q.limit = 100;
  auto entries = db_->Audit().List(q);
  ASSERT_TRUE(entries);
  EXPECT_EQ(entries->total, 9 + 2 + 3 + 1);  // transitions, reports, milestones, measurement
  for (const auto& e : entries->items) EXPECT_EQ(e.region_code, "620623100201");
  EXPECT_EQ(entries->items.back().action, "create");
}

TEST_F(ProjectStoreTest, AChangeOfAnApprovedProjectIsANewVersionApprovedAgain) {
  auto p = service_->Propose(kEverywhere, Greenhouses(), kVillage);
  ASSERT_TRUE(p);
  p = Take(*p, "review", kTownship);
  p = Take(*p, "approve", kCounty);
  p = Take(*p, "start", kVillage);
  ASSERT_TRUE(p) << p.error().message;

  // More greenhouses, more money, later end: version 2, awaiting approval.
  ProjectProfile bigger = p->profile;
  bigger.budget_fen = 150'000'000;
  bigger.end_on = {2024, 12, 15};
  bigger.targets[0].target_value = 25;
  bigger.milestones[2].planned_on = {2024, 12, 15};
  auto no_reason = service_->Edit(kEverywhere, p->id, p->revision, bigger, "", kVillage);
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().details.at(0).column, "change_reason");
  auto stale = service_->Edit(kEverywhere, p->id, p->revision - 1, bigger, "扩大规模", kVillage);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().current_version, p->revision);
  EXPECT_FALSE(ToChinese(stale.error().message).empty());
  auto changed = service_->Edit(kEverywhere, p->id, p->revision, bigger, "扩大规模", kVillage);
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(changed->status, "in_progress");
  EXPECT_EQ(changed->version, 2);
  EXPECT_EQ(changed->approved_version, 1);
  EXPECT_TRUE(changed->PendingChange());
  // The approved version stays in force while the change waits.
  auto d = service_->Detail(kEverywhere, p->id);
  ASSERT_TRUE(d);
  ASSERT_TRUE(d->approved.has_value());
  EXPECT_EQ(projects::InForce(*d).budget_fen, 120'000'000);
  EXPECT_EQ(d->project.profile.budget_fen, 150'000'000);
  // One change at a time is reviewed; a second edit replaces it before review.
  auto reviewed = Take(*changed, "review", kTownship);
  ASSERT_TRUE(reviewed) << reviewed.error().message;
  EXPECT_EQ(reviewed->stage, "reviewed");
  EXPECT_FALSE(
      service_->Edit(kEverywhere, p->id, reviewed->revision, Greenhouses(), "再改", kVillage));
  auto approved = Take(*reviewed, "approve", kCounty, "同意变更");
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->approved_version, 2);
  EXPECT_EQ(approved->status, "in_progress");
  EXPECT_FALSE(approved->PendingChange());

  // A third version, rejected: version 2 stays in force.
  ProjectProfile smaller = approved->profile;
  smaller.budget_fen = 90'000'000;
  auto third =
      service_->Edit(kEverywhere, p->id, approved->revision, smaller, "压缩预算", kVillage);
  ASSERT_TRUE(third) << third.error().message;
  third = Take(*third, "review", kTownship);
  ASSERT_TRUE(third);
  auto rejected = Take(*third, "approve_reject", kCounty, "压缩后无法完成产出指标");
  ASSERT_TRUE(rejected) << rejected.error().message;
  EXPECT_EQ(rejected->approved_version, 2);
  EXPECT_EQ(rejected->status, "in_progress");
  EXPECT_EQ(rejected->stage, "rejected");
  d = service_->Detail(kEverywhere, p->id);
  ASSERT_TRUE(d);
  EXPECT_EQ(projects::InForce(*d).budget_fen, 150'000'000);
  ASSERT_EQ(d->versions.size(), 3u);
  EXPECT_EQ(d->versions[0].stage, "approved");
  EXPECT_EQ(d->versions[1].stage, "approved");
  EXPECT_EQ(d->versions[1].change_reason, "扩大规模");
  EXPECT_EQ(d->versions[2].stage, "rejected");
  EXPECT_EQ(d->versions[0].profile.budget_fen, 120'000'000);

  auto diff = service_->Diff(kEverywhere, p->id, 1, 2);
  ASSERT_TRUE(diff) << diff.error().message;
  const std::vector<projects::Difference> expected = {
      {"budget_fen", "120000000", "150000000"},
      {"end_on", "2024-10-31", "2024-12-15"},
      {"targets[t1].target_value", "20", "25"},
      {"milestones[m3].planned_on", "2024-10-31", "2024-12-15"}};
  EXPECT_EQ(diff->differences, expected);
  auto latest = service_->Diff(kEverywhere, p->id, 0, 0);
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->from, 2);
  EXPECT_EQ(latest->to, 3);
  auto missing = service_->Diff(kEverywhere, p->id, 1, 7);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().details.at(0).column, "to");
}

TEST_F(ProjectStoreTest, ReturnedProposalsAreResubmittedAndRejectedOnesEnd) {
  auto p = service_->Propose(kEverywhere, Greenhouses(), kVillage);
  ASSERT_TRUE(p);
  auto without = Take(*p, "review_return", kTownship, " ");
  ASSERT_FALSE(without);
  EXPECT_EQ(without.error().details.at(0).column, "reason");
  auto returned = Take(*p, "review_return", kTownship, "受益户名单不完整");
  ASSERT_TRUE(returned) << returned.error().message;
  EXPECT_EQ(returned->status, "returned");
  EXPECT_FALSE(Take(*returned, "review", kTownship));
  // Resubmitted as version 2 with the list completed; an edit changing nothing is refused.
  EXPECT_FALSE(
      service_->Edit(kEverywhere, p->id, returned->revision, returned->profile, "", kVillage));
  ProjectProfile fixed = returned->profile;
  fixed.content = "新建日光温室 20 座，配套灌溉管网";
  auto resubmitted = service_->Edit(kEverywhere, p->id, returned->revision, fixed, "", kVillage);
  ASSERT_TRUE(resubmitted) << resubmitted.error().message;
  EXPECT_EQ(resubmitted->status, "proposed");
  EXPECT_EQ(resubmitted->version, 2);
  auto reviewed = Take(*resubmitted, "review", kTownship);
  ASSERT_TRUE(reviewed);
  auto rejected = Take(*reviewed, "approve_reject", kCounty, "与已立项项目重复");
  ASSERT_TRUE(rejected) << rejected.error().message;
  EXPECT_EQ(rejected->status, "rejected");
  for (const char* action : {"review", "approve", "start", "complete", "accept"}) {
    auto refused = Take(*rejected, action, kCounty, "x");
    ASSERT_FALSE(refused) << action;
    EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition) << action;
    EXPECT_FALSE(ToChinese(refused.error().message).empty()) << refused.error().message;
  }
  EXPECT_FALSE(service_->Edit(kEverywhere, p->id, rejected->revision, Greenhouses(), "", kVillage));
  auto d = service_->Detail(kEverywhere, p->id);
  ASSERT_TRUE(d);
  ASSERT_EQ(d->transitions.size(), 5u);
  EXPECT_EQ(d->transitions[1].action, "review_return");
  EXPECT_EQ(d->transitions[1].reason, "受益户名单不完整");
  EXPECT_EQ(d->transitions[2].action, "resubmit");
  EXPECT_EQ(d->transitions[2].version, 2);
  EXPECT_EQ(d->transitions[4].reason, "与已立项项目重复");
  EXPECT_EQ(d->versions[0].stage, "returned");
  EXPECT_EQ(d->versions[1].stage, "rejected");
}

TEST_F(ProjectStoreTest, ACountyProjectIsApprovedByTheCountyDirectly) {
  ProjectProfile road = Greenhouses("620623000000");
  road.name = "县乡村道路硬化工程";
  road.type = "infrastructure";
  auto p = service_->Propose(kEverywhere, road, kCounty);
  ASSERT_TRUE(p) << p.error().message;
  auto review = Take(*p, "review", kTownship);
  ASSERT_FALSE(review);
  EXPECT_EQ(review.error().code, ErrorCode::kFailedPrecondition);
  auto approved = Take(*p, "approve", kCounty);
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->status, "approved");
}

TEST_F(ProjectStoreTest, BadInputIsRefusedNamingTheFieldWithNothingWritten) {
  ProjectProfile bad = Greenhouses();
  bad.budget_fen = -5;
  bad.milestones[0].weight = 10;
  auto invalid = service_->Propose(kEverywhere, bad, kVillage);
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ToChinese(invalid.error().message), "项目信息有 2 处问题");
  EXPECT_EQ(invalid.error().details.at(0).column, "budget_fen");
  EXPECT_EQ(invalid.error().details.at(1).column, "milestones");
  // A household that does not exist, and one outside the county: found in storage, nothing
  // written (no project, no version, no audit entry).
  const std::vector<Region> outside = {R("620624000000", "外县"), R("620624100000", "外镇"),
                                       R("620624100201", "外村")};
  ASSERT_TRUE(db_->Regions().Upsert(outside, kActor, "test"));
  registry::HouseholdRecord far;
  far.household.number = "FAR1";
  far.household.region_code = "620624100201";
  far.household.attribute = "general";
  far.household.main_cause = "illness";
  registry::Member head;
  head.name = "外县户主";
  head.relation = "head";
  const std::string first17 = "62062419600101011";
  head.id_number = first17 + registry::IdNumberCheckCharacter(first17);
  far.members = {head};
  auto saved = db_->Registry().CreateHousehold(far, kActor);
  ASSERT_TRUE(saved) << saved.error().message;
  ProjectProfile strangers = Greenhouses();
  strangers.beneficiaries = {households_[0], 999999, saved->household.id};
  auto refused = service_->Propose(kEverywhere, strangers, kVillage);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  ASSERT_EQ(refused.error().details.size(), 2u);
  EXPECT_EQ(refused.error().details[0].column, "beneficiaries[2]");
  EXPECT_EQ(refused.error().details[0].reason, "is not a registered household");
  EXPECT_EQ(refused.error().details[1].column, "beneficiaries[3]");
  EXPECT_EQ(refused.error().details[1].reason, "lives outside the project's county");
  // Outside the proposer's village; not a village/township/county; unknown.
  auto elsewhere = service_->Propose({"620623100202"}, Greenhouses(), kVillage);
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(elsewhere.error().details.at(0).column, "region");
  auto city = service_->Propose(kEverywhere, Greenhouses("620600000000"), kCounty);
  ASSERT_FALSE(city);
  EXPECT_EQ(city.error().details.at(0).reason, "must be a village, township or county");
  auto nowhere = service_->Propose(kEverywhere, Greenhouses("620623100299"), kCounty);
  ASSERT_FALSE(nowhere);
  EXPECT_EQ(nowhere.error().details.at(0).column, "region");
  projects::ProjectQuery all;
  all.scope = kEverywhere;
  auto page = db_->Projects().ListProjects(all);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 0);
  audit::Query q;
  q.scope = kEverywhere;
  q.entity = "project";
  EXPECT_EQ(db_->Audit().List(q)->total, 0);
}

TEST_F(ProjectStoreTest, ListsFollowTheScopeAndCountByStatus) {
  auto a = service_->Propose(kEverywhere, Greenhouses("620623100201"), kVillage);
  auto b = service_->Propose(kEverywhere, Greenhouses("620623100202"), kVillage);
  ProjectProfile other = Greenhouses("620623101201");
  other.name = "打柴沟村饮水安全巩固提升工程";
  other.type = "drinking_water";
  other.beneficiaries.clear();
  auto c = service_->Propose(kEverywhere, other, kVillage);
  ASSERT_TRUE(a && b && c);
  ASSERT_TRUE(Take(*a, "review", kTownship));
  projects::ProjectQuery q;
  q.scope = {"620623100000"};  // the first township
  auto page = db_->Projects().ListProjects(q);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 2);
  const std::vector<std::pair<std::string, int64_t>> counts = {{"proposed", 1}, {"reviewed", 1}};
  EXPECT_EQ(page->by_status, counts);
  q.status = "reviewed";
  page = db_->Projects().ListProjects(q);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].id, a->id);
  EXPECT_EQ(page->by_status, counts);  // the board's columns ignore the status filter
  q = {};
  q.scope = kEverywhere;
  q.type = "drinking_water";
  page = db_->Projects().ListProjects(q);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->total, 1);
  EXPECT_EQ(page->items[0].profile.name, "打柴沟村饮水安全巩固提升工程");
  q.type.clear();
  q.text = "饮水";
  EXPECT_EQ(db_->Projects().ListProjects(q)->total, 1);
  // Out of scope: not found, whether or not it exists.
  auto hidden = service_->Detail({"620623100000"}, c->id);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(db_->Projects().ProjectRegion(c->id).value(), "620623101201");
}

}  // namespace
}  // namespace fupin::storage
