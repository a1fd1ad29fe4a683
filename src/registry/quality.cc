#include "registry/quality.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "access/masking.h"
#include "base/text.h"
#include "registry/id_number.h"
#include "registry/vocabulary.h"

namespace fupin::registry {
namespace {

using access::Mask;
using access::SensitiveKind;

// The rules by index into kRules; the two lists are in the same order.
enum Rule : size_t {
  // Household.
  kNoMembers,
  kNoHead,
  kSeveralHeads,
  kHeadUnderAge,
  kSeveralSpouses,
  kSizeMismatch,
  kPhoneInvalid,
  kBankAccountInvalid,
  kSecondaryCauseSame,
  kIllnessWithoutSick,
  kDisabilityWithoutDisabled,
  kSchoolingWithoutPupil,
  kLackLabourWithLabour,
  kDibaoMemberInGeneralHousehold,
  kHousingUnsafeButMet,
  kWaterUnsafeButMet,
  // Status history.
  kIdentifiedAfterLifted,
  kLiftedYearMissing,
  kStatusOutOfOrder,
  kReturnedWithoutLifted,
  kRiskEliminatedTooSoon,
  kLiftedGuaranteeUnmet,
  kEventInFuture,
  kYearIdentifiedMismatch,
  // Members.
  kDuplicateId,
  kIdNumberInvalid,
  kBirthDateMismatch,
  kSexMismatch,
  kBirthInFuture,
  kAgeImplausible,
  kLeftBeforeJoined,
  kHealthyWithoutLabour,
  kElderlySkilled,
  kChildWithLabour,
  kSchoolAgeNotInSchool,
  kAdultInSchool,
  kEducationImplausible,
  kMigrantMonthsInvalid,
  kParentChildAgeGap,
  kDuplicatePerson,
  // Incomes.
  kNetNegative,
  kNegativeComponent,
  kIncomeYearInFuture,
  kMissingIncome,
  kGrossMismatch,
  kNetMismatch,
  kPerCapitaOutlier,
  // Guarantees.
  kNeverVerified,
  kVerifiedInFuture,
  // Measures.
  kMeasureAmountNegative,
  kMeasureEndBeforeStart,
  kAtRiskWithoutMeasure,
  // Helpers.
  kHelperMissing,
  kHelperPhoneInvalid,
  kHelperAfterCancelled,
  kHelperUntilBeforeSince,
  kRuleCount
};

constexpr Severity E = Severity::kError;
constexpr Severity W = Severity::kWarning;
constexpr Severity N = Severity::kInfo;  // a note

constexpr std::array<QualityRule, kRuleCount> kRules = {{
    // --- Household ---------------------------------------------------------------------------
    {"household.no_members", E, "无在册成员", "No current members", "户内没有在册成员",
     "The household has no current member", "补录家庭成员；如该户已不存在，按程序注销并注明原因",
     "Enter the members; if the household no longer exists, cancel it with the reason"},
    {"household.no_head", E, "无户主", "No head of household", "在册成员中没有户主",
     "No current member is the head of household (户主)", "将一名在册成员的与户主关系改为“户主”",
     "Set one current member's relation to “head”"},
    {"household.several_heads", E, "多个户主", "Several heads of household",
     "在册成员中有{count}名户主", "{count} current members are the head of household",
     "只保留一名户主，其他成员改为实际的与户主关系",
     "Keep one head; give the others their actual relation to the head"},
    {"household.head_under_age", W, "户主年龄过小", "Head of household under age",
     "户主{member}仅{age}岁，未满{min}周岁", "The head {member} is {age}, younger than {min}",
     "核实户主身份证号和出生日期；户主应为具有完全民事行为能力的成年人",
     "Check the head's ID number and birth date; the head is normally an adult"},
    {"household.several_spouses", E, "多个配偶", "Several spouses", "在册成员中有{count}名配偶",
     "{count} current members are the head's spouse", "核实与户主关系，配偶只能有一名",
     "Check the relations: the head has one spouse at most"},
    {"household.size_mismatch", W, "家庭人口数与成员不符", "Stated size differs from the members",
     "填报的家庭人口数为{stated}，在册成员为{counted}人",
     "The stated household size is {stated}, but {counted} members are current",
     "以成员信息为准更正家庭人口数，或补录、移除成员",
     "Correct the stated size from the members, or add or remove members"},
    {"household.phone_invalid", W, "联系电话格式错误", "Phone number malformed",
     "联系电话不是以1开头的11位手机号",
     "The phone is not an 11-digit mobile number starting with 1", "向农户核实并更正联系电话",
     "Ask the household and correct the phone number"},
    {"household.bank_account_invalid", W, "银行账号格式错误", "Bank account malformed",
     "银行账号不是16–19位数字", "The bank account is not 16 to 19 digits",
     "对照银行卡或存折更正账号（惠农“一卡通”账号为16–19位）",
     "Correct the account from the bank card or passbook (16 to 19 digits)"},
    {"household.secondary_cause_same", N, "次要致贫原因与主要原因相同",
     "Secondary cause equals the main cause", "次要致贫原因与主要致贫原因同为“{cause}”",
     "The secondary cause repeats the main cause, “{cause}”", "清空次要致贫原因或改为另一原因",
     "Clear the secondary cause or choose another one"},
    {"household.illness_without_sick", W, "因病致贫但无患病成员",
     "Poor through illness, nobody ill",
     "主要致贫原因为“因病”，但没有成员登记为长期慢性病或患有大病",
     "The main cause is illness, but no member is recorded with a chronic or serious illness",
     "核实成员健康状况或更正致贫原因", "Check the members' health or correct the cause"},
    {"household.disability_without_disabled", W, "因残致贫但无残疾成员",
     "Poor through disability, nobody disabled", "主要致贫原因为“因残”，但没有成员登记为残疾",
     "The main cause is disability, but no member is recorded as disabled",
     "核实成员健康状况（残疾证）或更正致贫原因",
     "Check the members' health (disability certificate) or correct the cause"},
    {"household.schooling_without_pupil", W, "因学致贫但无在校生",
     "Poor through schooling, no pupil", "主要致贫原因为“因学”，但没有成员登记为在校生",
     "The main cause is schooling costs, but no member is recorded in school",
     "核实成员在校情况或更正致贫原因", "Check who is in school or correct the cause"},
    {"household.lack_labour_with_labour", W, "缺劳力但有劳动力", "Lack of labour, yet labour",
     "主要致贫原因为“缺劳力”，但{member}（{age}岁）登记为{labour}",
     "The main cause is lack of labour, but {member} ({age}) is recorded as {labour}",
     "核实成员劳动能力或更正致贫原因", "Check the members' labour capacity or correct the cause"},
    {"household.dibao_member_in_general", W, "一般贫困户有低保成员",
     "Subsistence allowance in a general household", "{member}享受低保，但户属性为“一般贫困户”",
     "{member} receives the subsistence allowance, but the household is a general poor household",
     "核实低保情况，将户属性改为“低保贫困户”或更正成员的低保标记",
     "Check the allowance: make the household a dibao household or correct the member's flag"},
    {"household.housing_unsafe_but_met", E, "住房不安全但住房保障达标",
     "Unsafe housing counted as safe", "住房登记为不安全，但“住房安全有保障”为已达标",
     "The housing is recorded unsafe, yet the safe-housing guarantee is met",
     "实地核实住房安全鉴定结果，统一两处登记", "Verify the housing on site and make both agree"},
    {"household.water_unsafe_but_met", E, "饮水不安全但饮水保障达标",
     "Unsafe water counted as safe", "饮水登记为不安全，但“饮水安全有保障”为已达标",
     "Drinking water is recorded unsafe, yet the safe-water guarantee is met",
     "实地核实饮水安全情况，统一两处登记", "Verify the water on site and make both agree"},
    // --- Status history ----------------------------------------------------------------------
    {"status.identified_after_lifted", E, "识别年度晚于脱贫年度", "Identified after lifted out",
     "识别年度{identified}晚于脱贫年度{lifted}",
     "Identified in {identified}, after being lifted out in {lifted}", "核对识别年度和脱贫年度",
     "Check the year identified and the year lifted out"},
    {"status.lifted_year_missing", E, "已脱贫但无脱贫年度", "Lifted out without a year",
     "状态为已脱贫，但没有脱贫年度",
     "Lifted out of poverty, but the year of lifting out is missing",
     "补录脱贫年度（以脱贫验收年度为准）",
     "Enter the year of lifting out (the year it was verified)"},
    {"status.out_of_order", E, "状态变化顺序不合理", "Status history out of order",
     "{on}的“{status}”不能接在“{previous}”之后", "“{status}” on {on} cannot follow “{previous}”",
     "按时间顺序核对状态变化记录，补录缺失的或删除错误的记录",
     "Go through the history in date order; add the missing or remove the wrong entries"},
    {"status.returned_without_lifted", E, "返贫但此前未脱贫", "Returned without having lifted out",
     "{on}登记为返贫，但此前没有脱贫记录",
     "Returned to poverty on {on}, but was never lifted out before",
     "补录脱贫记录，或将该记录改为正确的状态", "Enter the lifting out, or correct the status"},
    {"status.risk_eliminated_too_soon", E, "监测不足6个月即消除风险", "Risk eliminated too soon",
     "{start}纳入监测，{end}即消除风险，不足{months}个月",
     "Monitoring began {start} and the risk was eliminated {end}, less than {months} months later",
     "风险消除须满足最短监测期（默认6个月），核实日期或恢复监测",
     "Risk may be eliminated only after the minimum monitoring period (6 months by default): "
     "check the dates or resume monitoring"},
    {"status.lifted_guarantee_unmet", E, "已脱贫但两不愁三保障未达标",
     "Lifted out with an unmet guarantee", "状态为“{status}”，但“{item}”未达标",
     "Status “{status}”, but “{item}” is not met", "核实保障情况；确未达标的应纳入监测帮扶",
     "Verify the guarantee; if it is really unmet, put the household under monitoring"},
    {"status.event_in_future", E, "状态日期晚于今天", "Status date in the future",
     "“{status}”的日期{on}晚于今天", "“{status}” is dated {on}, after today", "更正状态变化日期",
     "Correct the date"},
    {"status.year_identified_mismatch", W, "识别年度与状态记录不符",
     "Year identified differs from the history", "识别年度为{year}，但识别记录的日期为{on}",
     "The year identified is {year}, but the identification is dated {on}",
     "以识别记录为准更正识别年度", "Correct the year identified from the history"},
    // --- Members -----------------------------------------------------------------------------
    {"member.duplicate_id", E, "身份证号重复", "Duplicate ID number",
     "{member}的身份证号与户{other}的{other_member}相同",
     "{member} has the same ID number as {other_member} of household {other}",
     "核对两人的身份证件，更正错误的号码或删除重复登记的人员",
     "Check both people's ID cards; correct the wrong number or remove the duplicate person"},
    {"member.id_number_invalid", E, "身份证号无效", "Invalid ID number",
     "{member}的身份证号无效（位数、出生日期或校验码不符合GB 11643）",
     "{member}'s ID number is invalid: {reason}", "对照身份证或户口簿更正身份证号",
     "Correct the number from the ID card or household register"},
    {"member.birth_date_mismatch", E, "出生日期与身份证号不符", "Birth date disagrees with the ID",
     "{member}的出生日期{recorded}与身份证号中的{from_id}不符",
     "{member}'s birth date {recorded} disagrees with {from_id} in the ID number",
     "核对身份证，更正出生日期或身份证号",
     "Check the ID card; correct the birth date or the number"},
    {"member.sex_mismatch", E, "性别与身份证号不符", "Sex disagrees with the ID",
     "{member}登记为{recorded}，身份证号显示为{from_id}",
     "{member} is recorded as {recorded}; the ID number says {from_id}",
     "核对身份证，更正性别或身份证号", "Check the ID card; correct the sex or the number"},
    {"member.birth_in_future", E, "出生日期晚于今天", "Birth date in the future",
     "{member}的出生日期{birth}晚于今天", "{member}'s birth date {birth} is after today",
     "更正出生日期", "Correct the birth date"},
    {"member.age_implausible", W, "年龄过大", "Implausibly old", "{member}已{age}岁，超过{max}岁",
     "{member} is {age} years old, older than {max}", "核实是否健在；已故成员应登记减员（死亡）",
     "Check whether the person is alive; record a death"},
    {"member.left_before_joined", E, "减员日期早于增员日期", "Left before joining",
     "{member}的减员日期{left}早于增员日期{joined}",
     "{member} left on {left}, before joining on {joined}", "更正增减员日期",
     "Correct the dates of joining and leaving"},
    {"member.healthy_without_labour", W, "劳动年龄健康成员无劳动能力",
     "Healthy working-age member without labour capacity",
     "{member}（{age}岁）健康状况与劳动能力“{labour}”不符",
     "{member} ({age}) is healthy but recorded as “{labour}”",
     "核实劳动能力：劳动年龄内健康、不在校的成员一般为普通或技能劳动力",
     "Check the labour capacity: healthy working-age members not in school usually have ordinary "
     "or skilled labour"},
    {"member.elderly_skilled", W, "高龄成员登记为技能劳动力", "Elderly member as skilled labour",
     "{member}已{age}岁，登记为“技能劳动力”", "{member} is {age} and recorded as skilled labour",
     "核实劳动能力，一般应为普通劳动力或无劳动力",
     "Check the labour capacity: usually ordinary labour or none"},
    {"member.child_with_labour", W, "未成年人登记为劳动力", "Child recorded as labour",
     "{member}仅{age}岁，登记为“{labour}”", "{member} is {age} and recorded as “{labour}”",
     "未达劳动年龄的成员劳动能力应为“无劳动力”",
     "Members under working age have no labour capacity"},
    {"member.school_age_not_in_school", W, "义务教育阶段适龄儿童未在校",
     "School-age child not in school", "{member}（{age}岁）处于义务教育年龄，登记为不在校",
     "{member} ({age}) is of compulsory-school age but recorded as not in school",
     "核实就学情况；确属失学辍学的应劝返复学，因病残不能入学的登记送教上门",
     "Check schooling: bring a drop-out back to school, or record home teaching for a child who "
     "cannot attend"},
    {"member.adult_in_school", N, "在校生年龄偏大", "In school at an unusual age",
     "{member}已{age}岁（超过{age_limit}岁），登记为在校生",
     "{member} is {age} (over {age_limit}) and recorded as in school", "核实在校情况",
     "Check whether the person is really in school"},
    {"member.education_implausible", W, "文化程度与年龄不符", "Education implausible for the age",
     "{member}（{age}岁）的文化程度为“{education}”",
     "{member} ({age}) has the education “{education}”", "核实并更正文化程度",
     "Check and correct the education"},
    {"member.migrant_months_invalid", E, "务工时间超出0–12个月", "Migrant months out of range",
     "{member}的务工时间为{value}个月", "{member} worked away {value} months in a year",
     "务工时间按上一年实际外出月数填写，0–12个月",
     "Enter the months actually worked away last year, 0 to 12"},
    {"member.parent_child_age_gap", W, "父母与子女年龄差过小", "Parent and child too close in age",
     "{member}（{relation}）与户主年龄相差{gap}岁，不足{min}岁",
     "{member} ({relation}) is {gap} years apart from the head, less than {min}",
     "核对出生日期和与户主关系", "Check the birth dates and the relations"},
    {"member.duplicate_person", W, "户内同名同生日成员", "Same person twice in the household",
     "{member}与另一成员姓名和出生日期相同",
     "{member} has the name and birth date of another member", "核实是否重复登记，删除重复的成员",
     "Check for a duplicate entry and remove it"},
    // --- Incomes -----------------------------------------------------------------------------
    {"income.net_negative", W, "纯收入为负", "Negative net income", "{year}年家庭纯收入为{value}元",
     "Net income of {year} is {value} yuan", "核实生产经营性支出和各项收入",
     "Check the production costs and the income items"},
    {"income.negative_component", E, "收入项为负数", "Negative income item",
     "{year}年{item}为{value}元", "{item} of {year} is {value} yuan",
     "收入和支出各项均应为非负数，更正该项",
     "Income items and costs are never negative: correct it"},
    {"income.year_in_future", E, "收入年度晚于今年", "Income year in the future",
     "收入年度{year}晚于今年", "Income year {year} is after this year", "更正收入年度",
     "Correct the year"},
    {"income.missing_year", W, "缺少检查年度收入", "Income of the checked year missing",
     "没有{year}年的收入信息", "No income is recorded for {year}", "入户核实并补录该年收入",
     "Enter that year's income, verified at the household"},
    {"income.gross_mismatch", E, "总收入与各项收入之和不符", "Gross income differs from its items",
     "{year}年填报总收入{stated}元，各项收入之和为{sum}元",
     "Gross income of {year} is stated as {stated} yuan; the items sum to {sum} yuan",
     "逐项核对工资性、生产经营性、财产性、转移性收入，更正总收入或各项",
     "Check wages, business, property and transfer income; correct the total or the items"},
    {"income.net_mismatch", E, "纯收入与收支不符", "Net income differs from income minus costs",
     "{year}年填报纯收入{stated}元，按总收入减生产经营性支出应为{computed}元",
     "Net income of {year} is stated as {stated} yuan; gross income minus costs is {computed} "
     "yuan",
     "核对生产经营性支出，更正纯收入或各项",
     "Check the production costs; correct the net income or the items"},
    {"income.per_capita_outlier", W, "人均纯收入异常", "Per-capita net income implausible",
     "{year}年人均纯收入{value}元，超出本次检查范围内该年的合理区间（{low}–{high}元）",
     "Per-capita net income of {year} is {value} yuan, outside the plausible range of that year "
     "among the checked households ({low}–{high} yuan)",
     "入户核实收入和家庭人口；确属实的在备注中说明",
     "Verify the income and the members at the household; note it if it is true"},
    // --- Guarantees --------------------------------------------------------------------------
    {"guarantee.never_verified", W, "保障情况未核实", "Guarantee never verified",
     "“{item}”没有核实日期", "“{item}” has no verification date", "入户核实并登记核实日期",
     "Verify it at the household and record the date"},
    {"guarantee.verified_in_future", E, "核实日期晚于今天", "Verified in the future",
     "“{item}”的核实日期{on}晚于今天", "“{item}” is verified on {on}, after today", "更正核实日期",
     "Correct the verification date"},
    // --- Measures ----------------------------------------------------------------------------
    {"measure.amount_negative", E, "帮扶金额为负", "Negative measure amount",
     "“{kind}”的金额为{value}元", "The amount of “{kind}” is {value} yuan", "更正帮扶金额",
     "Correct the amount"},
    {"measure.end_before_start", E, "帮扶措施结束早于开始", "Measure ends before it starts",
     "“{kind}”于{start}开始，却于{end}结束", "“{kind}” starts {start} but ends {end}",
     "更正措施起止日期", "Correct the dates of the measure"},
    {"measure.at_risk_without_measure", W, "监测户或返贫户无帮扶措施",
     "Household at risk without a measure", "{since}起为“{status}”，但没有在此后进行的帮扶措施",
     "“{status}” since {since}, but no assistance measure runs since then",
     "针对风险类型落实帮扶措施并登记",
     "Put assistance measures in place for the risk and record them"},
    // --- Helpers -----------------------------------------------------------------------------
    {"helper.missing", W, "无帮扶责任人", "No helper", "状态为“{status}”，但没有在岗的帮扶责任人",
     "Status “{status}”, but no helper is currently paired with the household",
     "落实结对帮扶责任人并登记", "Pair a helper with the household and record it"},
    {"helper.phone_invalid", W, "帮扶责任人电话格式错误", "Helper's phone malformed",
     "帮扶责任人{helper}的电话不是以1开头的11位手机号",
     "The phone of helper {helper} is not an 11-digit mobile number starting with 1",
     "核实并更正帮扶责任人电话", "Check and correct the helper's phone"},
    {"helper.after_cancelled", E, "户注销后仍结对帮扶", "Paired after the household was cancelled",
     "该户于{cancelled}注销，帮扶责任人{helper}的结对仍在此后有效",
     "The household was cancelled on {cancelled}, but helper {helper} is paired after that",
     "结束结对（登记结对结束日期）或核实注销是否有误",
     "End the pairing (record its end) or check whether the cancellation is right"},
    {"helper.until_before_since", E, "结对结束早于开始", "Pairing ends before it starts",
     "帮扶责任人{helper}的结对于{since}开始，却于{until}结束",
     "Helper {helper} is paired from {since} until {until}", "更正结对起止日期",
     "Correct the dates of the pairing"},
}};

// --- Messages ----------------------------------------------------------------------------

// A value of a message placeholder, in both languages.
struct Arg {
  std::string_view key;
  std::string zh;
  std::string en;
};
Arg A(std::string_view key, std::string value) { return {key, value, value}; }
Arg A(std::string_view key, int64_t value) { return A(key, std::to_string(value)); }
std::string_view English(const Vocabulary& vocabulary, std::string_view code) {
  for (const Term& t : vocabulary.terms) {
    if (t.code == code) return t.en;
  }
  return code;
}
// A vocabulary code as its label.
Arg L(std::string_view key, const Vocabulary& vocabulary, std::string_view code) {
  std::string_view zh = vocabulary.Zh(code);
  return {key, std::string(zh.empty() ? code : zh), std::string(English(vocabulary, code))};
}
std::string Yuan(double v) { return fmt::format("{:.2f}", v); }

std::string Render(std::string_view text, const std::vector<Arg>& args, bool zh) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find('{', i);
    if (open == std::string_view::npos) break;
    const size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(text.substr(i, open - i));
    const std::string_view key = text.substr(open + 1, close - open - 1);
    auto it = std::find_if(args.begin(), args.end(), [&](const Arg& a) { return a.key == key; });
    if (it == args.end()) {
      out.append(text.substr(open, close - open + 1));
    } else {
      out += zh ? it->zh : it->en;
    }
    i = close + 1;
  }
  out.append(text.substr(i));
  return out;
}

