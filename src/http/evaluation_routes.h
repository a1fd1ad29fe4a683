// Routes of comprehensive evaluation (/api/v1/evaluation/…): templates, indicator systems and
// their versions, expert judgments, group weights, and the AHP check of a matrix.
#pragma once

#include "evaluation/run_service.h"
#include "evaluation/system_service.h"
#include "http/router.h"

namespace fupin::http {

void AddEvaluationRoutes(Router& router, evaluation::SystemService& systems,
                         evaluation::RunService& runs);

}  // namespace fupin::http
