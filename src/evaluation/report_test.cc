#include "evaluation/report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <regex>

#include "tabular/test_util.h"

namespace fupin::evaluation {
namespace {

// A run of three objects over a root with three dimensions (a radar needs three axes), with a
// DEA, findings, one overdue task and a boundary for one object.
Run MakeRun() {
  Run run;
  run.id = 7;
  run.system_id = 3;
  run.system_version = 2;
  run.name = "2024 年度测试评价";
  run.region_code = "990121000000";
  run.status = RunStatus::kPublished;
  run.fupin_version = "test";
  auto& s = run.snapshot;
  s.grades = {{"优秀", 95, 90.0}, {"良好", 85, 80.0}, {"一般", 70, 60.0}, {"较差", 50, {}}};
  auto node = [](const char* key, const char* parent, double weight, const char* en) {
    SnapshotNode n;
    n.key = key;
    n.parent = parent;
    n.name = std::string("节点") + key;
    n.name_en = en;
    n.weight = weight;
    n.source = LeafSource::kExpert;
    return n;
  };
  s.nodes = {node("r", "", 1, "Root"), node("a", "r", 0.5, "Dimension A"),
             node("b", "r", 0.3, "Dimension B"), node("c", "r", 0.2, "Dimension C")};
  const std::vector<std::vector<double>> rows = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
  for (const char* code : {"990121001000", "990121002000", "990121003000"}) {
    RunObject o;
    o.code = code;
    o.name = std::string("乡镇") + code[8];
    for (size_t l = 0; l < 3; ++l) {
      LeafInput in;
      in.membership = rows[(l + static_cast<size_t>(code[8] - '1')) % 3];
      in.responses = {3, 1, 0, 0};
      in.origin = "responses";
      o.leaves.push_back(in);
    }
    s.objects.push_back(std::move(o));
  }
  s.period = "2024";
  s.sensitivity = {50, 0.1, 1};
  s.conventions["score"] = "S = sum_j b_j * v_j";
  DeaData d;
  d.rts = methods::ReturnsToScale::kCrs;
  DeaColumn in;
  in.factor = {"assistance_funds", false};
  in.name = "帮扶资金投入";
  in.name_en = "assistance funds invested";
  DeaColumn out;
  out.factor = {"lifted_people", true};
  out.name = "脱贫人口增量";
  out.name_en = "people lifted out growth";
  d.inputs = {in};
  d.outputs = {out};
  d.values = {{2, 2}, {4, 2}, {4, 3}};
  s.dea = d;
  auto computed = Compute(s);
  EXPECT_TRUE(computed.has_value());
  run.results = std::move(*computed);
  run.findings = GenerateFindings(s, run.results);
  run.findings.push_back(Finding{"note", "", "", "说明 <script>alert(1)</script>", "A note"});
  return run;
}

ReportContext MakeContext(const Run& run) {
  ReportContext c;
  c.run = &run;
  c.system_name = "测试指标体系";
  c.system_name_en = "Test system";
  c.office_name = "马家县";
  c.today = Date{2026, 11, 24};
  c.generated_at = "2026-11-24 10:00";
  RectificationTask t;
  t.id = 1;
  t.title = "整改节点a";
  t.unit = "乡镇办";
  t.person = "张三";
  t.deadline = "2026-10-01";
  t.status = TaskStatus::kInProgress;
  t.finding.object = "990121002000";
  c.tasks = {t};
  regions::Boundary b;
  b.code = "990121001000";
  b.geometry =
      R"({"type":"Polygon","coordinates":[[[100,30],[101,30],[101,31],[100,31],[100,30]]]})";
  c.boundaries = {b};
  return c;
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ReportTest, HtmlHasEverySectionChartsAndEscapedText) {
  const evaluation::Run run = MakeRun();
  const auto context = MakeContext(run);
  const std::string zh = ReportHtml(context, ReportLanguage::kZh);
  for (const char* heading : {"评价范围", "评价方法与约定", "指标体系与权重", "数据来源与问卷质量",
                              "评价结果", "资金使用效率（DEA）", "评价发现与建议", "整改情况"}) {
    EXPECT_NE(zh.find(heading), std::string::npos) << heading;
  }
  EXPECT_NE(zh.find("<html lang=\"zh-CN\">"), std::string::npos);
  EXPECT_NE(zh.find("@page"), std::string::npos);     // print rules
  EXPECT_EQ(zh.find("<script>"), std::string::npos);  // the note is escaped
  EXPECT_NE(zh.find("&lt;script&gt;"), std::string::npos);
  // Charts: the radar (three objects' polygons plus the rings), bars, and the map's one path.
  EXPECT_GE(Count(zh, "<svg"), 5);
  EXPECT_EQ(Count(zh, "<path "), 1);
  EXPECT_NE(zh.find("fill-opacity=\"0.12\""), std::string::npos);
  // Numbers as computed: the DEA efficiency of the second object (½), the overdue task.
  EXPECT_NE(zh.find("0.5000"), std::string::npos);
  EXPECT_NE(zh.find("逾期"), std::string::npos);
  EXPECT_NE(zh.find("张三"), std::string::npos);
  // Recommendations beside the findings of the objects off the frontier.
  EXPECT_NE(zh.find("对照参照单元的做法"), std::string::npos);

  const std::string en = ReportHtml(context, ReportLanguage::kEn);
  EXPECT_NE(en.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(en.find("Fund efficiency (DEA)"), std::string::npos);
  EXPECT_NE(en.find("Dimension A"), std::string::npos);
  EXPECT_NE(en.find("overdue"), std::string::npos);
  EXPECT_EQ(en.find("评价范围"), std::string::npos);

  // A draft says so.
  evaluation::Run draft = run;
  draft.status = RunStatus::kDraft;
  EXPECT_NE(ReportHtml(MakeContext(draft), ReportLanguage::kZh).find("草稿"), std::string::npos);
}

TEST(ReportTest, XlsxHoldsEveryNumberAsANumber) {
  const evaluation::Run run = MakeRun();
  auto bytes = ReportXlsx(MakeContext(run), ReportLanguage::kZh);
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  const std::string path = ::testing::TempDir() + "/report.xlsx";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fwrite(bytes->data(), 1, bytes->size(), f);
  std::fclose(f);
  const std::string book = tabular::testing::ReadZipEntry(path, "xl/workbook.xml");
  for (const char* sheet : {"概况", "指标体系", "结果", "排名", "输入", "失分指标", "DEA", "问卷",
                            "评价发现", "整改"}) {
    EXPECT_NE(book.find(std::string("name=\"") + sheet + "\""), std::string::npos) << sheet;
  }
  // The results sheet (3rd) holds the overall score of the first object as a number, every
  // digit of it.
  const std::string results = tabular::testing::ReadZipEntry(path, "xl/worksheets/sheet3.xml");
  const double score = run.results.outcomes[0].overall().score;
  bool found = false;
  const std::regex number("<v>([-0-9.E+]+)</v>");
  for (std::sregex_iterator it(results.begin(), results.end(), number), end; it != end; ++it) {
    found = found || std::abs(std::stod((*it)[1]) - score) < 1e-12;
  }
  EXPECT_TRUE(found) << score;
  // The DEA sheet (7th): the efficiency ½ of the second object.
  const std::string dea = tabular::testing::ReadZipEntry(path, "xl/worksheets/sheet7.xml");
  EXPECT_NE(dea.find("<v>0.5</v>"), std::string::npos);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace fupin::evaluation