// --- Helpers of the checks ---------------------------------------------------------------

bool IsValidPhone(std::string_view phone) {
  return phone.size() == 11 && IsAsciiDigits(phone) && phone[0] == '1';
}

// Full years from `birth` to `day`.
int YearsBetween(const Date& birth, const Date& day) {
  int years = day.year - birth.year;
  if (std::tie(day.month, day.day) < std::tie(birth.month, birth.day)) --years;
  return years;
}

Date AddMonths(const Date& d, int months) {
  const int total = d.year * 12 + (d.month - 1) + months;
  const int year = total / 12;
  const int month = total % 12 + 1;
  return Date{year, month, std::min(d.day, DaysInMonth(year, month))};
}

// The ID number as a number (17 digits × 11 + the check character), or 0 when it is not
// 17 digits and a digit or X.
uint64_t PackIdNumber(std::string_view id) {
  if (id.size() != 18) return 0;
  uint64_t key = 0;
  for (size_t i = 0; i < 17; ++i) {
    if (id[i] < '0' || id[i] > '9') return 0;
    key = key * 10 + static_cast<uint64_t>(id[i] - '0');
  }
  const char last = id[17];
  uint64_t check = 0;
  if (last >= '0' && last <= '9') {
    check = static_cast<uint64_t>(last - '0');
  } else if (last == 'X' || last == 'x') {
    check = 10;
  } else {
    return 0;
  }
  return key * 11 + check + 1;
}

