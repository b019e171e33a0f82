#include "engine/elements_chain.h"

#include <cstdint>
#include <limits>

namespace actiond::engine {
namespace {

constexpr std::string_view kRawAttributePrefix = "attr__";

bool IsSeparator(char c) noexcept {
  return c == ';' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsKeyChar(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

// Length of the run of key characters at `pos` when an `=` follows it, else 0.
size_t KeyBeforeEquals(std::string_view s, size_t pos) noexcept {
  size_t end = pos;
  while (end < s.size() && IsKeyChar(s[end])) ++end;
  if (end == pos || end >= s.size() || s[end] != '=') return 0;
  return end - pos;
}

// `[+-]?[0-9]+` within int32; anything else is not a position.
bool ParsePosition(std::string_view s, int32_t* out) noexcept {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  if (i == s.size()) return false;
  int64_t value = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    value = value * 10 + (s[i] - '0');
    if (value > int64_t{std::numeric_limits<int32_t>::max()} + 1) return false;
  }
  if (negative) value = -value;
  if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max()) {
    return false;
  }
  *out = static_cast<int32_t>(value);
  return true;
}

class ChainParser {
 public:
  ChainParser(std::string_view chain, ElementList* out) noexcept : s_(chain), out_(out) {}

  void Parse() noexcept {
    while (pos_ < s_.size()) {
      if (IsSeparator(s_[pos_])) {
        ++pos_;
        continue;
      }
      if (!ParseElement()) return;
    }
  }

 private:
  // Reads one element starting at a non-separator; false when the chain ends here.
  bool ParseElement() noexcept {
    Element& e = out_->BeginElement();
    // The tag/class part runs to a separator or to the first ':' that starts `key=`, so
    // Tailwind classes such as `hover:underline` stay whole.
    size_t start = pos_;
    bool has_attributes = false;
    while (pos_ < s_.size() && !IsSeparator(s_[pos_])) {
      if (s_[pos_] == ':' && KeyBeforeEquals(s_, pos_ + 1) > 0) {
        has_attributes = true;
        break;
      }
      ++pos_;
    }
    SplitTagAndClasses(s_.substr(start, pos_ - start), &e);
    bool chain_continues = true;
    if (has_attributes) {
      ++pos_;  // ':'
      chain_continues = ParseAttributes(&e);
    }
    out_->FinishElement();
    return chain_continues;
  }

  void SplitTagAndClasses(std::string_view part, Element* e) {
    size_t dot = part.find('.');
    e->tag = part.substr(0, dot);
    while (dot != std::string_view::npos) {
      size_t next = part.find('.', dot + 1);
      out_->AddClass(part.substr(dot + 1, next == std::string_view::npos ? next : next - dot - 1));
      dot = next;
    }
  }

  // Reads `key="value"` pairs back to back up to a separator. False when the chain ends inside
  // them (unterminated quote or malformed pair): what was read before stays on the element.
  bool ParseAttributes(Element* e) noexcept {
    while (pos_ < s_.size() && !IsSeparator(s_[pos_])) {
      size_t key_length = KeyBeforeEquals(s_, pos_);
      if (key_length == 0) return false;
      std::string_view key = s_.substr(pos_, key_length);
      size_t quote = pos_ + key_length + 1;
      if (quote >= s_.size() || s_[quote] != '"') return false;
      std::string_view value;
      if (!ReadValue(quote + 1, &value)) return false;
      ApplyAttribute(key, value, e);
    }
    return true;
  }

  // Reads a quoted value whose opening quote precedes `begin`, leaving pos_ after the closing
  // quote. `\"` and `\\` are escapes; any other backslash is kept as written.
  bool ReadValue(size_t begin, std::string_view* value) noexcept {
    bool escaped = false;
    size_t i = begin;
    for (;;) {
      if (i >= s_.size()) return false;
      char c = s_[i];
      if (c == '"') break;
      if (c == '\\') {
        if (i + 1 >= s_.size()) return false;
        if (s_[i + 1] == '"' || s_[i + 1] == '\\') {
          escaped = true;
          i += 2;
          continue;
        }
      }
      ++i;
    }
    std::string_view raw = s_.substr(begin, i - begin);
    pos_ = i + 1;
    *value = escaped ? Unescape(raw) : raw;
    return true;
  }

  // StoreText places consecutive pieces contiguously, so the pieces form one view.
  std::string_view Unescape(std::string_view raw) noexcept {
    const char* data = nullptr;
    size_t length = 0;
    size_t piece = 0;
    auto store = [&](std::string_view bytes) {
      std::string_view stored = out_->StoreText(bytes);
      if (data == nullptr) data = stored.data();
      length += bytes.size();
    };
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size() && (raw[i + 1] == '"' || raw[i + 1] == '\\')) {
        store(raw.substr(piece, i - piece));  // up to the backslash
        piece = i + 1;                        // the escaped character starts the next piece
        ++i;
      }
    }
    store(raw.substr(piece));
    return std::string_view(data, length);
  }

  void ApplyAttribute(std::string_view key, std::string_view value, Element* e) {
    if (key == "text") {
      e->text = value;
    } else if (key == "href") {
      e->href = value;
      e->has_href = true;
    } else if (key == "attr_id") {
      e->id = value;
      e->has_id = true;
    } else if (key == "nth-child") {
      ParsePosition(value, &e->nth_child);
    } else if (key == "nth-of-type") {
      ParsePosition(value, &e->nth_of_type);
    } else if (key.size() > kRawAttributePrefix.size() && key.starts_with(kRawAttributePrefix)) {
      out_->AddAttribute(key.substr(kRawAttributePrefix.size()), value);
    } else {
      // An unknown key (`id`, `class`, `data-x`, a bare `attr__`) is an attribute under its own
      // key and nothing else: it must not reach the id, classes or href (docs/semantics.md §8.3).
      out_->AddAttribute(key, value, /*raw=*/false);
    }
  }

  std::string_view s_;
  ElementList* out_;
  size_t pos_ = 0;
};

}  // namespace

void ParseElementsChain(std::string_view chain, ElementList* out) noexcept {
  out->Clear();
  // Unescaped values are never longer than the chain, so the buffer never moves.
  out->ReserveText(chain.size());
  ChainParser(chain, out).Parse();
}

}  // namespace actiond::engine
