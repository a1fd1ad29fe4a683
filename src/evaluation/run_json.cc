// JSON of evaluation runs.
#include "evaluation/run_json.h"

#include <fmt/format.h>

#include "evaluation/spec_json.h"

namespace fupin::evaluation {

namespace {

using Json = nlohmann::json;
using Out = nlohmann::ordered_json;

Out Vec(const Vector& v) {
  Out a = Out::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) a.push_back(v[i]);
  return a;
}

Vector VecOf(const Json& j) {
  Vector v(static_cast<Eigen::Index>(j.size()));
  for (size_t i = 0; i < j.size(); ++i) v[static_cast<Eigen::Index>(i)] = j[i].get<double>();
  return v;
}

Out DeaColumnsJson(const std::vector<DeaColumn>& list) {
  Out a = Out::array();
  for (const auto& c : list) {
    a.push_back({{"indicator", c.factor.indicator},
                 {"growth", c.factor.growth},
                 {"name", c.name},
                 {"name_en", c.name_en},
                 {"unit", c.unit},
                 {"shift", c.shift}});
  }
  return a;
}

std::string_view OpName(methods::FuzzyOperator op) { return methods::FuzzyOperatorName(op); }

// Stored JSON is written by this file: a shape error is corruption, reported as kInternal.
template <typename F>
auto Guard(const char* what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Json::exception& e) {
    return Internal(fmt::format("stored {} unreadable: {}", what, e.what()));
  }
}

}  // namespace

Out SnapshotJson(const RunSnapshot& s) {
  Out o;
  o["grades"] = GradesJson(s.grades);
  o["operator"] = std::string(OpName(s.op));
  o["ranking"] = std::string(RankingName(s.ranking));
  Out nodes = Out::array();
  for (const auto& n : s.nodes) {
    nodes.push_back(
        {{"key", n.key},
         {"parent", n.parent},
         {"name", n.name},
         {"name_en", n.name_en},
         {"weight", n.weight},
         {"source", std::string(LeafSourceName(n.source))},
         {"indicator", n.indicator},
         {"scoring", n.scoring ? ScoringRuleJson(*n.scoring, s.grades) : Out(nullptr)}});
  }
  o["nodes"] = std::move(nodes);
  Out objects = Out::array();
  for (const auto& obj : s.objects) {
    Out leaves = Out::array();
    for (const auto& l : obj.leaves) {
      leaves.push_back({{"membership", l.membership},
                        {"value", l.value ? Out(*l.value) : Out(nullptr)},
                        {"responses", l.responses},
                        {"origin", l.origin}});
    }
    objects.push_back({{"code", obj.code}, {"name", obj.name}, {"leaves", std::move(leaves)}});
  }
  o["objects"] = std::move(objects);
  o["period"] = s.period;
  o["sensitivity"] = {{"draws", s.sensitivity.draws},
                      {"spread", s.sensitivity.spread},
                      {"seed", s.sensitivity.seed}};
  Out conventions = Out::object();
  for (const auto& [k, v] : s.conventions) conventions[k] = v;
  o["conventions"] = std::move(conventions);
  Out surveys = Out::array();
  for (const auto& u : s.surveys) {
    Out warnings = Out::array();
    for (size_t i = 0; i < u.warnings.size(); ++i) {
      warnings.push_back(Out{{"text", u.warnings[i]},
                             {"text_en", i < u.warnings_en.size() ? u.warnings_en[i] : ""}});
    }
    surveys.push_back(Out{{"id", u.id},
                          {"name", u.name},
                          {"responses", u.responses},
                          {"warnings", std::move(warnings)}});
  }
  o["surveys"] = std::move(surveys);
  if (s.dea) {
    o["dea"] = {{"rts", std::string(methods::ReturnsToScaleName(s.dea->rts))},
                {"orientation", std::string(methods::OrientationName(s.dea->orientation))},
                {"inputs", DeaColumnsJson(s.dea->inputs)},
                {"outputs", DeaColumnsJson(s.dea->outputs)},
                {"values", s.dea->values}};
  } else {
    o["dea"] = nullptr;
  }
  return o;
}

