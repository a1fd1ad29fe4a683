// Indicator systems: validation and the shipped templates.
#include "evaluation/system.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

#include "indicators/indicator.h"
#include "methods/ahp.h"

namespace fupin::evaluation {

std::string_view LeafSourceName(LeafSource source) {
  switch (source) {
    case LeafSource::kIndicator:
      return "indicator";
    case LeafSource::kSurvey:
      return "survey";
    case LeafSource::kExpert:
      return "expert";
  }
  return "?";
}

Result<LeafSource> ParseLeafSource(std::string_view name) {
  if (name == "indicator") return LeafSource::kIndicator;
  if (name == "survey") return LeafSource::kSurvey;
  if (name == "expert") return LeafSource::kExpert;
  return InvalidArgument(
      fmt::format("unknown leaf source '{}': indicator, survey or expert", name));
}

std::vector<std::vector<int>> ChildrenOf(const SystemContent& content) {
  std::vector<std::vector<int>> children(content.nodes.size());
  std::map<std::string, int, std::less<>> index;
  for (size_t i = 0; i < content.nodes.size(); ++i) {
    const auto& n = content.nodes[i];
    if (!n.parent.empty()) {
      auto it = index.find(n.parent);
      if (it != index.end())
        children[static_cast<size_t>(it->second)].push_back(static_cast<int>(i));
    }
    index.emplace(n.key, static_cast<int>(i));
  }
  return children;
}

int FindNode(const SystemContent& content, std::string_view key) {
  for (size_t i = 0; i < content.nodes.size(); ++i) {
    if (content.nodes[i].key == key) return static_cast<int>(i);
  }
  return -1;
}

bool WellFormedKey(std::string_view key) {
  if (key.empty() || key.size() > 40 || key[0] < 'a' || key[0] > 'z') return false;
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Status ValidateContent(const SystemContent& content, const indicators::Catalogue* catalogue) {
  std::vector<ErrorDetail> details;
  auto scale = GradeScale::Make(content.grades);
  if (!scale) {
    for (const auto& d : scale.error().details) details.push_back(d);
  }
  auto at = [&](size_t i, const char* field, std::string value, std::string reason) {
    details.push_back(
        ErrorDetail{0, fmt::format("nodes[{}].{}", i, field), std::move(value),
                    fmt::format("{}: {}",
                                content.nodes[i].key.empty() ? fmt::format("node {}", i + 1)
                                                             : content.nodes[i].key,
                                reason)});
  };
  if (content.nodes.empty()) {
    details.push_back(ErrorDetail{0, "nodes", "", "a system needs at least its root node"});
  }
  if (content.nodes.size() > static_cast<size_t>(kMaxNodes)) {
    details.push_back(ErrorDetail{0, "nodes", std::to_string(content.nodes.size()),
                                  fmt::format("at most {} nodes", kMaxNodes)});
  }
  std::map<std::string, int, std::less<>> depth_of;
  for (size_t i = 0; i < content.nodes.size(); ++i) {
    const auto& n = content.nodes[i];
    if (!WellFormedKey(n.key)) {
      at(i, "key", n.key, "a key is 1–40 characters of a–z, 0–9, _ and -, starting with a letter");
    } else if (depth_of.contains(n.key)) {
      at(i, "key", n.key, "the key is used twice");
    }
    if (n.name.empty()) at(i, "name", "", "a node needs a Chinese name");
    if (!std::isfinite(n.weight) || n.weight < 0) {
      at(i, "weight", fmt::format("{}", n.weight), "a weight is a number ≥ 0");
    }
    int depth = 0;
    if (i == 0) {
      if (!n.parent.empty()) at(i, "parent", n.parent, "the first node is the root: no parent");
    } else if (n.parent.empty()) {
      at(i, "parent", "", "only the first node is the root; every other node needs a parent");
    } else {
      auto it = depth_of.find(n.parent);
      if (it == depth_of.end()) {
        at(i, "parent", n.parent, "no node listed before this one has that key");
      } else {
        depth = it->second + 1;
        if (depth > kMaxDepth) {
          at(i, "parent", n.parent,
             fmt::format("the tree may be at most {} levels deep", kMaxDepth));
        }
      }
    }
    if (WellFormedKey(n.key)) depth_of.emplace(n.key, depth);
  }
  const auto children = ChildrenOf(content);
  for (size_t i = 0; i < content.nodes.size(); ++i) {
    const auto& n = content.nodes[i];
    const auto& kids = children[i];
    if (kids.size() > static_cast<size_t>(methods::kMaxAhpSize)) {
      at(i, "key", n.key,
         fmt::format("{} children; at most {} (the pairwise-comparison limit)", kids.size(),
                     methods::kMaxAhpSize));
    }
    if (!kids.empty()) {
      double sum = 0;
      for (int c : kids)
        sum += std::isfinite(content.nodes[static_cast<size_t>(c)].weight)
                   ? content.nodes[static_cast<size_t>(c)].weight
                   : 0.0;
      if (!(sum > 0)) at(i, "key", n.key, "the default weights of its children sum to 0");
      continue;
    }
    if (i == 0) {
      at(i, "key", n.key, "the root needs at least one child");
      continue;
    }
    if (n.source != LeafSource::kIndicator) continue;
    if (n.indicator.empty()) {
      at(i, "indicator", "", "an indicator leaf names a catalogue indicator");
    } else if (catalogue != nullptr && catalogue->Find(n.indicator) == nullptr) {
      at(i, "indicator", n.indicator, "no such indicator in the catalogue");
    }
    if (!n.scoring) {
      at(i, "scoring", "", "an indicator leaf needs a scoring rule (linear, threshold or banded)");
    } else if (scale) {
      auto s = CheckScoringRule(*n.scoring, *scale, fmt::format("nodes[{}].scoring", i));
      if (!s) {
        for (const auto& d : s.error().details) details.push_back(d);
      }
    }
  }
  if (content.dea) {
    std::set<std::pair<std::string, bool>> factors;
    auto check = [&](const std::vector<DeaFactor>& list, const char* side) {
      if (list.empty() || list.size() > kMaxDeaFactors) {
        details.push_back(ErrorDetail{0, fmt::format("dea.{}", side), std::to_string(list.size()),
                                      fmt::format("1 to {} indicators", kMaxDeaFactors)});
      }
      for (size_t i = 0; i < list.size(); ++i) {
        const auto field = fmt::format("dea.{}[{}]", side, i);
        const auto& f = list[i];
        if (f.indicator.empty()) {
          details.push_back(ErrorDetail{0, field, "", "names a catalogue indicator"});
        } else if (catalogue != nullptr && catalogue->Find(f.indicator) == nullptr) {
          details.push_back(
              ErrorDetail{0, field, f.indicator, "no such indicator in the catalogue"});
        } else if (!factors.insert({f.indicator, f.growth}).second) {
          details.push_back(ErrorDetail{0, field, f.indicator, "used twice in the DEA"});
        }
      }
    };
    check(content.dea->inputs, "inputs");
    check(content.dea->outputs, "outputs");
  }
  if (!details.empty())
    return InvalidArgument("the indicator system is not valid", std::move(details));
  return {};
}

// ---------------------------------------------------------------------------------------------
// Templates

namespace {

ScoringRule Linear(double floor, double target) {
  ScoringRule r;
  r.kind = ScoringKind::kLinear;
  r.floor = floor;
  r.target = target;
  return r;
}

ScoringRule AtMost(double threshold) {
  ScoringRule r;
  r.kind = ScoringKind::kThreshold;
  r.threshold = threshold;
  r.at_most = true;
  return r;
}

ScoringRule AtLeast(double threshold) {
  ScoringRule r;
  r.kind = ScoringKind::kThreshold;
  r.threshold = threshold;
  return r;
}

// Builds a content in order: Dim() opens a dimension under the root, Leaf…() adds to the last
// dimension.
class Builder {
 public:
  Builder(std::vector<GradeInput> grades, std::string key, std::string name, std::string name_en) {
    content_.grades = std::move(grades);
    SystemNode root;
    root.key = std::move(key);
    root.name = std::move(name);
    root.name_en = std::move(name_en);
    content_.nodes.push_back(std::move(root));
  }
  Builder& Dim(std::string key, std::string name, std::string name_en, double weight) {
    dim_ = key;
    Add(std::move(key), content_.nodes.front().key, std::move(name), std::move(name_en), weight);
    return *this;
  }
  Builder& Indicator(std::string key, std::string name, std::string name_en, double weight,
                     std::string code, ScoringRule rule, std::string note = "") {
    SystemNode& n = Add(std::move(key), dim_, std::move(name), std::move(name_en), weight);
    n.source = LeafSource::kIndicator;
    n.indicator = std::move(code);
    n.scoring = std::move(rule);
    n.note = std::move(note);
    return *this;
  }
  Builder& Survey(std::string key, std::string name, std::string name_en, double weight,
                  std::string note = "") {
    SystemNode& n = Add(std::move(key), dim_, std::move(name), std::move(name_en), weight);
    n.source = LeafSource::kSurvey;
    n.note = std::move(note);
    return *this;
  }
  Builder& Expert(std::string key, std::string name, std::string name_en, double weight,
                  std::string note = "") {
    SystemNode& n = Add(std::move(key), dim_, std::move(name), std::move(name_en), weight);
    n.source = LeafSource::kExpert;
    n.note = std::move(note);
    return *this;
  }
  // A leaf directly under the root (systems without dimensions).
  Builder& Top() {
    dim_ = content_.nodes.front().key;
    return *this;
  }
  // Fund-efficiency DEA with the default model (VRS, input orientation).
  Builder& Dea(std::vector<DeaFactor> inputs, std::vector<DeaFactor> outputs) {
    DeaSettings d;
    d.inputs = std::move(inputs);
    d.outputs = std::move(outputs);
    content_.dea = std::move(d);
    return *this;
  }
  SystemContent Build() { return std::move(content_); }

 private:
  SystemNode& Add(std::string key, std::string parent, std::string name, std::string name_en,
                  double weight) {
    SystemNode n;
    n.key = std::move(key);
    n.parent = std::move(parent);
    n.name = std::move(name);
    n.name_en = std::move(name_en);
    n.weight = weight;
    content_.nodes.push_back(std::move(n));
    return content_.nodes.back();
  }

  SystemContent content_;
  std::string dim_;
};

std::vector<Template> MakeTemplates() {
  std::vector<Template> out;
  {
    Template t;
    t.code = "workshop_bsc";
    t.name = "扶贫车间项目绩效评价（平衡计分卡）";
    t.name_en = "Poverty-alleviation workshop project performance (balanced scorecard)";
    t.description =
        "平衡计分卡四个维度：利益相关者、内部管理、经济效益、可持续发展。指标取自扶贫车间模块，"
        "以及对政府部门工作人员、车间负责人和周边农户的问卷调查和专家评议。";
    t.description_en =
        "The balanced scorecard's four dimensions: stakeholders, internal management, economic "
        "benefits, sustainable development. Indicators from the workshops module, surveys of "
        "government staff, workshop heads and nearby farmers, and expert review.";
    t.content =
        Builder(DefaultGrades(), "workshop_performance", "扶贫车间项目绩效",
                "Workshop project performance")
            .Dim("stakeholders", "利益相关者", "Stakeholders", 0.25)
            .Survey("gov_satisfaction", "政府部门满意度", "Government staff satisfaction", 0.25,
                    "问卷：政府部门工作人员")
            .Survey("head_satisfaction", "车间负责人满意度", "Workshop heads' satisfaction", 0.25,
                    "问卷：扶贫车间负责人")
            .Survey("farmer_satisfaction", "周边农户满意度", "Nearby farmers' satisfaction", 0.3,
                    "问卷：周边农户")
            .Indicator("poor_worker_share", "贫困劳动力就业占比", "Share of poor workers", 0.2,
                       "workshop_poor_worker_share", Linear(10, 50),
                       "车间就业人员中建档立卡贫困劳动力占比：10% 以下为最低档，50% 及以上为最高档")
            .Dim("management", "内部管理", "Internal management", 0.25)
            .Expert("rules", "管理制度健全", "Management rules in place", 0.3,
                    "专家查阅制度文件、现场核查")
            .Expert("ledger", "用工台账规范", "Employment ledgers kept", 0.25,
                    "专家抽查考勤和工资台账")
            .Indicator("resumption", "车间复工率", "Resumption rate", 0.25,
                       "workshop_resumption_rate", Linear(50, 100))
            .Survey("policy_awareness", "政策知晓度", "Policy awareness", 0.2, "问卷：周边农户")
            .Dim("economic", "经济效益", "Economic benefits", 0.3)
            .Indicator("mean_wage", "贫困劳动力月均工资", "Poor workers' mean monthly wage", 0.3,
                       "workshop_poor_mean_wage", Linear(1000, 3000), "元/人·月")
            .Indicator("wage_income_share", "车间工资占贫困户收入比重",
                       "Workshop wages in poor households' income", 0.25,
                       "workshop_poor_wage_income_share", Linear(10, 50))
            .Survey("income_increase", "农户增收感受", "Farmers' perceived income increase", 0.25,
                    "问卷：周边农户")
            .Indicator("fund_payment", "资金支付率", "Fund payment rate", 0.2, "fund_payment_rate",
                       Linear(50, 100))
            .Dim("sustainability", "可持续发展", "Sustainable development", 0.2)
            .Expert("stability", "经营稳定性", "Operational stability", 0.3,
                    "订单、原料和销售渠道是否稳定")
            .Expert("innovation", "产品与品牌创新", "Products and brand", 0.25)
            .Survey("skills", "技能提升", "Skills gained", 0.25, "问卷：车间负责人、周边农户")
            .Expert("market", "市场前景", "Market prospects", 0.2)
            .Build();
    out.push_back(std::move(t));
  }
  {
    Template t;
    t.code = "county_targeted";
    t.name = "县域精准扶贫绩效评价";
    t.name_en = "County targeted poverty-alleviation performance";
    t.description =
        "政府服务、产业扶贫、社会保障、教育扶贫、收入和“三保障”六个维度，指标多取自建档立卡、"
        "扶贫车间和资金监管模块。比较多个县（乡镇）时另做资金使用效率 DEA：投入为已支付资金和"
        "帮扶干部人数，产出为新增脱贫人口和人均纯收入增量。";
    t.description_en =
        "Six dimensions: government services, industry, social security, education, income and "
        "the three guarantees; most indicators come from the registry, workshops and funds. "
        "Comparing several counties (townships) also runs a fund-efficiency DEA: funds paid and "
        "assistance staff in, people newly lifted out and per-capita income growth out.";
    t.content =
        Builder(DefaultGrades(), "county_performance", "县域精准扶贫绩效",
                "County targeted poverty-alleviation performance")
            .Dim("government", "政府服务", "Government services", 0.15)
            .Indicator("fund_payment", "资金支付率", "Fund payment rate", 0.35, "fund_payment_rate",
                       Linear(60, 100))
            .Indicator("fund_compliance", "资金支付合规率", "Compliant payments", 0.35,
                       "fund_compliance_rate", Linear(80, 100))
            .Survey("service_satisfaction", "群众对政府服务满意度",
                    "Satisfaction with government services", 0.3)
            .Dim("industry", "产业扶贫", "Industry", 0.2)
            .Indicator("resumption", "扶贫车间复工率", "Workshop resumption rate", 0.3,
                       "workshop_resumption_rate", Linear(50, 100))
            .Indicator("poor_worker_share", "车间贫困劳动力占比", "Share of poor workers", 0.3,
                       "workshop_poor_worker_share", Linear(10, 50))
            .Expert("industry_effect", "产业带贫成效", "Industries' effect on the poor", 0.4)
            .Dim("security", "社会保障", "Social security", 0.15)
            .Survey("security_policy", "低保、医保、养老政策落实",
                    "Social-security policies applied", 0.5)
            .Expert("security_coverage", "兜底保障覆盖", "Safety-net coverage", 0.5)
            .Dim("education", "教育扶贫", "Education", 0.15)
            .Indicator("education_secured", "义务教育有保障率", "Compulsory education secured", 0.5,
                       "education_secured_rate", Linear(90, 100))
            .Survey("education_satisfaction", "教育帮扶满意度", "Satisfaction with education aid",
                    0.5)
            .Dim("income", "收入", "Income", 0.2)
            .Indicator("per_capita_income", "贫困人口人均纯收入", "Per-capita net income", 0.5,
                       "mean_per_capita_net_income", Linear(4000, 12000), "元/人")
            .Indicator("incidence", "贫困发生率", "Poverty incidence", 0.5, "poverty_incidence",
                       Linear(10, 0), "越低越好：10% 及以上为最低档，0% 为最高档")
            .Dim("guarantees", "三保障与饮水安全", "Three guarantees and safe water", 0.15)
            .Indicator("medical_secured", "基本医疗有保障率", "Basic medical care secured", 0.35,
                       "medical_secured_rate", Linear(90, 100))
            .Indicator("housing_secured", "住房安全有保障率", "Safe housing secured", 0.35,
                       "housing_secured_rate", Linear(90, 100))
            .Indicator("water_secured", "饮水安全有保障率", "Safe drinking water secured", 0.3,
                       "water_secured_rate", Linear(90, 100))
            // Fund efficiency of the counties (or townships) compared: funds paid and staff
            // against people newly lifted out and per-capita income growth.
            .Dea({{"fund_paid", false}, {"assistance_staff", false}},
                 {{"lifted_people", true}, {"mean_per_capita_net_income", true}})
            .Build();
    out.push_back(std::move(t));
  }
  {
    Template t;
    t.code = "exit_assessment";
    t.name = "贫困县退出评估（三率一度）";
    t.name_en = "Exit assessment (three rates and one degree)";
    t.description =
        "综合贫困发生率低于 2%（西部地区低于 3%，复制后修改阈值）、错退率不高于 2%、漏评率不高于 "
        "2%、群众认可度不低于 90%。四项各为达标/未达标；得分为达标项的权重之和 × 100，只有四项全部"
        "达标时总体才为“达标”。";
    t.description_en =
        "Composite poverty incidence below 2% (3% in the west: change the threshold after "
        "copying), wrong-exit rate at most 2%, missed-identification rate at most 2%, public "
        "approval at least 90%. Each passes or fails; the score is the weight of the items "
        "passed × 100, and the whole passes only when all four do.";
    t.content =
        Builder({{"达标", 100, 99.5}, {"未达标", 0, {}}}, "exit", "贫困退出评估", "Exit assessment")
            .Top()
            .Indicator("incidence", "综合贫困发生率", "Composite poverty incidence", 0.25,
                       "poverty_incidence", AtMost(2.0), "低于 2%；西部地区低于 3%")
            .Indicator("wrong_exit", "错退率", "Wrong-exit rate", 0.25, "wrong_exit_rate",
                       AtMost(2.0))
            .Indicator("missed", "漏评率", "Missed-identification rate", 0.25,
                       "missed_identification_rate", AtMost(2.0))
            .Indicator("approval", "群众认可度", "Public approval", 0.25, "public_approval_rate",
                       AtLeast(90.0))
            .Build();
    out.push_back(std::move(t));
  }
  {
    Template t;
    t.code = "multi_subject";
    t.name = "多元主体参与精准扶贫评价";
    t.name_en = "Multi-subject participation in targeted poverty alleviation";
    t.description = "“五位一体”：政府、企业、社会组织、村委会、农户各自的参与和协同，政府兜底。";
    t.description_en =
        "The five subjects — government, enterprises, social organizations, village committees "
        "and households — and how they work together, with the government as the safety net.";
    t.content =
        Builder(DefaultGrades(), "participation", "多元主体参与", "Multi-subject participation")
            .Dim("government", "政府", "Government", 0.3)
            .Expert("policy_support", "政策支持与统筹", "Policy support and coordination", 0.4)
            .Indicator("fund_payment", "资金支付率", "Fund payment rate", 0.3, "fund_payment_rate",
                       Linear(60, 100))
            .Expert("platform", "协同治理平台", "Collaborative governance platform", 0.3)
            .Dim("enterprises", "企业", "Enterprises", 0.2)
            .Indicator("poor_worker_share", "车间贫困劳动力占比", "Share of poor workers", 0.5,
                       "workshop_poor_worker_share", Linear(10, 50))
            .Survey("enterprise_engagement", "企业参与积极性", "Enterprises' engagement", 0.5)
            .Dim("social_orgs", "社会组织", "Social organizations", 0.15)
            .Survey("org_participation", "社会组织参与度", "Social organizations' participation",
                    0.5)
            .Expert("org_resources", "社会资源投入", "Resources brought in", 0.5)
            .Dim("village", "村委会", "Village committees", 0.2)
            .Survey("helper_contact", "帮扶联系紧密度", "Contact between helpers and households",
                    0.5)
            .Expert("village_organization", "村级组织能力", "Village organization", 0.5)
            .Dim("households", "农户", "Households", 0.15)
            .Survey("motivation", "内生动力", "Households' own drive", 0.5)
            .Survey("household_satisfaction", "农户满意度", "Households' satisfaction", 0.5)
            .Build();
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

std::vector<GradeInput> DefaultGrades() {
  return {{"优秀", 95, 90.0},
          {"良好", 85, 80.0},
          {"较好", 75, 70.0},
          {"一般", 65, 60.0},
          {"较差", 50, {}}};
}

const std::vector<Template>& Templates() {
  static const std::vector<Template> templates = MakeTemplates();
  return templates;
}

const Template* FindTemplate(std::string_view code) {
  for (const auto& t : Templates()) {
    if (t.code == code) return &t;
  }
  return nullptr;
}

}  // namespace fupin::evaluation
