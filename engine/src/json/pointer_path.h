// PointerPath: the RFC 6901 JSON pointer of the value a reader is at, kept as segments and
// spelled out only when a location or a diagnostic needs it.
#ifndef PROVGATE_JSON_POINTER_PATH_H_
#define PROVGATE_JSON_POINTER_PATH_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace provgate::detail {

class PointerPath {
 public:
  // Adds a segment for as long as it lives.
  class Scope {
   public:
    // `key` must outlive the scope (it points into the document or the parser's buffer).
    Scope(PointerPath& path, std::string_view key) : path_(path) { path.Push({key, 0, false}); }
    Scope(PointerPath& path, std::size_t index) : path_(path) { path.Push({{}, index, true}); }
    ~Scope() { --path_.depth_; }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    PointerPath& path_;
  };

  // The pointer, escaped. A key longer than 256 bytes is cut there and marked with "...", so
  // that the pointers of many diagnostics under one huge key do not each copy it.
  std::string str() const;
  // The same, written over `out` (whose capacity is reused).
  void AssignTo(std::string& out) const;

  // Sets the pointer of the document's root (a JSONL line is "/sources/N").
  void Reset(std::string prefix) {
    prefix_ = std::move(prefix);
    depth_ = 0;
    spelled_depth_ = 0;
  }

 private:
  struct Segment {
    std::string_view key;
    std::size_t index = 0;
    bool is_index = false;
  };
  // Scopes come and go for every value read: the segments' memory is kept, and only grows.
  void Push(const Segment& segment) {
    if (depth_ == segments_.size()) Grow();
    if (spelled_depth_ > depth_) spelled_depth_ = depth_;  // Segment depth_ changes.
    segments_[depth_++] = segment;
  }
  void Grow();

  std::string prefix_;
  std::vector<Segment> segments_;  // The first depth_ are the path's.
  std::size_t depth_ = 0;
  // The pointers of successive values share their beginning (every source's starts with
  // "/sources/"): the prefix and the first spelled_depth_ segments, as last spelled out, and
  // where each segment ends in that text. Pushing a segment at a depth below spelled_depth_
  // makes the text valid only up to that depth.
  mutable std::string spelled_;
  mutable std::vector<std::size_t> spelled_ends_;  // As long as segments_.
  mutable std::size_t spelled_depth_ = 0;
};

// Appends `key` to `pointer` as one RFC 6901 segment ('~' is written "~0", '/' "~1").
void AppendPointerKey(std::string& pointer, std::string_view key);

}  // namespace provgate::detail

#endif  // PROVGATE_JSON_POINTER_PATH_H_
