#include "projects/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

namespace fupin::projects {
namespace {

using registry::Term;

constexpr std::array kTypes = {
    Term{"industry", "产业发展", "industry"},
    Term{"employment", "就业扶贫（含扶贫车间）", "employment and workshops"},
    Term{"education", "教育扶贫", "education"},
    Term{"health", "健康扶贫", "health"},
    Term{"relocation", "易地扶贫搬迁", "relocation"},
    Term{"infrastructure", "基础设施", "infrastructure"},
    Term{"housing", "危房改造", "housing"},
    Term{"drinking_water", "饮水安全", "drinking water"},
    Term{"finance", "金融扶贫（小额信贷）", "finance and credit"},
    Term{"consumption", "消费扶贫", "consumption"},
    Term{"ecological", "生态扶贫", "ecological"},
    Term{"social_security", "社会保障兜底", "social security"},
    Term{"other", "其他", "other"},
};
constexpr std::array kStatuses = {
    Term{"proposed", "已申报", "proposed"},
    Term{"reviewed", "乡镇已审核", "reviewed by the township"},
    Term{"approved", "县级已审批", "approved by the county"},
    Term{"in_progress", "实施中", "in progress"},
    Term{"completed", "已完工", "completed"},
    Term{"accepted", "已验收", "accepted"},
    Term{"maintenance", "后续管护", "in maintenance"},
    Term{"returned", "已退回", "returned"},
    Term{"rejected", "不予立项", "rejected"},
};
constexpr std::array kStages = {
    Term{"proposed", "待审核", "proposed"}, Term{"reviewed", "待审批", "reviewed"},
    Term{"approved", "已批准", "approved"}, Term{"returned", "已退回", "returned"},
    Term{"rejected", "未批准", "rejected"},
};
constexpr std::array kCategories = {
    Term{"output_quantity", "产出指标·数量指标", "output: quantity"},
    Term{"output_quality", "产出指标·质量指标", "output: quality"},
    Term{"output_timeliness", "产出指标·时效指标", "output: timeliness"},
    Term{"benefit_economic", "效益指标·经济效益", "benefit: economic"},
    Term{"benefit_social", "效益指标·社会效益", "benefit: social"},
    Term{"benefit_ecological", "效益指标·生态效益", "benefit: ecological"},
    Term{"benefit_sustainability", "效益指标·可持续影响", "benefit: sustainability"},
    Term{"satisfaction", "满意度指标", "satisfaction"},
};
constexpr std::array kDirections = {
    Term{">=", "不低于", "at least"},
    Term{"<=", "不高于", "at most"},
    Term{"=", "等于", "equal to"},
};
constexpr std::array kActionTerms = {
    Term{"submit", "申报", "submit"},
    Term{"edit", "修改申报", "edit the proposal"},
    Term{"resubmit", "修改后重新申报", "resubmit"},
    Term{"change", "申请变更", "propose a change"},
    Term{"review", "乡镇审核通过", "review (pass)"},
    Term{"review_return", "乡镇审核退回", "review: return"},
    Term{"review_reject", "乡镇审核不通过", "review: reject"},
    Term{"approve", "县级审批通过", "approve"},
    Term{"approve_return", "县级审批退回", "approval: return"},
    Term{"approve_reject", "县级审批不予批准", "approval: reject"},
    Term{"start", "开工", "start"},
    Term{"complete", "完工", "complete"},
    Term{"accept", "验收通过", "accept"},
    Term{"accept_return", "验收整改", "acceptance: rectify"},
    Term{"maintain", "移交管护", "hand over for maintenance"},
};

constexpr Vocabulary kTypeVocabulary{"project_type", kTypes};
constexpr Vocabulary kStatusVocabulary{"project_status", kStatuses};
constexpr Vocabulary kStageVocabulary{"version_stage", kStages};
constexpr Vocabulary kCategoryVocabulary{"target_category", kCategories};
constexpr Vocabulary kDirectionVocabulary{"target_direction", kDirections};
constexpr Vocabulary kActionVocabulary{"project_action", kActionTerms};

class Problems {
 public:
  void Add(std::string field, std::string value, std::string reason) {
    out_.push_back({0, std::move(field), std::move(value), std::move(reason)});
  }
  void Required(const std::string& field, const std::string& value) {
    if (value.find_first_not_of(" \t\r\n") == std::string::npos) Add(field, value, "is required");
  }
  void Code(const std::string& field, const std::string& value, const Vocabulary& v) {
    if (value.empty()) {
      Add(field, value, "is required");
    } else if (!v.Contains(value)) {
      Add(field, value, "is not one of: " + v.Allowed());
    }
  }
  std::vector<ErrorDetail> Take() { return std::move(out_); }

