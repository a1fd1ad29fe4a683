// The project library (项目库): poverty-alleviation projects, their performance targets
// (绩效目标表), milestones, progress reports and versions — the domain types, their
// vocabularies and their checks, defined once.
//
// A project's profile (name, type, region, implementing unit, person in charge, beneficiary
// households, how it benefits the poor, budget, dates, targets, milestones) is kept as
// numbered versions: every edit makes a new version, and each version carries its own approval
// stage, so that a change to an approved project (budget, scope, dates) is approved again while
// the approved version stays in force. What was measured and done — the actual value of a
// target, the completion date of a milestone, progress reports — belongs to the project, not to
// a version: targets and milestones are matched across versions by their `key`.
// Money is integer fen (分), never floating point. Funds (batches, allocations, payments) will
// reference a project by its id; earned value will read the approved version's budget and
// milestones (weights, planned dates) with the progress reports' percent.
// Thread-safety: value types and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/time.h"
#include "registry/vocabulary.h"

namespace fupin::projects {

using registry::Vocabulary;

// 项目类型: industry, employment (workshops), education, health, relocation, infrastructure,
// housing, drinking water, finance/credit, consumption, ecological, social security, other.
const Vocabulary& ProjectTypes();
// 项目状态 — the lifecycle: proposed → reviewed → approved → in_progress → completed →
// accepted → maintenance; returned (to the proposer, with a reason) and rejected on the way.
const Vocabulary& Statuses();
// The approval stage of one version: proposed, reviewed, approved, returned, rejected.
const Vocabulary& VersionStages();
// 绩效指标类别: output (quantity, quality, timeliness), benefit (economic, social,
// ecological, sustainability), satisfaction.
const Vocabulary& TargetCategories();
// How an actual value meets its target: at least (>=), at most (<=), equal (=).
const Vocabulary& Directions();
// The actions of the lifecycle, as recorded in the approval history.
const Vocabulary& Actions();

inline constexpr std::string_view kProposed = "proposed";
inline constexpr std::string_view kReviewed = "reviewed";
inline constexpr std::string_view kApproved = "approved";
inline constexpr std::string_view kInProgress = "in_progress";
inline constexpr std::string_view kCompleted = "completed";
inline constexpr std::string_view kAccepted = "accepted";
inline constexpr std::string_view kMaintenance = "maintenance";
inline constexpr std::string_view kReturned = "returned";
inline constexpr std::string_view kRejected = "rejected";

// The group of a target category: "output", "benefit" or "satisfaction".
std::string_view TargetGroup(std::string_view category);

// One row of the performance target table (绩效目标表).
struct Target {
  std::string key;               // stable across versions within the project ("t1", …)
  std::string category;          // TargetCategories()
  std::string name;              // the indicator, e.g. 新建日光温室 / 带动脱贫户增收
  std::string unit;              // 座, 户, %, 万元 …
  std::string direction = ">=";  // Directions()
  double target_value = 0;

  friend bool operator==(const Target&, const Target&) = default;
};

// A milestone (里程碑): planned on a day, weighing `weight` percent of the project (the weights
// of a version add up to 100).
struct Milestone {
  std::string key;  // stable across versions within the project ("m1", …)
  std::string name;
  Date planned_on;
  int weight = 0;

  friend bool operator==(const Milestone&, const Milestone&) = default;
};

// What a version says about the project.
struct ProjectProfile {
  std::string name;
  std::string type;                    // ProjectTypes()
  std::string region_code;             // a village, township or county
  std::string implementing_unit;       // 实施单位
  std::string person_in_charge;        // 项目负责人
  std::string content;                 // 建设内容及规模 — the scope
  std::string mechanism;               // 带贫减贫机制 — how the project benefits the poor
  std::vector<int64_t> beneficiaries;  // registry household ids (受益脱贫户)
  int64_t budget_fen = 0;
  Date start_on;
  Date end_on;
  std::vector<Target> targets;
  std::vector<Milestone> milestones;  // in planned order

