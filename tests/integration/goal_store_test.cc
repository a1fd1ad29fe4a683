// Goals against the real stores of each backend: inserted as version 1, replaced only from the
// stored version, listed within the caller's scope and a region, deleted from the current
// version; every write audited with what changed. The service side (progress from indicator
// values) is covered by the unit and API tests.
#include "audit/audit_repository.h"
#include "contract_fixture.h"
#include "goals/goal_repository.h"

namespace fupin::storage {
namespace {

goals::Goal Incidence(std::string region) {
  goals::Goal g;
  g.region_code = std::move(region);
  g.indicator = "poverty_incidence";
  g.title = "贫困发生率降至2%以下";
  g.baseline = 10.5;
  g.baseline_date = Date{2018, 1, 1};
  g.target = 2;
  g.deadline = Date{2020, 12, 31};
  g.responsible_unit = "县扶贫办";
  g.responsible_person = "张三";
  return g;
}

class GoalStoreTest : public ContractTest {};

TEST_F(GoalStoreTest, SavedWithVersionsListedWithinScopeAndDeleted) {
  auto& repo = db_->Goals();
  auto county = repo.SaveGoal(Incidence("620623000000"), kActor);
  ASSERT_TRUE(county) << county.error().message;
  EXPECT_GT(county->id, 0);
  EXPECT_EQ(county->version, 1);
  EXPECT_EQ(county->created_by, kActor.name);
  EXPECT_EQ(county->baseline, 10.5);
  EXPECT_EQ(county->deadline, (Date{2020, 12, 31}));
  EXPECT_EQ(county->title, "贫困发生率降至2%以下");
  auto village = repo.SaveGoal(Incidence("620623101201"), kActor);
  ASSERT_TRUE(village);
  goals::Goal other = Incidence("620722000000");
  other.indicator = "mean_per_capita_net_income";
  ASSERT_TRUE(repo.SaveGoal(other, kActor));

  // Scope and region.
  auto all = repo.ListGoals({{""}, "", ""}).value();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].region_code, "620623000000");
  EXPECT_EQ(repo.ListGoals({{"620623000000"}, "", ""}).value().size(), 2u);
  EXPECT_EQ(repo.ListGoals({{""}, "620623101201", ""}).value().size(), 1u);
  EXPECT_EQ(repo.ListGoals({{""}, "", "mean_per_capita_net_income"}).value().size(), 1u);
  EXPECT_FALSE(repo.FindGoal(county->id, {"620722000000"}).value().has_value());
  EXPECT_TRUE(repo.FindGoal(county->id, {"620623000000"}).value().has_value());

  // Replaced from the stored version only.
  goals::Goal edit = *county;
  edit.target = 1.5;
  auto updated = repo.SaveGoal(edit, kActor);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->target, 1.5);
  auto stale = repo.SaveGoal(edit, kActor);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().current_version, 2);
  edit.id = 999999;
  EXPECT_EQ(repo.SaveGoal(edit, kActor).error().code, ErrorCode::kNotFound);

  // Deleted from the current version.
  EXPECT_EQ(repo.DeleteGoal(county->id, 1, kActor).error().code, ErrorCode::kConflict);
  ASSERT_TRUE(repo.DeleteGoal(county->id, 2, kActor));
  EXPECT_FALSE(repo.FindGoal(county->id, {""}).value().has_value());
  EXPECT_EQ(repo.DeleteGoal(county->id, 2, kActor).error().code, ErrorCode::kNotFound);

  audit::Query q;
  q.scope = {""};
  q.entity = "goal";
  q.entity_id = std::to_string(county->id);
  const auto entries = db_->Audit().List(q).value().items;
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].action, "delete");
  EXPECT_EQ(entries[1].action, "update");
  bool target_changed = false;
  for (const auto& c : entries[1].changes) {
    target_changed = target_changed || (c.field == "target" && c.before == "2" && c.after == "1.5");
  }
  EXPECT_TRUE(target_changed);
  EXPECT_EQ(entries[2].action, "create");
}

}  // namespace
}  // namespace fupin::storage
