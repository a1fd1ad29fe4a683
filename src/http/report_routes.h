// The printable report of an evaluation run: GET /api/v1/evaluation/runs/{id}/report
// ?format=html|xlsx&lang=zh|en (docs/evaluation.md). Whoever reads the run reads its report.
#pragma once

#include "base/time.h"
#include "evaluation/repository.h"
#include "evaluation/run_service.h"
#include "http/router.h"
#include "regions/boundary.h"
#include "regions/region_repository.h"

namespace fupin::http {

struct ReportSources {
  evaluation::RunService& runs;
  evaluation::EvaluationRepository& evaluations;
  regions::RegionRepository& regions;
  regions::BoundaryRepository& boundaries;
  const Clock& clock;
};

void AddReportRoutes(Router& router, ReportSources sources);

}  // namespace fupin::http
