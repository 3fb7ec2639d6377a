#include "common/text_position.h"

#include <cstring>

namespace provgate::detail {

std::size_t CountCodePoints(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

void LineLocator::Advance(Cursor& cursor, std::size_t target) const {
  const char* p = text_.data() + cursor.offset;
  const char* end = text_.data() + target;
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (nl == nullptr) {
      cursor.column +=
          static_cast<std::uint32_t>(CountCodePoints({p, static_cast<std::size_t>(end - p)}));
      break;
    }
    ++cursor.line;
    cursor.column = 1;
    p = static_cast<const char*>(nl) + 1;
  }
  cursor.offset = target;
}

LineColumn LineLocator::Locate(std::size_t offset) {
  if (offset > text_.size()) offset = text_.size();
  if (offset < cursor_.offset) {
    // Restart from the last checkpoint at or before the offset.
    std::size_t index = offset / kCheckpointSpacing;
    if (index >= checkpoints_.size()) index = checkpoints_.size() - 1;
    cursor_ = checkpoints_[index];
  }
  // Move forward, recording checkpoints on the way.
  while (true) {
    std::size_t next_checkpoint = checkpoints_.size() * kCheckpointSpacing;
    if (next_checkpoint > offset || next_checkpoint > text_.size() ||
        cursor_.offset > next_checkpoint) {
      break;
    }
    Advance(cursor_, next_checkpoint);
    checkpoints_.push_back(cursor_);
  }
  Advance(cursor_, offset);
  return {cursor_.line, cursor_.column};
}

std::size_t FindInvalidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace provgate::detail
