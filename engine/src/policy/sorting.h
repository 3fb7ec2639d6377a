// Lists that grow without moving their elements, and the report's order of findings and
// obligations, found on small keys so that a million of them sort quickly.
#ifndef PROVGATE_POLICY_SORTING_H_
#define PROVGATE_POLICY_SORTING_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "provgate/report.h"

namespace provgate::detail {

// A list that grows in chunks, so that its elements are never moved as it grows (hundreds of
// thousands of findings and obligations would otherwise be moved at every doubling).
template <typename T>
class ChunkedList {
 public:
  static constexpr std::size_t kChunk = 4096;
  // A new default-constructed element, filled in place by the caller. The first chunk grows
  // as vectors do, so that a short list (a small manifest's findings) stays small; later
  // chunks are allocated whole.
  T& emplace_back() {
    if (size_ % kChunk == 0) {
      chunks_.emplace_back();
      if (size_ > 0) chunks_.back().reserve(kChunk);
    }
    ++size_;
    return chunks_.back().emplace_back();
  }
  void push_back(T item) { emplace_back() = std::move(item); }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](std::size_t i) { return chunks_[i / kChunk][i % kChunk]; }
  const T& operator[](std::size_t i) const { return chunks_[i / kChunk][i % kChunk]; }
  T& back() { return chunks_.back().back(); }
  void clear() {
    chunks_.clear();
    size_ = 0;
  }
  template <typename F>
  void ForEach(F&& f) const {
    for (const auto& chunk : chunks_) {
      for (const T& item : chunk) f(item);
    }
  }

 private:
  std::vector<std::vector<T>> chunks_;
  std::size_t size_ = 0;
};

// Rule ids compare with their numbers: P2 < P10.
bool RuleLess(const std::string& a, const std::string& b);

// The report's order of findings: by rule (RuleLess), subject (bytes), file, line, column and
// reason; findings equal in all of these keep the order of `findings`. Moves each finding
// once and leaves `findings` empty.
std::vector<Finding> SortFindings(ChunkedList<Finding>& findings);

// The report's order of obligations: by kind, subject, licence and rule, keeping the order of
// `obligations` among equal ones; an obligation of the same kind, subject and licence as one
// before it is dropped. Leaves `obligations` empty.
std::vector<Obligation> SortObligations(ChunkedList<Obligation>& obligations);

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_SORTING_H_