std::string UnpackIdNumber(uint64_t key) {
  const uint64_t check = (key - 1) % 11;
  std::string id = fmt::format("{:017}", (key - 1) / 11);
  id += check == 10 ? 'X' : static_cast<char>('0' + check);
  return id;
}

constexpr int kFirstIncomeYear = 1980;  // income years tracked per household: 1980–2043

// Statuses of a registered household that reports income every year.
bool ExpectsIncome(std::string_view status) {
  return status == "identified" || status == "lifted" || status == "monitored" ||
         status == "returned" || status == "risk_eliminated";
}

// Whether the status `next` may follow `previous` ("" = the first event). "returned" may follow
// any status but "cancelled": whether the household was lifted out before is a rule of its own.
bool MayFollow(std::string_view previous, std::string_view next) {
  if (previous == "cancelled") return false;
  if (next == "cancelled" || next == "returned" || next == previous) return true;
  if (previous.empty()) return next == "identified" || next == "monitored";
  if (previous == "identified") return next == "lifted";
  if (previous == "lifted") return next == "monitored";
  if (previous == "monitored") return next == "risk_eliminated";
  if (previous == "risk_eliminated") return next == "monitored";
  if (previous == "returned") return next == "lifted" || next == "monitored";
  return false;
}

// Runs the per-record rules over one record.
class RecordRules {
 public:
  RecordRules(const QualityOptions& options, const std::vector<bool>& enabled,
              const HouseholdRecord& record, std::vector<Finding>& out)
      : o_(options), t_(options.thresholds), enabled_(enabled), r_(record), out_(out) {
    for (const Member& m : r_.members) {
      if (m.MemberOn(o_.today)) current_.push_back(&m);
    }
  }

