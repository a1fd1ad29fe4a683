// Grade scales and scoring rules.
#include "evaluation/grade_scale.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace fupin::evaluation {

namespace {

std::string Num(double v) { return fmt::format("{}", v); }

ErrorDetail Detail(const std::string& field, const std::string& value, std::string reason) {
  return ErrorDetail{0, field, value, std::move(reason)};
}

}  // namespace

Result<GradeScale> GradeScale::Make(const std::vector<GradeInput>& grades) {
  std::vector<ErrorDetail> details;
  if (grades.size() < 2) {
    return InvalidArgument("a grade scale needs at least two grades",
                           {Detail("grades", Num(static_cast<double>(grades.size())),
                                   "at least two grades, best first")});
  }
  std::set<std::string> names;
  for (size_t g = 0; g < grades.size(); ++g) {
    const auto field = fmt::format("grades[{}]", g);
    if (grades[g].name.empty())
      details.push_back(Detail(field + ".name", "", "a grade needs a name"));
    if (!names.insert(grades[g].name).second) {
      details.push_back(Detail(field + ".name", grades[g].name, "the name is used twice"));
    }
    if (!std::isfinite(grades[g].score)) {
      details.push_back(Detail(field + ".score", Num(grades[g].score), "not a finite number"));
    } else if (g > 0 && !(grades[g].score < grades[g - 1].score)) {
      details.push_back(Detail(field + ".score", Num(grades[g].score),
                               "grades are listed best first: each score must be below the "
                               "previous grade's score"));
    }
  }
  if (!details.empty()) return InvalidArgument("the grade scale is not valid", std::move(details));
  GradeScale scale;
  for (size_t g = 0; g < grades.size(); ++g) {
    double min = -std::numeric_limits<double>::infinity();
    if (grades[g].min) {
      min = *grades[g].min;
    } else if (g + 1 < grades.size()) {
      min = (grades[g].score + grades[g + 1].score) / 2.0;
    }
    scale.grades_.push_back(Grade{grades[g].name, grades[g].score, min});
  }
  for (size_t g = 0; g < grades.size(); ++g) {
    const auto field = fmt::format("grades[{}].min", g);
    const Grade& grade = scale.grades_[g];
    if (std::isnan(grade.min)) {
      details.push_back(Detail(field, Num(grade.min), "not a number"));
      continue;
    }
    if (grade.score < grade.min) {
      details.push_back(Detail(
          field, Num(grade.min),
          fmt::format("the grade's score {} is below its band's minimum", Num(grade.score))));
    }
    if (g > 0) {
      const Grade& above = scale.grades_[g - 1];
      if (!(grade.min < above.min)) {
        details.push_back(
            Detail(field, Num(grade.min), "band minimums must decrease from the best grade down"));
      } else if (!(grade.score < above.min)) {
        details.push_back(Detail(field, Num(grade.min),
                                 fmt::format("the grade's score {} lies in the band of '{}'",
                                             Num(grade.score), above.name)));
      }
    }
  }
  if (!details.empty()) return InvalidArgument("the grade scale is not valid", std::move(details));
  return scale;
}

std::vector<double> GradeScale::Scores() const {
  std::vector<double> scores;
  for (const auto& g : grades_) scores.push_back(g.score);
  return scores;
}

int GradeScale::BandOf(double score) const {
  for (int g = 0; g < size(); ++g) {
    // A score within 1e-9 below a band's minimum still counts as reaching it, so that a
    // weighted score that is mathematically 90 but computes as 89.99999999999999 stays 优秀.
    if (score >= grades_[static_cast<size_t>(g)].min - 1e-9) return g;
  }
  return size() - 1;
}

std::optional<int> GradeScale::Find(std::string_view name) const {
  for (int g = 0; g < size(); ++g) {
    if (grades_[static_cast<size_t>(g)].name == name) return g;
  }
  return std::nullopt;
}

