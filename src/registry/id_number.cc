#include "registry/id_number.h"

#include <array>

#include "base/text.h"

namespace fupin::registry {

char IdNumberCheckCharacter(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  static constexpr std::string_view kCheck = "10X98765432";
  int sum = 0;
  for (size_t i = 0; i < 17 && i < first17.size(); ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheck[sum % 11];
}

Result<IdNumberFacts> CheckIdNumber(std::string_view text, const Date& today) {
  const std::string_view id = Trim(text);
  if (id.size() != 18) {
    return InvalidArgument("an ID number has 18 characters, this one has " +
                           std::to_string(id.size()));
  }
  const char last = id[17];
  if (!IsAsciiDigits(id.substr(0, 17)) ||
      !((last >= '0' && last <= '9') || last == 'X' || last == 'x')) {
    return InvalidArgument("an ID number is 17 digits and a final digit or X");
  }
  auto number = [&](size_t from, size_t length) {
    int value = 0;
    for (size_t i = from; i < from + length; ++i) value = value * 10 + (id[i] - '0');
    return value;
  };
  const int year = number(6, 4);
  const int month = number(10, 2);
  const int day = number(12, 2);
  if (!IsValidDate(year, month, day) || year < 1900) {
    return InvalidArgument("the birth date in the ID number (characters 7–14) is not a valid date");
  }
  const Date birth{year, month, day};
  if (birth > today) return InvalidArgument("the birth date in the ID number is in the future");
  if (IdNumberCheckCharacter(id) != (last == 'x' ? 'X' : last)) {
    return InvalidArgument("the check character of the ID number is wrong (GB 11643)");
  }
  return IdNumberFacts{birth, (id[16] - '0') % 2 == 1};
}

Result<IdNumberInfo> ParseIdNumber(std::string_view text, const Date& today) {
  auto facts = CheckIdNumber(text, today);
  if (!facts) return std::unexpected(facts.error());
  IdNumberInfo info;
  info.normalized = std::string(Trim(text));
  if (info.normalized[17] == 'x') info.normalized[17] = 'X';
  info.region_prefix = info.normalized.substr(0, 6);
  info.birth_date = facts->birth_date;
  info.male = facts->male;
  return info;
}

}  // namespace fupin::registry
