#include "evaluation/survey_measures.h"

#include <charconv>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "base/text.h"

namespace fupin::evaluation {

bool SurveyMeasures::Computes(std::string_view code) const {
  const indicators::Indicator* i = catalogue_.Find(code);
  return i != nullptr && i->source == indicators::Source::kSurveyed;
}

namespace {

// The value an answer gives to its question, if any.
std::optional<double> AnswerValue(const Question& question, const std::string& answer) {
  const std::string_view text = Trim(answer);
  if (text.empty()) return std::nullopt;
  if (question.kind == QuestionKind::kNumber) {
    double value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(value)) {
      return std::nullopt;
    }
    return value;
  }
  for (const Choice& c : question.choices) {
    if (c.code == text) return c.value;
  }
  return std::nullopt;
}

}  // namespace

Result<std::shared_ptr<const indicators::MeasureTable>> SurveyMeasures::Compute(
    const indicators::RegistryCube& cube, const Period& period) {
  const auto& nodes = cube.nodes();
  const std::string year = std::to_string(indicators::LastCompleteYear(period));
  struct Tally {
    std::vector<double> sum;
    std::vector<int64_t> count;
  };
  std::map<std::string, Tally, std::less<>> tallies;
  for (const indicators::Indicator* i : catalogue_.All()) {
    if (i->source == indicators::Source::kSurveyed) {
      tallies[i->code] = {std::vector<double>(nodes.size(), 0),
                          std::vector<int64_t>(nodes.size(), 0)};
    }
  }
  if (!tallies.empty()) {
    auto questionnaires = repository_.ListQuestionnaires({""}, 0);
    if (!questionnaires) return std::unexpected(questionnaires.error());
    for (const Questionnaire& q : *questionnaires) {
      if (q.period != year) continue;
      std::vector<std::pair<const Question*, Tally*>> mapped;
      for (const Question& question : q.questions) {
        auto it = tallies.find(question.indicator);
        if (!question.indicator.empty() && it != tallies.end()) {
          mapped.emplace_back(&question, &it->second);
        }
      }
      if (mapped.empty()) continue;
      auto responses = repository_.ListResponses(q.id, {""});
      if (!responses) return std::unexpected(responses.error());
      for (const Response& r : *responses) {
        auto node = cube.Find(r.region_code);
        if (!node) continue;
        for (const auto& [question, tally] : mapped) {
          auto answer = r.answers.find(question->key);
          if (answer == r.answers.end()) continue;
          auto value = AnswerValue(*question, answer->second);
          if (!value) continue;
          for (int32_t n = *node; n >= 0; n = nodes[static_cast<size_t>(n)].parent) {
            tally->sum[static_cast<size_t>(n)] += *value;
            ++tally->count[static_cast<size_t>(n)];
          }
        }
      }
    }
  }
  auto table = std::make_shared<indicators::MeasureTable>();
  for (auto& [code, tally] : tallies) {
    std::vector<std::optional<double>> column(nodes.size());
    for (size_t n = 0; n < nodes.size(); ++n) {
      if (tally.count[n] > 0) column[n] = tally.sum[n] / static_cast<double>(tally.count[n]);
    }
    (*table)[code] = std::move(column);
  }
  return std::shared_ptr<const indicators::MeasureTable>(std::move(table));
}

}  // namespace fupin::evaluation
