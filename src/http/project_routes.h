// The routes of the project library (项目库): the list with counts by lifecycle status (the
// board) and a project's page with its versions and their differences (projects.read);
// proposing and editing projects, changes of approved ones included (projects.propose); the
// township's review (projects.review), the county's approval and acceptance (projects.approve,
// projects.accept); execution — start, milestones, measured targets, progress reports,
// completion, handover for maintenance (projects.report). Each action is a route of its own,
// so that the permission matrix decides who takes it.
#pragma once

#include "http/router.h"
#include "projects/project_service.h"

namespace fupin::http {

void AddProjectRoutes(Router& router, projects::ProjectService& service);

}  // namespace fupin::http
