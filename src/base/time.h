// Dates, periods and clocks as fupin's users mean them.
//
// Business dates are calendar dates in China Standard Time (UTC+8, no daylight saving).
// Periods are written `YYYY`, `YYYY-MM` or `YYYY-MM-DD` and cover a closed range of days.
// Time comes from a Clock so that tests can move it without sleeping.
// Thread-safety: Date/Period are values; SystemClock is thread-safe; ManualClock is not.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"

namespace fupin {

struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  auto operator<=>(const Date&) const = default;
  std::string ToString() const;  // YYYY-MM-DD
  // Days since 1970-01-01 (proleptic Gregorian).
  int64_t DaysSinceEpoch() const;
  static Date FromDaysSinceEpoch(int64_t days);
};

bool IsLeapYear(int year);
bool IsValidDate(int year, int month, int day);
int DaysInMonth(int year, int month);

// Parses exactly YYYY-MM-DD with a real calendar date.
Result<Date> ParseDate(std::string_view text);

enum class PeriodKind { kYear, kMonth, kDay };

struct Period {
  PeriodKind kind = PeriodKind::kYear;
  Date first;  // first day covered
  Date last;   // last day covered

  std::string ToString() const;  // in the form it was written
  friend bool operator==(const Period&, const Period&) = default;
};

// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
Result<Period> ParsePeriod(std::string_view text);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

// A clock that only moves when told to; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start) : now_(start) {}
  std::chrono::system_clock::time_point Now() const override { return now_; }
  void Advance(std::chrono::seconds by) { now_ += by; }

 private:
  std::chrono::system_clock::time_point now_;
};

// The calendar date in China Standard Time at `instant`.
Date ChinaDate(std::chrono::system_clock::time_point instant);

// ISO 8601 UTC timestamp with milliseconds, e.g. 2026-11-22T13:45:00.123Z.
std::string FormatTimestampUtc(std::chrono::system_clock::time_point instant);

}  // namespace fupin
