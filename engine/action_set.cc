#include "engine/action_set.h"

#include <re2/set.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/compiled_action.h"
#include "engine/element_string_set.h"
#include "engine/element_token_index.h"
#include "engine/event_view.h"
#include "engine/regex.h"
#include "engine/step_evaluation_internal.h"
#include "engine/string_map.h"

namespace actiond::engine {

namespace {

// Below this many URL steps in a bucket, testing each matcher (often a plain substring search)
// is cheaper than one pass of an RE2::Set.
constexpr size_t kMinStepsForUrlSet = 4;
constexpr int64_t kUrlSetMaxMemBytes = 16 << 20;
constexpr uint32_t kNoSelector = UINT32_MAX;

// What scanning a bucket needs of a step, copied here so that it reads one dense array instead
// of chasing every step's (large) compiled form.
struct StepRef {
  uint32_t action_index = 0;
  ActionId action_id = 0;
  bool has_url = false;
  // The step has conditions besides its event name and URL (elements, selector, filters).
  // Without them, a step whose URL the bucket's set has matched is decided here, without
  // reading the compiled step: that read, a cache miss per step, was most of the matcher's time
  // at 1,000 actions.
  bool has_other_conditions = false;
  // The step's selector among the set's distinct selectors (the same text is the same
  // selector), or kNoSelector: on the workload 115 steps share 89 selectors, and an
  // $autocapture event evaluated ~8 selector steps but ~5.5 distinct selectors.
  uint32_t selector_id = kNoSelector;
  const CompiledStep* step = nullptr;
};

// A step with keys: the element tokens it requires (element_token_index.h) and its indexed text
// and href conditions (element_string_set.h). Each is necessary for the step to match, so the
// step is evaluated only on an event that has all `keys` of them present; it is reached through
// the postings of its keys and never scanned.
struct KeyedStep {
  StepRef ref;
  uint32_t keys = 0;
};

struct Bucket {
  // Steps without keys, each tried on every event the bucket sees.
  std::vector<StepRef> without_url;
  std::vector<StepRef> with_url;  // with_url[i] is pattern i of url_set
  std::unique_ptr<re2::RE2::Set> url_set;
  // Steps with keys: postings[key_offsets[k] .. key_offsets[k + 1]) are the indexes, in
  // Index::keyed, of this bucket's steps that have key k. Empty when the bucket has none.
  std::vector<uint32_t> key_offsets;
  std::vector<uint32_t> postings;
  // Which kinds of key its steps have: an event's texts (hrefs) are searched only for a bucket
  // that has steps with text (href) keys.
  bool token_keys = false;
  bool text_keys = false;
  bool href_keys = false;
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

// Key space: the token ids of `tokens`, then the text condition ids of `texts`, then the href
// condition ids of `hrefs`.
struct ActionSet::Index {
  StringMap<Bucket> by_event;
  Bucket any_event;  // steps without an event condition
  ElementTokenIndex tokens;
  ElementStringSet texts{ElementStringSet::Field::kText};
  ElementStringSet hrefs{ElementStringSet::Field::kHref};
  std::vector<KeyedStep> keyed;  // all buckets' keyed steps
  size_t selector_count = 0;     // distinct selectors: StepRef::selector_id < selector_count

