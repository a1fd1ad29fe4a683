// Grade scales (评语集) of comprehensive evaluation, and the scoring rules that turn a
// quantitative indicator's value into a membership vector over the grades.
//
// A scale lists its grades best first (优秀, 良好, 较好, 一般, 较差 …). Each grade has a
// representative score (used for the weighted score S = B·v) and the lower bound of its score
// band; the grade of a score is the first grade whose band minimum the score reaches, so bands
// are [min_g, min_{g−1}) and the last grade takes everything below. A band minimum left unset
// defaults to midway between the grade's score and the next (lower) grade's score; the last
// grade's minimum is −∞.
// Thread-safety: plain values and pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "methods/common.h"

namespace fupin::evaluation {

using methods::Matrix;
using methods::Vector;

struct GradeInput {
  std::string name;
  double score = 0.0;
  std::optional<double> min;  // lower bound of the score band; unset = default (see above)

  friend bool operator==(const GradeInput&, const GradeInput&) = default;
};

struct Grade {
  std::string name;
  double score = 0.0;
  double min = 0.0;  // −∞ for the last grade when not given
};

class GradeScale {
 public:
  // Errors (details name "grades[i].field"): fewer than two grades, an empty or repeated name,
  // scores not strictly decreasing, band minimums not strictly decreasing, a score below its
  // own band's minimum or reaching the band of the grade above.
  static Result<GradeScale> Make(const std::vector<GradeInput>& grades);

  int size() const { return static_cast<int>(grades_.size()); }
  const Grade& operator[](int g) const { return grades_[static_cast<size_t>(g)]; }
  const std::vector<Grade>& grades() const { return grades_; }
  std::vector<double> Scores() const;
  double TopScore() const { return grades_.front().score; }
  double BottomScore() const { return grades_.back().score; }

  // 0-based grade whose band holds the score.
  int BandOf(double score) const;
  // Index of a grade by name, or nullopt.
  std::optional<int> Find(std::string_view name) const;

  // Membership of a score spread over the two grades whose representative scores bracket it
  // (linear interpolation: a score of 85 between 良好 = 80 and 优秀 = 95 is 1/3 优秀 and 2/3
  // 良好); at or beyond the top or bottom score it is wholly that grade.
  Vector MembershipOfScore(double score) const;

 private:
  std::vector<Grade> grades_;
};

// Scoring rules for quantitative indicators (定量指标评分规则).
enum class ScoringKind {
  kLinear,     // score linear in the value between `floor` (bottom grade's score) and `target`
               // (top grade's score), clamped; floor > target means lower is better
  kThreshold,  // meets the threshold → wholly the top grade, else wholly the bottom grade
  kBanded,     // the first band that holds the value gives the grade, wholly
};
std::string_view ScoringKindName(ScoringKind kind);  // "linear", "threshold", "banded"

struct ScoreBand {
  int grade = 0;              // 0-based grade of the scale
  std::optional<double> min;  // value ≥ min (unset: no lower bound)
  std::optional<double> max;  // value ≤ max (unset: no upper bound)

  friend bool operator==(const ScoreBand&, const ScoreBand&) = default;
};

struct ScoringRule {
  ScoringKind kind = ScoringKind::kLinear;
  double floor = 0.0;      // linear
  double target = 1.0;     // linear
  double threshold = 0.0;  // threshold
  bool at_most = false;    // threshold: pass when value ≤ threshold (else value ≥ threshold)
  std::vector<ScoreBand> bands;  // banded

  friend bool operator==(const ScoringRule&, const ScoringRule&) = default;
};

// Validates the rule against the scale (floor ≠ target, bands naming existing grades, a band
// with min > max). Details name `field` + ".floor" etc.
Status CheckScoringRule(const ScoringRule& rule, const GradeScale& scale, const std::string& field);

// Membership vector of a value under the rule. kInvalidArgument when the value is not finite or
// (banded) no band holds it.
Result<Vector> ScoreValue(const ScoringRule& rule, const GradeScale& scale, double value);

}  // namespace fupin::evaluation
