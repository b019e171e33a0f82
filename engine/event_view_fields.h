// The fields of an EventView that other modules read (storage keys, command-line output),
// reachable without the engine-internal event_view.h and its simdjson types. Views live as long
// as the EventView they came from.
#pragma once

#include <cstdint>
#include <string_view>

namespace actiond::engine {

class EventView;

std::string_view EventName(const EventView& event) noexcept;
std::string_view EventUuid(const EventView& event) noexcept;
std::string_view EventDistinctId(const EventView& event) noexcept;
int64_t EventTimestampMs(const EventView& event) noexcept;

}  // namespace actiond::engine
