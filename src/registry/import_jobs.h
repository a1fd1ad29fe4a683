// Registry imports started from the web UI run as background jobs: the upload returns at once
// with a job id, the UI polls the job's phase and row count for its progress bar, and the user
// may cancel it. Cancelling stops the import at its next progress point; up to the moment the
// write starts nothing has been written, and the write itself is one transaction, so a
// cancelled job never leaves half a file behind.
//
// Jobs live in memory only: a restart forgets them (an interrupted write rolls back). Each job
// belongs to the user who started it; others cannot see or cancel it (they get kNotFound).
// Finished jobs are kept for a day, at most 200 of them. At most two run at once; a third is
// refused with kResourceExhausted.
// Thread-safety: all methods are thread-safe; jobs run on threads of their own, joined by the
// destructor (which cancels the running ones first).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "registry/importer.h"

namespace fupin::registry {

enum class JobStatus { kRunning, kSucceeded, kFailed, kCancelled };
std::string_view JobStatusName(JobStatus status);  // "running", "succeeded", …

// What a poll sees.
struct ImportJobView {
  int64_t id = 0;
  ImportKind kind = ImportKind::kMembers;
  std::string file_name;
  std::string sha256;
  bool dry_run = false;
  JobStatus status = JobStatus::kRunning;
  std::string phase;  // "read", "check", "write" (see ImportOptions::progress)
  int64_t rows = 0;   // rows read so far
  std::string started_at;
  std::string finished_at;
  std::optional<ImportReport> report;  // when succeeded
  std::optional<Error> error;          // when failed (with every problem) or cancelled
};

class ImportJobs {
 public:
  ImportJobs(RegistryImporter& importer, const Clock& clock) : importer_(importer), clock_(clock) {}
  ~ImportJobs();
  ImportJobs(const ImportJobs&) = delete;
  ImportJobs& operator=(const ImportJobs&) = delete;

  // Starts importing `reader` (already opened, so that an unreadable file fails at upload) for
  // `owner` (a user id). `options.progress` is replaced by the job's own.
  Result<int64_t> Start(ImportKind kind, std::unique_ptr<tabular::TableReader> reader,
                        std::string file_name, std::string sha256, ImportOptions options,
                        audit::Actor actor, int64_t owner);
  // The job as it stands; kNotFound for another user's job or an unknown id.
  Result<ImportJobView> Get(int64_t id, int64_t owner) const;
  // Asks a running job to stop; a finished job is left as it is. kNotFound as for Get.
  Result<ImportJobView> Cancel(int64_t id, int64_t owner);

 private:
  struct Job {
    ImportJobView view;
    int64_t owner = 0;
    bool cancel_requested = false;
    std::chrono::system_clock::time_point finished;
    std::thread thread;
  };
  void Run(Job& job, ImportKind kind, std::unique_ptr<tabular::TableReader> reader,
           ImportOptions options, audit::Actor actor);
  // Drops finished jobs past their retention; called with mu_ held.
  void Prune();

  RegistryImporter& importer_;
  const Clock& clock_;

  mutable std::mutex mu_;
  int64_t next_id_ = 1;                           // guarded by mu_
  std::map<int64_t, std::unique_ptr<Job>> jobs_;  // guarded by mu_
  bool stopping_ = false;                         // guarded by mu_
};

}  // namespace fupin::registry
