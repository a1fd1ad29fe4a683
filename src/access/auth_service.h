// Signing in and out, sessions, API tokens and user administration.
//
// Passwords are Argon2id hashes (never logged, never returned). A login creates a random
// 256-bit session token; only its SHA-256 is stored. Sessions end after inactivity and
// absolutely. Failed logins are throttled per account-and-address and per address within a
// window; unknown user names count like known ones and take the same time, so responses never
// reveal whether a name exists. Time comes from the injected Clock.
// Thread-safety: thread-safe if the repository is.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "access/access_repository.h"
#include "access/permissions.h"
#include "base/time.h"

namespace fupin::access {

struct SessionPolicy {
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds absolute_timeout{12 * 60 * 60};
  std::chrono::seconds throttle_window{15 * 60};
  int max_failures_per_account = 5;   // for one account from one address
  int max_failures_per_address = 20;  // from one address in total
};

struct LoginResult {
  std::string token;       // the session cookie's value; shown once
  std::string csrf_token;  // sent back in X-CSRF-Token on state-changing requests
  User user;
};

struct Authenticated {
  Principal principal;
  std::string csrf_token;  // empty for API tokens (no cookie, so no CSRF)
};

struct NewUser {
  std::string name;
  std::string display_name;
  std::string password;
  std::vector<RoleBinding> roles;
};

class AuthService {
 public:
  AuthService(AccessRepository& repository, const Clock& clock, SessionPolicy policy = {});

  // kUnauthenticated for a wrong name or password or a disabled user (one message for all);
  // kResourceExhausted with retry_after_seconds when throttled.
  Result<LoginResult> Login(std::string_view name, std::string_view password,
                            std::string_view address);
  Status Logout(std::string_view token);
  // kUnauthenticated when the session is unknown, expired or its user disabled.
  Result<Authenticated> AuthenticateSession(std::string_view token);
  Result<Authenticated> AuthenticateApiToken(std::string_view token);

  // Returns the token once; only its hash is kept.
  Result<std::pair<ApiToken, std::string>> CreateApiToken(const Principal& owner,
                                                          std::string_view name,
                                                          const audit::Actor& actor);

  // User administration (the caller checks the "users/write" permission).
  Result<User> CreateUser(const NewUser& user, const audit::Actor& actor);
  Status ResetPassword(std::string_view name, std::string_view password, const audit::Actor& actor);
  Status ChangeOwnPassword(const Principal& who, std::string_view old_password,
                           std::string_view new_password, const audit::Actor& actor);
  Result<User> SetDisabled(std::string_view name, bool disabled, const audit::Actor& actor);

  static Principal PrincipalOf(const User& user);

 private:
  int64_t Now() const;

  AccessRepository& repository_;
  const Clock& clock_;
  const SessionPolicy policy_;
  std::string dummy_hash_;  // verified against for unknown names, to take the same time
};

// Validates role bindings: every region code well-formed, organizations given where the
// role needs one (enterprise, social_org), a household (by id or number) given for the
// household role — bound to a village — and for no other. Whether the household exists and
// lies in the village is checked by storage when the binding is written.
Status ValidateRoleBindings(const std::vector<RoleBinding>& roles);

}  // namespace fupin::access
