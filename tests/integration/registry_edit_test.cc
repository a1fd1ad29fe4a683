// Editing households and recording membership events (registry/editing.h) through
// RegistryService against the real stores of each backend: optimistic locking, people moving
// between households under the "unique among current members" rule, splits, merges, ID
// corrections, membership as of a date, and the audit trail.
#include <fmt/format.h>

#include <chrono>

#include "audit/audit_repository.h"
#include "contract_fixture.h"
#include "registry/id_number.h"
#include "registry/registry_service.h"

namespace fupin::storage {
namespace {

using registry::HouseholdPatch;
using registry::HouseholdRecord;
using registry::Member;
using registry::MemberEventRequest;

std::string Id(std::string_view birth, std::string_view sequence) {
  const std::string first17 = "620623" + std::string(birth) + std::string(sequence);
  return first17 + registry::IdNumberCheckCharacter(first17);
}

Member Person(std::string name, std::string relation, std::string id_number) {
  Member m;
  m.name = std::move(name);
  m.relation = std::move(relation);
  m.id_number = std::move(id_number);
  return m;
}

class EditTest : public ContractTest {
 protected:
  void SetUp() override {
    ContractTest::SetUp();
    if (HasFatalFailure()) return;
    SeedSmallTree();
    service_ = std::make_unique<registry::RegistryService>(db_->Registry(), db_->Audit(),
                                                           db_->Regions(), clock_);
    viewer_.actor = kActor;
    viewer_.scope = {"620623000000"};
    a_ = Create("A1", "620623100201",
                {Person("张大山", "head", Id("19620304", "031")),
                 Person("李桂兰", "spouse", Id("19650811", "042")),
                 Person("张小军", "child", Id("19900102", "053"))});
    b_ = Create("B1", "620623100201",
                {Person("王有福", "head", Id("19580607", "011")),
                 Person("王奶奶", "parent", Id("19350101", "022"))});
  }

  int64_t Create(std::string number, std::string region, std::vector<Member> members) {
    HouseholdRecord r;
    r.household.number = std::move(number);
    r.household.region_code = std::move(region);
    r.household.attribute = "general";
    r.household.main_cause = "illness";
    r.household.year_identified = 2014;
    r.events.push_back({0, "identified", Date{2014, 3, 1}, std::nullopt, ""});
    r.members = std::move(members);
    auto view = service_->Create(r, viewer_);
    EXPECT_TRUE(view.has_value()) << (view ? "" : view.error().message);
    return view ? view->record.household.id : 0;
  }

  HouseholdRecord Load(int64_t id) {
    auto found = db_->Registry().FindHousehold(id, {""});
    EXPECT_TRUE(found && *found);
    return **found;
  }

  int64_t MemberId(const HouseholdRecord& r, std::string_view name) {
    for (const Member& m : r.members) {
      if (m.name == name && !m.left_on) return m.id;
    }
    ADD_FAILURE() << "no current member " << name;
    return 0;
  }

  MemberEventRequest Event(std::string kind, int64_t household) {
    MemberEventRequest q;
    q.kind = std::move(kind);
    q.on = Date{2024, 3, 15};
    q.version = Load(household).household.version;
    return q;
  }

