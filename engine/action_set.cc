#include "engine/action_set.h"

#include <re2/set.h>

#include <algorithm>
#include <string>
#include <unordered_map>

#include "engine/compiled_action.h"
#include "engine/element_string_set.h"
#include "engine/event_view.h"
#include "engine/regex.h"
#include "engine/string_map.h"

namespace actiond::engine {

namespace {

// Below this many URL steps in a bucket, testing each matcher (often a plain substring search)
// is cheaper than one pass of an RE2::Set.
constexpr size_t kMinStepsForUrlSet = 4;
constexpr int64_t kUrlSetMaxMemBytes = 16 << 20;

// The step's element prefilter is copied in here so that scanning a bucket reads one dense
// array instead of chasing every step's (large) compiled form.
struct StepRef {
  uint32_t action_index = 0;
  ActionId action_id = 0;
  bool needs_elements = false;  // required_elements is not empty
  bool has_url = false;
  // The step has conditions besides its event name and URL (elements, selector, filters).
  // Without them, a step whose URL the bucket's set has matched is decided here, without
  // reading the compiled step: that read, a cache miss per step, was most of the matcher's time
  // at 1,000 actions.
  bool has_other_conditions = false;
  // The step's text and href conditions in the ActionSet's ElementStringSets, or kNotIndexed.
  int32_t text_id = ElementStringSet::kNotIndexed;
  int32_t href_id = ElementStringSet::kNotIndexed;
  const CompiledStep* step = nullptr;
  ElementSignature required_elements;
};

struct Bucket {
  std::vector<StepRef> without_url;
  std::vector<StepRef> with_url;  // with_url[i] is pattern i of url_set
  std::unique_ptr<re2::RE2::Set> url_set;
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
  StringMap<Bucket> by_event;
  Bucket any_event;  // steps without an event condition
  ElementStringSet texts{ElementStringSet::Field::kText};
  ElementStringSet hrefs{ElementStringSet::Field::kHref};
  // Every token kind some step requires: the chain's signature needs no others.
  ElementSignature::Kinds signature_kinds = 0;
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
      StepRef ref;
      ref.action_index = i;
      ref.action_id = actions[i]->id();
      ref.has_url = step.url.has_value();
      ref.has_other_conditions =
          step.HasElementConditions() || step.selector || !step.filters.empty();
      ref.needs_elements = !step.required_elements.empty();
      if (step.text) ref.text_id = index->texts.Add(*step.text);
      if (step.href) ref.href_id = index->hrefs.Add(*step.href);
      ref.step = &step;
      ref.required_elements = step.required_elements;
      index->signature_kinds |= step.required_elements.kinds();
      (step.url ? bucket.with_url : bucket.without_url).push_back(ref);
    }
  }
  index->texts.Build();
  index->hrefs.Build();
  for (auto& [name, bucket] : index->by_event) BuildUrlSet(&bucket);
  BuildUrlSet(&index->any_event);

  std::shared_ptr<ActionSet> set(new ActionSet());
  set->actions_ = std::move(actions);
  set->index_ = std::move(index);
  return set;
}

namespace {

// One element field's conditions (texts or hrefs) for one event: the chain's strings are searched
// through the field's ElementStringSet on the first step that asks, once per event.
class ElementFieldHits {
 public:
  ElementFieldHits(const ElementStringSet& set, std::vector<uint32_t>* hit_epoch) noexcept
      : set_(set), hit_epoch_(hit_epoch) {}

  // False only when condition `id` is indexed and no element of `event` satisfies it; a step
  // this cannot rule out is evaluated in full.
  bool MayHold(int32_t id, const EventView& event, uint32_t epoch,
               std::vector<int>* scratch) noexcept {
    if (id == ElementStringSet::kNotIndexed || !set_.indexed()) return true;
    if (!searched_) {
      set_.MarkHits(event.elements(), epoch, scratch, hit_epoch_);
      searched_ = true;
    }
    return (*hit_epoch_)[static_cast<size_t>(id)] == epoch;
  }

 private:
  const ElementStringSet& set_;
  std::vector<uint32_t>* hit_epoch_;
  bool searched_ = false;
};

class Matcher {
 public:
  Matcher(ElementFieldHits texts, ElementFieldHits hrefs, const EventView& event,
          std::vector<int>* hits, std::vector<int>* element_hits, std::vector<uint32_t>* seen,
          uint32_t epoch, ElementSignature::Kinds signature_kinds,
          std::vector<ActionId>* out) noexcept
      : texts_(texts),
        hrefs_(hrefs),
        event_(event),
        hits_(hits),
        element_hits_(element_hits),
        seen_(seen),
        epoch_(epoch),
        signature_kinds_(signature_kinds),
        out_(out) {}

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
    if (!texts_.MayHold(ref.text_id, event_, epoch_, element_hits_)) return;
    if (!hrefs_.MayHold(ref.href_id, event_, epoch_, element_hits_)) return;
    // A step in an event's bucket has that event name (or none); its URL is known when the
    // bucket's set matched it.
    const bool decided = !ref.has_other_conditions && (!ref.has_url || known.url);
    if (!decided && !ref.step->Matches(event_, known)) return;
    seen = epoch_;
    out_->push_back(ref.action_id);
  }

  // Computed on the first step that needs it, once per event.
  const ElementSignature& ChainSignature() noexcept {
    if (!signature_ready_) {
      signature_ = ElementSignature::Of(event_.elements(), signature_kinds_);
      signature_ready_ = true;
    }
    return signature_;
  }

  ElementFieldHits texts_;
  ElementFieldHits hrefs_;
  const EventView& event_;
  ElementSignature signature_;
  bool signature_ready_ = false;
  std::vector<int>* hits_;          // URL set hits, iterated while steps are tried
  std::vector<int>* element_hits_;  // so the element sets need their own
  std::vector<uint32_t>* seen_;
  uint32_t epoch_;
  ElementSignature::Kinds signature_kinds_;
  std::vector<ActionId>* out_;
};

}  // namespace

void ActionSet::Match(const EventView& event, MatchScratch* scratch,
                      std::vector<ActionId>* out) const noexcept {
  out->clear();
  if (actions_.empty()) return;
  MatchScratch::Buffers& buffers = scratch->buffers_;
  auto grow = [](std::vector<uint32_t>* marks, size_t size) {
    if (marks->size() < size) marks->resize(size);
  };
  grow(&buffers.seen_epoch, actions_.size());
  grow(&buffers.text_hit_epoch, index_->texts.size());
  grow(&buffers.href_hit_epoch, index_->hrefs.size());
  if (++scratch->epoch_ == 0) {  // wrapped: old marks could collide with the new epoch
    for (auto* marks : {&buffers.seen_epoch, &buffers.text_hit_epoch, &buffers.href_hit_epoch}) {
      std::fill(marks->begin(), marks->end(), 0);
    }
    scratch->epoch_ = 1;
  }
  Matcher matcher(ElementFieldHits(index_->texts, &buffers.text_hit_epoch),
                  ElementFieldHits(index_->hrefs, &buffers.href_hit_epoch), event,
                  &buffers.regex_hits, &buffers.element_hits, &buffers.seen_epoch, scratch->epoch_,
                  index_->signature_kinds, out);
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
