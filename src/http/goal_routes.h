// The routes of goals (目标管理): the goal board of a region with each goal's progress and its
// spreadsheet (goals.read), a goal with the history of its indicator, and creating, editing
// and deleting goals within the caller's regions (goals.write). See docs/goals.md.
#pragma once

#include "goals/goal_service.h"
#include "http/router.h"

namespace fupin::http {

void AddGoalRoutes(Router& router, goals::GoalService& service);

}  // namespace fupin::http