Result<RunSnapshot> ParseSnapshot(const Json& j) {
  return Guard("snapshot", [&]() -> Result<RunSnapshot> {
    RunSnapshot s;
    std::vector<ErrorDetail> details;
    s.grades = ParseGrades(j.at("grades"), "grades", details);
    auto op = OperatorNamed(j.at("operator").get<std::string>());
    if (!op) return Internal("stored snapshot: unknown operator");
    s.op = *op;
    auto ranking = RankingNamed(j.value("ranking", "score"));
    if (!ranking) return Internal("stored snapshot: unknown ranking");
    s.ranking = *ranking;
    for (const auto& n : j.at("nodes")) {
      SnapshotNode node;
      node.key = n.at("key").get<std::string>();
      node.parent = n.at("parent").get<std::string>();
      node.name = n.at("name").get<std::string>();
      node.name_en = n.at("name_en").get<std::string>();
      node.weight = n.at("weight").get<double>();
      auto source = ParseLeafSource(n.at("source").get<std::string>());
      if (!source) return std::unexpected(source.error());
      node.source = *source;
      node.indicator = n.at("indicator").get<std::string>();
      if (!n.at("scoring").is_null()) {
        node.scoring = ParseScoringRule(n.at("scoring"), s.grades, "scoring", details);
      }
      s.nodes.push_back(std::move(node));
    }
    for (const auto& obj : j.at("objects")) {
      RunObject o;
      o.code = obj.at("code").get<std::string>();
      o.name = obj.at("name").get<std::string>();
      for (const auto& l : obj.at("leaves")) {
        LeafInput in;
        in.membership = l.at("membership").get<std::vector<double>>();
        if (!l.at("value").is_null()) in.value = l.at("value").get<double>();
        in.responses = l.at("responses").get<std::vector<double>>();
        in.origin = l.at("origin").get<std::string>();
        o.leaves.push_back(std::move(in));
      }
      s.objects.push_back(std::move(o));
    }
    s.period = j.at("period").get<std::string>();
    s.sensitivity.draws = j.at("sensitivity").at("draws").get<int>();
    s.sensitivity.spread = j.at("sensitivity").at("spread").get<double>();
    s.sensitivity.seed = j.at("sensitivity").at("seed").get<uint64_t>();
    for (const auto& [k, v] : j.at("conventions").items()) s.conventions[k] = v.get<std::string>();
    // Runs stored before surveys existed have no "surveys".
    if (j.contains("surveys")) {
      for (const auto& u : j.at("surveys")) {
        SurveyUse use;
        use.id = u.at("id").get<int64_t>();
        use.name = u.at("name").get<std::string>();
        use.responses = u.at("responses").get<int>();
        for (const auto& w : u.at("warnings")) {
          use.warnings.push_back(w.at("text").get<std::string>());
          use.warnings_en.push_back(w.at("text_en").get<std::string>());
        }
        s.surveys.push_back(std::move(use));
      }
    }
    // Runs stored before DEA existed have no "dea".
    if (j.contains("dea") && !j.at("dea").is_null()) {
      const Json& d = j.at("dea");
      DeaData data;
      const auto rts = d.at("rts").get<std::string>();
      for (auto r : {methods::ReturnsToScale::kCrs, methods::ReturnsToScale::kVrs,
                     methods::ReturnsToScale::kNirs}) {
        if (methods::ReturnsToScaleName(r) == rts) data.rts = r;
      }
      data.orientation = d.at("orientation").get<std::string>() == "output"
                             ? methods::Orientation::kOutput
                             : methods::Orientation::kInput;
      auto columns = [](const Json& list) {
        std::vector<DeaColumn> out;
        for (const auto& c : list) {
          DeaColumn col;
          col.factor.indicator = c.at("indicator").get<std::string>();
          col.factor.growth = c.at("growth").get<bool>();
          col.name = c.at("name").get<std::string>();
          col.name_en = c.at("name_en").get<std::string>();
          col.unit = c.at("unit").get<std::string>();
          col.shift = c.at("shift").get<double>();
          out.push_back(std::move(col));
        }
        return out;
      };
      data.inputs = columns(d.at("inputs"));
      data.outputs = columns(d.at("outputs"));
      data.values = d.at("values").get<std::vector<std::vector<double>>>();
      s.dea = std::move(data);
    }
    if (!details.empty()) return Internal("stored snapshot: " + details.front().reason);
    return s;
  });
}

