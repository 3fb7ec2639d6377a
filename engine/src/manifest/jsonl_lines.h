// JsonlLines: the non-blank lines of a JSON Lines side file, read in chunks from an open
// descriptor and handed out in place, each followed by the padding simdjson reads past a
// document's end. Memory stays within twice the longest line allowed: a longer line is
// refused at its start, whatever follows it, so that a side file of one endless line cannot
// grow the reader's memory.
#ifndef PROVGATE_MANIFEST_JSONL_LINES_H_
#define PROVGATE_MANIFEST_JSONL_LINES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/sha256.h"

namespace provgate::detail {

class JsonlLines {
 public:
  struct Line {
    // Without its newline, or the carriage return before it. Valid until the next call.
    std::string_view text;
    // Bytes readable from text.data(): the line, what follows it and the padding.
    std::size_t capacity = 0;
    // 1-based line number in the file.
    std::uint32_t number = 0;
    // The non-blank lines before this one: the source's index.
    std::uint64_t index = 0;
    // The byte offset in the file at which the line starts.
    std::uint64_t offset = 0;
  };

  enum class Result {
    kLine,       // `line` is the next non-blank line.
    kEnd,        // The file has no more lines.
    kTooLong,    // The next line is longer than the limit: `line` has its number and index.
    kReadError,  // The system failed to read: error().
  };

  // Reads `fd`, from its start once Rewind is called. Lines may be up to `max_line_bytes` long
  // (at least 1). `hasher`, when given, sees every byte read.
  JsonlLines(int fd, std::size_t max_line_bytes, Sha256* hasher);

  // Limits reading to the lines that start at byte offsets in [begin, end), numbering the
  // first of them `first_line` and counting sources from `first_index` (a partition of the
  // file). `begin` must be 0 or follow a newline. Takes effect at the next Rewind.
  void SetRange(std::uint64_t begin, std::uint64_t end, std::uint32_t first_line,
                std::uint64_t first_index);

  // Goes to the start of the file (or of the range); called before the first Next. False
  // (with error()) when the file cannot seek.
  bool Rewind();

  Result Next(Line& line);

  // The system's message after a failure.
  const std::string& error() const { return error_; }
  std::size_t max_line_bytes() const { return max_line_; }

 private:
  // Reads more of the file after what is buffered; false on a read error.
  bool Fill();

  int fd_;
  std::size_t max_line_;
  Sha256* hasher_;
  std::vector<char> buffer_;
  std::size_t start_ = 0;   // Where the next line starts.
  std::size_t filled_ = 0;  // Bytes of the file in the buffer.
  bool eof_ = false;
  std::uint32_t line_number_ = 1;
  std::uint64_t sources_ = 0;
  std::uint64_t offset_ = 0;  // The file offset of buffer_[0].
  std::uint64_t begin_ = 0;
  std::uint64_t end_ = UINT64_MAX;
  std::uint32_t first_line_ = 1;
  std::uint64_t first_index_ = 0;
  std::string error_;
};

}  // namespace provgate::detail

#endif  // PROVGATE_MANIFEST_JSONL_LINES_H_
