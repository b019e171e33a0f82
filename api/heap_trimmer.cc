#include "api/heap_trimmer.h"

#include <utility>

#include "service/thread_name.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace actiond::api {

void TrimHeap() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

HeapTrimmer::HeapTrimmer(std::chrono::milliseconds interval, std::function<void()> trim)
    : interval_(interval), trim_(std::move(trim)) {
  if (interval_.count() > 0) {
    thread_ = std::thread([this] {
      service::NameThisThread("heap-trim");
      Loop();
    });
  }
}

HeapTrimmer::~HeapTrimmer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void HeapTrimmer::Loop() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    trim_();
    lock.lock();
  }
}

}  // namespace actiond::api
