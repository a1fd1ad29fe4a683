#include "access/auth_service.h"

#include <fmt/format.h>

#include "regions/region.h"
#include "security/crypto.h"

namespace fupin::access {
namespace {

constexpr std::string_view kBadLogin = "wrong user name or password";

}  // namespace

Status ValidateRoleBindings(const std::vector<RoleBinding>& roles) {
  if (roles.empty()) return InvalidArgument("a user needs at least one role");
  std::vector<ErrorDetail> problems;
  for (size_t i = 0; i < roles.size(); ++i) {
    const RoleBinding& b = roles[i];
    const std::string field = fmt::format("roles[{}]", i);
    if (auto level = regions::LevelOfCode(b.region_code); !level) {
      problems.push_back({0, field + ".region", b.region_code, level.error().message});
    }
    const bool needs_org = b.role == Role::kEnterprise || b.role == Role::kSocialOrg;
    if (needs_org && b.organization_id <= 0) {
      problems.push_back({0, field + ".organization", "",
                          fmt::format("the {} role needs an organization", RoleName(b.role))});
    }
    const bool has_household = b.household_id > 0 || !b.household_number.empty();
    if (b.role == Role::kHousehold) {
      // Storage checks that the household exists and lies in the region.
      if (!has_household) {
        problems.push_back(
            {0, field + ".household", "", "the household role needs the member's household"});
      }
      auto level = regions::LevelOfCode(b.region_code);
      if (level && *level != regions::RegionLevel::kVillage) {
        problems.push_back({0, field + ".region", b.region_code,
                            "the household role is bound to the household's village"});
      }
    } else if (has_household) {
      problems.push_back({0, field + ".household", b.household_number,
                          "only the household role is bound to a household"});
    }
  }
  if (!problems.empty()) return InvalidArgument("invalid role bindings", std::move(problems));
  return {};
}

AuthService::AuthService(AccessRepository& repository, const Clock& clock, SessionPolicy policy)
    : repository_(repository), clock_(clock), policy_(policy) {}

int64_t AuthService::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Principal AuthService::PrincipalOf(const User& user) {
  Principal p;
  p.user_id = user.id;
  p.name = user.name;
  p.roles = user.roles;
  p.view_sensitive = user.view_sensitive;
  return p;
}

Result<LoginResult> AuthService::Login(std::string_view name, std::string_view password,
                                       std::string_view address) {
  const int64_t now = Now();
  const int64_t window = policy_.throttle_window.count();
  auto counts = repository_.CountLoginFailures(address, name, now - window);
  if (!counts) return std::unexpected(counts.error());
  if (counts->for_account_from_address >= policy_.max_failures_per_account ||
      counts->from_address >= policy_.max_failures_per_address) {
    const bool account = counts->for_account_from_address >= policy_.max_failures_per_account;
    const int64_t oldest = account ? counts->oldest_for_account_at : counts->oldest_from_address_at;
    const int64_t retry = std::max<int64_t>(1, oldest + window - now);
    return Throttled("too many failed sign-in attempts; try again later", retry);
  }

  auto user = repository_.FindUserByName(name);
  if (!user) return std::unexpected(user.error());
  std::string hash;
  if (user->has_value()) {
    auto stored = repository_.PasswordHash((*user)->id);
    if (!stored) return std::unexpected(stored.error());
    hash = *stored;
  } else {
    // Spend the same time on an unknown name as on a known one.
    if (dummy_hash_.empty()) {
      auto dummy = security::HashPassword(security::RandomHex(16));
      if (!dummy) return std::unexpected(dummy.error());
      dummy_hash_ = *dummy;
    }
    hash = dummy_hash_;
  }
  const bool verified = security::VerifyPassword(password, hash);
  if (!verified || !user->has_value() || (*user)->disabled) {
    FUPIN_TRY(repository_.RecordLoginFailure(address, name, now));
    return Unauthenticated(std::string(kBadLogin));
  }
  FUPIN_TRY(repository_.ClearLoginFailures(address, name));

  LoginResult result;
  result.token = security::RandomHex(32);
  result.csrf_token = security::RandomHex(32);
  result.user = **user;
  FUPIN_TRY(repository_.CreateSession(
      {security::Sha256Hex(result.token), (*user)->id, result.csrf_token, now, now}));
  return result;
}

Status AuthService::Logout(std::string_view token) {
  return repository_.DeleteSession(security::Sha256Hex(token));
}

Result<Authenticated> AuthService::AuthenticateSession(std::string_view token) {
  if (token.empty()) return Unauthenticated("not signed in");
  const std::string token_hash = security::Sha256Hex(token);
  auto session = repository_.FindSession(token_hash);
  if (!session) return std::unexpected(session.error());
  if (!session->has_value()) return Unauthenticated("the session has ended; sign in again");
  const int64_t now = Now();
  const StoredSession& s = **session;
  // A session lives strictly less than the idle and absolute limits.
  if (now - s.last_seen_at >= policy_.idle_timeout.count() ||
      now - s.created_at >= policy_.absolute_timeout.count()) {
    FUPIN_TRY(repository_.DeleteSession(token_hash));
    return Unauthenticated("the session has expired; sign in again");
  }
  auto user = repository_.FindUser(s.user_id);
  if (!user) return std::unexpected(user.error());
  if (!user->has_value() || (*user)->disabled) {
    FUPIN_TRY(repository_.DeleteSession(token_hash));
    return Unauthenticated("the session has ended; sign in again");
  }
  // Refresh at most once a minute: most requests then only read.
  if (now - s.last_seen_at >= 60) FUPIN_TRY(repository_.TouchSession(token_hash, now));
  return Authenticated{PrincipalOf(**user), s.csrf_token};
}

Result<Authenticated> AuthService::AuthenticateApiToken(std::string_view token) {
  auto stored = repository_.FindApiToken(security::Sha256Hex(token));
  if (!stored) return std::unexpected(stored.error());
  if (!stored->has_value() || (*stored)->revoked) return Unauthenticated("invalid API token");
  auto user = repository_.FindUser((*stored)->user_id);
  if (!user) return std::unexpected(user.error());
  if (!user->has_value() || (*user)->disabled) return Unauthenticated("invalid API token");
  return Authenticated{PrincipalOf(**user), ""};
}

Result<std::pair<ApiToken, std::string>> AuthService::CreateApiToken(const Principal& owner,
                                                                     std::string_view name,
                                                                     const audit::Actor& actor) {
  if (name.empty() || name.size() > 100) {
    return InvalidArgument("a token needs a name of 1 to 100 characters",
                           {{0, "name", std::string(name), "1 to 100 characters"}});
  }
  const std::string token = "fpt_" + security::RandomHex(32);
  ApiToken t;
  t.user_id = owner.user_id;
  t.name = name;
  t.token_hash = security::Sha256Hex(token);
  t.created_at = Now();
  auto created = repository_.CreateApiToken(t, actor);
  if (!created) return std::unexpected(created.error());
  return std::make_pair(*created, token);
}

Result<User> AuthService::CreateUser(const NewUser& new_user, const audit::Actor& actor) {
  std::vector<ErrorDetail> problems;
  if (auto v = ValidateUserName(new_user.name); !v) {
    problems.push_back({0, "name", new_user.name, v.error().message});
  }
  if (auto v = ValidatePassword(new_user.password, new_user.name); !v) {
    problems.push_back({0, "password", "", v.error().message});  // never echo a password
  }
  if (auto v = ValidateRoleBindings(new_user.roles); !v) {
    for (auto& d : v.error().details) problems.push_back(d);
    if (v.error().details.empty()) problems.push_back({0, "roles", "", v.error().message});
  }
  if (!problems.empty()) return InvalidArgument("the user is not valid", std::move(problems));
  auto hash = security::HashPassword(new_user.password);
  if (!hash) return std::unexpected(hash.error());
  User user;
  user.name = new_user.name;
  user.display_name = new_user.display_name.empty() ? new_user.name : new_user.display_name;
  user.roles = new_user.roles;
  return repository_.CreateUser(user, *hash, actor);
}

Status AuthService::ResetPassword(std::string_view name, std::string_view password,
                                  const audit::Actor& actor) {
  auto user = repository_.FindUserByName(name);
  if (!user) return std::unexpected(user.error());
  if (!user->has_value()) return NotFound(fmt::format("no user named {}", name));
  if (auto v = ValidatePassword(password, name); !v) {
    return InvalidArgument(v.error().message, {{0, "password", "", v.error().message}});
  }
  auto hash = security::HashPassword(password);
  if (!hash) return std::unexpected(hash.error());
  FUPIN_TRY(repository_.SetPasswordHash((*user)->id, *hash, actor));
  return repository_.DeleteSessionsOf((*user)->id);
}

Status AuthService::ChangeOwnPassword(const Principal& who, std::string_view old_password,
                                      std::string_view new_password, const audit::Actor& actor) {
  auto stored = repository_.PasswordHash(who.user_id);
  if (!stored) return std::unexpected(stored.error());
  if (!security::VerifyPassword(old_password, *stored)) {
    return InvalidArgument("the current password is wrong",
                           {{0, "old_password", "", "the current password is wrong"}});
  }
  if (auto v = ValidatePassword(new_password, who.name); !v) {
    return InvalidArgument(v.error().message, {{0, "new_password", "", v.error().message}});
  }
  auto hash = security::HashPassword(new_password);
  if (!hash) return std::unexpected(hash.error());
  return repository_.SetPasswordHash(who.user_id, *hash, actor);
}

Result<User> AuthService::SetDisabled(std::string_view name, bool disabled,
                                      const audit::Actor& actor) {
  auto user = repository_.FindUserByName(name);
  if (!user) return std::unexpected(user.error());
  if (!user->has_value()) return NotFound(fmt::format("no user named {}", name));
  User changed = **user;
  changed.disabled = disabled;
  auto updated = repository_.UpdateUser(changed, actor);
  if (!updated) return std::unexpected(updated.error());
  if (disabled) FUPIN_TRY(repository_.DeleteSessionsOf(changed.id));
  return updated;
}

}  // namespace fupin::access
