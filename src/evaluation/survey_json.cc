// JSON of surveys.
#include "evaluation/survey_json.h"

#include <fmt/format.h>

#include "evaluation/spec_json.h"

namespace fupin::evaluation {

namespace {

using Json = nlohmann::json;
using Out = nlohmann::ordered_json;

Out OptNumber(const std::optional<double>& v) { return v ? Out(*v) : Out(nullptr); }

// Reads fields of one JSON object, collecting problems under `path`.
class Fields {
 public:
  Fields(const Json& j, std::string path, std::vector<ErrorDetail>& d)
      : j_(j), path_(std::move(path)), d_(d) {}
  bool Has(const char* k) const { return j_.contains(k) && !j_.at(k).is_null(); }
  std::string Path(const char* k) const { return path_.empty() ? k : path_ + "." + k; }
  void Fail(const char* k, std::string reason, std::string value = "") {
    d_.push_back(ErrorDetail{0, Path(k), std::move(value), std::move(reason)});
  }
  void Text(const char* k, std::string& out) {
    if (!Has(k)) return;
    if (!j_.at(k).is_string()) return Fail(k, "must be text", j_.at(k).dump());
    out = j_.at(k).get<std::string>();
  }
  void Number(const char* k, double& out) {
    if (!Has(k)) return;
    if (!j_.at(k).is_number()) return Fail(k, "must be a number", j_.at(k).dump());
    out = j_.at(k).get<double>();
  }
  void OptNumber(const char* k, std::optional<double>& out) {
    if (!j_.contains(k)) return;
    if (j_.at(k).is_null()) {
      out.reset();
      return;
    }
    if (!j_.at(k).is_number()) return Fail(k, "must be a number", j_.at(k).dump());
    out = j_.at(k).get<double>();
  }
  void Bool(const char* k, bool& out) {
    if (!Has(k)) return;
    if (!j_.at(k).is_boolean()) return Fail(k, "must be true or false", j_.at(k).dump());
    out = j_.at(k).get<bool>();
  }
  const Json* Array(const char* k) {
    if (!Has(k)) return nullptr;
    if (!j_.at(k).is_array()) {
      Fail(k, "must be a list");
      return nullptr;
    }
    return &j_.at(k);
  }

