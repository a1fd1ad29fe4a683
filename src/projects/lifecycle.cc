#include "projects/lifecycle.h"

#include <fmt/format.h>

#include <array>

#include "regions/region.h"

namespace fupin::projects {
namespace {

struct ActionRule {
  std::string_view action;
  std::string_view permission;
};

constexpr std::array kActions = {
    ActionRule{"submit", "propose"},         ActionRule{"edit", "propose"},
    ActionRule{"resubmit", "propose"},       ActionRule{"change", "propose"},
    ActionRule{"review", "review"},          ActionRule{"review_return", "review"},
    ActionRule{"review_reject", "review"},   ActionRule{"approve", "approve"},
    ActionRule{"approve_return", "approve"}, ActionRule{"approve_reject", "approve"},
    ActionRule{"start", "report"},           ActionRule{"complete", "report"},
    ActionRule{"accept", "accept"},          ActionRule{"accept_return", "accept"},
    ActionRule{"maintain", "report"},
};

std::unexpected<Error> NotInStatus(const Project& p, std::string_view action) {
  return FailedPrecondition(
      fmt::format("a project in status {} cannot take the action {}", p.status, action));
}

std::unexpected<Error> NotInStage(const Project& p, std::string_view action) {
  return FailedPrecondition(fmt::format(
      "the action {} needs a version awaiting it; version {} is {}", action, p.version, p.stage));
}

// The new version's action from the state: edit or resubmit before the first approval, change
// after it.
Result<Step> NewVersion(const Project& p) {
  Step s;
  s.new_version = true;
  s.stage = std::string(kProposed);
  s.approved_version = p.approved_version;
  if (p.approved_version == 0) {
    if (p.status == kProposed && p.stage == kProposed) {
      s.action = "edit";
    } else if (p.status == kReturned) {
      s.action = "resubmit";
    } else {
      return NotInStatus(p, "edit");
    }
    s.to_status = std::string(kProposed);
    return s;
  }
  if (p.status != kApproved && p.status != kInProgress) return NotInStatus(p, "change");
  if (p.stage == kReviewed) {
    return FailedPrecondition(fmt::format(
        "version {} is with the county for approval: wait for its decision before changing it",
        p.version));
  }
  s.action = "change";
  s.to_status = p.status;
  return s;
}

}  // namespace

std::string_view PermissionFor(std::string_view action) {
  if (action == "new_version") return "propose";
  for (const ActionRule& r : kActions) {
    if (r.action == action) return r.permission;
  }
  return "";
}

bool NeedsReason(std::string_view action) {
  return action.ends_with("_return") || action.ends_with("_reject");
}

bool CountyLevel(const Project& p) {
  auto level = regions::LevelOfCode(p.profile.region_code);
  return level && *level == regions::RegionLevel::kCounty;
}

Result<Step> Plan(const Project& p, std::string_view action, std::string_view reason) {
  if (PermissionFor(action).empty() || action == "submit") {
    return InvalidArgument(
        fmt::format("{} is not an action of a project", action),
        {{0, "action", std::string(action), "is not one of: " + Actions().Allowed()}});
  }
  if (NeedsReason(action) && reason.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return InvalidArgument("a return or rejection needs its reason",
                           {{0, "reason", "", "is required when returning or rejecting"}});
  }
  if (action == "new_version" || action == "edit" || action == "resubmit" || action == "change") {
    auto s = NewVersion(p);
    if (!s) return s;
    if (action != "new_version" && s->action != action) return NotInStatus(p, action);
    return s;
  }
  if (p.status == kRejected) return NotInStatus(p, action);
  Step s;
  s.action = std::string(action);
  s.approved_version = p.approved_version;
  s.to_status = p.status;
  s.stage = p.stage;
  const bool before_approval = p.approved_version == 0;
  // The decision's outcome for the version, and for the project before its first approval.
  auto decide = [&](std::string_view stage) {
    s.stage = std::string(stage);
    if (before_approval) s.to_status = std::string(stage);
  };
  if (action.starts_with("review")) {
    if (CountyLevel(p)) {
      return FailedPrecondition(
          "a county-level project is approved by the county directly, without a township "
          "review");
    }
    if (before_approval ? p.status != kProposed
                        : (p.status != kApproved && p.status != kInProgress)) {
      return NotInStatus(p, action);
    }
    if (p.stage != kProposed || (!before_approval && !p.PendingChange())) {
      return NotInStage(p, action);
    }
    decide(action == "review" ? kReviewed : action == "review_return" ? kReturned : kRejected);
    return s;
  }
  if (action.starts_with("approve")) {
    if (before_approval ? (p.status != kReviewed && p.status != kProposed)
                        : (p.status != kApproved && p.status != kInProgress)) {
      return NotInStatus(p, action);
    }
    const bool awaiting = p.stage == kReviewed || (p.stage == kProposed && CountyLevel(p));
    if (!awaiting || (!before_approval && !p.PendingChange())) return NotInStage(p, action);
    if (action == "approve") {
      decide(kApproved);
      s.approved_version = p.version;
    } else {
      decide(action == "approve_return" ? kReturned : kRejected);
    }
    return s;
  }
  struct Move {
    std::string_view action, from, to;
  };
  static constexpr std::array kMoves = {
      Move{"start", kApproved, kInProgress},     Move{"complete", kInProgress, kCompleted},
      Move{"accept", kCompleted, kAccepted},     Move{"accept_return", kCompleted, kInProgress},
      Move{"maintain", kAccepted, kMaintenance},
  };
  for (const Move& m : kMoves) {
    if (m.action != action) continue;
    if (p.status != m.from) return NotInStatus(p, action);
    if (action == "complete" && p.PendingChange()) {
      return FailedPrecondition(
          fmt::format("the change awaiting approval (version {}) must be decided before completion",
                      p.version));
    }
    s.to_status = std::string(m.to);
    return s;
  }
  return NotInStatus(p, action);
}

std::vector<std::string> AvailableActions(const Project& p) {
  std::vector<std::string> out;
  if (auto s = NewVersion(p)) out.push_back(s->action);
  for (const ActionRule& r : kActions) {
    if (r.permission == "propose") continue;
    if (Plan(p, r.action, "a reason")) out.emplace_back(r.action);
  }
  return out;
}

}  // namespace fupin::projects
