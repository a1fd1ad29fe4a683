#include "registry/import_jobs.h"

#include <fmt/format.h>

#include <vector>

namespace fupin::registry {
namespace {

constexpr int kMaxRunning = 2;
constexpr size_t kMaxKept = 200;
constexpr auto kRetention = std::chrono::hours(24);

}  // namespace

std::string_view JobStatusName(JobStatus status) {
  switch (status) {
    case JobStatus::kRunning:
      return "running";
    case JobStatus::kSucceeded:
      return "succeeded";
    case JobStatus::kFailed:
      return "failed";
    case JobStatus::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

ImportJobs::~ImportJobs() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (auto& [id, job] : jobs_) {
      job->cancel_requested = true;
      if (job->thread.joinable()) threads.push_back(std::move(job->thread));
    }
  }
  for (auto& t : threads) t.join();
}

Result<int64_t> ImportJobs::Start(ImportKind kind, std::unique_ptr<tabular::TableReader> reader,
                                  std::string file_name, std::string sha256, ImportOptions options,
                                  audit::Actor actor, int64_t owner) {
  std::lock_guard lock(mu_);
  Prune();
  int running = 0;
  for (const auto& [id, job] : jobs_) running += job->view.status == JobStatus::kRunning;
  if (running >= kMaxRunning || stopping_) {
    return MakeError(
        ErrorCode::kResourceExhausted,
        fmt::format("{} imports are running already; try again when one has finished", running));
  }
  auto job = std::make_unique<Job>();
  job->owner = owner;
  job->view.id = next_id_++;
  job->view.kind = kind;
  job->view.file_name = std::move(file_name);
  job->view.sha256 = std::move(sha256);
  job->view.dry_run = options.dry_run;
  job->view.phase = "read";
  job->view.started_at = FormatTimestampUtc(clock_.Now());
  Job& ref = *job;
  const int64_t id = job->view.id;
  jobs_[id] = std::move(job);
  ref.thread = std::thread(&ImportJobs::Run, this, std::ref(ref), kind, std::move(reader),
                           std::move(options), std::move(actor));
  return id;
}

void ImportJobs::Run(Job& job, ImportKind kind, std::unique_ptr<tabular::TableReader> reader,
                     ImportOptions options, audit::Actor actor) {
  options.progress = [this, &job](std::string_view phase, int64_t rows) {
    std::lock_guard lock(mu_);
    job.view.phase = std::string(phase);
    job.view.rows = rows;
    return !job.cancel_requested;
  };
  options.progress_every = 2000;
  auto result = importer_.Import(kind, *reader, options, actor);
  reader.reset();
  std::lock_guard lock(mu_);
  job.view.finished_at = FormatTimestampUtc(clock_.Now());
  job.finished = clock_.Now();
  if (result) {
    job.view.status = JobStatus::kSucceeded;
    job.view.rows = result->rows;
    job.view.phase = "done";
    job.view.report = std::move(*result);
  } else {
    job.view.status = job.cancel_requested && result.error().code == ErrorCode::kFailedPrecondition
                          ? JobStatus::kCancelled
                          : JobStatus::kFailed;
    job.view.error = std::move(result.error());
  }
}

void ImportJobs::Prune() {
  const auto now = clock_.Now();
  std::vector<int64_t> finished;
  for (const auto& [id, job] : jobs_) {
    if (job->view.status != JobStatus::kRunning) finished.push_back(id);
  }
  size_t excess = finished.size() > kMaxKept ? finished.size() - kMaxKept : 0;
  for (int64_t id : finished) {  // oldest first: ids grow
    auto& job = jobs_.at(id);
    if (excess > 0 || now - job->finished > kRetention) {
      if (job->thread.joinable()) job->thread.join();  // finished: returns at once
      jobs_.erase(id);
      if (excess > 0) --excess;
    }
  }
}

Result<ImportJobView> ImportJobs::Get(int64_t id, int64_t owner) const {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end() || it->second->owner != owner) {
    return NotFound(fmt::format("import job {} does not exist", id));
  }
  return it->second->view;
}

Result<ImportJobView> ImportJobs::Cancel(int64_t id, int64_t owner) {
  std::lock_guard lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end() || it->second->owner != owner) {
    return NotFound(fmt::format("import job {} does not exist", id));
  }
  it->second->cancel_requested = true;
  return it->second->view;
}

}  // namespace fupin::registry
