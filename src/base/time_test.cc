#include "base/time.h"

#include <gtest/gtest.h>

namespace fupin {
namespace {

TEST(ParseDate, AcceptsRealDatesOnly) {
  auto d = ParseDate("2020-02-29");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, (Date{2020, 2, 29}));
  EXPECT_FALSE(ParseDate("2019-02-29").has_value());
  EXPECT_FALSE(ParseDate("2020-13-01").has_value());
  EXPECT_FALSE(ParseDate("2020-1-01").has_value());
  EXPECT_FALSE(ParseDate("20200101").has_value());
}

TEST(ParsePeriod, ThreeForms) {
  auto y = ParsePeriod("2024");
  ASSERT_TRUE(y.has_value());
  EXPECT_EQ(y->kind, PeriodKind::kYear);
  EXPECT_EQ(y->last, (Date{2024, 12, 31}));
  auto m = ParsePeriod("2024-02");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->last, (Date{2024, 2, 29}));
  EXPECT_EQ(m->ToString(), "2024-02");
  auto d = ParsePeriod("2024-02-03");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->first, d->last);
  EXPECT_FALSE(ParsePeriod("2024-00").has_value());
  EXPECT_FALSE(ParsePeriod("24").has_value());
  EXPECT_FALSE(ParsePeriod("2024/02").has_value());
}

TEST(Date, EpochDaysRoundTrip) {
  for (int64_t days : {-1000, 0, 1, 18321, 20000, 2932896}) {
    EXPECT_EQ(Date::FromDaysSinceEpoch(days).DaysSinceEpoch(), days);
  }
  EXPECT_EQ((Date{1970, 1, 2}).DaysSinceEpoch(), 1);
}

TEST(ChinaDate, IsUtcPlusEight) {
  // 2020-01-24T16:00:00Z is midnight of the 25th in Beijing (Spring Festival 2020).
  const auto t = std::chrono::sys_days(std::chrono::year(2020) / 1 / 24) + std::chrono::hours(16);
  EXPECT_EQ(ChinaDate(t), (Date{2020, 1, 25}));
  EXPECT_EQ(ChinaDate(t - std::chrono::seconds(1)), (Date{2020, 1, 24}));
}

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock(std::chrono::system_clock::time_point{});
  const auto t0 = clock.Now();
  EXPECT_EQ(clock.Now(), t0);
  clock.Advance(std::chrono::seconds(90));
  EXPECT_EQ(clock.Now() - t0, std::chrono::seconds(90));
}

TEST(FormatTimestampUtc, Iso8601WithMillis) {
  const auto t = std::chrono::sys_days(std::chrono::year(2026) / 11 / 22) + std::chrono::hours(13) +
                 std::chrono::minutes(5) + std::chrono::milliseconds(7123);
  EXPECT_EQ(FormatTimestampUtc(t), "2026-11-22T13:05:07.123Z");
}

}  // namespace
}  // namespace fupin
