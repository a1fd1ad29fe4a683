#include "http/access_routes.h"

#include <fmt/format.h>

#include <charconv>

#include "base/text.h"
#include "http/server.h"
#include "regions/region.h"

namespace fupin::http {
namespace {

using nlohmann::json;

json RolesJson(const std::vector<access::RoleBinding>& roles) {
  json out = json::array();
  for (const auto& b : roles) {
    json r = {{"role", access::RoleName(b.role)}, {"region", b.region_code}};
    r["organization_id"] = b.organization_id > 0 ? json(b.organization_id) : json(nullptr);
    r["household_id"] = b.household_id > 0 ? json(b.household_id) : json(nullptr);
    r["household_number"] = b.household_id > 0 ? json(b.household_number) : json(nullptr);
    out.push_back(std::move(r));
  }
  return out;
}

// A user as the API shows it: never a password or its hash.
json UserJson(const access::User& u) {
  return {{"id", u.id},
          {"name", u.name},
          {"display_name", u.display_name},
          {"disabled", u.disabled},
          {"view_sensitive", u.view_sensitive},
          {"roles", RolesJson(u.roles)},
          {"version", u.version},
          {"created_at", u.created_at}};
}

// What the signed-in user may do, so the UI can hide what it cannot use (the server enforces
// it regardless): permission → scope.
json PermissionsJson(const access::Principal& p) {
  json out = json::object();
  for (const access::Permission& perm : access::AllPermissions()) {
    auto scope = p.Scope(perm);
    if (!scope.empty()) out[fmt::format("{}.{}", perm.module, perm.action)] = scope;
  }
  return out;
}

// The permissions held only on one's own household (a household member's registry.read):
// permission → household ids.
json OwnHouseholdsJson(const access::Principal& p) {
  json out = json::object();
  for (const access::Permission& perm : access::AllPermissions()) {
    auto households = p.Households(perm);
    if (!households.empty()) out[fmt::format("{}.{}", perm.module, perm.action)] = households;
  }
  return out;
}

json OwnOrganizationsJson(const access::Principal& p) {
  json out = json::object();
  for (const access::Permission& perm : access::AllPermissions()) {
    auto organizations = p.Organizations(perm);
    if (!organizations.empty()) out[fmt::format("{}.{}", perm.module, perm.action)] = organizations;
  }
  return out;
}

json SessionJson(const access::Principal& p, const access::User* user,
                 const std::string& csrf_token) {
  json j = {{"user",
             {{"id", p.user_id},
              {"name", p.name},
              {"display_name", user ? user->display_name : p.name},
              {"roles", RolesJson(p.roles)}}},
            {"permissions", PermissionsJson(p)},
            {"own_households", OwnHouseholdsJson(p)},
            {"own_organizations", OwnOrganizationsJson(p)}};
  if (!csrf_token.empty()) j["csrf_token"] = csrf_token;
  return j;
}

std::string SessionCookie(const std::string& token, bool secure) {
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict{}", kSessionCookie, token,
                     secure ? "; Secure" : "");
}

Result<std::vector<access::RoleBinding>> ParseRoles(const json& body) {
  std::vector<access::RoleBinding> roles;
  if (!body.contains("roles") || !body["roles"].is_array()) {
    return InvalidArgument("roles must be a list", {{0, "roles", "", "a list of {role, region}"}});
  }
  for (size_t i = 0; i < body["roles"].size(); ++i) {
    const json& r = body["roles"][i];
    const std::string field = fmt::format("roles[{}]", i);
    if (!r.is_object() || !r.contains("role") || !r["role"].is_string() || !r.contains("region") ||
        !r["region"].is_string()) {
      return InvalidArgument("each role needs role and region",
                             {{0, field, "", "needs role and region"}});
    }
    auto role = access::ParseRole(r["role"].get<std::string>());
    if (!role) {
      return InvalidArgument(
          role.error().message,
          {{0, field + ".role", r["role"].get<std::string>(), role.error().message}});
    }
    access::RoleBinding b{*role, r["region"].get<std::string>(), 0, 0, ""};
    if (r.contains("organization_id") && r["organization_id"].is_number_integer()) {
      b.organization_id = r["organization_id"].get<int64_t>();
    }
    // The household role's household: by id, or by its number (what the UI asks for).
    if (r.contains("household_id") && r["household_id"].is_number_integer()) {
      b.household_id = r["household_id"].get<int64_t>();
    }
    if (r.contains("household_number") && r["household_number"].is_string()) {
      b.household_number = std::string(Trim(r["household_number"].get<std::string>()));
    }
    roles.push_back(std::move(b));
  }
  return roles;
}

Result<int64_t> IdParam(const ApiRequest& req) {
  const std::string& text = req.Param("id");
  int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) {
    return InvalidArgument(fmt::format("'{}' is not an id", text), {{0, "id", text, "not an id"}});
  }
  return id;
}

