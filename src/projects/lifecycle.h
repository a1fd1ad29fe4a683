// The project lifecycle with its approvals, as pure rules over a project's state:
//
//   proposed ──review──▶ reviewed ──approve──▶ approved ──start──▶ in_progress ──complete──▶
//   completed ──accept──▶ accepted ──maintain──▶ maintenance ("whoever benefits maintains")
//
// The village (or an office) proposes; the township reviews (审核) and the county approves
// (审批). At each decision the project can be returned to the proposer with a reason
// (review_return, approve_return: the proposer edits and resubmits, as a new version) or rejected
// with a reason (review_reject, approve_reject: the end of it). A project registered at county
// level has no township above it to review it: the county approves it directly. At acceptance
// (验收) the county accepts the completed project or returns it for rectification
// (accept_return: back in progress).
//
// Every edit of the profile is a new version. Before the first approval an edit replaces the
// proposal (edit, or resubmit after a return) and goes through review again. Once approved, an
// edit is a change (变更: budget, scope, dates) proposed as a new version while the approved
// version stays in force; the change is reviewed and approved like a proposal (the project's
// status does not move), and approving it puts it in force. A rejected change leaves the
// approved version in force. One change at a time.
//
// Each action needs one permission of module "projects" (PermissionFor), held in the project's
// region: propose (submit, edit, resubmit, change), review, approve, accept, report (start,
// complete, maintain, and progress reports and actual values).
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "projects/model.h"

namespace fupin::projects {

// The permission action (of module "projects") that `action` needs; "" for an unknown action.
std::string_view PermissionFor(std::string_view action);

// True for the actions that need a reason (returns and rejections).
bool NeedsReason(std::string_view action);

// True when the project's region is a county: no township review.
bool CountyLevel(const Project& p);

// What an allowed action does.
struct Step {
  std::string action;
  std::string to_status;
  std::string stage;             // of the version acted on, after the step
  int64_t approved_version = 0;  // the version in force after the step
  bool new_version = false;      // edit, resubmit, change
};

// The step `action` takes from the project's state, or kFailedPrecondition saying why the
// action does not apply now (naming the status or the version's stage). kInvalidArgument
// naming `reason` when a return or rejection comes without one. For "new_version", the action
// is chosen from the state: edit, resubmit or change.
Result<Step> Plan(const Project& p, std::string_view action, std::string_view reason);

// The actions the project's state allows now (not looking at who asks), in lifecycle order;
// a new version appears as "edit", "resubmit" or "change".
std::vector<std::string> AvailableActions(const Project& p);

}  // namespace fupin::projects
