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

}  // namespace fupin::http