Vector GradeScale::MembershipOfScore(double score) const {
  Vector m = Vector::Zero(size());
  if (score >= TopScore()) {
    m[0] = 1.0;
    return m;
  }
  if (score <= BottomScore()) {
    m[size() - 1] = 1.0;
    return m;
  }
  for (int g = 0; g + 1 < size(); ++g) {
    const double hi = grades_[static_cast<size_t>(g)].score;
    const double lo = grades_[static_cast<size_t>(g) + 1].score;
    if (score <= hi && score >= lo) {
      const double share = (score - lo) / (hi - lo);
      m[g] = share;
      m[g + 1] = 1.0 - share;
      return m;
    }
  }
  return m;  // unreachable: scores are strictly decreasing
}

std::string_view ScoringKindName(ScoringKind kind) {
  switch (kind) {
    case ScoringKind::kLinear:
      return "linear";
    case ScoringKind::kThreshold:
      return "threshold";
    case ScoringKind::kBanded:
      return "banded";
  }
  return "?";
}

Status CheckScoringRule(const ScoringRule& rule, const GradeScale& scale,
                        const std::string& field) {
  std::vector<ErrorDetail> details;
  switch (rule.kind) {
    case ScoringKind::kLinear:
      if (!std::isfinite(rule.floor)) {
        details.push_back(Detail(field + ".floor", Num(rule.floor), "not a finite number"));
      }
      if (!std::isfinite(rule.target)) {
        details.push_back(Detail(field + ".target", Num(rule.target), "not a finite number"));
      } else if (rule.target == rule.floor) {
        details.push_back(
            Detail(field + ".target", Num(rule.target), "the target must differ from the floor"));
      }
      break;
    case ScoringKind::kThreshold:
      if (!std::isfinite(rule.threshold)) {
        details.push_back(Detail(field + ".threshold", Num(rule.threshold), "not a finite number"));
      }
      break;
    case ScoringKind::kBanded:
      if (rule.bands.empty()) {
        details.push_back(Detail(field + ".bands", "", "a banded rule needs at least one band"));
      }
      for (size_t b = 0; b < rule.bands.size(); ++b) {
        const auto& band = rule.bands[b];
        const auto bf = fmt::format("{}.bands[{}]", field, b);
        if (band.grade < 0 || band.grade >= scale.size()) {
          details.push_back(Detail(bf + ".grade", Num(band.grade), "no such grade"));
        }
        if (band.min && band.max && *band.min > *band.max) {
          details.push_back(Detail(bf + ".min", Num(*band.min), "above the band's max"));
        }
      }
      break;
  }
  if (!details.empty()) return InvalidArgument("the scoring rule is not valid", std::move(details));
  return {};
}

Result<Vector> ScoreValue(const ScoringRule& rule, const GradeScale& scale, double value) {
  if (!std::isfinite(value)) return InvalidArgument("the value is not a finite number");
  Vector m = Vector::Zero(scale.size());
  switch (rule.kind) {
    case ScoringKind::kLinear: {
      const double t = std::clamp((value - rule.floor) / (rule.target - rule.floor), 0.0, 1.0);
      return scale.MembershipOfScore(scale.BottomScore() +
                                     t * (scale.TopScore() - scale.BottomScore()));
    }
    case ScoringKind::kThreshold: {
      const bool pass = rule.at_most ? value <= rule.threshold : value >= rule.threshold;
      m[pass ? 0 : scale.size() - 1] = 1.0;
      return m;
    }
    case ScoringKind::kBanded:
      for (const auto& band : rule.bands) {
        if ((!band.min || value >= *band.min) && (!band.max || value <= *band.max)) {
          m[band.grade] = 1.0;
          return m;
        }
      }
      return InvalidArgument(
          fmt::format("the value {} falls in none of the rule's bands", Num(value)));
  }
  return m;
}

}  // namespace fupin::evaluation
