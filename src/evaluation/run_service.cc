// Evaluation runs.
#include "evaluation/run_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>

#include "access/permissions.h"
#include "base/version.h"
#include "indicators/indicator.h"
#include "methods/weights.h"

namespace fupin::evaluation {

namespace {

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

// The leaves' global weights from the snapshot's local ones (nodes listed parents first).
std::vector<double> GlobalWeights(const RunSnapshot& snap) {
  std::vector<double> global(snap.nodes.size(), 1.0);
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < snap.nodes.size(); ++i) {
    index[snap.nodes[i].key] = i;
    if (i > 0) global[i] = global[index.at(snap.nodes[i].parent)] * snap.nodes[i].weight;
  }
  return global;
}

std::string Vec(const methods::Vector& v) {
  std::string out;
  for (Eigen::Index i = 0; i < v.size(); ++i) out += fmt::format("{}{:.6f}", i ? ", " : "", v[i]);
  return out;
}

// Objective weights over the objects × leaves matrix of leaf scores, combined with the
// subjective leaf weights and written back into the snapshot's local weights. Returns the
// convention's words.
Result<std::string> ApplyObjectiveWeights(const RunRequest& request, const GradeScale& scale,
                                          RunSnapshot& snap) {
  if (snap.objects.size() < 2) {
    return InvalidArgument(
        "objective weights need at least two objects",
        {ErrorDetail{0, "objective", std::string(ObjectiveWeightingName(request.objective)),
                     "evaluate two or more objects, or use none"}});
  }
  std::vector<size_t> leaves;
  std::vector<bool> inner(snap.nodes.size(), false);
  for (const auto& n : snap.nodes) {
    for (size_t i = 0; i < snap.nodes.size(); ++i) {
      if (snap.nodes[i].key == n.parent) inner[i] = true;
    }
  }
  for (size_t i = 1; i < snap.nodes.size(); ++i) {
    if (!inner[i]) leaves.push_back(i);
  }
  const auto scores = scale.Scores();
  methods::Matrix x(static_cast<Eigen::Index>(snap.objects.size()),
                    static_cast<Eigen::Index>(leaves.size()));
  for (size_t o = 0; o < snap.objects.size(); ++o) {
    for (size_t l = 0; l < leaves.size(); ++l) {
      double s = 0;
      const auto& m = snap.objects[o].leaves[l].membership;
      for (size_t g = 0; g < m.size() && g < scores.size(); ++g) s += m[g] * scores[g];
      x(static_cast<Eigen::Index>(o), static_cast<Eigen::Index>(l)) = s;
    }
  }
  methods::Vector objective;
  if (request.objective == ObjectiveWeighting::kEntropy) {
    auto e = methods::EntropyWeights(x);
    if (!e) {
      return InvalidArgument("entropy weights cannot be computed from these objects",
                             {ErrorDetail{0, "objective", "entropy", e.error().message}});
    }
    objective = e->weights;
  } else {
    auto c = methods::CriticWeights(x);
    if (!c) {
      return InvalidArgument("CRITIC weights cannot be computed from these objects",
                             {ErrorDetail{0, "objective", "critic", c.error().message}});
    }
    objective = c->weights;
  }
  const auto global = GlobalWeights(snap);
  std::vector<double> subjective, obj;
  for (size_t l = 0; l < leaves.size(); ++l) {
    subjective.push_back(global[leaves[l]]);
    obj.push_back(objective[static_cast<Eigen::Index>(l)]);
  }
  methods::Vector combined;
  if (request.combine == Combination::kObjectiveOnly) {
    combined = objective;
  } else {
    auto c = request.combine == Combination::kLinear
                 ? methods::CombineLinear(subjective, obj, request.alpha)
                 : methods::CombineMultiplicative(subjective, obj);
    if (!c) {
      return InvalidArgument(
          "the weights cannot be combined",
          {ErrorDetail{0, "combine", std::string(CombinationName(request.combine)),
                       c.error().message}});
    }
    combined = *c;
  }
  // Back to local weights: a node weighs the sum of its leaves' combined weights; a node whose
  // leaves all weigh 0 keeps its children's subjective local weights.
  std::vector<double> sum(snap.nodes.size(), 0.0);
  for (size_t l = 0; l < leaves.size(); ++l)
    sum[leaves[l]] = combined[static_cast<Eigen::Index>(l)];
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < snap.nodes.size(); ++i) index[snap.nodes[i].key] = i;
  for (size_t i = snap.nodes.size(); i-- > 1;) sum[index.at(snap.nodes[i].parent)] += sum[i];
  std::vector<std::string> kept;
  for (size_t i = 1; i < snap.nodes.size(); ++i) {
    const double parent = sum[index.at(snap.nodes[i].parent)];
    if (parent > 0) {
      snap.nodes[i].weight = sum[i] / parent;
    } else if (std::find(kept.begin(), kept.end(), snap.nodes[i].parent) == kept.end()) {
      kept.push_back(snap.nodes[i].parent);
    }
  }
  std::vector<std::string> keys;
  for (size_t l : leaves) keys.push_back(snap.nodes[l].key);
  snap.conventions["objective_weights"] = fmt::format(
      "{} weights over the objects x leaves matrix of leaf scores ({}) for leaves [{}]: "
      "objective [{}], subjective [{}], combined [{}]{}",
      request.objective == ObjectiveWeighting::kEntropy ? "entropy (min-max normalized, 0 ln 0 = 0)"
                                                        : "CRITIC (min-max normalized, sample sd, "
                                                          "Pearson correlation)",
      snap.objects.size(), Join(keys, ", "), Vec(objective),
      Vec(Eigen::Map<const methods::Vector>(subjective.data(),
                                            static_cast<Eigen::Index>(subjective.size()))),
      Vec(combined),
      kept.empty() ? std::string() : "; subjective local weights kept under " + Join(kept, ", "));
  return fmt::format(
      "{} objective weights combined {} with the subjective leaf weights; local weights "
      "re-derived from the combined leaf weights",
      ObjectiveWeightingName(request.objective),
      request.combine == Combination::kLinear
          ? fmt::format("linearly (subjective share {})", request.alpha)
          : std::string(CombinationName(request.combine)));
}

