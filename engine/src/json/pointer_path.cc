// Spelling out JSON pointers (RFC 6901).
#include "json/pointer_path.h"

#include <algorithm>
#include <charconv>
#include <iterator>

namespace provgate::detail {

void AppendPointerKey(std::string& pointer, std::string_view key) {
  pointer += '/';
  if (key.find('~') == std::string_view::npos && key.find('/') == std::string_view::npos) {
    pointer.append(key);
    return;
  }
  for (char c : key) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
}

void PointerPath::Grow() {
  segments_.resize(segments_.size() * 2 + 8);
  spelled_ends_.resize(segments_.size());
}

std::string PointerPath::str() const {
  std::string text;
  AssignTo(text);
  return text;
}

void PointerPath::AssignTo(std::string& text) const {
  constexpr std::size_t kMaxKeyBytes = 256;
  // Spelled out from the deepest segment still valid, not from the root.
  std::size_t valid = std::min(spelled_depth_, depth_);
  if (valid == 0) {
    spelled_.assign(prefix_);
  } else {
    spelled_.resize(spelled_ends_[valid - 1]);
  }
  for (std::size_t i = valid; i < depth_; ++i) {
    const Segment& segment = segments_[i];
    if (segment.is_index) {
      char digits[24];
      char* end = std::to_chars(std::begin(digits), std::end(digits), segment.index).ptr;
      spelled_ += '/';
      spelled_.append(digits, static_cast<std::size_t>(end - digits));
    } else {
      std::string_view key = segment.key;
      bool cut = key.size() > kMaxKeyBytes;
      if (cut) {
        std::size_t end = kMaxKeyBytes;
        while (end > 0 && (static_cast<unsigned char>(key[end]) & 0xC0) == 0x80) --end;
        key = key.substr(0, end);
      }
      AppendPointerKey(spelled_, key);
      if (cut) spelled_ += "...";
    }
    spelled_ends_[i] = spelled_.size();
  }
  spelled_depth_ = depth_;
  text.assign(spelled_);
}

}  // namespace provgate::detail
