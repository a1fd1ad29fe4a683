// Monitoring (防返贫监测) against the real stores of each backend: thresholds and options,
// risk events in scope, alerts recorded once per household, rule and period, one open case per
// household, transitions that check the stage and append to the registry's history in the
// same transaction, the board's order (overdue first), and the service's detection runs and
// risk elimination rules.
#include <fmt/format.h>

#include <chrono>

#include "audit/audit_repository.h"
#include "contract_fixture.h"
#include "monitoring/monitoring_service.h"
#include "registry/id_number.h"

namespace fupin::storage {
namespace {

using monitoring::Alert;
using monitoring::NewAlert;

// A lifted-out household of `village` with one member (a working-age head) and 2024 income.
registry::HouseholdRecord Lifted(const std::string& number, const std::string& village,
                                 const std::string& birth, double net_2024) {
  registry::HouseholdRecord r;
  r.household.number = number;
  r.household.region_code = village;
  r.household.attribute = "general";
  r.household.status = "lifted";
  r.household.lifted_year = 2018;
  registry::Member m;
  m.name = "户主" + number;
  const std::string id17 = "620623" + birth + "001";
  m.id_number = id17 + registry::IdNumberCheckCharacter(id17);
  m.relation = "head";
  m.sex = "male";
  m.birth_date =
      ParseDate(birth.substr(0, 4) + "-" + birth.substr(4, 2) + "-" + birth.substr(6, 2)).value();
  m.labour = "ordinary";
  r.members = {m};
  r.events = {{0, "identified", {2014, 5, 1}, std::nullopt, ""},
              {0, "lifted", {2018, 12, 1}, 2018, ""}};
  r.incomes = {{2023, net_2024, 0, 0, 0, 0}, {2024, net_2024, 0, 0, 0, 0}};
  for (const char* item : {"food", "clothing", "education", "medical", "housing", "water"}) {
    r.guarantees.push_back({item, true, Date{2024, 6, 1}});
  }
  return r;
}

Alert MakeAlert(int64_t household, const std::string& region, const std::string& rule,
                const std::string& period, const Date& on) {
  Alert a;
  a.household_id = household;
  a.region_code = region;
  a.rule = rule;
  a.period = period;
  a.values = {{"year", period}, {"per_capita_fen", "500000"}};
  a.message_zh = "测试" + rule;
  a.message_en = "test " + rule;
  a.detected_on = on;
  return a;
}

NewAlert Pending(const Alert& a) {
  return {a, monitoring::AddDays(a.detected_on, 5), monitoring::AddDays(a.detected_on, 10),
          monitoring::AddDays(a.detected_on, 15)};
}

class MonitoringContractTest : public ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    if (HasFatalFailure()) return;
    SeedSmallTree();
    std::vector<registry::HouseholdRecord> batch = {
        Lifted("M1", "620623100201", "19750301", 24000),  // 24,000 for one person
        Lifted("M2", "620623100202", "19800402", 3000),   // below any threshold
        Lifted("M3", "620623101201", "19700503", 5000)};  // another township
    auto saved = db_->Registry().SaveHouseholds(batch, kActor, "test");
    ASSERT_TRUE(saved) << saved.error().message;
    for (const auto& number : {"M1", "M2", "M3"}) {
      const std::string numbers[] = {number};
      ids_[number] = db_->Registry().FindHouseholdsByNumber(numbers).value().at(0).household.id;
    }
  }

  monitoring::MonitoringRepository& repo() { return db_->Monitoring(); }

  int64_t Id(const std::string& number) { return ids_.at(number); }

  std::map<std::string, int64_t> ids_;
};

