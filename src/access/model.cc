#include "access/model.h"

#include <fmt/format.h>

#include "base/text.h"

namespace fupin::access {
namespace {

constexpr std::array<std::string_view, 8> kRoleNames = {"admin",      "official",   "village",
                                                        "enterprise", "social_org", "household",
                                                        "evaluator",  "auditor"};
constexpr std::array<std::string_view, 6> kOrgTypeNames = {
    "government",          "enterprise",        "cooperative",
    "social_organization", "village_committee", "research_institute"};

// GB 32100-2015 alphabet: 0-9 then capitals without I, O, S, V, Z.
constexpr std::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> kCreditWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                29, 25, 13, 8,  24, 10, 30, 28};

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string_view RoleName(Role role) { return kRoleNames[static_cast<size_t>(role)]; }

Result<Role> ParseRole(std::string_view name) {
  for (size_t i = 0; i < kRoleNames.size(); ++i) {
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  }
  return InvalidArgument(fmt::format(
      "'{}' is not a role (admin, official, village, enterprise, social_org, household, "
      "evaluator, auditor)",
      name));
}

std::string_view OrgTypeName(OrgType type) { return kOrgTypeNames[static_cast<size_t>(type)]; }

Result<OrgType> ParseOrgType(std::string_view name) {
  for (size_t i = 0; i < kOrgTypeNames.size(); ++i) {
    if (kOrgTypeNames[i] == name) return static_cast<OrgType>(i);
  }
  return InvalidArgument(fmt::format("'{}' is not an organization type", name));
}

Status ValidateCreditCode(std::string_view code) {
  if (code.size() != 18) {
    return InvalidArgument("a unified social credit code has 18 characters");
  }
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    const size_t v = kCreditAlphabet.find(code[i]);
    if (v == std::string_view::npos) {
      return InvalidArgument(fmt::format(
          "character {} ('{}') is not allowed in a unified social credit code", i + 1, code[i]));
    }
    sum += static_cast<int>(v) * kCreditWeights[i];
  }
  const int check = (31 - sum % 31) % 31;
  if (code[17] != kCreditAlphabet[static_cast<size_t>(check)]) {
    return InvalidArgument(fmt::format("the check character should be '{}', not '{}'",
                                       kCreditAlphabet[static_cast<size_t>(check)], code[17]));
  }
  return {};
}

Status ValidateUserName(std::string_view name) {
  const size_t n = CodePoints(name);
  if (n < 2 || n > 64) return InvalidArgument("a user name has 2 to 64 characters");
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F || c == ':' || c == '/') {
      return InvalidArgument("a user name has no spaces, control characters, ':' or '/'");
    }
  }
  return {};
}

Status ValidatePassword(std::string_view password, std::string_view user_name) {
  if (CodePoints(password) < 10)
    return InvalidArgument("the password has fewer than 10 characters");
  if (password.size() > 1024) return InvalidArgument("the password is longer than 1024 bytes");
  if (ToLowerAscii(password) == ToLowerAscii(user_name)) {
    return InvalidArgument("the password must not be the user name");
  }
  if (password.find_first_not_of(password.front()) == std::string_view::npos) {
    return InvalidArgument("the password is one character repeated");
  }
  return {};
}

}  // namespace fupin::access