  void Run() {
    CheckHousehold();
    CheckStatus();
    CheckMembers();
    CheckIncomes();
    CheckGuarantees();
    CheckMeasures();
    CheckHelpers();
  }

 private:
  void Emit(Rule rule, const Member* m, std::string field, std::string value,
            std::vector<Arg> args) {
    if (!enabled_[rule]) return;
    const QualityRule& q = kRules[rule];
    Finding f;
    f.rule = &q;
    f.household_id = r_.household.id;
    f.household_number = r_.household.number;
    f.region_code = r_.household.region_code;
    if (m) {
      f.member_id = m->id;
      f.member_name = m->name;
    }
    f.field = std::move(field);
    f.value = std::move(value);
    f.message_zh = Render(q.message_zh, args, true);
    f.message_en = Render(q.message_en, args, false);
    out_.push_back(std::move(f));
  }

  std::string At(const Member& m) const {
    return fmt::format("members[{}]", &m - r_.members.data() + 1);
  }
  std::optional<Date> Birth(const Member& m) const {
    if (m.birth_date) return m.birth_date;
    auto info = ParseIdNumber(m.id_number, Date{9999, 12, 31});
    if (info) return info->birth_date;
    return std::nullopt;
  }
  std::optional<int> Age(const Member& m) const {
    auto birth = Birth(m);
    if (!birth) return std::nullopt;
    return YearsBetween(*birth, o_.today);
  }
  const Guarantee* FindGuarantee(std::string_view item) const {
    for (const Guarantee& g : r_.guarantees) {
      if (g.item == item) return &g;
    }
    return nullptr;
  }
  std::string CurrentStatus() const {
    return r_.events.empty() ? r_.household.status : r_.events.back().status;
  }

