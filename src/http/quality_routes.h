// Routes of the registry's data-quality rules under /api/v1/quality: the rule catalogue, the
// findings of a region (filtered, paged) and their export as CSV or XLSX. See docs/quality.md.
#pragma once

#include "http/router.h"
#include "registry/registry_service.h"

namespace fupin::http {

void AddQualityRoutes(Router& router, registry::RegistryService& service);

}  // namespace fupin::http
