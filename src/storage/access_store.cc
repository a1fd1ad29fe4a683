#include "storage/access_store.h"

#include <fmt/format.h>

#include <algorithm>

#include "access/permissions.h"
#include "regions/region.h"
#include "storage/audit_store.h"

namespace fupin::storage {
namespace {

using access::User;

constexpr std::string_view kUserColumns =
    "id, name, display_name, disabled, view_sensitive, version, created_at";

User ReadUser(const SqlRow& row) {
  User u;
  u.id = row.Int(0);
  u.name = row.Text(1);
  u.display_name = row.Text(2);
  u.disabled = row.Int(3) != 0;
  u.view_sensitive = row.Int(4) != 0;
  u.version = row.Int(5);
  u.created_at = row.Text(6);
  return u;
}

Status LoadRoles(SqlConnection& conn, User& user) {
  user.roles.clear();
  const SqlValue params[] = {user.id};
  Status status;
  auto r = conn.Run(
      "SELECT r.role, r.region_code, r.organization_id, r.household_id, h.number "
      "FROM user_roles r LEFT JOIN households h ON h.id = r.household_id WHERE r.user_id = ? "
      "ORDER BY r.position",
      params, [&](const SqlRow& row) {
        auto role = access::ParseRole(row.Text(0));
        if (!role) {
          status = std::unexpected(role.error());
          return;
        }
        user.roles.push_back({*role, row.Text(1), row.IsNull(2) ? 0 : row.Int(2),
                              row.IsNull(3) ? 0 : row.Int(3), row.IsNull(4) ? "" : row.Text(4)});
      });
  if (!r) return std::unexpected(r.error());
  return status;
}

Result<std::optional<User>> LoadUser(SqlConnection& conn, std::string_view where, SqlValue key) {
  std::optional<User> user;
  const SqlValue params[] = {std::move(key)};
  FUPIN_TRY(conn.Run(fmt::format("SELECT {} FROM users WHERE {}", kUserColumns, where), params,
                     [&](const SqlRow& row) { user = ReadUser(row); }));
  if (user) FUPIN_TRY(LoadRoles(conn, *user));
  return user;
}

// The household a household binding names (by id, or by number when the id is 0), which must
// lie in the binding's region; kInvalidArgument naming the binding otherwise.
Result<int64_t> BoundHousehold(SqlConnection& conn, const access::RoleBinding& b,
                               const std::string& field) {
  std::optional<std::pair<int64_t, std::string>> found;  // id, region
  const SqlValue key[] = {b.household_id > 0 ? SqlValue(b.household_id)
                                             : SqlValue(b.household_number)};
  FUPIN_TRY(conn.Run(fmt::format("SELECT id, region_code FROM households WHERE {} = ?",
                                 b.household_id > 0 ? "id" : "number"),
                     key, [&](const SqlRow& row) { found.emplace(row.Int(0), row.Text(1)); }));
  const std::string shown =
      b.household_id > 0 ? std::to_string(b.household_id) : b.household_number;
  if (!found) {
    return InvalidArgument(fmt::format("no household {}", shown),
                           {{0, field + ".household", shown, "no such household"}});
  }
  if (!access::InSubtree(b.region_code, found->second)) {
    return InvalidArgument(
        fmt::format("household {} is not in region {}", shown, b.region_code),
        {{0, field + ".household", shown,
          fmt::format("is in region {}, not in the role's region", found->second)}});
  }
  return found->first;
}

Status WriteRoles(SqlConnection& conn, const User& user) {
  FUPIN_TRY(Execute(conn, "DELETE FROM user_roles WHERE user_id = ?", {user.id}));
  for (size_t i = 0; i < user.roles.size(); ++i) {
    const auto& b = user.roles[i];
    SqlValue household(nullptr);
    if (b.household_id > 0 || !b.household_number.empty()) {
      auto id = BoundHousehold(conn, b, fmt::format("roles[{}]", i));
      if (!id) return std::unexpected(id.error());
      household = *id;
    }
    FUPIN_TRY(Execute(
        conn,
        "INSERT INTO user_roles (user_id, position, role, region_code, "
        "organization_id, household_id) VALUES (?, ?, ?, ?, ?, ?)",
        {user.id, static_cast<int64_t>(i), std::string(access::RoleName(b.role)), b.region_code,
         b.organization_id > 0 ? SqlValue(b.organization_id) : SqlValue(nullptr), household}));
  }
  return {};
}

std::string RolesText(const User& u) {
  std::string out;
  for (const auto& b : u.roles) {
    if (!out.empty()) out += "; ";
    out += fmt::format("{}@{}", access::RoleName(b.role), b.region_code);
    if (b.organization_id > 0) out += fmt::format("#org{}", b.organization_id);
    if (b.household_id > 0) out += fmt::format("#household{}", b.household_id);
  }
  return out;
}

std::vector<audit::Field> AuditedFields(const User& u) {
  return {{"name", u.name, false},
          {"display_name", u.display_name, false},
          {"disabled", u.disabled ? "true" : "false", false},
          {"view_sensitive", u.view_sensitive ? "true" : "false", false},
          {"roles", RolesText(u), false}};
}

std::string Now() { return FormatTimestampUtc(std::chrono::system_clock::now()); }

audit::Entry UserEntry(const audit::Actor& actor, std::string action, const User& u) {
  audit::Entry e;
  e.actor = actor;
  e.action = std::move(action);
  e.entity = "user";
  e.entity_id = std::to_string(u.id);
  return e;
}

}  // namespace

Result<User> SqlAccessRepository::CreateUser(const User& user, const std::string& password_hash,
                                             const audit::Actor& actor) {
  return InTransaction<User>(pool_, [&](SqlConnection& conn) -> Result<User> {
    User created = user;
    created.created_at = Now();
    auto exists = LoadUser(conn, "name = ?", user.name);
    if (!exists) return std::unexpected(exists.error());
    if (exists->has_value()) {
      return AlreadyExists(fmt::format("a user named {} already exists", user.name));
    }
    FUPIN_TRY(conn.Run(
        "INSERT INTO users (name, display_name, password_hash, disabled, view_sensitive, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        std::vector<SqlValue>{user.name, user.display_name, password_hash,
                              static_cast<int64_t>(user.disabled),
                              static_cast<int64_t>(user.view_sensitive), created.created_at},
        [&](const SqlRow& row) { created.id = row.Int(0); }));
    created.version = 1;
    if (auto w = WriteRoles(conn, created); !w) {
      Error e = w.error();
      if (e.code == ErrorCode::kFailedPrecondition) {
        e = Error{ErrorCode::kInvalidArgument,
                  "a role names a region or organization that does not exist",
                  {},
                  0,
                  0};
      }
      return std::unexpected(std::move(e));
    }
    FUPIN_TRY(LoadRoles(conn, created));  // households named by number get their ids
    audit::Entry entry = UserEntry(actor, "create", created);
    entry.changes = audit::Diff({}, AuditedFields(created), "");
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return created;
  });
}

