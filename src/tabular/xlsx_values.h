// Internal to tabular: how XLSX cells become text — cell references, number formats that show
// dates, Excel serial dates, numbers, and the `_xHHHH_` escapes of Office Open XML strings.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fupin::tabular::internal {

// Excel's limits: columns A..XFD, rows 1..1048576.
inline constexpr size_t kMaxColumns = 16384;
inline constexpr int64_t kMaxRows = 1048576;

// 0-based column of a cell reference such as "C5" or "AB12"; nullopt unless it starts with
// 1–3 letters naming a column up to XFD (lower case accepted).
std::optional<size_t> ColumnFromReference(std::string_view reference);

// "A", "Z", "AA", ... for a 0-based column.
std::string ColumnLetters(size_t column);

// True for the built-in number formats that show a date: 14–17 and 22 (22 also shows the
// time, which the reader drops) and the zh-CN locale's 27–31, 36, 50–54, 57, 58. The time-only
// built-ins (18–21, 32–35, 45–47, 55, 56) are not dates.
bool IsBuiltInDateFormat(int id);

// True when a custom format code shows a date: after removing quoted literals, escapes,
// [bracketed] modifiers and AM/PM markers, its first section contains y or d, or m without
// h or s (which would make m minutes), and no digit placeholder pattern ("0.0", "#").
bool IsDateFormatCode(std::string_view code);

// "YYYY-MM-DD" for the Excel serial date written as `number`, time of day dropped. 1900 date
// system: serial 1 is 1900-01-01 and serial 60 is Excel's fictitious 1900-02-29 (returned as
// such); 1904 system: serial 0 is 1904-01-01. nullopt when `number` is not a finite number or
// the date is outside Excel's range (before the epoch, after 9999-12-31).
std::optional<std::string> SerialToIsoDate(std::string_view number, bool date1904);

// The text of a numeric cell as the reader returns it: an integer written with a zero
// fraction ("1.0", "-12.000") loses the fraction; any other text is returned unchanged.
std::string_view NumberText(std::string_view number);

// Replaces the `_xHHHH_` escapes Office Open XML uses for characters XML cannot carry
// (`_x000D_` for CR, `_x005F_` for "_"), combining UTF-16 surrogate pairs. Escapes of NUL or
// of unpaired surrogates are left as written.
void DecodeOoxmlEscapes(std::string& text);

}  // namespace fupin::tabular::internal
