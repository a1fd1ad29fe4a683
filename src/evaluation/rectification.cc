// Rectification tasks: statuses, deadlines and the follow-up in later runs.
#include "evaluation/rectification.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/text.h"

namespace fupin::evaluation {

std::string_view TaskStatusName(TaskStatus status) {
  switch (status) {
    case TaskStatus::kAssigned:
      return "assigned";
    case TaskStatus::kInProgress:
      return "in_progress";
    case TaskStatus::kSubmitted:
      return "submitted";
    case TaskStatus::kVerified:
      return "verified";
  }
  return "assigned";
}

std::optional<TaskStatus> TaskStatusNamed(std::string_view name) {
  for (auto s : {TaskStatus::kAssigned, TaskStatus::kInProgress, TaskStatus::kSubmitted,
                 TaskStatus::kVerified}) {
    if (TaskStatusName(s) == name) return s;
  }
  return std::nullopt;
}

bool Overdue(const RectificationTask& task, const Date& today) {
  if (task.status != TaskStatus::kAssigned && task.status != TaskStatus::kInProgress) return false;
  auto deadline = ParseDate(task.deadline);
  return deadline && *deadline < today;
}

bool Late(const RectificationTask& task) {
  return !task.submitted_on.empty() && task.submitted_on > task.deadline;
}

bool AllowedMove(TaskStatus from, TaskStatus to) {
  switch (from) {
    case TaskStatus::kAssigned:
      return to == TaskStatus::kAssigned || to == TaskStatus::kInProgress ||
             to == TaskStatus::kSubmitted;
    case TaskStatus::kInProgress:
      return to == TaskStatus::kInProgress || to == TaskStatus::kSubmitted;
    case TaskStatus::kSubmitted:
      return to == TaskStatus::kVerified || to == TaskStatus::kInProgress;
    case TaskStatus::kVerified:
      return false;
  }
  return false;
}

Status ValidateTask(const RectificationTask& task, const Date& today) {
  std::vector<ErrorDetail> d;
  if (Trim(task.title).empty()) d.push_back({0, "title", "", "a task needs a title"});
  if (Trim(task.unit).empty()) d.push_back({0, "unit", "", "name the responsible unit (责任单位)"});
  if (Trim(task.person).empty()) {
    d.push_back({0, "person", "", "name the responsible person (责任人)"});
  }
  if (task.title.size() > 400) d.push_back({0, "title", "", "at most 400 bytes"});
  auto deadline = ParseDate(task.deadline);
  if (!deadline) {
    d.push_back({0, "deadline", task.deadline, "a date (YYYY-MM-DD)"});
  } else if (*deadline < today) {
    d.push_back({0, "deadline", task.deadline,
                 fmt::format("in the past (today is {} in China)", today.ToString())});
  }
  if (!d.empty()) return InvalidArgument("the rectification task is not valid", std::move(d));
  return {};
}

namespace {

int ObjectIndex(const Run& run, const std::string& code) {
  for (size_t i = 0; i < run.snapshot.objects.size(); ++i) {
    if (run.snapshot.objects[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

int NodeIndex(const Run& run, const std::string& key) {
  if (key.empty()) return 0;  // the overall node
  for (size_t i = 0; i < run.snapshot.nodes.size(); ++i) {
    if (run.snapshot.nodes[i].key == key) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

std::vector<RectificationFollowUp> FollowUp(const std::vector<RectificationTask>& tasks,
                                            const std::vector<Run>& earlier, const Run& run) {
  std::vector<RectificationFollowUp> out;
  for (const auto& t : tasks) {
    if (t.run_id == run.id || t.system_id != run.system_id) continue;
    const auto e = std::find_if(earlier.begin(), earlier.end(),
                                [&](const Run& r) { return r.id == t.run_id; });
    RectificationFollowUp f;
    f.task = t;
    f.earlier_run = t.run_id;
    if (t.finding.object.empty()) {
      out.push_back(std::move(f));
      continue;
    }
    const int now_object = ObjectIndex(run, t.finding.object);
    if (now_object < 0) continue;
    const int now_node = NodeIndex(run, t.finding.node);
    if (now_node >= 0) {
      const auto& n = run.results.outcomes[static_cast<size_t>(now_object)]
                          .nodes[static_cast<size_t>(now_node)];
      f.score_now = n.score;
      f.grade_now = run.snapshot.grades[static_cast<size_t>(n.grade)].name;
    }
    if (e != earlier.end()) {
      const int o = ObjectIndex(*e, t.finding.object);
      const int k = NodeIndex(*e, t.finding.node);
      if (o >= 0 && k >= 0) {
        const auto& n = e->results.outcomes[static_cast<size_t>(o)].nodes[static_cast<size_t>(k)];
        f.score_before = n.score;
        f.grade_before = e->snapshot.grades[static_cast<size_t>(n.grade)].name;
      }
    }
    f.improved = f.score_before && f.score_now && *f.score_now > *f.score_before;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace fupin::evaluation
