// The demo's comprehensive evaluation (综合绩效评价) of the demo county's workshop project
// (扶贫车间, 2020), after seed 000: the balanced-scorecard template copied for the county (its
// fund-payment indicator turned into an expert-reviewed item, since the demo's fund records
// start in 2025), published; five experts' pairwise judgments of every dimension (one expert
// inconsistent on one node, left out of the group weights); survey counts from government
// staff, the workshop heads and a few hundred nearby farmers, and the experts' grades; the
// indicators from the workshops module; one published run with its findings.
#pragma once

#include <cstdint>
#include <vector>

#include "access/auth_service.h"
#include "base/error.h"
#include "evaluation/run_service.h"
#include "evaluation/system_service.h"
#include "regions/region.h"

namespace fupin::app {

struct DemoEvaluationCounts {
  int systems = 0;
  int judgments = 0;
  int runs = 0;
  double score = 0;
  std::string grade;
};

Result<DemoEvaluationCounts> GenerateDemoEvaluation(access::AuthService& auth,
                                                    evaluation::SystemService& systems,
                                                    evaluation::RunService& runs,
                                                    const std::vector<regions::Region>& generated,
                                                    uint64_t seed);

}  // namespace fupin::app
