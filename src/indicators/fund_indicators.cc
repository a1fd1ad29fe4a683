#include "indicators/fund_indicators.h"

namespace fupin::indicators {
namespace {

constexpr std::string_view kWhenZh =
    "统计期末日 D、年度 Y（D 所在年）：计入 Y 年度下达的资金批次；批次计入其下达地区及以上各级，"
    "分配与支付计入所属项目的地区及以上各级。";
constexpr std::string_view kWhenEn =
    "D is the period's last day and Y its year: the batches of year Y count; a batch counts in "
    "the region it is issued to and above, allocations and payments in their project's region "
    "and above.";

Indicator Make(std::string_view code, std::string_view zh, std::string_view en,
               std::string_view unit, Direction direction, std::string_view definition_zh,
               std::string_view definition_en) {
  Indicator i;
  i.code = code;
  i.zh = zh;
  i.en = en;
  i.unit = unit;
  i.direction = direction;
  i.source = Source::kComputed;
  i.aggregation = Aggregation::kSum;
  i.definition_zh = std::string(definition_zh) + std::string(kWhenZh);
  i.definition_en = std::string(definition_en) + " " + std::string(kWhenEn);
  i.module = "funds";
  return i;
}

Indicator Derived(Indicator i, std::string_view numerator, std::string_view denominator) {
  i.aggregation = Aggregation::kRatioOfSums;
  i.formula = Formula{std::string(numerator), std::string(denominator), 100};
  return i;
}

}  // namespace

const std::vector<std::string>& FundMeasureCodes() {
  static const std::vector<std::string> codes = {
      std::string(kFundIssued), std::string(kFundAllocated), std::string(kFundReceived),
      std::string(kFundPaid),   std::string(kFundPayments),  std::string(kFundPaymentsCompliant)};
  return codes;
}

Status RegisterFundIndicators(Catalogue& c) {
  using D = Direction;
  FUPIN_TRY(c.Register(Make(kFundIssued, "下达扶贫资金", "funds issued", "yuan", D::kHigherBetter,
                            "Y 年度下达到本地区的资金批次金额之和（元）。",
                            "The amounts of the batches of year Y issued to the region (yuan).")));
  FUPIN_TRY(c.Register(Make(kFundAllocated, "已分配资金", "funds allocated", "yuan",
                            D::kHigherBetter, "上述批次截至 D 已分配到项目的金额之和（元）。",
                            "What was allocated from those batches to projects by D (yuan).")));
  FUPIN_TRY(c.Register(
      Make(kFundReceived, "项目到位资金", "funds received by projects", "yuan", D::kHigherBetter,
           "Y 年度批次截至 D 分配给本地区项目的金额之和（元），不论批次由哪级下达。",
           "The allocations from year Y's batches, by D, to the region's "
           "projects, whoever issued the batch (yuan).")));
  FUPIN_TRY(c.Register(Make(kFundPaid, "已支付资金", "funds paid", "yuan", D::kHigherBetter,
                            "上述分配截至 D 的支付金额之和（元，已作废的不计）。",
                            "The payments from those allocations by D, voided ones excluded "
                            "(yuan).")));
  FUPIN_TRY(c.Register(Make(kFundPayments, "资金支付笔数", "payments", "payment", D::kTargetRange,
                            "上述支付的笔数（已作废的不计）。",
                            "The number of those payments (voided ones excluded).")));
  FUPIN_TRY(c.Register(Make(
      kFundPaymentsCompliant, "合规支付笔数", "compliant payments", "payment", D::kHigherBetter,
      "上述支付中未触发支付类预警规则（先支付后批复、支付用途不在分配用途内、拆分支付）的笔数（按 "
      "D 日判断）。",
      "Those payments that no payment rule flags on D (payment before approval, purpose not "
      "allocated, split payments).")));
  FUPIN_TRY(c.Register(Derived(
      Make(kFundAllocationRate, "资金分配率", "fund allocation rate", "percent", D::kHigherBetter,
           "已分配资金 ÷ 下达扶贫资金 × 100。", "funds allocated ÷ funds issued × 100."),
      kFundAllocated, kFundIssued)));
  FUPIN_TRY(c.Register(Derived(
      Make(kFundPaymentRate, "资金支付率", "fund payment rate", "percent", D::kHigherBetter,
           "已支付资金 ÷ 项目到位资金 × 100。", "funds paid ÷ funds received by projects × 100."),
      kFundPaid, kFundReceived)));
  FUPIN_TRY(
      c.Register(Derived(Make(kFundComplianceRate, "资金支付合规率", "fund compliance rate",
                              "percent", D::kHigherBetter, "合规支付笔数 ÷ 资金支付笔数 × 100。",
                              "compliant payments ÷ payments × 100."),
                         kFundPaymentsCompliant, kFundPayments)));
  return {};
}

}  // namespace fupin::indicators
