// Evaluation runs: creating one (resolving weights and every object's leaf rows into an
// immutable snapshot, then computing it), reading, reproducing, editing the findings and
// publishing.
//
// Leaf rows come from: indicator leaves — the catalogue indicator's value for the object
// (a region) in the period, through the indicator service, scored by the leaf's rule; survey
// and expert leaves — the counts per grade (or memberships) given with the request for each
// object; survey leaves not given so — the answers to the questionnaires of the system about the
// run's period from respondents in the object's region subtree (survey_service.h), their quality
// warnings kept in the snapshot. A leaf with none of these is an error naming the object and
// leaf.
//
// When the system asks for DEA (SystemContent::dea) and the run has two or more objects, every
// object's DEA inputs and outputs are read from the indicator service for the period (growth
// factors also for the same period a year earlier) into the snapshot, and solved with the
// results.
// Thread-safety: as thread-safe as the services and repository it uses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "evaluation/repository.h"
#include "evaluation/run.h"
#include "evaluation/survey_service.h"
#include "evaluation/system_service.h"
#include "indicators/indicator_service.h"

namespace fupin::evaluation {

enum class ObjectiveWeighting { kNone, kEntropy, kCritic };
std::string_view ObjectiveWeightingName(ObjectiveWeighting w);  // "none", "entropy", "critic"
std::optional<ObjectiveWeighting> ObjectiveWeightingNamed(std::string_view name);
enum class Combination { kLinear, kMultiplicative, kObjectiveOnly };
std::string_view CombinationName(Combination c);  // "linear", "multiplicative", "objective"
std::optional<Combination> CombinationNamed(std::string_view name);

// Counts per grade or a membership row for one object's survey / expert leaf.
struct RunInput {
  std::string object;
  std::string leaf;
  std::vector<double> responses;
  std::vector<double> membership;
};

struct RunRequest {
  int64_t system_id = 0;
  int version = 0;  // 0 = the latest published
  std::string name;
  std::string region_code;  // the office running it
  std::string period;       // an indicator period: YYYY, YYYY-MM or YYYY-MM-DD
  std::vector<std::string> objects;
  bool use_judgments = true;  // group AHP where experts judged, else the default weights
  methods::GroupAhpOptions group;
  methods::FuzzyOperator op = methods::FuzzyOperator::kWeightedAverage;
  Ranking ranking = Ranking::kScore;
  SensitivityOptions sensitivity{1000, 0.1, 1};
  std::vector<RunInput> inputs;
  // Questionnaires whose responses fill the survey leaves ({} = every questionnaire of the
  // system about the period).
  std::vector<int64_t> surveys;
  // Objective weights from the data (客观赋权) over the objects × leaves matrix of leaf scores,
  // combined with the subjective (expert or default) weights at the leaves: `combine` linear
  // (alpha = the subjective share), multiplicative, or objective only. The combined leaf
  // weights are turned back into local weights at every node (a node's weight = the sum of its
  // leaves'), so the snapshot holds them like any other weights.
  ObjectiveWeighting objective = ObjectiveWeighting::kNone;
  Combination combine = Combination::kLinear;
  double alpha = 0.5;
};

struct Reproduction {
  bool same = false;
  RunResults recomputed;
};

class RunService {
 public:
  RunService(EvaluationRepository& repository, SystemService& systems,
             indicators::IndicatorService& indicators, SurveyService& surveys)
      : repository_(repository), systems_(systems), indicators_(indicators), surveys_(surveys) {}

  // `scope`: the caller's scope of evaluation.run. The region and every object must lie in it;
  // the system must be seen from it. Errors name the request field ("objects[2]",
  // "inputs[0].responses", "leaves") and, for missing data, the object and the leaf.
  Result<Run> Create(const std::vector<std::string>& scope, const RunRequest& request,
                     const audit::Actor& actor);
  Result<std::vector<Run>> List(const std::vector<std::string>& scope, int64_t system_id);
  // kNotFound when it does not exist or is not seen from `scope` (within or above it).
  Result<Run> Get(const std::vector<std::string>& scope, int64_t id);
  // Computes the stored snapshot again and compares with the stored results, bit for bit.
  Result<Reproduction> Reproduce(const std::vector<std::string>& scope, int64_t id);
  // Two runs seen from `scope`, compared (a = the earlier or reference run).
  Result<RunComparison> Compare(const std::vector<std::string>& scope, int64_t a, int64_t b);
  // Drafts only; the run's region must lie in `scope` (evaluation.run).
  Result<Run> SaveFindings(const std::vector<std::string>& scope, int64_t id, int64_t version,
                           std::vector<Finding> findings, const audit::Actor& actor);
  // `scope`: evaluation.publish. A published run is final.
  Result<Run> Publish(const std::vector<std::string>& scope, int64_t id, int64_t version,
                      const audit::Actor& actor);

 private:
  // The DEA values of every object of `snap` (nullopt for fewer than two objects). Errors name
  // "dea.inputs[i]" / "dea.outputs[i]" with the object and the indicator.
  Result<std::optional<DeaData>> DeaDataFor(const DeaSettings& settings, const RunSnapshot& snap);
  Result<Run> Editable(const std::vector<std::string>& scope, int64_t id, int64_t version);

  EvaluationRepository& repository_;
  SystemService& systems_;
  indicators::IndicatorService& indicators_;
  SurveyService& surveys_;
};

}  // namespace fupin::evaluation