TEST_F(MonitoringContractTest, MigrationSeedsTheNationalGuidanceAndDefaults) {
  auto thresholds = repo().ListThresholds();
  ASSERT_TRUE(thresholds) << thresholds.error().message;
  ASSERT_EQ(thresholds->size(), 1u);
  EXPECT_EQ((*thresholds)[0].province_code, "");
  EXPECT_EQ((*thresholds)[0].year, 2021);
  EXPECT_EQ((*thresholds)[0].per_capita_fen, 600000);
  auto options = repo().ListOptions();
  ASSERT_TRUE(options);
  ASSERT_EQ(options->size(), 1u);
  const monitoring::RuleOptions defaults;
  EXPECT_DOUBLE_EQ((*options)[0].income_drop_share, defaults.income_drop_share);
  EXPECT_EQ((*options)[0].decide_days, 15);
  EXPECT_EQ((*options)[0].minimum_months, 6);
  EXPECT_EQ((*options)[0].version, 1);
}

TEST_F(MonitoringContractTest, ThresholdsUpsertAndOptionsUseOptimisticLocking) {
  monitoring::Threshold t{"620000000000", 2024, 680000, "省定标准", "", ""};
  auto saved = repo().SaveThreshold(t, kActor);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->updated_by, "tester");
  t.per_capita_fen = 690000;
  ASSERT_TRUE(repo().SaveThreshold(t, kActor));
  auto all = repo().ListThresholds().value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].province_code, "");  // national first
  EXPECT_EQ(all[1].per_capita_fen, 690000);

  monitoring::RuleOptions gansu;
  gansu.province_code = "620000000000";
  gansu.version = 0;  // new
  gansu.decide_days = 20;
  auto created = repo().SaveOptions(gansu, kActor);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->version, 1);
  auto stale = repo().SaveOptions(gansu, kActor);  // still version 0
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().current_version, 1);
  gansu.version = 1;
  gansu.income_drop_share = 0.25;
  auto updated = repo().SaveOptions(gansu, kActor);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->version, 2);
  EXPECT_DOUBLE_EQ(repo().ListOptions().value().at(1).income_drop_share, 0.25);
  // Audited: the threshold's change from 6,800 to 6,900 yuan, under the province.
  audit::Query q;
  q.scope = {""};
  q.entity = "monitoring_threshold";
  auto entries = db_->Audit().List(q).value();
  ASSERT_EQ(entries.total, 2);
  EXPECT_EQ(entries.items[0].region_code, "620000000000");
  EXPECT_EQ(entries.items[0].entity_id, "620000000000/2024");
  ASSERT_FALSE(entries.items[0].changes.empty());
  EXPECT_EQ(entries.items[0].changes[0].before, "680000");
  EXPECT_EQ(entries.items[0].changes[0].after, "690000");
}

TEST_F(MonitoringContractTest, RiskEventsAreReadInScopeAndTheirNotesAuditedAsHmacs) {
  monitoring::RiskEvent e;
  e.household_id = Id("M1");
  e.region_code = "620623100201";
  e.kind = "medical_expense";
  e.amount_fen = 3'500'000;
  e.on = Date{2026, 3, 1};
  e.note = "肺癌住院";
  auto saved = repo().AddRiskEvent(e, kActor);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_GT(saved->id, 0);
  EXPECT_EQ(saved->reported_by, "tester");
  monitoring::RiskEventQuery q;
  q.scope = {"620623100000"};
  q.household_id = Id("M1");
  auto mine = repo().ListRiskEvents(q).value();
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].amount_fen, 3'500'000);
  EXPECT_EQ(mine[0].on, (Date{2026, 3, 1}));
  EXPECT_EQ(mine[0].note, "肺癌住院");
  q.scope = {"620623101000"};  // the other township
  EXPECT_TRUE(repo().ListRiskEvents(q).value().empty());
  q.scope = {""};
  q.since = Date{2026, 3, 2};
  EXPECT_TRUE(repo().ListRiskEvents(q).value().empty());
  audit::Query aq;
  aq.scope = {""};
  aq.entity = "risk_event";
  auto entries = db_->Audit().List(aq).value();
  ASSERT_EQ(entries.total, 1);
  for (const auto& c : entries.items[0].changes) {
    EXPECT_EQ(c.after.value_or("").find("肺癌"), std::string::npos) << c.field;
    if (c.field == "note") {
      EXPECT_TRUE(c.after.value_or("").starts_with("hmac:"));
    }
  }
}