  uint32_t TextKey(int32_t id) const noexcept {
    return static_cast<uint32_t>(tokens.size()) + static_cast<uint32_t>(id);
  }
  uint32_t HrefKey(int32_t id) const noexcept {
    return static_cast<uint32_t>(tokens.size() + texts.size()) + static_cast<uint32_t>(id);
  }
  size_t key_count() const noexcept { return tokens.size() + texts.size() + hrefs.size(); }
};

MatchScratch::MatchScratch() = default;
MatchScratch::~MatchScratch() = default;
ActionSet::~ActionSet() = default;

namespace {

// A step of Build's first pass: its keys are known only once the sets are built (a set RE2
// cannot compile indexes nothing, and then its conditions are no keys).
struct PendingStep {
  Bucket* bucket = nullptr;
  StepRef ref;
  int32_t text_id = ElementStringSet::kNotIndexed;
  int32_t href_id = ElementStringSet::kNotIndexed;
  std::vector<uint32_t> token_ids;  // sorted, distinct
};

// Fills each bucket's postings from (key, keyed step) pairs.
void BuildPostings(size_t key_count, const std::vector<std::pair<uint32_t, uint32_t>>& pairs,
                   Bucket* bucket) {
  if (pairs.empty()) return;
  bucket->key_offsets.assign(key_count + 1, 0);
  for (const auto& [key, keyed] : pairs) ++bucket->key_offsets[key + 1];
  for (size_t k = 0; k < key_count; ++k) bucket->key_offsets[k + 1] += bucket->key_offsets[k];
  bucket->postings.resize(pairs.size());
  std::vector<uint32_t> next(bucket->key_offsets.begin(), bucket->key_offsets.end() - 1);
  for (const auto& [key, keyed] : pairs) bucket->postings[next[key]++] = keyed;
}

}  // namespace

std::shared_ptr<const ActionSet> ActionSet::Build(
    std::vector<std::shared_ptr<const CompiledAction>> actions) {
  std::sort(actions.begin(), actions.end(),
            [](const auto& a, const auto& b) { return a->id() < b->id(); });
  auto index = std::make_unique<Index>();
  std::vector<PendingStep> pending;
  // By the selector's (trimmed) text, which Selector::Parse turns into one same selector. The
  // views point into the compiled actions, which the set keeps.
  std::unordered_map<std::string_view, uint32_t> selector_ids;
  for (uint32_t i = 0; i < actions.size(); ++i) {
    for (const CompiledStep& step : actions[i]->steps()) {
      PendingStep p;
      p.bucket = step.event ? &index->by_event[*step.event] : &index->any_event;
      p.ref.action_index = i;
      p.ref.action_id = actions[i]->id();
      p.ref.has_url = step.url.has_value();
      p.ref.has_other_conditions =
          step.HasElementConditions() || step.selector || !step.filters.empty();
      p.ref.step = &step;
      if (step.selector) {
        p.ref.selector_id =
            selector_ids.try_emplace(step.selector->source(), selector_ids.size()).first->second;
      }
      if (step.text) p.text_id = index->texts.Add(*step.text);
      if (step.href) p.href_id = index->hrefs.Add(*step.href);
      for (const ElementToken& token : step.required_tokens) {
        p.token_ids.push_back(index->tokens.Add(token));
      }
      std::sort(p.token_ids.begin(), p.token_ids.end());
      p.token_ids.erase(std::unique(p.token_ids.begin(), p.token_ids.end()), p.token_ids.end());
      pending.push_back(std::move(p));
    }
  }
  index->selector_count = selector_ids.size();
  index->tokens.Build();
  index->texts.Build();
  index->hrefs.Build();

  std::unordered_map<Bucket*, std::vector<std::pair<uint32_t, uint32_t>>> pairs;
  for (PendingStep& p : pending) {
    std::vector<uint32_t> keys = std::move(p.token_ids);
    if (!keys.empty()) p.bucket->token_keys = true;
    if (p.text_id != ElementStringSet::kNotIndexed && index->texts.indexed()) {
      keys.push_back(index->TextKey(p.text_id));
      p.bucket->text_keys = true;
    }
    if (p.href_id != ElementStringSet::kNotIndexed && index->hrefs.indexed()) {
      keys.push_back(index->HrefKey(p.href_id));
      p.bucket->href_keys = true;
    }
    if (keys.empty()) {
      (p.ref.has_url ? p.bucket->with_url : p.bucket->without_url).push_back(p.ref);
      continue;
    }
    const auto keyed = static_cast<uint32_t>(index->keyed.size());
    index->keyed.push_back(KeyedStep{p.ref, static_cast<uint32_t>(keys.size())});
    for (uint32_t key : keys) pairs[p.bucket].emplace_back(key, keyed);
  }
  for (auto& [bucket, bucket_pairs] : pairs) {
    BuildPostings(index->key_count(), bucket_pairs, bucket);
  }
  for (auto& [name, bucket] : index->by_event) BuildUrlSet(&bucket);
  BuildUrlSet(&index->any_event);

  std::shared_ptr<ActionSet> set(new ActionSet());
  set->actions_ = std::move(actions);
  set->index_ = std::move(index);
  return set;
}

class ActionSet::Matcher {
 public:
  Matcher(const Index& index, const EventView& event, MatchScratch::Buffers* buffers,
          uint32_t epoch, std::vector<ActionId>* out) noexcept
      : index_(index), event_(event), buffers_(*buffers), epoch_(epoch), out_(out) {}

