// ApplyExecutor: the apply stage (docs/architecture.md §3). Capture requests are decoded and
// validated on the I/O threads, then handed here as jobs; the I/O thread is free at once, and
// the answer is sent when the job has committed. So a read never queues behind ingestion's CPU
// work on an I/O thread.
//
//   - Its own threads (`threads`, default one per core), run at a lower scheduling priority
//     (`nice`) than the I/O threads: when the CPU is saturated, answering reads comes first.
//   - One serial queue per project — a strand: a project's jobs run one at a time, in the order
//     they were submitted, so requests of one project apply in arrival order; different
//     projects run in parallel. Projects with work are served round-robin, one job each turn.
//   - A bound on the jobs waiting (`max_queued`, over all projects): TrySubmit refuses beyond
//     it, and the caller answers 503 with Retry-After (PostHog's SDKs retry). A refused job
//     never runs, so nothing of its request is stored.
//
// Jobs must not throw; the pipeline they run reports errors as a Status.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "service/domain_types.h"

namespace actiond::service {

struct ApplyExecutorOptions {
  int threads = 0;            // 0: one per core
  size_t max_queued = 1'024;  // jobs waiting, over all projects (running ones not counted)
  int nice = 5;               // added to the threads' nice value (0: same priority as I/O)
};

class ApplyExecutor {
 public:
  using Job = std::function<void()>;

  explicit ApplyExecutor(ApplyExecutorOptions options = {});
  ~ApplyExecutor();  // Stop()
  ApplyExecutor(const ApplyExecutor&) = delete;
  ApplyExecutor& operator=(const ApplyExecutor&) = delete;

  // Queues `job` behind the project's earlier jobs; false (and `job` dropped unrun) when
  // max_queued jobs are already waiting, or after Stop().
  bool TrySubmit(ProjectId project, Job job);

  // Runs every job already queued, then stops the threads. Idempotent.
  void Stop();

  size_t queued() const;  // jobs waiting now (a gauge)
  int threads() const noexcept { return static_cast<int>(threads_.size()); }

 private:
  struct ProjectQueue {
    std::deque<Job> jobs;
    bool running = false;  // one of its jobs is on a thread now
  };

  void Run();

  const ApplyExecutorOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::map<ProjectId, ProjectQueue> projects_;  // guarded by mutex_
  std::deque<ProjectId> ready_;                 // guarded: projects with jobs and none running
  size_t queued_ = 0;                           // guarded
  bool stopping_ = false;                       // guarded
  std::vector<std::thread> threads_;
};

}  // namespace actiond::service
