// NameThisThread: gives the calling thread a name the OS shows (top -H, ps -L, perf, gdb), so
// that an operator can tell the server's threads apart by role — the I/O threads from the apply
// threads, say — when looking at CPU use or scheduling delays (docs/operations.md §9, "Threads").
//
// Linux keeps at most 15 bytes of a thread's name; a longer name is cut there.
#pragma once

#include <string_view>

namespace actiond::service {

void NameThisThread(std::string_view name);

}  // namespace actiond::service
