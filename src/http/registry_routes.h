// Routes of the household registry: list, read, create, export, the audited reveal of
// personal data, and imports run as background jobs. See docs/api.md and docs/import.md.
#pragma once

#include "http/router.h"
#include "registry/import_jobs.h"
#include "registry/registry_service.h"

namespace fupin::http {

void AddRegistryRoutes(Router& router, registry::RegistryService& service,
                       registry::ImportJobs& imports);

}  // namespace fupin::http
