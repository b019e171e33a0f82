#include "service/thread_name.h"

#include <pthread.h>

#include <algorithm>
#include <array>

namespace actiond::service {

void NameThisThread(std::string_view name) {
  std::array<char, 16> buffer{};  // the kernel's TASK_COMM_LEN, with the terminating NUL
  const size_t length = std::min(name.size(), buffer.size() - 1);
  std::copy_n(name.data(), length, buffer.data());
  // Naming is for people only: failing to is harmless, so the result is ignored.
  (void)pthread_setname_np(pthread_self(), buffer.data());
}

}  // namespace actiond::service
