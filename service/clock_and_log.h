// What a service is handed to read the wall clock and to report progress: services never read
// a clock or write a log themselves (api/ wires in api/clock.h and api/log.h), so tests pass a
// fixed clock and collect the messages.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace actiond::service {

using LogFunction = std::function<void(std::string_view message)>;
using ClockFunction = std::function<int64_t()>;  // now, in ms since the epoch

}  // namespace actiond::service
