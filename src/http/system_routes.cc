#include "http/system_routes.h"

#include "base/version.h"

namespace fupin::http {

void AddSystemRoutes(Router& router, HealthSource health) {
  router.Add("GET", "/api/v1/health", Access::Public(),
             [health](const ApiRequest&) -> Result<ApiResponse> {
               if (auto ping = health.ping(); !ping) {
                 Error e = ping.error();
                 e.code = ErrorCode::kUnavailable;
                 return std::unexpected(std::move(e));
               }
               return ApiResponse::Json(
                   {{"status", "ok"}, {"version", kVersion}, {"database", health.database}});
             });
}

void AddRouteIndex(Router& router) {
  router.Add("GET", "/api/v1/routes", Access::SignedIn(),
             [&router](const ApiRequest&) -> Result<ApiResponse> {
               nlohmann::json items = nlohmann::json::array();
               for (const Route& r : router.routes()) {
                 std::string access = "public";
                 if (r.access.kind == Access::Kind::kSignedIn) access = "signed_in";
                 if (r.access.kind == Access::Kind::kPermission) {
                   access = std::string(r.access.permission.module) + "." +
                            std::string(r.access.permission.action);
                 }
                 items.push_back({{"method", r.method},
                                  {"path", r.pattern},
                                  {"access", access},
                                  {"record", r.access.record.empty()
                                                 ? nlohmann::json(nullptr)
                                                 : nlohmann::json(std::string(r.access.record))},
                                  {"own_household", r.access.own_household},
                                  {"own_organization", r.access.own_organization}});
               }
               nlohmann::json permissions = nlohmann::json::array();
               for (const auto& p : access::AllPermissions()) {
                 permissions.push_back(std::string(p.module) + "." + std::string(p.action));
               }
               nlohmann::json body = ListEnvelope(items, static_cast<int64_t>(items.size()));
               body["permissions"] = permissions;
               return ApiResponse::Json(body);
             });
}

}  // namespace fupin::http
