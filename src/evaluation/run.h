// Evaluation runs (评价运行): a published indicator-system version evaluated for a set of
// objects (regions) over a data period, with the weights and method chosen — kept as an
// immutable snapshot of every input, and the results computed from it alone.
//
// The snapshot holds the grade scale, the operator, the tree with the local weights resolved
// (from expert judgments by group AHP, or the system's defaults), each object's membership row
// for every leaf (with the raw indicator value it was scored from, or the survey / expert
// counts it came from), the sensitivity settings and the conventions in words. Compute() turns a
// snapshot into results with the evaluation engine and nothing else, so re-computing a stored
// run reproduces its numbers digit for digit on any backend.
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "evaluation/engine.h"
#include "evaluation/grade_scale.h"
#include "evaluation/system.h"

namespace fupin::evaluation {

struct SnapshotNode {
  std::string key;
  std::string parent;
  std::string name;
  std::string name_en;
  double weight = 1.0;  // local, resolved, normalized among siblings
  LeafSource source = LeafSource::kIndicator;
  std::string indicator;
  std::optional<ScoringRule> scoring;

  friend bool operator==(const SnapshotNode&, const SnapshotNode&) = default;
};

// Where one object's leaf row came from.
struct LeafInput {
  std::vector<double> membership;  // the row entered into the evaluation
  std::optional<double> value;     // indicator leaves: the raw value scored
  std::vector<double> responses;   // survey / expert leaves: counts per grade, if given so
  std::string origin;              // "indicator", "survey", "responses", "membership"

  friend bool operator==(const LeafInput&, const LeafInput&) = default;
};

struct RunObject {
  std::string code;  // a region code
  std::string name;
  std::vector<LeafInput> leaves;  // one per leaf, in the order leaves appear in `nodes`

  friend bool operator==(const RunObject&, const RunObject&) = default;
};

// How the objects are ranked: by the fuzzy evaluation's overall score (default), or by TOPSIS
// closeness or grey relational grade over the matrix objects × leaves of leaf scores, with the
// leaves' global weights (every leaf a benefit criterion: its score is higher-better).
enum class Ranking { kScore, kTopsis, kGrey };
std::string_view RankingName(Ranking ranking);  // "score", "topsis", "grey"
std::optional<Ranking> RankingNamed(std::string_view name);

// A questionnaire whose responses filled survey leaves of the run, with its quality warnings
// over the responses used.
struct SurveyUse {
  int64_t id = 0;
  std::string name;
  int responses = 0;
  std::vector<std::string> warnings;  // Chinese
  std::vector<std::string> warnings_en;

  friend bool operator==(const SurveyUse&, const SurveyUse&) = default;
};

// One column of the run's DEA: the factor, its names and unit from the catalogue, and the
// shift added to every object's value before solving (0 unless an output had a negative value
// under VRS input orientation, where translating outputs leaves the scores unchanged — Ali &
// Seiford 1990).
struct DeaColumn {
  DeaFactor factor;
  std::string name;
  std::string name_en;
  std::string unit;
  double shift = 0.0;

  friend bool operator==(const DeaColumn&, const DeaColumn&) = default;
};

// The DEA data of a run: every object's values (inputs then outputs, original units, in the
// order of the run's objects) and the model.
struct DeaData {
  methods::ReturnsToScale rts = methods::ReturnsToScale::kVrs;
  methods::Orientation orientation = methods::Orientation::kInput;
  std::vector<DeaColumn> inputs;
  std::vector<DeaColumn> outputs;
  std::vector<std::vector<double>> values;  // per object: inputs…, outputs…

  friend bool operator==(const DeaData&, const DeaData&) = default;
};

struct RunSnapshot {
  std::vector<GradeInput> grades;
  methods::FuzzyOperator op = methods::FuzzyOperator::kWeightedAverage;
  Ranking ranking = Ranking::kScore;
  std::vector<SnapshotNode> nodes;  // the root first, parents before children
  std::vector<RunObject> objects;
  std::string period;
  SensitivityOptions sensitivity;
  std::map<std::string, std::string> conventions;
  std::vector<SurveyUse> surveys;
  std::optional<DeaData> dea;  // when the system asks for DEA and there are 2+ objects