TEST_F(MonitoringContractTest, AlertsAreRecordedOnceAndJoinTheHouseholdsOpenCase) {
  const Date day{2026, 11, 2};
  const std::vector<NewAlert> first = {
      Pending(MakeAlert(Id("M1"), "620623100201", "income_drop", "2024", day)),
      Pending(MakeAlert(Id("M1"), "620623100201", "labour_loss", "2026", day)),
      Pending(MakeAlert(Id("M2"), "620623100202", "income_below_threshold", "2024", day))};
  auto recorded = repo().RecordAlerts(first, kActor, "620623100000", "test run");
  ASSERT_TRUE(recorded) << recorded.error().message;
  EXPECT_EQ(recorded->created.size(), 3u);
  EXPECT_EQ(recorded->cases_opened, 2);
  EXPECT_EQ(recorded->added_to_open_cases, 0);
  EXPECT_EQ(recorded->created[0].case_id, recorded->created[1].case_id);
  EXPECT_NE(recorded->created[0].case_id, recorded->created[2].case_id);
  // Again: nothing new.
  auto again = repo().RecordAlerts(first, kActor, "620623100000", "test run");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->created.empty());
  EXPECT_EQ(again->already_recorded, 3);
  EXPECT_EQ(again->cases_opened, 0);
  // A new period for M1 joins its open case.
  const std::vector<NewAlert> later = {
      Pending(MakeAlert(Id("M1"), "620623100201", "income_drop", "2025", Date{2026, 11, 5}))};
  auto added = repo().RecordAlerts(later, kActor, "620623100000", "test run");
  ASSERT_TRUE(added);
  EXPECT_EQ(added->added_to_open_cases, 1);
  EXPECT_EQ(added->created[0].case_id, recorded->created[0].case_id);
  auto c = repo().FindCase(recorded->created[0].case_id, {""}).value();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->household_number, "M1");
  EXPECT_EQ(c->head_name, "户主M1");
  EXPECT_EQ(c->region_name, "华藏寺村");
  EXPECT_EQ(c->stage, "alert");
  EXPECT_EQ(c->opened_on, day);
  EXPECT_EQ(c->verify_due, (Date{2026, 11, 7}));
  EXPECT_EQ(c->decide_due, (Date{2026, 11, 17}));
  ASSERT_EQ(c->alerts.size(), 3u);
  EXPECT_EQ(c->alerts[0].values,
            (std::vector<monitoring::AlertValue>{{"year", "2024"}, {"per_capita_fen", "500000"}}));
  EXPECT_EQ(c->rules, (std::vector<std::string>{"income_drop", "labour_loss"}));
  ASSERT_EQ(c->steps.size(), 2u);
  EXPECT_EQ(c->steps[0].action, "opened");
  EXPECT_EQ(c->steps[0].detail, "income_drop,labour_loss");
  EXPECT_EQ(c->steps[1].action, "alert_added");
  // The case is out of reach outside its scope; its region is known for the audit.
  EXPECT_FALSE(repo().FindCase(c->id, {"620623101000"}).value());
  EXPECT_EQ(repo().CaseRegion(c->id).value(), "620623100201");
  // One audit entry per run.
  audit::Query aq;
  aq.scope = {""};
  aq.entity = "monitoring_case";
  auto entries = db_->Audit().List(aq).value();
  EXPECT_EQ(entries.total, 3);
  EXPECT_EQ(entries.items.back().action, "detect");
  EXPECT_EQ(entries.items.back().region_code, "620623100000");
}