  void Visit(const Bucket& bucket, bool event_known) noexcept {
    if (!bucket.postings.empty()) VisitKeyed(bucket, event_known);
    for (const StepRef& ref : bucket.without_url) Try(ref, {event_known, false});
    if (bucket.with_url.empty()) return;
    std::string_view url = event_.current_url();
    if (url.empty()) return;  // every URL condition fails without a string $current_url
    if (bucket.url_set && MatchUrlSet(*bucket.url_set, url)) {
      for (int hit : buffers_.regex_hits) {
        Try(bucket.with_url[static_cast<size_t>(hit)], {event_known, true});
      }
      return;
    }
    for (const StepRef& ref : bucket.with_url) Try(ref, {event_known, false});
  }

 private:
  // Counts, for each of the bucket's keyed steps that has a present key, how many of its keys
  // are present, and evaluates a step when all are: only those steps are touched.
  void VisitKeyed(const Bucket& bucket, bool event_known) noexcept {
    const std::vector<uint32_t>& present = PresentKeys(bucket);
    for (uint32_t key : present) {
      for (uint32_t i = bucket.key_offsets[key]; i < bucket.key_offsets[key + 1]; ++i) {
        const uint32_t keyed = bucket.postings[i];
        MatchScratch::KeyCount& count = buffers_.key_counts[keyed];
        if (count.epoch != epoch_) count = {epoch_, 0};
        if (++count.present == index_.keyed[keyed].keys) {
          Try(index_.keyed[keyed].ref, {event_known, false});
        }
      }
    }
  }

  // The keys present in the event, of the kinds `bucket` has: the chain's required tokens, the
  // text and href conditions some element satisfies. Each kind is computed once per event, on
  // the first bucket that needs it; the list may hold keys of kinds the bucket has no postings
  // for (their ranges are empty).
  const std::vector<uint32_t>& PresentKeys(const Bucket& bucket) noexcept {
    std::vector<uint32_t>& present = buffers_.present_keys;
    if (!tokens_done_ && !texts_done_ && !hrefs_done_) present.clear();
    if (bucket.token_keys && !tokens_done_) {
      tokens_done_ = true;
      index_.tokens.CollectPresent(event_.elements(), epoch_, &buffers_.token_epoch, &present);
    }
    auto add_hits = [&](const ElementStringSet& set, std::vector<uint32_t>* hit_epoch,
                        uint32_t first_key) {
      buffers_.string_hits.clear();
      set.MarkHits(event_.elements(), epoch_, &buffers_.element_hits, hit_epoch,
                   &buffers_.string_hits);
      for (uint32_t id : buffers_.string_hits) present.push_back(first_key + id);
    };
    if (bucket.text_keys && !texts_done_) {
      texts_done_ = true;
      add_hits(index_.texts, &buffers_.text_hit_epoch, index_.TextKey(0));
    }
    if (bucket.href_keys && !hrefs_done_) {
      hrefs_done_ = true;
      add_hits(index_.hrefs, &buffers_.href_hit_epoch, index_.HrefKey(0));
    }
    return present;
  }

