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
    Scope(PointerPath& path, std::string_view key) : path_(path) {
      path.segments_.push_back({key, 0, false});
    }
    Scope(PointerPath& path, std::size_t index) : path_(path) {
      path.segments_.push_back({{}, index, true});
    }
    ~Scope() { path_.segments_.pop_back(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    PointerPath& path_;
  };

  // The pointer, escaped. A key longer than 256 bytes is cut there and marked with "...", so
  // that the pointers of many diagnostics under one huge key do not each copy it.
  std::string str() const;

  // Sets the pointer of the document's root (a JSONL line is "/sources/N").
  void Reset(std::string prefix) {
    prefix_ = std::move(prefix);
    segments_.clear();
  }

 private:
  struct Segment {
    std::string_view key;
    std::size_t index;
    bool is_index;
  };
  std::string prefix_;
  std::vector<Segment> segments_;
};

// Appends `key` to `pointer` as one RFC 6901 segment ('~' is written "~0", '/' "~1").
void AppendPointerKey(std::string& pointer, std::string_view key);

}  // namespace provgate::detail

#endif  // PROVGATE_JSON_POINTER_PATH_H_
