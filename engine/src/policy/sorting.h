// Lists that grow without moving their elements, and the report's order of findings and
// obligations, found on small keys so that a million of them sort quickly.
#ifndef PROVGATE_POLICY_SORTING_H_
#define PROVGATE_POLICY_SORTING_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "common/page_block.h"
#include "provgate/report.h"

namespace provgate::detail {

// A list that grows in chunks, so that its elements are never moved as it grows (hundreds of
// thousands of findings and obligations would otherwise be moved at every doubling). The
// first chunk grows as vectors do, so that a short list (a small manifest's findings) stays
// small; later chunks are whole huge pages (common/page_block.h), which a long list fills at
// one page fault per 2 MiB. A reference to an element stays valid as the list grows, except
// in the first chunk, which may move while it grows.
template <typename T>
class ChunkedList {
 public:
  // Elements per chunk: as many as fill one huge page.
  static constexpr std::size_t kChunk = kHugePageBytes / sizeof(T);
  static_assert(kChunk > 0);

  ChunkedList() = default;
  ~ChunkedList() { clear(); }
  ChunkedList(ChunkedList&& other) noexcept
      : first_(std::move(other.first_)), blocks_(std::move(other.blocks_)), size_(other.size_) {
    other.first_.clear();
    other.blocks_.clear();
    other.size_ = 0;
  }
  ChunkedList& operator=(ChunkedList&& other) noexcept {
    if (this != &other) {
      clear();
      first_ = std::move(other.first_);
      blocks_ = std::move(other.blocks_);
      size_ = other.size_;
      other.first_.clear();
      other.blocks_.clear();
      other.size_ = 0;
    }
    return *this;
  }
  ChunkedList(const ChunkedList&) = delete;
  ChunkedList& operator=(const ChunkedList&) = delete;

  // A new default-constructed element, filled in place by the caller.
  T& emplace_back() {
    if (size_ < kChunk) {
      if (first_.size() == first_.capacity()) {
        first_.reserve(std::min(kChunk, std::max<std::size_t>(16, 2 * first_.size())));
      }
      ++size_;
      return first_.emplace_back();
    }
    std::size_t block = (size_ - kChunk) / kChunk;
    if (block == blocks_.size()) blocks_.emplace_back(kHugePageBytes);
    T* item = new (static_cast<T*>(blocks_[block].data()) + (size_ - kChunk) % kChunk) T();
    ++size_;
    return *item;
  }
  void push_back(T item) { emplace_back() = std::move(item); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](std::size_t i) { return i < kChunk ? first_[i] : InBlock(i); }
  const T& operator[](std::size_t i) const {
    return i < kChunk ? first_[i] : const_cast<ChunkedList*>(this)->InBlock(i);
  }
  T& back() { return (*this)[size_ - 1]; }
  // Destroys every element and gives the memory back.
  void clear() {
    for (std::size_t i = kChunk; i < size_; ++i) InBlock(i).~T();
    blocks_.clear();
    std::vector<T>().swap(first_);
    size_ = 0;
  }
  // Calls `f` on every element in order.
  template <typename F>
  void ForEach(F&& f) const {
    for (std::size_t i = 0; i < size_; ++i) f((*this)[i]);
  }
  template <typename F>
  void ForEach(F&& f) {
    for (std::size_t i = 0; i < size_; ++i) f((*this)[i]);
  }

 private:
  T& InBlock(std::size_t i) {
    i -= kChunk;
    return static_cast<T*>(blocks_[i / kChunk].data())[i % kChunk];
  }

  std::vector<T> first_;
  std::vector<PageBlock> blocks_;  // Elements kChunk and on, kChunk per block.
  std::size_t size_ = 0;
};

// Rule ids compare with their numbers: P2 < P10.
bool RuleLess(const std::string& a, const std::string& b);

// The report's order of findings: by rule (RuleLess), subject (bytes), file, line, column and
// reason; findings equal in all of these keep the order they have in `lists`, taken one after
// the other as one list. Moves each finding once and leaves every list empty.
std::vector<Finding> SortFindings(std::initializer_list<ChunkedList<Finding>*> lists);

// The report's order of obligations: by kind, subject, licence and rule, keeping the order of
// `lists` (one after the other) among equal ones; an obligation of the same kind, subject and
// licence as one before it is dropped. Leaves every list empty.
std::vector<Obligation> SortObligations(std::initializer_list<ChunkedList<Obligation>*> lists);

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_SORTING_H_