  // False when the set could not answer (DFA out of memory): the caller then falls back.
  bool MatchUrlSet(const re2::RE2::Set& set, std::string_view url) noexcept {
    buffers_.regex_hits.clear();
    re2::RE2::Set::ErrorInfo error{};
    set.Match(url, &buffers_.regex_hits, &error);
    return error.kind == re2::RE2::Set::kNoError;
  }

  void Try(const StepRef& ref, CompiledStep::Known known) noexcept {
    uint32_t& seen = buffers_.seen_epoch[ref.action_index];
    if (seen == epoch_) return;  // the action already matched through another step
    // A step in an event's bucket has that event name (or none); its URL is known when the
    // bucket's set matched it.
    const bool decided = !ref.has_other_conditions && (!ref.has_url || known.url);
    if (!decided && !Evaluate(ref, known)) return;
    seen = epoch_;
    out_->push_back(ref.action_id);
  }

  // Keeps the result of the step's selector when its evaluation reaches it, for the other steps
  // with the same selector. A step that fails before its selector records nothing.
  struct SelectorRecorder : NoTrace {
    MatchScratch::SelectorMemo* memo;
    uint32_t epoch;
    void SelectorResult(const CompiledStep&, const ElementList&, size_t index) noexcept {
      *memo = {epoch, index != kNoElement};
    }
  };

  // The full evaluation of the step, in the plain evaluation's order, except that a selector
  // already evaluated for this event is not evaluated again.
  bool Evaluate(const StepRef& ref, CompiledStep::Known known) noexcept {
    if (ref.selector_id == kNoSelector) return ref.step->Matches(event_, known);
    MatchScratch::SelectorMemo& memo = buffers_.selector_memos[ref.selector_id];
    if (memo.epoch == epoch_) {
      if (!memo.matches) return false;
      known.selector = true;
      return ref.step->Matches(event_, known);
    }
    SelectorRecorder recorder{{}, &memo, epoch_};
    return EvaluateStep(*ref.step, event_, known, recorder);
  }

  const Index& index_;
  const EventView& event_;
  MatchScratch::Buffers& buffers_;
  uint32_t epoch_;
  std::vector<ActionId>* out_;
  bool tokens_done_ = false;
  bool texts_done_ = false;
  bool hrefs_done_ = false;
};

void ActionSet::Match(const EventView& event, MatchScratch* scratch,
                      std::vector<ActionId>* out) const noexcept {
  out->clear();
  if (actions_.empty()) return;
  MatchScratch::Buffers& buffers = scratch->buffers_;
  auto grow = [](auto* marks, size_t size) {
    if (marks->size() < size) marks->resize(size);
  };
  grow(&buffers.seen_epoch, actions_.size());
  grow(&buffers.token_epoch, index_->tokens.size());
  grow(&buffers.text_hit_epoch, index_->texts.size());
  grow(&buffers.href_hit_epoch, index_->hrefs.size());
  grow(&buffers.key_counts, index_->keyed.size());
  grow(&buffers.selector_memos, index_->selector_count);
  if (++scratch->epoch_ == 0) {  // wrapped: old marks could collide with the new epoch
    for (auto* marks : {&buffers.seen_epoch, &buffers.token_epoch, &buffers.text_hit_epoch,
                        &buffers.href_hit_epoch}) {
      std::fill(marks->begin(), marks->end(), 0);
    }
    std::fill(buffers.key_counts.begin(), buffers.key_counts.end(), MatchScratch::KeyCount{});
    std::fill(buffers.selector_memos.begin(), buffers.selector_memos.end(),
              MatchScratch::SelectorMemo{});
    scratch->epoch_ = 1;
  }
  Matcher matcher(*index_, event, &buffers, scratch->epoch_, out);
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
