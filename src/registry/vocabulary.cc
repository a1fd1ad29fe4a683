#include "registry/vocabulary.h"

#include <array>

#include "base/text.h"

namespace fupin::registry {
namespace {

constexpr std::array kAttributes = {
    Term{"general", "一般贫困户", "general poor household"},
    Term{"dibao", "低保贫困户", "subsistence-allowance poor household"},
    Term{"tekun", "特困供养贫困户", "destitute-support poor household"},
};

constexpr std::array kCauses = {
    Term{"illness", "因病", "illness"},
    Term{"disability", "因残", "disability"},
    Term{"schooling", "因学", "schooling costs"},
    Term{"disaster", "因灾", "disaster"},
    Term{"marriage", "因婚", "marriage costs"},
    Term{"lack_land", "缺土地", "lack of land"},
    Term{"lack_water", "缺水", "lack of water"},
    Term{"lack_skills", "缺技术", "lack of skills"},
    Term{"lack_funds", "缺资金", "lack of funds"},
    Term{"lack_labour", "缺劳力", "lack of labour"},
    Term{"poor_transport", "交通条件落后", "poor transport"},
    Term{"low_motivation", "自身发展动力不足", "lack of motivation"},
    Term{"other", "其他", "other"},
};

constexpr std::array kRelations = {
    Term{"head", "户主", "head"},
    Term{"spouse", "配偶", "spouse"},
    Term{"child", "子女", "child"},
    Term{"parent", "父母", "parent"},
    Term{"grandchild", "孙子女", "grandchild"},
    Term{"other", "其他", "other"},
};

constexpr std::array kSexes = {
    Term{"male", "男", "male"},
    Term{"female", "女", "female"},
};

constexpr std::array kHealth = {
    Term{"healthy", "健康", "healthy"},
    Term{"chronic", "长期慢性病", "chronic illness"},
    Term{"serious", "患有大病", "serious illness"},
    Term{"disabled", "残疾", "disabled"},
};

constexpr std::array kLabour = {
    Term{"ordinary", "普通劳动力", "ordinary labour"},
    Term{"skilled", "技能劳动力", "skilled labour"},
    Term{"lost", "丧失劳动力", "lost labour capacity"},
    Term{"none", "无劳动力", "no labour capacity"},
};

constexpr std::array kEducations = {
    Term{"illiterate", "文盲或半文盲", "illiterate"},
    Term{"preschool", "学龄前儿童", "preschool"},
    Term{"primary", "小学", "primary school"},
    Term{"junior", "初中", "junior secondary"},
    Term{"senior", "高中", "senior secondary"},
    Term{"vocational", "中职", "secondary vocational"},
    Term{"college", "大专及以上", "college or above"},
};

constexpr std::array kStatuses = {
    Term{"identified", "贫困户", "identified as poor"},
    Term{"lifted", "已脱贫", "lifted out of poverty"},
    Term{"monitored", "监测户", "monitored"},
    Term{"risk_eliminated", "风险已消除", "risk eliminated"},
    Term{"returned", "返贫", "returned to poverty"},
    Term{"cancelled", "已注销", "cancelled"},
};

constexpr std::array kGuarantees = {
    Term{"food", "不愁吃", "food"},
    Term{"clothing", "不愁穿", "clothing"},
    Term{"education", "义务教育有保障", "compulsory education"},
    Term{"medical", "基本医疗有保障", "basic medical care"},
    Term{"housing", "住房安全有保障", "safe housing"},
    Term{"water", "饮水安全有保障", "safe drinking water"},
};

constexpr std::array kMeasures = {
    Term{"industry", "产业帮扶", "industry"},
    Term{"employment", "就业帮扶", "employment"},
    Term{"workshop_job", "扶贫车间就业", "workshop job"},
    Term{"education", "教育帮扶", "education"},
    Term{"health", "健康帮扶", "health"},
    Term{"relocation", "易地扶贫搬迁", "relocation"},
    Term{"social_assistance", "低保/五保", "subsistence allowance / five guarantees"},
    Term{"micro_credit", "小额信贷", "micro-credit"},
    Term{"dividend", "资产收益分红", "dividends"},
    Term{"land_transfer", "土地流转", "land transfer"},
    Term{"ecommerce", "电商帮扶", "e-commerce"},
    Term{"consumption", "消费帮扶", "consumption"},
    Term{"ecological_job", "生态护林员等生态岗位", "ecological job"},
    Term{"public_welfare_post", "公益性岗位", "public-welfare post"},
};

constexpr std::array kHelperLevels = {
    Term{"central", "中央单位", "central unit"},
    Term{"province", "省级", "provincial"},
    Term{"city", "市级", "city"},
    Term{"county", "县级", "county"},
    Term{"township", "乡镇级", "township"},
    Term{"village", "村级", "village"},
    Term{"other", "其他", "other"},
};

constexpr std::array kMemberEvents = {
    Term{"birth", "出生", "birth"},
    Term{"death", "死亡", "death"},
    Term{"marriage_in", "婚入", "married in"},
    Term{"marriage_out", "婚出", "married out"},
    Term{"move_in", "迁入", "moved in"},
    Term{"move_out", "迁出", "moved out"},
    Term{"split", "分户", "household split"},
    Term{"merge", "合户", "households merged"},
    Term{"id_correction", "身份证号更正", "ID number corrected"},
};

constexpr Vocabulary kAttributeVocabulary{"attribute", kAttributes};
constexpr Vocabulary kCauseVocabulary{"cause", kCauses};
constexpr Vocabulary kRelationVocabulary{"relation", kRelations};
constexpr Vocabulary kSexVocabulary{"sex", kSexes};
constexpr Vocabulary kHealthVocabulary{"health", kHealth};
constexpr Vocabulary kLabourVocabulary{"labour", kLabour};
constexpr Vocabulary kEducationVocabulary{"education", kEducations};
constexpr Vocabulary kStatusVocabulary{"status", kStatuses};
constexpr Vocabulary kGuaranteeVocabulary{"guarantee", kGuarantees};
constexpr Vocabulary kMeasureVocabulary{"measure", kMeasures};
constexpr Vocabulary kHelperLevelVocabulary{"helper_level", kHelperLevels};
constexpr Vocabulary kMemberEventVocabulary{"member_event", kMemberEvents};

constexpr std::array<const Vocabulary*, 12> kAll = {
    &kAttributeVocabulary, &kCauseVocabulary,   &kRelationVocabulary,    &kSexVocabulary,
    &kHealthVocabulary,    &kLabourVocabulary,  &kEducationVocabulary,   &kStatusVocabulary,
    &kGuaranteeVocabulary, &kMeasureVocabulary, &kHelperLevelVocabulary, &kMemberEventVocabulary};

}  // namespace

namespace {

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> Vocabulary::Parse(std::string_view text) const {
  const std::string_view t = Trim(text);
  if (t.empty()) return std::nullopt;
  // Imports call this for every cell: no allocation.
  for (const Term& term : terms) {
    if (t == term.code || t == term.zh || EqualsIgnoringAsciiCase(t, term.en)) return term.code;
  }
  return std::nullopt;
}

bool Vocabulary::Contains(std::string_view code) const {
  for (const Term& term : terms) {
    if (term.code == code) return true;
  }
  return false;
}

std::string_view Vocabulary::Zh(std::string_view code) const {
  for (const Term& term : terms) {
    if (term.code == code) return term.zh;
  }
  return {};
}

std::string Vocabulary::Allowed() const {
  std::string out;
  for (const Term& term : terms) {
    if (!out.empty()) out += ", ";
    out += std::string(term.code) + " (" + std::string(term.zh) + ")";
  }
  return out;
}

const Vocabulary& Attributes() { return kAttributeVocabulary; }
const Vocabulary& Causes() { return kCauseVocabulary; }
const Vocabulary& Relations() { return kRelationVocabulary; }
const Vocabulary& Sexes() { return kSexVocabulary; }
const Vocabulary& HealthConditions() { return kHealthVocabulary; }
const Vocabulary& LabourCapacities() { return kLabourVocabulary; }
const Vocabulary& Educations() { return kEducationVocabulary; }
const Vocabulary& Statuses() { return kStatusVocabulary; }
const Vocabulary& GuaranteeItems() { return kGuaranteeVocabulary; }
const Vocabulary& MeasureKinds() { return kMeasureVocabulary; }
const Vocabulary& HelperLevels() { return kHelperLevelVocabulary; }
const Vocabulary& MemberEventKinds() { return kMemberEventVocabulary; }

std::span<const Vocabulary* const> AllVocabularies() { return kAll; }

}  // namespace fupin::registry
