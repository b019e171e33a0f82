// Thread names: what NameThisThread sets is what the OS reports for that thread (and only that
// thread), cut at the kernel's 15 bytes; the apply stage's threads carry their role's name.
#include "service/thread_name.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <array>
#include <future>
#include <string>
#include <thread>

#include "service/apply_executor.h"

namespace actiond::service {
namespace {

std::string NameOf(pthread_t thread) {
  std::array<char, 64> name{};
  EXPECT_EQ(pthread_getname_np(thread, name.data(), name.size()), 0);
  return name.data();
}

std::string NameOfThisThreadAfter(std::string_view wanted) {
  std::string seen;
  std::thread([&] {
    NameThisThread(wanted);
    seen = NameOf(pthread_self());
  }).join();
  return seen;
}

TEST(ThreadNameTest, TheOsReportsTheName) { EXPECT_EQ(NameOfThisThreadAfter("apply"), "apply"); }

TEST(ThreadNameTest, ALongNameIsCutAtFifteenBytes) {
  EXPECT_EQ(NameOfThisThreadAfter("cluster-members-and-more"), "cluster-members");
}

TEST(ThreadNameTest, OnlyTheCallingThreadIsRenamed) {
  const std::string before = NameOf(pthread_self());
  ASSERT_EQ(NameOfThisThreadAfter("webhooks"), "webhooks");
  EXPECT_EQ(NameOf(pthread_self()), before);
}

TEST(ThreadNameTest, ApplyThreadsAreNamedApply) {
  ApplyExecutor executor({.threads = 1, .max_queued = 4, .nice = 0});
  std::promise<std::string> name;
  ASSERT_TRUE(executor.TrySubmit(1, [&] { name.set_value(NameOf(pthread_self())); }));
  EXPECT_EQ(name.get_future().get(), "apply");
}

}  // namespace
}  // namespace actiond::service
