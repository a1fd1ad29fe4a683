#include "indicators/registry_cube.h"

#include <gtest/gtest.h>

#include "indicators/test_fixture.h"

namespace fupin::indicators {
namespace {

using testing::kCounty;
using testing::kT1;
using testing::kT2;
using testing::kV1;
using testing::kV2;
using testing::kV3;

class CubeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegistryCube::Builder builder;
    testing::FeedFixture(builder);
    cube_ = builder.Finish({3, 2, 1});
  }

  // The value of `code` at `region` for `period`.
  double At(std::string_view region, std::string_view code, const Period& period) {
    auto totals = cube_->Compute(period, IncomeThresholds::Defaults());
    auto node = cube_->Find(region);
    EXPECT_TRUE(node.has_value()) << region;
    auto measure = RegistryCube::MeasureOf(code);
    EXPECT_TRUE(measure.has_value()) << code;
    return totals->Get(*node, *measure);
  }
  double At(std::string_view region, std::string_view code, int year) {
    return At(region, code, YearPeriod(year));
  }

  std::shared_ptr<const RegistryCube> cube_;
};

TEST_F(CubeTest, KeepsTheHierarchyInCodeOrder) {
  ASSERT_EQ(cube_->nodes().size(), 8u);
  EXPECT_EQ(cube_->stamp(), (ChangeStamp{3, 2, 1, 0}));
  EXPECT_EQ(cube_->household_count(), 7u);
  const auto county = *cube_->Find(kCounty);
  const auto children = cube_->Children(county);
  ASSERT_EQ(children.size(), 2u);
  EXPECT_EQ(cube_->nodes()[static_cast<size_t>(children[0])].code, kT1);
  EXPECT_EQ(cube_->nodes()[static_cast<size_t>(children[1])].code, kT2);
  EXPECT_EQ(cube_->nodes()[static_cast<size_t>(*cube_->Find(kV3))].parent, children[1]);
  EXPECT_FALSE(cube_->Find("990101003000").has_value());
}

TEST_F(CubeTest, CountsVillagesAtTheEndOf2018) {
  EXPECT_EQ(At(kV1, kHouseholds, 2018), 2);
  EXPECT_EQ(At(kV1, kPeople, 2018), 6);  // H1: A, B and C (D left); H2: three
  EXPECT_EQ(At(kV1, kPoorHouseholds, 2018), 1);
  EXPECT_EQ(At(kV1, kPoorPeople, 2018), 3);
  EXPECT_EQ(At(kV1, kLiftedPeople, 2018), 3);  // H1 lifted 2018-12-10
  EXPECT_EQ(At(kV1, kIncomeHouseholds, 2018), 2);
  EXPECT_EQ(At(kV1, kIncomePeople, 2018), 6);
  EXPECT_EQ(At(kV1, kNetIncomeTotal, 2018), 20000);
  EXPECT_EQ(At(kV1, kIncomeBelowThresholdHouseholds, 2018), 1);  // H2: 4000 / 3 < 2995
  EXPECT_EQ(At(kV2, kHouseholds, 2018), 1);
  EXPECT_EQ(At(kV2, kPoorPeople, 2018), 0);
  EXPECT_EQ(At(kV2, kLiftedPeople, 2018), 3);
  EXPECT_EQ(At(kV3, kHouseholds, 2018), 1);  // H4 cancelled, H5 not yet, H6 never
  EXPECT_EQ(At(kV3, kPeople, 2018), 1);      // H7's child joins in 2019
  EXPECT_EQ(At(kV3, kPoorPeople, 2018), 1);
  EXPECT_EQ(At(kV3, CauseCode("disability"), 2018), 1);
}

TEST_F(CubeTest, RollsUpEveryLevel) {
  EXPECT_EQ(At(kT1, kHouseholds, 2018), 3);
  EXPECT_EQ(At(kT1, kPeople, 2018), 9);
  EXPECT_EQ(At(kT1, kNetIncomeTotal, 2018), 35000);
  EXPECT_EQ(At(kT1, kIncomePeople, 2018), 9);
  EXPECT_EQ(At(kT2, kHouseholds, 2018), 1);
  for (const char* region : {kCounty, "990100000000", "990000000000"}) {
    EXPECT_EQ(At(region, kHouseholds, 2018), 4) << region;
    EXPECT_EQ(At(region, kPeople, 2018), 10) << region;
    EXPECT_EQ(At(region, kPoorHouseholds, 2018), 2) << region;
    EXPECT_EQ(At(region, kPoorPeople, 2018), 4) << region;
    EXPECT_EQ(At(region, kLiftedPeople, 2018), 6) << region;
    EXPECT_EQ(At(region, kIncomeBelowThresholdHouseholds, 2018), 1) << region;
    EXPECT_EQ(At(region, CauseCode("lack_skills"), 2018), 3) << region;
    EXPECT_EQ(At(region, CauseCode("disability"), 2018), 1) << region;
    EXPECT_EQ(At(region, CauseCode("illness"), 2018), 0) << region;
  }
}