Result<std::optional<User>> SqlAccessRepository::FindUser(int64_t id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return LoadUser(**conn, "id = ?", id);
}

Result<std::optional<User>> SqlAccessRepository::FindUserByName(std::string_view name) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  return LoadUser(**conn, "name = ?", std::string(name));
}

Result<std::string> SqlAccessRepository::PasswordHash(int64_t user_id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::string hash;
  const SqlValue params[] = {user_id};
  FUPIN_TRY((*conn)->Run("SELECT password_hash FROM users WHERE id = ?", params,
                         [&](const SqlRow& row) { hash = row.Text(0); }));
  return hash;
}

Result<std::vector<User>> SqlAccessRepository::ListUsers() {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  auto users = QueryAll<User>(
      **conn, fmt::format("SELECT {} FROM users ORDER BY name COLLATE \"C\"", kUserColumns), {},
      ReadUser);
  if (!users) return std::unexpected(users.error());
  for (User& u : *users) FUPIN_TRY(LoadRoles(**conn, u));
  return users;
}

Result<User> SqlAccessRepository::UpdateUser(const User& user, const audit::Actor& actor) {
  return InTransaction<User>(pool_, [&](SqlConnection& conn) -> Result<User> {
    auto before = LoadUser(conn, "id = ?", user.id);
    if (!before) return std::unexpected(before.error());
    if (!before->has_value()) return NotFound(fmt::format("no user with id {}", user.id));
    if ((*before)->version != user.version) {
      return Conflict(fmt::format("user {} was changed by someone else: you edited version {}, "
                                  "the current version is {}",
                                  user.name, user.version, (*before)->version),
                      (*before)->version);
    }
    FUPIN_TRY(Execute(conn,
                      "UPDATE users SET display_name = ?, disabled = ?, view_sensitive = ?, "
                      "version = version + 1 WHERE id = ?",
                      {user.display_name, static_cast<int64_t>(user.disabled),
                       static_cast<int64_t>(user.view_sensitive), user.id}));
    FUPIN_TRY(WriteRoles(conn, user));
    auto after = LoadUser(conn, "id = ?", user.id);
    if (!after) return std::unexpected(after.error());
    audit::Entry entry = UserEntry(actor, "update", **after);
    entry.changes = audit::Diff(AuditedFields(**before), AuditedFields(**after), "");
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return **after;
  });
}

