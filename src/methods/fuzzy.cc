// Fuzzy comprehensive evaluation: composition operators, multi-level trees, responses.
#include "methods/fuzzy.h"

#include <fmt/format.h>

#include <algorithm>

namespace fupin::methods {

std::string_view FuzzyOperatorName(FuzzyOperator op) {
  switch (op) {
    case FuzzyOperator::kWeightedAverage:
      return "weighted-average";
    case FuzzyOperator::kMinMax:
      return "min-max";
    case FuzzyOperator::kProductMax:
      return "product-max";
    case FuzzyOperator::kMinBoundedSum:
      return "min-bounded-sum";
  }
  return "?";
}

namespace {

FuzzyResult Finish(Vector b, const FuzzyOptions& options) {
  FuzzyResult result;
  result.b = std::move(b);
  const double total = result.b.sum();
  result.b_normalized = total > 0.0 ? Vector(result.b / total)
                                    : Vector::Constant(result.b.size(), 1.0 / result.b.size());
  Eigen::Index best = 0;
  result.b_normalized.maxCoeff(&best);
  result.grade_index = static_cast<int>(best);
  for (Eigen::Index g = 0; g < result.b_normalized.size(); ++g) {
    if (g != best &&
        result.b_normalized[best] - result.b_normalized[g] <= options.tie_tolerance + 1e-12) {
      result.ambiguous = true;
    }
  }
  if (!options.grade_scores.empty()) {
    double score = 0.0;
    for (Eigen::Index g = 0; g < result.b_normalized.size(); ++g) {
      score += result.b_normalized[g] * options.grade_scores[static_cast<size_t>(g)];
    }
    result.score = score;
  }
  return result;
}

Status CheckOptions(const FuzzyOptions& options, Eigen::Index grades) {
  if (!options.grade_scores.empty() &&
      static_cast<Eigen::Index>(options.grade_scores.size()) != grades) {
    return InvalidArgument(fmt::format("{} grade scores are given but there are {} grades",
                                       options.grade_scores.size(), grades));
  }
  if (!(options.tie_tolerance >= 0.0)) return InvalidArgument("the tie tolerance must be ≥ 0");
  return {};
}

}  // namespace

Result<FuzzyResult> FuzzyEvaluate(const Vector& weights, const Matrix& membership,
                                  const FuzzyOptions& options) {
  const auto n = membership.rows();
  const auto grades = membership.cols();
  if (n < 1 || grades < 1) return InvalidArgument("the membership matrix is empty");
  if (weights.size() != n) {
    return InvalidArgument(fmt::format("{} weights are given for {} criteria", weights.size(), n));
  }
  FUPIN_TRY(CheckOptions(options, grades));
  std::vector<ErrorDetail> details;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!std::isfinite(weights[i]) || weights[i] < 0.0) {
      details.push_back(CellDetail(i, -1, weights[i], "a weight must be a non-negative number"));
    }
    for (Eigen::Index g = 0; g < grades; ++g) {
      const double r = membership(i, g);
      if (!std::isfinite(r) || r < 0.0 || r > 1.0 + 1e-12) {
        details.push_back(CellDetail(i, g, r, "a membership degree must be in [0, 1]"));
      }
    }
  }
  if (!details.empty())
    return InvalidArgument("invalid fuzzy evaluation input", std::move(details));
  Vector b(grades);
  for (Eigen::Index g = 0; g < grades; ++g) {
    double acc = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
      const double a = weights[i];
      const double r = membership(i, g);
      switch (options.op) {
        case FuzzyOperator::kWeightedAverage:
          acc += a * r;
          break;
        case FuzzyOperator::kMinMax:
          acc = std::max(acc, std::min(a, r));
          break;
        case FuzzyOperator::kProductMax:
          acc = std::max(acc, a * r);
          break;
        case FuzzyOperator::kMinBoundedSum:
          acc += std::min(a, r);
          break;
      }
    }
    if (options.op == FuzzyOperator::kWeightedAverage ||
        options.op == FuzzyOperator::kMinBoundedSum) {
      acc = std::min(1.0, acc);
    }
    b[g] = acc;
  }
  return Finish(std::move(b), options);
}