 private:
  const Json& j_;
  std::string path_;
  std::vector<ErrorDetail>& d_;
};

void ParseParts(const Json& j, const std::vector<GradeInput>& grades, Questionnaire& q,
                std::vector<ErrorDetail>& d) {
  Fields f(j, "", d);
  if (const Json* groups = f.Array("groups")) {
    q.groups.clear();
    for (size_t i = 0; i < groups->size(); ++i) {
      if (!(*groups)[i].is_string()) {
        d.push_back(ErrorDetail{0, fmt::format("groups[{}]", i), (*groups)[i].dump(),
                                "must be a group code"});
      } else {
        q.groups.push_back((*groups)[i].get<std::string>());
      }
    }
  }
  if (const Json* questions = f.Array("questions")) {
    q.questions.clear();
    for (size_t i = 0; i < questions->size(); ++i) {
      const auto path = fmt::format("questions[{}]", i);
      const Json& x = (*questions)[i];
      if (!x.is_object()) {
        d.push_back(ErrorDetail{0, path, "", "must be an object"});
        continue;
      }
      Fields g(x, path, d);
      Question qu;
      g.Text("key", qu.key);
      std::string kind = "likert";
      g.Text("kind", kind);
      if (auto k = QuestionKindNamed(kind)) {
        qu.kind = *k;
      } else {
        g.Fail("kind", "one of likert, choice, number", kind);
      }
      g.Text("text", qu.text);
      g.Text("text_en", qu.text_en);
      g.Text("leaf", qu.leaf);
      g.Text("dimension", qu.dimension);
      g.Text("indicator", qu.indicator);
      g.OptNumber("min", qu.min);
      g.OptNumber("max", qu.max);
      g.Bool("required", qu.required);
      if (const Json* asked = g.Array("groups")) {
        for (size_t k = 0; k < asked->size(); ++k) {
          if (!(*asked)[k].is_string()) {
            d.push_back(ErrorDetail{0, fmt::format("{}.groups[{}]", path, k), (*asked)[k].dump(),
                                    "must be a group code"});
          } else {
            qu.groups.push_back((*asked)[k].get<std::string>());
          }
        }
      }
      if (const Json* choices = g.Array("choices")) {
        for (size_t c = 0; c < choices->size(); ++c) {
          const auto cp = fmt::format("{}.choices[{}]", path, c);
          if (!(*choices)[c].is_object()) {
            d.push_back(ErrorDetail{0, cp, "", "must be an object"});
            continue;
          }
          Fields h((*choices)[c], cp, d);
          Choice ch;
          // Codes may be given as numbers (1 … 5), as survey tools export them.
          if ((*choices)[c].contains("code") && (*choices)[c].at("code").is_number_integer()) {
            ch.code = std::to_string((*choices)[c].at("code").get<int64_t>());
          } else {
            h.Text("code", ch.code);
          }
          h.Text("label", ch.label);
          h.Text("label_en", ch.label_en);
          h.Number("value", ch.value);
          h.Text("grade", ch.grade);
          qu.choices.push_back(std::move(ch));
        }
      }
      if (g.Has("scoring")) {
        qu.scoring = ParseScoringRule(x.at("scoring"), grades, path + ".scoring", d);
      }
      q.questions.push_back(std::move(qu));
    }
  }
  if (const Json* targets = f.Array("targets")) {
    q.targets.clear();
    for (size_t i = 0; i < targets->size(); ++i) {
      const auto path = fmt::format("targets[{}]", i);
      const Json& x = (*targets)[i];
      if (!x.is_object()) {
        d.push_back(ErrorDetail{0, path, "", "must be an object"});
        continue;
      }
      Fields g(x, path, d);
      SampleTarget t;
      g.Text("group", t.group);
      g.Text("region", t.region);
      if (g.Has("target")) {
        if (!x.at("target").is_number_integer()) {
          g.Fail("target", "must be a whole number", x.at("target").dump());
        } else {
          t.target =
              static_cast<int>(std::clamp<int64_t>(x.at("target").get<int64_t>(), -1, 10000000));
        }
      }
      q.targets.push_back(std::move(t));
    }
  }
}

}  // namespace

Status ParseQuestionnaireFields(const Json& j, const std::vector<GradeInput>& grades,
                                Questionnaire& q) {
  std::vector<ErrorDetail> d;
  if (!j.is_object()) {
    return InvalidArgument("a questionnaire is a JSON object",
                           {ErrorDetail{0, "", "", "must be an object"}});
  }
  Fields f(j, "", d);
  f.Text("name", q.name);
  f.Text("name_en", q.name_en);
  f.Text("description", q.description);
  f.Text("period", q.period);
  f.Bool("open", q.open);
  ParseParts(j, grades, q, d);
  if (!d.empty()) return InvalidArgument("the questionnaire is not valid", std::move(d));
  return {};
}

Out QuestionnaireContentJson(const Questionnaire& q, const std::vector<GradeInput>& grades) {
  Out o;
  o["grades"] = GradesJson(grades);
  o["groups"] = q.groups;
  Out questions = Out::array();
  for (const auto& qu : q.questions) {
    Out x;
    x["key"] = qu.key;
    x["kind"] = std::string(QuestionKindName(qu.kind));
    x["text"] = qu.text;
    x["text_en"] = qu.text_en;
    x["leaf"] = qu.leaf;
    x["dimension"] = qu.dimension;
    x["indicator"] = qu.indicator.empty() ? Out(nullptr) : Out(qu.indicator);
    Out choices = Out::array();
    for (const auto& c : qu.choices) {
      choices.push_back(Out{{"code", c.code},
                            {"label", c.label},
                            {"label_en", c.label_en},
                            {"value", c.value},
                            {"grade", c.grade}});
    }
    x["choices"] = std::move(choices);
    x["scoring"] = qu.scoring ? ScoringRuleJson(*qu.scoring, grades) : Out(nullptr);
    x["min"] = OptNumber(qu.min);
    x["max"] = OptNumber(qu.max);
    x["required"] = qu.required;
    x["groups"] = qu.groups;
    questions.push_back(std::move(x));
  }
  o["questions"] = std::move(questions);
  Out targets = Out::array();
  for (const auto& t : q.targets) {
    targets.push_back(Out{{"group", t.group}, {"region", t.region}, {"target", t.target}});
  }
  o["targets"] = std::move(targets);
  return o;
}

Status ParseQuestionnaireContent(const Json& j, Questionnaire& q) {
  std::vector<ErrorDetail> d;
  std::vector<GradeInput> grades;
  if (j.is_object() && j.contains("grades")) grades = ParseGrades(j.at("grades"), "grades", d);
  if (j.is_object()) ParseParts(j, grades, q, d);
  if (!j.is_object() || !d.empty()) {
    return Internal(fmt::format("questionnaire {}: stored content unreadable{}", q.id,
                                d.empty() ? "" : ": " + d.front().column + " " + d.front().reason));
  }
  return {};
}

Out RespondentGroupsJson() {
  Out a = Out::array();
  for (const auto& g : RespondentGroups()) {
    a.push_back(Out{{"code", g.code}, {"name", g.name}, {"name_en", g.name_en}});
  }
  return a;
}

Out QuestionnaireJson(const Questionnaire& q, const std::vector<GradeInput>& grades, bool detail) {
  Out o;
  o["id"] = q.id;
  o["name"] = q.name;
  o["name_en"] = q.name_en;
  o["description"] = q.description;
  o["region_code"] = q.region_code;
  o["system_id"] = q.system_id;
  o["system_version"] = q.system_version;
  o["period"] = q.period;
  o["open"] = q.open;
  o["version"] = q.version;
  o["responses"] = q.responses;
  o["questions_count"] = q.questions.size();
  o["groups"] = q.groups;
  if (detail) {
    const Out content = QuestionnaireContentJson(q, grades);
    o["grades"] = content["grades"];
    o["questions"] = content["questions"];
    o["targets"] = content["targets"];
  }
  o["created_by"] = q.created_by;
  o["created_at"] = q.created_at;
  o["updated_by"] = q.updated_by;
  o["updated_at"] = q.updated_at;
  return o;
}

Out ResponseJson(const Response& r) {
  Out o;
  o["id"] = r.id;
  o["questionnaire_id"] = r.questionnaire_id;
  o["group"] = r.group;
  o["region_code"] = r.region_code;
  o["surveyed_on"] = r.surveyed_on;
  Out answers = Out::object();
  for (const auto& [k, v] : r.answers) answers[k] = v;
  o["answers"] = std::move(answers);
  o["source"] = r.source;
  o["external_id"] = r.external_id;
  o["created_by"] = r.created_by;
  o["created_at"] = r.created_at;
  o["updated_at"] = r.updated_at;
  return o;
}

Result<Response> ParseResponse(const Json& j) {
  std::vector<ErrorDetail> d;
  if (!j.is_object()) {
    return InvalidArgument("a response is a JSON object",
                           {ErrorDetail{0, "", "", "must be an object"}});
  }
  Fields f(j, "", d);
  Response r;
  f.Text("group", r.group);
  f.Text("region", r.region_code);
  f.Text("surveyed_on", r.surveyed_on);
  if (j.contains("answers") && !j.at("answers").is_object()) {
    f.Fail("answers", "must be an object of answers by question key");
  } else if (j.contains("answers")) {
    for (const auto& [k, v] : j.at("answers").items()) {
      if (v.is_string()) {
        r.answers[k] = v.get<std::string>();
      } else if (v.is_number_integer()) {
        r.answers[k] = std::to_string(v.get<int64_t>());
      } else if (v.is_number()) {
        r.answers[k] = fmt::format("{}", v.get<double>());
      } else if (!v.is_null()) {
        d.push_back(ErrorDetail{0, "answers." + k, v.dump(), "a code, a label or a number"});
      }
    }
  }
  if (!d.empty()) return InvalidArgument("the response is not valid", std::move(d));
  return r;
}

Out MappingJson(const ColumnMapping& m) {
  Out questions = Out::object();
  for (const auto& [k, v] : m.questions) questions[k] = v;
  return Out{{"questions", std::move(questions)}, {"id_column", m.id_column},
             {"region_column", m.region_column},  {"region", m.region},
             {"group_column", m.group_column},    {"group", m.group},
             {"date_column", m.date_column},      {"surveyed_on", m.surveyed_on}};
}

Result<ColumnMapping> ParseMapping(const Json& j) {
  std::vector<ErrorDetail> d;
  ColumnMapping m;
  if (!j.is_object()) {
    return InvalidArgument("a column mapping is a JSON object",
                           {ErrorDetail{0, "mapping", "", "must be an object"}});
  }
  Fields f(j, "mapping", d);
  f.Text("id_column", m.id_column);
  f.Text("region_column", m.region_column);
  f.Text("region", m.region);
  f.Text("group_column", m.group_column);
  f.Text("group", m.group);
  f.Text("date_column", m.date_column);
  f.Text("surveyed_on", m.surveyed_on);
  if (j.contains("questions")) {
    if (!j.at("questions").is_object()) {
      f.Fail("questions", "must be an object of column names by question key");
    } else {
      for (const auto& [k, v] : j.at("questions").items()) {
        if (v.is_null()) continue;
        if (!v.is_string()) {
          d.push_back(ErrorDetail{0, "mapping.questions." + k, v.dump(), "a column name"});
        } else if (!v.get<std::string>().empty()) {
          m.questions[k] = v.get<std::string>();
        }
      }
    }
  }
  if (!d.empty()) return InvalidArgument("the column mapping is not valid", std::move(d));
  return m;
}

Out QualityJson(const SurveyQuality& s) {
  Out o;
  o["responses"] = s.responses;
  Out by_group = Out::object();
  for (const auto& [g, n] : s.by_group) by_group[g] = n;
  o["by_group"] = std::move(by_group);
  Out targets = Out::array();
  for (const auto& t : s.targets) {
    targets.push_back(Out{{"group", t.group},
                          {"region", t.region},
                          {"target", t.target},
                          {"count", t.count},
                          {"met", t.count >= t.target}});
  }
  o["targets"] = std::move(targets);
  Out dims = Out::array();
  for (const auto& x : s.dimensions) {
    dims.push_back(Out{{"dimension", x.dimension},
                       {"items", x.items},
                       {"respondents", x.respondents},
                       {"alpha", OptNumber(x.alpha)},
                       {"standardized_alpha", OptNumber(x.standardized_alpha)},
                       {"problem", x.problem},
                       {"kmo", OptNumber(x.kmo)},
                       {"chi2", OptNumber(x.chi2)},
                       {"df", x.df},
                       {"p", OptNumber(x.p)},
                       {"sampling_problem", x.sampling_problem}});
  }
  o["dimensions"] = std::move(dims);
  o["sampling"] = Out{{"items", s.sampling.items},
                      {"respondents", s.sampling.respondents},
                      {"kmo", OptNumber(s.sampling.kmo)},
                      {"chi2", OptNumber(s.sampling.chi2)},
                      {"df", s.sampling.df},
                      {"p", OptNumber(s.sampling.p)},
                      {"problem", s.sampling.problem}};
  o["straight_liners"] = s.straight_liners;
  Out warnings = Out::array();
  for (const auto& w : s.warnings) {
    warnings.push_back(Out{{"code", w.code}, {"text", w.text}, {"text_en", w.text_en}});
  }
  o["warnings"] = std::move(warnings);
  o["thresholds"] = Out{{"alpha", kMinAlpha},
                        {"kmo", kMinKmo},
                        {"bartlett", kBartlettLevel},
                        {"straight_lining_items", kStraightLiningItems}};
  return o;
}

Out TallyJson(const std::map<std::string, std::vector<double>>& tally) {
  Out o = Out::object();
  for (const auto& [leaf, counts] : tally) o[leaf] = counts;
  return o;
}

}  // namespace fupin::evaluation
