// Routes of surveys (/api/v1/evaluation/survey-groups, /api/v1/evaluation/surveys/…):
// questionnaires, responses entered and imported from survey tools' exports, quality checks and
// tallies. See docs/evaluation.md.
#pragma once

#include "evaluation/survey_service.h"
#include "http/router.h"

namespace fupin::http {

void AddSurveyRoutes(Router& router, evaluation::SurveyService& surveys);

}  // namespace fupin::http