Result<FuzzyNodeResult> FuzzyEvaluateTree(const FuzzyNode& root, const FuzzyOptions& options) {
  FuzzyNodeResult out;
  out.name = root.name;
  if (root.children.empty()) {
    if (root.membership.size() < 1) {
      return InvalidArgument(
          fmt::format("criterion '{}' has neither sub-criteria nor a "
                      "membership row",
                      root.name));
    }
    FUPIN_TRY(CheckOptions(options, root.membership.size()));
    out.result = Finish(root.membership, options);
    return out;
  }
  Matrix r;
  Vector w(static_cast<Eigen::Index>(root.children.size()));
  for (size_t c = 0; c < root.children.size(); ++c) {
    auto child = FuzzyEvaluateTree(root.children[c], options);
    if (!child) return child;
    const Vector& row = root.children[c].children.empty() ? root.children[c].membership
                                                          : child->result.b_normalized;
    if (c == 0) r.resize(w.size(), row.size());
    if (row.size() != r.cols()) {
      return InvalidArgument(fmt::format("criterion '{}' has {} grades, its siblings {}",
                                         root.children[c].name, row.size(), r.cols()));
    }
    r.row(static_cast<Eigen::Index>(c)) = row.transpose();
    w[static_cast<Eigen::Index>(c)] = root.children[c].weight;
    out.children.push_back(std::move(*child));
  }
  auto result = FuzzyEvaluate(w, r, options);
  if (!result) {
    Error error = result.error();
    error.Prefix(fmt::format("criterion '{}'", root.name));
    return std::unexpected(std::move(error));
  }
  out.result = std::move(*result);
  return out;
}

Result<Matrix> MembershipFromResponses(std::span<const int8_t> codes, int64_t respondents,
                                       int questions, int grades) {
  if (questions < 1 || grades < 1 || grades > 127) {
    return InvalidArgument("need at least one question and 1..127 grades");
  }
  if (static_cast<int64_t>(codes.size()) != respondents * questions) {
    return InvalidArgument("the response array does not hold respondents × questions codes");
  }
  // counts[q * (grades + 1) + g + 1]: slot 0 counts non-answers.
  const int stride = grades + 1;
  std::vector<int64_t> counts(static_cast<size_t>(questions) * static_cast<size_t>(stride), 0);
  const int8_t* p = codes.data();
  int8_t bad_code = 0;
  int64_t bad_at = -1;
  for (int64_t r = 0; r < respondents; ++r) {
    int64_t* row_counts = counts.data();
    for (int q = 0; q < questions; ++q, ++p, row_counts += stride) {
      const int8_t code = *p;
      if (code < -1 || code >= grades) {
        if (bad_at < 0) {
          bad_at = r * questions + q;
          bad_code = code;
        }
        continue;
      }
      ++row_counts[code + 1];
    }
  }
  if (bad_at >= 0) {
    const auto row = bad_at / questions;
    const auto col = bad_at % questions;
    return InvalidArgument(
        "a response is not a grade",
        {CellDetail(row, col, bad_code,
                    fmt::format("grade code must be 0..{} (or −1 for no answer)", grades - 1))});
  }
  Matrix r(questions, grades);
  for (int q = 0; q < questions; ++q) {
    const int64_t* c = counts.data() + static_cast<size_t>(q) * static_cast<size_t>(stride);
    int64_t answered = 0;
    for (int g = 0; g < grades; ++g) answered += c[g + 1];
    if (answered == 0) {
      return InvalidArgument("a question has no answers", {ColumnDetail(q, "nobody answered")});
    }
    for (int g = 0; g < grades; ++g) {
      r(q, g) = static_cast<double>(c[g + 1]) / static_cast<double>(answered);
    }
  }
  return r;
}

}  // namespace fupin::methods
