// Indicator systems (指标体系): the trees an evaluation runs over — goal → criteria
// (dimensions) → indicators, any depth — with their grade scale, versioned.
//
// A system belongs to a region (the office that designed it). Its draft is edited freely
// (optimistic locking by `version`); publishing freezes the draft as the next numbered version,
// which never changes again, so an evaluation run always points to the exact version it used.
// Expert judgments (AHP) are given per published version and node.
//
// A node has a key that is stable within the system (used by judgments and runs). An inner
// node weights its children; each child's `weight` is its default weight among its siblings
// (used when no expert judgments are chosen). A leaf is an indicator whose membership over the
// grades comes from one of three sources:
//   indicator — a catalogue indicator's value for the evaluated object (region or workshop),
//               turned into memberships by the leaf's scoring rule;
//   survey    — answers to the survey questions mapped to the leaf (shares per grade);
//   expert    — grades given by the evaluators (shares per grade).
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "evaluation/grade_scale.h"
#include "methods/dea.h"

namespace fupin::indicators {
class Catalogue;
}

namespace fupin::evaluation {

enum class LeafSource { kIndicator, kSurvey, kExpert };
std::string_view LeafSourceName(LeafSource source);  // "indicator", "survey", "expert"
Result<LeafSource> ParseLeafSource(std::string_view name);

struct SystemNode {
  std::string key;     // 1–40 characters of a–z, 0–9, _ and -, starting with a letter
  std::string parent;  // "" for the root
  std::string name;    // Chinese name
  std::string name_en;
  double weight = 1.0;                         // default weight among its siblings
  LeafSource source = LeafSource::kIndicator;  // leaves only
  std::string indicator;                       // source indicator: a catalogue code
  std::optional<ScoringRule> scoring;          // source indicator: required
  std::string note;                            // definition, evidence to collect

  friend bool operator==(const SystemNode&, const SystemNode&) = default;
};

// One input or output of the fund-efficiency DEA (资金使用效率): a catalogue indicator's value
// for each object in the run's period, or its growth — the value minus that of the same period
// one year earlier (people newly lifted out from the stock of lifted_people, income growth).
struct DeaFactor {
  std::string indicator;
  bool growth = false;

  friend bool operator==(const DeaFactor&, const DeaFactor&) = default;
};

// A system that asks for DEA of fund efficiency: every run of it with two or more objects
// also solves the envelopment model over the objects (inputs such as funds and staff, outputs
// such as people lifted out and income growth). Variable returns to scale and input
// orientation by default: how far could the inputs shrink for the same results.
struct DeaSettings {
  std::vector<DeaFactor> inputs;   // 1–5
  std::vector<DeaFactor> outputs;  // 1–5
  methods::ReturnsToScale rts = methods::ReturnsToScale::kVrs;
  methods::Orientation orientation = methods::Orientation::kInput;

  friend bool operator==(const DeaSettings&, const DeaSettings&) = default;
};

// The content of a draft or of a published version.
struct SystemContent {
  std::vector<GradeInput> grades;  // best first
  std::vector<SystemNode> nodes;   // the root first; every parent before its children
  std::optional<DeaSettings> dea;  // fund-efficiency DEA in runs; nullopt = none

  friend bool operator==(const SystemContent&, const SystemContent&) = default;
};

struct System {
  int64_t id = 0;
  std::string name;
  std::string name_en;
  std::string description;
  std::string region_code;    // the designing office's region
  std::string template_code;  // the template it was created from ("" = none)
  SystemContent draft;
  int64_t version = 1;     // of the draft (optimistic lock)
  int latest_version = 0;  // last published version, 0 = none yet
  std::string created_by;
  std::string created_at;
  std::string updated_by;
  std::string updated_at;
};

struct SystemVersion {
  int64_t system_id = 0;
  int version = 0;
  SystemContent content;
  std::string note;
  std::string published_by;
  std::string published_at;
};

// One expert's pairwise comparisons (判断矩阵) of a node's children in a published version:
// a_ij = how many times child i matters more than child j, in the order the children are
// listed; NaN = not judged (the upper triangle is what the form asks; the rest follows by
// reciprocity or is completed).
struct Judgment {
  int64_t system_id = 0;
  int version = 0;
  std::string node_key;
  int64_t expert_id = 0;  // the user
  std::string expert_name;
  Matrix matrix;
  std::string note;
  std::string updated_at;
};

inline constexpr int kMaxDepth = 8;
inline constexpr int kMaxNodes = 500;
inline constexpr size_t kMaxDeaFactors = 5;

// Checks a content: the grade scale; one root; keys well-formed and unique; parents known and
// listed before their children; depth ≤ kMaxDepth; at most 15 children per node (the AHP
// limit); weights ≥ 0 with a positive sum among siblings; indicator leaves naming a catalogue
// indicator (when `catalogue` is given) with a valid scoring rule; DEA factors naming catalogue
// indicators, 1–5 inputs and outputs, none twice. kInvalidArgument with details naming
// "grades[i].field" / "nodes[i].field" and the node key, or "dea.inputs[i]".
Status ValidateContent(const SystemContent& content, const indicators::Catalogue* catalogue);

// The children of each node (indices into content.nodes), by index.
std::vector<std::vector<int>> ChildrenOf(const SystemContent& content);

// 1–40 characters of a–z, 0–9, _ and -, starting with a letter (node and question keys).
bool WellFormedKey(std::string_view key);

// Index of the node with `key`, or −1.
int FindNode(const SystemContent& content, std::string_view key);

// 优秀 95 (≥ 90) / 良好 85 (≥ 80) / 较好 75 (≥ 70) / 一般 65 (≥ 60) / 较差 50: the default
// five-grade scale.
std::vector<GradeInput> DefaultGrades();

// A shipped template (模板), copied into a new system and edited there.
struct Template {
  std::string code;
  std::string name;
  std::string name_en;
  std::string description;
  std::string description_en;
  SystemContent content;
};

// The four templates: workshop_bsc (扶贫车间项目绩效·平衡计分卡), county_targeted (县域精准扶贫
// 绩效), exit_assessment (贫困退出评估·三率一度), multi_subject (多元主体参与).
const std::vector<Template>& Templates();
const Template* FindTemplate(std::string_view code);

}  // namespace fupin::evaluation