  void CheckHousehold() {
    const Household& h = r_.household;
    if (current_.empty()) Emit(kNoMembers, nullptr, "members", "", {});
    std::vector<const Member*> heads, spouses;
    for (const Member* m : current_) {
      if (m->relation == "head") heads.push_back(m);
      if (m->relation == "spouse") spouses.push_back(m);
    }
    if (!current_.empty() && heads.empty()) Emit(kNoHead, nullptr, "members", "", {});
    if (heads.size() > 1) {
      Emit(kSeveralHeads, nullptr, "members", std::to_string(heads.size()),
           {A("count", static_cast<int64_t>(heads.size()))});
    }
    for (const Member* head : heads) {
      auto age = Age(*head);
      if (age && *age >= 0 && *age < t_.min_head_age) {
        Emit(kHeadUnderAge, head, At(*head) + ".birth_date", Birth(*head)->ToString(),
             {A("member", head->name), A("age", *age), A("min", t_.min_head_age)});
      }
    }
    if (spouses.size() > 1) {
      Emit(kSeveralSpouses, nullptr, "members", std::to_string(spouses.size()),
           {A("count", static_cast<int64_t>(spouses.size()))});
    }
    if (h.reported_size && *h.reported_size != static_cast<int>(current_.size())) {
      Emit(kSizeMismatch, nullptr, "reported_size", std::to_string(*h.reported_size),
           {A("stated", *h.reported_size), A("counted", static_cast<int64_t>(current_.size()))});
    }
    if (!h.phone.empty() && !IsValidPhone(h.phone)) {
      Emit(kPhoneInvalid, nullptr, "phone", Mask(SensitiveKind::kPhone, h.phone), {});
    }
    if (!h.bank_account.empty() && (h.bank_account.size() < 16 || h.bank_account.size() > 19 ||
                                    !IsAsciiDigits(h.bank_account))) {
      Emit(kBankAccountInvalid, nullptr, "bank_account",
           Mask(SensitiveKind::kBankAccount, h.bank_account), {});
    }
    if (!h.secondary_cause.empty() && h.secondary_cause == h.main_cause) {
      Emit(kSecondaryCauseSame, nullptr, "secondary_cause", h.secondary_cause,
           {L("cause", Causes(), h.main_cause)});
    }
    auto any = [&](auto&& predicate) {
      return std::any_of(current_.begin(), current_.end(),
                         [&](const Member* m) { return predicate(*m); });
    };
    // The messages of the next two rules say that nobody is recorded ill, never who is.
    if (h.main_cause == "illness" &&
        !any([](const Member& m) { return m.health == "chronic" || m.health == "serious"; })) {
      Emit(kIllnessWithoutSick, nullptr, "main_cause", h.main_cause, {});
    }
    if (h.main_cause == "disability" &&
        !any([](const Member& m) { return m.health == "disabled"; })) {
      Emit(kDisabilityWithoutDisabled, nullptr, "main_cause", h.main_cause, {});
    }
    if (h.main_cause == "schooling" && !any([](const Member& m) { return m.in_school == true; })) {
      Emit(kSchoolingWithoutPupil, nullptr, "main_cause", h.main_cause, {});
    }
    if (h.main_cause == "lack_labour") {
      for (const Member* m : current_) {
        auto age = Age(*m);
        if (age && *age >= t_.working_age_min && *age <= t_.working_age_max &&
            m->health == "healthy" && (m->labour == "ordinary" || m->labour == "skilled")) {
          Emit(kLackLabourWithLabour, m, At(*m) + ".labour", m->labour,
               {A("member", m->name), A("age", *age), L("labour", LabourCapacities(), m->labour)});
          break;  // one is enough to question the cause
        }
      }
    }
    if (h.attribute == "general") {
      for (const Member* m : current_) {
        if (m->dibao == true) {
          Emit(kDibaoMemberInGeneralHousehold, m, At(*m) + ".dibao", "true",
               {A("member", m->name)});
          break;
        }
      }
    }
    if (const Guarantee* g = FindGuarantee("housing"); g && g->met && h.housing_safe == false) {
      Emit(kHousingUnsafeButMet, nullptr, "housing_safe", "false", {});
    }
    if (const Guarantee* g = FindGuarantee("water"); g && g->met && h.water_safe == false) {
      Emit(kWaterUnsafeButMet, nullptr, "water_safe", "false", {});
    }
  }

  void CheckStatus() {
    const Household& h = r_.household;
    const auto& events = r_.events;
    std::optional<int> lifted_year = h.lifted_year;
    bool lifted_without_year = false;
    for (const StatusEvent& e : events) {
      if (e.status != "lifted") continue;
      if (e.year) {
        lifted_year = e.year;
      } else {
        lifted_without_year = true;
      }
    }
    if (h.year_identified && lifted_year && *h.year_identified > *lifted_year) {
      Emit(kIdentifiedAfterLifted, nullptr, "year_identified", std::to_string(*h.year_identified),
           {A("identified", *h.year_identified), A("lifted", *lifted_year)});
    }
    if (lifted_without_year || (CurrentStatus() == "lifted" && !lifted_year)) {
      Emit(kLiftedYearMissing, nullptr, "lifted_year", "", {});
    }
    for (size_t i = 0; i < events.size(); ++i) {
      const StatusEvent& e = events[i];
      const std::string previous = i == 0 ? "" : events[i - 1].status;
      const bool earlier = i > 0 && e.on < events[i - 1].on;
      if (earlier || !MayFollow(previous, e.status)) {
        Emit(kStatusOutOfOrder, nullptr, fmt::format("events[{}]", i + 1), e.status,
             {L("status", Statuses(), e.status), A("on", e.on.ToString()),
              previous.empty() ? Arg{"previous", "（无）", "(nothing)"}
                               : L("previous", Statuses(), previous)});
        break;  // the rest of a broken history says little more
      }
    }
    for (size_t i = 0; i < events.size(); ++i) {
      if (events[i].status != "returned") continue;
      const bool lifted_before =
          std::any_of(events.begin(), events.begin() + static_cast<std::ptrdiff_t>(i),
                      [](const StatusEvent& e) { return e.status == "lifted"; });
      if (!lifted_before) {
        Emit(kReturnedWithoutLifted, nullptr, fmt::format("events[{}]", i + 1), "returned",
             {A("on", events[i].on.ToString())});
      }
    }
    for (size_t i = 0; i < events.size(); ++i) {
      if (events[i].status != "risk_eliminated") continue;
      for (size_t j = i; j-- > 0;) {
        if (events[j].status != "monitored") continue;
        if (events[i].on < AddMonths(events[j].on, t_.risk_elimination_months)) {
          Emit(kRiskEliminatedTooSoon, nullptr, fmt::format("events[{}].on", i + 1),
               events[i].on.ToString(),
               {A("start", events[j].on.ToString()), A("end", events[i].on.ToString()),
                A("months", t_.risk_elimination_months)});
        }
        break;
      }
    }
    const std::string status = CurrentStatus();
    if (status == "lifted" || status == "risk_eliminated") {
      for (const Guarantee& g : r_.guarantees) {
        if (g.met) continue;
        Emit(kLiftedGuaranteeUnmet, nullptr, "guarantees." + g.item, "false",
             {L("status", Statuses(), status), L("item", GuaranteeItems(), g.item)});
      }
    }
    for (size_t i = 0; i < events.size(); ++i) {
      if (events[i].on > o_.today) {
        Emit(kEventInFuture, nullptr, fmt::format("events[{}].on", i + 1), events[i].on.ToString(),
             {L("status", Statuses(), events[i].status), A("on", events[i].on.ToString())});
      }
    }
    if (h.year_identified) {
      for (const StatusEvent& e : events) {
        if (e.status != "identified") continue;
        if (e.on.year != *h.year_identified) {
          Emit(kYearIdentifiedMismatch, nullptr, "year_identified",
               std::to_string(*h.year_identified),
               {A("year", *h.year_identified), A("on", e.on.ToString())});
        }
        break;  // the first identification counts
      }
    }
  }

