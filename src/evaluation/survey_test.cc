#include "evaluation/survey.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "evaluation/survey_import.h"
#include "evaluation/survey_json.h"

namespace fupin::evaluation {
namespace {

// The balanced-scorecard template: its survey leaves are what questionnaires feed.
const SystemContent& Bsc() { return FindTemplate("workshop_bsc")->content; }

Question Likert(std::string key, std::string text, std::string leaf) {
  Question q;
  q.key = std::move(key);
  q.text = std::move(text);
  q.leaf = std::move(leaf);
  const char* labels[] = {"非常满意", "满意", "一般", "不满意", "非常不满意"};
  const char* grades[] = {"优秀", "良好", "较好", "一般", "较差"};
  for (int l = 0; l < 5; ++l) {
    q.choices.push_back(Choice{std::to_string(5 - l), labels[l], "", 5.0 - l, grades[l]});
  }
  return q;
}

Questionnaire Sample() {
  Questionnaire q;
  q.id = 7;
  q.name = "满意度调查";
  q.region_code = "620102000000";
  q.system_version = 1;
  q.period = "2020";
  q.groups = {"farmer", "government"};
  q.questions = {Likert("f1", "1、您对车间的总体满意度？", "farmer_satisfaction"),
                 Likert("f2", "您对工资待遇是否满意", "farmer_satisfaction"),
                 Likert("f3", "政策知晓", "policy_awareness")};
  Question hours;
  hours.key = "hours";
  hours.kind = QuestionKind::kNumber;
  hours.text = "每月务工天数";
  hours.min = 0;
  hours.max = 31;
  hours.required = false;
  q.questions.push_back(hours);
  return q;
}

Response Answer(std::string group, std::map<std::string, std::string> answers, int64_t id = 0) {
  Response r;
  r.id = id;
  r.group = std::move(group);
  r.region_code = "620102001001";
  r.surveyed_on = "2021-01-05";
  r.answers = std::move(answers);
  return r;
}

std::vector<std::string> Columns(const Error& e) {
  std::vector<std::string> out;
  for (const auto& d : e.details) out.push_back(d.column);
  return out;
}

TEST(SurveyTest, AQuestionnaireIsCheckedAgainstTheSystemsSurveyLeavesAndScale) {
  EXPECT_TRUE(ValidateQuestionnaire(Sample(), Bsc()).has_value());

  Questionnaire bad = Sample();
  bad.questions[0].leaf = "output_value";      // an indicator leaf
  bad.questions[1].choices[2].grade = "中等";  // not a grade of the scale
  bad.questions[2].choices[3].value = 4;       // not below the level before
  bad.questions[2].key = "f1";                 // used twice
  bad.groups.push_back("tourists");
  bad.targets = {{"enterprise", "620102000000", 10}};
  auto s = ValidateQuestionnaire(bad, Bsc());
  ASSERT_FALSE(s.has_value());
  const auto cols = Columns(s.error());
  for (const char* c :
       {"questions[0].leaf", "questions[1].choices[2].grade", "questions[2].choices[3].value",
        "questions[2].key", "groups[2]", "targets[0].group"}) {
    EXPECT_NE(std::find(cols.begin(), cols.end(), c), cols.end()) << c;
  }
}

TEST(SurveyTest, AResponseIsNormalizedToCodesAndEveryProblemNamed) {
  const Questionnaire q = Sample();
  Response ok =
      Answer("周边农户", {{"f1", "非常满意"}, {"f2", "4"}, {"f3", "一般"}, {"hours", "22"}});
  ASSERT_TRUE(ValidateResponse(q, ok, 0).has_value());
  EXPECT_EQ(ok.group, "farmer");
  EXPECT_EQ(ok.answers.at("f1"), "5");
  EXPECT_EQ(ok.answers.at("f3"), "3");

  Response bad = Answer("enterprise", {{"f1", "很好"}, {"hours", "40"}, {"zz", "1"}});
  bad.surveyed_on = "2021-02-30";
  auto s = ValidateResponse(q, bad, 12);
  ASSERT_FALSE(s.has_value());
  const auto cols = Columns(s.error());
  for (const char* c : {"group", "surveyed_on", "answers.f1", "answers.hours", "answers.zz",
                        "answers.f2", "answers.f3"}) {
    EXPECT_NE(std::find(cols.begin(), cols.end(), c), cols.end()) << c;
  }
  EXPECT_EQ(s.error().details.front().row, 12);

  // A question asked of farmers only is neither required of nor answerable by government staff.
  Questionnaire only = q;
  for (auto& x : only.questions) x.groups = {"farmer"};
  Response gov = Answer("government", {});
  EXPECT_TRUE(ValidateResponse(only, gov, 0).has_value());
  Response gov2 = Answer("government", {{"f1", "5"}});
  EXPECT_FALSE(ValidateResponse(only, gov2, 0).has_value());
}

TEST(SurveyTest, LeavesCountOneAnswerPerGradeAndNumbersByTheirRule) {
  Questionnaire q = Sample();
  q.questions[3].leaf = "income_increase";
  q.questions[3].scoring = ScoringRule{};
  q.questions[3].scoring->kind = ScoringKind::kLinear;
  q.questions[3].scoring->floor = 0;
  q.questions[3].scoring->target = 20;
  auto scale = GradeScale::Make(Bsc().grades);
  ASSERT_TRUE(scale.has_value());
  const Response a = Answer("farmer", {{"f1", "5"}, {"f2", "4"}, {"f3", "3"}, {"hours", "20"}});
  const Response b = Answer("farmer", {{"f1", "4"}, {"f2", "4"}, {"f3", "1"}});
  const auto tally = TallyLeaves(q, *scale, {&a, &b});
  EXPECT_EQ(tally.at("farmer_satisfaction"), (std::vector<double>{1, 3, 0, 0, 0}));
  EXPECT_EQ(tally.at("policy_awareness"), (std::vector<double>{0, 0, 1, 0, 1}));
  // 20 days reach the target: all of it in the top grade.
  EXPECT_EQ(tally.at("income_increase"), (std::vector<double>{1, 0, 0, 0, 0}));
}

TEST(SurveyTest, QualityGivesAlphaKmoTargetsAndStraightLiners) {
  Questionnaire q = Sample();
  for (auto& x : q.questions) x.dimension = "farmers";
  q.targets = {{"farmer", "620102000000", 5}, {"government", "620102000000", 1}};
  // α worked by hand: item variances 35/12, 9/4, 2 (sum 21.5/3), total variance 59/3,
  // α = 3/2 · (1 − 21.5/59) = 0.9533898…
  std::vector<Response> rs = {Answer("farmer", {{"f1", "5"}, {"f2", "5"}, {"f3", "4"}}, 1),
                              Answer("farmer", {{"f1", "4"}, {"f2", "4"}, {"f3", "4"}}, 2),
                              Answer("farmer", {{"f1", "3"}, {"f2", "2"}, {"f3", "3"}}, 3),
                              Answer("farmer", {{"f1", "1"}, {"f2", "2"}, {"f3", "1"}}, 4)};
  std::vector<const Response*> ptrs;
  for (const auto& r : rs) ptrs.push_back(&r);
  const auto quality = CheckQuality(q, Bsc(), ptrs);
  EXPECT_EQ(quality.responses, 4);
  ASSERT_EQ(quality.dimensions.size(), 1u);
  ASSERT_TRUE(quality.dimensions[0].alpha.has_value());
  EXPECT_NEAR(*quality.dimensions[0].alpha, 1.5 * (1 - 21.5 / 59), 1e-12);
  EXPECT_EQ(quality.dimensions[0].respondents, 4);
  ASSERT_EQ(quality.targets.size(), 2u);
  EXPECT_EQ(quality.targets[0].count, 4);
  EXPECT_EQ(quality.targets[1].count, 0);
  // Two targets unmet; only three items, so nobody counts as straight-lining.
  int target_warnings = 0;
  for (const auto& w : quality.warnings) target_warnings += w.code == "target";
  EXPECT_EQ(target_warnings, 2);
  EXPECT_TRUE(quality.straight_liners.empty());

  // Five items, one respondent on the same level throughout.
  Questionnaire five = q;
  five.questions.push_back(Likert("f4", "增收", "income_increase"));
  five.questions.push_back(Likert("f5", "技能", "skills"));
  for (auto& x : five.questions) x.dimension = "farmers";
  std::vector<Response> more;
  for (int i = 0; i < 6; ++i) {
    more.push_back(Answer("farmer",
                          {{"f1", std::to_string(1 + i % 5)},
                           {"f2", std::to_string(1 + (i + 1) % 5)},
                           {"f3", std::to_string(1 + (i * 2) % 5)},
                           {"f4", std::to_string(1 + (i + 3) % 5)},
                           {"f5", std::to_string(1 + (i * 3 + 1) % 5)}},
                          10 + i));
  }
  more.push_back(
      Answer("farmer", {{"f1", "4"}, {"f2", "4"}, {"f3", "4"}, {"f4", "4"}, {"f5", "4"}}, 99));
  std::vector<const Response*> mp;
  for (const auto& r : more) mp.push_back(&r);
  const auto q2 = CheckQuality(five, Bsc(), mp);
  EXPECT_EQ(q2.straight_liners, (std::vector<int64_t>{99}));
  EXPECT_EQ(q2.sampling.items.size(), 5u);
  EXPECT_TRUE(q2.sampling.kmo.has_value() || !q2.sampling.problem.empty());
}

TEST(SurveyImportTest, ToolsAreRecognisedByTheirOwnColumns) {
  EXPECT_EQ(DetectTool({"序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP",
                        "1、您对车间的总体满意度？"}),
            SurveyTool::kWenjuanxing);
  EXPECT_EQ(DetectTool({"start", "end", "today", "group_sat/f1", "_id", "_uuid", "_submission_time",
                        "_validation_status", "_index"}),
            SurveyTool::kKobo);
  EXPECT_EQ(DetectTool({"SubmissionDate", "start", "end", "grp-f1", "meta-instanceID", "KEY",
                        "SubmitterID", "SubmitterName", "ReviewState"}),
            SurveyTool::kOdk);
  EXPECT_EQ(DetectTool({"region", "group", "f1"}), SurveyTool::kFile);
}

TEST(SurveyImportTest, MappingIsProposedFromKeysPathsAndQuestionTexts) {
  const Questionnaire q = Sample();
  auto wjx = ProposeMapping(
      q, SurveyTool::kWenjuanxing,
      {"序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP",
       "1、您对车间的总体满意度？", "2、(您对工资待遇是否满意)", "3、政策知晓：", "4、所在村"});
  EXPECT_EQ(wjx.id_column, "序号");
  EXPECT_EQ(wjx.date_column, "提交答卷时间");
  EXPECT_EQ(wjx.region_column, "4、所在村");
  EXPECT_EQ(wjx.questions.at("f1"), "1、您对车间的总体满意度？");
  EXPECT_EQ(wjx.questions.at("f2"), "2、(您对工资待遇是否满意)");
  EXPECT_EQ(wjx.questions.at("f3"), "3、政策知晓：");
  EXPECT_FALSE(wjx.questions.contains("hours"));

  auto kobo = ProposeMapping(
      q, SurveyTool::kKobo,
      {"start", "today", "village", "grp/f1", "grp/f2", "f3", "_uuid", "_submission_time"});
  EXPECT_EQ(kobo.id_column, "_uuid");
  EXPECT_EQ(kobo.date_column, "today");
  EXPECT_EQ(kobo.region_column, "village");
  EXPECT_EQ(kobo.questions.at("f1"), "grp/f1");
  EXPECT_EQ(kobo.questions.at("f3"), "f3");

  auto odk = ProposeMapping(q, SurveyTool::kOdk,
                            {"SubmissionDate", "grp-f1", "grp-f2", "meta-instanceID", "KEY"});
  EXPECT_EQ(odk.id_column, "KEY");
  EXPECT_EQ(odk.date_column, "SubmissionDate");
  EXPECT_EQ(odk.questions.at("f2"), "grp-f2");
}

TEST(SurveyImportTest, DatesBecomeChinaStandardTimeDates) {
  EXPECT_EQ(*SurveyDate("2020/9/12 10:32:11", false), "2020-09-12");
  EXPECT_EQ(*SurveyDate("2020-09-12", false), "2020-09-12");
  // 17:32 UTC is 01:32 the next day in China.
  EXPECT_EQ(*SurveyDate("2020-09-12T17:32:11.000Z", false), "2020-09-13");
  EXPECT_EQ(*SurveyDate("2020-09-12T20:00:00", true), "2020-09-13");
  EXPECT_EQ(*SurveyDate("2020-09-12T20:00:00", false), "2020-09-12");
  EXPECT_EQ(*SurveyDate("2020-12-31T23:30:00+08:00", false), "2020-12-31");
  EXPECT_EQ(*SurveyDate("2020-12-31T20:30:00-05:00", false), "2021-01-01");
  EXPECT_FALSE(SurveyDate("2020-02-30", false).has_value());
  EXPECT_FALSE(SurveyDate("12/09/2020", false).has_value());
  EXPECT_FALSE(SurveyDate("2020-09-12 25:00", false).has_value());
}

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/fupin-survey-XXXXXX";
    const int fd = mkstemp(pattern.data());
    if (fd < 0) ADD_FAILURE() << "mkstemp failed";
    close(fd);
    path_ = pattern;
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Result<std::string> Villages(std::string_view text) {
  if (text == "红星村" || text == "620102001001") return std::string("620102001001");
  if (text == "东风村") return std::string("620102001002");
  return InvalidArgument("no region of this name (or 12-digit code) within 620102000000");
}

TEST(SurveyImportTest, AWenjuanxingExportIsReadWithEveryProblemAtItsRowAndColumn) {
  const Questionnaire q = Sample();
  // A 问卷星 "按选项文本" export: labels as answers; row 4 has an unknown village and an answer
  // that is no level, row 5 repeats answer sheet 1 and misses a required answer.
  TempFile file(
      "序号,提交答卷时间,所用时间,来源,来源详情,来自IP,1、您对车间的总体满意度？,"
      "2、您对工资待遇是否"
      "满意,3、政策知晓,4、所在村\n"
      "1,2021/1/5 10:32:11,120秒,微信,N/A,61.178.1.2(甘肃-兰州),非常满意,满意,一般,红星村\n"
      "2,2021/1/6 9:02:41,95秒,微信,N/A,61.178.1.3(甘肃-兰州),满意,满意,不满意,东风村\n"
      "3,2021/1/6 9:10:00,80秒,手机提交,N/A,61.178.1.4(甘肃-兰州),很好,一般,一般,西湖村\n"
      "1,2021/1/7 11:00:00,80秒,手机提交,N/A,61.178.1.5(甘肃-兰州),一般,,一般,红星村\n");
  auto reader = tabular::TableReader::Open(file.path());
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  const SurveyTool tool = DetectTool((*reader)->header());
  ASSERT_EQ(tool, SurveyTool::kWenjuanxing);
  ColumnMapping m = ProposeMapping(q, tool, (*reader)->header());
  m.group = "farmer";
  auto rows = ReadResponses(q, **reader, tool, m, Villages);
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  EXPECT_EQ(rows->rows, 4);
  ASSERT_EQ(rows->responses.size(), 2u);
  EXPECT_EQ(rows->responses[0].external_id, "1");
  EXPECT_EQ(rows->responses[0].source, "wjx");
  EXPECT_EQ(rows->responses[0].answers.at("f1"), "5");
  EXPECT_EQ(rows->responses[1].region_code, "620102001002");
  EXPECT_EQ(rows->responses[1].surveyed_on, "2021-01-06");
  std::vector<std::tuple<int64_t, std::string, std::string>> problems;
  for (const auto& p : rows->problems) problems.emplace_back(p.row, p.column, p.value);
  using P = std::tuple<int64_t, std::string, std::string>;
  EXPECT_NE(std::find(problems.begin(), problems.end(), P{4, "4、所在村", "西湖村"}),
            problems.end());
  EXPECT_NE(std::find(problems.begin(), problems.end(), P{4, "1、您对车间的总体满意度？", "很好"}),
            problems.end());
  EXPECT_NE(std::find(problems.begin(), problems.end(), P{5, "序号", "1"}), problems.end());
  EXPECT_NE(std::find(problems.begin(), problems.end(), P{5, "2、您对工资待遇是否满意", ""}),
            problems.end());

  // A mapping naming a column the file lacks is refused before any row is read.
  auto again = tabular::TableReader::Open(file.path());
  ASSERT_TRUE(again.has_value());
  ColumnMapping wrong = m;
  wrong.questions["f3"] = "3、政策";
  wrong.group.clear();
  auto refused = ReadResponses(q, **again, tool, wrong, Villages);
  ASSERT_FALSE(refused.has_value());
  const auto cols = Columns(refused.error());
  EXPECT_NE(std::find(cols.begin(), cols.end(), "mapping.questions.f3"), cols.end());
  EXPECT_NE(std::find(cols.begin(), cols.end(), "mapping.group"), cols.end());
}

TEST(SurveyImportTest, QuestionnaireJsonRoundTrips) {
  Questionnaire q = Sample();
  q.questions[3].scoring = ScoringRule{};
  q.questions[3].scoring->kind = ScoringKind::kLinear;
  q.questions[3].scoring->floor = 0;
  q.questions[3].scoring->target = 20;
  q.questions[0].groups = {"farmer"};
  q.targets = {{"farmer", "620102000000", 300}};
  const auto j = QuestionnaireContentJson(q, Bsc().grades);
  Questionnaire back;
  back.id = 7;
  ASSERT_TRUE(ParseQuestionnaireContent(nlohmann::json::parse(j.dump()), back).has_value());
  EXPECT_EQ(back.questions, q.questions);
  EXPECT_EQ(back.groups, q.groups);
  EXPECT_EQ(back.targets, q.targets);
}

}  // namespace
}  // namespace fupin::evaluation
