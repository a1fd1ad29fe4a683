// Users, organizations and roles: who may use fupin, and in which part of the country.
//
// A user holds one or more role bindings; each binds a role to a region (its subtree is where
// the role applies) and, for enterprise and social-organization roles, to an organization; the
// household role is also bound to the member's own household, and reads nothing else of the
// registry (see permissions.h, Grant::reach).
// Organizations of the five subjects (government, enterprises and cooperatives, social
// organizations, village committees, research institutes) are records of their own, used by
// workshops, projects and collaboration later.
// Thread-safety: value types and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace fupin::access {

enum class Role {
  kAdmin,       // system administration, anywhere
  kOfficial,    // government staff, province to township
  kVillage,     // village committee / resident work team (驻村工作队)
  kEnterprise,  // enterprise or cooperative running workshops: its own data only
  kSocialOrg,   // social organization: its own offers and commitments
  kHousehold,   // a household member: their own record
  kEvaluator,   // third-party evaluator or expert
  kAuditor,     // read-only everywhere in their region, plus the audit log
};
inline constexpr std::array<Role, 8> kAllRoles = {
    Role::kAdmin,     Role::kOfficial,  Role::kVillage,   Role::kEnterprise,
    Role::kSocialOrg, Role::kHousehold, Role::kEvaluator, Role::kAuditor};

std::string_view RoleName(Role role);  // "admin", "official", …, "social_org", …
Result<Role> ParseRole(std::string_view name);

enum class OrgType {
  kGovernment,          // 政府部门
  kEnterprise,          // 企业
  kCooperative,         // 合作社
  kSocialOrganization,  // 社会组织
  kVillageCommittee,    // 村委会
  kResearchInstitute,   // 科研院所
};
std::string_view OrgTypeName(OrgType type);
Result<OrgType> ParseOrgType(std::string_view name);

struct Organization {
  int64_t id = 0;
  std::string name;
  OrgType type = OrgType::kGovernment;
  std::string region_code;
  std::string credit_code;  // 统一社会信用代码 (18 characters), empty when it has none
  int64_t version = 1;
};

// Checks a unified social credit code (GB 32100-2015): 18 characters from the code's
// alphabet (digits and capitals without I, O, Z, S, V) and a correct check character.
Status ValidateCreditCode(std::string_view code);

struct RoleBinding {
  Role role = Role::kOfficial;
  std::string region_code;      // the subtree where the role applies
  int64_t organization_id = 0;  // enterprise / social_org roles: their organization
  // The household role: the member's own household, which must lie in the region's subtree.
  // Storage writes the binding by id, or by number when the id is 0, and reads back both.
  int64_t household_id = 0;
  std::string household_number = {};

  friend bool operator==(const RoleBinding&, const RoleBinding&) = default;
};

struct User {
  int64_t id = 0;
  std::string name;  // the login name
  std::string display_name;
  bool disabled = false;
  bool view_sensitive = false;  // explicit grant to see unmasked personal data in its regions
  std::vector<RoleBinding> roles;
  int64_t version = 1;
  std::string created_at;
};

// Login names: 2–64 characters, no white space, control characters, ':' or '/'.
Status ValidateUserName(std::string_view name);
// Passwords: at least 10 characters, not the user name (in any case), not one repeated
// character. Reasons are given in the error without echoing the password.
Status ValidatePassword(std::string_view password, std::string_view user_name);

}  // namespace fupin::access