Status SqlAccessRepository::SetPasswordHash(int64_t user_id, const std::string& hash,
                                            const audit::Actor& actor) {
  auto done = InTransaction<bool>(pool_, [&](SqlConnection& conn) -> Result<bool> {
    auto changed =
        Execute(conn, "UPDATE users SET password_hash = ? WHERE id = ?", {hash, user_id});
    if (!changed) return std::unexpected(changed.error());
    if (*changed == 0) return NotFound(fmt::format("no user with id {}", user_id));
    audit::Entry entry;
    entry.actor = actor;
    entry.action = "set_password";
    entry.entity = "user";
    entry.entity_id = std::to_string(user_id);
    entry.note = "password changed";  // never the password or its hash
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return {};
}

Result<access::Organization> SqlAccessRepository::CreateOrganization(
    const access::Organization& org, const audit::Actor& actor) {
  return InTransaction<access::Organization>(
      pool_, [&](SqlConnection& conn) -> Result<access::Organization> {
        access::Organization created = org;
        auto inserted = conn.Run(
            "INSERT INTO organizations (name, type, region_code, credit_code, created_at) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            std::vector<SqlValue>{
                org.name, std::string(access::OrgTypeName(org.type)), org.region_code,
                org.credit_code.empty() ? SqlValue(nullptr) : SqlValue(org.credit_code), Now()},
            [&](const SqlRow& row) { created.id = row.Int(0); });
        if (!inserted) {
          Error e = inserted.error();
          if (e.code == ErrorCode::kFailedPrecondition) {
            return InvalidArgument(fmt::format("no region {}", org.region_code),
                                   {{0, "region", org.region_code, "no such region"}});
          }
          if (e.code == ErrorCode::kAlreadyExists) {
            return AlreadyExists(
                fmt::format("an organization with credit code {} exists", org.credit_code));
          }
          return std::unexpected(std::move(e));
        }
        audit::Entry entry;
        entry.actor = actor;
        entry.action = "create";
        entry.entity = "organization";
        entry.entity_id = std::to_string(created.id);
        entry.region_code = org.region_code;
        entry.changes = audit::Diff({},
                                    {{"name", org.name, false},
                                     {"type", std::string(access::OrgTypeName(org.type)), false},
                                     {"region", org.region_code, false},
                                     {"credit_code", org.credit_code, false}},
                                    "");
        FUPIN_TRY(AppendAudit(conn, std::move(entry)));
        return created;
      });
}

Result<std::vector<access::Organization>> SqlAccessRepository::ListOrganizations(
    const std::vector<std::string>& scope) {
  std::vector<SqlValue> params;
  auto where = ScopeCondition(scope, "region_code", params);
  if (!where) return std::unexpected(where.error());
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::vector<access::Organization> out;
  std::optional<Error> bad;
  FUPIN_TRY((*conn)->Run(
      fmt::format("SELECT id, name, type, region_code, credit_code, version FROM organizations "
                  "WHERE {} ORDER BY region_code, id",
                  *where),
      params, [&](const SqlRow& row) {
        auto type = access::ParseOrgType(row.Text(2));
        if (!type) {
          bad = type.error();
          return;
        }
        out.push_back({row.Int(0), row.Text(1), *type, row.Text(3),
                       row.IsNull(4) ? "" : row.Text(4), row.Int(5)});
      }));
  if (bad) return std::unexpected(*bad);
  return out;
}

Status SqlAccessRepository::CreateSession(const access::StoredSession& s) {
  auto done = InTransaction<int64_t>(pool_, [&](SqlConnection& conn) {
    return Execute(conn,
                   "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
                   "last_seen_at) VALUES (?, ?, ?, ?, ?)",
                   {s.token_hash, s.user_id, s.csrf_token, s.created_at, s.last_seen_at});
  });
  if (!done) return std::unexpected(done.error());
  return {};
}

Result<std::optional<access::StoredSession>> SqlAccessRepository::FindSession(
    std::string_view token_hash) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::optional<access::StoredSession> s;
  const SqlValue params[] = {std::string(token_hash)};
  FUPIN_TRY((*conn)->Run(
      "SELECT token_hash, user_id, csrf_token, created_at, last_seen_at FROM sessions "
      "WHERE token_hash = ?",
      params, [&](const SqlRow& row) {
        s = access::StoredSession{row.Text(0), row.Int(1), row.Text(2), row.Int(3), row.Int(4)};
      }));
  return s;
}

