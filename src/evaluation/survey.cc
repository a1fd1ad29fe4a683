// Surveys: questionnaires, responses, tallies and quality checks.
#include "evaluation/survey.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "access/permissions.h"
#include "base/text.h"
#include "base/time.h"
#include "indicators/indicator.h"
#include "methods/reliability.h"

namespace fupin::evaluation {

namespace {

std::optional<double> ParseNumber(std::string_view text) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

// The choice an answer names: by code, then label, then English label (case-insensitive).
const Choice* FindChoice(const Question& q, std::string_view answer) {
  for (const auto& c : q.choices) {
    if (c.code == answer) return &c;
  }
  for (const auto& c : q.choices) {
    if (c.label == answer) return &c;
  }
  const std::string lower = ToLowerAscii(answer);
  for (const auto& c : q.choices) {
    if (!c.label_en.empty() && ToLowerAscii(c.label_en) == lower) return &c;
  }
  return nullptr;
}

// Whether the question is asked of a group (the group as written, resolved like the response's).
bool AskedOf(const Question& q, std::string_view group) {
  if (q.groups.empty()) return true;
  const auto* g = FindRespondentGroup(group);
  if (!g) return true;  // the unknown group is reported by itself
  return std::find(q.groups.begin(), q.groups.end(), g->code) != q.groups.end();
}

std::string ChoiceCodes(const Question& q) {
  std::string out;
  for (const auto& c : q.choices) {
    if (!out.empty()) out += " / ";
    out += c.code;
    if (!c.label.empty() && c.label != c.code) out += " " + c.label;
  }
  return out;
}

}  // namespace

std::string_view QuestionKindName(QuestionKind kind) {
  switch (kind) {
    case QuestionKind::kLikert:
      return "likert";
    case QuestionKind::kChoice:
      return "choice";
    case QuestionKind::kNumber:
      return "number";
  }
  return "likert";
}

std::optional<QuestionKind> QuestionKindNamed(std::string_view name) {
  if (name == "likert") return QuestionKind::kLikert;
  if (name == "choice") return QuestionKind::kChoice;
  if (name == "number") return QuestionKind::kNumber;
  return std::nullopt;
}

const std::vector<RespondentGroup>& RespondentGroups() {
  static const std::vector<RespondentGroup> groups{
      {"government", "政府工作人员", "Government staff"},
      {"workshop_head", "车间负责人", "Workshop heads"},
      {"farmer", "周边农户", "Nearby farmers"},
      {"enterprise", "企业", "Enterprises"},
      {"social_org", "社会组织", "Social organizations"},
      {"household", "贫困户", "Poor households"},
  };
  return groups;
}

const RespondentGroup* FindRespondentGroup(std::string_view text) {
  const std::string t(Trim(text));
  const std::string lower = ToLowerAscii(t);
  for (const auto& g : RespondentGroups()) {
    if (g.code == t || g.name == t || ToLowerAscii(g.name_en) == lower) return &g;
  }
  return nullptr;
}

Status ValidateQuestionnaire(const Questionnaire& q, const SystemContent& content,
                             const indicators::Catalogue* catalogue) {
  std::vector<ErrorDetail> d;
  auto at = [&](std::string field, std::string value, std::string reason) {
    d.push_back(ErrorDetail{0, std::move(field), std::move(value), std::move(reason)});
  };
  if (Trim(q.name).empty()) at("name", q.name, "a questionnaire needs a name");
  if (!ParsePeriod(q.period)) {
    at("period", q.period, "a year (YYYY), a month (YYYY-MM) or a day (YYYY-MM-DD)");
  }
  auto scale = GradeScale::Make(content.grades);
  if (!scale) return std::unexpected(scale.error());
  const auto children = ChildrenOf(content);

  std::set<std::string> groups;
  if (q.groups.empty()) at("groups", "", "name at least one respondent group");
  for (size_t i = 0; i < q.groups.size(); ++i) {
    const auto* g = FindRespondentGroup(q.groups[i]);
    if (!g || g->code != q.groups[i]) {
      at(fmt::format("groups[{}]", i), q.groups[i],
         "one of government, workshop_head, farmer, enterprise, social_org, household");
    } else if (!groups.insert(q.groups[i]).second) {
      at(fmt::format("groups[{}]", i), q.groups[i], "listed twice");
    }
  }

  std::set<std::string> keys;
  if (q.questions.empty()) at("questions", "", "a questionnaire needs at least one question");
  if (q.questions.size() > 300) {
    at("questions", std::to_string(q.questions.size()), "at most 300 questions");
  }
  for (size_t i = 0; i < q.questions.size(); ++i) {
    const auto& qu = q.questions[i];
    const auto field = [&](std::string_view f) { return fmt::format("questions[{}].{}", i, f); };
    if (!WellFormedKey(qu.key)) {
      at(field("key"), qu.key,
         "a key is 1–40 characters of a–z, 0–9, _ and -, starting with a letter");
    } else if (!keys.insert(qu.key).second) {
      at(field("key"), qu.key, "the key is used twice");
    }
    if (Trim(qu.text).empty()) at(field("text"), qu.text, "a question needs its text");
    for (size_t g = 0; g < qu.groups.size(); ++g) {
      if (!groups.contains(qu.groups[g])) {
        at(fmt::format("questions[{}].groups[{}]", i, g), qu.groups[g],
           "not one of the groups the questionnaire asks");
      }
    }
    if (!qu.leaf.empty()) {
      const int node = FindNode(content, qu.leaf);
      if (node <= 0 || !children[static_cast<size_t>(node)].empty()) {
        at(field("leaf"), qu.leaf,
           fmt::format("not a leaf of the indicator system version {}", q.system_version));
      } else if (content.nodes[static_cast<size_t>(node)].source != LeafSource::kSurvey) {
        at(field("leaf"), qu.leaf,
           fmt::format("leaf '{}' takes its values from {}, not from surveys", qu.leaf,
                       LeafSourceName(content.nodes[static_cast<size_t>(node)].source)));
      }
    }
    if (!qu.indicator.empty() && catalogue) {
      const indicators::Indicator* indicator = catalogue->Find(qu.indicator);
      if (!indicator) {
        at(field("indicator"), qu.indicator, "not an indicator of the catalogue");
      } else if (indicator->source != indicators::Source::kSurveyed) {
        at(field("indicator"), qu.indicator,
           fmt::format("indicator '{}' is {}, not surveyed", qu.indicator,
                       indicators::SourceName(indicator->source)));
      }
    }
    if (qu.kind == QuestionKind::kNumber) {
      if (!qu.choices.empty()) at(field("choices"), "", "a number question has no choices");
      if (qu.min && qu.max && *qu.min > *qu.max) {
        at(field("max"), fmt::format("{}", *qu.max), "below min");
      }
      if (qu.scoring) {
        if (auto s = CheckScoringRule(*qu.scoring, *scale, field("scoring")); !s) {
          for (auto& x : s.error().details) d.push_back(std::move(x));
          if (s.error().details.empty()) at(field("scoring"), "", s.error().message);
        }
      } else if (!qu.leaf.empty()) {
        at(field("scoring"), "", "a number question mapped to a leaf needs a scoring rule");
      }
      continue;
    }
    const bool likert = qu.kind == QuestionKind::kLikert;
    if (likert && (qu.choices.size() < 2 || qu.choices.size() > 11)) {
      at(field("choices"), std::to_string(qu.choices.size()), "a Likert scale has 2–11 levels");
    } else if (!likert && (qu.choices.size() < 2 || qu.choices.size() > 50)) {
      at(field("choices"), std::to_string(qu.choices.size()), "a choice has 2–50 options");
    }
    std::set<std::string> codes;
    std::set<std::string> labels;
    for (size_t c = 0; c < qu.choices.size(); ++c) {
      const auto& ch = qu.choices[c];
      const auto cf = [&](std::string_view f) {
        return fmt::format("questions[{}].choices[{}].{}", i, c, f);
      };
      if (Trim(ch.code).empty()) {
        at(cf("code"), ch.code, "each level or option needs a code");
      } else if (!codes.insert(ch.code).second) {
        at(cf("code"), ch.code, "the code is used twice in this question");
      }
      if (Trim(ch.label).empty()) {
        at(cf("label"), ch.label, "each level or option needs a label");
      } else if (!labels.insert(ch.label).second) {
        at(cf("label"), ch.label, "the label is used twice in this question");
      }
      if (!std::isfinite(ch.value)) at(cf("value"), "", "must be a number");
      if (ch.grade.empty()) {
        if (likert) at(cf("grade"), "", "each level counts towards a grade of the scale");
      } else if (!scale->Find(ch.grade)) {
        at(cf("grade"), ch.grade, "not a grade of the system's scale");
      }
    }
    if (likert) {
      for (size_t c = 1; c < qu.choices.size(); ++c) {
        if (!(qu.choices[c].value < qu.choices[c - 1].value)) {
          at(fmt::format("questions[{}].choices[{}].value", i, c),
             fmt::format("{}", qu.choices[c].value),
             "levels are listed best first, each valued below the one before");
          break;
        }
      }
    }
  }

  for (size_t i = 0; i < q.targets.size(); ++i) {
    const auto& t = q.targets[i];
    const auto field = [&](std::string_view f) { return fmt::format("targets[{}].{}", i, f); };
    if (!groups.contains(t.group)) at(field("group"), t.group, "not one of the groups asked");
    if (t.region.empty()) at(field("region"), "", "is required");
    if (t.target <= 0 || t.target > 1000000) {
      at(field("target"), std::to_string(t.target), "a count from 1");
    }
  }
  if (!d.empty()) return InvalidArgument("the questionnaire is not valid", std::move(d));
  return {};
}

Status ValidateResponse(const Questionnaire& q, Response& r, int64_t row) {
  std::vector<ErrorDetail> d;
  auto at = [&](std::string field, std::string value, std::string reason) {
    d.push_back(ErrorDetail{row, std::move(field), std::move(value), std::move(reason)});
  };
  if (const auto* g = FindRespondentGroup(r.group); !g) {
    at("group", r.group, "not a respondent group");
  } else if (std::find(q.groups.begin(), q.groups.end(), g->code) == q.groups.end()) {
    at("group", r.group, "this questionnaire does not ask that group");
  } else {
    r.group = std::string(g->code);
  }
  if (r.region_code.empty()) at("region", "", "is required");
  if (!ParseDate(r.surveyed_on)) at("surveyed_on", r.surveyed_on, "a date (YYYY-MM-DD)");
  std::map<std::string, std::string> normalized;
  for (const auto& [key, raw] : r.answers) {
    const auto it = std::find_if(q.questions.begin(), q.questions.end(),
                                 [&](const Question& x) { return x.key == key; });
    if (it == q.questions.end()) {
      at("answers." + key, raw, "no question has this key");
      continue;
    }
    const std::string value(Trim(raw));
    if (value.empty()) continue;
    if (!AskedOf(*it, r.group)) {
      at("answers." + key, raw, "this question is not asked of the respondent's group");
      continue;
    }
    if (it->kind == QuestionKind::kNumber) {
      const auto v = ParseNumber(value);
      if (!v) {
        at("answers." + key, raw, "must be a number");
      } else if ((it->min && *v < *it->min) || (it->max && *v > *it->max)) {
        at("answers." + key, raw,
           fmt::format("outside the accepted range {} … {}",
                       it->min ? fmt::format("{}", *it->min) : std::string("−∞"),
                       it->max ? fmt::format("{}", *it->max) : std::string("∞")));
      } else {
        normalized[key] = value;
      }
      continue;
    }
    const Choice* c = FindChoice(*it, value);
    if (!c) {
      at("answers." + key, raw, "not one of " + ChoiceCodes(*it));
    } else {
      normalized[key] = c->code;
    }
  }
  for (const auto& qu : q.questions) {
    if (!qu.required || !AskedOf(qu, r.group)) continue;
    const auto a = r.answers.find(qu.key);
    if (a == r.answers.end() || Trim(a->second).empty()) {
      at("answers." + qu.key, "", "a required question is not answered");
    }
  }
  if (!d.empty()) return InvalidArgument("the response is not valid", std::move(d));
  r.answers = std::move(normalized);
  return {};
}

std::map<std::string, std::vector<double>> TallyLeaves(const Questionnaire& q,
                                                       const GradeScale& scale,
                                                       const std::vector<const Response*>& rs) {
  std::map<std::string, std::vector<double>> out;
  for (const auto& qu : q.questions) {
    if (qu.leaf.empty()) continue;
    for (const Response* r : rs) {
      const auto a = r->answers.find(qu.key);
      if (a == r->answers.end()) continue;
      if (qu.kind == QuestionKind::kNumber) {
        const auto v = ParseNumber(a->second);
        if (!v || !qu.scoring) continue;
        auto m = ScoreValue(*qu.scoring, scale, *v);
        if (!m) continue;
        auto& counts = out[qu.leaf];
        counts.resize(static_cast<size_t>(scale.size()), 0.0);
        for (int g = 0; g < scale.size(); ++g) counts[static_cast<size_t>(g)] += (*m)(g);
        continue;
      }
      const Choice* c = FindChoice(qu, a->second);
      if (!c || c->grade.empty()) continue;
      const auto g = scale.Find(c->grade);
      if (!g) continue;
      auto& counts = out[qu.leaf];
      counts.resize(static_cast<size_t>(scale.size()), 0.0);
      counts[static_cast<size_t>(*g)] += 1.0;
    }
  }
  return out;
}

SurveyQuality CheckQuality(const Questionnaire& q, const SystemContent& content,
                           const std::vector<const Response*>& rs) {
  SurveyQuality out;
  out.responses = static_cast<int>(rs.size());
  for (const Response* r : rs) ++out.by_group[r->group];
  auto warn = [&](std::string code, std::string text, std::string text_en) {
    out.warnings.push_back({std::move(code), std::move(text), std::move(text_en)});
  };

  for (const auto& t : q.targets) {
    SurveyQuality::Target x;
    x.group = t.group;
    x.region = t.region;
    x.target = t.target;
    for (const Response* r : rs) {
      if (r->group == t.group && access::InSubtree(t.region, r->region_code)) ++x.count;
    }
    if (x.count < x.target) {
      const auto* g = FindRespondentGroup(t.group);
      warn("target",
           fmt::format("{}（{}）收回 {} 份，目标 {} 份", g ? g->name : t.group, t.region, x.count,
                       x.target),
           fmt::format("{} in {}: {} responses of the {} targeted", g ? g->name_en : t.group,
                       t.region, x.count, x.target));
    }
    out.targets.push_back(std::move(x));
  }

  // Likert items and their numeric values per response.
  std::vector<const Question*> items;
  for (const auto& qu : q.questions) {
    if (qu.kind == QuestionKind::kLikert) items.push_back(&qu);
  }
  auto value_of = [](const Question& qu, const Response& r) -> std::optional<double> {
    const auto a = r.answers.find(qu.key);
    if (a == r.answers.end()) return std::nullopt;
    const Choice* c = FindChoice(qu, a->second);
    if (!c) return std::nullopt;
    return c->value;
  };
  // Rows of respondents answering every one of `qs`.
  auto complete = [&](const std::vector<const Question*>& qs) {
    std::vector<std::vector<double>> rows;
    for (const Response* r : rs) {
      std::vector<double> row;
      for (const Question* qu : qs) {
        const auto v = value_of(*qu, *r);
        if (!v) break;
        row.push_back(*v);
      }
      if (row.size() == qs.size()) rows.push_back(std::move(row));
    }
    methods::Matrix m(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(qs.size()));
    for (size_t i = 0; i < rows.size(); ++i) {
      for (size_t j = 0; j < qs.size(); ++j) {
        m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j];
      }
    }
    return m;
  };