// The same period one year earlier ("2020" → "2019", "2020-06" → "2019-06", Feb 29 → Feb 28).
std::string YearBefore(const std::string& period) {
  std::string out = fmt::format("{:04d}", std::stoi(period.substr(0, 4)) - 1) + period.substr(4);
  if (out.size() == 10 && out.substr(5) == "02-29") out.replace(8, 2, "28");
  return out;
}

}  // namespace

Result<std::optional<DeaData>> RunService::DeaDataFor(const DeaSettings& settings,
                                                      const RunSnapshot& snap) {
  if (snap.objects.size() < 2) return std::optional<DeaData>();
  DeaData d;
  d.rts = settings.rts;
  d.orientation = settings.orientation;
  const auto& catalogue = indicators_.catalogue();
  auto column = [&](const DeaFactor& f) {
    DeaColumn c;
    c.factor = f;
    if (const auto* i = catalogue.Find(f.indicator)) {
      c.name = i->zh + (f.growth ? "增量" : "");
      c.name_en = i->en + (f.growth ? " growth" : "");
      c.unit = i->unit;
    } else {
      c.name = c.name_en = f.indicator;
    }
    return c;
  };
  for (const auto& f : settings.inputs) d.inputs.push_back(column(f));
  for (const auto& f : settings.outputs) d.outputs.push_back(column(f));
  std::vector<std::string> now_codes, before_codes;
  for (const auto* list : {&settings.inputs, &settings.outputs}) {
    for (const auto& f : *list) {
      if (std::find(now_codes.begin(), now_codes.end(), f.indicator) == now_codes.end())
        now_codes.push_back(f.indicator);
      if (f.growth &&
          std::find(before_codes.begin(), before_codes.end(), f.indicator) == before_codes.end())
        before_codes.push_back(f.indicator);
    }
  }
  auto period = indicators::ParseIndicatorPeriod(snap.period);
  if (!period) return std::unexpected(period.error());
  const std::string before_text = YearBefore(snap.period);
  auto before = indicators::ParseIndicatorPeriod(before_text);
  if (!before) return std::unexpected(before.error());
  std::vector<ErrorDetail> problems;
  auto values_of = [&](const std::string& code, const Period& p,
                       const std::vector<std::string>& codes)
      -> Result<std::map<std::string, std::optional<double>>> {
    std::map<std::string, std::optional<double>> out;
    if (codes.empty()) return out;
    indicators::ValueQuery q;
    q.region = code;
    q.period = p;
    q.codes = codes;
    auto report = indicators_.Values(q, {""});
    if (!report) return std::unexpected(report.error());
    for (const auto& v : report->values) out[v.indicator] = v.value;
    return out;
  };
  for (const auto& object : snap.objects) {
    auto now = values_of(object.code, *period, now_codes);
    if (!now) return std::unexpected(now.error());
    auto then = values_of(object.code, *before, before_codes);
    if (!then) return std::unexpected(then.error());
    std::vector<double> row;
    auto add = [&](const std::vector<DeaColumn>& cols, const char* side) {
      for (size_t c = 0; c < cols.size(); ++c) {
        const auto& f = cols[c].factor;
        const auto field = fmt::format("dea.{}[{}]", side, c);
        const auto v = (*now)[f.indicator];
        std::optional<double> w = f.growth ? (*then)[f.indicator] : std::optional<double>(0.0);
        if (!v || !w) {
          problems.push_back(
              ErrorDetail{0, field, object.code + "/" + f.indicator,
                          fmt::format("{} ({}) / {}: no value in {}", object.name, object.code,
                                      cols[c].name, !v ? snap.period : before_text)});
          row.push_back(0.0);
          continue;
        }
        row.push_back(f.growth ? *v - *w : *v);
      }
    };
    add(d.inputs, "inputs");
    add(d.outputs, "outputs");
    d.values.push_back(std::move(row));
  }
  if (!problems.empty()) {
    const size_t count = problems.size();
    return InvalidArgument(fmt::format("{} values of the fund-efficiency DEA are missing: enter or "
                                       "compute its indicators for the period",
                                       count),
                           std::move(problems));
  }
  // Negative data: inputs never; outputs only under VRS with input orientation, translated.
  const size_t m = d.inputs.size();
  const bool translatable =
      d.rts == methods::ReturnsToScale::kVrs && d.orientation == methods::Orientation::kInput;
  for (size_t c = 0; c < m + d.outputs.size(); ++c) {
    double low = 0;
    for (const auto& row : d.values) low = std::min(low, row[c]);
    if (low >= 0) continue;
    auto& col = c < m ? d.inputs[c] : d.outputs[c - m];
    if (c >= m && translatable) {
      // Shift so the lowest value becomes a tenth of the column's range above 0 (1 if flat).
      double high = low;
      for (const auto& row : d.values) high = std::max(high, row[c]);
      col.shift = -low + std::max((high - low) / 10, 1.0);
      continue;
    }
    for (size_t o = 0; o < d.values.size(); ++o) {
      if (d.values[o][c] >= 0) continue;
      problems.push_back(ErrorDetail{
          0, fmt::format("dea.{}[{}]", c < m ? "inputs" : "outputs", c < m ? c : c - m),
          fmt::format("{}/{}", snap.objects[o].code, col.factor.indicator),
          fmt::format("{} ({}) / {}: {:g} is negative; DEA {} must be ≥ 0{}", snap.objects[o].name,
                      snap.objects[o].code, col.name, d.values[o][c], c < m ? "inputs" : "outputs",
                      c < m ? ""
                            : " (negative outputs are translated only under VRS with input "
                              "orientation)")});
    }
  }
  // Every object needs a positive input and a positive output.
  for (size_t o = 0; o < d.values.size(); ++o) {
    bool in = false, out = false;
    for (size_t c = 0; c < m; ++c) in = in || d.values[o][c] + d.inputs[c].shift > 0;
    for (size_t c = 0; c < d.outputs.size(); ++c)
      out = out || d.values[o][m + c] + d.outputs[c].shift > 0;
    if (!in || !out) {
      problems.push_back(
          ErrorDetail{0, !in ? "dea.inputs" : "dea.outputs", snap.objects[o].code,
                      fmt::format("{} ({}): every {} is 0; DEA needs at least one positive {}",
                                  snap.objects[o].name, snap.objects[o].code,
                                  !in ? "input" : "output", !in ? "input" : "output")});
    }
  }
  if (!problems.empty()) {
    return InvalidArgument("the fund-efficiency DEA cannot use these values", std::move(problems));
  }
  return std::optional<DeaData>(std::move(d));
}