TEST_F(MonitoringContractTest, TransitionsCheckTheStageAndAppendToTheRegistryHistory) {
  const Date day{2026, 11, 2};
  auto recorded = repo().RecordAlerts(
      std::vector{
          Pending(MakeAlert(Id("M2"), "620623100202", "income_below_threshold", "2024", day))},
      kActor, "620623100202", "test");
  ASSERT_TRUE(recorded) << recorded.error().message;
  const int64_t id = recorded->created[0].case_id;
  monitoring::Transition t;
  t.case_id = id;
  t.from_stage = "village_verified";  // wrong: it is at alert
  t.to_stage = "township_reviewed";
  t.step.action = "reviewed";
  t.step.on = day;
  auto wrong = repo().ApplyTransition(t, kActor);
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kFailedPrecondition);
  t.from_stage = "alert";
  t.to_stage = "village_verified";
  t.step.action = "verified";
  t.step.note = "入户核实";
  t.village_confirmed = true;
  auto verified = repo().ApplyTransition(t, kActor);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->stage, "village_verified");
  EXPECT_EQ(verified->village_confirmed, true);
  EXPECT_EQ(verified->verified_on, day);
  EXPECT_EQ(verified->CurrentDue(), verified->review_due);
  // The same step twice: the second finds the case moved on.
  auto twice = repo().ApplyTransition(t, kActor);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kFailedPrecondition);

  monitoring::Transition review;
  review.case_id = id;
  review.from_stage = "village_verified";
  review.to_stage = "township_reviewed";
  review.step = {0, "reviewed", Date{2026, 11, 6}, "", 0, "", "同意", "unstable_lifted"};
  review.recommendation = "unstable_lifted";
  ASSERT_TRUE(repo().ApplyTransition(review, kActor));
  monitoring::Transition decide;
  decide.case_id = id;
  decide.from_stage = "township_reviewed";
  decide.to_stage = "monitored";
  decide.step = {0, "decided", Date{2026, 11, 10}, "", 0, "", "纳入", "unstable_lifted"};
  decide.category = "unstable_lifted";
  decide.status_event =
      registry::StatusEvent{0, "monitored", Date{2026, 11, 10}, std::nullopt, "防返贫监测"};
  auto decided = repo().ApplyTransition(decide, kActor);
  ASSERT_TRUE(decided) << decided.error().message;
  EXPECT_EQ(decided->stage, "monitored");
  EXPECT_EQ(decided->category, "unstable_lifted");
  EXPECT_FALSE(decided->CurrentDue());
  ASSERT_EQ(decided->steps.size(), 4u);
  EXPECT_EQ(decided->steps[3].actor, "tester");
  // The household's history gained the event; nothing before it changed.
  auto household = db_->Registry().FindHousehold(Id("M2"), {""}).value();
  ASSERT_TRUE(household);
  EXPECT_EQ(household->household.status, "monitored");
  ASSERT_EQ(household->events.size(), 3u);
  EXPECT_EQ(household->events[1].status, "lifted");
  EXPECT_EQ(household->events[2].status, "monitored");
  EXPECT_EQ(household->events[2].on, (Date{2026, 11, 10}));
  EXPECT_EQ(household->household.lifted_year, 2018);
  // Audited with the stage and the household's status, before and after.
  audit::Query aq;
  aq.scope = {""};
  aq.entity = "monitoring_case";
  aq.entity_id = std::to_string(id);
  auto entries = db_->Audit().List(aq).value();
  ASSERT_EQ(entries.total, 3);
  const auto& last = entries.items[0];
  EXPECT_EQ(last.action, "decided");
  bool status_change = false;
  for (const auto& c : last.changes) {
    if (c.field == "household.status") {
      status_change = c.before == "lifted" && c.after == "monitored";
    }
  }
  EXPECT_TRUE(status_change);
  EXPECT_TRUE(db_->Audit().Verify(std::nullopt).value().ok);

  // Measures only on monitored cases.
  monitoring::Measure m;
  m.case_id = id;
  m.household_id = Id("M2");
  m.kind = "employment";
  m.note = "公益性岗位";
  auto measure = repo().AddMeasure(m, Date{2026, 11, 12}, kActor);
  ASSERT_TRUE(measure) << measure.error().message;
  EXPECT_GT(measure->id, 0);
  EXPECT_EQ(repo().FindCase(id, {""}).value()->measures.size(), 1u);
}

