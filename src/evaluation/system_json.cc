// JSON of indicator systems.
#include "evaluation/system_json.h"

#include <fmt/format.h>

#include "evaluation/spec_json.h"

namespace fupin::evaluation {

namespace {

using Json = nlohmann::json;
using Out = nlohmann::ordered_json;

int LeafCount(const SystemContent& c) {
  const auto children = ChildrenOf(c);
  int n = 0;
  for (size_t i = 1; i < children.size(); ++i) n += children[i].empty() ? 1 : 0;
  return n;
}

}  // namespace

Out ContentJson(const SystemContent& content) {
  Out o;
  o["grades"] = GradesJson(content.grades);
  Out nodes = Out::array();
  for (const auto& n : content.nodes) {
    Out j;
    j["key"] = n.key;
    j["parent"] = n.parent;
    j["name"] = n.name;
    j["name_en"] = n.name_en;
    j["weight"] = n.weight;
    j["source"] = std::string(LeafSourceName(n.source));
    j["indicator"] = n.indicator;
    j["scoring"] = n.scoring ? ScoringRuleJson(*n.scoring, content.grades) : Out(nullptr);
    j["note"] = n.note;
    nodes.push_back(std::move(j));
  }
  o["nodes"] = std::move(nodes);
  o["dea"] = content.dea ? DeaSettingsJson(*content.dea) : Out(nullptr);
  return o;
}

Out DeaSettingsJson(const DeaSettings& dea) {
  auto factors = [](const std::vector<DeaFactor>& list) {
    Out a = Out::array();
    for (const auto& f : list) a.push_back({{"indicator", f.indicator}, {"growth", f.growth}});
    return a;
  };
  Out o;
  o["inputs"] = factors(dea.inputs);
  o["outputs"] = factors(dea.outputs);
  o["rts"] = std::string(methods::ReturnsToScaleName(dea.rts));
  o["orientation"] = std::string(methods::OrientationName(dea.orientation));
  return o;
}

std::optional<DeaSettings> ParseDeaSettings(const Json& j, const std::string& path,
                                            std::vector<ErrorDetail>& details) {
  auto fail = [&](const std::string& p, std::string value, std::string reason) {
    details.push_back(ErrorDetail{0, p, std::move(value), std::move(reason)});
  };
  if (!j.is_object()) {
    fail(path, "", "an object with inputs, outputs, rts and orientation, or null");
    return std::nullopt;
  }
  DeaSettings d;
  const size_t before = details.size();
  auto factors = [&](const char* key, std::vector<DeaFactor>& out) {
    const auto p = fmt::format("{}.{}", path, key);
    if (!j.contains(key) || !j.at(key).is_array()) {
      fail(p, "", "a list of indicators ({\"indicator\": CODE, \"growth\": false})");
      return;
    }
    const Json& list = j.at(key);
    for (size_t i = 0; i < list.size(); ++i) {
      const auto fp = fmt::format("{}[{}]", p, i);
      DeaFactor f;
      if (list[i].is_string()) {
        f.indicator = list[i].get<std::string>();
      } else if (list[i].is_object() && list[i].contains("indicator") &&
                 list[i].at("indicator").is_string()) {
        f.indicator = list[i].at("indicator").get<std::string>();
        if (list[i].contains("growth") && !list[i].at("growth").is_null()) {
          if (!list[i].at("growth").is_boolean()) {
            fail(fp + ".growth", list[i].at("growth").dump(), "true or false");
          } else {
            f.growth = list[i].at("growth").get<bool>();
          }
        }
      } else {
        fail(fp, list[i].dump(), "an indicator code or {\"indicator\": CODE, \"growth\": BOOL}");
        continue;
      }
      out.push_back(std::move(f));
    }
  };
  factors("inputs", d.inputs);
  factors("outputs", d.outputs);
  auto word = [&](const char* key, std::string fallback) -> std::string {
    if (!j.contains(key) || j.at(key).is_null()) return fallback;
    if (!j.at(key).is_string()) {
      fail(fmt::format("{}.{}", path, key), j.at(key).dump(), "must be a string");
      return fallback;
    }
    return j.at(key).get<std::string>();
  };
  const auto rts = word("rts", "vrs");
  bool known = false;
  for (auto r : {methods::ReturnsToScale::kCrs, methods::ReturnsToScale::kVrs,
                 methods::ReturnsToScale::kNirs}) {
    if (methods::ReturnsToScaleName(r) == rts) {
      d.rts = r;
      known = true;
    }
  }
  if (!known) fail(path + ".rts", rts, "one of crs, vrs, nirs");
  const auto orientation = word("orientation", "input");
  if (orientation == "input") {
    d.orientation = methods::Orientation::kInput;
  } else if (orientation == "output") {
    d.orientation = methods::Orientation::kOutput;
  } else {
    fail(path + ".orientation", orientation, "input or output");
  }
  if (details.size() != before) return std::nullopt;
  return d;
}

Result<SystemContent> ParseContent(const Json& j, const std::string& path) {
  std::vector<ErrorDetail> details;
  SystemContent c;
  auto fail = [&](const std::string& p, std::string reason) {
    details.push_back(ErrorDetail{0, p, "", std::move(reason)});
  };
  if (!j.is_object()) {
    return InvalidArgument("an indicator system's content is an object with grades and nodes",
                           {ErrorDetail{0, path, "", "must be an object"}});
  }
  if (!j.contains("grades")) {
    fail(path + ".grades", "is required");
  } else {
    c.grades = ParseGrades(j.at("grades"), path + ".grades", details);
  }
  if (!j.contains("nodes") || !j.at("nodes").is_array()) {
    fail(path + ".nodes", "must be a list of nodes, the root first");
  } else {
    const Json& nodes = j.at("nodes");
    for (size_t i = 0; i < nodes.size(); ++i) {
      const auto np = fmt::format("{}.nodes[{}]", path, i);
      const Json& n = nodes[i];
      if (!n.is_object()) {
        fail(np, "must be an object");
        continue;
      }
      SystemNode node;
      auto text = [&](const char* key, std::string& out) {
        if (!n.contains(key) || n.at(key).is_null()) return;
        if (!n.at(key).is_string()) {
          fail(np + "." + key, "must be a string");
          return;
        }
        out = n.at(key).get<std::string>();
      };
      text("key", node.key);
      text("parent", node.parent);
      text("name", node.name);
      text("name_en", node.name_en);
      text("indicator", node.indicator);
      text("note", node.note);
      if (n.contains("weight") && !n.at("weight").is_null()) {
        if (!n.at("weight").is_number()) {
          fail(np + ".weight", "must be a number");
        } else {
          node.weight = n.at("weight").get<double>();
        }
      }
      std::string source = "indicator";
      text("source", source);
      if (auto s = ParseLeafSource(source)) {
        node.source = *s;
      } else {
        fail(np + ".source", "one of indicator, survey, expert");
      }
      if (n.contains("scoring") && !n.at("scoring").is_null()) {
        node.scoring = ParseScoringRule(n.at("scoring"), c.grades, np + ".scoring", details);
      }
      c.nodes.push_back(std::move(node));
    }
  }
  if (j.contains("dea") && !j.at("dea").is_null()) {
    c.dea = ParseDeaSettings(j.at("dea"), path + ".dea", details);
  }
  if (!details.empty()) {
    return InvalidArgument("the indicator system is not valid", std::move(details));
  }
  return c;
}

Out SystemSummaryJson(const System& s) {
  Out o;
  o["id"] = s.id;
  o["name"] = s.name;
  o["name_en"] = s.name_en;
  o["description"] = s.description;
  o["region_code"] = s.region_code;
  o["template"] = s.template_code;
  o["version"] = s.version;
  o["latest_version"] = s.latest_version;
  o["nodes"] = s.draft.nodes.size();
  o["leaves"] = LeafCount(s.draft);
  o["created_by"] = s.created_by;
  o["created_at"] = s.created_at;
  o["updated_by"] = s.updated_by;
  o["updated_at"] = s.updated_at;
  return o;
}

Out SystemJson(const System& s, const std::vector<SystemVersion>& versions) {
  Out o = SystemSummaryJson(s);
  o["draft"] = ContentJson(s.draft);
  Out list = Out::array();
  for (const auto& v : versions) {
    list.push_back({{"version", v.version},
                    {"note", v.note},
                    {"published_by", v.published_by},
                    {"published_at", v.published_at},
                    {"nodes", v.content.nodes.size()},
                    {"leaves", LeafCount(v.content)}});
  }
  o["versions"] = std::move(list);
  return o;
}

Out VersionJson(const SystemVersion& v) {
  Out o;
  o["system_id"] = v.system_id;
  o["version"] = v.version;
  o["note"] = v.note;
  o["published_by"] = v.published_by;
  o["published_at"] = v.published_at;
  o["content"] = ContentJson(v.content);
  return o;
}

Out TemplateJson(const Template& t) {
  Out o;
  o["code"] = t.code;
  o["name"] = t.name;
  o["name_en"] = t.name_en;
  o["description"] = t.description;
  o["description_en"] = t.description_en;
  o["content"] = ContentJson(t.content);
  return o;
}

}  // namespace fupin::evaluation