 private:
  std::vector<ErrorDetail> out_;
};

std::string Number(double v) { return fmt::format("{}", v); }

std::string TargetText(const Target& t) {
  return fmt::format("{} {} {} {}{}", t.category, t.name, t.direction, Number(t.target_value),
                     t.unit);
}

std::string MilestoneText(const Milestone& m) {
  return fmt::format("{} {} {}%", m.name, m.planned_on.ToString(), m.weight);
}

}  // namespace

const Vocabulary& ProjectTypes() { return kTypeVocabulary; }
const Vocabulary& Statuses() { return kStatusVocabulary; }
const Vocabulary& VersionStages() { return kStageVocabulary; }
const Vocabulary& TargetCategories() { return kCategoryVocabulary; }
const Vocabulary& Directions() { return kDirectionVocabulary; }
const Vocabulary& Actions() { return kActionVocabulary; }

std::string_view TargetGroup(std::string_view category) {
  if (category.starts_with("output_")) return "output";
  if (category.starts_with("benefit_")) return "benefit";
  if (category == "satisfaction") return "satisfaction";
  return "";
}

std::string Yuan(int64_t fen) {
  return fmt::format("{}{}.{:02}", fen < 0 ? "-" : "", std::llabs(fen) / 100,
                     std::llabs(fen) % 100);
}

std::vector<ErrorDetail> ValidateProfile(const ProjectProfile& p) {
  Problems out;
  out.Required("name", p.name);
  out.Code("type", p.type, ProjectTypes());
  out.Required("region", p.region_code);
  out.Required("implementing_unit", p.implementing_unit);
  out.Required("person_in_charge", p.person_in_charge);
  out.Required("mechanism", p.mechanism);
  if (p.budget_fen <= 0) out.Add("budget_fen", std::to_string(p.budget_fen), "must be more than 0");
  const bool dated = p.start_on != Date{} && p.end_on != Date{};
  if (p.start_on == Date{}) out.Add("start_on", "", "is required (YYYY-MM-DD)");
  if (p.end_on == Date{}) out.Add("end_on", "", "is required (YYYY-MM-DD)");
  if (dated && p.end_on < p.start_on) out.Add("end_on", p.end_on.ToString(), "is before start_on");
  std::set<int64_t> households;
  for (size_t i = 0; i < p.beneficiaries.size(); ++i) {
    const std::string at = fmt::format("beneficiaries[{}]", i + 1);
    if (p.beneficiaries[i] <= 0) {
      out.Add(at, std::to_string(p.beneficiaries[i]), "is not an id");
    } else if (!households.insert(p.beneficiaries[i]).second) {
      out.Add(at, std::to_string(p.beneficiaries[i]), "appears twice");
    }
  }
  std::set<std::string> groups;
  std::set<std::string> keys;
  for (size_t i = 0; i < p.targets.size(); ++i) {
    const Target& t = p.targets[i];
    const std::string at = fmt::format("targets[{}].", i + 1);
    out.Code(at + "category", t.category, TargetCategories());
    out.Required(at + "name", t.name);
    out.Code(at + "direction", t.direction, Directions());
    if (!std::isfinite(t.target_value)) {
      out.Add(at + "target_value", Number(t.target_value), "must be a finite number");
    }
    if (!t.key.empty() && !keys.insert(t.key).second) out.Add(at + "key", t.key, "appears twice");
    if (TargetCategories().Contains(t.category))
      groups.insert(std::string(TargetGroup(t.category)));
  }
  if (!groups.contains("output")) {
    out.Add("targets", "", "needs at least one output target (quantity, quality or timeliness)");
  }
  if (!groups.contains("benefit")) {
    out.Add("targets", "",
            "needs at least one benefit target (economic, social, ecological or sustainability)");
  }
  if (!groups.contains("satisfaction")) {
    out.Add("targets", "", "needs at least one satisfaction target");
  }
  if (p.milestones.empty()) out.Add("milestones", "", "needs at least one milestone");
  int weights = 0;
  keys.clear();
  for (size_t i = 0; i < p.milestones.size(); ++i) {
    const Milestone& m = p.milestones[i];
    const std::string at = fmt::format("milestones[{}].", i + 1);
    out.Required(at + "name", m.name);
    if (m.planned_on == Date{}) {
      out.Add(at + "planned_on", "", "is required (YYYY-MM-DD)");
    } else if (dated && (m.planned_on < p.start_on || m.planned_on > p.end_on)) {
      out.Add(at + "planned_on", m.planned_on.ToString(),
              fmt::format("is outside the project's dates ({} to {})", p.start_on.ToString(),
                          p.end_on.ToString()));
    } else if (i > 0 && m.planned_on < p.milestones[i - 1].planned_on) {
      out.Add(at + "planned_on", m.planned_on.ToString(), "is before the previous milestone");
    }
    if (m.weight < 1 || m.weight > 100) {
      out.Add(at + "weight", std::to_string(m.weight), "must be from 1 to 100");
    }
    weights += m.weight;
    if (!m.key.empty() && !keys.insert(m.key).second) out.Add(at + "key", m.key, "appears twice");
  }
  if (!p.milestones.empty() && weights != 100) {
    out.Add("milestones", std::to_string(weights),
            fmt::format("the weights add up to {}, not 100", weights));
  }
  return out.Take();
}

void AssignKeys(ProjectProfile& p, const std::vector<ProjectVersion>& earlier) {
  auto used = [](const auto& items, char prefix, int& next) {
    for (const auto& item : items) {
      if (item.key.size() > 1 && item.key[0] == prefix) {
        next = std::max(next, std::atoi(item.key.c_str() + 1) + 1);
      }
    }
  };
  int next_target = 1;
  int next_milestone = 1;
  used(p.targets, 't', next_target);
  used(p.milestones, 'm', next_milestone);
  for (const ProjectVersion& v : earlier) {
    used(v.profile.targets, 't', next_target);
    used(v.profile.milestones, 'm', next_milestone);
  }
  for (Target& t : p.targets) {
    if (t.key.empty()) t.key = fmt::format("t{}", next_target++);
  }
  for (Milestone& m : p.milestones) {
    if (m.key.empty()) m.key = fmt::format("m{}", next_milestone++);
  }
}

std::vector<ErrorDetail> ValidateReport(const ProgressReport& r, const ProjectProfile& profile,
                                        const Date& today) {
  Problems out;
  if (r.on == Date{}) {
    out.Add("on", "", "is required (YYYY-MM-DD)");
  } else if (r.on > today) {
    out.Add("on", r.on.ToString(), "is in the future");
  } else if (r.on < profile.start_on) {
    out.Add("on", r.on.ToString(),
            fmt::format("is before the project's start ({})", profile.start_on.ToString()));
  }
  if (r.percent < 0 || r.percent > 100) {
    out.Add("percent", std::to_string(r.percent), "must be from 0 to 100");
  }
  out.Required("narrative", r.narrative);
  for (size_t i = 0; i < r.attachments.size(); ++i) {
    out.Required(fmt::format("attachments[{}].name", i + 1), r.attachments[i].name);
  }
  return out.Take();
}

std::vector<Difference> Compare(const ProjectProfile& a, const ProjectProfile& b) {
  std::vector<Difference> out;
  auto field = [&](std::string name, const std::string& x, const std::string& y) {
    if (x != y) out.push_back({std::move(name), x, y});
  };
  field("name", a.name, b.name);
  field("type", a.type, b.type);
  field("region", a.region_code, b.region_code);
  field("implementing_unit", a.implementing_unit, b.implementing_unit);
  field("person_in_charge", a.person_in_charge, b.person_in_charge);
  field("content", a.content, b.content);
  field("mechanism", a.mechanism, b.mechanism);
  field("budget_fen", std::to_string(a.budget_fen), std::to_string(b.budget_fen));
  field("start_on", a.start_on.ToString(), b.start_on.ToString());
  field("end_on", a.end_on.ToString(), b.end_on.ToString());
  const std::set<int64_t> before(a.beneficiaries.begin(), a.beneficiaries.end());
  const std::set<int64_t> after(b.beneficiaries.begin(), b.beneficiaries.end());
  for (int64_t h : before) {
    if (!after.contains(h)) out.push_back({fmt::format("beneficiaries[{}]", h), "listed", ""});
  }
  for (int64_t h : after) {
    if (!before.contains(h)) out.push_back({fmt::format("beneficiaries[{}]", h), "", "listed"});
  }
  // Targets and milestones by key, in the order of `a` then the new ones of `b`.
  auto items = [&](const auto& xs, const auto& ys, std::string_view list, auto text,
                   auto compare_fields) {
    std::map<std::string, size_t> in_b;
    for (size_t i = 0; i < ys.size(); ++i) in_b[ys[i].key] = i;
    std::set<std::string> seen;
    for (const auto& x : xs) {
      seen.insert(x.key);
      auto it = in_b.find(x.key);
      if (it == in_b.end()) {
        out.push_back({fmt::format("{}[{}]", list, x.key), text(x), ""});
        continue;
      }
      compare_fields(fmt::format("{}[{}].", list, x.key), x, ys[it->second]);
    }
    for (const auto& y : ys) {
      if (!seen.contains(y.key)) out.push_back({fmt::format("{}[{}]", list, y.key), "", text(y)});
    }
  };
  items(a.targets, b.targets, "targets", TargetText,
        [&](const std::string& at, const Target& x, const Target& y) {
          field(at + "category", x.category, y.category);
          field(at + "name", x.name, y.name);
          field(at + "unit", x.unit, y.unit);
          field(at + "direction", x.direction, y.direction);
          field(at + "target_value", Number(x.target_value), Number(y.target_value));
        });
  items(a.milestones, b.milestones, "milestones", MilestoneText,
        [&](const std::string& at, const Milestone& x, const Milestone& y) {
          field(at + "name", x.name, y.name);
          field(at + "planned_on", x.planned_on.ToString(), y.planned_on.ToString());
          field(at + "weight", std::to_string(x.weight), std::to_string(y.weight));
        });
  return out;
}

}  // namespace fupin::projects
