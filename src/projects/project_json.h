// The JSON shapes of the project library, shared by the API and the CLI: a project as listed,
// a profile (one version), a project's page, and the vocabularies. Money is integer fen.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "projects/model.h"

namespace fupin::projects {

nlohmann::json ProfileJson(const ProjectProfile& p);
nlohmann::json VersionJson(const ProjectVersion& v);
// A project as listed. Earned value (SPI, CPI) and deviation alerts come with the funds
// (issue #7's later parts): until then `earned_value` is null, never an estimate.
nlohmann::json ProjectJson(const Project& p);
// A project's page: the project, the version in force, targets and milestones with their
// actual values, reports, the approval history and every version.
nlohmann::json DetailJson(const ProjectDetail& d);
nlohmann::json TransitionJson(const Transition& t);
nlohmann::json ReportJson(const ProgressReport& r);
nlohmann::json DifferenceJson(const Difference& d);
// Every vocabulary of the module by name, each a list of {code, zh, en}.
nlohmann::json VocabulariesJson();

}  // namespace fupin::projects
