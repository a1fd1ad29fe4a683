// Indicator systems and expert judgments: the use cases behind the API and the CLI.
//
// Who sees what: a system is seen by the callers whose scope holds its region or lies below it
// (a province's system is used by its counties); it is edited and published only within the
// designer's own regions (its region in the scope). Expert judgments are given by evaluators on
// the systems they see, each expert on their own behalf; every AHP figure is computed with the
// methods library and returned with the judgment.
// Thread-safety: as thread-safe as the repository (the service holds no mutable state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "base/error.h"
#include "evaluation/repository.h"
#include "evaluation/system.h"
#include "methods/ahp.h"

namespace fupin::indicators {
class Catalogue;
}

namespace fupin::evaluation {

struct NewSystem {
  std::string name;
  std::string name_en;
  std::string description;
  std::string region_code;
  // Where the first draft comes from: a template, a published version of a system the caller
  // sees (copy_of with copy_version ≥ 1), or the draft of one (copy_version 0). Neither: a
  // two-level skeleton to fill in.
  std::string template_code;
  int64_t copy_of = 0;
  int copy_version = 0;
};

struct SystemPatch {
  int64_t version = 0;  // the draft version edited (optimistic lock)
  std::optional<std::string> name;
  std::optional<std::string> name_en;
  std::optional<std::string> description;
  std::optional<SystemContent> draft;
};

// A judgment with what AHP makes of it. `analysis` is unset when the comparisons do not yet
// link every child (an incomplete form); `problem` then says which are missing.
struct JudgmentView {
  Judgment judgment;
  std::vector<std::string> children;  // the node's children's keys, in matrix order
  std::optional<methods::AhpResult> analysis;
  std::string problem;
};

// The weights of one node's children in a version: the group AHP result over its experts'
// judgments when there are usable ones, else the default weights of the system.
struct NodeWeights {
  std::string node_key;
  std::vector<std::string> children;
  std::vector<double> default_weights;  // normalized
  int experts = 0;                      // judgments given
  std::optional<methods::GroupAhpResult> group;
  std::vector<int64_t> expert_ids;  // in the order of group->experts
  std::vector<double> weights;      // what a run would use
  std::string source;               // "ahp" or "default"
  std::string problem;              // why the judgments could not be used, if so
};

struct WeightOptions {
  methods::GroupAhpOptions group;
};

class SystemService {
 public:
  SystemService(EvaluationRepository& repository, const indicators::Catalogue& catalogue)
      : repository_(repository), catalogue_(catalogue) {}

  const indicators::Catalogue& catalogue() const { return catalogue_; }

  // `scope` is the caller's scope of evaluation.read (or of the permission of the action).
  Result<std::vector<System>> List(const std::vector<std::string>& scope);
  // kNotFound when the system does not exist or is not seen from `scope`.
  Result<System> Get(const std::vector<std::string>& scope, int64_t id);
  Result<std::vector<SystemVersion>> Versions(const std::vector<std::string>& scope, int64_t id);
  Result<SystemVersion> Version(const std::vector<std::string>& scope, int64_t id, int version);

  // `design` is the caller's scope of evaluation.design: the new system's region must lie in
  // it (kPermissionDenied otherwise); a copied system must be seen from it.
  Result<System> Create(const std::vector<std::string>& design, const NewSystem& request,
                        const audit::Actor& actor);
  // The draft must be valid (ValidateContent against the catalogue); names may not be empty.
  Result<System> Update(const std::vector<std::string>& design, int64_t id,
                        const SystemPatch& patch, const audit::Actor& actor);
  // Freezes the draft (valid, and different from the latest version) as the next version.
  Result<SystemVersion> Publish(const std::vector<std::string>& design, int64_t id, int64_t version,
                                const std::string& note, const audit::Actor& actor);

  // Judgments of a published version (all nodes, or one).
  Result<std::vector<JudgmentView>> Judgments(const std::vector<std::string>& scope, int64_t id,
                                              int version, const std::string& node_key);
  // The expert's own judgment of a node with at least two children: an n×n matrix (n = its
  // children), entries positive, 1 on the diagonal, NaN for the comparisons not made.
  Result<JudgmentView> Judge(const std::vector<std::string>& scope, int64_t id, int version,
                             const std::string& node_key, int64_t expert_id,
                             const std::string& expert_name, const Matrix& matrix,
                             const std::string& note, const audit::Actor& actor);
  // Removes the expert's own judgment of the node, if any.
  Status Withdraw(const std::vector<std::string>& scope, int64_t id, int version,
                  const std::string& node_key, int64_t expert_id, const audit::Actor& actor);
  // Every inner node's weights for the version under the group options.
  Result<std::vector<NodeWeights>> Weights(const std::vector<std::string>& scope, int64_t id,
                                           int version, const WeightOptions& options);

  // The same from a version's content and its judgments (any order).
  static std::vector<NodeWeights> WeightsOf(const SystemContent& content,
                                            const std::vector<Judgment>& judgments,
                                            const WeightOptions& options);

  // AHP of one matrix (the form's live check), without storing anything.
  static Result<methods::AhpResult> Analyze(const Matrix& matrix,
                                            const methods::AhpOptions& options);

 private:
  Result<System> Designable(const std::vector<std::string>& design, int64_t id);

  EvaluationRepository& repository_;
  const indicators::Catalogue& catalogue_;
};

// Where the evaluation module uses catalogue indicator `code`: indicator systems (drafts and
// published versions: leaves and DEA factors) and questionnaires (questions mapped to it),
// one line each, e.g. "indicator system 3 马家县… version 2". An IndicatorService use finder.
Result<std::vector<std::string>> IndicatorUses(EvaluationRepository& repository,
                                               std::string_view code);

// Whether a record of `region` is seen from `scope`: the region lies in one of the scope's
// subtrees, or above one of them.
bool SeenFrom(const std::vector<std::string>& scope, const std::string& region);

}  // namespace fupin::evaluation
