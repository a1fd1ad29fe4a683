// Surveyed indicators of the catalogue (调查类指标): their values per region and period come
// from the answers to the questionnaire questions mapped to them (Question::indicator).
//
// For an indicator period, the questionnaires about the year whose annual figures the period
// uses (LastCompleteYear: "2020" for the year 2020) count. Each answer to a mapped question
// gives a value — the level's or option's value for likert and choice questions, the number
// given for number questions; an answer without one (an option worth nothing is still 0; a
// blank or an unknown code) gives none — attributed to the respondent's region. A region's
// value is the mean of the values given in its subtree, so the roll-up is a mean weighted by
// the number of answers (mean_of_answers), never a mean of means.
// Thread-safety: thread-safe; every call reads the store afresh.
#pragma once

#include <memory>
#include <string_view>

#include "evaluation/repository.h"
#include "indicators/indicator.h"
#include "indicators/measure_source.h"

namespace fupin::evaluation {

class SurveyMeasures final : public indicators::MeasureSource {
 public:
  // Both must outlive this source.
  SurveyMeasures(EvaluationRepository& repository, const indicators::Catalogue& catalogue)
      : repository_(repository), catalogue_(catalogue) {}

  // The catalogue's surveyed indicators.
  bool Computes(std::string_view code) const override;
  Result<std::shared_ptr<const indicators::MeasureTable>> Compute(
      const indicators::RegistryCube& cube, const Period& period) override;

 private:
  EvaluationRepository& repository_;
  const indicators::Catalogue& catalogue_;
};

}  // namespace fupin::evaluation
