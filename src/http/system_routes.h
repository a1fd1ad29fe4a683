// System routes: /api/v1/health.
#pragma once

#include <functional>
#include <string>

#include "base/error.h"
#include "http/router.h"

namespace fupin::http {

struct HealthSource {
  std::string database;          // "sqlite" | "postgresql"
  std::function<Status()> ping;  // a round trip to the database
};

void AddSystemRoutes(Router& router, HealthSource health);

// GET /api/v1/routes: every route of `router` with who may call it, and every permission of
// the matrix. Add it last; it reads the router when called, so it lists itself too.
void AddRouteIndex(Router& router);

}  // namespace fupin::http
