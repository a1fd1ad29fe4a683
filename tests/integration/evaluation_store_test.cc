// Indicator systems and judgments against the real stores of each backend: drafts saved with
// optimistic locking, published versions frozen and numbered (two concurrent publications of
// the same draft: exactly one wins), systems listed within and above the scope, contents and
// matrices read back exactly (NaN for missing judgments), judgments upserted and deleted, every
// write audited.
#include <atomic>
#include <cmath>
#include <thread>

#include "audit/audit_repository.h"
#include "contract_fixture.h"
#include "evaluation/repository.h"

namespace fupin::storage {
namespace {

using evaluation::Judgment;
using evaluation::System;

System FromTemplate(const std::string& region, const std::string& code) {
  System s;
  s.name = "测试体系" + region;
  s.name_en = "test system";
  s.region_code = region;
  s.template_code = code;
  s.draft = evaluation::FindTemplate(code)->content;
  return s;
}

class EvaluationStoreTest : public ContractTest {};

TEST_F(EvaluationStoreTest, DraftsArePublishedAsFrozenVersionsAndListedWithinAndAboveTheScope) {
  auto& repo = db_->Evaluation();
  auto county = repo.SaveSystem(FromTemplate("620623000000", "workshop_bsc"), kActor);
  ASSERT_TRUE(county) << county.error().message;
  EXPECT_EQ(county->version, 1);
  EXPECT_EQ(county->latest_version, 0);
  EXPECT_EQ(county->draft, evaluation::FindTemplate("workshop_bsc")->content);
  auto province = repo.SaveSystem(FromTemplate("620000000000", "exit_assessment"), kActor);
  ASSERT_TRUE(province);
  auto other = repo.SaveSystem(FromTemplate("620722000000", "multi_subject"), kActor);
  ASSERT_TRUE(other);

  // A village sees its county's and its province's systems, not another county's.
  auto seen = repo.ListSystems({"620623101201"});
  ASSERT_TRUE(seen);
  ASSERT_EQ(seen->size(), 2u);
  EXPECT_EQ((*seen)[0].region_code, "620000000000");
  EXPECT_EQ((*seen)[1].id, county->id);
  EXPECT_EQ(repo.ListSystems({""})->size(), 3u);
  EXPECT_EQ(repo.ListSystems({"620722000000"})->size(), 2u);

  // Edits only from the stored version.
  System edit = *county;
  edit.draft.nodes[1].weight = 0.4;
  edit.description = "改";
  auto saved = repo.SaveSystem(edit, kActor);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->version, 2);
  EXPECT_EQ(saved->draft.nodes[1].weight, 0.4);
  auto stale = repo.SaveSystem(edit, kActor);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().current_version, 2);

  // Publish: version 1 holds the draft as it was; later edits leave it alone.
  auto v1 = repo.PublishSystem(county->id, 2, saved->draft, "首版", kActor);
  ASSERT_TRUE(v1) << v1.error().message;
  EXPECT_EQ(v1->version, 1);
  System later = *repo.FindSystem(county->id).value();
  EXPECT_EQ(later.latest_version, 1);
  EXPECT_EQ(later.version, 3);
  later.draft.nodes[0].name = "新名称";
  ASSERT_TRUE(repo.SaveSystem(later, kActor));
  auto stored_v1 = repo.FindVersion(county->id, 1);
  ASSERT_TRUE(stored_v1 && *stored_v1);
  EXPECT_EQ((*stored_v1)->content, saved->draft);
  EXPECT_EQ((*stored_v1)->note, "首版");
  EXPECT_FALSE(repo.FindVersion(county->id, 2).value().has_value());
  auto stale_publish = repo.PublishSystem(county->id, 2, saved->draft, "", kActor);
  ASSERT_FALSE(stale_publish);
  EXPECT_EQ(stale_publish.error().code, ErrorCode::kConflict);

