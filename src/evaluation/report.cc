// The printable report of an evaluation run: HTML with inline SVG charts, and XLSX.
#include "evaluation/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "base/version.h"
#include "tabular/writer.h"

namespace fupin::evaluation {

namespace {

using tabular::Cell;
using tabular::Sheet;

// ---------------------------------------------------------------------------------------------
// What both forms share: the tree, names, labels.

struct View {
  const ReportContext& c;
  const Run& run;
  const RunSnapshot& s;
  bool zh;
  std::vector<int> depth;                 // per node
  std::vector<double> global;             // per node
  std::vector<std::vector<size_t>> kids;  // per node
  std::vector<size_t> leaves;             // node indices, in leaf-row order

  View(const ReportContext& context, ReportLanguage language)
      : c(context),
        run(*context.run),
        s(context.run->snapshot),
        zh(language == ReportLanguage::kZh) {
    std::map<std::string, size_t> index;
    depth.assign(s.nodes.size(), 0);
    global.assign(s.nodes.size(), 1.0);
    kids.assign(s.nodes.size(), {});
    for (size_t i = 0; i < s.nodes.size(); ++i) {
      index[s.nodes[i].key] = i;
      if (i == 0) continue;
      const auto p = index.find(s.nodes[i].parent);
      if (p == index.end()) continue;
      depth[i] = depth[p->second] + 1;
      global[i] = global[p->second] * s.nodes[i].weight;
      kids[p->second].push_back(i);
    }
    for (size_t i = 1; i < s.nodes.size(); ++i) {
      if (kids[i].empty()) leaves.push_back(i);
    }
  }

  std::string T(std::string_view zh_text, std::string_view en_text) const {
    return std::string(zh ? zh_text : en_text);
  }
  std::string NodeName(size_t i) const {
    const auto& n = s.nodes[i];
    return zh || n.name_en.empty() ? n.name : n.name_en;
  }
  std::string Grade(int g) const {
    return g >= 0 && static_cast<size_t>(g) < s.grades.size()
               ? s.grades[static_cast<size_t>(g)].name
               : std::string();
  }
  std::string SystemName() const {
    return zh || c.system_name_en.empty() ? c.system_name : c.system_name_en;
  }
  std::string Source(size_t i) const {
    switch (s.nodes[i].source) {
      case LeafSource::kIndicator:
        return T("指标数据", "indicator");
      case LeafSource::kSurvey:
        return T("问卷调查", "survey");
      case LeafSource::kExpert:
        return T("专家评议", "expert review");
    }
    return "";
  }
  std::string Origin(const std::string& origin) const {
    if (origin == "indicator") return T("指标值", "indicator value");
    if (origin == "survey") return T("问卷答卷", "questionnaire responses");
    if (origin == "responses") return T("录入的评议计数", "counts entered");
    if (origin == "membership") return T("录入的隶属度", "memberships entered");
    return origin;
  }
  std::string Rule(size_t i) const {
    const auto& r = s.nodes[i].scoring;
    if (!r) return "";
    switch (r->kind) {
      case ScoringKind::kLinear:
        return fmt::format("{} {:g} → {:g}", T("线性", "linear"), r->floor, r->target);
      case ScoringKind::kThreshold:
        return fmt::format("{} {} {:g}", T("阈值", "threshold"), r->at_most ? "≤" : "≥",
                           r->threshold);
      case ScoringKind::kBanded: {
        std::string out = T("分档", "bands");
        for (const auto& b : r->bands) {
          out += fmt::format(" {}[{}, {}]", Grade(b.grade),
                             b.min ? fmt::format("{:g}", *b.min) : std::string("-∞"),
                             b.max ? fmt::format("{:g}", *b.max) : std::string("+∞"));
        }
        return out;
      }
    }
    return "";
  }
  std::string Status() const {
    return run.status == RunStatus::kPublished ? T("已发布", "published") : T("草稿", "draft");
  }
  std::string Operator() const {
    const auto name = methods::FuzzyOperatorName(s.op);
    if (!zh) return std::string(name);
    if (name == "weighted-average") return "加权平均型 M(·,⊕)";
    return std::string(name);
  }
  std::string Ranking() const {
    switch (s.ranking) {
      case evaluation::Ranking::kScore:
        return T("按综合得分", "by overall score");
      case evaluation::Ranking::kTopsis:
        return T("TOPSIS 贴近度（叶指标得分、全局权重）",
                 "TOPSIS closeness (leaf scores, global weights)");
      case evaluation::Ranking::kGrey:
        return T("灰色关联度（叶指标得分、全局权重）",
                 "grey relational grade (leaf scores, global weights)");
    }
    return "";
  }
  std::string Convention(const std::string& key) const {
    static const std::map<std::string, std::pair<const char*, const char*>> names = {
        {"system", {"指标体系", "indicator system"}},
        {"weights", {"权重", "weights"}},
        {"objective_weights", {"客观权重", "objective weights"}},
        {"weights_combined", {"组合权重", "combined weights"}},
        {"period", {"数据期间", "data period"}},
        {"composition", {"合成算子", "composition"}},
        {"score", {"得分与等级", "score and grade"}},
        {"ranking", {"排序", "ranking"}},
        {"scoring", {"定量指标评分", "scoring"}},
        {"responses", {"评议与问卷计数", "counts"}},
        {"sensitivity", {"敏感性分析", "sensitivity"}},
        {"surveys", {"问卷", "surveys"}},
        {"dea", {"资金使用效率 DEA", "fund-efficiency DEA"}}};
    const auto it = names.find(key);
    return it == names.end() ? key : T(it->second.first, it->second.second);
  }
  std::string DeaClass(const std::string& c) const {
    if (c == "efficient") return T("有效", "efficient");
    if (c == "weakly efficient") return T("弱有效", "weakly efficient");
    return T("非有效", "inefficient");
  }
  std::string ScaleType(const std::string& t) const {
    if (t == "irs") return T("规模报酬递增", "increasing returns");
    if (t == "drs") return T("规模报酬递减", "decreasing returns");
    if (t == "crs") return T("规模报酬不变", "constant returns");
    return "";
  }
  std::string TaskStatusText(TaskStatus st) const {
    switch (st) {
      case TaskStatus::kAssigned:
        return T("已下达", "assigned");
      case TaskStatus::kInProgress:
        return T("整改中", "in progress");
      case TaskStatus::kSubmitted:
        return T("待核验", "submitted");
      case TaskStatus::kVerified:
        return T("已核验", "verified");
    }
    return "";
  }
  std::string FindingKind(const std::string& k) const {
    if (k == "strength") return T("优势", "strength");
    if (k == "weakness") return T("短板", "weakness");
    if (k == "below_threshold") return T("低于阈值", "below threshold");
    if (k == "grade_unstable") return T("等级不稳定", "grade unstable");
    if (k == "inefficient") return T("资金效率偏低", "fund efficiency low");
    return T("说明", "note");
  }
  // What to do about a finding of this kind (the report's recommendations).
  std::string Advice(const std::string& k) const {
    if (k == "weakness") {
      return T("列为下一周期的重点改进维度，逐项分解到责任单位。",
               "Make it the first dimension to improve next cycle, item by item, with units "
               "responsible.");
    }
    if (k == "below_threshold") {
      return T("查明原因并制定整改措施，限期达到一般档以上。",
               "Find the cause and set rectification measures to bring it above the floor by a "
               "deadline.");
    }
    if (k == "grade_unstable") {
      return T("结论对权重敏感：补充数据或专家判断后再作定论，公布时说明。",
               "The grade depends on the weights: gather more data or judgments before "
               "concluding, and say so when publishing.");
    }
    if (k == "inefficient") {
      return T("对照参照单元的做法，压减冗余投入或提高产出。",
               "Learn from the peers: cut redundant inputs or raise the outputs.");
    }
    return "";
  }
  std::string ObjectName(const std::string& code) const {
    if (code.empty()) return T("全部对象", "all objects");
    for (const auto& o : s.objects) {
      if (o.code == code) return o.name;
    }
    return code;
  }
  std::string NodeNameOfKey(const std::string& key) const {
    if (key.empty()) return T("总体", "overall");
    for (size_t i = 0; i < s.nodes.size(); ++i) {
      if (s.nodes[i].key == key) return NodeName(i);
    }
    return key;
  }
  // Object indices by rank (ties in object order).
  std::vector<size_t> ByRank() const {
    std::vector<size_t> order(s.objects.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return a < run.results.ranks.size() && b < run.results.ranks.size() &&
             run.results.ranks[a] < run.results.ranks[b];
    });
    return order;
  }
};

// ---------------------------------------------------------------------------------------------
// HTML

std::string Esc(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string F2(double v) { return fmt::format("{:.2f}", v); }
std::string F4(double v) { return fmt::format("{:.4f}", v); }
std::string Pct(double v) { return fmt::format("{:.0f}%", v * 100); }
std::string Num(double v) {
  return std::abs(v) >= 1000 && std::abs(v) < 1e15 ? fmt::format("{:.0f}", v)
                                                   : fmt::format("{:.6g}", v);
}

const char* const kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                "#9467bd", "#8c564b", "#e377c2", "#17becf"};

// A grade's colour: green for the best to red for the worst.
std::string GradeColour(int g, int grades) {
  static const char* const ramp[] = {"#1b7837", "#5aae61", "#a6d96a",
                                     "#fdae61", "#f46d43", "#d73027"};
  if (grades <= 1) return ramp[0];
  const double t = static_cast<double>(g) / (grades - 1);
  return ramp[static_cast<size_t>(std::lround(t * 5))];
}

class Html {
 public:
  explicit Html(const View& v) : v_(v) {}