  ManualClock clock_{std::chrono::sys_days{std::chrono::year{2024} / 6 / 1}};
  std::unique_ptr<registry::RegistryService> service_;
  registry::Viewer viewer_;
  int64_t a_ = 0;
  int64_t b_ = 0;
};

TEST_F(EditTest, PatchSetsFieldsChecksTheVersionAndAuditsTheChange) {
  const HouseholdRecord before = Load(a_);
  HouseholdPatch patch;
  patch.version = before.household.version;
  patch.main_cause = "disability";
  patch.phone = "13900001111";
  registry::MemberPatch mp;
  mp.member_id = MemberId(before, "李桂兰");
  mp.labour = "skilled";
  patch.members.push_back(mp);
  patch.incomes.push_back({2023, 20000, 5000, 0, 3000, 2000});
  patch.note = "入户核实";
  auto view = service_->Update(a_, patch, viewer_);
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->record.household.version, before.household.version + 1);
  EXPECT_EQ(view->record.household.phone, "139****1111");  // the view is masked
  const HouseholdRecord after = Load(a_);
  EXPECT_EQ(after.household.main_cause, "disability");
  EXPECT_EQ(after.household.phone, "13900001111");
  EXPECT_EQ(MemberId(after, "李桂兰"), mp.member_id);  // member ids survive edits
  ASSERT_EQ(after.incomes.size(), 1u);
  EXPECT_DOUBLE_EQ(after.incomes[0].Net(), 26000);

  // The same edit again, from the old version: refused with the current one, nothing written.
  patch.main_cause = "lack_of_funds";
  auto stale = service_->Update(a_, patch, viewer_);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().current_version, after.household.version);
  EXPECT_EQ(Load(a_).household.main_cause, "disability");

  auto history = service_->History(a_, viewer_, 0, 10);
  ASSERT_TRUE(history) << history.error().message;
  ASSERT_GE(history->items.size(), 2u);
  const audit::Entry& last = history->items.front();
  EXPECT_EQ(last.action, "update");
  EXPECT_EQ(last.note, "入户核实");
  bool phone_hidden = false;
  for (const auto& c : last.changes) {
    if (c.field == "phone") phone_hidden = c.after && c.after->starts_with("hmac:");
  }
  EXPECT_TRUE(phone_hidden) << "the audit log keeps an HMAC of a phone, never the number";
}

TEST_F(EditTest, InvalidPatchesNameTheFieldAndWriteNothing) {
  const HouseholdRecord before = Load(a_);
  HouseholdPatch patch;
  patch.version = before.household.version;
  patch.phone = "12345";
  patch.region_code = "620623101201";  // another village, fine
  registry::MemberPatch mp;
  mp.member_id = MemberId(before, "张小军");
  mp.relation = "head";  // two heads
  patch.members.push_back(mp);
  auto refused = service_->Update(a_, patch, viewer_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  std::set<std::string> fields;
  for (const auto& d : refused.error().details) fields.insert(d.column);
  EXPECT_TRUE(fields.contains("phone"));
  EXPECT_TRUE(fields.contains("members"));
  EXPECT_EQ(Load(a_).household.version, before.household.version);
  EXPECT_EQ(Load(a_).household.region_code, "620623100201");

  // Outside the writer's scope: not found.
  registry::Viewer elsewhere = viewer_;
  elsewhere.scope = {"620623101000"};
  patch = HouseholdPatch{};
  patch.version = before.household.version;
  patch.main_cause = "disability";
  auto hidden = service_->Update(a_, patch, elsewhere);
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, ErrorCode::kNotFound);
}

