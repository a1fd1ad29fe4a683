// The storage interface of the access module, in domain types. Writes to users are audited in
// the same transaction (the Actor says who acted). Implemented over SQL in storage/ for both
// backends. Implementations are thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/model.h"
#include "audit/audit.h"
#include "base/error.h"

namespace fupin::access {

// A browser session. Only a hash of the token is stored; times are Unix seconds.
struct StoredSession {
  std::string token_hash;
  int64_t user_id = 0;
  std::string csrf_token;
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
};

// A token for scripts (Authorization: Bearer …); only its hash is stored.
struct ApiToken {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;
  std::string token_hash;
  int64_t created_at = 0;
  bool revoked = false;
};

struct LoginFailureCounts {
  int64_t for_account_from_address = 0;
  int64_t from_address = 0;
  int64_t oldest_for_account_at = 0;  // Unix seconds of the oldest counted (for Retry-After)
  int64_t oldest_from_address_at = 0;
};

class AccessRepository {
 public:
  virtual ~AccessRepository() = default;

  // Users. CreateUser fails with kAlreadyExists when the name is taken.
  virtual Result<User> CreateUser(const User& user, const std::string& password_hash,
                                  const audit::Actor& actor) = 0;
  virtual Result<std::optional<User>> FindUser(int64_t id) = 0;
  virtual Result<std::optional<User>> FindUserByName(std::string_view name) = 0;
  // The stored Argon2id hash ("" when the user does not exist).
  virtual Result<std::string> PasswordHash(int64_t user_id) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;
  // Replaces display name, disabled flag, sensitive-data grant and role bindings, checking
  // `user.version` (kConflict when stale).
  virtual Result<User> UpdateUser(const User& user, const audit::Actor& actor) = 0;
  virtual Status SetPasswordHash(int64_t user_id, const std::string& hash,
                                 const audit::Actor& actor) = 0;

  // Organizations. kInvalidArgument when the region does not exist; kAlreadyExists when the
  // credit code is taken.
  virtual Result<Organization> CreateOrganization(const Organization& org,
                                                  const audit::Actor& actor) = 0;
  // Organizations inside any of the `scope` subtrees ({""} = all), by name.
  virtual Result<std::vector<Organization>> ListOrganizations(
      const std::vector<std::string>& scope) = 0;

  // Sessions.
  virtual Status CreateSession(const StoredSession& session) = 0;
  virtual Result<std::optional<StoredSession>> FindSession(std::string_view token_hash) = 0;
  virtual Status TouchSession(std::string_view token_hash, int64_t at) = 0;
  virtual Status DeleteSession(std::string_view token_hash) = 0;
  virtual Status DeleteSessionsOf(int64_t user_id) = 0;

  // API tokens.
  virtual Result<ApiToken> CreateApiToken(const ApiToken& token, const audit::Actor& actor) = 0;
  virtual Result<std::optional<ApiToken>> FindApiToken(std::string_view token_hash) = 0;
  virtual Result<std::vector<ApiToken>> ListApiTokens(int64_t user_id) = 0;
  virtual Status RevokeApiToken(int64_t user_id, int64_t token_id, const audit::Actor& actor) = 0;

  // Login throttling.
  virtual Status RecordLoginFailure(std::string_view address, std::string_view name,
                                    int64_t at) = 0;
  virtual Result<LoginFailureCounts> CountLoginFailures(std::string_view address,
                                                        std::string_view name, int64_t since) = 0;
  virtual Status ClearLoginFailures(std::string_view address, std::string_view name) = 0;
};

}  // namespace fupin::access
