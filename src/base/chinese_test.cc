#include "base/chinese.h"

#include <gtest/gtest.h>

namespace fupin {
namespace {

TEST(ChineseTest, ExactTextsAndTemplatesWithHoles) {
  EXPECT_EQ(ToChinese("is required"), "必填");
  EXPECT_EQ(ToChinese("must be a year from 1980 to 2026"), "须为 1980 至 2026 年之间的年份");
  EXPECT_EQ(ToChinese("the required column 身份证号 (id_number) is missing"),
            "缺少必需的列 身份证号（id_number）");
  // Holes may be reordered.
  EXPECT_EQ(ToChinese("differs from row 7 of the same household 6206231002010001"),
            "与同一户 6206231002010001 的第 7 行不一致");
  EXPECT_EQ(ToChinese("does not match the components: 1 + 2 + 3 + 4 − 5 = 5"),
            "与各分项不符：1 + 2 + 3 + 4 − 5 = 5");
}

TEST(ChineseTest, SurveyAndRectificationRefusalsKeepTheirFigures) {
  EXPECT_EQ(ToChinese("12 regions within 990121000000 have this name: give the code"),
            "990121000000 内有 12 个同名地区，请填写代码");
  EXPECT_EQ(ToChinese("3 problems in the file: nothing was imported"),
            "文件中有 3 处问题，未导入任何数据");
  EXPECT_EQ(ToChinese("a submission needs its evidence (documents, figures)"),
            "提交整改结果须附佐证材料");
  EXPECT_EQ(ToChinese("only the assigning office (990121000000) verifies or returns task 4"),
            "只有下达单位（990121000000）可以验收或退回整改任务 4");
}

TEST(ChineseTest, RunAndDeaRefusalsKeepTheirFigures) {
  EXPECT_EQ(ToChinese("3 values of the fund-efficiency DEA are missing: enter or compute its "
                      "indicators for the period"),
            "资金使用效率 DEA 缺少 3 个数值：请录入或计算该期间的相应指标");
  EXPECT_EQ(
      ToChinese("德寨镇 (990121002000) / 农村人口增量: -10 is negative; DEA inputs must be ≥ 0"),
      "德寨镇（990121002000）/ 农村人口增量：-10 为负数，DEA 投入须 ≥ 0");
  EXPECT_EQ(ToChinese("德寨镇 (990121002000) / 车间就业 (workshop_jobs): no value in 2019"),
            "德寨镇（990121002000）/ 车间就业（workshop_jobs）：2019 无数值");
  EXPECT_EQ(ToChinese("no evaluation run with id 12"), "没有编号为 12 的评价运行");
}

TEST(ChineseTest, SubsidyPaymentReasonsKeepTheirFigures) {
  EXPECT_EQ(ToChinese("exceeds what is left to pay: approved 5000.00, paid 3000.00, left 2000.00 "
                      "(yuan)"),
            "超出尚可发放金额：批准 5000.00 元，已发放 3000.00 元，尚余 2000.00 元");
  EXPECT_EQ(ToChinese("is not a line of run 7"), "不是第 7 批核定的明细");
}

TEST(ChineseTest, ProjectRefusalsNameTheStatusAndActionInChinese) {
  EXPECT_EQ(ToChinese("a project in status in_progress cannot take the action review"),
            "项目当前为“实施中”，不能执行“乡镇审核通过”");
  EXPECT_EQ(ToChinese("the weights add up to 90, not 100"), "各里程碑权重合计为 90，应为 100");
  EXPECT_EQ(ToChinese("is outside the project's dates (2024-03-01 to 2024-10-31)"),
            "不在项目起止日期（2024-03-01 至 2024-10-31）之内");
}

TEST(ChineseTest, NestedReasonsAreTranslatedInTurn) {
  EXPECT_EQ(ToChinese("household H2: appears twice in this household"), "户 H2：在本户中重复出现");
  // An unknown inner reason stays English inside the Chinese frame.
  EXPECT_EQ(ToChinese("household H2: something new"), "户 H2：something new");
}

TEST(ChineseTest, UnknownTextsAndNearMissesGiveNothing) {
  EXPECT_EQ(ToChinese("an entirely new reason"), "");
  EXPECT_EQ(ToChinese("is required!"), "");
  EXPECT_EQ(ToChinese(""), "");
  // A template must match the whole text, not a prefix of it.
  EXPECT_EQ(ToChinese("the required column 姓名 (name) is missing, it seems"), "");
}

}  // namespace
}  // namespace fupin
