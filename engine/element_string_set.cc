#include "engine/element_string_set.h"

#include <string_view>

#include "engine/regex.h"

namespace actiond::engine {

namespace {

// The same budget as the URL sets of action_set.cc: a set that needs more is not built.
constexpr int64_t kSetMaxMemBytes = 16 << 20;
// A chain longer than this is scanned element by element without skipping repeated texts.
constexpr size_t kMaxDeduplicated = 32;

std::string_view FieldOf(const Element& element, ElementStringSet::Field field) noexcept {
  return field == ElementStringSet::Field::kText ? element.text : element.href;
}

}  // namespace

int32_t ElementStringSet::Add(const StringMatcher& matcher) {
  if (matcher.pattern().size() > kMaxPatternBytes) return kNotIndexed;
  std::string regex = matcher.EquivalentRegex();
  auto [it, inserted] = ids_.try_emplace(regex, static_cast<int32_t>(patterns_.size()));
  if (inserted) patterns_.push_back(std::move(regex));
  return it->second;
}

void ElementStringSet::Build() {
  if (patterns_.empty()) return;
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kSetMaxMemBytes);
  auto set = std::make_unique<re2::RE2::Set>(options, re2::RE2::UNANCHORED);
  for (const std::string& pattern : patterns_) {
    // Each pattern compiled alone when its step was saved; together they may still fail.
    if (set->Add(pattern, nullptr) < 0) return;
  }
  if (!set->Compile()) return;
  re2::RE2::Set::ErrorInfo error{};
  empty_hits_known_ =
      set->Match(re2::StringPiece(), &empty_hits_, &error) || error.kind == re2::RE2::Set::kNoError;
  set_ = std::move(set);
}

void ElementStringSet::MarkHits(const ElementList& elements, uint32_t epoch, std::vector<int>* hits,
                                std::vector<uint32_t>* hit_epoch,
                                std::vector<uint32_t>* newly_hit) const noexcept {
  auto mark = [epoch, hit_epoch, newly_hit](size_t id) {
    if ((*hit_epoch)[id] == epoch) return;
    (*hit_epoch)[id] = epoch;
    newly_hit->push_back(static_cast<uint32_t>(id));
  };
  for (size_t i = 0; i < elements.size(); ++i) {
    const std::string_view value = FieldOf(elements[i], field_);
    if (value.empty() && empty_hits_known_) {
      for (int id : empty_hits_) mark(static_cast<size_t>(id));
      continue;
    }
    // Ancestors often repeat a text: one search per distinct value.
    bool repeated = false;
    for (size_t j = 0; j < i && i < kMaxDeduplicated && !repeated; ++j) {
      repeated = FieldOf(elements[j], field_) == value;
    }
    if (repeated) continue;
    re2::RE2::Set::ErrorInfo error{};
    if (!set_->Match(re2::StringPiece(value.data(), value.size()), hits, &error) &&
        error.kind != re2::RE2::Set::kNoError) {
      // The set could not answer: every condition may match.
      for (size_t id = 0; id < hit_epoch->size(); ++id) mark(id);
      return;
    }
    for (int id : *hits) mark(static_cast<size_t>(id));
  }
}

}  // namespace actiond::engine