std::string_view ObjectiveWeightingName(ObjectiveWeighting w) {
  switch (w) {
    case ObjectiveWeighting::kNone:
      return "none";
    case ObjectiveWeighting::kEntropy:
      return "entropy";
    case ObjectiveWeighting::kCritic:
      return "critic";
  }
  return "none";
}

std::optional<ObjectiveWeighting> ObjectiveWeightingNamed(std::string_view name) {
  for (auto w :
       {ObjectiveWeighting::kNone, ObjectiveWeighting::kEntropy, ObjectiveWeighting::kCritic}) {
    if (ObjectiveWeightingName(w) == name) return w;
  }
  return std::nullopt;
}

std::string_view CombinationName(Combination c) {
  switch (c) {
    case Combination::kLinear:
      return "linear";
    case Combination::kMultiplicative:
      return "multiplicative";
    case Combination::kObjectiveOnly:
      return "objective";
  }
  return "linear";
}

std::optional<Combination> CombinationNamed(std::string_view name) {
  for (auto c : {Combination::kLinear, Combination::kMultiplicative, Combination::kObjectiveOnly}) {
    if (CombinationName(c) == name) return c;
  }
  return std::nullopt;
}

Result<Run> RunService::Create(const std::vector<std::string>& scope, const RunRequest& request,
                               const audit::Actor& actor) {
  std::vector<ErrorDetail> details;
  if (request.name.empty()) details.push_back(ErrorDetail{0, "name", "", "a run needs a name"});
  if (request.region_code.empty()) {
    details.push_back(ErrorDetail{0, "region", "", "is required"});
  } else if (!access::InAnySubtree(scope, request.region_code)) {
    return PermissionDenied(fmt::format(
        "region {} is outside the regions where you run evaluations", request.region_code));
  }
  if (request.objects.empty()) {
    details.push_back(ErrorDetail{0, "objects", "", "name at least one region to evaluate"});
  }
  std::set<std::string> seen_objects;
  for (size_t i = 0; i < request.objects.size(); ++i) {
    const auto& code = request.objects[i];
    if (!seen_objects.insert(code).second) {
      details.push_back(ErrorDetail{0, fmt::format("objects[{}]", i), code, "listed twice"});
    } else if (!access::InAnySubtree(scope, code)) {
      details.push_back(ErrorDetail{0, fmt::format("objects[{}]", i), code,
                                    "outside the regions where you run evaluations"});
    }
  }
  auto period = indicators::ParseIndicatorPeriod(request.period);
  if (!period) {
    details.push_back(ErrorDetail{0, "period", request.period,
                                  "a year (YYYY), a month (YYYY-MM) or a day (YYYY-MM-DD)"});
  }
  if (request.sensitivity.draws < 0 || request.sensitivity.draws > kMaxDraws) {
    details.push_back(ErrorDetail{0, "sensitivity.draws", std::to_string(request.sensitivity.draws),
                                  fmt::format("0 … {}", kMaxDraws)});
  }
  if (!(request.sensitivity.spread >= 0 && request.sensitivity.spread < 1)) {
    details.push_back(ErrorDetail{0, "sensitivity.spread",
                                  fmt::format("{}", request.sensitivity.spread), "in [0, 1)"});
  }
  if (!(request.alpha >= 0 && request.alpha <= 1)) {
    details.push_back(ErrorDetail{0, "alpha", fmt::format("{}", request.alpha),
                                  "the subjective share, in [0, 1]"});
  }
  if (!details.empty()) return InvalidArgument("the run is not valid", std::move(details));

  auto system = systems_.Get(scope, request.system_id);
  if (!system) return std::unexpected(system.error());
  const int version_number = request.version > 0 ? request.version : system->latest_version;
  if (version_number == 0) {
    return FailedPrecondition(fmt::format(
        "indicator system {} has no published version yet: publish it before running it",
        request.system_id));
  }
  // The system is seen (above): read the version itself.
  auto version = repository_.FindVersion(request.system_id, version_number);
  if (!version) return std::unexpected(version.error());
  if (!*version) {
    return NotFound(fmt::format("indicator system {} has no published version {} (latest: {})",
                                request.system_id, version_number, system->latest_version));
  }
  const SystemContent& content = (*version)->content;
  auto scale = GradeScale::Make(content.grades);
  if (!scale) return std::unexpected(scale.error());

  RunSnapshot snap;
  snap.grades = content.grades;
  snap.op = request.op;
  snap.ranking = request.ranking;
  snap.period = period->ToString();
  snap.sensitivity = request.sensitivity;

  // Weights: group AHP per node where judged (and asked for), else the defaults.
  std::map<std::string, std::vector<double>> local;  // node key → children's weights
  std::vector<std::string> weight_notes;
  WeightOptions wo;
  wo.group = request.group;
  // The version is loaded already: only its judgments are read.
  auto judgments = repository_.ListJudgments(request.system_id, version_number, "");
  if (!judgments) return std::unexpected(judgments.error());
  for (const auto& w : SystemService::WeightsOf(content, *judgments, wo)) {
    const bool ahp = request.use_judgments && w.source == "ahp";
    local[w.node_key] = ahp ? w.weights : w.default_weights;
    if (ahp) {
      weight_notes.push_back(fmt::format(
          "{}: AHP of {} experts ({} excluded), aggregated CR {:.4f}", w.node_key, w.experts,
          w.group->excluded.size(), w.group->aggregated ? w.group->aggregated->cr : 0.0));
    }
  }
  const auto children = ChildrenOf(content);
  std::vector<int> leaf_nodes;
  for (size_t i = 0; i < content.nodes.size(); ++i) {
    const auto& n = content.nodes[i];
    SnapshotNode sn;
    sn.key = n.key;
    sn.parent = n.parent;
    sn.name = n.name;
    sn.name_en = n.name_en;
    sn.source = n.source;
    sn.indicator = n.indicator;
    sn.scoring = n.scoring;
    snap.nodes.push_back(std::move(sn));
    if (children[i].empty() && i > 0) leaf_nodes.push_back(static_cast<int>(i));
  }
  for (size_t i = 0; i < content.nodes.size(); ++i) {
    const auto it = local.find(content.nodes[i].key);
    if (it == local.end()) continue;
    for (size_t c = 0; c < children[i].size(); ++c) {
      snap.nodes[static_cast<size_t>(children[i][c])].weight = it->second[c];
    }
  }

  // Inputs given for survey / expert leaves, by (object, leaf).
  std::map<std::pair<std::string, std::string>, const RunInput*> given;
  for (size_t i = 0; i < request.inputs.size(); ++i) {
    const auto& in = request.inputs[i];
    const auto field = fmt::format("inputs[{}]", i);
    const int node = FindNode(content, in.leaf);
    if (node < 0 || !children[static_cast<size_t>(node)].empty() || node == 0) {
      details.push_back(ErrorDetail{0, field + ".leaf", in.leaf, "not a leaf of the system"});
    }
    if (!seen_objects.contains(in.object)) {
      details.push_back(ErrorDetail{0, field + ".object", in.object, "not one of the objects"});
    }
    const auto& numbers = in.responses.empty() ? in.membership : in.responses;
    const char* what = in.responses.empty() ? ".membership" : ".responses";
    if (numbers.size() != static_cast<size_t>(scale->size())) {
      details.push_back(ErrorDetail{0, field + what, std::to_string(numbers.size()),
                                    fmt::format("one number per grade ({})", scale->size())});
    } else {
      double total = 0;
      for (double v : numbers) {
        if (!(v >= 0) || (!in.responses.empty() ? false : v > 1)) {
          details.push_back(
              ErrorDetail{0, field + what, fmt::format("{}", v),
                          in.responses.empty() ? "memberships are in [0, 1]" : "counts are ≥ 0"});
        }
        total += v;
      }
      if (!(total > 0)) {
        details.push_back(ErrorDetail{0, field + what, "0", "all zero"});
      }
    }
    if (!given.emplace(std::pair{in.object, in.leaf}, &in).second) {
      details.push_back(ErrorDetail{0, field, in.object + "/" + in.leaf, "given twice"});
    }
  }
  if (!details.empty())
    return InvalidArgument("the run's inputs are not valid", std::move(details));

  // Indicator values per object.
  std::vector<std::string> codes;
  for (int leaf : leaf_nodes) {
    const auto& n = content.nodes[static_cast<size_t>(leaf)];
    if (n.source == LeafSource::kIndicator &&
        std::find(codes.begin(), codes.end(), n.indicator) == codes.end()) {
      codes.push_back(n.indicator);
    }
  }
  std::vector<ErrorDetail> missing;  // value: "<object code>/<leaf key>"
  const bool survey_leaves = std::any_of(leaf_nodes.begin(), leaf_nodes.end(), [&](int leaf) {
    return content.nodes[static_cast<size_t>(leaf)].source == LeafSource::kSurvey;
  });
  std::map<int64_t, int> survey_responses;  // questionnaire → responses used
  for (const auto& code : request.objects) {
    RunObject object;
    SurveyCounts surveyed;
    if (survey_leaves) {
      auto counts =
          surveys_.CountsFor(request.system_id, snap.period, request.surveys, code, *scale);
      if (!counts) return std::unexpected(counts.error());
      surveyed = std::move(*counts);
    }
    bool surveys_used = false;
    object.code = code;
    std::map<std::string, std::optional<double>> values;
    indicators::ValueQuery q;
    q.region = code;
    q.period = *period;
    q.codes = codes.empty() ? std::vector<std::string>{"households"} : codes;
    auto report = indicators_.Values(q, {""});
    if (!report) {
      Error e = report.error();
      e.Prefix(fmt::format("object {}", code));
      return std::unexpected(std::move(e));
    }
    object.name = report->regions.empty() ? code : report->regions.front().name;
    for (const auto& v : report->values) values[v.indicator] = v.value;
    for (int leaf : leaf_nodes) {
      const auto& n = content.nodes[static_cast<size_t>(leaf)];
      LeafInput in;
      auto g = given.find({code, n.key});
      if (g != given.end()) {
        if (!g->second->responses.empty()) {
          double total = 0;
          for (double v : g->second->responses) total += v;
          in.responses = g->second->responses;
          for (double v : in.responses) in.membership.push_back(v / total);
          in.origin = "responses";
        } else {
          in.membership = g->second->membership;
          in.origin = "membership";
        }
      } else if (n.source == LeafSource::kIndicator) {
        const auto value = values[n.indicator];
        if (!value) {
          missing.push_back(
              ErrorDetail{0, "leaves", code + "/" + n.key,
                          fmt::format("{} ({}) / {} ({}): no value in {}", object.name, code,
                                      n.name, n.indicator, snap.period)});
          object.leaves.push_back(std::move(in));
          continue;
        }
        auto m = ScoreValue(*n.scoring, *scale, *value);
        if (!m) {
          missing.push_back(ErrorDetail{0, "leaves", code + "/" + n.key,
                                        fmt::format("{} ({}) / {} ({}): {}", object.name, code,
                                                    n.name, n.indicator, m.error().message)});
          object.leaves.push_back(std::move(in));
          continue;
        }
        in.value = *value;
        in.membership.assign(m->data(), m->data() + m->size());
        in.origin = "indicator";
      } else if (const auto s = surveyed.leaves.find(n.key);
                 n.source == LeafSource::kSurvey && s != surveyed.leaves.end() &&
                 std::accumulate(s->second.begin(), s->second.end(), 0.0) > 0) {
        const double total = std::accumulate(s->second.begin(), s->second.end(), 0.0);
        in.responses = s->second;
        for (double v : in.responses) in.membership.push_back(v / total);
        in.origin = "survey";
        surveys_used = true;
      } else {
        missing.push_back(
            ErrorDetail{0, "leaves", code + "/" + n.key,
                        fmt::format("{} ({}) / {}: a {} leaf needs {}counts per grade in inputs",
                                    object.name, code, n.name, LeafSourceName(n.source),
                                    n.source == LeafSource::kSurvey
                                        ? fmt::format("survey responses about {} or ", snap.period)
                                        : std::string())});
      }
      object.leaves.push_back(std::move(in));
    }
    if (surveys_used) {
      for (const auto& [id, n] : surveyed.responses) survey_responses[id] += n;
    }
    snap.objects.push_back(std::move(object));
  }
  if (!missing.empty()) {
    const size_t count = missing.size();
    return InvalidArgument(
        fmt::format("{} leaf values are missing: give survey and expert counts in inputs, and "
                    "enter or compute the indicators for the period",
                    count),
        std::move(missing));
  }

  if (request.objective != ObjectiveWeighting::kNone) {
    auto note = ApplyObjectiveWeights(request, *scale, snap);
    if (!note) return std::unexpected(note.error());
    snap.conventions["weights_combined"] = *note;
  }

  if (content.dea) {
    auto dea = DeaDataFor(*content.dea, snap);
    if (!dea) return std::unexpected(dea.error());
    snap.dea = std::move(*dea);
    std::vector<std::string> in, out, shifted;
    if (snap.dea) {
      for (const auto& c : snap.dea->inputs) in.push_back(c.name_en);
      for (const auto& c : snap.dea->outputs) {
        out.push_back(c.name_en);
        if (c.shift != 0) shifted.push_back(fmt::format("{} +{:g}", c.name_en, c.shift));
      }
      const size_t n = snap.objects.size();
      const size_t factors = in.size() + out.size();
      const size_t advised = std::max(in.size() * out.size(), 3 * factors);
      snap.conventions["dea"] = fmt::format(
          "fund-efficiency DEA: envelopment model, {} returns to scale, {} orientation, "
          "second-stage max-slack, scale efficiency TE_crs / TE_vrs; inputs [{}], outputs [{}]; "
          "growth = value in {} minus value in {}; each column divided by its mean before "
          "solving (COIN-OR Clp){}{}",
          methods::ReturnsToScaleName(snap.dea->rts) == "vrs"   ? "variable (BCC)"
          : methods::ReturnsToScaleName(snap.dea->rts) == "crs" ? "constant (CCR)"
                                                                : "non-increasing",
          methods::OrientationName(snap.dea->orientation), Join(in, ", "), Join(out, ", "),
          snap.period, YearBefore(snap.period),
          shifted.empty() ? std::string()
                          : fmt::format("; outputs translated (scores unchanged under VRS input "
                                        "orientation): {}",
                                        Join(shifted, ", ")),
          n < advised ? fmt::format("; caution: {} objects for {} inputs and outputs (advised at "
                                    "least max(m x s, 3(m + s)) = {}), so many may be efficient",
                                    n, factors, advised)
                      : std::string());
    } else {
      snap.conventions["dea"] =
          "the system asks for fund-efficiency DEA, but it compares two or more objects: not "
          "solved for one";
    }
  }

  // The questionnaires used, with their quality warnings over the responses used.
  for (const auto& entry : survey_responses) {
    const int64_t id = entry.first;
    auto q = repository_.FindQuestionnaire(id);
    if (!q) return std::unexpected(q.error());
    if (!*q) continue;
    auto qv = repository_.FindVersion((*q)->system_id, (*q)->system_version);
    if (!qv) return std::unexpected(qv.error());
    auto rs = repository_.ListResponses(id, request.objects);
    if (!rs) return std::unexpected(rs.error());
    std::vector<const Response*> used;
    for (const auto& r : *rs) used.push_back(&r);
    SurveyUse use;
    use.id = id;
    use.name = (*q)->name;
    // Distinct responses: objects that overlap (a county and one of its villages) share theirs.
    use.responses = static_cast<int>(rs->size());
    if (*qv) {
      for (const auto& w : CheckQuality(**q, (**qv).content, used).warnings) {
        use.warnings.push_back(w.text);
        use.warnings_en.push_back(w.text_en);
      }
    }
    snap.surveys.push_back(std::move(use));
  }
  if (!snap.surveys.empty()) {
    std::vector<std::string> names;
    for (const auto& u : snap.surveys) {
      names.push_back(fmt::format("questionnaire {} ({} responses)", u.id, u.responses));
    }
    snap.conventions["surveys"] = fmt::format(
        "survey leaves without inputs: one count per answer to the questions mapped to the leaf "
        "(the grade of the level or option chosen; numbers by the question's scoring rule), "
        "over respondents in the object's region subtree, from {}",
        Join(names, ", "));
  }
  snap.conventions["system"] =
      fmt::format("indicator system {} version {}", request.system_id, version_number);
  snap.conventions["weights"] =
      weight_notes.empty()
          ? std::string("the system's default weights at every node")
          : fmt::format(
                "group AHP ({}, {} weights, RI {}{}) at {}; the system's default weights "
                "elsewhere",
                methods::GroupAggregationName(request.group.aggregation),
                methods::AhpWeightMethodName(request.group.ahp.weight_method),
                methods::RandomIndexTableName(request.group.ahp.ri_table),
                request.group.max_cr
                    ? fmt::format(", experts with CR > {} excluded", *request.group.max_cr)
                    : std::string(),
                Join(weight_notes, "; "));
  snap.conventions["period"] = fmt::format(
      "indicator values of period {} (stocks on its last day, annual figures of the last "
      "complete year)",
      snap.period);
  snap.conventions["composition"] =
      fmt::format("B = A o R with the {} operator at every inner node; inner B normalized to sum 1",
                  methods::FuzzyOperatorName(request.op));
  snap.conventions["score"] = "S = sum_j b_j * v_j; the grade is the band S falls in";
  snap.conventions["ranking"] =
      request.ranking == Ranking::kScore
          ? std::string("objects ranked by their overall score S (competition ranks)")
          : fmt::format(
                "objects ranked by {} over the objects x leaves matrix of leaf scores "
                "with the leaves' global weights (all benefit criteria{})",
                request.ranking == Ranking::kTopsis ? "TOPSIS closeness" : "grey relational grade",
                request.ranking == Ranking::kTopsis ? "; vector normalization"
                                                    : "; min-max preprocessing, rho 0.5");
  snap.conventions["scoring"] =
      "indicator values scored by each leaf's rule (linear / threshold / banded)";
  snap.conventions["responses"] = "counts per grade / total count";
  snap.conventions["sensitivity"] = fmt::format(
      "{} draws, each local weight x U[1 - {}, 1 + {}], renormalized; SplitMix64 seed {}",
      request.sensitivity.draws, request.sensitivity.spread, request.sensitivity.spread,
      request.sensitivity.seed);

  auto results = Compute(snap);
  if (!results) return std::unexpected(results.error());
  Run run;
  run.system_id = request.system_id;
  run.system_version = version_number;
  run.name = request.name;
  run.region_code = request.region_code;
  run.snapshot = std::move(snap);
  run.results = std::move(*results);
  run.findings = GenerateFindings(run.snapshot, run.results);
  run.fupin_version = kVersion;
  return repository_.CreateRun(run, actor);
}