TEST_F(MonitoringContractTest, AClosedCaseLeavesRoomForANewOne) {
  const Date day{2026, 11, 2};
  auto first = repo().RecordAlerts(
      std::vector{Pending(MakeAlert(Id("M1"), "620623100201", "income_drop", "2024", day))}, kActor,
      "", "test");
  ASSERT_TRUE(first);
  const int64_t id = first->created[0].case_id;
  for (auto [from, to, action] : {std::tuple{"alert", "village_verified", "verified"},
                                  std::tuple{"village_verified", "township_reviewed", "reviewed"},
                                  std::tuple{"township_reviewed", "dismissed", "dismissed"}}) {
    monitoring::Transition t;
    t.case_id = id;
    t.from_stage = from;
    t.to_stage = to;
    t.step.action = action;
    t.step.on = day;
    if (std::string_view(to) == "dismissed") t.dismiss_reason = "收入稳定";
    ASSERT_TRUE(repo().ApplyTransition(t, kActor)) << to;
  }
  auto closed = repo().FindCase(id, {""}).value();
  EXPECT_EQ(closed->closed_on, day);
  EXPECT_EQ(closed->dismiss_reason, "收入稳定");
  auto measure = repo().AddMeasure({0, id, Id("M1"), "health", {}, {}, "", "", {}}, day, kActor);
  ASSERT_FALSE(measure);
  EXPECT_EQ(measure.error().code, ErrorCode::kFailedPrecondition);
  // A dismissed alert stays recorded; another rule opens a new case.
  auto again = repo().RecordAlerts(
      std::vector{Pending(MakeAlert(Id("M1"), "620623100201", "income_drop", "2024", day)),
                  Pending(MakeAlert(Id("M1"), "620623100201", "labour_loss", "2026", day))},
      kActor, "", "test");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->already_recorded, 1);
  EXPECT_EQ(again->cases_opened, 1);
  EXPECT_NE(again->created[0].case_id, id);
}

TEST_F(MonitoringContractTest, TheBoardListsOverdueFirstWithinTheScope) {
  // Opened on different days: the oldest is the most overdue on 2026-11-20.
  const std::vector<NewAlert> alerts = {
      Pending(MakeAlert(Id("M1"), "620623100201", "income_drop", "2024", Date{2026, 11, 10})),
      Pending(MakeAlert(Id("M2"), "620623100202", "income_drop", "2024", Date{2026, 11, 1})),
      Pending(MakeAlert(Id("M3"), "620623101201", "income_drop", "2024", Date{2026, 11, 18}))};
  for (const auto& a : alerts) {
    ASSERT_TRUE(repo().RecordAlerts(std::vector{a}, kActor, "", "test"));
  }
  monitoring::CaseQuery q;
  q.scope = {""};
  q.today = Date{2026, 11, 20};
  auto page = repo().ListCases(q).value();
  ASSERT_EQ(page.total, 3);
  EXPECT_EQ(page.overdue, 2);
  EXPECT_EQ(page.stage_counts["alert"], 3);
  EXPECT_EQ(page.items[0].household_number, "M2");  // due 11-06: 14 days over
  EXPECT_EQ(page.items[1].household_number, "M1");  // due 11-15: 5 days over
  EXPECT_EQ(page.items[2].household_number, "M3");  // due 11-23: in time
  EXPECT_EQ(monitoring::DaysOverdue(page.items[0], q.today), 14);
  EXPECT_EQ(page.items[0].rules, std::vector<std::string>{"income_drop"});
  q.overdue_only = true;
  EXPECT_EQ(repo().ListCases(q).value().total, 2);
  q.overdue_only = false;
  q.scope = {"620623100000"};
  EXPECT_EQ(repo().ListCases(q).value().total, 2);
  q.within = "620623100202";
  EXPECT_EQ(repo().ListCases(q).value().total, 1);
  q.within = "";
  q.stage = "monitored";
  auto none = repo().ListCases(q).value();
  EXPECT_EQ(none.total, 0);
  EXPECT_EQ(none.stage_counts["alert"], 2);  // counts ignore the stage filter
  q.stage = "open";
  q.limit = 1;
  q.offset = 1;
  auto paged = repo().ListCases(q).value();
  EXPECT_EQ(paged.total, 2);
  ASSERT_EQ(paged.items.size(), 1u);
  EXPECT_EQ(paged.items[0].household_number, "M1");
}

