#include "evaluation/rectification.h"

#include <gtest/gtest.h>

namespace fupin::evaluation {
namespace {

RectificationTask Task(TaskStatus status, std::string deadline) {
  RectificationTask t;
  t.title = "完善台账";
  t.unit = "村委会";
  t.person = "张三";
  t.status = status;
  t.deadline = std::move(deadline);
  return t;
}

TEST(RectificationTest, StatusesMoveForwardAndVerifiedIsFinal) {
  EXPECT_TRUE(AllowedMove(TaskStatus::kAssigned, TaskStatus::kInProgress));
  EXPECT_TRUE(AllowedMove(TaskStatus::kAssigned, TaskStatus::kSubmitted));
  EXPECT_FALSE(AllowedMove(TaskStatus::kAssigned, TaskStatus::kVerified));
  EXPECT_TRUE(AllowedMove(TaskStatus::kInProgress, TaskStatus::kInProgress));
  EXPECT_FALSE(AllowedMove(TaskStatus::kInProgress, TaskStatus::kAssigned));
  EXPECT_TRUE(AllowedMove(TaskStatus::kSubmitted, TaskStatus::kVerified));
  EXPECT_TRUE(AllowedMove(TaskStatus::kSubmitted, TaskStatus::kInProgress));
  EXPECT_FALSE(AllowedMove(TaskStatus::kSubmitted, TaskStatus::kSubmitted));
  for (auto to : {TaskStatus::kAssigned, TaskStatus::kInProgress, TaskStatus::kSubmitted,
                  TaskStatus::kVerified}) {
    EXPECT_FALSE(AllowedMove(TaskStatus::kVerified, to));
  }
  EXPECT_EQ(TaskStatusNamed("in_progress"), TaskStatus::kInProgress);
  EXPECT_FALSE(TaskStatusNamed("done").has_value());
}

TEST(RectificationTest, OverdueOnlyWhileOpenAndLateWhenSubmittedAfterTheDeadline) {
  const Date today{2024, 6, 10};
  EXPECT_TRUE(Overdue(Task(TaskStatus::kAssigned, "2024-06-09"), today));
  EXPECT_TRUE(Overdue(Task(TaskStatus::kInProgress, "2024-06-09"), today));
  EXPECT_FALSE(Overdue(Task(TaskStatus::kInProgress, "2024-06-10"), today));  // due today
  EXPECT_FALSE(Overdue(Task(TaskStatus::kSubmitted, "2024-06-01"), today));
  EXPECT_FALSE(Overdue(Task(TaskStatus::kVerified, "2024-06-01"), today));
  auto late = Task(TaskStatus::kSubmitted, "2024-06-01");
  late.submitted_on = "2024-06-02";
  EXPECT_TRUE(Late(late));
  late.submitted_on = "2024-06-01";
  EXPECT_FALSE(Late(late));
}

TEST(RectificationTest, ANewTaskNeedsItsUnitPersonAndAFutureDeadline) {
  const Date today{2024, 6, 10};
  EXPECT_TRUE(ValidateTask(Task(TaskStatus::kAssigned, "2024-06-10"), today).has_value());
  auto bad = Task(TaskStatus::kAssigned, "2024-06-09");
  bad.unit = " ";
  bad.person.clear();
  auto s = ValidateTask(bad, today);
  ASSERT_FALSE(s.has_value());
  std::vector<std::string> columns;
  for (const auto& d : s.error().details) columns.push_back(d.column);
  EXPECT_EQ(columns, (std::vector<std::string>{"unit", "person", "deadline"}));
  EXPECT_FALSE(ValidateTask(Task(TaskStatus::kAssigned, "2024-02-30"), today).has_value());
}

// Two runs of one system over the same object: the node of the earlier run's task scores
// higher in the later one.
Run RunWith(int64_t id, double b_score, int b_grade) {
  Run r;
  r.id = id;
  r.system_id = 3;
  r.snapshot.grades = {{"好", 90, std::nullopt}, {"差", 50, std::nullopt}};
  r.snapshot.nodes = {SnapshotNode{}, SnapshotNode{}};
  r.snapshot.nodes[0].key = "root";
  r.snapshot.nodes[1].key = "b";
  r.snapshot.nodes[1].parent = "root";
  r.snapshot.objects = {RunObject{"620102001001", "红星村", {}}};
  Outcome o;
  o.nodes.resize(2);
  o.nodes[0].score = b_score;
  o.nodes[1].score = b_score;
  o.nodes[1].grade = b_grade;
  r.results.outcomes = {o};
  return r;
}

TEST(RectificationTest, TheNextRunShowsHowEarlierTasksNodesScoreNow) {
  const evaluation::Run before = RunWith(1, 60, 1);
  const evaluation::Run after = RunWith(2, 80, 0);
  RectificationTask on_b = Task(TaskStatus::kVerified, "2024-06-01");
  on_b.id = 10;
  on_b.run_id = 1;
  on_b.system_id = 3;
  on_b.finding = {"weakness", "620102001001", "b", "b 最弱", ""};
  RectificationTask elsewhere = on_b;
  elsewhere.id = 11;
  elsewhere.finding.object = "620102001002";  // not evaluated in run 2
  RectificationTask other_system = on_b;
  other_system.id = 12;
  other_system.system_id = 4;
  const auto f = FollowUp({on_b, elsewhere, other_system}, {before}, after);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].task.id, 10);
  EXPECT_EQ(f[0].earlier_run, 1);
  EXPECT_EQ(*f[0].score_before, 60);
  EXPECT_EQ(*f[0].score_now, 80);
  EXPECT_EQ(f[0].grade_before, "差");
  EXPECT_EQ(f[0].grade_now, "好");
  EXPECT_TRUE(f[0].improved);
}

}  // namespace
}  // namespace fupin::evaluation
