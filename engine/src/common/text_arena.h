// Text written one piece after another into shared blocks: the messages, remedies and other
// text of a check's findings and obligations, without an allocation per piece.
#ifndef PROVGATE_COMMON_TEXT_ARENA_H_
#define PROVGATE_COMMON_TEXT_ARENA_H_

#include <cstddef>
#include <memory>
#include <string_view>

#include "provgate/shared_text.h"

namespace provgate::detail {

// Hands out SharedText whose bytes live in blocks that the texts keep alive between them: a
// block is freed when the last text in it is. Blocks start small and double up to one huge
// page (common/page_block.h), so that a check with a few findings stays small and one with
// hundreds of thousands fills 2 MiB pages. One arena per thread; the texts it gives may go
// anywhere.
class TextArena {
 public:
  TextArena() = default;
  TextArena(const TextArena&) = delete;
  TextArena& operator=(const TextArena&) = delete;

  // Room for `size` bytes, to be written by the caller and then kept with Keep(size); valid
  // until the next call.
  char* Room(std::size_t size);
  // The `size` bytes just written at Room() as a SharedText.
  SharedText Keep(std::size_t size);
  // A copy of `text`.
  SharedText Copy(std::string_view text);

 private:
  struct Block;
  std::shared_ptr<Block> block_;
  char* next_ = nullptr;
  char* end_ = nullptr;
  std::size_t next_size_ = 4096;
};

}  // namespace provgate::detail

#endif  // PROVGATE_COMMON_TEXT_ARENA_H_