  void CheckMembers() {
    std::set<std::string> ids;
    std::set<std::pair<std::string, Date>> people;
    const Member* head = nullptr;
    std::vector<const Member*> spouses;
    for (const Member* m : current_) {
      if (m->relation == "head" && !head) head = m;
      if (m->relation == "spouse") spouses.push_back(m);
    }
    for (const Member& m : r_.members) {
      const std::string at = At(m);
      const std::string masked_id = Mask(SensitiveKind::kIdNumber, m.id_number);
      auto info = ParseIdNumber(m.id_number, o_.today);
      if (!info) {
        Emit(kIdNumberInvalid, &m, at + ".id_number", masked_id,
             {A("member", m.name), Arg{"reason", "", info.error().message}});
      } else {
        if (m.birth_date && *m.birth_date != info->birth_date) {
          Emit(kBirthDateMismatch, &m, at + ".birth_date", m.birth_date->ToString(),
               {A("member", m.name), A("recorded", m.birth_date->ToString()),
                A("from_id", info->birth_date.ToString())});
        }
        const std::string sex = info->male ? "male" : "female";
        if (!m.sex.empty() && Sexes().Contains(m.sex) && m.sex != sex) {
          Emit(kSexMismatch, &m, at + ".sex", m.sex,
               {A("member", m.name), L("recorded", Sexes(), m.sex), L("from_id", Sexes(), sex)});
        }
        // Across households, the checker compares every ID number at the end.
        // Only current members: a person may have left and rejoined.
        if (!o_.across_households && m.MemberOn(o_.today) && !ids.insert(info->normalized).second) {
          Emit(kDuplicateId, &m, at + ".id_number", masked_id,
               {A("member", m.name), A("other", r_.household.number),
                Arg{"other_member", "另一成员", "another member"}});
        }
      }
      const auto birth = Birth(m);
      if (birth && *birth > o_.today) {
        Emit(kBirthInFuture, &m, at + ".birth_date", birth->ToString(),
             {A("member", m.name), A("birth", birth->ToString())});
      }
      if (m.joined_on && m.left_on && *m.left_on < *m.joined_on) {
        Emit(kLeftBeforeJoined, &m, at + ".left_on", m.left_on->ToString(),
             {A("member", m.name), A("left", m.left_on->ToString()),
              A("joined", m.joined_on->ToString())});
      }
      if (!m.MemberOn(o_.today)) continue;
      // Current members only from here on.
      if (birth && !people.insert({m.name, *birth}).second) {
        Emit(kDuplicatePerson, &m, at, m.name, {A("member", m.name)});
      }
      if (m.migrant_months && (*m.migrant_months < 0 || *m.migrant_months > 12)) {
        Emit(kMigrantMonthsInvalid, &m, at + ".migrant_months", std::to_string(*m.migrant_months),
             {A("member", m.name), A("value", *m.migrant_months)});
      }
      const auto age = Age(m);
      if (!age || *age < 0) continue;
      if (*age > t_.max_age) {
        Emit(kAgeImplausible, &m, at + ".birth_date", birth->ToString(),
             {A("member", m.name), A("age", *age), A("max", t_.max_age)});
      }
      const bool working_age = *age >= t_.working_age_min && *age <= t_.working_age_max;
      if (working_age && m.health == "healthy" && (m.labour == "none" || m.labour == "lost") &&
          m.in_school != true) {
        Emit(kHealthyWithoutLabour, &m, at + ".labour", m.labour,
             {A("member", m.name), A("age", *age), L("labour", LabourCapacities(), m.labour)});
      }
      if (*age >= t_.elderly_skilled_age && m.labour == "skilled") {
        Emit(kElderlySkilled, &m, at + ".labour", m.labour, {A("member", m.name), A("age", *age)});
      }
      if (*age < t_.working_age_min && (m.labour == "ordinary" || m.labour == "skilled")) {
        Emit(kChildWithLabour, &m, at + ".labour", m.labour,
             {A("member", m.name), A("age", *age), L("labour", LabourCapacities(), m.labour)});
      }
      if (*age >= t_.school_age_min && *age <= t_.school_age_max && m.in_school == false) {
        Emit(kSchoolAgeNotInSchool, &m, at + ".in_school", "false",
             {A("member", m.name), A("age", *age)});
      }
      if (*age > t_.adult_in_school_age && m.in_school == true) {
        Emit(kAdultInSchool, &m, at + ".in_school", "true",
             {A("member", m.name), A("age", *age), A("age_limit", t_.adult_in_school_age)});
      }
      if ((m.education == "preschool" && *age >= 8) || (m.education == "college" && *age < 17)) {
        Emit(kEducationImplausible, &m, at + ".education", m.education,
             {A("member", m.name), A("age", *age), L("education", Educations(), m.education)});
      }
      // Parents and children: too close in age to the head (and to every spouse, for a child,
      // who may be the spouse's).
      const auto head_birth = head ? Birth(*head) : std::nullopt;
      if (head_birth && (m.relation == "child" || m.relation == "parent")) {
        const bool child = m.relation == "child";
        const int gap =
            child ? YearsBetween(*head_birth, *birth) : YearsBetween(*birth, *head_birth);
        bool spouse_could_be_parent = false;
        for (const Member* s : spouses) {
          const auto sb = Birth(*s);
          spouse_could_be_parent |= child && sb && YearsBetween(*sb, *birth) >= t_.min_parent_gap;
        }
        if (gap < t_.min_parent_gap && !spouse_could_be_parent) {
          Emit(kParentChildAgeGap, &m, at + ".birth_date", birth->ToString(),
               {A("member", m.name), L("relation", Relations(), m.relation), A("gap", gap),
                A("min", t_.min_parent_gap)});
        }
      }
    }
  }

  void CheckIncomes() {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kItems = {
        {{"wages", "工资性收入"},
         {"business", "生产经营性收入"},
         {"property", "财产性收入"},
         {"transfer", "转移性收入"},
         {"costs", "生产经营性支出"}}};
    for (const Income& i : r_.incomes) {
      const std::string at = fmt::format("incomes[{}]", i.year);
      if (i.Net() < 0) {
        Emit(kNetNegative, nullptr, at + ".net", Yuan(i.Net()),
             {A("year", i.year), A("value", Yuan(i.Net()))});
      }
      const double values[] = {i.wages, i.business, i.property, i.transfer, i.costs};
      for (size_t k = 0; k < kItems.size(); ++k) {
        if (values[k] >= 0) continue;
        Emit(kNegativeComponent, nullptr, at + "." + std::string(kItems[k].first), Yuan(values[k]),
             {A("year", i.year),
              Arg{"item", std::string(kItems[k].second), std::string(kItems[k].first)},
              A("value", Yuan(values[k]))});
      }
      if (i.year > o_.today.year) {
        Emit(kIncomeYearInFuture, nullptr, at + ".year", std::to_string(i.year),
             {A("year", i.year)});
      }
      if (i.reported_gross && std::abs(*i.reported_gross - i.Gross()) > t_.money_tolerance) {
        Emit(kGrossMismatch, nullptr, at + ".reported_gross", Yuan(*i.reported_gross),
             {A("year", i.year), A("stated", Yuan(*i.reported_gross)), A("sum", Yuan(i.Gross()))});
      }
      if (i.reported_net && std::abs(*i.reported_net - i.Net()) > t_.money_tolerance) {
        Emit(kNetMismatch, nullptr, at + ".reported_net", Yuan(*i.reported_net),
             {A("year", i.year), A("stated", Yuan(*i.reported_net)), A("computed", Yuan(i.Net()))});
      }
    }
  }

  void CheckGuarantees() {
    for (const Guarantee& g : r_.guarantees) {
      if (!g.verified_on) {
        Emit(kNeverVerified, nullptr, "guarantees." + g.item + ".verified_on", "",
             {L("item", GuaranteeItems(), g.item)});
      } else if (*g.verified_on > o_.today) {
        Emit(kVerifiedInFuture, nullptr, "guarantees." + g.item + ".verified_on",
             g.verified_on->ToString(),
             {L("item", GuaranteeItems(), g.item), A("on", g.verified_on->ToString())});
      }
    }
  }