  std::string Build() {
    Head();
    Cover();
    Scope();
    Method();
    System();
    Sources();
    Results();
    if (v_.s.dea && v_.run.results.dea.size() == v_.s.objects.size()) Dea();
    Findings();
    Rectification();
    Appendix();
    out_ += fmt::format(
        "<footer>{} · fupin {} · {} {}</footer>\n</body>\n</html>\n",
        Esc(v_.T("本报告由 fupin 根据评价运行的不可变快照生成，数字与系统中的结果一致",
                 "Generated by fupin from the run's immutable snapshot; the numbers are those "
                 "of the system")),
        Esc(v_.run.fupin_version), Esc(v_.T("生成于", "generated")), Esc(v_.c.generated_at));
    return std::move(out_);
  }

 private:
  void H2(std::string_view zh, std::string_view en) {
    out_ += fmt::format("<h2>{}. {}</h2>\n", ++section_, Esc(v_.T(zh, en)));
  }
  void Table(const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows, const char* cls = "") {
    out_ += fmt::format("<table class=\"{}\"><thead><tr>", cls);
    for (const auto& h : header) out_ += "<th>" + Esc(h) + "</th>";
    out_ += "</tr></thead><tbody>\n";
    for (const auto& r : rows) {
      out_ += "<tr>";
      for (const auto& cell : r) out_ += "<td>" + cell + "</td>";  // cells are escaped HTML
      out_ += "</tr>\n";
    }
    out_ += "</tbody></table>\n";
  }
  void Figure(const std::string& svg, const std::string& caption) {
    out_ += fmt::format("<figure>{}<figcaption>{}</figcaption></figure>\n", svg, Esc(caption));
  }

