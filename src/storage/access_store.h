// Internal to storage/: AccessRepository over SQL, shared by both backends.
#pragma once

#include "access/access_repository.h"
#include "storage/sql.h"

namespace fupin::storage {

class SqlAccessRepository final : public access::AccessRepository {
 public:
  explicit SqlAccessRepository(ConnectionPool& pool) : pool_(pool) {}

  Result<access::User> CreateUser(const access::User& user, const std::string& password_hash,
                                  const audit::Actor& actor) override;
  Result<std::optional<access::User>> FindUser(int64_t id) override;
  Result<std::optional<access::User>> FindUserByName(std::string_view name) override;
  Result<std::string> PasswordHash(int64_t user_id) override;
  Result<std::vector<access::User>> ListUsers() override;
  Result<access::User> UpdateUser(const access::User& user, const audit::Actor& actor) override;
  Status SetPasswordHash(int64_t user_id, const std::string& hash,
                         const audit::Actor& actor) override;

  Result<access::Organization> CreateOrganization(const access::Organization& org,
                                                  const audit::Actor& actor) override;
  Result<std::vector<access::Organization>> ListOrganizations(
      const std::vector<std::string>& scope) override;

  Status CreateSession(const access::StoredSession& session) override;
  Result<std::optional<access::StoredSession>> FindSession(std::string_view token_hash) override;
  Status TouchSession(std::string_view token_hash, int64_t at) override;
  Status DeleteSession(std::string_view token_hash) override;
  Status DeleteSessionsOf(int64_t user_id) override;

  Result<access::ApiToken> CreateApiToken(const access::ApiToken& token,
                                          const audit::Actor& actor) override;
  Result<std::optional<access::ApiToken>> FindApiToken(std::string_view token_hash) override;
  Result<std::vector<access::ApiToken>> ListApiTokens(int64_t user_id) override;
  Status RevokeApiToken(int64_t user_id, int64_t token_id, const audit::Actor& actor) override;

  Status RecordLoginFailure(std::string_view address, std::string_view name, int64_t at) override;
  Result<access::LoginFailureCounts> CountLoginFailures(std::string_view address,
                                                        std::string_view name,
                                                        int64_t since) override;
  Status ClearLoginFailures(std::string_view address, std::string_view name) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace fupin::storage
