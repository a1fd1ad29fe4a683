// The demo's project library (项目库): a dozen projects of the demo county's first township and
// of the county itself, one of each kind, taken through the lifecycle by the demo's village,
// township and county users — so that every status shows: proposed, reviewed, approved, in
// progress (one with an approved change, one with a change awaiting approval, one well behind
// its milestones), completed, accepted, in maintenance, returned and rejected — each with its
// performance targets, milestones, beneficiary households of its village, progress reports and
// measured targets. Dated relative to `today` (China time), the history in the past.
#pragma once

#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "projects/project_service.h"
#include "regions/region.h"
#include "registry/registry_repository.h"

namespace fupin::app {

struct DemoProjectCounts {
  int64_t projects = 0;
  int64_t in_progress = 0;
  int64_t versions = 0;
};

Result<DemoProjectCounts> GenerateDemoProjects(projects::ProjectService& projects,
                                               registry::RegistryRepository& registry,
                                               const std::vector<regions::Region>& generated,
                                               const Date& today);

}  // namespace fupin::app