// The service over the real stores: detection twice records nothing new; the decision's
// category must fit the history; risk elimination states every condition it misses.
TEST_F(MonitoringContractTest, DetectionAndTheWorkflowThroughTheService) {
  ManualClock clock(std::chrono::sys_days(std::chrono::year{2026} / 11 / 2) +
                    std::chrono::hours(2));
  monitoring::MonitoringService service(repo(), db_->Registry(), db_->Audit(), db_->Regions(),
                                        clock);
  const monitoring::Caller county{kActor, {"620623000000"}};
  const monitoring::Caller township{kActor, {"620623101000"}};  // the other township
  auto run = service.RunDetection("620623100000", std::nullopt, county);
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->households, 2);
  EXPECT_EQ(run->watched, 2);
  ASSERT_EQ(run->found.size(), 1u);  // M2: 3,000 a head in 2024
  EXPECT_EQ(run->found[0].rule, "income_below_threshold");
  EXPECT_EQ(run->recorded.cases_opened, 1);
  auto again = service.RunDetection("620623100000", std::nullopt, county);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->found.size(), 1u);
  EXPECT_TRUE(again->recorded.created.empty());
  EXPECT_EQ(again->recorded.already_recorded, 1);
  // Outside the caller's regions.
  auto refused = service.RunDetection("620623100000", std::nullopt, township);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(service.RunDetection("", std::nullopt, county).error().details[0].column, "region");

  const int64_t id = run->recorded.created[0].case_id;
  EXPECT_EQ(service.GetCase(id, township).error().code, ErrorCode::kNotFound);
  auto missing = service.Verify(id, std::nullopt, "", county);
  ASSERT_FALSE(missing);
  ASSERT_EQ(missing.error().details.size(), 2u);
  EXPECT_EQ(service.Review(id, "", "意见", county).error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(service.Verify(id, true, "属实", county));
  ASSERT_TRUE(service.Review(id, "unstable_lifted", "同意", county));
  // M2 was lifted out: not "marginal".
  auto marginal = service.Decide(id, "marginal", "", county);
  ASSERT_FALSE(marginal);
  EXPECT_EQ(marginal.error().details[0].column, "category");
  auto decided = service.Decide(id, "unstable_lifted", "纳入", county);
  ASSERT_TRUE(decided) << decided.error().message;
  EXPECT_EQ(decided->decided_on, (Date{2026, 11, 2}));

  // Too early, the assessment too low, and (after a registry change) water unmet.
  auto household = db_->Registry().FindHousehold(decided->household_id, {""}).value().value();
  household.guarantees[5].met = false;
  ASSERT_TRUE(db_->Registry().SaveHouseholds(std::vector{household}, kActor, "water"));
  auto early = service.EliminateRisk(id, 550000, "测算", county);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kFailedPrecondition);
  std::set<std::string> fields;
  for (const auto& d : early.error().details) fields.insert(d.column);
  EXPECT_EQ(fields, (std::set<std::string>{"months", "per_capita_fen", "guarantees.water"}));
  EXPECT_NE(early.error().message.find("3 conditions are not met"), std::string::npos)
      << early.error().message;
  // Six months later, with water fixed and enough income: eliminated, and the history says so.
  household = db_->Registry().FindHousehold(decided->household_id, {""}).value().value();
  household.guarantees[5].met = true;
  ASSERT_TRUE(db_->Registry().SaveHouseholds(std::vector{household}, kActor, "water"));
  clock.Advance(std::chrono::hours(24 * 182));  // 2027-05-03
  auto eliminated = service.EliminateRisk(id, 800000, "收入稳定", county);
  ASSERT_TRUE(eliminated) << eliminated.error().message;
  EXPECT_EQ(eliminated->stage, "risk_eliminated");
  EXPECT_EQ(eliminated->closed_on, (Date{2027, 5, 3}));
  auto after = db_->Registry().FindHousehold(decided->household_id, {""}).value().value();
  EXPECT_EQ(after.household.status, "risk_eliminated");
  EXPECT_EQ(after.events.back().status, "risk_eliminated");
}

}  // namespace
}  // namespace fupin::storage