Result<std::vector<Run>> RunService::List(const std::vector<std::string>& scope,
                                          int64_t system_id) {
  return repository_.ListRuns(scope, system_id);
}

Result<Run> RunService::Get(const std::vector<std::string>& scope, int64_t id) {
  auto found = repository_.FindRun(id);
  if (!found) return std::unexpected(found.error());
  if (!*found || !SeenFrom(scope, (*found)->region_code)) {
    return NotFound(fmt::format("no evaluation run with id {}", id));
  }
  return std::move(**found);
}

Result<Reproduction> RunService::Reproduce(const std::vector<std::string>& scope, int64_t id) {
  auto run = Get(scope, id);
  if (!run) return std::unexpected(run.error());
  auto again = Compute(run->snapshot);
  if (!again) return std::unexpected(again.error());
  Reproduction r;
  r.same = SameResults(run->results, *again);
  r.recomputed = std::move(*again);
  return r;
}

Result<RunComparison> RunService::Compare(const std::vector<std::string>& scope, int64_t a,
                                          int64_t b) {
  auto ra = Get(scope, a);
  if (!ra) return std::unexpected(ra.error());
  auto rb = Get(scope, b);
  if (!rb) return std::unexpected(rb.error());
  return CompareRuns(*ra, *rb);
}

