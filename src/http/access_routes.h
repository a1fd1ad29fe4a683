// Routes of sign-in, API tokens, user administration and the audit log.
#pragma once

#include "access/auth_service.h"
#include "audit/audit_repository.h"
#include "http/router.h"

namespace fupin::http {

struct AccessRouteOptions {
  bool secure_cookies = false;  // add Secure to the session cookie (TLS)
};

void AddAccessRoutes(Router& router, access::AuthService& auth, access::AccessRepository& users,
                     audit::AuditRepository& audit_log, AccessRouteOptions options);

}  // namespace fupin::http