  void CheckMeasures() {
    for (size_t k = 0; k < r_.measures.size(); ++k) {
      const AssistanceMeasure& m = r_.measures[k];
      const std::string at = fmt::format("measures[{}]", k + 1);
      if (m.amount && *m.amount < 0) {
        Emit(kMeasureAmountNegative, nullptr, at + ".amount", Yuan(*m.amount),
             {L("kind", MeasureKinds(), m.kind), A("value", Yuan(*m.amount))});
      }
      if (m.start_on && m.end_on && *m.end_on < *m.start_on) {
        Emit(kMeasureEndBeforeStart, nullptr, at + ".end_on", m.end_on->ToString(),
             {L("kind", MeasureKinds(), m.kind), A("start", m.start_on->ToString()),
              A("end", m.end_on->ToString())});
      }
    }
    const std::string status = CurrentStatus();
    if ((status == "monitored" || status == "returned") && !r_.events.empty()) {
      const Date since = r_.events.back().on;
      const bool covered =
          std::any_of(r_.measures.begin(), r_.measures.end(),
                      [&](const AssistanceMeasure& m) { return !m.end_on || *m.end_on >= since; });
      if (!covered) {
        Emit(kAtRiskWithoutMeasure, nullptr, "measures", "",
             {L("status", Statuses(), status), A("since", since.ToString())});
      }
    }
  }

  void CheckHelpers() {
    const std::string status = CurrentStatus();
    if ((status == "identified" || status == "monitored" || status == "returned") &&
        std::none_of(r_.helpers.begin(), r_.helpers.end(),
                     [&](const HelperAssignment& a) { return a.PairedOn(o_.today); })) {
      Emit(kHelperMissing, nullptr, "helpers", "", {L("status", Statuses(), status)});
    }
    std::optional<Date> cancelled;
    if (status == "cancelled") cancelled = r_.events.back().on;
    for (size_t k = 0; k < r_.helpers.size(); ++k) {
      const HelperAssignment& a = r_.helpers[k];
      const std::string at = fmt::format("helpers[{}]", k + 1);
      if (!a.phone.empty() && !IsValidPhone(a.phone)) {
        Emit(kHelperPhoneInvalid, nullptr, at + ".phone", Mask(SensitiveKind::kPhone, a.phone),
             {A("helper", a.name)});
      }
      if (a.since && a.until && *a.until < *a.since) {
        Emit(kHelperUntilBeforeSince, nullptr, at + ".until", a.until->ToString(),
             {A("helper", a.name), A("since", a.since->ToString()),
              A("until", a.until->ToString())});
      }
      if (cancelled && ((a.since && *a.since > *cancelled) || !a.until || *a.until > *cancelled)) {
        Emit(kHelperAfterCancelled, nullptr, at, a.name,
             {A("helper", a.name), A("cancelled", cancelled->ToString())});
      }
    }
  }

  const QualityOptions& o_;
  const QualityThresholds& t_;
  const std::vector<bool>& enabled_;
  const HouseholdRecord& r_;
  std::vector<Finding>& out_;
  std::vector<const Member*> current_;
};

}  // namespace

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "info";
}

std::string_view SeverityZh(Severity severity) {
  switch (severity) {
    case Severity::kError:
      return "错误";
    case Severity::kWarning:
      return "警告";
    case Severity::kInfo:
      return "提示";
  }
  return "提示";
}

std::optional<Severity> ParseSeverity(std::string_view text) {
  const std::string t = ToLowerAscii(Trim(text));
  for (Severity s : {Severity::kError, Severity::kWarning, Severity::kInfo}) {
    if (t == SeverityName(s) || t == SeverityZh(s)) return s;
  }
  return std::nullopt;
}

std::span<const QualityRule> QualityRules() { return kRules; }

