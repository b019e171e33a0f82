// HeapTrimmer: hands the C library's freed heap memory back to the operating system every few
// seconds, on a thread of its own.
//
// Why: glibc's malloc gives each thread that allocates an arena of its own and keeps memory
// freed into an arena for later use rather than returning it. Request bodies, parsed documents
// and RocksDB's memtable and compaction buffers are freed by one thread after another, so the
// resident set kept growing under steady ingest although nothing leaked: after four minutes of
// ingest one malloc_trim(0) took it from 306 to 163 MiB (docs/performance.md, "Memory under
// steady ingest"). malloc_trim releases the free pages of every arena, not only the top of
// the main heap.
//
// glibc's own thresholds are left as they are. Fixing the mmap threshold at 1 MiB (mallopt)
// was tried and cost about 40% of the ingest rate in 90-second runs, while the trim alone kept
// RSS as flat (docs/performance.md, "Memory under steady ingest"). Why is not proven: fixing
// it also freezes glibc's trim threshold, which likely makes the heap shrink and grow around
// large frees, but a count of page faults did not show it.
//
// A trim locks one arena at a time for as long as it walks it (milliseconds); the I/O threads
// never run it. Without glibc (another C library) trimming does nothing.
//
// Thread-safety: construct and destroy on one thread; the trimming thread is internal.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace actiond::api {

// Gives freed heap memory back to the OS (malloc_trim(0) under glibc).
void TrimHeap();

class HeapTrimmer {
 public:
  // Calls `trim` every `interval` until destroyed; an interval of zero starts nothing.
  explicit HeapTrimmer(std::chrono::milliseconds interval, std::function<void()> trim = TrimHeap);
  ~HeapTrimmer();  // stops the thread without waiting for the next interval
  HeapTrimmer(const HeapTrimmer&) = delete;
  HeapTrimmer& operator=(const HeapTrimmer&) = delete;

 private:
  void Loop();

  const std::chrono::milliseconds interval_;
  const std::function<void()> trim_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace actiond::api
