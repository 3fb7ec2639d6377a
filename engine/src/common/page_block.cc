// Blocks of whole huge pages, mapped aligned, and advice for huge pages on reserved memory.
#include "common/page_block.h"

#include <sys/mman.h>

#include <cstdint>
#include <new>

namespace provgate::detail {

PageBlock::PageBlock(std::size_t bytes) : bytes_(bytes) {
  // One huge page more than needed, then the unaligned head and tail given back: what stays
  // starts on a huge-page boundary.
  std::size_t mapped = bytes + kHugePageBytes;
  void* mapping = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapping == MAP_FAILED) throw std::bad_alloc();
  auto start = reinterpret_cast<std::uintptr_t>(mapping);
  auto aligned = (start + kHugePageBytes - 1) & ~(std::uintptr_t{kHugePageBytes} - 1);
  if (aligned > start) munmap(mapping, aligned - start);
  std::uintptr_t end = aligned + bytes;
  if (start + mapped > end) munmap(reinterpret_cast<void*>(end), start + mapped - end);
  data_ = reinterpret_cast<void*>(aligned);
#ifdef MADV_HUGEPAGE
  madvise(data_, bytes_, MADV_HUGEPAGE);
#endif
}

PageBlock::~PageBlock() {
  if (data_ != nullptr) munmap(data_, bytes_);
}

PageBlock& PageBlock::operator=(PageBlock&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) munmap(data_, bytes_);
    data_ = other.data_;
    bytes_ = other.bytes_;
    other.data_ = nullptr;
    other.bytes_ = 0;
  }
  return *this;
}

void PreferHugePages(void* data, std::size_t bytes) {
#ifdef MADV_HUGEPAGE
  auto start = reinterpret_cast<std::uintptr_t>(data);
  auto first = (start + kHugePageBytes - 1) & ~(std::uintptr_t{kHugePageBytes} - 1);
  auto last = (start + bytes) & ~(std::uintptr_t{kHugePageBytes} - 1);
  if (last <= first || last - first < 2 * kHugePageBytes) return;
  madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

}  // namespace provgate::detail
