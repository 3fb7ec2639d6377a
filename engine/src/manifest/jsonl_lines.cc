// Reading a JSON Lines side file line by line in bounded memory (see jsonl_lines.h).
#include "manifest/jsonl_lines.h"

#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace provgate::detail {
namespace {

constexpr std::size_t kChunk = 8 << 20;
constexpr std::size_t kPadding = simdjson::SIMDJSON_PADDING;

}  // namespace

JsonlLines::JsonlLines(int fd, std::size_t max_line_bytes, Sha256* hasher)
    : fd_(fd), max_line_(std::max<std::size_t>(max_line_bytes, 1)), hasher_(hasher) {}

void JsonlLines::SetRange(std::uint64_t begin, std::uint64_t end, std::uint32_t first_line,
                          std::uint64_t first_index) {
  begin_ = begin;
  end_ = end;
  first_line_ = first_line;
  first_index_ = first_index;
}

bool JsonlLines::Rewind() {
  buffer_.assign(std::min(kChunk, max_line_ + 1) + kPadding, '\0');
  start_ = 0;
  filled_ = 0;
  eof_ = false;
  line_number_ = first_line_;
  sources_ = first_index_;
  offset_ = begin_;
  if (begin_ > static_cast<std::uint64_t>(INT64_MAX) ||
      lseek(fd_, static_cast<off_t>(begin_), SEEK_SET) != static_cast<off_t>(begin_)) {
    error_ = std::strerror(errno);
    return false;
  }
  return true;
}

bool JsonlLines::Fill() {
  std::size_t room = buffer_.size() - kPadding - filled_;
  if (room < (buffer_.size() - kPadding) / 2) {
    // The line being read fills half the buffer: double it (a line is at most max_line_).
    buffer_.resize(2 * (buffer_.size() - kPadding) + kPadding);
    room = buffer_.size() - kPadding - filled_;
  }
  while (true) {
    ssize_t got = read(fd_, buffer_.data() + filled_, room);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      error_ = std::strerror(errno);
      return false;
    }
    if (got == 0) {
      eof_ = true;
    } else {
      if (hasher_ != nullptr)
        hasher_->Update({buffer_.data() + filled_, static_cast<std::size_t>(got)});
      filled_ += static_cast<std::size_t>(got);
    }
    return true;
  }
}

JsonlLines::Result JsonlLines::Next(Line& line) {
  while (true) {
    while (start_ < filled_) {
      const char* nl =
          static_cast<const char*>(std::memchr(buffer_.data() + start_, '\n', filled_ - start_));
      if (nl == nullptr && !eof_) break;
      std::size_t end = nl != nullptr ? static_cast<std::size_t>(nl - buffer_.data()) : filled_;
      if (offset_ + start_ >= end_) return Result::kEnd;
      line.number = line_number_;
      line.index = sources_;
      line.offset = offset_ + start_;
      if (end - start_ > max_line_) return Result::kTooLong;
      std::string_view text(buffer_.data() + start_, end - start_);
      if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
      line.text = text;
      line.capacity = buffer_.size() - start_;
      ++line_number_;
      start_ = end + 1;
      if (text.find_first_not_of(" \t") != std::string_view::npos) {
        ++sources_;
        return Result::kLine;
      }
    }
    if (eof_) return Result::kEnd;
    // Keep the start of the line being read, and read on after it.
    start_ = std::min(start_, filled_);
    if (offset_ + start_ >= end_) return Result::kEnd;
    offset_ += start_;
    std::memmove(buffer_.data(), buffer_.data() + start_, filled_ - start_);
    filled_ -= start_;
    start_ = 0;
    if (filled_ > max_line_) {
      line.number = line_number_;
      line.index = sources_;
      line.offset = offset_;
      return Result::kTooLong;
    }
    if (!Fill()) return Result::kReadError;
  }
}

}  // namespace provgate::detail
