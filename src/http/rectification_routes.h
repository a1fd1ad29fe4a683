// Routes of rectification (整改): /api/v1/evaluation/rectifications/… and
// /api/v1/evaluation/runs/{id}/rectifications. See docs/evaluation.md.
#pragma once

#include "evaluation/rectification_service.h"
#include "http/router.h"

namespace fupin::http {

void AddRectificationRoutes(Router& router, evaluation::RectificationService& rectification);

}  // namespace fupin::http
