// Routes of the household registry: list, read, create, export and the audited reveal of
// personal data. See docs/api.md.
#pragma once

#include "http/router.h"
#include "registry/registry_service.h"

namespace fupin::http {

void AddRegistryRoutes(Router& router, registry::RegistryService& service);

}  // namespace fupin::http