const QualityRule* FindQualityRule(std::string_view code) {
  for (const QualityRule& r : kRules) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

int64_t QualityReport::Count(Severity severity) const {
  return std::count_if(findings.begin(), findings.end(),
                       [&](const Finding& f) { return f.rule->severity == severity; });
}

Result<QualityChecker> QualityChecker::Create(QualityOptions options) {
  std::vector<ErrorDetail> unknown;
  for (const std::string& code : options.rules) {
    if (!FindQualityRule(code)) unknown.push_back({0, "rule", code, "is not a rule code"});
  }
  if (!unknown.empty()) {
    return InvalidArgument(fmt::format("unknown rule code{}; `fupin check --list-rules` lists them",
                                       unknown.size() == 1 ? "" : "s"),
                           std::move(unknown));
  }
  return QualityChecker(std::move(options));
}

QualityChecker::QualityChecker(QualityOptions options)
    : options_(std::move(options)), enabled_(kRuleCount, false) {
  for (size_t i = 0; i < kRuleCount; ++i) {
    const bool listed = options_.rules.empty() ||
                        std::find(options_.rules.begin(), options_.rules.end(), kRules[i].code) !=
                            options_.rules.end();
    const bool severity = !options_.severity || *options_.severity == kRules[i].severity;
    enabled_[i] = listed && severity;
  }
}

Finding& QualityChecker::NewFinding(size_t rule, const HouseholdRef& household) {
  Finding& f = findings_.emplace_back();
  f.rule = &kRules[rule];
  f.household_id = household.id;
  f.household_number = household.number;
  f.region_code = regions_[household.region];
  return f;
}

void QualityChecker::Add(const HouseholdRecord& record) {
  RecordRules(options_, enabled_, record, findings_).Run();
  members_ += static_cast<int64_t>(record.members.size());

  const Household& h = record.household;
  HouseholdRef ref;
  ref.id = h.id;
  ref.number = h.number;
  auto [region, inserted] =
      region_index_.try_emplace(h.region_code, static_cast<uint32_t>(regions_.size()));
  if (inserted) regions_.push_back(h.region_code);
  ref.region = region->second;
  const std::string status = record.events.empty() ? h.status : record.events.back().status;
  ref.wants_income = ExpectsIncome(status);
  ref.from_year = h.year_identified.value_or(record.events.empty() ? 0 : record.events[0].on.year);
  const auto index = static_cast<uint32_t>(households_.size());
  for (const Income& i : record.incomes) {
    if (i.year >= kFirstIncomeYear && i.year < kFirstIncomeYear + 64) {
      ref.income_years |= uint64_t{1} << (i.year - kFirstIncomeYear);
    }
    if (options_.year && i.year != *options_.year) continue;
    if (i.year > options_.today.year) continue;
    if (auto pc = PerCapitaNetIncome(i, record.members))
      per_capita_.push_back({i.year, index, *pc});
  }
  if (options_.across_households) {
    for (const Member& m : record.members) {
      // A person who moved is a former member of one household and a current member of
      // another: only current memberships count.
      if (!m.MemberOn(options_.today)) continue;
      if (const uint64_t key = PackIdNumber(m.id_number)) {
        ids_.push_back({key, m.id, index, m.name});
      }
    }
  }
  households_.push_back(std::move(ref));
}

void QualityChecker::CheckMissingIncome(int year) {
  if (!enabled_[kMissingIncome]) return;
  const QualityRule& rule = kRules[kMissingIncome];
  const std::vector<Arg> args = {A("year", year)};
  for (const HouseholdRef& h : households_) {
    if (!h.wants_income || h.from_year > year) continue;
    const bool tracked = year >= kFirstIncomeYear && year < kFirstIncomeYear + 64;
    if (tracked && (h.income_years >> (year - kFirstIncomeYear)) & 1) continue;
    Finding& f = NewFinding(kMissingIncome, h);
    f.field = fmt::format("incomes[{}]", year);
    f.message_zh = Render(rule.message_zh, args, true);
    f.message_en = Render(rule.message_en, args, false);
  }
}

void QualityChecker::CheckDuplicateIds() {
  if (!enabled_[kDuplicateId] || ids_.empty()) return;
  std::sort(ids_.begin(), ids_.end(), [](const IdEntry& a, const IdEntry& b) {
    return std::tie(a.key, a.household, a.member_id) < std::tie(b.key, b.household, b.member_id);
  });
  const QualityRule& rule = kRules[kDuplicateId];
  for (size_t first = 0; first < ids_.size();) {
    size_t end = first + 1;
    while (end < ids_.size() && ids_[end].key == ids_[first].key) ++end;
    // Each holder of the number is told about one other (the next, or the first for the last).
    for (size_t i = first; end - first > 1 && i < end; ++i) {
      const IdEntry& self = ids_[i];
      const IdEntry& other = ids_[i + 1 < end ? i + 1 : first];
      const HouseholdRef& household = households_[self.household];
      Finding& f = NewFinding(kDuplicateId, household);
      f.member_id = self.member_id;
      f.member_name = self.name;
      f.field = "id_number";
      f.value = Mask(SensitiveKind::kIdNumber, UnpackIdNumber(self.key));
      const std::vector<Arg> args = {A("member", self.name),
                                     A("other", households_[other.household].number),
                                     A("other_member", other.name)};
      f.message_zh = Render(rule.message_zh, args, true);
      f.message_en = Render(rule.message_en, args, false);
    }
    first = end;
  }
}

void QualityChecker::CheckOutliers(int year, QualityReport& report) {
  report.income.year = year;
  std::vector<const PerCapita*> values;
  for (const PerCapita& p : per_capita_) {
    if (p.year == year && p.value > 0) values.push_back(&p);
  }
  report.income.households = static_cast<int64_t>(values.size());
  const QualityThresholds& t = options_.thresholds;
  if (values.empty() || static_cast<int64_t>(values.size()) < t.outlier_min_households) return;
  auto median = [](std::vector<double> v) {
    const size_t n = v.size();
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2), v.end());
    const double upper = v[n / 2];
    if (n % 2 == 1) return upper;
    const double lower =
        *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2));
    return (lower + upper) / 2;
  };
  std::vector<double> logs;
  logs.reserve(values.size());
  for (const PerCapita* p : values) logs.push_back(std::log(p->value));
  const double center = median(logs);
  std::vector<double> deviations;
  deviations.reserve(logs.size());
  for (double l : logs) deviations.push_back(std::abs(l - center));
  const double mad = median(deviations);
  report.income.median = std::exp(center);
  if (mad <= 0) return;
  // |0.6745 (ln x − m) / MAD| > z  ⇔  ln x outside m ± z MAD / 0.6745.
  const double half_width = t.outlier_z * mad / 0.6745;
  report.income.applied = true;
  report.income.low = std::exp(center - half_width);
  report.income.high = std::exp(center + half_width);
  if (!enabled_[kPerCapitaOutlier]) return;
  const QualityRule& rule = kRules[kPerCapitaOutlier];
  for (size_t i = 0; i < values.size(); ++i) {
    if (std::abs(logs[i] - center) <= half_width) continue;
    const PerCapita& p = *values[i];
    Finding& f = NewFinding(kPerCapitaOutlier, households_[p.household]);
    f.field = fmt::format("incomes[{}].per_capita", year);
    f.value = Yuan(p.value);
    const std::vector<Arg> args = {A("year", year), A("value", Yuan(p.value)),
                                   A("low", Yuan(report.income.low)),
                                   A("high", Yuan(report.income.high))};
    f.message_zh = Render(rule.message_zh, args, true);
    f.message_en = Render(rule.message_en, args, false);
  }
}

QualityReport QualityChecker::Finish() {
  QualityReport report;
  report.today = options_.today;
  report.thresholds = options_.thresholds;
  report.households = static_cast<int64_t>(households_.size());
  report.members = members_;
  report.year_given = options_.year.has_value();
  if (options_.year) {
    report.year = *options_.year;
  } else {
    // The year most households last reported income for.
    std::map<int, int64_t> latest;
    for (const HouseholdRef& h : households_) {
      if (h.income_years == 0) continue;
      int last = kFirstIncomeYear + 63;
      while (!((h.income_years >> (last - kFirstIncomeYear)) & 1)) --last;
      if (last <= options_.today.year) ++latest[last];
    }
    report.year = options_.today.year - 1;
    int64_t best = 0;
    for (const auto& [year, count] : latest) {
      if (count >= best) {
        best = count;
        report.year = year;
      }
    }
  }
  CheckMissingIncome(report.year);
  CheckDuplicateIds();
  CheckOutliers(report.year, report);

  std::vector<std::pair<int64_t, int64_t>> counts(kRuleCount);  // findings, households
  std::vector<const std::string*> last_household(kRuleCount, nullptr);
  std::sort(findings_.begin(), findings_.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.region_code, a.household_number, a.rule, a.field, a.member_id) <
           std::tie(b.region_code, b.household_number, b.rule, b.field, b.member_id);
  });
  std::string previous_household;
  bool first = true;
  for (const Finding& f : findings_) {
    const auto rule = static_cast<size_t>(f.rule - kRules.data());
    ++counts[rule].first;
    if (!last_household[rule] || *last_household[rule] != f.household_number) {
      ++counts[rule].second;
      last_household[rule] = &f.household_number;
    }
    if (first || f.household_number != previous_household) {
      ++report.households_with_findings;
      previous_household = f.household_number;
      first = false;
    }
  }
  for (size_t i = 0; i < kRuleCount; ++i) {
    if (enabled_[i]) report.counts.push_back({&kRules[i], counts[i].first, counts[i].second});
  }
  report.findings = std::move(findings_);
  findings_.clear();
  households_.clear();
  ids_.clear();
  per_capita_.clear();
  return report;
}

Result<QualityReport> CheckHouseholds(RegistryRepository& repository, const HouseholdQuery& query,
                                      QualityOptions options) {
  // The database holds each person once (members.id_number is unique), so there is nothing
  // to compare across households, and no reason to keep every ID number in memory.
  options.across_households = false;
  auto checker = QualityChecker::Create(std::move(options));
  if (!checker) return std::unexpected(checker.error());
  FUPIN_TRY(repository.ForEachRecord(query, [&](const HouseholdRecord& record) -> Status {
    checker->Add(record);
    return {};
  }));
  return checker->Finish();
}

}  // namespace fupin::registry