TEST_F(CubeTest, FollowsStatusChangesAcrossYears) {
  EXPECT_EQ(At(kCounty, kHouseholds, 2019), 4);
  EXPECT_EQ(At(kCounty, kPeople, 2019), 11);
  EXPECT_EQ(At(kCounty, kPoorHouseholds, 2019), 2);
  EXPECT_EQ(At(kCounty, kPoorPeople, 2019), 6);
  EXPECT_EQ(At(kCounty, kReturnedPeople, 2019), 3);
  EXPECT_EQ(At(kCounty, kLiftedPeople, 2019), 5);
  EXPECT_EQ(At(kCounty, kMonitoredPeople, 2019), 0);
  EXPECT_EQ(At(kCounty, kNetIncomeTotal, 2019), 36500);
  EXPECT_EQ(At(kCounty, kIncomePeople, 2019), 9);
  EXPECT_EQ(At(kCounty, kIncomeBelowThresholdHouseholds, 2019), 1);  // H3: 2000 < 3218
  EXPECT_EQ(At(kCounty, CauseCode("illness"), 2019), 3);
  EXPECT_EQ(At(kCounty, kHouseholds, 2021), 5);
  EXPECT_EQ(At(kCounty, kPeople, 2021), 14);
  EXPECT_EQ(At(kCounty, kMonitoredPeople, 2021), 6);
  EXPECT_EQ(At(kCounty, kLiftedPeople, 2021), 5);                    // H5 was never lifted out
  EXPECT_EQ(At(kCounty, kIncomeBelowThresholdHouseholds, 2021), 1);  // 20000 / 4 < 6000
  EXPECT_EQ(At(kCounty, kHouseholds, 2013), 0);
}

TEST_F(CubeTest, AsOfADateCountsThatDayAndTheLastCompleteYearsIncome) {
  const Period mid2020 = DayPeriod(Date{2020, 6, 30});
  EXPECT_EQ(At(kCounty, kPeople, mid2020), 10);  // E left H2 on 2020-03-01
  EXPECT_EQ(At(kCounty, kPoorPeople, mid2020), 5);
  EXPECT_EQ(At(kCounty, kMonitoredPeople, mid2020), 2);
  EXPECT_EQ(At(kCounty, kLiftedPeople, mid2020), 5);
  EXPECT_EQ(At(kCounty, kIncomePeople, mid2020), 9);  // members on 2019-12-31
  EXPECT_EQ(At(kCounty, kNetIncomeTotal, mid2020), 36500);
  // The day a member leaves, they are no longer counted; the day before, they are.
  EXPECT_EQ(At(kV1, kPeople, DayPeriod(Date{2020, 2, 29})), 6);
  EXPECT_EQ(At(kV1, kPeople, DayPeriod(Date{2020, 3, 1})), 5);
  // A status event counts from its own day.
  EXPECT_EQ(At(kV2, kReturnedPeople, DayPeriod(Date{2019, 7, 31})), 0);
  EXPECT_EQ(At(kV2, kReturnedPeople, DayPeriod(Date{2019, 8, 1})), 3);
}

TEST_F(CubeTest, GuaranteesCountOnlyOnceVerified) {
  EXPECT_EQ(At(kV1, AssessedCode("education"), 2018), 1);  // no date: always
  EXPECT_EQ(At(kV1, SecuredCode("education"), 2018), 1);
  EXPECT_EQ(At(kV1, AssessedCode("housing"), 2018), 2);
  EXPECT_EQ(At(kV1, SecuredCode("housing"), 2018), 1);
  EXPECT_EQ(At(kV1, AssessedCode("water"), 2018), 0);  // verified in 2019
  EXPECT_EQ(At(kV1, AssessedCode("water"), 2019), 1);
  EXPECT_EQ(At(kV1, SecuredCode("water"), 2019), 0);
  EXPECT_EQ(At(kV1, AssessedCode("housing"), 2016), 0);  // before both verifications
}

TEST_F(CubeTest, AYearWithoutThresholdHasNoBelowThresholdFigure) {
  auto totals = cube_->Compute(YearPeriod(2030), IncomeThresholds::Defaults());
  EXPECT_FALSE(totals->income_threshold.has_value());
  EXPECT_FALSE(totals->available[*RegistryCube::MeasureOf(kIncomeBelowThresholdHouseholds)]);
  EXPECT_TRUE(totals->available[*RegistryCube::MeasureOf(kHouseholds)]);
}

TEST_F(CubeTest, MemoizesPeriodsAndKeepsTheAskedPeriod) {
  const auto a = cube_->Compute(YearPeriod(2019), IncomeThresholds::Defaults());
  const auto b = cube_->Compute(YearPeriod(2019), IncomeThresholds::Defaults());
  EXPECT_EQ(a.get(), b.get());
  // 2019-12-31 as a day is the same moment as the year 2019, labelled as asked.
  const auto c = cube_->Compute(DayPeriod(Date{2019, 12, 31}), IncomeThresholds::Defaults());
  EXPECT_EQ(c->period.kind, PeriodKind::kDay);
  EXPECT_EQ(c->values, a->values);
}

TEST_F(CubeTest, EnteredValuesArePerRegionAndPeriod) {
  const auto v = cube_->Entered(kRuralPopulation, "2018");
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(cube_->nodes()[static_cast<size_t>(v[0].first)].code, kV1);  // in node order
  EXPECT_EQ(v[0].second, 100);
  EXPECT_EQ(cube_->nodes()[static_cast<size_t>(v[2].first)].code, kT2);
  EXPECT_TRUE(cube_->Entered(kRuralPopulation, "2017").empty());
}

TEST(CubeBuilderTest, AnEmptyStoreGivesZeros) {
  RegistryCube::Builder builder;
  builder.Region("990000000000", "省", std::nullopt);
  auto cube = builder.Finish({});
  auto totals = cube->Compute(YearPeriod(2020), IncomeThresholds::Defaults());
  EXPECT_EQ(totals->Get(0, 0), 0);
}

}  // namespace
}  // namespace fupin::indicators
