// The apply stage's executor: one project's jobs in order and never two at once, projects in
// parallel, the bound (a refused job never runs), and Stop() running what was accepted.
#include "service/apply_executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <vector>

namespace actiond::service {
namespace {

using namespace std::chrono_literals;

TEST(ApplyExecutorTest, OneProjectsJobsRunInOrderOneAtATime) {
  ApplyExecutor executor({.threads = 4, .max_queued = 1000, .nice = 0});
  std::mutex mutex;
  std::vector<int> order;
  std::atomic<int> running{0}, overlap{0};
  std::promise<void> done;
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(executor.TrySubmit(7, [&, i] {
      if (running.fetch_add(1) != 0) overlap.fetch_add(1);
      {
        std::lock_guard lock(mutex);
        order.push_back(i);
      }
      running.fetch_sub(1);
      if (i == 199) done.set_value();
    }));
  }
  ASSERT_EQ(done.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_EQ(overlap.load(), 0);
  ASSERT_EQ(order.size(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(order[static_cast<size_t>(i)], i);
}

TEST(ApplyExecutorTest, ABlockedProjectDoesNotHoldAnother) {
  ApplyExecutor executor({.threads = 2, .max_queued = 10, .nice = 0});
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_TRUE(executor.TrySubmit(1, [released] { released.wait(); }));
  ASSERT_TRUE(executor.TrySubmit(1, [] {}));  // waits behind the blocked job of its project
  std::promise<void> other;
  ASSERT_TRUE(executor.TrySubmit(2, [&] { other.set_value(); }));
  EXPECT_EQ(other.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(executor.queued(), 1u) << "project 1's second job still waits";
  release.set_value();
}

TEST(ApplyExecutorTest, BeyondTheBoundJobsAreRefusedAndNeverRun) {
  ApplyExecutor executor({.threads = 1, .max_queued = 2, .nice = 0});
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_TRUE(executor.TrySubmit(1, [&, released] {
    started.set_value();
    released.wait();
  }));
  started.get_future().wait();  // running: it no longer counts as queued
  std::atomic<int> ran{0};
  EXPECT_TRUE(executor.TrySubmit(1, [&] { ran.fetch_add(1); }));
  EXPECT_TRUE(executor.TrySubmit(2, [&] { ran.fetch_add(1); }));
  EXPECT_FALSE(executor.TrySubmit(3, [&] { ran.fetch_add(100); }));
  EXPECT_EQ(executor.queued(), 2u);
  release.set_value();
  executor.Stop();
  EXPECT_EQ(ran.load(), 2) << "the accepted jobs ran; the refused one did not";
  EXPECT_FALSE(executor.TrySubmit(1, [] {})) << "stopped";
}

TEST(ApplyExecutorTest, StopRunsEveryAcceptedJob) {
  std::atomic<int> ran{0};
  {
    ApplyExecutor executor({.threads = 2, .max_queued = 1000, .nice = 0});
    for (int i = 0; i < 500; ++i) {
      ASSERT_TRUE(executor.TrySubmit(i % 7, [&] { ran.fetch_add(1); }));
    }
  }  // the destructor stops
  EXPECT_EQ(ran.load(), 500);
}

}  // namespace
}  // namespace actiond::service
