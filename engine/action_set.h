// ActionSet: all live actions of one project, compiled together and indexed, so that an event
// visits only the steps that could match it.
//
// Index: steps are bucketed by event name (plus one bucket for steps without an event
// condition); within a bucket, URL conditions are evaluated together through one RE2::Set, so
// an event's URL is scanned once rather than once per step.
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

 private:
  friend class ActionSet;
  std::vector<int> regex_hits_;
  std::vector<uint32_t> seen_epoch_;  // per action index: epoch it last matched in
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
  ActionSet() = default;
  std::vector<std::shared_ptr<const CompiledAction>> actions_;  // ascending by id
  std::unique_ptr<const Index> index_;
};

// The plain evaluation: every step of every action, one at a time. The reference the indexed
// ActionSet is tested against (differential test) and the matcher backfill uses for a single
// action.
bool ActionMatches(const CompiledAction& action, const EventView& event) noexcept;

}  // namespace actiond::engine
