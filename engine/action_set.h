// ActionSet: all live actions of one project, compiled together and indexed, so that an event
// visits only the steps that could match it.
//
// Index: steps are bucketed by event name (plus one bucket for steps without an event
// condition); within a bucket, URL conditions are evaluated together through one RE2::Set, so
// an event's URL is scanned once rather than once per step. A step with element conditions is
// indexed under its keys — the exact tokens (tags, classes, ids, attributes) it requires and
// its text and href conditions, each set's conditions one RE2::Set — and is evaluated only when
// the event has all of its keys, so an $autocapture event touches only the steps its chain can
// satisfy (docs/architecture.md, "The matcher"). Steps that share a selector share its result
// within one event: it is evaluated once. All of these only skip steps or decide them as the
// plain evaluation would.
//
// Thread-safety: an ActionSet is immutable after Build() and shared by all threads through a
// shared_ptr<const ActionSet>; each thread brings its own MatchScratch.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/action_definition.h"

namespace actiond::engine {

class CompiledAction;
class EventView;

// Per-thread reusable buffers for Match(); grows to the largest set it has served.
class MatchScratch {
 public:
  MatchScratch();
  ~MatchScratch();
  MatchScratch(const MatchScratch&) = delete;
  MatchScratch& operator=(const MatchScratch&) = delete;

  // The buffers' types are public for action_set.cc's matcher; the buffers themselves are not.
  // An entry equal to epoch_ was set while matching the current event; older ones are stale,
  // so nothing is cleared between events.
  struct KeyCount {
    uint32_t epoch = 0;
    uint32_t present = 0;  // how many of the keyed step's keys are present
  };
  struct SelectorMemo {
    uint32_t epoch = 0;
    bool matches = false;
  };
  struct Buffers {
    std::vector<int> regex_hits;           // a bucket's URL set; read while steps are tried
    std::vector<int> element_hits;         // the element string sets' scratch
    std::vector<uint32_t> seen_epoch;      // per action index: epoch it last matched in
    std::vector<uint32_t> token_epoch;     // per required token: epoch the chain had it in
    std::vector<uint32_t> text_hit_epoch;  // per text condition: epoch some element matched it
    std::vector<uint32_t> href_hit_epoch;  // the same for href conditions
    std::vector<uint32_t> string_hits;     // text (href) conditions newly hit, per search
    std::vector<uint32_t> present_keys;    // the event's present keys (action_set.cc)
    std::vector<KeyCount> key_counts;      // per keyed step

    // Per distinct selector: its result on the current event, once some step evaluated it.
    std::vector<SelectorMemo> selector_memos;
  };

 private:
  friend class ActionSet;
  Buffers buffers_;
  uint32_t epoch_ = 0;
};

class ActionSet {
 public:
  static std::shared_ptr<const ActionSet> Build(
      std::vector<std::shared_ptr<const CompiledAction>> actions);

  // Writes the ids of the actions `event` matches into *out (cleared first), ascending, each
  // once. Cannot fail.
  void Match(const EventView& event, MatchScratch* scratch,
             std::vector<ActionId>* out) const noexcept;

  size_t size() const noexcept { return actions_.size(); }
  std::span<const std::shared_ptr<const CompiledAction>> actions() const noexcept {
    return actions_;
  }

  ~ActionSet();

 private:
  struct Index;
  class Matcher;  // one event's walk over the index (action_set.cc)
  ActionSet() = default;
  std::vector<std::shared_ptr<const CompiledAction>> actions_;  // ascending by id
  std::unique_ptr<const Index> index_;
};

// The plain evaluation: every step of every action, one at a time. The reference the indexed
// ActionSet is tested against (differential test) and the matcher backfill uses for a single
// action.
bool ActionMatches(const CompiledAction& action, const EventView& event) noexcept;

}  // namespace actiond::engine
