#include "engine/action_set.h"

#include <re2/set.h>

#include <algorithm>
#include <string>
#include <unordered_map>

#include "engine/compiled_action.h"
#include "engine/event_view.h"
#include "engine/regex.h"

namespace actiond::engine {

namespace {

// Below this many URL steps in a bucket, testing each matcher (often a plain substring search)
// is cheaper than one pass of an RE2::Set.
constexpr size_t kMinStepsForUrlSet = 4;
constexpr int64_t kUrlSetMaxMemBytes = 16 << 20;

// The step's element prefilter is copied in here so that scanning a bucket reads one dense
// array instead of chasing every step's (large) compiled form.
struct StepRef {
  uint32_t action_index;
  bool needs_elements;  // required_elements is not empty
  const CompiledStep* step;
  ElementSignature required_elements;
};

struct Bucket {
  std::vector<StepRef> without_url;
  std::vector<StepRef> with_url;  // with_url[i] is pattern i of url_set
  std::unique_ptr<re2::RE2::Set> url_set;
};

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

// Builds one RE2::Set over the bucket's URL conditions; on any failure (a pattern RE2::Set
// cannot take, or the memory budget) the bucket keeps testing its URL steps one by one.
void BuildUrlSet(Bucket* bucket) {
  if (bucket->with_url.size() < kMinStepsForUrlSet) return;
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kUrlSetMaxMemBytes);
  auto set = std::make_unique<re2::RE2::Set>(options, re2::RE2::UNANCHORED);
  for (const StepRef& ref : bucket->with_url) {
    // A long literal (up to 64 KiB) is searched faster, and within budget, on its own.
    if (ref.step->url->pattern().size() > kMaxPatternBytes) return;
    if (set->Add(ref.step->url->EquivalentRegex(), nullptr) < 0) return;
  }
  if (!set->Compile()) return;
  bucket->url_set = std::move(set);
}

}  // namespace

struct ActionSet::Index {
  std::unordered_map<std::string, Bucket, StringHash, std::equal_to<>> by_event;
  Bucket any_event;  // steps without an event condition
};

MatchScratch::MatchScratch() = default;
MatchScratch::~MatchScratch() = default;
ActionSet::~ActionSet() = default;

std::shared_ptr<const ActionSet> ActionSet::Build(
    std::vector<std::shared_ptr<const CompiledAction>> actions) {
  std::sort(actions.begin(), actions.end(),
            [](const auto& a, const auto& b) { return a->id() < b->id(); });
  auto index = std::make_unique<Index>();
  for (uint32_t i = 0; i < actions.size(); ++i) {
    for (const CompiledStep& step : actions[i]->steps()) {
      Bucket& bucket = step.event ? index->by_event[*step.event] : index->any_event;
      (step.url ? bucket.with_url : bucket.without_url)
          .push_back(StepRef{i, !step.required_elements.empty(), &step, step.required_elements});
    }
  }
  for (auto& [name, bucket] : index->by_event) BuildUrlSet(&bucket);
  BuildUrlSet(&index->any_event);

  std::shared_ptr<ActionSet> set(new ActionSet());
  set->actions_ = std::move(actions);
  set->index_ = std::move(index);
  return set;
}

namespace {

class Matcher {
 public:
  Matcher(const std::vector<std::shared_ptr<const CompiledAction>>& actions, const EventView& event,
          std::vector<int>* hits, std::vector<uint32_t>* seen, uint32_t epoch,
          std::vector<ActionId>* out) noexcept
      : actions_(actions), event_(event), hits_(hits), seen_(seen), epoch_(epoch), out_(out) {}

  void Visit(const Bucket& bucket, bool event_known) noexcept {
    for (const StepRef& ref : bucket.without_url) Try(ref, {event_known, false});
    if (bucket.with_url.empty()) return;
    std::string_view url = event_.current_url();
    if (url.empty()) return;  // every URL condition fails without a string $current_url
    if (bucket.url_set && MatchUrlSet(*bucket.url_set, url)) {
      for (int hit : *hits_) Try(bucket.with_url[static_cast<size_t>(hit)], {event_known, true});
      return;
    }
    for (const StepRef& ref : bucket.with_url) Try(ref, {event_known, false});
  }

 private:
  // False when the set could not answer (DFA out of memory): the caller then falls back.
  bool MatchUrlSet(const re2::RE2::Set& set, std::string_view url) noexcept {
    hits_->clear();
    re2::RE2::Set::ErrorInfo error{};
    set.Match(url, hits_, &error);
    return error.kind == re2::RE2::Set::kNoError;
  }

  void Try(const StepRef& ref, CompiledStep::Known known) noexcept {
    uint32_t& seen = (*seen_)[ref.action_index];
    if (seen == epoch_) return;  // the action already matched through another step
    if (ref.needs_elements && !ChainSignature().MayContainAll(ref.required_elements)) return;
    if (!ref.step->Matches(event_, known)) return;
    seen = epoch_;
    out_->push_back(actions_[ref.action_index]->id());
  }

  // Computed on the first step that needs it, once per event.
  const ElementSignature& ChainSignature() noexcept {
    if (!signature_ready_) {
      signature_ = ElementSignature::Of(event_.elements());
      signature_ready_ = true;
    }
    return signature_;
  }

  const std::vector<std::shared_ptr<const CompiledAction>>& actions_;
  const EventView& event_;
  ElementSignature signature_;
  bool signature_ready_ = false;
  std::vector<int>* hits_;
  std::vector<uint32_t>* seen_;
  uint32_t epoch_;
  std::vector<ActionId>* out_;
};

}  // namespace

void ActionSet::Match(const EventView& event, MatchScratch* scratch,
                      std::vector<ActionId>* out) const noexcept {
  out->clear();
  if (actions_.empty()) return;
  if (scratch->seen_epoch_.size() < actions_.size()) scratch->seen_epoch_.resize(actions_.size());
  if (++scratch->epoch_ == 0) {  // wrapped: old marks could collide with the new epoch
    std::fill(scratch->seen_epoch_.begin(), scratch->seen_epoch_.end(), 0);
    scratch->epoch_ = 1;
  }
  Matcher matcher(actions_, event, &scratch->regex_hits_, &scratch->seen_epoch_, scratch->epoch_,
                  out);
  if (auto it = index_->by_event.find(event.name()); it != index_->by_event.end()) {
    matcher.Visit(it->second, /*event_known=*/true);
  }
  matcher.Visit(index_->any_event, /*event_known=*/false);
  std::sort(out->begin(), out->end());
}

bool ActionMatches(const CompiledAction& action, const EventView& event) noexcept {
  for (const CompiledStep& step : action.steps()) {
    if (step.Matches(event)) return true;
  }
  return false;
}

}  // namespace actiond::engine
