// Spelling out JSON pointers (RFC 6901).
#include "json/pointer_path.h"

namespace provgate::detail {

void AppendPointerKey(std::string& pointer, std::string_view key) {
  pointer += '/';
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

std::string PointerPath::str() const {
  constexpr std::size_t kMaxKeyBytes = 256;
  std::string text = prefix_;
  for (const Segment& segment : segments_) {
    if (segment.is_index) {
      text += '/';
      text += std::to_string(segment.index);
      continue;
    }
    std::string_view key = segment.key;
    bool cut = key.size() > kMaxKeyBytes;
    if (cut) {
      std::size_t end = kMaxKeyBytes;
      while (end > 0 && (static_cast<unsigned char>(key[end]) & 0xC0) == 0x80) --end;
      key = key.substr(0, end);
    }
    AppendPointerKey(text, key);
    if (cut) text += "...";
  }
  return text;
}

}  // namespace provgate::detail