namespace {

// Runs one statement in its own write transaction.
Status WriteOne(ConnectionPool& pool, std::string_view sql, std::vector<SqlValue> params) {
  auto done = InTransaction<int64_t>(
      pool, [&](SqlConnection& conn) { return conn.Run(sql, params, nullptr); });
  if (!done) return std::unexpected(done.error());
  return {};
}

}  // namespace

Status SqlAccessRepository::TouchSession(std::string_view token_hash, int64_t at) {
  return WriteOne(pool_, "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?",
                  {at, std::string(token_hash)});
}

Status SqlAccessRepository::DeleteSession(std::string_view token_hash) {
  return WriteOne(pool_, "DELETE FROM sessions WHERE token_hash = ?", {std::string(token_hash)});
}

Status SqlAccessRepository::DeleteSessionsOf(int64_t user_id) {
  return WriteOne(pool_, "DELETE FROM sessions WHERE user_id = ?", {user_id});
}

Result<access::ApiToken> SqlAccessRepository::CreateApiToken(const access::ApiToken& token,
                                                             const audit::Actor& actor) {
  return InTransaction<access::ApiToken>(
      pool_, [&](SqlConnection& conn) -> Result<access::ApiToken> {
        access::ApiToken created = token;
        FUPIN_TRY(conn.Run(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) "
            "RETURNING id",
            std::vector<SqlValue>{token.user_id, token.name, token.token_hash, token.created_at},
            [&](const SqlRow& row) { created.id = row.Int(0); }));
        audit::Entry entry;
        entry.actor = actor;
        entry.action = "create_token";
        entry.entity = "api_token";
        entry.entity_id = std::to_string(created.id);
        entry.changes = {{"name", std::nullopt, token.name},
                         {"user_id", std::nullopt, std::to_string(token.user_id)}};
        FUPIN_TRY(AppendAudit(conn, std::move(entry)));
        return created;
      });
}

