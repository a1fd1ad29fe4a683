// JSON of the evaluation spec and results.
#include "evaluation/spec_json.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <string_view>

#include "base/version.h"

namespace fupin::evaluation {

std::optional<methods::AhpWeightMethod> WeightMethodNamed(std::string_view name) {
  for (auto m : {methods::AhpWeightMethod::kEigenvector, methods::AhpWeightMethod::kGeometricMean,
                 methods::AhpWeightMethod::kArithmeticMean}) {
    if (methods::AhpWeightMethodName(m) == name) return m;
  }
  return std::nullopt;
}

std::optional<methods::RandomIndexTable> RiTableNamed(std::string_view name) {
  for (auto t : {methods::RandomIndexTable::kSaaty1980, methods::RandomIndexTable::kSaaty2005,
                 methods::RandomIndexTable::kDoneganDodd}) {
    if (methods::RandomIndexTableName(t) == name) return t;
  }
  return std::nullopt;
}

std::optional<methods::GroupAggregation> AggregationNamed(std::string_view name) {
  for (auto a : {methods::GroupAggregation::kAij, methods::GroupAggregation::kAipGeometric,
                 methods::GroupAggregation::kAipArithmetic}) {
    if (methods::GroupAggregationName(a) == name) return a;
  }
  return std::nullopt;
}

std::optional<methods::FuzzyOperator> OperatorNamed(std::string_view name) {
  for (auto op : {methods::FuzzyOperator::kWeightedAverage, methods::FuzzyOperator::kMinMax,
                  methods::FuzzyOperator::kProductMax, methods::FuzzyOperator::kMinBoundedSum}) {
    if (methods::FuzzyOperatorName(op) == name) return op;
  }
  return std::nullopt;
}

namespace {

using Json = nlohmann::json;
using Out = nlohmann::ordered_json;

struct Parser {
  std::vector<ErrorDetail> details;
  std::vector<GradeInput> grades;

  void Fail(const std::string& path, const Json* value, std::string reason) {
    std::string shown;
    if (value != nullptr) {
      shown = value->is_string() ? value->get<std::string>() : value->dump();
      if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
    }
    details.push_back(ErrorDetail{0, path, std::move(shown), std::move(reason)});
  }

  std::optional<double> Number(const Json& j, const std::string& path) {
    if (j.is_number()) {
      const double v = j.get<double>();
      if (std::isfinite(v)) return v;
    }
    Fail(path, &j, "must be a number");
    return std::nullopt;
  }

  // A judgment: a number, a fraction string such as "1/3", or null (missing).
  std::optional<double> Judgment(const Json& j, const std::string& path) {
    if (j.is_null()) return methods::kNaN;
    if (j.is_number()) return j.get<double>();
    if (j.is_string()) {
      const std::string s = j.get<std::string>();
      const auto slash = s.find('/');
      auto parse = [](std::string_view t, double& out) {
        const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
        return ec == std::errc() && end == t.data() + t.size();
      };
      double num = 0.0;
      double den = 1.0;
      if (slash == std::string::npos
              ? parse(s, num)
              : parse(std::string_view(s).substr(0, slash), num) &&
                    parse(std::string_view(s).substr(slash + 1), den) && den != 0.0) {
        return num / den;
      }
    }
    Fail(path, &j, "a judgment is a number, a fraction such as \"1/3\", or null when missing");
    return std::nullopt;
  }

  std::vector<double> Numbers(const Json& j, const std::string& path) {
    std::vector<double> out;
    if (!j.is_array()) {
      Fail(path, &j, "must be an array of numbers");
      return out;
    }
    for (size_t i = 0; i < j.size(); ++i) {
      if (auto v = Number(j[i], fmt::format("{}[{}]", path, i))) out.push_back(*v);
    }
    return out;
  }

  std::optional<std::string> String(const Json& obj, const char* key, const std::string& path,
                                    bool required) {
    if (!obj.contains(key)) {
      if (required) Fail(path + "." + key, nullptr, "is required");
      return std::nullopt;
    }
    const Json& j = obj.at(key);
    if (!j.is_string() || j.get<std::string>().empty()) {
      Fail(path + "." + key, &j, "must be a non-empty string");
      return std::nullopt;
    }
    return j.get<std::string>();
  }

