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

}  // namespace

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