Result<std::optional<access::ApiToken>> SqlAccessRepository::FindApiToken(
    std::string_view token_hash) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  std::optional<access::ApiToken> t;
  const SqlValue params[] = {std::string(token_hash)};
  FUPIN_TRY(
      (*conn)->Run("SELECT id, user_id, name, token_hash, created_at, revoked FROM api_tokens "
                   "WHERE token_hash = ?",
                   params, [&](const SqlRow& row) {
                     t = access::ApiToken{row.Int(0),  row.Int(1), row.Text(2),
                                          row.Text(3), row.Int(4), row.Int(5) != 0};
                   }));
  return t;
}

Result<std::vector<access::ApiToken>> SqlAccessRepository::ListApiTokens(int64_t user_id) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  const SqlValue params[] = {user_id};
  return QueryAll<access::ApiToken>(
      **conn,
      "SELECT id, user_id, name, '', created_at, revoked FROM api_tokens WHERE user_id = ? "
      "ORDER BY id",
      params, [](const SqlRow& row) {
        return access::ApiToken{row.Int(0), row.Int(1), row.Text(2),
                                "",         row.Int(4), row.Int(5) != 0};
      });
}

Status SqlAccessRepository::RevokeApiToken(int64_t user_id, int64_t token_id,
                                           const audit::Actor& actor) {
  auto done = InTransaction<bool>(pool_, [&](SqlConnection& conn) -> Result<bool> {
    auto changed = Execute(conn, "UPDATE api_tokens SET revoked = 1 WHERE id = ? AND user_id = ?",
                           {token_id, user_id});
    if (!changed) return std::unexpected(changed.error());
    if (*changed == 0) return NotFound(fmt::format("no API token {}", token_id));
    audit::Entry entry;
    entry.actor = actor;
    entry.action = "revoke_token";
    entry.entity = "api_token";
    entry.entity_id = std::to_string(token_id);
    FUPIN_TRY(AppendAudit(conn, std::move(entry)));
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return {};
}

Status SqlAccessRepository::RecordLoginFailure(std::string_view address, std::string_view name,
                                               int64_t at) {
  auto done = InTransaction<int64_t>(pool_, [&](SqlConnection& conn) -> Result<int64_t> {
    // Failures older than a day no longer matter to any window.
    FUPIN_TRY(Execute(conn, "DELETE FROM login_failures WHERE at < ?", {at - 86400}));
    return Execute(conn, "INSERT INTO login_failures (address, name, at) VALUES (?, ?, ?)",
                   {std::string(address), std::string(name), at});
  });
  if (!done) return std::unexpected(done.error());
  return {};
}

Result<access::LoginFailureCounts> SqlAccessRepository::CountLoginFailures(std::string_view address,
                                                                           std::string_view name,
                                                                           int64_t since) {
  auto conn = pool_.Reader();
  if (!conn) return std::unexpected(conn.error());
  access::LoginFailureCounts counts;
  const SqlValue params[] = {std::string(name), std::string(name), std::string(address), since};
  FUPIN_TRY(
      (*conn)->Run("SELECT coalesce(sum(CASE WHEN name = ? THEN 1 ELSE 0 END), 0), count(*), "
                   "coalesce(min(CASE WHEN name = ? THEN at END), 0), coalesce(min(at), 0) "
                   "FROM login_failures WHERE address = ? AND at > ?",
                   params, [&](const SqlRow& row) {
                     counts.for_account_from_address = row.Int(0);
                     counts.from_address = row.Int(1);
                     counts.oldest_for_account_at = row.Int(2);
                     counts.oldest_from_address_at = row.Int(3);
                   }));
  return counts;
}

Status SqlAccessRepository::ClearLoginFailures(std::string_view address, std::string_view name) {
  return WriteOne(pool_, "DELETE FROM login_failures WHERE address = ? AND name = ?",
                  {std::string(address), std::string(name)});
}

}  // namespace fupin::storage
