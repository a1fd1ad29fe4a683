// Project outputs as goal indicators (项目产出目标): each target of a project's performance
// target table (绩效目标表) of the version in force, coded "project:<id>:<target key>", with
// the project's region; its value on a day is the latest measurement on or before that day.
// Names are "<project>：<target>" (zh) and "<project>: <target>" (en); the unit is the
// target's; the direction follows the target's (>= higher is better, <= lower is better, =
// a target range).
// Thread-safety: thread-safe (a mutex guards the indicators handed out, which live as long as
// this object and are never changed once handed out).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "goals/goal_service.h"
#include "projects/project_repository.h"
#include "regions/region_repository.h"

namespace fupin::projects {

class ProjectOutputs final : public goals::OutputIndicators {
 public:
  ProjectOutputs(ProjectRepository& projects, regions::RegionRepository& regions)
      : projects_(projects), regions_(regions) {}

  bool Handles(std::string_view code) const override { return code.starts_with("project:"); }
  Result<Output> Describe(std::string_view code) override;
  Result<std::optional<double>> ValueOn(std::string_view code, const Date& day) override;
  Result<std::vector<Output>> List(const std::vector<std::string>& scope,
                                   const std::string& region) override;

 private:
  Result<Output> Make(const ProjectDetail& detail, const Target& target);

  ProjectRepository& projects_;
  regions::RegionRepository& regions_;
  std::mutex mutex_;
  std::map<std::string, indicators::Indicator, std::less<>> handed_out_;  // guarded by mutex_
};

}  // namespace fupin::projects
