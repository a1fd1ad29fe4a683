#include "projects/model.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace fupin::projects {
namespace {

ProjectProfile Valid() {
  ProjectProfile p;
  p.name = "某村日光温室产业项目";
  p.type = "industry";
  p.region_code = "990121001001";
  p.implementing_unit = "某村股份经济合作社";
  p.person_in_charge = "张三";
  p.mechanism = "资产收益扶持：温室租金的 60% 分配给脱贫户";
  p.budget_fen = 120'000'000;
  p.start_on = {2024, 3, 1};
  p.end_on = {2024, 10, 31};
  p.targets = {{"", "output_quantity", "新建日光温室", "座", ">=", 20},
               {"", "benefit_economic", "带动脱贫户户均增收", "元", ">=", 2000},
               {"", "satisfaction", "受益群众满意度", "%", ">=", 90}};
  p.milestones = {{"", "基础平整", {2024, 4, 15}, 30},
                  {"", "主体建设", {2024, 8, 31}, 50},
                  {"", "竣工验收", {2024, 10, 31}, 20}};
  return p;
}

bool Names(const std::vector<ErrorDetail>& problems, const std::string& column,
           const std::string& reason_part) {
  return std::any_of(problems.begin(), problems.end(), [&](const ErrorDetail& d) {
    return d.column == column && d.reason.find(reason_part) != std::string::npos;
  });
}

TEST(ProjectModel, AValidProfileHasNoProblems) {
  const auto problems = ValidateProfile(Valid());
  EXPECT_TRUE(problems.empty()) << problems.front().column << " " << problems.front().reason;
}

TEST(ProjectModel, ProblemsNameTheirField) {
  ProjectProfile p = Valid();
  p.name = " ";
  p.type = "roads";
  p.mechanism = "";
  p.budget_fen = 0;
  p.end_on = {2024, 2, 1};
  p.beneficiaries = {5, 7, 5};
  const auto problems = ValidateProfile(p);
  EXPECT_TRUE(Names(problems, "name", "is required"));
  EXPECT_TRUE(Names(problems, "type", "is not one of"));
  EXPECT_TRUE(Names(problems, "mechanism", "is required"));
  EXPECT_TRUE(Names(problems, "budget_fen", "must be more than 0"));
  EXPECT_TRUE(Names(problems, "end_on", "is before start_on"));
  EXPECT_TRUE(Names(problems, "beneficiaries[3]", "appears twice"));
}

TEST(ProjectModel, TheTargetTableNeedsOutputBenefitAndSatisfaction) {
  ProjectProfile p = Valid();
  p.targets.erase(p.targets.begin() + 1);  // no benefit target
  p.targets[0].direction = "more";
  auto problems = ValidateProfile(p);
  EXPECT_TRUE(Names(problems, "targets", "at least one benefit target"));
  EXPECT_FALSE(Names(problems, "targets", "at least one output target"));
  EXPECT_TRUE(Names(problems, "targets[1].direction", "is not one of"));
  p.targets.clear();
  problems = ValidateProfile(p);
  EXPECT_TRUE(Names(problems, "targets", "at least one output target"));
  EXPECT_TRUE(Names(problems, "targets", "at least one satisfaction target"));
}

TEST(ProjectModel, MilestonesFitTheDatesAndTheirWeightsAddUpTo100) {
  ProjectProfile p = Valid();
  p.milestones[1].weight = 40;  // 30 + 40 + 20 = 90
  p.milestones[2].planned_on = {2024, 11, 30};
  auto problems = ValidateProfile(p);
  EXPECT_TRUE(Names(problems, "milestones", "the weights add up to 90, not 100"));
  EXPECT_TRUE(Names(problems, "milestones[3].planned_on", "outside the project's dates"));
  p = Valid();
  p.milestones[1].planned_on = {2024, 4, 1};
  p.milestones[0].weight = 0;
  p.milestones[1].weight = 80;
  problems = ValidateProfile(p);
  EXPECT_TRUE(Names(problems, "milestones[2].planned_on", "before the previous milestone"));
  EXPECT_TRUE(Names(problems, "milestones[1].weight", "must be from 1 to 100"));
  p.milestones.clear();
  EXPECT_TRUE(Names(ValidateProfile(p), "milestones", "needs at least one milestone"));
}

TEST(ProjectModel, KeysAreAssignedOnceAndNeverReused) {
  ProjectProfile p = Valid();
  AssignKeys(p);
  EXPECT_EQ(p.targets[2].key, "t3");
  EXPECT_EQ(p.milestones[0].key, "m1");
  EXPECT_EQ(p.milestones[2].key, "m3");
  // Version 2 drops m3 and adds a milestone: it becomes m4, not m3 again.
  ProjectVersion v1{1, 1, p, "approved", "", "", ""};
  ProjectProfile next = p;
  next.milestones.pop_back();
  next.milestones.push_back({"", "验收移交", {2024, 10, 31}, 20});
  AssignKeys(next, {v1});
  EXPECT_EQ(next.milestones[0].key, "m1");
  EXPECT_EQ(next.milestones[2].key, "m4");
}

TEST(ProjectModel, ReportsAreDatedWithinTheProjectAndNotInTheFuture) {
  const ProjectProfile p = Valid();
  ProgressReport r;
  r.on = {2024, 5, 1};
  r.percent = 35;
  r.narrative = "基础平整完成，主体建设开始";
  r.attachments = {{"现场照片.jpg", "archive/2024/05/01.jpg"}};
  EXPECT_TRUE(ValidateReport(r, p, {2024, 6, 1}).empty());
  r.on = {2024, 7, 1};
  r.percent = 101;
  r.narrative = "";
  r.attachments.push_back({"", "x"});
  const auto problems = ValidateReport(r, p, {2024, 6, 1});
  EXPECT_TRUE(Names(problems, "on", "is in the future"));
  EXPECT_TRUE(Names(problems, "percent", "from 0 to 100"));
  EXPECT_TRUE(Names(problems, "narrative", "is required"));
  EXPECT_TRUE(Names(problems, "attachments[2].name", "is required"));
  r.on = {2024, 2, 1};
  EXPECT_TRUE(Names(ValidateReport(r, p, {2024, 6, 1}), "on", "before the project's start"));
}

TEST(ProjectModel, VersionsCompareFieldByFieldAndItemsByKey) {
  ProjectProfile a = Valid();
  AssignKeys(a);
  a.beneficiaries = {11, 12};
  ProjectProfile b = a;
  EXPECT_TRUE(Compare(a, b).empty());
  b.budget_fen = 135'000'000;
  b.end_on = {2024, 12, 31};
  b.beneficiaries = {12, 13};
  b.milestones[1].planned_on = {2024, 9, 30};
  b.targets[0].target_value = 24;
  b.targets.pop_back();
  b.targets.push_back({"t4", "satisfaction", "脱贫户满意度", "%", ">=", 95});
  const std::vector<Difference> expected = {
      {"budget_fen", "120000000", "135000000"},
      {"end_on", "2024-10-31", "2024-12-31"},
      {"beneficiaries[11]", "listed", ""},
      {"beneficiaries[13]", "", "listed"},
      {"targets[t1].target_value", "20", "24"},
      {"targets[t3]", "satisfaction 受益群众满意度 >= 90%", ""},
      {"targets[t4]", "", "satisfaction 脱贫户满意度 >= 95%"},
      {"milestones[m2].planned_on", "2024-08-31", "2024-09-30"},
  };
  EXPECT_EQ(Compare(a, b), expected);
}

TEST(ProjectModel, MoneyIsShownInYuanFromFen) {
  EXPECT_EQ(Yuan(120'000'000), "1200000.00");
  EXPECT_EQ(Yuan(5), "0.05");
  EXPECT_EQ(Yuan(-150), "-1.50");
}

}  // namespace
}  // namespace fupin::projects
