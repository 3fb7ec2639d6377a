// Blocks of text shared by the SharedText made in them.
#include "common/text_arena.h"

#include <cstring>
#include <string>

#include "common/page_block.h"

namespace provgate::detail {

struct TextArena::Block {
  explicit Block(std::size_t size) {
    if (size >= kHugePageBytes) {
      pages = PageBlock(size);
      data = static_cast<char*>(pages.data());
    } else {
      small.reset(new char[size]);  // Not zeroed: each byte is written before it is read.
      data = small.get();
    }
  }
  PageBlock pages;                // Blocks of whole huge pages,
  std::unique_ptr<char[]> small;  // or smaller ones.
  char* data = nullptr;
};

char* TextArena::Room(std::size_t size) {
  if (static_cast<std::size_t>(end_ - next_) >= size) return next_;
  // A new block, twice the last up to a huge page, and at least as large as `size`.
  std::size_t block = next_size_;
  if (next_size_ < kHugePageBytes) next_size_ *= 2;
  while (block < size) block *= 2;
  if (block > kHugePageBytes) block = (size + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
  block_ = std::make_shared<Block>(block);
  next_ = block_->data;
  end_ = next_ + block;
  return next_;
}

SharedText TextArena::Keep(std::size_t size) {
  if (size == 0) return SharedText();
  SharedText text(std::string_view(next_, size), block_);
  next_ += size;
  return text;
}

SharedText TextArena::Copy(std::string_view text) {
  if (text.empty()) return SharedText();
  char* room = Room(text.size());
  std::memcpy(room, text.data(), text.size());
  return Keep(text.size());
}

}  // namespace provgate::detail