  // Two publications of the same draft version at once: exactly one becomes version 2.
  const System current = *repo.FindSystem(county->id).value();
  std::atomic<int> won{0};
  std::atomic<int> lost{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&] {
      auto r = repo.PublishSystem(current.id, current.version, current.draft, "并发", kActor);
      if (r) {
        ++won;
      } else {
        EXPECT_EQ(r.error().code, ErrorCode::kConflict) << r.error().message;
        ++lost;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(lost.load(), 1);
  auto versions = repo.ListVersions(county->id);
  ASSERT_TRUE(versions);
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[1].version, 2);
  EXPECT_EQ((*versions)[1].content.nodes[0].name, "新名称");

  audit::Query q;
  q.scope = {""};
  q.entity = "evaluation_system";
  auto audit = db_->Audit().List(q);
  ASSERT_TRUE(audit);
  EXPECT_GE(audit->total, 7);  // 3 creations, 2 edits, 2 publications
}

TEST_F(EvaluationStoreTest, JudgmentsKeepMissingComparisonsAndAreReplacedPerExpert) {
  auto& repo = db_->Evaluation();
  auto s = repo.SaveSystem(FromTemplate("620623000000", "workshop_bsc"), kActor);
  ASSERT_TRUE(s);
  ASSERT_TRUE(repo.PublishSystem(s->id, 1, s->draft, "", kActor));
  Judgment j;
  j.system_id = s->id;
  j.version = 1;
  j.node_key = "workshop_performance";
  j.expert_id = 7;
  j.expert_name = "专家甲";
  j.matrix = evaluation::Matrix::Constant(4, 4, methods::kNaN);
  for (int i = 0; i < 4; ++i) j.matrix(i, i) = 1;
  j.matrix(0, 1) = 3;
  j.matrix(0, 3) = 1.0 / 3;
  j.matrix(2, 3) = 5;
  auto saved = repo.SaveJudgment(j, kActor);
  ASSERT_TRUE(saved) << saved.error().message;
  Judgment k = j;
  k.expert_id = 9;
  k.expert_name = "专家乙";
  k.node_key = "economic";
  ASSERT_TRUE(repo.SaveJudgment(k, kActor));

  auto all = repo.ListJudgments(s->id, 1, "");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].node_key, "economic");
  const auto& m = (*all)[1].matrix;
  EXPECT_EQ(m(0, 1), 3);
  EXPECT_DOUBLE_EQ(m(0, 3), 1.0 / 3);  // exactly, through the JSON text
  EXPECT_TRUE(std::isnan(m(1, 2)));
  EXPECT_EQ((*all)[1].expert_name, "专家甲");

  // The same expert again replaces; another node is untouched.
  j.matrix(0, 1) = 4;
  ASSERT_TRUE(repo.SaveJudgment(j, kActor));
  auto root = repo.ListJudgments(s->id, 1, "workshop_performance");
  ASSERT_EQ(root->size(), 1u);
  EXPECT_EQ((*root)[0].matrix(0, 1), 4);

  ASSERT_TRUE(repo.DeleteJudgment(s->id, 1, "economic", 9, kActor));
  auto gone = repo.DeleteJudgment(s->id, 1, "economic", 9, kActor);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(repo.ListJudgments(s->id, 1, "")->size(), 1u);
  audit::Query q;
  q.scope = {""};
  q.entity = "evaluation_judgment";
  auto audit = db_->Audit().List(q);
  ASSERT_TRUE(audit);
  EXPECT_EQ(audit->total, 4);  // three saves, one deletion
}

}  // namespace
}  // namespace fupin::storage

namespace fupin::storage {
namespace {

evaluation::Response Surveyed(const std::string& region, const std::string& external,
                              const std::string& level) {
  evaluation::Response r;
  r.group = "farmer";
  r.region_code = region;
  r.surveyed_on = "2021-01-05";
  r.answers = {{"f1", level}};
  r.source = external.empty() ? "form" : "wjx";
  r.external_id = external;
  return r;
}

TEST_F(EvaluationStoreTest, QuestionnairesAndResponsesAreKeptWithTheirSubmissionIds) {
  auto& repo = db_->Evaluation();
  auto system = repo.SaveSystem(FromTemplate("620623000000", "workshop_bsc"), kActor);
  ASSERT_TRUE(system);
  const auto& content = evaluation::FindTemplate("workshop_bsc")->content;
  ASSERT_TRUE(repo.PublishSystem(system->id, system->version, content, "", kActor));

  evaluation::Questionnaire q;
  q.name = "满意度调查";
  q.region_code = "620623000000";
  q.system_id = system->id;
  q.system_version = 1;
  q.period = "2020";
  q.groups = {"farmer"};
  evaluation::Question item;
  item.key = "f1";
  item.text = "总体满意度";
  item.leaf = "farmer_satisfaction";
  item.groups = {"farmer"};
  for (int l = 0; l < 5; ++l) {
    item.choices.push_back({std::to_string(5 - l), "L" + std::to_string(l), "", 5.0 - l,
                            content.grades[static_cast<size_t>(l)].name});
  }
  q.questions = {item};
  q.targets = {{"farmer", "620623101201", 30}};
  auto saved = repo.SaveQuestionnaire(q, content.grades, kActor);
  ASSERT_TRUE(saved) << saved.error().message;
  EXPECT_EQ(saved->version, 1);
  EXPECT_EQ(saved->questions, q.questions);
  EXPECT_EQ(saved->targets, q.targets);
  EXPECT_EQ(saved->responses, 0);

  // Optimistic locking.
  evaluation::Questionnaire renamed = *saved;
  renamed.name = "农户满意度调查";
  auto second = repo.SaveQuestionnaire(renamed, content.grades, kActor);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->version, 2);
  auto stale = repo.SaveQuestionnaire(renamed, content.grades, kActor);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);

  // Seen within and above its region only.
  EXPECT_EQ(repo.ListQuestionnaires({"620623101201"}, 0)->size(), 1u);
  EXPECT_EQ(repo.ListQuestionnaires({"620722000000"}, 0)->size(), 0u);
  EXPECT_EQ(repo.ListQuestionnaires({""}, system->id + 1)->size(), 0u);

