// Routes of sign-in, API tokens, user administration and the audit log.
#pragma once

#include <nlohmann/json.hpp>

#include "access/auth_service.h"
#include "audit/audit_repository.h"
#include "http/router.h"

namespace fupin::http {

struct AccessRouteOptions {
  bool secure_cookies = false;  // add Secure to the session cookie (TLS)
};

// An audit entry as the API shows it. With `hide_sensitive`, a sensitive field's values (stored
// as keyed HMACs) are replaced by "changed" markers: for readers who are not auditors.
nlohmann::json AuditEntryJson(const audit::Entry& e, bool hide_sensitive = false);

void AddAccessRoutes(Router& router, access::AuthService& auth, access::AccessRepository& users,
                     audit::AuditRepository& audit_log, AccessRouteOptions options);

}  // namespace fupin::http