Out ResultsJson(const RunResults& r) {
  Out o;
  Out outcomes = Out::array();
  for (const auto& oc : r.outcomes) {
    Out nodes = Out::array();
    for (const auto& n : oc.nodes) {
      nodes.push_back({{"b", Vec(n.b)},
                       {"b_normalized", Vec(n.b_normalized)},
                       {"score", n.score},
                       {"grade", n.grade},
                       {"grade_by_max_membership", n.grade_by_max_membership},
                       {"ambiguous", n.ambiguous}});
    }
    outcomes.push_back(std::move(nodes));
  }
  o["outcomes"] = std::move(outcomes);
  o["ranks"] = r.ranks;
  o["ranking_values"] = r.ranking_values;
  Out weakest = Out::array();
  for (const auto& list : r.weakest) {
    Out w = Out::array();
    for (const auto& s : list) {
      w.push_back({{"node", s.node},
                   {"global_weight", s.global_weight},
                   {"score", s.score},
                   {"shortfall", s.shortfall}});
    }
    weakest.push_back(std::move(w));
  }
  o["weakest"] = std::move(weakest);
  Out sens = Out::array();
  for (const auto& s : r.sensitivity) {
    Out nodes = Out::array();
    for (const auto& n : s.nodes) {
      if (n.grade_probability.empty()) {
        nodes.push_back(nullptr);
        continue;
      }
      nodes.push_back({{"grade_probability", n.grade_probability},
                       {"baseline_grade_probability", n.baseline_grade_probability},
                       {"score_mean", n.score_mean},
                       {"score_min", n.score_min},
                       {"score_max", n.score_max}});
    }
    sens.push_back({{"nodes", std::move(nodes)},
                    {"score_p05", s.score_p05},
                    {"score_p95", s.score_p95},
                    {"rank_probability", s.rank_probability},
                    {"baseline_rank_probability", s.baseline_rank_probability},
                    {"rank_min", s.rank_min},
                    {"rank_max", s.rank_max},
                    {"rank_mean", s.rank_mean}});
  }
  o["sensitivity"] = std::move(sens);
  Out dea = Out::array();
  for (const auto& e : r.dea) {
    Out peers = Out::array();
    for (const auto& p : e.peers) peers.push_back({{"object", p.dmu}, {"lambda", p.lambda}});
    dea.push_back({{"efficiency", e.efficiency},
                   {"score", e.score},
                   {"classification", e.classification},
                   {"rank", e.rank},
                   {"input_slacks", e.input_slacks},
                   {"output_slacks", e.output_slacks},
                   {"input_targets", e.input_targets},
                   {"output_targets", e.output_targets},
                   {"peers", std::move(peers)},
                   {"scale_efficiency", e.scale_efficiency ? Out(*e.scale_efficiency) : Out()},
                   {"scale_type", e.scale_type}});
  }
  o["dea"] = std::move(dea);
  return o;
}

