// Rectification tasks: assigning, reporting, verifying and following up.
#include "evaluation/rectification_service.h"

#include <fmt/format.h>

#include <algorithm>

#include "access/permissions.h"
#include "base/text.h"

namespace fupin::evaluation {

namespace {

auto NoTask(int64_t id) { return NotFound(fmt::format("no rectification task with id {}", id)); }

// A task is seen where its run is (within or above the caller's regions) and in its own region.
bool Sees(const std::vector<std::string>& scope, const RectificationTask& t) {
  return access::InAnySubtree(scope, t.region_code) || SeenFrom(scope, t.run_region);
}

}  // namespace

Result<RectificationTask> RectificationService::Assign(const std::vector<std::string>& scope,
                                                       const NewTask& request,
                                                       const audit::Actor& actor) {
  auto run = runs_.Get(scope, request.run_id);
  if (!run) return std::unexpected(run.error());
  if (!access::InAnySubtree(scope, run->region_code)) {
    return PermissionDenied(
        fmt::format("run {} belongs to region {}: its office assigns the rectification", run->id,
                    run->region_code));
  }
  if (run->status != RunStatus::kPublished) {
    return FailedPrecondition(
        fmt::format("run {} is a draft: publish it before assigning rectification", run->id));
  }
  RectificationTask t;
  t.run_id = run->id;
  t.system_id = run->system_id;
  t.run_region = run->region_code;
  if (request.finding) {
    if (*request.finding < 0 || static_cast<size_t>(*request.finding) >= run->findings.size()) {
      return InvalidArgument(
          "no such finding",
          {ErrorDetail{0, "finding", std::to_string(*request.finding),
                       fmt::format("the run has findings 0 … {}", run->findings.size() - 1)}});
    }
    t.finding = run->findings[static_cast<size_t>(*request.finding)];
  } else {
    t.finding = request.custom;
    if (t.finding.kind.empty()) t.finding.kind = "note";
    std::vector<ErrorDetail> d;
    if (Trim(t.finding.text).empty()) {
      d.push_back({0, "finding.text", "", "say what is to be rectified, or name a finding"});
    }
    if (!t.finding.node.empty() &&
        std::none_of(run->snapshot.nodes.begin(), run->snapshot.nodes.end(),
                     [&](const SnapshotNode& n) { return n.key == t.finding.node; })) {
      d.push_back({0, "finding.node", t.finding.node, "not a node of the run's system"});
    }
    if (!d.empty()) {
      // Said together with what is wrong with the rest of the task.
      RectificationTask rest;
      rest.title = "-";
      rest.unit = request.unit;
      rest.person = request.person;
      rest.deadline = request.deadline;
      if (auto s = ValidateTask(rest, Today()); !s) {
        for (auto& x : s.error().details) d.push_back(std::move(x));
      }
      return InvalidArgument("the finding is not valid", std::move(d));
    }
  }
  if (!t.finding.object.empty() &&
      std::none_of(run->snapshot.objects.begin(), run->snapshot.objects.end(),
                   [&](const RunObject& o) { return o.code == t.finding.object; })) {
    return InvalidArgument(
        "the finding's object was not evaluated",
        {ErrorDetail{0, "finding.object", t.finding.object, "not one of the run's objects"}});
  }
  t.region_code = t.finding.object.empty() ? run->region_code : t.finding.object;
  t.title = Trim(request.title).empty() ? t.finding.text : request.title;
  t.unit = request.unit;
  t.person = request.person;
  t.deadline = request.deadline;
  t.status = TaskStatus::kAssigned;
  FUPIN_TRY(ValidateTask(t, Today()));
  TaskUpdate first;
  first.status = TaskStatus::kAssigned;
  first.note =
      fmt::format("下达整改任务，责任单位：{}，责任人：{}，期限：{}", t.unit, t.person, t.deadline);
  first.by = actor.name;
  return repository_.CreateTask(t, first, actor);
}

Result<std::vector<RectificationTask>> RectificationService::List(
    const std::vector<std::string>& scope, EvaluationRepository::TaskFilter filter) {
  filter.scope = scope;
  return repository_.ListTasks(filter);
}

Result<RectificationTask> RectificationService::Get(const std::vector<std::string>& scope,
                                                    int64_t id) {
  auto found = repository_.FindTask(id);
  if (!found) return std::unexpected(found.error());
  if (!*found || !Sees(scope, **found)) return NoTask(id);
  return std::move(**found);
}

Result<RectificationTask> RectificationService::Edit(const std::vector<std::string>& scope,
                                                     int64_t id, const TaskEdit& edit,
                                                     const audit::Actor& actor) {
  auto t = Get(scope, id);
  if (!t) return std::unexpected(t.error());
  if (!access::InAnySubtree(scope, t->run_region)) {
    return PermissionDenied(fmt::format(
        "task {} was assigned by region {}: only that office edits it", id, t->run_region));
  }
  if (t->status == TaskStatus::kVerified) {
    return FailedPrecondition(fmt::format("task {} is verified and closed", id));
  }
  if (t->version != edit.version) {
    return Conflict(fmt::format("task {} was changed by someone else: you edited version {}, the "
                                "current version is {}",
                                id, edit.version, t->version),
                    t->version);
  }
  const std::string old_deadline = t->deadline;
  if (edit.title) t->title = *edit.title;
  if (edit.unit) t->unit = *edit.unit;
  if (edit.person) t->person = *edit.person;
  if (edit.deadline) t->deadline = *edit.deadline;
  // An unchanged past deadline stays valid; a new one may not lie in the past.
  const Date today = Today();
  auto s = ValidateTask(*t, today);
  if (!s) {
    auto e = s.error();
    std::erase_if(e.details, [&](const ErrorDetail& d) {
      return d.column == "deadline" && t->deadline == old_deadline && ParseDate(t->deadline);
    });
    if (!e.details.empty()) return std::unexpected(std::move(e));
  }
  std::optional<TaskUpdate> update;
  if (t->deadline != old_deadline) {
    TaskUpdate u;
    u.status = t->status;
    u.note = fmt::format("期限由 {} 调整为 {}", old_deadline, t->deadline);
    u.by = actor.name;
    update = std::move(u);
  }
  return repository_.UpdateTask(*t, update, "update", actor);
}

Result<RectificationTask> RectificationService::Report(const std::vector<std::string>& scope,
                                                       int64_t id, const TaskReport& report,
                                                       const audit::Actor& actor) {
  auto t = Get(scope, id);
  if (!t) return std::unexpected(t.error());
  const bool by_office =
      report.status == TaskStatus::kVerified ||
      (t->status == TaskStatus::kSubmitted && report.status == TaskStatus::kInProgress);
  const std::string& region = by_office ? t->run_region : t->region_code;
  if (!access::InAnySubtree(scope, region)) {
    return PermissionDenied(
        by_office ? fmt::format("only the assigning office ({}) verifies or returns task {}",
                                t->run_region, id)
                  : fmt::format("task {} is rectified in region {}, outside your regions", id,
                                t->region_code));
  }
  if (!AllowedMove(t->status, report.status)) {
    return FailedPrecondition(fmt::format("task {} is {}: it cannot become {}", id,
                                          TaskStatusName(t->status),
                                          TaskStatusName(report.status)));
  }
  std::vector<ErrorDetail> d;
  if (report.status == TaskStatus::kSubmitted && Trim(report.evidence).empty()) {
    d.push_back({0, "evidence", "", "a submission needs its evidence (documents, figures)"});
  }
  if (by_office && report.status == TaskStatus::kInProgress && Trim(report.note).empty()) {
    d.push_back({0, "note", "", "say why the submission is returned"});
  }
  if (report.status == t->status && Trim(report.note).empty() && Trim(report.evidence).empty()) {
    d.push_back({0, "note", "", "a progress report needs a note"});
  }
  if (!d.empty()) return InvalidArgument("the report is not complete", std::move(d));
  if (t->version != report.version) {
    return Conflict(fmt::format("task {} was changed by someone else: you reported on version "
                                "{}, the current version is {}",
                                id, report.version, t->version),
                    t->version);
  }
  const std::string today = Today().ToString();
  if (report.status == TaskStatus::kSubmitted) t->submitted_on = today;
  if (report.status == TaskStatus::kVerified) t->verified_on = today;
  t->status = report.status;
  TaskUpdate u;
  u.status = report.status;
  u.note = report.note;
  u.evidence = report.evidence;
  u.by = actor.name;
  return repository_.UpdateTask(*t, u, std::string(TaskStatusName(report.status)), actor);
}

Status RectificationService::RunSeen(const std::vector<std::string>& scope, int64_t run_id) {
  auto run = runs_.Get(scope, run_id);
  if (!run) return std::unexpected(run.error());
  return {};
}

Result<RectificationService::RunRectification> RectificationService::OfRun(
    const std::vector<std::string>& scope, int64_t run_id) {
  auto run = runs_.Get(scope, run_id);
  if (!run) return std::unexpected(run.error());
  RunRectification out;
  EvaluationRepository::TaskFilter own;
  own.scope = {""};  // the run is seen: so are its tasks
  own.run_id = run_id;
  auto tasks = repository_.ListTasks(own);
  if (!tasks) return std::unexpected(tasks.error());
  out.tasks = std::move(*tasks);
  EvaluationRepository::TaskFilter same_system;
  same_system.scope = {""};
  same_system.system_id = run->system_id;
  auto earlier_tasks = repository_.ListTasks(same_system);
  if (!earlier_tasks) return std::unexpected(earlier_tasks.error());
  std::erase_if(*earlier_tasks, [&](const RectificationTask& t) { return t.run_id >= run_id; });
  std::vector<Run> earlier;
  for (const auto& t : *earlier_tasks) {
    if (std::any_of(earlier.begin(), earlier.end(),
                    [&](const Run& r) { return r.id == t.run_id; })) {
      continue;
    }
    auto r = repository_.FindRun(t.run_id);
    if (!r) return std::unexpected(r.error());
    if (*r) earlier.push_back(std::move(**r));
  }
  out.follow_up = FollowUp(*earlier_tasks, earlier, *run);
  return out;
}

}  // namespace fupin::evaluation