  auto name_of = [&](const std::string& dim) {
    const int node = FindNode(content, dim);
    return node >= 0 ? content.nodes[static_cast<size_t>(node)].name : dim;
  };
  auto sampling_warnings = [&](const std::string& where, const std::string& where_en,
                               const methods::KmoResult& k) {
    if (k.kmo < kMinKmo) {
      warn("kmo", fmt::format("{} KMO = {:.3f}，低于 {}，题项共同方差不足", where, k.kmo, kMinKmo),
           fmt::format("{}: KMO = {:.3f}, below {}: the items share too little variance", where_en,
                       k.kmo, kMinKmo));
    }
    if (!(k.p < kBartlettLevel)) {
      warn("bartlett",
           fmt::format("{} Bartlett 球形检验 χ² = {:.2f}，p = {:.3f}，不显著", where, k.chi2, k.p),
           fmt::format("{}: Bartlett's test χ² = {:.2f}, p = {:.3f}: not significant", where_en,
                       k.chi2, k.p));
    }
  };
  std::vector<std::string> dimension_order;
  std::map<std::string, std::vector<const Question*>> by_dimension;
  for (const Question* qu : items) {
    std::string dim = qu->dimension;
    if (dim.empty() && !qu->leaf.empty()) {
      const int node = FindNode(content, qu->leaf);
      if (node > 0) dim = content.nodes[static_cast<size_t>(node)].parent;
    }
    if (dim.empty()) dim = "all";
    if (!by_dimension.contains(dim)) dimension_order.push_back(dim);
    by_dimension[dim].push_back(qu);
  }
  for (const auto& dim : dimension_order) {
    const auto& qs = by_dimension[dim];
    SurveyQuality::Dimension x;
    x.dimension = dim;
    for (const Question* qu : qs) x.items.push_back(qu->key);
    const auto m = complete(qs);
    x.respondents = static_cast<int>(m.rows());
    if (qs.size() < 2) {
      x.problem = "one item: α needs at least two";
    } else {
      auto a = methods::CronbachAlpha(m);
      if (!a) {
        x.problem = a.error().message;
      } else {
        x.alpha = a->alpha;
        x.standardized_alpha = a->standardized_alpha;
        if (a->alpha < kMinAlpha) {
          warn("alpha",
               fmt::format("维度“{}”的 Cronbach α = {:.3f}，低于 {}，量表内部一致性不足",
                           name_of(dim), a->alpha, kMinAlpha),
               fmt::format("dimension '{}': Cronbach's α = {:.3f}, below {}: the items are not "
                           "consistent enough",
                           dim, a->alpha, kMinAlpha));
        }
      }
      auto k = methods::KmoBartlett(m);
      if (!k) {
        x.sampling_problem = k.error().message;
      } else {
        x.kmo = k->kmo;
        x.chi2 = k->chi2;
        x.df = k->df;
        x.p = k->p;
        sampling_warnings(fmt::format("维度“{}”", name_of(dim)), fmt::format("dimension '{}'", dim),
                          *k);
      }
    }
    out.dimensions.push_back(std::move(x));
  }