TEST_F(EditTest, MarriageMovesAPersonBetweenHouseholdsAndAsOfDatesFollow) {
  MemberEventRequest q = Event("marriage_out", a_);
  q.member_id = MemberId(Load(a_), "张小军");
  q.other_household_id = b_;
  q.relation = "子女";
  auto view = service_->RecordMemberEvent(a_, q, viewer_);
  ASSERT_TRUE(view) << view.error().message;

  const HouseholdRecord a = Load(a_);
  const HouseholdRecord b = Load(b_);
  // The person is a former member of A and a current member of B: the same ID number twice.
  ASSERT_EQ(a.members.size(), 3u);
  ASSERT_EQ(b.members.size(), 3u);
  EXPECT_EQ(a.members[2].left_on, (Date{2024, 3, 15}));
  EXPECT_EQ(b.members[2].id_number, a.members[2].id_number);
  EXPECT_EQ(b.members[2].joined_on, (Date{2024, 3, 15}));
  EXPECT_EQ(registry::RecordAsOf(a, Date{2024, 3, 14}).members.size(), 3u);
  EXPECT_EQ(registry::RecordAsOf(a, Date{2024, 3, 15}).members.size(), 2u);
  EXPECT_EQ(registry::RecordAsOf(b, Date{2024, 3, 14}).members.size(), 2u);
  EXPECT_EQ(registry::RecordAsOf(b, Date{2024, 3, 15}).members.size(), 3u);
  ASSERT_EQ(a.member_events.size(), 1u);
  EXPECT_EQ(a.member_events[0].kind, "marriage_out");
  EXPECT_EQ(a.member_events[0].member_id, a.members[2].id);
  EXPECT_EQ(a.member_events[0].other_household_number, "B1");
  EXPECT_EQ(a.member_events[0].recorded_by, kActor.name);
  ASSERT_EQ(b.member_events.size(), 1u);
  EXPECT_EQ(b.member_events[0].kind, "marriage_in");
  EXPECT_EQ(b.member_events[0].member_id, b.members[2].id);
  // The view masks the person's ID number in the events too.
  ASSERT_EQ(view->record.member_events.size(), 1u);
  EXPECT_NE(view->record.member_events[0].id_number, a.members[2].id_number);

  // Imports and lookups see only current members: the person is B's.
  const std::string ids[] = {a.members[2].id_number};
  auto holders = db_->Registry().HouseholdsOfIdNumbers(ids);
  ASSERT_TRUE(holders);
  EXPECT_EQ(holders->at(a.members[2].id_number), "B1");
  // The list's search by ID number finds the households the person is or was a member of.
  registry::HouseholdQuery search;
  search.scope = {""};
  search.text = a.members[2].id_number;
  auto listed = db_->Registry().ListHouseholds(search);
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->total, 2);
  std::vector<std::string> numbers;
  for (const auto& h : listed->items) numbers.push_back(h.household.number);
  EXPECT_EQ(numbers, (std::vector<std::string>{a.household.number, "B1"}));
}

TEST_F(EditTest, APersonCannotBeACurrentMemberOfTwoHouseholds) {
  // Someone of B "born" into A: the ID number is B's current member's.
  MemberEventRequest q = Event("birth", a_);
  q.on = Date{2024, 5, 1};
  q.person = Person("王奶奶", "child", Id("19350101", "022"));
  q.person->birth_date = Date{2024, 5, 1};
  auto refused = service_->RecordMemberEvent(a_, q, viewer_);
  ASSERT_FALSE(refused);
  // Either the birth date check or the registration check refuses it; nothing is written.
  EXPECT_EQ(Load(a_).members.size(), 3u);

  q = Event("move_in", a_);
  q.person = Person("王奶奶", "parent", Id("19350101", "022"));
  auto taken = service_->RecordMemberEvent(a_, q, viewer_);
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, ErrorCode::kAlreadyExists);
  ASSERT_FALSE(taken.error().details.empty());
  EXPECT_NE(taken.error().details[0].reason.find("B1"), std::string::npos);
  EXPECT_EQ(Load(a_).members.size(), 3u);
  EXPECT_TRUE(Load(a_).member_events.empty());

  // Moving them in by ID number takes them out of B.
  q = Event("move_in", a_);
  q.id_number = Id("19350101", "022");
  q.relation = "父母";
  auto moved = service_->RecordMemberEvent(a_, q, viewer_);
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(Load(a_).members.size(), 4u);
  EXPECT_EQ(Load(a_).members[3].relation, "parent");
  EXPECT_TRUE(Load(b_).members[1].left_on.has_value());
  EXPECT_EQ(Load(b_).members[1].left_reason, "move_out");
}

