// Goal use cases: the goal board of a region (every goal within it with its progress), a goal
// with the history of its indicator's values, and saving or deleting goals within the
// caller's regions. Actual values come from the indicator service (as of a day: its stocks on
// that day, its yearly figures of the last complete year), for the goal's region; when the
// indicator has no value today (a yearly figure not yet in), the latest year-end with one, back
// to the baseline's year, is the goal's "now" (Progress::as_of says which).
// Thread-safety: thread-safe when its repository and indicator service are.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "goals/goal.h"
#include "goals/goal_repository.h"
#include "indicators/indicator_service.h"

namespace fupin::goals {

struct GoalView {
  Goal goal;
  const indicators::Indicator* indicator = nullptr;  // nullptr if it left the catalogue
  std::string region_name;
  Progress progress;
};

// One point of a goal's history: the indicator's value for the region on a day.
struct HistoryPoint {
  Date day;
  std::optional<double> value;
  std::optional<double> expected_value;  // where the straight line is that day (between
                                         // the baseline date and the deadline)
};

struct GoalDetail {
  GoalView view;
  // The value at the baseline date, at 31 December of every year from the baseline's to the
  // last complete one, and as of `today`.
  std::vector<HistoryPoint> history;
};

// Indicators outside the catalogue that goals may target: a project's output (项目产出) from
// its performance target table, coded "project:<id>:<target key>" (projects/project_outputs).
class OutputIndicators {
 public:
  struct Output {
    const indicators::Indicator* indicator = nullptr;  // stable for the process's lifetime
    std::string region_code;                           // where the output is produced
    std::string region_name;
  };
  virtual ~OutputIndicators() = default;
  virtual bool Handles(std::string_view code) const = 0;
  // What a code stands for; kNotFound / kInvalidArgument with the reason otherwise.
  virtual Result<Output> Describe(std::string_view code) = 0;
  // The output's value on `day` (the latest measurement on or before it), if any.
  virtual Result<std::optional<double>> ValueOn(std::string_view code, const Date& day) = 0;
  // The outputs a goal for `region` may target, within `scope`.
  virtual Result<std::vector<Output>> List(const std::vector<std::string>& scope,
                                           const std::string& region) = 0;
};

class GoalService {
 public:
  GoalService(GoalRepository& repository, indicators::IndicatorService& indicators,
              const Clock& clock)
      : repository_(repository), indicators_(indicators), clock_(clock) {}

  // Every goal within `region` and `scope` (a region above the caller's regions gives the goals
  // of the caller's part of it; one outside them, none), with its progress as of today, by
  // region and deadline.
  Result<std::vector<GoalView>> Board(const std::vector<std::string>& scope,
                                      const std::string& region, const std::string& indicator);
  Result<GoalDetail> Detail(const std::vector<std::string>& scope, int64_t id);
  // The stored goal, if within `scope`; kNotFound otherwise (whether or not it exists).
  Result<Goal> Find(const std::vector<std::string>& scope, int64_t id);

  // Validated as a whole (ValidateGoal); the goal's region (and for a replacement its stored
  // region) must lie in `scope`, else kPermissionDenied / kNotFound.
  Result<Goal> Save(const std::vector<std::string>& scope, Goal goal, const audit::Actor& actor);
  Status Delete(const std::vector<std::string>& scope, int64_t id, int64_t version,
                const audit::Actor& actor);

  // Lets goals target the indicators of `outputs` besides the catalogue's.
  void SetOutputs(OutputIndicators& outputs) { outputs_ = &outputs; }
  // The outputs a goal for `region` may target (empty without SetOutputs).
  Result<std::vector<OutputIndicators::Output>> Outputs(const std::vector<std::string>& scope,
                                                        const std::string& region);

 private:
  Result<GoalView> View(const Goal& goal, const Date& today);
  Result<std::optional<double>> ValueOn(const Goal& goal, const Period& period,
                                        std::string* region_name);

  bool IsOutput(const std::string& code) const { return outputs_ && outputs_->Handles(code); }

  GoalRepository& repository_;
  indicators::IndicatorService& indicators_;
  const Clock& clock_;
  OutputIndicators* outputs_ = nullptr;
};

}  // namespace fupin::goals
