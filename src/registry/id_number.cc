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

Result<IdNumberInfo> ParseIdNumber(std::string_view text, const Date& today) {
  const std::string_view t = Trim(text);
  if (t.size() != 18) {
    return InvalidArgument("an ID number has 18 characters, this one has " +
                           std::to_string(t.size()));
  }
  std::string id(t);
  if (id[17] == 'x') id[17] = 'X';
  if (!IsAsciiDigits(std::string_view(id).substr(0, 17)) ||
      !(IsAsciiDigits(std::string_view(id).substr(17)) || id[17] == 'X')) {
    return InvalidArgument("an ID number is 17 digits and a final digit or X");
  }
  const int year = std::stoi(id.substr(6, 4));
  const int month = std::stoi(id.substr(10, 2));
  const int day = std::stoi(id.substr(12, 2));
  if (!IsValidDate(year, month, day) || year < 1900) {
    return InvalidArgument("the birth date in the ID number (characters 7–14) is not a valid date");
  }
  const Date birth{year, month, day};
  if (birth > today) return InvalidArgument("the birth date in the ID number is in the future");
  if (IdNumberCheckCharacter(id) != id[17]) {
    return InvalidArgument("the check character of the ID number is wrong (GB 11643)");
  }
  IdNumberInfo info;
  info.region_prefix = id.substr(0, 6);
  info.birth_date = birth;
  info.male = (id[16] - '0') % 2 == 1;
  info.normalized = std::move(id);
  return info;
}

}  // namespace fupin::registry
