#include "monitoring/model.h"

#include <gtest/gtest.h>

namespace fupin::monitoring {
namespace {

Date D(int y, int m, int d) { return Date{y, m, d}; }

TEST(Thresholds, ProvinceFirstThenNationalThenTheLatestEarlierYear) {
  const std::vector<Threshold> t = {{"", 2021, 600000, "", "", ""},
                                    {"", 2023, 710000, "", "", ""},
                                    {"620000000000", 2022, 630000, "", "", ""}};
  auto own = ResolveThreshold(t, "620000000000", 2022);
  ASSERT_TRUE(own);
  EXPECT_EQ(own->per_capita_fen, 630000);
  EXPECT_EQ(own->Source(), "620000000000/2022");
  // 2023: the province has no figure of its own that year, the nation has.
  EXPECT_EQ(ResolveThreshold(t, "620000000000", 2023)->per_capita_fen, 710000);
  // 2024: nobody has one; the province's latest earlier figure (2022) beats the nation's 2023.
  EXPECT_EQ(ResolveThreshold(t, "620000000000", 2024)->Source(), "620000000000/2022");
  // Another province falls back to the nation.
  EXPECT_EQ(ResolveThreshold(t, "990000000000", 2022)->Source(), "national/2021");
  EXPECT_FALSE(ResolveThreshold(t, "990000000000", 2020));
}

TEST(Options, ProvinceElseNationalElseBuiltIn) {
  RuleOptions national;
  national.income_drop_share = 0.4;
  RuleOptions gansu;
  gansu.province_code = "620000000000";
  gansu.decide_days = 20;
  const std::vector<RuleOptions> all = {national, gansu};
  EXPECT_EQ(ResolveOptions(all, "620000000000").decide_days, 20);
  EXPECT_DOUBLE_EQ(ResolveOptions(all, "990000000000").income_drop_share, 0.4);
  EXPECT_EQ(ResolveOptions({}, "990000000000").decide_days, 15);
  EXPECT_TRUE(ValidateOptions(RuleOptions{}).empty());
  RuleOptions bad;
  bad.income_drop_share = 0;
  bad.review_days = 3;  // before verify_days
  const auto problems = ValidateOptions(bad);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].column, "income_drop_share");
  EXPECT_EQ(problems[1].column, "review_days");
}

TEST(Dates, MonthsClampToTheMonthsEnd) {
  EXPECT_EQ(AddMonths(D(2024, 8, 31), 6), D(2025, 2, 28));
  EXPECT_EQ(AddMonths(D(2023, 8, 31), 6), D(2024, 2, 29));
  EXPECT_EQ(AddMonths(D(2024, 1, 15), 6), D(2024, 7, 15));
  EXPECT_EQ(AddMonths(D(2024, 11, 30), 3), D(2025, 2, 28));
  EXPECT_EQ(AddDays(D(2024, 12, 25), 15), D(2025, 1, 9));
  EXPECT_EQ(ProvinceOf("990121001001"), "990000000000");
}

TEST(Deadlines, ThePendingStepIsOverdueTheDayAfterItsDueDate) {
  Case c;
  c.stage = "alert";
  c.opened_on = D(2026, 11, 1);
  c.verify_due = D(2026, 11, 6);
  c.review_due = D(2026, 11, 11);
  c.decide_due = D(2026, 11, 16);
  EXPECT_EQ(DaysOverdue(c, D(2026, 11, 6)), 0);  // the due date itself is in time
  EXPECT_EQ(DaysOverdue(c, D(2026, 11, 9)), 3);
  // Verified late on the 8th: that step was late; now the review waits, due the 11th.
  c.stage = "village_verified";
  c.verified_on = D(2026, 11, 8);
  const auto d = Deadlines(c, D(2026, 11, 10));
  ASSERT_EQ(d.size(), 3u);
  EXPECT_TRUE(d[0].late);
  EXPECT_EQ(d[0].days_over, 2);
  EXPECT_FALSE(d[0].pending);
  EXPECT_TRUE(d[1].pending);
  EXPECT_FALSE(d[1].overdue);
  EXPECT_EQ(DaysOverdue(c, D(2026, 11, 10)), 0);
  // Monitored cases wait for nobody.
  c.stage = "monitored";
  EXPECT_FALSE(c.CurrentDue());
  EXPECT_EQ(DaysOverdue(c, D(2027, 1, 1)), 0);
}

TEST(RiskEvents, KindAmountAndDateAreChecked) {
  RiskEvent e;
  e.kind = "medical_expense";
  e.on = D(2026, 11, 1);
  auto problems = ValidateRiskEvent(e, D(2026, 11, 22));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].column, "amount_fen");
  e.amount_fen = 3'500'000;
  EXPECT_TRUE(ValidateRiskEvent(e, D(2026, 11, 22)).empty());
  e.on = D(2026, 11, 23);
  EXPECT_EQ(ValidateRiskEvent(e, D(2026, 11, 22))[0].column, "on");
  e.kind = "flood";
  e.on = D(2026, 11, 1);
  EXPECT_EQ(ValidateRiskEvent(e, D(2026, 11, 22))[0].column, "kind");
  RiskEvent other;
  other.kind = "other";
  other.on = D(2026, 1, 1);
  EXPECT_TRUE(ValidateRiskEvent(other, D(2026, 11, 22)).empty());  // no amount needed
}

TEST(Vocabularies, HaveChineseLabels) {
  EXPECT_EQ(Categories().Zh("unstable_lifted"), "脱贫不稳定户");
  EXPECT_EQ(Categories().Zh("marginal"), "边缘易致贫户");
  EXPECT_EQ(Categories().Zh("sudden_hardship"), "突发严重困难户");
  EXPECT_TRUE(Stages().Contains("township_reviewed"));
  EXPECT_EQ(AllVocabularies().size(), 4u);
}

}  // namespace
}  // namespace fupin::monitoring