  // Responses: the same submission id again replaces, a form entry always adds.
  auto first =
      repo.SaveResponses(saved->id,
                         {Surveyed("620623101201", "1", "5"), Surveyed("620623101202", "2", "4"),
                          Surveyed("620623101201", "", "3")},
                         kActor);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->inserted, 3);
  EXPECT_EQ(first->ids.size(), 3u);
  auto again = repo.SaveResponses(
      saved->id, {Surveyed("620623101201", "1", "2"), Surveyed("620623101201", "", "3")}, kActor);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->inserted, 1);
  EXPECT_EQ(again->updated, 1);
  EXPECT_EQ(again->ids[0], first->ids[0]);
  auto all = repo.ListResponses(saved->id, {""});
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0].answers.at("f1"), "2");
  EXPECT_EQ((*all)[0].source, "wjx");
  EXPECT_EQ(repo.ListResponses(saved->id, {"620623101202"})->size(), 1u);
  EXPECT_EQ(repo.FindQuestionnaire(saved->id).value()->responses, 4);

  // Nothing written for a questionnaire that does not exist.
  auto missing = repo.SaveResponses(saved->id + 100, {Surveyed("620623101201", "9", "5")}, kActor);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(repo.DeleteResponse(saved->id, first->ids[1], kActor));
  EXPECT_EQ(repo.DeleteResponse(saved->id, first->ids[1], kActor).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(repo.ListResponses(saved->id, {""})->size(), 3u);

  audit::Query audit_query;
  audit_query.scope = {""};
  audit_query.entity = "survey_response";
  auto audit = db_->Audit().List(audit_query);
  ASSERT_TRUE(audit);
  EXPECT_EQ(audit->total, 6);  // 3 + 2 saves, 1 deletion
}

TEST_F(EvaluationStoreTest, RectificationTasksKeepEveryUpdateAndAreListedForBothSides) {
  auto& repo = db_->Evaluation();
  auto system = repo.SaveSystem(FromTemplate("620623000000", "workshop_bsc"), kActor);
  ASSERT_TRUE(system);
  ASSERT_TRUE(repo.PublishSystem(system->id, system->version,
                                 evaluation::FindTemplate("workshop_bsc")->content, "", kActor));
  evaluation::Run run;
  run.system_id = system->id;
  run.system_version = 1;
  run.name = "评价";
  run.region_code = "620623000000";
  run.status = evaluation::RunStatus::kPublished;
  auto stored_run = repo.CreateRun(run, kActor);
  ASSERT_TRUE(stored_run) << stored_run.error().message;

  evaluation::RectificationTask t;
  t.run_id = stored_run->id;
  t.system_id = system->id;
  t.run_region = "620623000000";
  t.finding = {"weakness", "620623101201", "sustainability", "可持续发展最弱", "weakest"};
  t.region_code = "620623101201";
  t.title = "提升可持续发展";
  t.unit = "村委会";
  t.person = "李四";
  t.deadline = "2099-01-31";
  evaluation::TaskUpdate first;
  first.note = "下达";
  first.by = "county";
  auto created = repo.CreateTask(t, first, kActor);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->version, 1);
  EXPECT_EQ(created->finding, t.finding);
  ASSERT_EQ(created->updates.size(), 1u);
  EXPECT_EQ(created->updates[0].note, "下达");

  // A progress report and a submission, each appended; a stale version is refused.
  evaluation::RectificationTask next = *created;
  next.status = evaluation::TaskStatus::kSubmitted;
  next.submitted_on = "2024-05-01";
  evaluation::TaskUpdate u;
  u.status = evaluation::TaskStatus::kSubmitted;
  u.evidence = "台账";
  u.by = "village";
  auto updated = repo.UpdateTask(next, u, "submitted", kActor);
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_EQ(updated->version, 2);
  EXPECT_EQ(updated->status, evaluation::TaskStatus::kSubmitted);
  ASSERT_EQ(updated->updates.size(), 2u);
  EXPECT_EQ(updated->updates[1].evidence, "台账");
  auto stale = repo.UpdateTask(next, u, "submitted", kActor);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);

  // Seen by the village it is rectified in and by the county that assigned it; not elsewhere.
  evaluation::EvaluationRepository::TaskFilter f;
  f.scope = {"620623101201"};
  EXPECT_EQ(repo.ListTasks(f)->size(), 1u);
  f.scope = {"620623000000"};
  EXPECT_EQ(repo.ListTasks(f)->size(), 1u);
  f.scope = {"620722000000"};
  EXPECT_EQ(repo.ListTasks(f)->size(), 0u);
  f.scope = {""};
  f.status = evaluation::TaskStatus::kAssigned;
  EXPECT_EQ(repo.ListTasks(f)->size(), 0u);
  f.status = evaluation::TaskStatus::kSubmitted;
  f.run_id = stored_run->id;
  const auto listed = repo.ListTasks(f);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().updates.size(), 2u);
  EXPECT_FALSE(repo.FindTask(created->id + 50).value().has_value());

  audit::Query q;
  q.scope = {""};
  q.entity = "rectification_task";
  EXPECT_EQ(db_->Audit().List(q)->total, 2);
}

}  // namespace
}  // namespace fupin::storage