json OrganizationJson(const access::Organization& o) {
  return {{"id", o.id},
          {"name", o.name},
          {"type", access::OrgTypeName(o.type)},
          {"region", o.region_code},
          {"credit_code", o.credit_code.empty() ? json(nullptr) : json(o.credit_code)},
          {"version", o.version}};
}

}  // namespace

json AuditEntryJson(const audit::Entry& e, bool hide_sensitive) {
  json changes = json::array();
  auto shown = [&](const std::optional<std::string>& v) -> json {
    if (!v) return nullptr;
    if (hide_sensitive && v->starts_with("hmac:")) return "(changed)";
    return *v;
  };
  for (const auto& c : e.changes) {
    changes.push_back({{"field", c.field}, {"before", shown(c.before)}, {"after", shown(c.after)}});
  }
  json out = {{"seq", e.seq},
              {"at", e.at},
              {"actor", e.actor.name},
              {"action", e.action},
              {"entity", e.entity},
              {"entity_id", e.entity_id},
              {"region", e.region_code},
              {"changes", changes},
              {"note", e.note}};
  if (!hide_sensitive) {
    out["address"] = e.actor.address;
    out["hash"] = e.hash;
  }
  return out;
}

void AddAccessRoutes(Router& router, access::AuthService& auth, access::AccessRepository& users,
                     audit::AuditRepository& audit_log, AccessRouteOptions options) {
  // Sign in: {"name", "password"} → the session cookie, the CSRF token and what the user may do.
  router.Add("POST", "/api/v1/session", Access::Public(),
             [&auth, options](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto name = RequiredString(*body, "name");
               if (!name) return std::unexpected(name.error());
               auto password = RequiredString(*body, "password");
               if (!password) return std::unexpected(password.error());
               auto login = auth.Login(*name, *password, req.remote_addr);
               if (!login) return std::unexpected(login.error());
               const access::Principal p = access::AuthService::PrincipalOf(login->user);
               ApiResponse res = ApiResponse::Json(SessionJson(p, &login->user, login->csrf_token));
               res.headers.emplace_back("Set-Cookie",
                                        SessionCookie(login->token, options.secure_cookies));
               res.headers.emplace_back("Cache-Control", "no-store");
               return res;
             });

  router.Add("GET", "/api/v1/session", Access::SignedIn(),
             [&users](const ApiRequest& req) -> Result<ApiResponse> {
               auto user = users.FindUser(req.principal->user_id);
               if (!user) return std::unexpected(user.error());
               ApiResponse res = ApiResponse::Json(SessionJson(
                   *req.principal, user->has_value() ? &**user : nullptr, req.csrf_token));
               res.headers.emplace_back("Cache-Control", "no-store");
               return res;
             });

  router.Add("DELETE", "/api/v1/session", Access::SignedIn(),
             [&auth, options](const ApiRequest& req) -> Result<ApiResponse> {
               if (!req.session_token.empty()) FUPIN_TRY(auth.Logout(req.session_token));
               ApiResponse res = ApiResponse::Json(nullptr, 204);
               res.headers.emplace_back(
                   "Set-Cookie",
                   fmt::format("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{}",
                               kSessionCookie, options.secure_cookies ? "; Secure" : ""));
               return res;
             });

  // Change one's own password: {"old_password", "new_password"}.
  router.Add("POST", "/api/v1/session/password", Access::SignedIn(),
             [&auth](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto old_password = RequiredString(*body, "old_password");
               if (!old_password) return std::unexpected(old_password.error());
               auto new_password = RequiredString(*body, "new_password");
               if (!new_password) return std::unexpected(new_password.error());
               FUPIN_TRY(auth.ChangeOwnPassword(*req.principal, *old_password, *new_password,
                                                req.Actor()));
               return ApiResponse::Json(nullptr, 204);
             });

  // API tokens of the signed-in user.
  router.Add("GET", "/api/v1/tokens", Access::SignedIn(),
             [&users](const ApiRequest& req) -> Result<ApiResponse> {
               auto tokens = users.ListApiTokens(req.principal->user_id);
               if (!tokens) return std::unexpected(tokens.error());
               json items = json::array();
               for (const auto& t : *tokens) {
                 items.push_back({{"id", t.id},
                                  {"name", t.name},
                                  {"created_at", t.created_at},
                                  {"revoked", t.revoked}});
               }
               return ApiResponse::Json(ListEnvelope(items, static_cast<int64_t>(items.size())));
             });
  router.Add("POST", "/api/v1/tokens", Access::SignedIn(),
             [&auth](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto name = RequiredString(*body, "name");
               if (!name) return std::unexpected(name.error());
               auto created = auth.CreateApiToken(*req.principal, *name, req.Actor());
               if (!created) return std::unexpected(created.error());
               return ApiResponse::Json({{"id", created->first.id},
                                         {"name", created->first.name},
                                         {"token", created->second}},  // shown once
                                        201);
             });
  router.Add("DELETE", "/api/v1/tokens/{id}", Access::SignedIn(),
             [&users](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = IdParam(req);
               if (!id) return std::unexpected(id.error());
               FUPIN_TRY(users.RevokeApiToken(req.principal->user_id, *id, req.Actor()));
               return ApiResponse::Json(nullptr, 204);
             });

  // User administration.
  router.Add("GET", "/api/v1/users", Access::Needs("users", "read"),
             [&users](const ApiRequest&) -> Result<ApiResponse> {
               auto list = users.ListUsers();
               if (!list) return std::unexpected(list.error());
               json items = json::array();
               for (const auto& u : *list) items.push_back(UserJson(u));
               return ApiResponse::Json(ListEnvelope(items, static_cast<int64_t>(items.size())));
             });
  router.Add("POST", "/api/v1/users", Access::Needs("users", "write"),
             [&auth](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto name = RequiredString(*body, "name");
               if (!name) return std::unexpected(name.error());
               auto password = RequiredString(*body, "password");
               if (!password) return std::unexpected(password.error());
               auto roles = ParseRoles(*body);
               if (!roles) return std::unexpected(roles.error());
               access::NewUser user{*name, body->value("display_name", ""), *password, *roles};
               auto created = auth.CreateUser(user, req.Actor());
               if (!created) return std::unexpected(created.error());
               return ApiResponse::Json(UserJson(*created), 201);
             });
  // Change display name, disabled, view_sensitive and roles: {"version": N, …}.
  router.Add("PATCH", "/api/v1/users/{id}", Access::Needs("users", "write"),
             [&users](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = IdParam(req);
               if (!id) return std::unexpected(id.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto found = users.FindUser(*id);
               if (!found) return std::unexpected(found.error());
               if (!found->has_value()) return NotFound(fmt::format("no user with id {}", *id));
               access::User user = **found;
               if (!body->contains("version") || !(*body)["version"].is_number_integer()) {
                 return InvalidArgument("version is required",
                                        {{0, "version", "", "required, a whole number"}});
               }
               user.version = (*body)["version"].get<int64_t>();
               if (body->contains("display_name")) {
                 user.display_name = (*body)["display_name"].get<std::string>();
               }
               if (body->contains("disabled")) user.disabled = (*body)["disabled"].get<bool>();
               if (body->contains("view_sensitive")) {
                 user.view_sensitive = (*body)["view_sensitive"].get<bool>();
               }
               if (body->contains("roles")) {
                 auto roles = ParseRoles(*body);
                 if (!roles) return std::unexpected(roles.error());
                 FUPIN_TRY(access::ValidateRoleBindings(*roles));
                 user.roles = *roles;
               }
               auto updated = users.UpdateUser(user, req.Actor());
               if (!updated) return std::unexpected(updated.error());
               if (updated->disabled) FUPIN_TRY(users.DeleteSessionsOf(updated->id));
               return ApiResponse::Json(UserJson(*updated));
             });
  router.Add("POST", "/api/v1/users/{id}/password", Access::Needs("users", "write"),
             [&auth, &users](const ApiRequest& req) -> Result<ApiResponse> {
               auto id = IdParam(req);
               if (!id) return std::unexpected(id.error());
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               auto password = RequiredString(*body, "password");
               if (!password) return std::unexpected(password.error());
               auto found = users.FindUser(*id);
               if (!found) return std::unexpected(found.error());
               if (!found->has_value()) return NotFound(fmt::format("no user with id {}", *id));
               FUPIN_TRY(auth.ResetPassword((*found)->name, *password, req.Actor()));
               return ApiResponse::Json(nullptr, 204);
             });

  // Organizations of the five subjects, within the caller's regions.
  router.Add("GET", "/api/v1/organizations", Access::Needs("organizations", "read"),
             [&users](const ApiRequest& req) -> Result<ApiResponse> {
               auto orgs = users.ListOrganizations(req.scope);
               if (!orgs) return std::unexpected(orgs.error());
               json items = json::array();
               for (const auto& o : *orgs) items.push_back(OrganizationJson(o));
               return ApiResponse::Json(ListEnvelope(items, static_cast<int64_t>(items.size())));
             });
  // {"name", "type", "region", "credit_code"}: the region must lie in the caller's scope.
  router.Add("POST", "/api/v1/organizations", Access::Needs("organizations", "write"),
             [&users](const ApiRequest& req) -> Result<ApiResponse> {
               auto body = req.JsonBody();
               if (!body) return std::unexpected(body.error());
               access::Organization org;
               std::vector<ErrorDetail> problems;
               auto name = RequiredString(*body, "name");
               if (!name || name->empty() || name->size() > 300) {
                 problems.push_back({0, "name", "", "required, 1 to 300 characters"});
               } else {
                 org.name = *name;
               }
               auto type = access::ParseOrgType(body->value("type", ""));
               if (!type) {
                 problems.push_back({0, "type", body->value("type", ""), type.error().message});
               } else {
                 org.type = *type;
               }
               org.region_code = body->value("region", "");
               if (auto level = regions::LevelOfCode(org.region_code); !level) {
                 problems.push_back({0, "region", org.region_code, level.error().message});
               } else if (!req.principal->HoldsIn({"organizations", "write"}, org.region_code)) {
                 problems.push_back(
                     {0, "region", org.region_code, "outside the regions you may maintain"});
               }
               org.credit_code = body->value("credit_code", "");
               if (!org.credit_code.empty()) {
                 if (auto valid = access::ValidateCreditCode(org.credit_code); !valid) {
                   problems.push_back({0, "credit_code", org.credit_code, valid.error().message});
                 }
               }
               if (!problems.empty()) {
                 return InvalidArgument("the organization is not valid", std::move(problems));
               }
               auto created = users.CreateOrganization(org, req.Actor());
               if (!created) return std::unexpected(created.error());
               return ApiResponse::Json(OrganizationJson(*created), 201);
             });

  // The audit log, newest first, limited to the reader's regions.
  router.Add("GET", "/api/v1/audit", Access::Needs("audit", "read"),
             [&audit_log](const ApiRequest& req) -> Result<ApiResponse> {
               auto paging = ParsePaging(req);
               if (!paging) return std::unexpected(paging.error());
               audit::Query q;
               q.scope = req.scope;
               q.actor = req.Query("actor").value_or("");
               q.entity = req.Query("entity").value_or("");
               q.entity_id = req.Query("entity_id").value_or("");
               q.region = req.Query("region").value_or("");
               q.from = req.Query("from").value_or("");
               q.to = req.Query("to").value_or("");
               q.offset = paging->offset();
               q.limit = paging->page_size;
               auto page = audit_log.List(q);
               if (!page) return std::unexpected(page.error());
               json items = json::array();
               for (const auto& e : page->items) items.push_back(AuditEntryJson(e));
               return ApiResponse::Json(ListEnvelope(items, page->total, *paging));
             });
  router.Add(
      "GET", "/api/v1/audit/verify", Access::Needs("audit", "read"),
      [&audit_log](const ApiRequest&) -> Result<ApiResponse> {
        auto v = audit_log.Verify(std::nullopt);
        if (!v) return std::unexpected(v.error());
        return ApiResponse::Json({{"ok", v->ok},
                                  {"checked", v->checked},
                                  {"head", {{"count", v->head.count}, {"hash", v->head.hash}}},
                                  {"first_broken", v->first_broken},
                                  {"problem", v->problem}});
      });
}

}  // namespace fupin::http