  friend bool operator==(const RunSnapshot&, const RunSnapshot&) = default;
};

// One object's fund efficiency: technical efficiency θ (input) or 1/φ (output) under the
// system's returns to scale, the classification (efficient / weakly efficient / inefficient),
// slacks and targets in original units (the inputs and outputs that would put it on the
// frontier), its peers (objects by index with their λ) and scale efficiency TE_crs / TE_vrs
// with the returns it operates at.
struct DeaOutcome {
  double efficiency = 0.0;
  double score = 0.0;          // θ or φ
  std::string classification;  // "efficient", "weakly efficient", "inefficient"
  std::vector<double> input_slacks;
  std::vector<double> output_slacks;
  std::vector<double> input_targets;
  std::vector<double> output_targets;
  std::vector<methods::DeaPeer> peers;
  std::optional<double> scale_efficiency;
  std::string scale_type;  // "irs", "crs", "drs" or ""
  int rank = 0;            // by efficiency, competition ranks
};

struct RunResults {
  std::vector<Outcome> outcomes;       // per object, nodes as in the snapshot
  std::vector<int> ranks;              // per object, by the snapshot's ranking
  std::vector<double> ranking_values;  // per object: its score, TOPSIS closeness or grey grade
  std::vector<ObjectSensitivity> sensitivity;   // per object (empty when draws = 0)
  std::vector<std::vector<Shortfall>> weakest;  // per object, up to 10
  std::vector<DeaOutcome> dea;                  // per object, when the snapshot has DEA data
};

// The engine's tree of a snapshot (leaf rows numbered in node order).
Result<Tree> TreeOf(const RunSnapshot& snapshot);

// Evaluates every object, ranks them, finds each one's weakest indicators and, when
// sensitivity.draws > 0, runs the Monte Carlo.
Result<RunResults> Compute(const RunSnapshot& snapshot);

// Exact equality of two results (every double bit for bit): what "reproduced" means.
bool SameResults(const RunResults& a, const RunResults& b);

enum class RunStatus { kDraft, kPublished };
std::string_view RunStatusName(RunStatus status);  // "draft", "published"

// A finding (评价发现) generated from the numbers, editable before publication.
struct Finding {
  std::string kind;    // "strength", "weakness", "below_threshold", "grade_unstable",
                       // "inefficient", "note"
  std::string object;  // region code ("" = all)
  std::string node;    // node key ("" = overall)
  std::string text;    // Chinese
  std::string text_en;

  friend bool operator==(const Finding&, const Finding&) = default;
};

struct Run {
  int64_t id = 0;
  int64_t system_id = 0;
  int system_version = 0;
  std::string name;
  std::string region_code;  // the office that ran it
  RunStatus status = RunStatus::kDraft;
  RunSnapshot snapshot;
  RunResults results;
  std::vector<Finding> findings;
  std::string fupin_version;
  int64_t version = 1;  // optimistic lock of the findings and the publication
  std::string created_by;
  std::string created_at;
  std::string published_by;
  std::string published_at;
};

// Two runs side by side: what changed in the inputs (settings, weights, leaf inputs) and in
// the results (each common object's node scores, grades and rank). Nodes and objects are
// matched by key and code; those in only one run are listed.
struct RunComparison {
  struct Setting {
    std::string name;  // "system", "period", "operator", "sensitivity"
    std::string a;
    std::string b;
  };
  struct WeightChange {
    std::string node;
    double a = 0;  // local weights
    double b = 0;
  };
  struct InputChange {
    std::string object;
    std::string leaf;
    std::vector<double> a;  // membership rows
    std::vector<double> b;
    std::optional<double> value_a;
    std::optional<double> value_b;
  };
  struct NodeChange {
    std::string node;
    double score_a = 0;
    double score_b = 0;
    std::string grade_a;
    std::string grade_b;
  };
  struct ObjectChange {
    std::string object;
    std::string name;
    int rank_a = 0;
    int rank_b = 0;
    std::vector<NodeChange> nodes;  // every node present in both, in run b's order
  };
  std::vector<Setting> settings;          // only those that differ
  std::vector<WeightChange> weights;      // only those that differ
  std::vector<std::string> nodes_only_a;  // keys
  std::vector<std::string> nodes_only_b;
  std::vector<InputChange> inputs;  // only those that differ
  std::vector<std::string> objects_only_a;
  std::vector<std::string> objects_only_b;
  std::vector<ObjectChange> objects;  // every object in both
};
RunComparison CompareRuns(const Run& a, const Run& b);

// Findings from the results: each object's strongest and weakest dimensions (children of the
// root), indicators whose score is below the bottom of the 一般 band (the second-last grade),
// grades that sensitivity shows unstable (baseline grade probability below 0.8), and objects the
// DEA finds not efficient (kind "inefficient", with their peers and the largest change of one
// input or output that the frontier suggests).
std::vector<Finding> GenerateFindings(const RunSnapshot& snapshot, const RunResults& results);

}  // namespace fupin::evaluation
