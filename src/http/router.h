// The API's routing table, declared once.
//
// Handlers never see cpp-httplib: they get an ApiRequest (path parameters, query, body) and
// return Result<ApiResponse>; the server turns an Error into the HTTP status and JSON body in
// exactly one place (error_response.cc). Because every route is declared here with its method
// and pattern, tests can enumerate the API from the router itself.
// Thread-safety: routes are added before the server starts, then only read.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/permissions.h"
#include "audit/audit.h"
#include "base/error.h"
#include "base/time.h"

namespace fupin::http {

struct ApiRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> path_params;  // from {name} segments of the pattern
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote_addr;

  // Set by the server for routes that need a signed-in caller.
  const access::Principal* principal = nullptr;
  // The region subtrees where the caller holds the route's permission ({""} = everywhere);
  // services filter their queries by it.
  std::vector<std::string> scope;
  // For routes declared Access::OrOwnHousehold(): the households on which the caller holds
  // the permission through a household binding (Principal::Households), besides `scope`.
  // Always empty on other routes.
  std::vector<int64_t> households;
  // For routes declared Access::OrOwnOrganization(): the organizations on whose workshops the
  // caller holds the permission as their operator (Principal::Organizations), besides `scope`.
  // Always empty on other routes.
  std::vector<int64_t> organizations;
  // How the caller signed in: the session token (cookie) and its CSRF token, both empty for
  // an API token.
  std::string session_token;
  std::string csrf_token;

  // The first value of a query parameter, if given and non-empty.
  std::optional<std::string> Query(std::string_view name) const;
  // A path parameter (always present when the route matched).
  const std::string& Param(std::string_view name) const;
  // Parses the body as a JSON object; kInvalidArgument with the parse position otherwise.
  Result<nlohmann::json> JsonBody() const;
  // Who the audit log names for this request: the signed-in user and the client's address.
  audit::Actor Actor() const;
};

struct ApiResponse {
  int status = 200;
  nlohmann::json body;
  std::vector<std::pair<std::string, std::string>> headers;
  // A response that is not JSON (a CSV or XLSX download): sent as is when content_type is set.
  std::string raw;
  std::string content_type;

  static ApiResponse Json(nlohmann::json body, int status = 200) {
    return ApiResponse{status, std::move(body), {}, {}, {}};
  }
  // A file to download as `filename`.
  static ApiResponse File(std::string bytes, std::string content_type, std::string_view filename);
};

using ApiHandler = std::function<Result<ApiResponse>(const ApiRequest&)>;

// Who may call a route: anyone, any signed-in user, or holders of a permission of the matrix.
// `record` names the region-bound record kind a route's {id} refers to ("household",
// "member"): the service answers 404 for one outside the caller's scope, and the authorization
// test calls such routes with a record inside and one outside each role's region.
//
// A household member holds registry.read on their own household only (access::Reach); such
// grants let the caller in only on routes declared OrOwnHousehold(), whose handlers pass
// ApiRequest::households on to the service. Every other route stays closed to them (403).
struct Access {
  enum class Kind { kPublic, kSignedIn, kPermission };
  Kind kind = Kind::kPermission;
  access::Permission permission{};
  std::string_view record{};
  bool own_household = false;
  bool own_organization = false;

  static Access Public() { return {Kind::kPublic, {}, {}, false, false}; }
  static Access SignedIn() { return {Kind::kSignedIn, {}, {}, false, false}; }
  static Access Needs(std::string_view module, std::string_view action) {
    return {Kind::kPermission, {module, action}, {}, false, false};
  }
  // Also lets in an operator holding the permission on what its organization runs
  // (ApiRequest::organizations); the handler passes those on to the service.
  Access OrOwnOrganization() const {
    Access a = *this;
    a.own_organization = true;
    return a;
  }
  Access OrOwnHousehold() const {
    Access a = *this;
    a.own_household = true;
    return a;
  }
  Access On(std::string_view record_kind) const {
    Access a = *this;
    a.record = record_kind;
    return a;
  }
};

struct Route {
  std::string method;   // GET, POST, PUT, PATCH, DELETE
  std::string pattern;  // e.g. /api/v1/regions/{code}/children
  Access access;
  ApiHandler handler;
};

class Router {
 public:
  void Add(std::string method, std::string pattern, Access access, ApiHandler handler) {
    routes_.push_back(Route{std::move(method), std::move(pattern), access, std::move(handler)});
  }
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Paging as every list endpoint takes it: `page` (from 1, default 1) and `page_size`
// (1–max, default `default_size`). kInvalidArgument naming the parameter otherwise.
struct Paging {
  int64_t page = 1;
  int64_t page_size = 50;
  int64_t offset() const { return (page - 1) * page_size; }
};
Result<Paging> ParsePaging(const ApiRequest& request, int64_t default_size = 50,
                           int64_t max_size = 1000);

// A record's id from path parameter `param`: a positive whole number, or else kNotFound
// ("no {what} with id …") as for an id that names nothing.
Result<int64_t> PathId(const ApiRequest& request, std::string_view param, std::string_view what);

// A required string field of a JSON body; kInvalidArgument naming the field otherwise.
Result<std::string> RequiredString(const nlohmann::json& body, const char* field);

// An optional whole-number query parameter (`fallback` when absent); kInvalidArgument naming it
// otherwise.
Result<int64_t> QueryInt(const ApiRequest& request, std::string_view name, int64_t fallback);
// An optional date query parameter (YYYY-MM-DD); kInvalidArgument naming it otherwise.
Result<std::optional<Date>> QueryDate(const ApiRequest& request, std::string_view name);

// Parses an optional boolean query parameter ("true"/"false"/"1"/"0").
Result<bool> QueryBool(const ApiRequest& request, std::string_view name, bool fallback);

// The list envelope every list endpoint returns: {"items": […], "total": N[, "page", "page_size"]}.
nlohmann::json ListEnvelope(nlohmann::json items, int64_t total,
                            const std::optional<Paging>& paging = std::nullopt);

}  // namespace fupin::http
