// The demo's comprehensive evaluation (综合绩效评价) of the demo county's workshop project
// (扶贫车间, 2020), after seed 000: the balanced-scorecard template copied for the county (its
// fund-payment indicator turned into an expert-reviewed item, since the demo's fund records
// start in 2025), published; five experts' pairwise judgments of every dimension (one expert
// inconsistent on one node, left out of the group weights); the 2020 satisfaction survey's
// questionnaire with the answers of 38 government staff, the 62 workshop heads and 312 nearby
// farmers (its sample targets, one not met); the experts' grades; the indicators from the
// workshops module; one published run, its survey leaves filled from the questionnaire; four
// rectification tasks from its findings (verified, submitted, in progress, overdue), dated
// from `today` (China).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "access/auth_service.h"
#include "base/error.h"
#include "base/time.h"
#include "evaluation/rectification_service.h"
#include "evaluation/repository.h"
#include "evaluation/run_service.h"
#include "evaluation/survey_service.h"
#include "evaluation/system_service.h"
#include "regions/region.h"

namespace fupin::app {

// The surveyed indicator the demo declares (DeclareDemoIndicators) and its workshop
// questionnaire's farmer satisfaction items feed.
inline constexpr std::string_view kDemoWorkshopSatisfaction = "workshop_farmer_satisfaction";

struct DemoEvaluationCounts {
  int systems = 0;
  int judgments = 0;
  int runs = 0;
  int questionnaires = 0;
  int responses = 0;
  int tasks = 0;
  double score = 0;
  std::string grade;
};

Result<DemoEvaluationCounts> GenerateDemoEvaluation(
    access::AuthService& auth, evaluation::SystemService& systems,
    evaluation::SurveyService& surveys, evaluation::EvaluationRepository& repository,
    evaluation::RunService& runs, evaluation::RectificationService& rectification,
    const std::vector<regions::Region>& generated, uint64_t seed, const Date& today);

}  // namespace fupin::app
