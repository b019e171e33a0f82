// Internal to storage/: the counter additions of one WriteBatch, folded per counter key before
// they are recorded (docs/architecture.md §2, storage/).
//
// Every ingested event adds 1 to its project's event count, and every match 1 to its action's
// all-time and per-day counts. Recorded one by one, a batch of 100 events writes 100 Merge
// operands to the same key: 100 skip-list inserts into the memtable, a read of the key every
// `max_successive_merges` of them, and 100 operands for a flush to fold. Counters only ever
// add, so the additions a batch makes to one key can be summed first and written as one
// operand; the batch stays exactly as atomic, and a read after the commit sees the same sum.
//
// A fixed number of slots, searched linearly: a request touches few distinct counters (the
// event and person totals, and two per matched action), and a full table records its oldest
// slot and reuses it, which is what recording without folding would have done anyway. Slots
// keep their key buffers across Clear(), so folding allocates nothing once warm.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace actiond::storage {

class CounterAdditions {
 public:
  static constexpr size_t kSlots = 32;

  // Adds `delta` to `key`'s pending sum. When every slot holds another key, `emit(key, sum)` is
  // called for the oldest slot first, which is then reused.
  template <typename Emit>
  void Add(std::string_view key, int64_t delta, Emit&& emit) {
    for (size_t i = 0; i < used_; ++i) {
      Slot& slot = slots_[(oldest_ + i) % kSlots];
      if (slot.key == key) {
        slot.sum += delta;
        return;
      }
    }
    if (used_ == kSlots) {
      Slot& evicted = slots_[oldest_];
      emit(std::string_view(evicted.key), evicted.sum);
      oldest_ = (oldest_ + 1) % kSlots;
      --used_;
    }
    Slot& slot = slots_[(oldest_ + used_) % kSlots];
    slot.key.assign(key);
    slot.sum = delta;
    ++used_;
  }

  // Calls `emit(key, sum)` for every pending key, oldest first, and forgets them. A sum of zero
  // (a person created and deleted in one batch) is emitted all the same: it costs one operand
  // and keeps the batch's operation count independent of the values.
  template <typename Emit>
  void Drain(Emit&& emit) {
    for (size_t i = 0; i < used_; ++i) {
      const Slot& slot = slots_[(oldest_ + i) % kSlots];
      emit(std::string_view(slot.key), slot.sum);
    }
    Clear();
  }

  size_t pending() const noexcept { return used_; }
  void Clear() noexcept {
    used_ = 0;
    oldest_ = 0;
  }

 private:
  struct Slot {
    std::string key;
    int64_t sum = 0;
  };
  std::array<Slot, kSlots> slots_;
  size_t oldest_ = 0;
  size_t used_ = 0;
};

}  // namespace actiond::storage
