// Exit-assessment indicators.
#include "indicators/assessment_indicators.h"

namespace fupin::indicators {
namespace {

Indicator Entered(std::string_view code, std::string_view zh, std::string_view en,
                  std::string_view unit, std::string_view definition_zh,
                  std::string_view definition_en) {
  Indicator i;
  i.code = code;
  i.zh = zh;
  i.en = en;
  i.unit = unit;
  i.direction = Direction::kTargetRange;
  i.source = Source::kEntered;
  i.aggregation = Aggregation::kSum;
  i.definition_zh = definition_zh;
  i.definition_en = definition_en;
  i.module = "assessment";
  return i;
}

Indicator Rate(std::string_view code, std::string_view zh, std::string_view en, Direction direction,
               std::string_view numerator, std::string_view denominator,
               std::string_view definition_zh, std::string_view definition_en) {
  Indicator i;
  i.code = code;
  i.zh = zh;
  i.en = en;
  i.unit = "percent";
  i.direction = direction;
  i.source = Source::kComputed;
  i.aggregation = Aggregation::kRatioOfSums;
  i.formula = Formula{std::string(numerator), std::string(denominator), 100};
  i.definition_zh = definition_zh;
  i.definition_en = definition_en;
  i.module = "assessment";
  return i;
}

}  // namespace

Status RegisterAssessmentIndicators(Catalogue& c) {
  FUPIN_TRY(c.Register(Entered(kExitCheckedHouseholds, "退出抽查户数", "exits checked", "household",
                               "退出评估中抽查的已脱贫户数（录入）。",
                               "Lifted-out households checked by the exit assessment (entered).")));
  FUPIN_TRY(c.Register(Entered(kExitWrongHouseholds, "错退户数", "wrong exits", "household",
                               "抽查中发现不符合退出标准而被标注脱贫的户数（录入）。",
                               "Checked households marked lifted out that did not meet the exit "
                               "standard (entered).")));
  FUPIN_TRY(c.Register(Entered(kIdentificationChecked, "漏评排查户数",
                               "households screened for missed identification", "household",
                               "退出评估中排查的非建档立卡户数（录入）。",
                               "Households outside the registry screened by the assessment "
                               "(entered).")));
  FUPIN_TRY(c.Register(Entered(kMissedHouseholds, "漏评户数", "missed households", "household",
                               "排查中发现符合贫困标准但未建档立卡的户数（录入）。",
                               "Screened households that met the poverty standard but were not "
                               "registered (entered).")));
  FUPIN_TRY(
      c.Register(Entered(kApprovalRespondents, "认可度调查人数", "approval survey respondents",
                         "person", "群众认可度调查的受访人数（录入）。",
                         "People asked in the public-approval survey (entered).")));
  FUPIN_TRY(c.Register(Entered(kApprovalYes, "认可人数", "respondents approving", "person",
                               "受访者中认可脱贫成效的人数（录入）。",
                               "Respondents who approved of the results (entered).")));
  // Inputs of the fund-efficiency DEA in evaluation runs where funds and staff are counted
  // outside fupin's funds module (statistics, module "statistics").
  {
    Indicator funds =
        Entered(kAssistanceFunds, "帮扶资金投入", "assistance funds invested", "yuan",
                "年度投入本地区的各级财政专项扶贫资金和统筹整合涉农资金总额（统计录入；"
                "资金监管模块中的项目支付见“已支付资金”）。",
                "Poverty-alleviation funds of every level spent in the region in "
                "the year (entered statistic; payments of the projects in the funds "
                "module are fund_paid).");
    funds.module = "statistics";
    FUPIN_TRY(c.Register(std::move(funds)));
    Indicator staff =
        Entered(kAssistanceStaff, "帮扶干部人数", "assistance staff", "person",
                "年度在本地区开展帮扶的驻村工作队员、第一书记和帮扶责任人人数（统计录入）。",
                "Village task-force members, first secretaries and assigned helpers "
                "working in the region in the year (entered statistic).");
    staff.module = "statistics";
    FUPIN_TRY(c.Register(std::move(staff)));
  }
  FUPIN_TRY(c.Register(Rate(kWrongExitRate, "错退率", "wrong-exit rate", Direction::kLowerBetter,
                            kExitWrongHouseholds, kExitCheckedHouseholds,
                            "错退户数 ÷ 退出抽查户数 × 100。退出标准：不高于 2%。",
                            "Wrong exits ÷ exits checked × 100. Exit standard: at most 2%.")));
  FUPIN_TRY(c.Register(Rate(kMissedIdentificationRate, "漏评率", "missed-identification rate",
                            Direction::kLowerBetter, kMissedHouseholds, kIdentificationChecked,
                            "漏评户数 ÷ 漏评排查户数 × 100。退出标准：不高于 2%。",
                            "Missed households ÷ households screened × 100. Exit standard: at "
                            "most 2%.")));
  FUPIN_TRY(c.Register(Rate(kPublicApprovalRate, "群众认可度", "public approval",
                            Direction::kHigherBetter, kApprovalYes, kApprovalRespondents,
                            "认可人数 ÷ 认可度调查人数 × 100。退出标准：不低于 90%。",
                            "Respondents approving ÷ respondents × 100. Exit standard: at least "
                            "90%.")));
  return {};
}

}  // namespace fupin::indicators