  void Head() {
    out_ += fmt::format(R"(<!DOCTYPE html>
<html lang="{}">
<head>
<meta charset="utf-8">
<title>{}</title>
<style>
@page {{ size: A4; margin: 18mm 16mm; }}
body {{ font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; color: #222; max-width: 190mm; margin: 0 auto; padding: 8mm; font-size: 10.5pt; line-height: 1.5; }}
h1 {{ font-size: 20pt; margin: 0 0 4pt; }}
h2 {{ font-size: 14pt; border-bottom: 1.5pt solid #333; padding-bottom: 2pt; margin-top: 18pt; break-after: avoid; }}
h3 {{ font-size: 11.5pt; margin: 12pt 0 4pt; break-after: avoid; }}
table {{ border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 9pt; }}
th, td {{ border: 0.6pt solid #999; padding: 2pt 4pt; text-align: left; vertical-align: top; }}
th {{ background: #eef1f5; }}
tr {{ break-inside: avoid; }}
table.compact td:nth-child(-n+4), table.compact th:nth-child(-n+4) {{ white-space: nowrap; }}
td.n, th.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
figure {{ margin: 6pt 0 10pt; break-inside: avoid; text-align: center; }}
figcaption {{ font-size: 9pt; color: #555; }}
.meta td {{ border: none; padding: 1pt 6pt 1pt 0; }}
.draft {{ color: #b00; font-weight: bold; }}
.muted {{ color: #666; font-size: 9pt; }}
.warn {{ color: #a15c00; }}
.flag {{ color: #b00; font-weight: bold; }}
.swatch {{ display: inline-block; width: 9pt; height: 9pt; vertical-align: middle; margin-right: 3pt; }}
footer {{ margin-top: 20pt; border-top: 0.6pt solid #999; font-size: 8.5pt; color: #666; }}
@media print {{ body {{ padding: 0; }} .noprint {{ display: none; }} }}
</style>
</head>
<body>
)",
                        v_.zh ? "zh-CN" : "en", Esc(v_.run.name));
  }

  void Cover() {
    out_ += fmt::format("<h1>{}</h1>\n", Esc(v_.run.name));
    if (v_.run.status != RunStatus::kPublished) {
      out_ += fmt::format("<p class=\"draft\">{}</p>\n",
                          Esc(v_.T("草稿：评价结果尚未发布，仅供内部审核。",
                                   "DRAFT: the results are not published yet; for internal "
                                   "review only.")));
    }
    out_ += "<table class=\"meta\">\n";
    auto row = [&](std::string_view zh, std::string_view en, const std::string& value) {
      out_ += fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", Esc(v_.T(zh, en)), Esc(value));
    };
    row("评价机构", "Office", fmt::format("{} ({})", v_.c.office_name, v_.run.region_code));
    row("指标体系", "Indicator system",
        fmt::format("{} · {} {} v{}", v_.SystemName(), v_.T("编号", "no."), v_.run.system_id,
                    v_.run.system_version));
    row("数据期间", "Data period", v_.s.period);
    row("评价对象", "Objects", fmt::format("{}", v_.s.objects.size()));
    row("状态", "Status", v_.Status());
    row("创建", "Created", v_.run.created_by + " " + v_.run.created_at);
    if (v_.run.status == RunStatus::kPublished) {
      row("发布", "Published", v_.run.published_by + " " + v_.run.published_at);
    }
    row("评价运行编号", "Run", fmt::format("#{} · fupin {}", v_.run.id, v_.run.fupin_version));
    out_ += "</table>\n";
    // The summary in one sentence per object when few; else the best and the worst.
    const auto order = v_.ByRank();
    if (!order.empty() && !v_.run.results.outcomes.empty()) {
      out_ += "<p>";
      const size_t shown = std::min<size_t>(order.size(), 3);
      for (size_t k = 0; k < shown; ++k) {
        const size_t o = order[k];
        const auto& overall = v_.run.results.outcomes[o].overall();
        out_ += Esc(v_.zh ? fmt::format("{}综合得分 {}，等级“{}”{}。", v_.s.objects[o].name,
                                        F2(overall.score), v_.Grade(overall.grade),
                                        v_.s.objects.size() > 1
                                            ? fmt::format("，排名第 {}", v_.run.results.ranks[o])
                                            : std::string())
                          : fmt::format("{}: overall score {}, grade {}{}. ", v_.s.objects[o].name,
                                        F2(overall.score), v_.Grade(overall.grade),
                                        v_.s.objects.size() > 1
                                            ? fmt::format(", rank {}", v_.run.results.ranks[o])
                                            : std::string()));
      }
      if (order.size() > shown) {
        out_ += Esc(v_.zh ? fmt::format("……共 {} 个对象，完整排名见第 5 节。", order.size())
                          : fmt::format("… {} objects in all: the full ranking is in section 5.",
                                        order.size()));
      }
      out_ += "</p>\n";
    }
  }

  void Scope() {
    H2("评价范围", "Scope");
    out_ += fmt::format(
        "<p>{}</p>\n",
        Esc(v_.zh ? fmt::format("本次评价以“{}”第 {} 版为依据，评价 {} 个对象在 {} 期间的绩效；"
                                "指标体系共 {} 个节点、{} 个末级指标。",
                                v_.SystemName(), v_.run.system_version, v_.s.objects.size(),
                                v_.s.period, v_.s.nodes.size(), v_.leaves.size())
                  : fmt::format("The run evaluates {} objects over the period {} with version {} "
                                "of \"{}\": {} nodes, {} leaf indicators.",
                                v_.s.objects.size(), v_.s.period, v_.run.system_version,
                                v_.SystemName(), v_.s.nodes.size(), v_.leaves.size())));
    std::vector<std::vector<std::string>> rows;
    for (size_t o = 0; o < v_.s.objects.size(); ++o) {
      rows.push_back({std::to_string(o + 1), Esc(v_.s.objects[o].code), Esc(v_.s.objects[o].name)});
    }
    Table({"#", v_.T("区划代码", "Region code"), v_.T("评价对象", "Object")}, rows);
  }

  void Method() {
    H2("评价方法与约定", "Method and conventions");
    out_ += fmt::format(
        "<p>{}</p>\n",
        Esc(v_.zh ? fmt::format("采用多层次模糊综合评价：末级指标按评分规则或评议、问卷计数得到对各"
                                "等级的隶属度，逐层以 {} 算子合成 B = A∘R，得分 S = B·v，等级为 S "
                                "所在分数段（最大隶属度等级并列给出）。对象排序：{}。",
                                v_.Operator(), v_.Ranking())
                  : fmt::format("Multi-level fuzzy comprehensive evaluation: each leaf's "
                                "membership of the grades comes from its scoring rule or from "
                                "counts of reviews and answers; levels are composed as B = A∘R "
                                "with the {} operator; the score is S = B·v and the grade the "
                                "band S falls in (the maximum-membership grade beside it). "
                                "Objects are ranked {}.",
                                v_.Operator(), v_.Ranking())));
    out_ += "<h3>" + Esc(v_.T("等级标准", "Grade scale")) + "</h3>\n";
    auto scale = GradeScale::Make(v_.s.grades);
    std::vector<std::vector<std::string>> rows;
    for (size_t g = 0; g < v_.s.grades.size(); ++g) {
      std::string band;
      if (scale) {
        const auto& grade = (*scale)[static_cast<int>(g)];
        band = g == 0 ? fmt::format("≥ {:g}", grade.min)
               : std::isfinite(grade.min)
                   ? fmt::format("[{:g}, {:g})", grade.min, (*scale)[static_cast<int>(g) - 1].min)
                   : fmt::format("< {:g}", (*scale)[static_cast<int>(g) - 1].min);
      }
      rows.push_back(
          {fmt::format("<span class=\"swatch\" style=\"background:{}\"></span>{}",
                       GradeColour(static_cast<int>(g), static_cast<int>(v_.s.grades.size())),
                       Esc(v_.s.grades[g].name)),
           Num(v_.s.grades[g].score), Esc(band)});
    }
    Table({v_.T("等级", "Grade"), v_.T("代表分值", "Score"), v_.T("分数段", "Band")}, rows);
    out_ += "<h3>" + Esc(v_.T("记录的约定", "Conventions recorded")) + "</h3>\n";
    if (v_.zh) {
      out_ += "<p class=\"muted\">以下为运行快照中记录的原文（英文），便于复核与复现。</p>\n";
    }
    rows.clear();
    for (const auto& [key, text] : v_.s.conventions) {
      rows.push_back({Esc(v_.Convention(key)), Esc(text)});
    }
    Table({v_.T("项目", "Item"), v_.T("约定", "Convention")}, rows);
  }

  void System() {
    H2("指标体系与权重", "Indicator system and weights");
    std::vector<std::vector<std::string>> rows;
    for (size_t i = 0; i < v_.s.nodes.size(); ++i) {
      const auto& n = v_.s.nodes[i];
      const bool leaf = v_.kids[i].empty() && i > 0;
      rows.push_back(
          {fmt::format("<span style=\"padding-left:{}em\">{}{}</span>", v_.depth[i] * 1.2,
                       leaf ? "" : "<b>", Esc(v_.NodeName(i)) + (leaf ? "" : "</b>")),
           leaf ? Esc(v_.Source(i)) : "", Esc(n.indicator), Esc(v_.Rule(i)),
           i == 0 ? "" : F4(n.weight), F4(v_.global[i])});
    }
    Table({v_.T("指标", "Node"), v_.T("来源", "Source"), v_.T("指标代码", "Indicator"),
           v_.T("评分规则", "Scoring"), v_.T("局部权重", "Local weight"),
           v_.T("全局权重", "Global weight")},
          rows);
    // The top level's weights as bars.
    std::vector<std::pair<std::string, double>> bars;
    for (size_t k : v_.kids[0]) bars.push_back({v_.NodeName(k), v_.s.nodes[k].weight});
    if (!bars.empty()) {
      Figure(HBars(bars, 1.0, {}, [](double x) { return F4(x); }),
             v_.T("一级指标权重", "Weights of the first level"));
    }
  }

  void Sources() {
    H2("数据来源与问卷质量", "Data sources and survey quality");
    std::map<std::string, int> origins;
    for (const auto& o : v_.s.objects) {
      for (const auto& l : o.leaves) ++origins[l.origin];
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& [origin, n] : origins)
      rows.push_back({Esc(v_.Origin(origin)), std::to_string(n)});
    Table({v_.T("数据来源", "Source"), v_.T("末级指标数据行", "Leaf rows")}, rows);
    if (v_.s.surveys.empty()) {
      out_ += "<p>" +
              Esc(v_.T("本次评价未使用问卷答卷。", "No questionnaire responses were used.")) +
              "</p>\n";
      return;
    }
    rows.clear();
    for (const auto& u : v_.s.surveys) {
      std::string warnings;
      const auto& list = v_.zh ? u.warnings : u.warnings_en;
      for (const auto& w : list) warnings += "<div class=\"warn\">" + Esc(w) + "</div>";
      if (list.empty()) warnings = Esc(v_.T("无", "none"));
      rows.push_back({std::to_string(u.id), Esc(u.name), std::to_string(u.responses), warnings});
    }
    Table({v_.T("问卷", "No."), v_.T("名称", "Questionnaire"), v_.T("答卷数", "Responses"),
           v_.T("质量提示（样本量、信度 α、KMO/Bartlett、直线作答）",
                "Quality warnings (targets, α, KMO/Bartlett, straight-lining)")},
          rows);
  }

  void Results() {
    H2("评价结果", "Results");
    const auto& r = v_.run.results;
    const int grades = static_cast<int>(v_.s.grades.size());
    // Ranking.
    out_ += "<h3>" + Esc(v_.T("综合得分与排名", "Overall scores and ranking")) + "</h3>\n";
    std::vector<std::vector<std::string>> rows;
    const auto order = v_.ByRank();
    std::vector<std::pair<std::string, double>> bars;
    std::vector<std::string> colours;
    for (size_t o : order) {
      if (o >= r.outcomes.size()) continue;
      const auto& overall = r.outcomes[o].overall();
      std::vector<std::string> row{
          std::to_string(r.ranks[o]), Esc(v_.s.objects[o].name), F2(overall.score),
          Esc(v_.Grade(overall.grade)),
          Esc(v_.Grade(overall.grade_by_max_membership)) +
              (overall.grades_differ ? " <span class=\"flag\">*</span>" : "")};
      if (v_.s.ranking != evaluation::Ranking::kScore) row.push_back(F4(r.ranking_values[o]));
      if (o < r.sensitivity.size()) {
        const auto& sens = r.sensitivity[o];
        row.push_back(Pct(sens.nodes.front().baseline_grade_probability));
        row.push_back(fmt::format("{} – {}", F2(sens.score_p05), F2(sens.score_p95)));
        if (v_.s.objects.size() > 1)
          row.push_back(fmt::format("{} – {}", sens.rank_min, sens.rank_max));
      }
      rows.push_back(std::move(row));
      bars.push_back({v_.s.objects[o].name, overall.score});
      colours.push_back(GradeColour(overall.grade, grades));
    }
    std::vector<std::string> header{v_.T("排名", "Rank"), v_.T("评价对象", "Object"),
                                    v_.T("综合得分", "Score"), v_.T("等级", "Grade"),
                                    v_.T("最大隶属度等级", "Max-membership grade")};
    if (v_.s.ranking != evaluation::Ranking::kScore) {
      header.push_back(v_.s.ranking == evaluation::Ranking::kTopsis ? v_.T("贴近度", "Closeness")
                                                                    : v_.T("关联度", "Grey grade"));
    }
    if (!r.sensitivity.empty()) {
      header.push_back(v_.T("等级保持概率", "Grade holds"));
      header.push_back(v_.T("得分 5%–95%", "Score 5%–95%"));
      if (v_.s.objects.size() > 1) header.push_back(v_.T("名次范围", "Rank range"));
    }
    Table(header, rows, "compact");
    bool differ = false;
    for (const auto& oc : r.outcomes) differ = differ || oc.overall().grades_differ;
    if (differ) {
      out_ += "<p class=\"muted\">" +
              Esc(v_.T("* 最大隶属度等级与得分所在等级不同。",
                       "* The maximum-membership grade differs from the band of the score.")) +
              "</p>\n";
    }
    if (!r.sensitivity.empty()) {
      out_ +=
          "<p class=\"muted\">" +
          Esc(v_.zh ? fmt::format("敏感性：各局部权重按 ±{:g}% 均匀扰动 {} 次并归一化后重新评价。",
                                  v_.s.sensitivity.spread * 100, v_.s.sensitivity.draws)
                    : fmt::format("Sensitivity: every local weight perturbed uniformly by "
                                  "±{:g}% in {} draws, renormalized, and evaluated again.",
                                  v_.s.sensitivity.spread * 100, v_.s.sensitivity.draws)) +
          "</p>\n";
    }
    const double top = v_.s.grades.empty() ? 100 : v_.s.grades.front().score;
    std::vector<double> marks;
    auto scale = GradeScale::Make(v_.s.grades);
    if (scale) {
      for (int g = 0; g + 1 < scale->size(); ++g) marks.push_back((*scale)[g].min);
    }
    if (bars.size() > 1) {
      Figure(HBars(
                 bars, top, marks, [](double x) { return F2(x); }, colours),
             v_.T("各对象综合得分（竖线为等级分界）",
                  "Overall score per object (lines: grade bands)"));
    }
    // Radar of the dimensions.
    const auto& dims = v_.kids[0];
    if (dims.size() >= 3 && !r.outcomes.empty()) {
      std::vector<std::string> axes;
      for (size_t d : dims) axes.push_back(v_.NodeName(d));
      std::vector<std::pair<std::string, std::vector<double>>> series;
      for (size_t k = 0; k < order.size() && k < 6; ++k) {
        std::vector<double> values;
        for (size_t d : dims) values.push_back(r.outcomes[order[k]].nodes[d].score);
        series.push_back({v_.s.objects[order[k]].name, values});
      }
      Figure(Radar(axes, series, top, marks),
             order.size() > 6
                 ? v_.T("各维度得分雷达图（前 6 名）", "Dimension scores (the first six by rank)")
                 : v_.T("各维度得分雷达图", "Dimension scores"));
    }
    // Bars of the indicators.
    if (!r.outcomes.empty()) {
      std::vector<std::pair<std::string, double>> leaf_bars;
      std::vector<std::pair<double, double>> ranges;
      std::vector<std::string> leaf_colours;
      for (size_t l : v_.leaves) {
        double sum = 0, low = 1e300, high = -1e300;
        for (const auto& oc : r.outcomes) {
          sum += oc.nodes[l].score;
          low = std::min(low, oc.nodes[l].score);
          high = std::max(high, oc.nodes[l].score);
        }
        const double mean = sum / static_cast<double>(r.outcomes.size());
        leaf_bars.push_back({v_.NodeName(l), mean});
        ranges.push_back({low, high});
        leaf_colours.push_back(GradeColour(scale ? scale->BandOf(mean) : 0, grades));
      }
      Figure(HBars(
                 leaf_bars, top, marks, [](double x) { return F2(x); }, leaf_colours,
                 r.outcomes.size() > 1 ? ranges : std::vector<std::pair<double, double>>{}),
             r.outcomes.size() > 1
                 ? v_.T("各末级指标得分（条为各对象平均，线段为最低—最高）",
                        "Leaf indicator scores (bars: mean over objects; whiskers: lowest to "
                        "highest)")
                 : v_.T("各末级指标得分", "Leaf indicator scores"));
    }
    // The map.
    if (!v_.c.boundaries.empty() && !r.outcomes.empty()) {
      auto map = Map();
      if (!map.empty()) {
        Figure(map, v_.T("各对象等级分布图（示意）", "Grades of the objects on the map (sketch)"));
      }
    }
    // Each object's dimensions and weakest indicators.
    for (size_t o : order) {
      if (o >= r.outcomes.size()) continue;
      const auto& nodes = r.outcomes[o].nodes;
      out_ += fmt::format("<h3>{}</h3>\n", Esc(v_.s.objects[o].name));
      rows.clear();
      std::vector<std::string> head{v_.T("维度/指标", "Node")};
      for (const auto& g : v_.s.grades) head.push_back(g.name);
      head.push_back(v_.T("得分", "Score"));
      head.push_back(v_.T("等级", "Grade"));
      for (size_t i = 0; i < v_.s.nodes.size(); ++i) {
        if (v_.depth[i] > 1) continue;  // the root and the dimensions
        std::vector<std::string> row{(i == 0 ? "<b>" : "") + Esc(v_.NodeName(i)) +
                                     (i == 0 ? "</b>" : "")};
        for (Eigen::Index g = 0; g < nodes[i].b_normalized.size(); ++g)
          row.push_back(fmt::format("{:.3f}", nodes[i].b_normalized[g]));
        row.push_back(F2(nodes[i].score));
        row.push_back(Esc(v_.Grade(nodes[i].grade)));
        rows.push_back(std::move(row));
      }
      Table(head, rows);
      if (o < r.weakest.size() && !r.weakest[o].empty()) {
        rows.clear();
        for (size_t k = 0; k < r.weakest[o].size() && k < 5; ++k) {
          const auto& w = r.weakest[o][k];
          rows.push_back({Esc(v_.NodeName(static_cast<size_t>(w.node))), F2(w.score),
                          F4(w.global_weight), F2(w.shortfall)});
        }
        out_ += "<p class=\"muted\">" +
                Esc(v_.T("失分最多的末级指标（全局权重 × 与最高等级分值之差）",
                         "The leaves costing the most points (global weight × gap to the top "
                         "grade's score)")) +
                "</p>\n";
        Table({v_.T("指标", "Indicator"), v_.T("得分", "Score"), v_.T("全局权重", "Global weight"),
               v_.T("失分", "Points lost")},
              rows);
      }
    }
  }

  void Dea() {
    H2("资金使用效率（DEA）", "Fund efficiency (DEA)");
    const auto& d = *v_.s.dea;
    const bool vrs = d.rts == methods::ReturnsToScale::kVrs;
    out_ += "<p>" +
            Esc(v_.zh ? fmt::format(
                            "以各对象为决策单元，采用{}、{}的包络模型（第二阶段最大松弛）。效率"
                            "为 1 且无松弛为有效；规模效率 = 不变规模技术效率 ÷ 可变规模技术"
                            "效率。",
                            vrs                                      ? "可变规模报酬（BCC）"
                            : d.rts == methods::ReturnsToScale::kCrs ? "不变规模报酬（CCR）"
                                                                     : "非递增规模报酬",
                            d.orientation == methods::Orientation::kInput ? "投入导向" : "产出导向")
                      : fmt::format("Each object is a decision-making unit of the envelopment "
                                    "model with {} returns to scale, {} orientation and a "
                                    "second-stage max-slack. Efficiency 1 without slack is "
                                    "efficient; scale efficiency = TE(CRS) ÷ TE(VRS).",
                                    methods::ReturnsToScaleName(d.rts),
                                    methods::OrientationName(d.orientation))) +
            "</p>\n";
    std::vector<std::string> header{v_.T("排名", "Rank"), v_.T("评价对象", "Object"),
                                    v_.T("效率", "Efficiency"), v_.T("有效性", "Class")};
    auto col_name = [&](const DeaColumn& c) { return v_.zh ? c.name : c.name_en; };
    for (const auto& c : d.inputs) header.push_back(v_.T("投入：", "In: ") + col_name(c));
    for (const auto& c : d.outputs) header.push_back(v_.T("产出：", "Out: ") + col_name(c));
    header.push_back(v_.T("规模效率", "Scale eff."));
    header.push_back(v_.T("参照单元（λ）", "Peers (λ)"));
    std::vector<size_t> order(v_.s.objects.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto& res = v_.run.results.dea;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return res[a].rank < res[b].rank; });
    std::vector<std::vector<std::string>> rows;
    std::vector<std::pair<std::string, double>> bars;
    std::vector<std::string> colours;
    for (size_t o : order) {
      const auto& e = res[o];
      std::vector<std::string> row{std::to_string(e.rank), Esc(v_.s.objects[o].name),
                                   F4(e.efficiency), Esc(v_.DeaClass(e.classification))};
      for (double x : d.values[o]) row.push_back(Num(x));
      row.push_back(e.scale_efficiency
                        ? F4(*e.scale_efficiency) + " " + Esc(v_.ScaleType(e.scale_type))
                        : "");
      std::string peers;
      for (const auto& p : e.peers) {
        if (p.dmu < 0 || static_cast<size_t>(p.dmu) >= v_.s.objects.size() ||
            static_cast<size_t>(p.dmu) == o)
          continue;
        if (!peers.empty()) peers += ", ";
        peers += fmt::format("{} ({:.3f})", Esc(v_.s.objects[static_cast<size_t>(p.dmu)].name),
                             p.lambda);
      }
      row.push_back(peers);
      rows.push_back(std::move(row));
      bars.push_back({v_.s.objects[o].name, e.efficiency});
      colours.push_back(e.classification == "efficient" ? "#1b7837" : "#f46d43");
    }
    Table(header, rows, "compact");
    Figure(HBars(
               bars, 1.0, {}, [](double x) { return F4(x); }, colours),
           v_.T("各对象资金使用效率", "Fund efficiency per object"));
    // Targets of the objects off the frontier.
    rows.clear();
    const size_t m = d.inputs.size();
    for (size_t o : order) {
      const auto& e = res[o];
      if (e.classification == "efficient") continue;
      for (size_t c = 0; c < m + d.outputs.size(); ++c) {
        const bool input = c < m;
        const double value = d.values[o][c];
        const double target = input ? e.input_targets[c] : e.output_targets[c - m];
        const double slack = input ? e.input_slacks[c] : e.output_slacks[c - m];
        if (std::abs(target - value) < 1e-9 * std::max(1.0, std::abs(value))) continue;
        rows.push_back({Esc(v_.s.objects[o].name),
                        Esc(col_name(input ? d.inputs[c] : d.outputs[c - m])), Num(value),
                        Num(target),
                        value != 0 ? fmt::format("{:+.1f}%", (target - value) / value * 100) : "",
                        Num(slack)});
      }
    }
    if (!rows.empty()) {
      out_ += "<h3>" + Esc(v_.T("非有效单元的目标值", "Targets of the units off the frontier")) +
              "</h3>\n";
      Table({v_.T("评价对象", "Object"), v_.T("投入/产出", "Input/output"), v_.T("实际", "Actual"),
             v_.T("目标", "Target"), v_.T("调整", "Change"), v_.T("松弛", "Slack")},
            rows);
    }
  }

  void Findings() {
    H2("评价发现与建议", "Findings and recommendations");
    const auto& fs = v_.run.findings;
    if (fs.empty()) {
      out_ += "<p>" + Esc(v_.T("无。", "None.")) + "</p>\n";
      return;
    }
    auto text = [&](const Finding& f) {
      return Esc(v_.zh || f.text_en.empty() ? f.text : f.text_en);
    };
    std::vector<std::vector<std::string>> rows;
    for (const auto& f : fs) {
      if (f.kind == "strength") rows.push_back({Esc(v_.ObjectName(f.object)), text(f)});
    }
    if (!rows.empty()) {
      out_ += "<h3>" + Esc(v_.T("主要优势", "Strengths")) + "</h3>\n";
      Table({v_.T("对象", "Object"), v_.T("发现", "Finding")}, rows);
    }
    rows.clear();
    for (const auto& f : fs) {
      if (f.kind == "strength") continue;
      rows.push_back({Esc(v_.FindingKind(f.kind)), Esc(v_.ObjectName(f.object)), text(f),
                      Esc(v_.Advice(f.kind))});
    }
    if (!rows.empty()) {
      out_ += "<h3>" + Esc(v_.T("问题与改进建议", "Problems and recommendations")) + "</h3>\n";
      Table({v_.T("类别", "Kind"), v_.T("对象", "Object"), v_.T("发现", "Finding"),
             v_.T("建议", "Recommendation")},
            rows);
    }
  }

  void Rectification() {
    H2("整改情况", "Rectification");
    const auto& tasks = v_.c.tasks;
    if (tasks.empty()) {
      out_ += "<p>" +
              Esc(v_.T("尚未根据本次评价下达整改任务。",
                       "No rectification task has been assigned from this run yet.")) +
              "</p>\n";
      return;
    }
    std::map<TaskStatus, int> by_status;
    int overdue = 0;
    for (const auto& t : tasks) {
      ++by_status[t.status];
      overdue += Overdue(t, v_.c.today) ? 1 : 0;
    }
    out_ +=
        "<p>" +
        Esc(v_.zh
                ? fmt::format("共 {} 项整改任务：已核验 {} 项，待核验 {} 项，整改中 {} 项，"
                              "已下达 {} 项；逾期 {} 项（截至 {}）。",
                              tasks.size(), by_status[TaskStatus::kVerified],
                              by_status[TaskStatus::kSubmitted], by_status[TaskStatus::kInProgress],
                              by_status[TaskStatus::kAssigned], overdue, v_.c.today.ToString())
                : fmt::format("{} rectification tasks: {} verified, {} submitted, {} in "
                              "progress, {} assigned; {} overdue (as of {}).",
                              tasks.size(), by_status[TaskStatus::kVerified],
                              by_status[TaskStatus::kSubmitted], by_status[TaskStatus::kInProgress],
                              by_status[TaskStatus::kAssigned], overdue, v_.c.today.ToString())) +
        "</p>\n";
    std::vector<std::vector<std::string>> rows;
    for (const auto& t : tasks) {
      rows.push_back(
          {Esc(t.title), Esc(v_.ObjectName(t.finding.object)), Esc(t.unit), Esc(t.person),
           Esc(t.deadline),
           Esc(v_.TaskStatusText(t.status)) +
               (Overdue(t, v_.c.today)
                    ? " <span class=\"flag\">" + Esc(v_.T("逾期", "overdue")) + "</span>"
                : Late(t) ? " <span class=\"warn\">" + Esc(v_.T("超期提交", "late")) + "</span>"
                          : std::string()),
           Esc(t.verified_on.empty() ? t.submitted_on : t.verified_on)});
    }
    Table({v_.T("任务", "Task"), v_.T("对象", "Object"), v_.T("责任单位", "Unit"),
           v_.T("责任人", "Person"), v_.T("期限", "Deadline"), v_.T("状态", "Status"),
           v_.T("提交/核验日期", "Submitted/verified")},
          rows);
  }

  void Appendix() {
    H2("附录：末级指标输入", "Appendix: leaf inputs");
    std::vector<std::vector<std::string>> rows;
    for (size_t o = 0; o < v_.s.objects.size(); ++o) {
      const auto& obj = v_.s.objects[o];
      for (size_t l = 0; l < v_.leaves.size() && l < obj.leaves.size(); ++l) {
        const auto& in = obj.leaves[l];
        std::string counts;
        for (size_t g = 0; g < in.responses.size(); ++g)
          counts += (g ? " / " : "") + Num(in.responses[g]);
        std::string membership;
        for (size_t g = 0; g < in.membership.size(); ++g)
          membership += fmt::format("{}{:.3f}", g ? " " : "", in.membership[g]);
        rows.push_back({Esc(obj.name), Esc(v_.NodeName(v_.leaves[l])), Esc(v_.Origin(in.origin)),
                        in.value ? Num(*in.value) : "", counts, membership});
      }
    }
    Table({v_.T("对象", "Object"), v_.T("指标", "Leaf"), v_.T("来源", "Source"),
           v_.T("指标值", "Value"), v_.T("各等级计数", "Counts per grade"),
           v_.T("隶属度", "Membership")},
          rows);
  }

  // Horizontal bars 0…max with optional vertical marks, colours and whiskers.
  template <typename Format>
  std::string HBars(const std::vector<std::pair<std::string, double>>& bars, double max,
                    const std::vector<double>& marks, Format format,
                    const std::vector<std::string>& colours = {},
                    const std::vector<std::pair<double, double>>& whiskers = {}) {
    const double label_w = 170, bar_w = 420, row_h = 18, top = 6;
    const double height = top * 2 + row_h * static_cast<double>(bars.size()) + 14;
    double high = max;
    for (const auto& b : bars) high = std::max(high, b.second);
    for (const auto& w : whiskers) high = std::max(high, w.second);
    if (!(high > 0)) high = 1;
    auto x = [&](double v) { return label_w + bar_w * std::clamp(v / high, 0.0, 1.0); };
    std::string svg = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{:.0f}\" "
        "viewBox=\"0 0 {:.0f} {:.0f}\" font-size=\"10\">",
        label_w + bar_w + 70, height, label_w + bar_w + 70, height);
    for (size_t i = 0; i < bars.size(); ++i) {
      const double y = top + row_h * static_cast<double>(i);
      std::string label = bars[i].first;
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>",
                         label_w - 6, y + row_h * 0.68, Esc(label));
      svg += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"/>",
          label_w, y + 3, x(bars[i].second) - label_w, row_h - 6,
          i < colours.size() ? colours[i] : kPalette[0]);
      if (i < whiskers.size()) {
        svg += fmt::format(
            "<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333\" "
            "stroke-width=\"1\"/>",
            x(whiskers[i].first), x(whiskers[i].second), y + row_h / 2, y + row_h / 2);
      }
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>",
                         x(bars[i].second) + 4 +
                             (i < whiskers.size() ? x(whiskers[i].second) - x(bars[i].second) : 0),
                         y + row_h * 0.68, Esc(format(bars[i].second)));
    }
    for (double m : marks) {
      svg += fmt::format(
          "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\" stroke=\"#888\" "
          "stroke-dasharray=\"3 2\"/><text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\" "
          "fill=\"#666\">{4:g}</text>",
          x(m), top, height - 14, height - 3, m);
    }
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\" stroke=\"#333\"/>",
        label_w, top, height - 14);
    return svg + "</svg>";
  }

  std::string Radar(const std::vector<std::string>& axes,
                    const std::vector<std::pair<std::string, std::vector<double>>>& series,
                    double max, const std::vector<double>& rings) {
    const double cx = 260, cy = 200, radius = 150;
    const size_t n = axes.size();
    auto point = [&](size_t k, double v) {
      const double angle = -M_PI / 2 + 2 * M_PI * static_cast<double>(k) / static_cast<double>(n);
      const double r = radius * std::clamp(v / max, 0.0, 1.05);
      return std::pair{cx + r * std::cos(angle), cy + r * std::sin(angle)};
    };
    std::string svg = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"{}\" viewBox=\"0 0 640 "
        "{}\" font-size=\"10\">",
        400 + 0, 400);
    std::vector<double> levels = rings;
    levels.push_back(max);
    for (double level : levels) {
      std::string pts;
      for (size_t k = 0; k < n; ++k) {
        auto [x, y] = point(k, level);
        pts += fmt::format("{:.1f},{:.1f} ", x, y);
      }
      svg += fmt::format("<polygon points=\"{}\" fill=\"none\" stroke=\"#ccc\"/>", pts);
      auto [lx, ly] = point(0, level);
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#999\">{:g}</text>", lx + 3, ly,
                         level);
    }
    for (size_t k = 0; k < n; ++k) {
      auto [x, y] = point(k, max);
      svg += fmt::format(
          "<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#ccc\"/>", cx, cy,
          x, y);
      auto [lx, ly] = point(k, max * 1.14);
      const char* anchor = std::abs(lx - cx) < 5 ? "middle" : lx < cx ? "end" : "start";
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\">{}</text>", lx, ly + 4,
                         anchor, Esc(axes[k]));
    }
    for (size_t i = 0; i < series.size(); ++i) {
      std::string pts;
      for (size_t k = 0; k < n && k < series[i].second.size(); ++k) {
        auto [x, y] = point(k, series[i].second[k]);
        pts += fmt::format("{:.1f},{:.1f} ", x, y);
      }
      const char* colour = kPalette[i % 8];
      svg += fmt::format(
          "<polygon points=\"{}\" fill=\"{}\" fill-opacity=\"0.12\" stroke=\"{}\" "
          "stroke-width=\"1.6\"/>",
          pts, colour, colour);
      svg += fmt::format(
          "<rect x=\"470\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"485\" "
          "y=\"{}\">{}</text>",
          30 + 16 * i, colour, 39 + 16 * i, Esc(series[i].first));
    }
    return svg + "</svg>";
  }

  // The objects' boundaries, filled with their grade's colour (equirectangular projection
  // scaled by the cosine of the middle latitude).
  std::string Map() {
    struct Shape {
      size_t object;
      std::vector<std::vector<std::pair<double, double>>> rings;
    };
    std::vector<Shape> shapes;
    double min_x = 1e300, max_x = -1e300, min_y = 1e300, max_y = -1e300;
    for (const auto& b : v_.c.boundaries) {
      size_t object = v_.s.objects.size();
      for (size_t o = 0; o < v_.s.objects.size(); ++o) {
        if (v_.s.objects[o].code == b.code) object = o;
      }
      if (object == v_.s.objects.size()) continue;
      const auto g = nlohmann::json::parse(b.geometry, nullptr, false);
      if (g.is_discarded() || !g.is_object() || !g.contains("coordinates")) continue;
      Shape shape{object, {}};
      auto add_polygon = [&](const nlohmann::json& polygon) {
        if (!polygon.is_array()) return;
        for (const auto& ring : polygon) {
          std::vector<std::pair<double, double>> points;
          if (!ring.is_array()) continue;
          for (const auto& p : ring) {
            if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number()) continue;
            const double lon = p[0].get<double>();
            const double lat = p[1].get<double>();
            points.push_back({lon, lat});
            min_x = std::min(min_x, lon);
            max_x = std::max(max_x, lon);
            min_y = std::min(min_y, lat);
            max_y = std::max(max_y, lat);
          }
          if (points.size() >= 3) shape.rings.push_back(std::move(points));
        }
      };
      const std::string type = g.value("type", "");
      if (type == "Polygon") {
        add_polygon(g.at("coordinates"));
      } else if (type == "MultiPolygon" && g.at("coordinates").is_array()) {
        for (const auto& polygon : g.at("coordinates")) add_polygon(polygon);
      }
      if (!shape.rings.empty()) shapes.push_back(std::move(shape));
    }
    if (shapes.empty() || !(max_x > min_x) || !(max_y > min_y)) return "";
    const double k = std::cos((min_y + max_y) / 2 * M_PI / 180);
    const double w = 460, h = 340;
    const double scale = std::min(w / ((max_x - min_x) * k), h / (max_y - min_y));
    auto px = [&](double lon) { return 10 + (lon - min_x) * k * scale; };
    auto py = [&](double lat) { return 10 + (max_y - lat) * scale; };
    const int grades = static_cast<int>(v_.s.grades.size());
    std::string svg = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"{:.0f}\" viewBox=\"0 0 "
        "640 {:.0f}\" font-size=\"9\">",
        h + 20, h + 20);
    for (const auto& shape : shapes) {
      std::string d;
      double sx = 0, sy = 0, count = 0;
      for (const auto& ring : shape.rings) {
        for (size_t i = 0; i < ring.size(); ++i) {
          d += fmt::format("{}{:.1f},{:.1f}", i == 0 ? "M" : "L", px(ring[i].first),
                           py(ring[i].second));
        }
        d += "Z";
      }
      // The label at the mean of the outer ring's points.
      for (const auto& p : shape.rings.front()) {
        sx += px(p.first);
        sy += py(p.second);
        ++count;
      }
      const auto& overall = v_.run.results.outcomes[shape.object].overall();
      svg += fmt::format(
          "<path d=\"{}\" fill=\"{}\" fill-opacity=\"0.85\" stroke=\"#fff\" stroke-width=\"1\"/>",
          d, GradeColour(overall.grade, grades));
      if (count > 0) {
        svg += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\">{}</text>",
                           sx / count, sy / count, Esc(v_.s.objects[shape.object].name));
      }
    }
    for (int g = 0; g < grades; ++g) {
      svg += fmt::format(
          "<rect x=\"500\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"515\" "
          "y=\"{}\">{}</text>",
          20 + 16 * g, GradeColour(g, grades), 29 + 16 * g, Esc(v_.Grade(g)));
    }
    svg += fmt::format("<text x=\"500\" y=\"{}\" fill=\"#666\">{}</text>", 36 + 16 * grades,
                       Esc(v_.T("边界仅示意", "outlines are a sketch")));
    return svg + "</svg>";
  }

  const View& v_;
  std::string out_;
  int section_ = 0;
};

// ---------------------------------------------------------------------------------------------
// XLSX

std::vector<Cell> Row(std::initializer_list<Cell> cells) { return cells; }

}  // namespace

Result<ReportContext> GatherReport(EvaluationRepository& evaluations,
                                   regions::RegionRepository& regions,
                                   regions::BoundaryRepository& boundaries, const Run& run,
                                   const Date& today, std::string generated_at) {
  ReportContext c;
  c.run = &run;
  c.today = today;
  c.generated_at = std::move(generated_at);
  auto system = evaluations.FindSystem(run.system_id);
  if (!system) return std::unexpected(system.error());
  if (*system) {
    c.system_name = (*system)->name;
    c.system_name_en = (*system)->name_en;
  } else {
    c.system_name = c.system_name_en = fmt::format("#{}", run.system_id);
  }
  auto office = regions.Find(run.region_code);
  if (!office) return std::unexpected(office.error());
  c.office_name = *office ? (*office)->name : run.region_code;
  EvaluationRepository::TaskFilter filter;
  filter.scope = {""};
  filter.run_id = run.id;
  auto tasks = evaluations.ListTasks(filter);
  if (!tasks) return std::unexpected(tasks.error());
  c.tasks = std::move(*tasks);
  for (const auto& o : run.snapshot.objects) {
    auto found = boundaries.Find(o.code);
    if (!found) return std::unexpected(found.error());
    for (auto& b : *found) c.boundaries.push_back(std::move(b));
  }
  return c;
}

std::string ReportHtml(const ReportContext& context, ReportLanguage language) {
  const View view(context, language);
  return Html(view).Build();
}

Result<std::string> ReportXlsx(const ReportContext& context, ReportLanguage language) {
  const View v(context, language);
  const auto& s = v.s;
  const auto& r = v.run.results;
  std::vector<Sheet> sheets;

  // Overview.
  Sheet overview{v.T("概况", "Overview"), {}, false};
  overview.rows.push_back(Row({v.T("评价运行", "Run"), v.run.name}));
  overview.rows.push_back(Row({v.T("运行编号", "Run id"), v.run.id}));
  overview.rows.push_back(Row({v.T("状态", "Status"), v.Status()}));
  overview.rows.push_back(Row({v.T("评价机构", "Office"), v.c.office_name, v.run.region_code}));
  overview.rows.push_back(Row({v.T("指标体系", "Indicator system"), v.SystemName(), v.run.system_id,
                               v.run.system_version}));
  overview.rows.push_back(Row({v.T("数据期间", "Data period"), s.period}));
  overview.rows.push_back(Row({v.T("合成算子", "Operator"), v.Operator()}));
  overview.rows.push_back(Row({v.T("排序", "Ranking"), v.Ranking()}));
  overview.rows.push_back(Row({v.T("敏感性抽样次数", "Sensitivity draws"), s.sensitivity.draws}));
  overview.rows.push_back(Row({v.T("权重扰动幅度", "Spread"), s.sensitivity.spread}));
  overview.rows.push_back(Row({v.T("随机种子", "Seed"), std::to_string(s.sensitivity.seed)}));
  overview.rows.push_back(Row({v.T("创建", "Created"), v.run.created_by, v.run.created_at}));
  overview.rows.push_back(Row({v.T("发布", "Published"), v.run.published_by, v.run.published_at}));
  overview.rows.push_back(Row({"fupin", v.run.fupin_version}));
  overview.rows.push_back(Row({v.T("生成于", "Generated"), v.c.generated_at}));
  overview.rows.push_back({});
  overview.rows.push_back(
      Row({v.T("等级", "Grade"), v.T("代表分值", "Score"), v.T("分数段下限", "Band minimum")}));
  auto scale = GradeScale::Make(s.grades);
  for (size_t g = 0; g < s.grades.size(); ++g) {
    Cell min;
    if (scale && std::isfinite((*scale)[static_cast<int>(g)].min))
      min = Cell((*scale)[static_cast<int>(g)].min);
    overview.rows.push_back({s.grades[g].name, s.grades[g].score, min});
  }
  overview.rows.push_back({});
  overview.rows.push_back(Row({v.T("约定", "Convention"), v.T("记录", "Recorded")}));
  for (const auto& [key, text] : s.conventions) overview.rows.push_back({v.Convention(key), text});
  sheets.push_back(std::move(overview));

  // The system and weights.
  Sheet system{v.T("指标体系", "System"),
               {Row({v.T("键", "Key"), v.T("上级", "Parent"), v.T("层级", "Level"),
                     v.T("名称", "Name"), v.T("英文名称", "English name"), v.T("来源", "Source"),
                     v.T("指标代码", "Indicator"), v.T("评分规则", "Scoring"),
                     v.T("局部权重", "Local weight"), v.T("全局权重", "Global weight")})}};
  for (size_t i = 0; i < s.nodes.size(); ++i) {
    const auto& n = s.nodes[i];
    const bool leaf = v.kids[i].empty() && i > 0;
    system.rows.push_back({n.key, n.parent, v.depth[i], n.name, n.name_en,
                           leaf ? v.Source(i) : std::string(), n.indicator, v.Rule(i), n.weight,
                           v.global[i]});
  }
  sheets.push_back(std::move(system));

  // Results: every node of every object.
  {
    std::vector<Cell> head{v.T("区划代码", "Code"), v.T("对象", "Object"), v.T("键", "Key"),
                           v.T("节点", "Node")};
    for (const auto& g : s.grades) head.push_back("b: " + g.name);
    for (const std::string& h :
         {v.T("得分", "Score"), v.T("等级", "Grade"), v.T("最大隶属度等级", "Max-membership grade"),
          v.T("两者不同", "Differ"), v.T("等级保持概率", "Grade holds"),
          v.T("扰动得分均值", "Mean score"), v.T("扰动最低分", "Min score"),
          v.T("扰动最高分", "Max score")}) {
      head.push_back(h);
    }
    Sheet results{v.T("结果", "Results"), {head}};
    for (size_t o = 0; o < s.objects.size() && o < r.outcomes.size(); ++o) {
      for (size_t i = 0; i < s.nodes.size(); ++i) {
        const auto& n = r.outcomes[o].nodes[i];
        std::vector<Cell> row{s.objects[o].code, s.objects[o].name, s.nodes[i].key, v.NodeName(i)};
        for (Eigen::Index g = 0; g < n.b_normalized.size(); ++g) row.push_back(n.b_normalized[g]);
        row.push_back(n.score);
        row.push_back(v.Grade(n.grade));
        row.push_back(v.Grade(n.grade_by_max_membership));
        row.push_back(n.grades_differ ? v.T("是", "yes") : v.T("否", "no"));
        if (o < r.sensitivity.size() && !r.sensitivity[o].nodes[i].grade_probability.empty()) {
          const auto& sn = r.sensitivity[o].nodes[i];
          row.push_back(sn.baseline_grade_probability);
          row.push_back(sn.score_mean);
          row.push_back(sn.score_min);
          row.push_back(sn.score_max);
        }
        results.rows.push_back(std::move(row));
      }
    }
    sheets.push_back(std::move(results));
  }

  // Ranking.
  {
    Sheet ranking{
        v.T("排名", "Ranking"),
        {Row({v.T("排名", "Rank"), v.T("区划代码", "Code"), v.T("对象", "Object"),
              v.T("综合得分", "Score"), v.T("等级", "Grade"), v.T("排序值", "Ranking value"),
              v.T("得分 5% 分位", "Score p05"), v.T("得分 95% 分位", "Score p95"),
              v.T("名次保持概率", "Rank holds"), v.T("最好名次", "Best rank"),
              v.T("最差名次", "Worst rank"), v.T("平均名次", "Mean rank")})}};
    for (size_t o : v.ByRank()) {
      if (o >= r.outcomes.size()) continue;
      std::vector<Cell> row{r.ranks[o],
                            s.objects[o].code,
                            s.objects[o].name,
                            r.outcomes[o].overall().score,
                            v.Grade(r.outcomes[o].overall().grade),
                            o < r.ranking_values.size() ? Cell(r.ranking_values[o]) : Cell()};
      if (o < r.sensitivity.size()) {
        const auto& x = r.sensitivity[o];
        for (Cell c : {Cell(x.score_p05), Cell(x.score_p95), Cell(x.baseline_rank_probability),
                       Cell(x.rank_min), Cell(x.rank_max), Cell(x.rank_mean)}) {
          row.push_back(std::move(c));
        }
      }
      ranking.rows.push_back(std::move(row));
    }
    sheets.push_back(std::move(ranking));
  }

  // Inputs.
  {
    std::vector<Cell> head{v.T("区划代码", "Code"), v.T("对象", "Object"), v.T("键", "Key"),
                           v.T("指标", "Leaf"),     v.T("来源", "Source"), v.T("指标值", "Value")};
    for (const auto& g : s.grades) head.push_back(v.T("计数：", "Count: ") + g.name);
    for (const auto& g : s.grades) head.push_back(v.T("隶属度：", "Membership: ") + g.name);
    Sheet inputs{v.T("输入", "Inputs"), {head}};
    for (const auto& obj : s.objects) {
      for (size_t l = 0; l < v.leaves.size() && l < obj.leaves.size(); ++l) {
        const auto& in = obj.leaves[l];
        std::vector<Cell> row{obj.code,
                              obj.name,
                              s.nodes[v.leaves[l]].key,
                              v.NodeName(v.leaves[l]),
                              v.Origin(in.origin),
                              in.value ? Cell(*in.value) : Cell()};
        for (size_t g = 0; g < s.grades.size(); ++g)
          row.push_back(g < in.responses.size() ? Cell(in.responses[g]) : Cell());
        for (size_t g = 0; g < s.grades.size(); ++g)
          row.push_back(g < in.membership.size() ? Cell(in.membership[g]) : Cell());
        inputs.rows.push_back(std::move(row));
      }
    }
    sheets.push_back(std::move(inputs));
  }

  // Weakest indicators.
  {
    Sheet weakest{v.T("失分指标", "Weakest"),
                  {Row({v.T("区划代码", "Code"), v.T("对象", "Object"), v.T("序", "#"),
                        v.T("键", "Key"), v.T("指标", "Leaf"), v.T("得分", "Score"),
                        v.T("全局权重", "Global weight"), v.T("失分", "Shortfall")})}};
    for (size_t o = 0; o < s.objects.size() && o < r.weakest.size(); ++o) {
      for (size_t k = 0; k < r.weakest[o].size(); ++k) {
        const auto& w = r.weakest[o][k];
        const auto node = static_cast<size_t>(w.node);
        weakest.rows.push_back({s.objects[o].code, s.objects[o].name, static_cast<int>(k + 1),
                                s.nodes[node].key, v.NodeName(node), w.score, w.global_weight,
                                w.shortfall});
      }
    }
    sheets.push_back(std::move(weakest));
  }

  // DEA.
  if (s.dea && r.dea.size() == s.objects.size()) {
    const auto& d = *s.dea;
    std::vector<Cell> head{v.T("区划代码", "Code"),
                           v.T("对象", "Object"),
                           v.T("排名", "Rank"),
                           v.T("效率", "Efficiency"),
                           v.T("θ/φ", "θ/φ"),
                           v.T("有效性", "Class"),
                           v.T("规模效率", "Scale efficiency"),
                           v.T("规模报酬", "Returns")};
    auto name = [&](const DeaColumn& c) { return v.zh ? c.name : c.name_en; };
    for (const auto& c : d.inputs) head.push_back(v.T("投入：", "In: ") + name(c));
    for (const auto& c : d.outputs) head.push_back(v.T("产出：", "Out: ") + name(c));
    for (const auto& c : d.inputs) head.push_back(v.T("目标：", "Target: ") + name(c));
    for (const auto& c : d.outputs) head.push_back(v.T("目标：", "Target: ") + name(c));
    for (const auto& c : d.inputs) head.push_back(v.T("松弛：", "Slack: ") + name(c));
    for (const auto& c : d.outputs) head.push_back(v.T("松弛：", "Slack: ") + name(c));
    head.push_back(v.T("参照单元（λ）", "Peers (λ)"));
    Sheet dea{"DEA", {head}};
    for (size_t o = 0; o < s.objects.size(); ++o) {
      const auto& e = r.dea[o];
      std::vector<Cell> row{s.objects[o].code,
                            s.objects[o].name,
                            e.rank,
                            e.efficiency,
                            e.score,
                            v.DeaClass(e.classification),
                            e.scale_efficiency ? Cell(*e.scale_efficiency) : Cell(),
                            v.ScaleType(e.scale_type)};
      for (double x : d.values[o]) row.push_back(x);
      for (double x : e.input_targets) row.push_back(x);
      for (double x : e.output_targets) row.push_back(x);
      for (double x : e.input_slacks) row.push_back(x);
      for (double x : e.output_slacks) row.push_back(x);
      std::string peers;
      for (const auto& p : e.peers) {
        if (p.dmu < 0 || static_cast<size_t>(p.dmu) >= s.objects.size()) continue;
        peers += fmt::format("{}{} {:.6g}", peers.empty() ? "" : "; ",
                             s.objects[static_cast<size_t>(p.dmu)].name, p.lambda);
      }
      row.push_back(peers);
      dea.rows.push_back(std::move(row));
    }
    sheets.push_back(std::move(dea));
  }

  // Surveys.
  {
    Sheet surveys{v.T("问卷", "Surveys"),
                  {Row({v.T("问卷编号", "Questionnaire"), v.T("名称", "Name"),
                        v.T("答卷数", "Responses"), v.T("质量提示", "Warning")})}};
    for (const auto& u : s.surveys) {
      const auto& list = v.zh ? u.warnings : u.warnings_en;
      if (list.empty()) surveys.rows.push_back({u.id, u.name, u.responses, std::string()});
      for (const auto& w : list) surveys.rows.push_back({u.id, u.name, u.responses, w});
    }
    sheets.push_back(std::move(surveys));
  }

  // Findings.
  {
    Sheet findings{v.T("评价发现", "Findings"),
                   {Row({v.T("类别", "Kind"), v.T("对象", "Object"), v.T("节点", "Node"),
                         v.T("发现", "Finding"), v.T("建议", "Recommendation")})}};
    for (const auto& f : v.run.findings) {
      findings.rows.push_back({v.FindingKind(f.kind), v.ObjectName(f.object),
                               v.NodeNameOfKey(f.node),
                               v.zh || f.text_en.empty() ? f.text : f.text_en, v.Advice(f.kind)});
    }
    sheets.push_back(std::move(findings));
  }

  // Rectification.
  {
    Sheet tasks{v.T("整改", "Rectification"),
                {Row({v.T("任务编号", "Task"), v.T("任务", "Title"), v.T("对象", "Object"),
                      v.T("责任单位", "Unit"), v.T("责任人", "Person"), v.T("期限", "Deadline"),
                      v.T("状态", "Status"), v.T("逾期", "Overdue"), v.T("超期提交", "Late"),
                      v.T("提交日期", "Submitted"), v.T("核验日期", "Verified")})}};
    for (const auto& t : v.c.tasks) {
      tasks.rows.push_back(
          {t.id, t.title, v.ObjectName(t.finding.object), t.unit, t.person, t.deadline,
           v.TaskStatusText(t.status), Overdue(t, v.c.today) ? v.T("是", "yes") : v.T("否", "no"),
           Late(t) ? v.T("是", "yes") : v.T("否", "no"), t.submitted_on, t.verified_on});
    }
    sheets.push_back(std::move(tasks));
  }
  return tabular::WorkbookBytes(sheets);
}

}  // namespace fupin::evaluation