Result<RunResults> ParseResults(const Json& j) {
  return Guard("results", [&]() -> Result<RunResults> {
    RunResults r;
    for (const auto& nodes : j.at("outcomes")) {
      Outcome oc;
      for (const auto& n : nodes) {
        NodeOutcome no;
        no.b = VecOf(n.at("b"));
        no.b_normalized = VecOf(n.at("b_normalized"));
        no.score = n.at("score").get<double>();
        no.grade = n.at("grade").get<int>();
        no.grade_by_max_membership = n.at("grade_by_max_membership").get<int>();
        no.grades_differ = no.grade != no.grade_by_max_membership;
        no.ambiguous = n.at("ambiguous").get<bool>();
        oc.nodes.push_back(std::move(no));
      }
      r.outcomes.push_back(std::move(oc));
    }
    r.ranks = j.at("ranks").get<std::vector<int>>();
    r.ranking_values = j.at("ranking_values").get<std::vector<double>>();
    for (const auto& list : j.at("weakest")) {
      std::vector<Shortfall> w;
      for (const auto& s : list) {
        w.push_back(Shortfall{s.at("node").get<int>(), s.at("global_weight").get<double>(),
                              s.at("score").get<double>(), s.at("shortfall").get<double>()});
      }
      r.weakest.push_back(std::move(w));
    }
    for (const auto& s : j.at("sensitivity")) {
      ObjectSensitivity os;
      for (const auto& n : s.at("nodes")) {
        NodeSensitivity ns;
        if (!n.is_null()) {
          ns.grade_probability = n.at("grade_probability").get<std::vector<double>>();
          ns.baseline_grade_probability = n.at("baseline_grade_probability").get<double>();
          ns.score_mean = n.at("score_mean").get<double>();
          ns.score_min = n.at("score_min").get<double>();
          ns.score_max = n.at("score_max").get<double>();
        }
        os.nodes.push_back(std::move(ns));
      }
      os.score_p05 = s.at("score_p05").get<double>();
      os.score_p95 = s.at("score_p95").get<double>();
      os.rank_probability = s.at("rank_probability").get<std::vector<double>>();
      os.baseline_rank_probability = s.at("baseline_rank_probability").get<double>();
      os.rank_min = s.at("rank_min").get<int>();
      os.rank_max = s.at("rank_max").get<int>();
      os.rank_mean = s.at("rank_mean").get<double>();
      r.sensitivity.push_back(std::move(os));
    }
    if (j.contains("dea")) {
      for (const auto& d : j.at("dea")) {
        DeaOutcome e;
        e.efficiency = d.at("efficiency").get<double>();
        e.score = d.at("score").get<double>();
        e.classification = d.at("classification").get<std::string>();
        e.rank = d.at("rank").get<int>();
        e.input_slacks = d.at("input_slacks").get<std::vector<double>>();
        e.output_slacks = d.at("output_slacks").get<std::vector<double>>();
        e.input_targets = d.at("input_targets").get<std::vector<double>>();
        e.output_targets = d.at("output_targets").get<std::vector<double>>();
        for (const auto& p : d.at("peers")) {
          e.peers.push_back(
              methods::DeaPeer{p.at("object").get<int>(), p.at("lambda").get<double>()});
        }
        if (!d.at("scale_efficiency").is_null())
          e.scale_efficiency = d.at("scale_efficiency").get<double>();
        e.scale_type = d.at("scale_type").get<std::string>();
        r.dea.push_back(std::move(e));
      }
    }
    return r;
  });
}

Out FindingsJson(const std::vector<Finding>& findings) {
  Out a = Out::array();
  for (const auto& f : findings) {
    a.push_back({{"kind", f.kind},
                 {"object", f.object},
                 {"node", f.node},
                 {"text", f.text},
                 {"text_en", f.text_en}});
  }
  return a;
}

Result<std::vector<Finding>> ParseFindings(const Json& j) {
  std::vector<ErrorDetail> details;
  std::vector<Finding> out;
  if (!j.is_array()) {
    return InvalidArgument("findings are a list",
                           {ErrorDetail{0, "findings", "", "must be a list of findings"}});
  }
  static const std::vector<std::string> kinds = {"strength",       "weakness",    "below_threshold",
                                                 "grade_unstable", "inefficient", "note"};
  for (size_t i = 0; i < j.size(); ++i) {
    const auto path = fmt::format("findings[{}]", i);
    const Json& f = j[i];
    if (!f.is_object()) {
      details.push_back(ErrorDetail{0, path, "", "must be an object"});
      continue;
    }
    Finding x;
    auto text = [&](const char* key, std::string& s, bool required) {
      if (!f.contains(key) || f.at(key).is_null()) {
        if (required) details.push_back(ErrorDetail{0, path + "." + key, "", "is required"});
        return;
      }
      if (!f.at(key).is_string()) {
        details.push_back(ErrorDetail{0, path + "." + key, "", "must be text"});
        return;
      }
      s = f.at(key).get<std::string>();
    };
    text("kind", x.kind, true);
    text("object", x.object, false);
    text("node", x.node, false);
    text("text", x.text, true);
    text("text_en", x.text_en, false);
    if (!x.kind.empty() && std::find(kinds.begin(), kinds.end(), x.kind) == kinds.end()) {
      details.push_back(ErrorDetail{0, path + ".kind", x.kind,
                                    "one of strength, weakness, below_threshold, grade_unstable, "
                                    "inefficient, note"});
    }
    if (f.contains("text") && x.text.empty()) {
      details.push_back(ErrorDetail{0, path + ".text", "", "a finding needs its text"});
    }
    out.push_back(std::move(x));
  }
  if (!details.empty()) return InvalidArgument("the findings are not valid", std::move(details));
  return out;
}

