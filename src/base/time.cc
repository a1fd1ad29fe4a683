#include "base/time.h"

#include <fmt/format.h>

#include <charconv>

#include "base/text.h"

namespace fupin {
namespace {

bool ParseFixedInt(std::string_view s, int& out) {
  if (!IsAsciiDigits(s)) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

constexpr auto kChinaOffset = std::chrono::hours(8);

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

bool IsValidDate(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

std::string Date::ToString() const { return fmt::format("{:04}-{:02}-{:02}", year, month, day); }

int64_t Date::DaysSinceEpoch() const {
  const std::chrono::year_month_day ymd{std::chrono::year(year),
                                        std::chrono::month(static_cast<unsigned>(month)),
                                        std::chrono::day(static_cast<unsigned>(day))};
  return std::chrono::sys_days(ymd).time_since_epoch().count();
}

Date Date::FromDaysSinceEpoch(int64_t days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(days))};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

Result<Date> ParseDate(std::string_view text) {
  text = Trim(text);
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !ParseFixedInt(text.substr(0, 4), y) || !ParseFixedInt(text.substr(5, 2), m) ||
      !ParseFixedInt(text.substr(8, 2), d)) {
    return InvalidArgument(fmt::format("'{}' is not a date in the form YYYY-MM-DD", text));
  }
  if (!IsValidDate(y, m, d)) {
    return InvalidArgument(fmt::format("'{}' is not a calendar date", text));
  }
  return Date{y, m, d};
}

std::string Period::ToString() const {
  switch (kind) {
    case PeriodKind::kYear:
      return fmt::format("{:04}", first.year);
    case PeriodKind::kMonth:
      return fmt::format("{:04}-{:02}", first.year, first.month);
    case PeriodKind::kDay:
      return first.ToString();
  }
  return first.ToString();
}

Result<Period> ParsePeriod(std::string_view text) {
  text = Trim(text);
  int y = 0, m = 0;
  if (text.size() == 4 && ParseFixedInt(text, y) && y >= 1) {
    return Period{PeriodKind::kYear, Date{y, 1, 1}, Date{y, 12, 31}};
  }
  if (text.size() == 7 && text[4] == '-' && ParseFixedInt(text.substr(0, 4), y) &&
      ParseFixedInt(text.substr(5, 2), m)) {
    if (m < 1 || m > 12 || y < 1) {
      return InvalidArgument(fmt::format("'{}' has no month {}", text, m));
    }
    return Period{PeriodKind::kMonth, Date{y, m, 1}, Date{y, m, DaysInMonth(y, m)}};
  }
  if (text.size() == 10) {
    auto date = ParseDate(text);
    if (!date) return std::unexpected(date.error());
    return Period{PeriodKind::kDay, *date, *date};
  }
  return InvalidArgument(
      fmt::format("'{}' is not a period: write YYYY, YYYY-MM or YYYY-MM-DD", text));
}

Date ChinaDate(std::chrono::system_clock::time_point instant) {
  const auto local = std::chrono::floor<std::chrono::days>(instant + kChinaOffset);
  return Date::FromDaysSinceEpoch(local.time_since_epoch().count());
}

std::string FormatTimestampUtc(std::chrono::system_clock::time_point instant) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(instant);
  const auto day = std::chrono::floor<std::chrono::days>(ms);
  const Date d = Date::FromDaysSinceEpoch(day.time_since_epoch().count());
  const std::chrono::hh_mm_ss hms{ms - day};
  return fmt::format("{}T{:02}:{:02}:{:02}.{:03}Z", d.ToString(), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count(), hms.subseconds().count());
}

}  // namespace fupin