Result<Run> RunService::Editable(const std::vector<std::string>& scope, int64_t id,
                                 int64_t version) {
  auto run = Get(scope, id);
  if (!run) return std::unexpected(run.error());
  if (!access::InAnySubtree(scope, run->region_code)) {
    return PermissionDenied(
        fmt::format("run {} belongs to region {}, above your regions", id, run->region_code));
  }
  if (run->status == RunStatus::kPublished) {
    return FailedPrecondition(fmt::format("run {} is published and final", id));
  }
  if (run->version != version) {
    return Conflict(fmt::format("run {} was changed by someone else: you edited version {}, the "
                                "current version is {}",
                                id, version, run->version),
                    run->version);
  }
  return run;
}

Result<Run> RunService::SaveFindings(const std::vector<std::string>& scope, int64_t id,
                                     int64_t version, std::vector<Finding> findings,
                                     const audit::Actor& actor) {
  auto run = Editable(scope, id, version);
  if (!run) return std::unexpected(run.error());
  run->findings = std::move(findings);
  return repository_.UpdateRun(*run, "findings", actor);
}

Result<Run> RunService::Publish(const std::vector<std::string>& scope, int64_t id, int64_t version,
                                const audit::Actor& actor) {
  auto run = Editable(scope, id, version);
  if (!run) return std::unexpected(run.error());
  run->status = RunStatus::kPublished;
  run->published_by = actor.name;
  return repository_.UpdateRun(*run, "publish", actor);
}

}  // namespace fupin::evaluation