  // A square matrix of judgments (rows of numbers, "a/b" fractions or null).
  std::optional<Matrix> JudgmentMatrix(const Json& m, const std::string& mp) {
    if (!m.is_array() || m.empty()) {
      Fail(mp, &m, "a judgment matrix is a list of rows");
      return std::nullopt;
    }
    const auto n = static_cast<Eigen::Index>(m.size());
    Matrix a = Matrix::Constant(n, n, methods::kNaN);
    bool ok = true;
    for (Eigen::Index i = 0; i < n; ++i) {
      const Json& row = m[static_cast<size_t>(i)];
      const auto rp = fmt::format("{}[{}]", mp, i);
      if (!row.is_array() || static_cast<Eigen::Index>(row.size()) != n) {
        Fail(rp, &row, fmt::format("each row must hold {} judgments", n));
        ok = false;
        continue;
      }
      for (Eigen::Index c = 0; c < n; ++c) {
        auto v = Judgment(row[static_cast<size_t>(c)], fmt::format("{}[{}]", rp, c));
        if (!v) {
          ok = false;
        } else {
          a(i, c) = *v;
        }
      }
    }
    if (!ok) return std::nullopt;
    return a;
  }

  void Ahp(const Json& w, const std::string& path, WeightSpec& out) {
    out.kind = WeightSpec::Kind::kAhp;
    const Json& list = w.at("ahp");
    if (!list.is_array() || list.empty()) {
      Fail(path + ".ahp", &list, "must be a list of judgment matrices, one per expert");
      return;
    }
    for (size_t e = 0; e < list.size(); ++e) {
      if (auto m = JudgmentMatrix(list[e], fmt::format("{}.ahp[{}]", path, e))) {
        out.ahp.matrices.push_back(std::move(*m));
      }
    }
    auto& o = out.ahp.options;
    if (auto s = String(w, "aggregate", path, false)) {
      if (auto a = AggregationNamed(*s)) {
        o.aggregation = *a;
      } else {
        Fail(path + ".aggregate", &w.at("aggregate"), "one of aij, aip-geometric, aip-arithmetic");
      }
    }
    if (auto s = String(w, "weights_method", path, false)) {
      if (auto m = WeightMethodNamed(*s)) {
        o.ahp.weight_method = *m;
      } else {
        Fail(path + ".weights_method", &w.at("weights_method"),
             "one of eigen, geometric, arithmetic");
      }
    }
    if (auto s = String(w, "ri", path, false)) {
      if (auto t = RiTableNamed(*s)) {
        o.ahp.ri_table = *t;
      } else {
        Fail(path + ".ri", &w.at("ri"), "one of saaty1980, saaty2005, donegan-dodd");
      }
    }
    if (w.contains("max_cr") && !w.at("max_cr").is_null()) {
      if (auto v = Number(w.at("max_cr"), path + ".max_cr")) o.max_cr = *v;
    }
    if (w.contains("expert_weights") && !w.at("expert_weights").is_null()) {
      o.expert_weights = Numbers(w.at("expert_weights"), path + ".expert_weights");
      if (o.expert_weights.size() != list.size()) {
        Fail(
            path + ".expert_weights", &w.at("expert_weights"),
            fmt::format("{} matrices but {} expert weights", list.size(), o.expert_weights.size()));
      }
    }
  }

  std::optional<WeightSpec> Weights(const Json& node, const std::string& path) {
    if (!node.contains("weights") || node.at("weights").is_null()) return std::nullopt;
    const Json& w = node.at("weights");
    const auto wp = path + ".weights";
    WeightSpec out;
    if (w.is_object() && w.contains("values")) {
      out.values = Numbers(w.at("values"), wp + ".values");
    } else if (w.is_object() && w.contains("ahp")) {
      Ahp(w, wp, out);
    } else {
      Fail(wp, &w, "must be {\"values\": [...]} or {\"ahp\": [matrix, ...], ...}");
    }
    return out;
  }

