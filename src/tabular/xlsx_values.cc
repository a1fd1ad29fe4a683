#include "tabular/xlsx_values.h"

#include <charconv>
#include <cmath>
#include <cstdint>

#include "base/time.h"
#include "tabular/xml_scanner.h"

namespace fupin::tabular::internal {
namespace {

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Parses the 4 hex digits of an `_xHHHH_` escape starting at text[i]; nullopt if not one.
std::optional<uint32_t> EscapeAt(std::string_view text, size_t i) {
  if (i + 7 > text.size() || text[i] != '_' || text[i + 1] != 'x' || text[i + 6] != '_') {
    return std::nullopt;
  }
  uint32_t unit = 0;
  const char* first = text.data() + i + 2;
  const auto [end, ec] = std::from_chars(first, first + 4, unit, 16);
  if (ec != std::errc() || end != first + 4) return std::nullopt;
  return unit;
}

}  // namespace

std::optional<size_t> ColumnFromReference(std::string_view reference) {
  size_t column = 0;
  size_t letters = 0;
  while (letters < reference.size()) {
    const char c = LowerAscii(reference[letters]);
    if (c < 'a' || c > 'z') break;
    column = column * 26 + static_cast<size_t>(c - 'a' + 1);
    ++letters;
  }
  if (letters == 0 || letters > 3 || column > kMaxColumns) return std::nullopt;
  return column - 1;
}

std::string ColumnLetters(size_t column) {
  std::string letters;
  size_t n = column + 1;
  while (n > 0) {
    const size_t digit = (n - 1) % 26;
    letters.insert(letters.begin(), static_cast<char>('A' + digit));
    n = (n - 1) / 26;
  }
  return letters;
}

bool IsBuiltInDateFormat(int id) {
  return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 ||
         (id >= 50 && id <= 54) || id == 57 || id == 58;
}

bool IsDateFormatCode(std::string_view code) {
  std::string plain;  // the first section, lower case, without literals and modifiers
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == ';') break;
    if (c == '"') {
      const size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // an escaped character, or the character a space/fill is sized after
    } else if (c == '[') {
      const size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      // [h], [mm], [ss] are elapsed-time fields, which make the format a duration.
      const std::string_view inside = code.substr(i + 1, close - i - 1);
      if (!inside.empty() && inside.find_first_not_of("hHmMsS") == std::string_view::npos) {
        plain += "[elapsed]";
      }
      i = close;
    } else {
      plain.push_back(LowerAscii(c));
    }
  }
  const std::string_view fields = plain;
  if (fields.find("[elapsed]") != std::string_view::npos) return false;
  if (fields.find("0.0") != std::string_view::npos || fields.find('#') != std::string_view::npos) {
    return false;
  }
  // AM/PM and A/P mark a 12-hour clock: a time, and their "m" is no month.
  const bool twelve_hour = fields.find("am/pm") != std::string_view::npos ||
                           fields.find("a/p") != std::string_view::npos;
  const bool y = fields.find('y') != std::string_view::npos;
  const bool d = fields.find('d') != std::string_view::npos;
  const bool m = fields.find('m') != std::string_view::npos;
  const bool h = twelve_hour || fields.find('h') != std::string_view::npos;
  const bool s = fields.find('s') != std::string_view::npos;
  return y || d || (m && !h && !s);
}

std::optional<std::string> SerialToIsoDate(std::string_view number, bool date1904) {
  double serial = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), serial);
  if (ec != std::errc() || end != number.data() + number.size() || !std::isfinite(serial)) {
    return std::nullopt;
  }
  // Excel rounds times to the millisecond, so 0.9999999999 of a day is already the next day.
  const double day = std::floor(serial + 0.5 / 86'400'000.0);
  constexpr double kLastDay1900 = 2958465;  // 9999-12-31
  int64_t days_since_1970 = 0;
  if (date1904) {
    if (day < 0 || day > kLastDay1900 - 1462) return std::nullopt;
    days_since_1970 = static_cast<int64_t>(day) - 24107;  // serial 0 = 1904-01-01
  } else {
    if (day < 1 || day > kLastDay1900) return std::nullopt;
    const auto serial_day = static_cast<int64_t>(day);
    // Lotus 1-2-3 counted 1900 as a leap year and Excel keeps serial 60 as 1900-02-29, so
    // serials before it are one day later than a plain count from 1899-12-30.
    if (serial_day == 60) return "1900-02-29";
    days_since_1970 = serial_day < 60 ? serial_day - 25568 : serial_day - 25569;
  }
  return Date::FromDaysSinceEpoch(days_since_1970).ToString();
}

std::string_view NumberText(std::string_view number) {
  const size_t dot = number.find('.');
  if (dot == std::string_view::npos || dot + 1 == number.size()) return number;
  const std::string_view integer = number.substr(0, dot);
  const std::string_view digits = integer.starts_with('-') ? integer.substr(1) : integer;
  if (digits.empty()) return number;
  for (char c : digits) {
    if (!IsDigit(c)) return number;
  }
  for (char c : number.substr(dot + 1)) {
    if (c != '0') return number;
  }
  return integer;
}

void DecodeOoxmlEscapes(std::string& text) {
  if (text.find("_x") == std::string::npos) return;
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto unit = EscapeAt(text, i);
    if (!unit || *unit == 0 || (*unit >= 0xDC00 && *unit <= 0xDFFF)) {
      out.push_back(text[i++]);
      continue;
    }
    if (*unit >= 0xD800 && *unit <= 0xDBFF) {
      const auto low = EscapeAt(text, i + 7);
      if (!low || *low < 0xDC00 || *low > 0xDFFF) {
        out.push_back(text[i++]);
        continue;
      }
      AppendUtf8(0x10000 + ((*unit - 0xD800) << 10) + (*low - 0xDC00), out);
      i += 14;
      continue;
    }
    AppendUtf8(*unit, out);
    i += 7;
  }
  text = std::move(out);
}

}  // namespace fupin::tabular::internal