TEST_F(EditTest, SplitCreatesAHouseholdAndMergeCancelsOne) {
  MemberEventRequest split = Event("split", a_);
  const HouseholdRecord a = Load(a_);
  split.member_ids = {MemberId(a, "张小军")};
  split.new_household_number = "A2";
  auto view = service_->RecordMemberEvent(a_, split, viewer_);
  ASSERT_TRUE(view) << view.error().message;
  const std::string numbers[] = {"A2"};
  auto created = db_->Registry().FindHouseholdsByNumber(numbers);
  ASSERT_TRUE(created && created->size() == 1);
  const HouseholdRecord& a2 = created->front();
  EXPECT_EQ(a2.household.region_code, "620623100201");
  EXPECT_EQ(a2.household.status, "identified");  // the shared history
  ASSERT_EQ(a2.members.size(), 1u);
  EXPECT_EQ(a2.members[0].relation, "head");
  ASSERT_EQ(a2.member_events.size(), 1u);
  EXPECT_EQ(a2.member_events[0].kind, "split");
  EXPECT_EQ(a2.member_events[0].other_household_id, a_);
  ASSERT_EQ(Load(a_).member_events.size(), 1u);
  EXPECT_EQ(Load(a_).member_events[0].other_household_id, a2.household.id);

  // A split to a number that is taken writes nothing.
  MemberEventRequest again = Event("split", a_);
  again.member_ids = {MemberId(Load(a_), "李桂兰")};
  again.new_household_number = "B1";
  auto taken = service_->RecordMemberEvent(a_, again, viewer_);
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(Load(a_).members.size(), 3u);
  EXPECT_EQ(MemberId(Load(a_), "李桂兰") != 0, true);

  // B merges into A: its members join A, B is cancelled.
  MemberEventRequest merge = Event("merge", a_);
  merge.other_household_id = b_;
  auto merged = service_->RecordMemberEvent(a_, merge, viewer_);
  ASSERT_TRUE(merged) << merged.error().message;
  const HouseholdRecord b = Load(b_);
  EXPECT_EQ(b.household.status, "cancelled");
  EXPECT_EQ(b.events.back().reason, "merged into household A1");
  size_t current = 0;
  for (const Member& m : Load(a_).members) current += m.left_on ? 0 : 1;
  EXPECT_EQ(current, 4u);  // 张大山, 李桂兰 + 王有福, 王奶奶
}

TEST_F(EditTest, IdCorrectionChangesTheNumberInPlaceAndKeepsTheOldOne) {
  const HouseholdRecord a = Load(a_);
  const int64_t member = MemberId(a, "张小军");
  MemberEventRequest q = Event("id_correction", a_);
  q.member_id = member;
  q.new_id_number = Id("19910102", "053");
  auto view = service_->RecordMemberEvent(a_, q, viewer_);
  ASSERT_TRUE(view) << view.error().message;
  const HouseholdRecord after = Load(a_);
  EXPECT_EQ(MemberId(after, "张小军"), member);
  EXPECT_EQ(after.members[2].id_number, q.new_id_number);
  EXPECT_EQ(after.members[2].birth_date, (Date{1991, 1, 2}));
  ASSERT_EQ(after.member_events.size(), 1u);
  EXPECT_EQ(after.member_events[0].old_id_number, Id("19900102", "053"));
  EXPECT_EQ(after.member_events[0].id_number, q.new_id_number);

  // A wrong check digit is refused with the field named.
  MemberEventRequest bad = Event("id_correction", a_);
  bad.member_id = member;
  bad.new_id_number = q.new_id_number.substr(0, 17) + (q.new_id_number[17] == '1' ? "2" : "1");
  auto refused = service_->RecordMemberEvent(a_, bad, viewer_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().details.at(0).column, "members[3].id_number");
}

TEST_F(EditTest, AStaleEventIsAConflict) {
  MemberEventRequest q = Event("death", a_);
  q.member_id = MemberId(Load(a_), "张小军");
  q.version += 5;
  auto stale = service_->RecordMemberEvent(a_, q, viewer_);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(Load(a_).members[2].left_on.has_value());
}

}  // namespace
}  // namespace fupin::storage