  friend bool operator==(const ProjectProfile&, const ProjectProfile&) = default;
};

// One version of a project's profile, with its approval stage.
struct ProjectVersion {
  int64_t project_id = 0;
  int64_t version = 0;
  ProjectProfile profile;
  std::string stage;          // VersionStages()
  std::string change_reason;  // why the version was made (required for a change once approved)
  std::string created_by;
  std::string created_at;  // UTC timestamp
};

// A project as listed: the latest version's profile and where the lifecycle stands.
struct Project {
  int64_t id = 0;
  std::string status;            // Statuses()
  int64_t version = 0;           // the latest version
  std::string stage;             // the latest version's approval stage
  int64_t approved_version = 0;  // the version in force (0 until first approved)
  // +1 on every write of the project (a version, a transition): the optimistic lock of the
  // lifecycle's actions.
  int64_t revision = 1;
  std::string maintainer;  // 管护主体, once handed over for maintenance
  ProjectProfile profile;  // of the latest version
  int latest_percent = 0;  // of the latest progress report (0 when none)
  std::optional<Date> latest_report_on;
  std::string created_at;
  std::string updated_at;

  // A change of an approved project awaiting its decision (latest version proposed, reviewed or
  // returned after the approved one).
  bool PendingChange() const {
    return approved_version > 0 && version > approved_version && stage != kRejected;
  }
};

// The actual value of a target when measured.
struct TargetActual {
  std::string key;
  double value = 0;
  Date measured_on;
  std::string note;
  std::string recorded_by;
  std::string recorded_at;
};

// The day a milestone was completed.
struct MilestoneActual {
  std::string key;
  Date completed_on;
  std::string note;
  std::string recorded_by;
  std::string recorded_at;
};

// A file or document a progress report refers to (name and a reference: a path, URL or
// archive number); the file itself is kept elsewhere.
struct Attachment {
  std::string name;
  std::string ref;

  friend bool operator==(const Attachment&, const Attachment&) = default;
};

// 项目进度报告.
struct ProgressReport {
  int64_t id = 0;
  int64_t project_id = 0;
  Date on;
  int percent = 0;  // complete, 0–100
  std::string narrative;
  std::vector<Attachment> attachments;
  std::string reported_by;
  std::string reported_at;  // UTC timestamp
};

// One step of the lifecycle, never changed once written: who, when, from which status to
// which, on which version (and its stage after the step), and why.
struct Transition {
  int64_t id = 0;
  int64_t project_id = 0;
  int64_t version = 0;
  std::string action;  // Actions()
  std::string from_status;
  std::string to_status;
  std::string stage;  // of `version` after the step
  std::string reason;
  Date on;  // the business date (China Standard Time)
  std::string actor;
  int64_t actor_user_id = 0;
  std::string at;  // UTC timestamp
};

// A project with everything its page shows.
struct ProjectDetail {
  Project project;
  std::optional<ProjectVersion> approved;  // the version in force when it is not the latest
  std::vector<TargetActual> target_actuals;
  std::vector<MilestoneActual> milestone_actuals;
  std::vector<ProgressReport> reports;   // by date, then id
  std::vector<Transition> transitions;   // oldest first
  std::vector<ProjectVersion> versions;  // every version, oldest first, profiles included
};

// Checks a profile as it would be stored: required fields, codes known, a positive budget,
// start not after end; targets with a known category and direction, a finite value, and at
// least one output, one benefit and one satisfaction target; at least one milestone, each
// planned within the project's dates and in order, weights 1–100 adding up to 100; keys and
// beneficiaries not repeated. Problems name the field ("milestones[2].weight"); empty = valid.
// Whether the region and households exist is checked against storage, not here.
std::vector<ErrorDetail> ValidateProfile(const ProjectProfile& p);

// Gives every target and milestone without a key the next free one ("t3", "m4"), keeping the
// keys given (those of the version edited). Keys of `earlier` versions are never given again,
// so that a removed milestone's completion is not taken for a new one's.
void AssignKeys(ProjectProfile& p, const std::vector<ProjectVersion>& earlier = {});

// Checks a progress report: a day not in the future nor before the project's start, percent
// 0–100, a narrative, attachments named.
std::vector<ErrorDetail> ValidateReport(const ProgressReport& r, const ProjectProfile& profile,
                                        const Date& today);

// One difference between two versions: a field ("budget_fen", "milestones[m2].planned_on",
// "targets[t1]" when a target was added or removed) with its value before and after ("" when
// absent).
struct Difference {
  std::string field;
  std::string before;
  std::string after;

  friend bool operator==(const Difference&, const Difference&) = default;
};

// The differences from `a` to `b`, in a fixed order: the profile's fields, then beneficiaries
// (added and removed), targets and milestones matched by key.
std::vector<Difference> Compare(const ProjectProfile& a, const ProjectProfile& b);

// "12345.67" for 1234567 fen.
std::string Yuan(int64_t fen);

}  // namespace fupin::projects