  std::optional<ScoringRule> Scoring(const Json& s, const std::string& path) {
    ScoringRule rule;
    if (!s.is_object()) {
      Fail(path, &s, "must be an object with a \"rule\"");
      return std::nullopt;
    }
    const auto kind = String(s, "rule", path, true);
    if (!kind) return std::nullopt;
    auto num = [&](const char* key) -> std::optional<double> {
      if (!s.contains(key)) {
        Fail(path + "." + key, nullptr, fmt::format("is required by the {} rule", *kind));
        return std::nullopt;
      }
      return Number(s.at(key), path + "." + key);
    };
    if (*kind == "linear") {
      rule.kind = ScoringKind::kLinear;
      auto floor = num("floor");
      auto target = num("target");
      if (!floor || !target) return std::nullopt;
      rule.floor = *floor;
      rule.target = *target;
    } else if (*kind == "threshold") {
      rule.kind = ScoringKind::kThreshold;
      auto t = num("threshold");
      if (!t) return std::nullopt;
      rule.threshold = *t;
      if (auto pass = String(s, "pass", path, false)) {
        if (*pass == "at-most")
          rule.at_most = true;
        else if (*pass != "at-least")
          Fail(path + ".pass", &s.at("pass"), "at-least or at-most");
      }
    } else if (*kind == "banded") {
      rule.kind = ScoringKind::kBanded;
      const Json* bands = s.contains("bands") ? &s.at("bands") : nullptr;
      if (bands == nullptr || !bands->is_array()) {
        Fail(path + ".bands", bands, "must be a list of {\"grade\", \"min\", \"max\"}");
        return std::nullopt;
      }
      for (size_t b = 0; b < bands->size(); ++b) {
        const Json& band = (*bands)[b];
        const auto bp = fmt::format("{}.bands[{}]", path, b);
        if (!band.is_object()) {
          Fail(bp, &band, "must be an object");
          continue;
        }
        ScoreBand sb;
        sb.grade = -1;
        if (auto g = String(band, "grade", bp, true)) {
          bool found = false;
          for (size_t i = 0; i < grades.size(); ++i) {
            if (grades[i].name == *g) {
              sb.grade = static_cast<int>(i);
              found = true;
            }
          }
          if (!found) Fail(bp + ".grade", &band.at("grade"), "no grade of the scale has this name");
        }
        if (band.contains("min") && !band.at("min").is_null())
          sb.min = Number(band.at("min"), bp + ".min");
        if (band.contains("max") && !band.at("max").is_null())
          sb.max = Number(band.at("max"), bp + ".max");
        rule.bands.push_back(sb);
      }
    } else {
      Fail(path + ".rule", &s.at("rule"), "one of linear, threshold, banded");
      return std::nullopt;
    }
    return rule;
  }

  void Grades(const Json& gs, const std::string& path) {
    if (!gs.is_array()) {
      Fail(path, &gs, "must be a list of {\"name\", \"score\", \"min\"}, best grade first");
      return;
    }
    for (size_t g = 0; g < gs.size(); ++g) {
      const auto gp = fmt::format("{}[{}]", path, g);
      const Json& grade = gs[g];
      if (!grade.is_object()) {
        Fail(gp, &grade, "must be an object with name and score");
        continue;
      }
      GradeInput in;
      if (auto name = String(grade, "name", gp, true)) in.name = *name;
      if (!grade.contains("score")) {
        Fail(gp + ".score", nullptr, "is required");
      } else if (auto sc = Number(grade.at("score"), gp + ".score")) {
        in.score = *sc;
      }
      if (grade.contains("min") && !grade.at("min").is_null()) {
        in.min = Number(grade.at("min"), gp + ".min");
      }
      grades.push_back(std::move(in));
    }
  }

