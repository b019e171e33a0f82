#include "service/apply_executor.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "service/thread_name.h"

namespace actiond::service {

ApplyExecutor::ApplyExecutor(ApplyExecutorOptions options) : options_(options) {
  int n = options_.threads > 0
              ? options_.threads
              : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  threads_.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { Run(); });
}

ApplyExecutor::~ApplyExecutor() { Stop(); }

bool ApplyExecutor::TrySubmit(ProjectId project, Job job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queued_ >= options_.max_queued) return false;
    ProjectQueue& queue = projects_[project];
    queue.jobs.push_back(std::move(job));
    ++queued_;
    if (!queue.running && queue.jobs.size() == 1) ready_.push_back(project);
  }
  wake_.notify_one();
  return true;
}

void ApplyExecutor::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

size_t ApplyExecutor::queued() const {
  std::lock_guard lock(mutex_);
  return queued_;
}

void ApplyExecutor::Run() {
  NameThisThread("apply");
  if (options_.nice > 0) {
    // Linux applies a nice value per thread (setpriority on the thread id). Raising one's own
    // nice value needs no privilege; failing to is harmless, so the result is ignored.
    (void)setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), options_.nice);
  }
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return !ready_.empty() || (stopping_ && queued_ == 0); });
    if (ready_.empty()) return;  // stopping, and every queued job has run
    const ProjectId project = ready_.front();
    ready_.pop_front();
    ProjectQueue& queue = projects_[project];
    Job job = std::move(queue.jobs.front());
    queue.jobs.pop_front();
    queue.running = true;
    --queued_;
    lock.unlock();
    job();
    job = nullptr;  // release what the job holds before taking the lock again
    lock.lock();
    ProjectQueue& after = projects_[project];
    after.running = false;
    if (!after.jobs.empty()) {
      ready_.push_back(project);  // to the back: other projects take their turn first
      wake_.notify_one();
    } else {
      projects_.erase(project);
    }
    if (stopping_ && queued_ == 0) wake_.notify_all();
  }
}

}  // namespace actiond::service