Out RunJson(const Run& run, bool detail) {
  Out o;
  o["id"] = run.id;
  o["system_id"] = run.system_id;
  o["system_version"] = run.system_version;
  o["name"] = run.name;
  o["region_code"] = run.region_code;
  o["status"] = std::string(RunStatusName(run.status));
  o["period"] = run.snapshot.period;
  o["operator"] = std::string(OpName(run.snapshot.op));
  o["ranking"] = std::string(RankingName(run.snapshot.ranking));
  o["version"] = run.version;
  o["fupin_version"] = run.fupin_version;
  o["created_by"] = run.created_by;
  o["created_at"] = run.created_at;
  o["published_by"] = run.published_by;
  o["published_at"] = run.published_at;
  const auto& grades = run.snapshot.grades;
  auto grade = [&](int g) {
    return g >= 0 && g < static_cast<int>(grades.size()) ? grades[static_cast<size_t>(g)].name
                                                         : std::string();
  };
  Out objects = Out::array();
  for (size_t i = 0; i < run.snapshot.objects.size(); ++i) {
    const auto& obj = run.snapshot.objects[i];
    Out x;
    x["code"] = obj.code;
    x["name"] = obj.name;
    if (i < run.results.outcomes.size()) {
      const auto& overall = run.results.outcomes[i].overall();
      x["score"] = overall.score;
      x["grade"] = grade(overall.grade);
      x["grade_by_max_membership"] = grade(overall.grade_by_max_membership);
      x["rank"] = run.results.ranks[i];
      if (i < run.results.ranking_values.size()) {
        x["ranking_value"] = run.results.ranking_values[i];
      }
      if (i < run.results.sensitivity.size()) {
        x["grade_stability"] = run.results.sensitivity[i].nodes.front().baseline_grade_probability;
        x["rank_stability"] = run.results.sensitivity[i].baseline_rank_probability;
      }
      if (i < run.results.dea.size()) {
        x["efficiency"] = run.results.dea[i].efficiency;
        x["efficiency_class"] = run.results.dea[i].classification;
      }
    }
    objects.push_back(std::move(x));
  }
  o["objects"] = std::move(objects);
  if (!detail) return o;
  o["snapshot"] = SnapshotJson(run.snapshot);
  // Per object, every node's figures with grade names.
  Out results = Out::array();
  for (size_t i = 0; i < run.results.outcomes.size(); ++i) {
    Out nodes = Out::array();
    const auto& oc = run.results.outcomes[i];
    for (size_t k = 0; k < oc.nodes.size(); ++k) {
      const auto& n = oc.nodes[k];
      Out x = {{"key", run.snapshot.nodes[k].key},
               {"b", Vec(n.b_normalized)},
               {"score", n.score},
               {"grade", grade(n.grade)},
               {"grade_by_max_membership", grade(n.grade_by_max_membership)},
               {"grades_differ", n.grades_differ},
               {"ambiguous", n.ambiguous}};
      if (i < run.results.sensitivity.size() &&
          !run.results.sensitivity[i].nodes[k].grade_probability.empty()) {
        const auto& s = run.results.sensitivity[i].nodes[k];
        x["grade_probability"] = s.grade_probability;
        x["baseline_grade_probability"] = s.baseline_grade_probability;
        x["score_min"] = s.score_min;
        x["score_max"] = s.score_max;
      }
      nodes.push_back(std::move(x));
    }
    Out weakest = Out::array();
    for (const auto& w : run.results.weakest[i]) {
      weakest.push_back({{"key", run.snapshot.nodes[static_cast<size_t>(w.node)].key},
                         {"name", run.snapshot.nodes[static_cast<size_t>(w.node)].name},
                         {"global_weight", w.global_weight},
                         {"score", w.score},
                         {"shortfall", w.shortfall}});
    }
    Out r = {{"code", run.snapshot.objects[i].code},
             {"nodes", std::move(nodes)},
             {"weakest", std::move(weakest)}};
    if (i < run.results.sensitivity.size()) {
      const auto& s = run.results.sensitivity[i];
      r["score_p05"] = s.score_p05;
      r["score_p95"] = s.score_p95;
      r["rank_probability"] = s.rank_probability;
      r["rank_min"] = s.rank_min;
      r["rank_max"] = s.rank_max;
      r["rank_mean"] = s.rank_mean;
    }
    results.push_back(std::move(r));
  }
  o["results"] = std::move(results);
  o["dea"] = DeaJson(run);
  o["findings"] = FindingsJson(run.findings);
  return o;
}

