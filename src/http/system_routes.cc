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

}  // namespace fupin::http
