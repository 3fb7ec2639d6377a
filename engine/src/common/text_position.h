// Byte offsets to 1-based line and column, for diagnostics and finding locations.
#ifndef PROVGATE_COMMON_TEXT_POSITION_H_
#define PROVGATE_COMMON_TEXT_POSITION_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace provgate::detail {

struct LineColumn {
  std::uint32_t line = 1;
  std::uint32_t column = 1;  // Unicode code points, 1-based.
};

// Maps byte offsets of one buffer to line/column. Offsets are usually asked for in increasing
// order (documents are read front to back), so the locator keeps a cursor and scans forward
// from it; an earlier offset restarts from a sparse checkpoint. Either way the cost is linear
// in the distance scanned, never quadratic, even for a 1 GB document on a single line.
class LineLocator {
 public:
  explicit LineLocator(std::string_view text) : text_(text) { checkpoints_.push_back(cursor_); }
  LineColumn Locate(std::size_t offset);

 private:
  struct Cursor {
    std::size_t offset = 0;
    std::uint32_t line = 1;
    std::uint32_t column = 1;
  };
  void Advance(Cursor& cursor, std::size_t target) const;

  static constexpr std::size_t kCheckpointSpacing = 1 << 16;
  std::string_view text_;
  Cursor cursor_;
  std::vector<Cursor> checkpoints_;
};

// Number of code points in a UTF-8 byte range (continuation bytes are not counted).
std::size_t CountCodePoints(std::string_view text);

// Offset of the first byte that makes `text` invalid UTF-8, or npos when it is valid.
std::size_t FindInvalidUtf8(std::string_view text);

}  // namespace provgate::detail

#endif  // PROVGATE_COMMON_TEXT_POSITION_H_