Out DeaJson(const Run& run) {
  const auto& snap = run.snapshot;
  if (!snap.dea) return nullptr;
  const auto& d = *snap.dea;
  Out objects = Out::array();
  const size_t m = d.inputs.size();
  for (size_t i = 0; i < snap.objects.size() && i < d.values.size(); ++i) {
    const auto& row = d.values[i];
    Out x = {{"code", snap.objects[i].code},
             {"name", snap.objects[i].name},
             {"inputs", std::vector<double>(row.begin(), row.begin() + static_cast<long>(m))},
             {"outputs", std::vector<double>(row.begin() + static_cast<long>(m), row.end())}};
    if (i < run.results.dea.size()) {
      const auto& e = run.results.dea[i];
      x["efficiency"] = e.efficiency;
      x["score"] = e.score;
      x["classification"] = e.classification;
      x["rank"] = e.rank;
      x["input_slacks"] = e.input_slacks;
      x["output_slacks"] = e.output_slacks;
      x["input_targets"] = e.input_targets;
      x["output_targets"] = e.output_targets;
      Out peers = Out::array();
      for (const auto& p : e.peers) {
        const auto k = static_cast<size_t>(p.dmu);
        peers.push_back({{"code", k < snap.objects.size() ? snap.objects[k].code : ""},
                         {"name", k < snap.objects.size() ? snap.objects[k].name : ""},
                         {"lambda", p.lambda}});
      }
      x["peers"] = std::move(peers);
      x["scale_efficiency"] = e.scale_efficiency ? Out(*e.scale_efficiency) : Out(nullptr);
      x["scale_type"] = e.scale_type;
    }
    objects.push_back(std::move(x));
  }
  return {{"rts", std::string(methods::ReturnsToScaleName(d.rts))},
          {"orientation", std::string(methods::OrientationName(d.orientation))},
          {"inputs", DeaColumnsJson(d.inputs)},
          {"outputs", DeaColumnsJson(d.outputs)},
          {"objects", std::move(objects)}};
}

Out ComparisonJson(const RunComparison& c) {
  auto optional = [](const std::optional<double>& v) { return v ? Out(*v) : Out(nullptr); };
  Out settings = Out::array();
  for (const auto& s : c.settings) settings.push_back({{"name", s.name}, {"a", s.a}, {"b", s.b}});
  Out weights = Out::array();
  for (const auto& w : c.weights) {
    weights.push_back({{"node", w.node}, {"a", w.a}, {"b", w.b}, {"change", w.b - w.a}});
  }
  Out inputs = Out::array();
  for (const auto& i : c.inputs) {
    inputs.push_back({{"object", i.object},
                      {"leaf", i.leaf},
                      {"membership_a", i.a},
                      {"membership_b", i.b},
                      {"value_a", optional(i.value_a)},
                      {"value_b", optional(i.value_b)}});
  }
  Out objects = Out::array();
  for (const auto& o : c.objects) {
    Out nodes = Out::array();
    for (const auto& n : o.nodes) {
      nodes.push_back({{"node", n.node},
                       {"score_a", n.score_a},
                       {"score_b", n.score_b},
                       {"change", n.score_b - n.score_a},
                       {"grade_a", n.grade_a},
                       {"grade_b", n.grade_b}});
    }
    objects.push_back({{"object", o.object},
                       {"name", o.name},
                       {"rank_a", o.rank_a},
                       {"rank_b", o.rank_b},
                       {"nodes", std::move(nodes)}});
  }
  return {{"settings", std::move(settings)},    {"weights", std::move(weights)},
          {"nodes_only_a", c.nodes_only_a},     {"nodes_only_b", c.nodes_only_b},
          {"inputs", std::move(inputs)},        {"objects_only_a", c.objects_only_a},
          {"objects_only_b", c.objects_only_b}, {"objects", std::move(objects)}};
}

}  // namespace fupin::evaluation