  NodeSpec Node(const Json& j, const std::string& path, int depth) {
    NodeSpec n;
    n.path = path;
    if (!j.is_object()) {
      Fail(path, &j, "a node must be an object with a \"name\"");
      return n;
    }
    if (depth > 32) {
      Fail(path, nullptr, "the tree is deeper than 32 levels");
      return n;
    }
    if (auto name = String(j, "name", path, true)) n.name = *name;
    n.weights = Weights(j, path);
    if (j.contains("children") && !j.at("children").is_null()) {
      const Json& c = j.at("children");
      if (!c.is_array()) {
        Fail(path + ".children", &c, "must be a list of nodes");
      } else {
        for (size_t i = 0; i < c.size(); ++i) {
          n.children.push_back(Node(c[i], fmt::format("{}.children[{}]", path, i), depth + 1));
        }
      }
    }
    const int given = static_cast<int>(j.contains("membership")) +
                      static_cast<int>(j.contains("responses")) +
                      static_cast<int>(j.contains("value"));
    if (given > 1) {
      Fail(path, nullptr, "give only one of membership, responses and value");
    } else if (given == 1) {
      LeafSpec leaf;
      if (j.contains("membership")) {
        leaf.kind = LeafSpec::Kind::kMembership;
        leaf.numbers = Numbers(j.at("membership"), path + ".membership");
      } else if (j.contains("responses")) {
        leaf.kind = LeafSpec::Kind::kResponses;
        leaf.numbers = Numbers(j.at("responses"), path + ".responses");
      } else {
        leaf.kind = LeafSpec::Kind::kValue;
        if (auto v = Number(j.at("value"), path + ".value")) leaf.value = *v;
        if (!j.contains("scoring")) {
          Fail(path + ".scoring", nullptr, "a value needs a scoring rule");
        } else if (auto rule = Scoring(j.at("scoring"), path + ".scoring")) {
          leaf.rule = std::move(*rule);
        }
      }
      n.leaf = std::move(leaf);
    }
    return n;
  }
};

Out Array(const Vector& v) {
  Out a = Out::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) a.push_back(v[i]);
  return a;
}

Out NumberOrNull(double v) { return std::isfinite(v) ? Out(v) : Out(nullptr); }

Out AhpJson(const methods::GroupAhpResult& g) {
  Out out;
  Out experts = Out::array();
  for (size_t e = 0; e < g.experts.size(); ++e) {
    const auto& r = g.experts[e];
    Out x;
    x["weights"] = Array(r.weights);
    x["lambda_max"] = r.lambda_max;
    x["cr"] = r.cr;
    x["consistent"] = r.consistent;
    x["excluded"] =
        std::find(g.excluded.begin(), g.excluded.end(), static_cast<int>(e)) != g.excluded.end();
    x["expert_weight"] = g.used_expert_weights[static_cast<Eigen::Index>(e)];
    Out completed = Out::array();
    for (const auto& c : r.completed) {
      completed.push_back({{"row", c.row + 1}, {"col", c.col + 1}, {"value", c.value}});
    }
    x["completed"] = completed;
    Out suggestions = Out::array();
    for (const auto& s : r.suggestions) {
      suggestions.push_back({{"row", s.row + 1},
                             {"col", s.col + 1},
                             {"current", s.current},
                             {"suggested", s.suggested},
                             {"cr_after", s.cr_after}});
    }
    x["suggestions"] = suggestions;
    experts.push_back(std::move(x));
  }
  out["experts"] = std::move(experts);
  if (g.aggregated) {
    out["aggregated"] = {{"lambda_max", g.aggregated->lambda_max},
                         {"cr", g.aggregated->cr},
                         {"consistent", g.aggregated->consistent}};
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Pieces shared with the indicator systems' JSON.

std::optional<ScoringRule> ParseScoringRule(const nlohmann::json& j,
                                            const std::vector<GradeInput>& grades,
                                            const std::string& path,
                                            std::vector<ErrorDetail>& details) {
  Parser p;
  p.grades = grades;
  auto rule = p.Scoring(j, path);
  for (auto& d : p.details) details.push_back(std::move(d));
  return rule;
}

std::vector<GradeInput> ParseGrades(const nlohmann::json& j, const std::string& path,
                                    std::vector<ErrorDetail>& details) {
  Parser p;
  p.Grades(j, path);
  for (auto& d : p.details) details.push_back(std::move(d));
  return std::move(p.grades);
}

nlohmann::ordered_json ScoringRuleJson(const ScoringRule& rule,
                                       const std::vector<GradeInput>& grades) {
  Out o;
  o["rule"] = std::string(ScoringKindName(rule.kind));
  switch (rule.kind) {
    case ScoringKind::kLinear:
      o["floor"] = rule.floor;
      o["target"] = rule.target;
      break;
    case ScoringKind::kThreshold:
      o["threshold"] = rule.threshold;
      o["pass"] = rule.at_most ? "at-most" : "at-least";
      break;
    case ScoringKind::kBanded: {
      Out bands = Out::array();
      for (const auto& b : rule.bands) {
        Out band;
        band["grade"] = b.grade >= 0 && b.grade < static_cast<int>(grades.size())
                            ? grades[static_cast<size_t>(b.grade)].name
                            : std::string();
        band["min"] = b.min ? Out(*b.min) : Out(nullptr);
        band["max"] = b.max ? Out(*b.max) : Out(nullptr);
        bands.push_back(std::move(band));
      }
      o["bands"] = std::move(bands);
      break;
    }
  }
  return o;
}

std::optional<Matrix> ParseJudgmentMatrix(const nlohmann::json& j, const std::string& path,
                                          std::vector<ErrorDetail>& details) {
  Parser p;
  auto m = p.JudgmentMatrix(j, path);
  for (auto& d : p.details) details.push_back(std::move(d));
  return m;
}

nlohmann::ordered_json JudgmentMatrixJson(const Matrix& m) {
  Out rows = Out::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    Out row = Out::array();
    for (Eigen::Index c = 0; c < m.cols(); ++c) row.push_back(NumberOrNull(m(i, c)));
    rows.push_back(std::move(row));
  }
  return rows;
}

nlohmann::ordered_json GradesJson(const std::vector<GradeInput>& grades) {
  Out a = Out::array();
  for (const auto& g : grades) {
    a.push_back(
        {{"name", g.name}, {"score", g.score}, {"min", g.min ? Out(*g.min) : Out(nullptr)}});
  }
  return a;
}

Result<Spec> ParseSpec(const nlohmann::json& doc) {
  Parser p;
  if (!doc.is_object()) {
    return InvalidArgument("the spec must be a JSON object with grades and root");
  }
  if (!doc.contains("grades")) {
    p.Fail("grades", nullptr, "must be a list of {\"name\", \"score\", \"min\"}, best grade first");
  } else {
    p.Grades(doc.at("grades"), "grades");
  }
  EvaluationOptions options;
  if (auto op = p.String(doc, "operator", "spec", false)) {
    if (auto named = OperatorNamed(*op)) {
      options.op = *named;
    } else {
      p.Fail("operator", &doc.at("operator"),
             "one of weighted-average, min-max, product-max, min-bounded-sum");
    }
  }
  if (!p.details.empty()) {
    // "spec.operator" from String's path: show it as "operator".
    for (auto& d : p.details) {
      if (d.column.starts_with("spec.")) d.column = d.column.substr(5);
    }
  }
  NodeSpec root;
  if (!doc.contains("root")) {
    p.Fail("root", nullptr, "is required: the top node of the indicator tree");
  } else {
    root = p.Node(doc.at("root"), "root", 0);
  }
  std::optional<GradeScale> scale;
  if (p.details.empty()) {
    auto s = GradeScale::Make(p.grades);
    if (!s) {
      for (const auto& d : s.error().details) p.details.push_back(d);
    } else {
      scale = std::move(*s);
    }
  }
  if (!p.details.empty())
    return InvalidArgument("the evaluation spec is not valid", std::move(p.details));
  return Spec{std::move(*scale), options, std::move(root)};
}

nlohmann::ordered_json ResultJson(const Spec& spec, const Prepared& prepared,
                                  const Outcome& outcome,
                                  const std::optional<SensitivityReport>& sensitivity) {
  const auto& scale = spec.scale;
  const Tree& tree = prepared.tree;
  const auto global = tree.GlobalWeights();
  auto grade_name = [&](int g) { return scale[g].name; };
  auto node_result = [&](int i) {
    const auto& n = outcome.nodes[static_cast<size_t>(i)];
    Out o;
    o["name"] = tree.node(i).name;
    o["b"] = Array(n.b_normalized);
    if ((n.b - n.b_normalized).cwiseAbs().maxCoeff() > 1e-12) o["b_raw"] = Array(n.b);
    o["score"] = n.score;
    o["grade"] = grade_name(n.grade);
    o["grade_by_max_membership"] = grade_name(n.grade_by_max_membership);
    o["grades_differ"] = n.grades_differ;
    o["max_membership_ambiguous"] = n.ambiguous;
    return o;
  };
  std::vector<const WeightRecord*> record_of(static_cast<size_t>(tree.size()), nullptr);
  for (const auto& r : prepared.weighting) record_of[static_cast<size_t>(r.node)] = &r;

  const ObjectSensitivity* sens =
      sensitivity && !sensitivity->objects.empty() ? &sensitivity->objects.front() : nullptr;
  auto sens_json = [&](int i) {
    const auto& ns = sens->nodes[static_cast<size_t>(i)];
    Out s;
    Out probs = Out::object();
    for (int g = 0; g < scale.size(); ++g)
      probs[scale[g].name] = ns.grade_probability[static_cast<size_t>(g)];
    s["grade_probability"] = std::move(probs);
    s["baseline_grade_probability"] = ns.baseline_grade_probability;
    s["score_mean"] = ns.score_mean;
    s["score_min"] = ns.score_min;
    s["score_max"] = ns.score_max;
    return s;
  };

  std::function<Out(int)> node_json = [&](int i) {
    Out o = node_result(i);
    o["path"] = prepared.paths[static_cast<size_t>(i)];
    o["weight"] = tree.node(i).weight;
    o["global_weight"] = global[static_cast<size_t>(i)];
    if (const WeightRecord* r = record_of[static_cast<size_t>(i)]) {
      Out w;
      w["method"] = r->kind == WeightSpec::Kind::kAhp ? "ahp" : "values";
      if (r->ahp) w.update(AhpJson(*r->ahp));
      o["weighting"] = std::move(w);
    }
    if (sens != nullptr && tree.node(i).leaf < 0) o["sensitivity"] = sens_json(i);
    if (!tree.node(i).children.empty()) {
      Out children = Out::array();
      for (int c : tree.node(i).children) children.push_back(node_json(c));
      o["children"] = std::move(children);
    }
    return o;
  };

  Out out;
  out["method"] = "fuzzy-comprehensive-evaluation";
  Out grades = Out::array();
  for (const auto& g : scale.grades()) {
    grades.push_back({{"name", g.name}, {"score", g.score}, {"min", NumberOrNull(g.min)}});
  }
  out["grades"] = std::move(grades);
  out["operator"] = std::string(methods::FuzzyOperatorName(spec.options.op));
  out["overall"] = node_result(0);
  out["root"] = node_json(0);
  Out weakest = Out::array();
  for (const auto& s : Weakest(tree, scale, outcome, 10)) {
    weakest.push_back({{"name", tree.node(s.node).name},
                       {"path", prepared.paths[static_cast<size_t>(s.node)]},
                       {"global_weight", s.global_weight},
                       {"score", s.score},
                       {"shortfall", s.shortfall}});
  }
  out["weakest"] = std::move(weakest);
  if (sens != nullptr) {
    Out s;
    s["draws"] = sensitivity->options.draws;
    s["spread"] = sensitivity->options.spread;
    s["seed"] = sensitivity->options.seed;
    s["overall"] = sens_json(0);
    s["overall"]["score_p05"] = sens->score_p05;
    s["overall"]["score_p95"] = sens->score_p95;
    out["sensitivity"] = std::move(s);
  }
  Out conventions;
  conventions["composition"] = fmt::format(
      "B = A o R with the {} operator at every inner node; a leaf's membership row enters its "
      "parent as given, an inner node's B normalized to sum 1",
      methods::FuzzyOperatorName(spec.options.op));
  conventions["score"] = "S = sum_j b_j * v_j over the normalized B and the grades' scores v";
  conventions["grade"] =
      "the grade whose score band holds S (bands [min_g, min_(g-1)), best grade first; an "
      "unset min is midway to the next grade's score, the last grade's is -infinity); the "
      "maximum-membership grade is reported beside it";
  conventions["weights"] =
      "given values normalized to sum 1 per node; AHP through the methods library (group "
      "aggregation, weight method and RI table as recorded per node, incomplete matrices "
      "completed by minimizing lambda_max)";
  conventions["responses"] = "membership = count per grade / total count";
  conventions["scoring"] =
      "linear: score interpolated from the bottom grade's score at floor to the top grade's at "
      "target, clamped, then spread over the two grades whose scores bracket it; threshold: "
      "wholly the top or the bottom grade; banded: wholly the first band's grade";
  conventions["weakest"] = "global weight x (top grade's score - the leaf's score), largest first";
  if (sens != nullptr) {
    conventions["sensitivity"] =
        "each local weight x an independent uniform factor in [1 - spread, 1 + spread], "
        "renormalized per node; SplitMix64 seeded with the seed, factors drawn in node order; "
        "percentiles by linear interpolation (type 7)";
  }
  out["conventions"] = std::move(conventions);
  out["fupin_version"] = kVersion;
  return out;
}

}  // namespace fupin::evaluation
