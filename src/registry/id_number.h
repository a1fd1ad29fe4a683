// Resident identity card numbers (身份证号, GB 11643-1999): 6-digit region of issue, 8-digit
// birth date, 3-digit sequence (odd = male, even = female) and a check character computed
// with the ISO 7064 MOD 11-2 weights.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"
#include "base/time.h"

namespace fupin::registry {

struct IdNumberInfo {
  std::string normalized;     // 18 characters, check character 'x' upper-cased
  std::string region_prefix;  // the 6-digit region of issue
  Date birth_date;
  bool male = false;
};

// Validates an 18-character ID number: digits with a final digit or X, a real birth date not
// after `today` and not before 1900, and the right check character. The error says which of
// these fails (without repeating the number, so that messages can be logged).
Result<IdNumberInfo> ParseIdNumber(std::string_view text, const Date& today);

// What ParseIdNumber checks and finds, without copying the number: for checking many.
struct IdNumberFacts {
  Date birth_date;
  bool male = false;
};
Result<IdNumberFacts> CheckIdNumber(std::string_view text, const Date& today);

// The check character for the first 17 digits.
char IdNumberCheckCharacter(std::string_view first17);

}  // namespace fupin::registry
