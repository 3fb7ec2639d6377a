// Anonymous memory in whole 2 MiB pages, for the large lists a check builds: the kernel may
// back each with one transparent huge page instead of 512 small ones.
#ifndef PROVGATE_COMMON_PAGE_BLOCK_H_
#define PROVGATE_COMMON_PAGE_BLOCK_H_

#include <cstddef>

namespace provgate::detail {

// The size of a huge page on x86-64 and of the blocks below.
constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

// `bytes` (a multiple of kHugePageBytes) of zeroed memory starting on a huge-page boundary,
// with transparent huge pages asked for: touching it costs one page fault per 2 MiB rather
// than one per 4 KiB, which is most of the cost of filling fresh memory (and far more under
// virtualization). Throws std::bad_alloc when the memory cannot be mapped. Without
// transparent huge pages the block works as well, on small pages.
class PageBlock {
 public:
  PageBlock() = default;
  explicit PageBlock(std::size_t bytes);
  ~PageBlock();
  PageBlock(PageBlock&& other) noexcept : data_(other.data_), bytes_(other.bytes_) {
    other.data_ = nullptr;
    other.bytes_ = 0;
  }
  PageBlock& operator=(PageBlock&& other) noexcept;
  PageBlock(const PageBlock&) = delete;
  PageBlock& operator=(const PageBlock&) = delete;

  void* data() const { return data_; }
  std::size_t size() const { return bytes_; }

 private:
  void* data_ = nullptr;
  std::size_t bytes_ = 0;
};

// Asks for transparent huge pages over the whole 2 MiB pages inside [data, data + bytes),
// memory that is about to be filled (a large vector just reserved). Does nothing for less
// than two huge pages, and where the kernel has no transparent huge pages.
void PreferHugePages(void* data, std::size_t bytes);

}  // namespace provgate::detail

#endif  // PROVGATE_COMMON_PAGE_BLOCK_H_