  for (const Question* qu : items) out.sampling.items.push_back(qu->key);
  if (items.size() >= 2) {
    const auto m = complete(items);
    out.sampling.respondents = static_cast<int>(m.rows());
    if (m.rows() == 0) {
      out.sampling.problem =
          "no respondent answered every Likert item (see each dimension's figures)";
    } else if (auto k = methods::KmoBartlett(m); !k) {
      out.sampling.problem = k.error().message;
    } else {
      out.sampling.kmo = k->kmo;
      out.sampling.chi2 = k->chi2;
      out.sampling.df = k->df;
      out.sampling.p = k->p;
      // Said once when the whole questionnaire is one dimension.
      if (dimension_order.size() > 1) sampling_warnings("全部量表题", "all Likert items", *k);
    }
  } else {
    out.sampling.problem = "fewer than two Likert items";
  }

  for (const Response* r : rs) {
    int answered = 0;
    std::optional<double> first;
    bool same = true;
    for (const Question* qu : items) {
      const auto v = value_of(*qu, *r);
      if (!v) continue;
      ++answered;
      // The position of the level, so that scales of different lengths compare.
      const auto a = r->answers.find(qu->key);
      const Choice* c = FindChoice(*qu, a->second);
      const double pos =
          static_cast<double>(c - qu->choices.data()) / static_cast<double>(qu->choices.size() - 1);
      if (!first) {
        first = pos;
      } else if (pos != *first) {
        same = false;
      }
    }
    if (answered >= kStraightLiningItems && same) out.straight_liners.push_back(r->id);
  }
  if (!out.straight_liners.empty()) {
    warn("straight_lining",
         fmt::format("{} 份答卷在全部 {} 个及以上量表题上选择同一等级（直线作答），请核实",
                     out.straight_liners.size(), kStraightLiningItems),
         fmt::format("{} respondents gave the same level on all of at least {} Likert items "
                     "(straight-lining): check them",
                     out.straight_liners.size(), kStraightLiningItems));
  }
  return out;
}

}  // namespace fupin::evaluation
