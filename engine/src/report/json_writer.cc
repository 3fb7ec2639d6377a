#include "report/json_writer.h"

#include <charconv>
#include <cstring>

namespace provgate::detail {

void JsonWriter::Newline() {
  out_ += '\n';
  out_.append(levels_.size() * 2, ' ');
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (levels_.empty()) return;
  if (!levels_.back().empty) out_ += ',';
  levels_.back().empty = false;
  Newline();
}

void JsonWriter::Key(std::string_view key) {
  BeforeValue();
  WriteEscaped(key);
  out_ += ": ";
  after_key_ = true;
}

void JsonWriter::Open(char bracket) {
  BeforeValue();
  out_ += bracket;
  levels_.push_back({});
}

void JsonWriter::Close(char bracket) {
  bool empty = levels_.back().empty;
  levels_.pop_back();
  if (!empty) Newline();
  out_ += bracket;
  MaybeFlush();
}

void JsonWriter::String(std::string_view value) {
  if (!after_key_) BeforeValue();
  after_key_ = false;
  WriteEscaped(value);
}

void JsonWriter::WriteEscaped(std::string_view value) {
  out_ += '"';
  std::size_t run = 0;
  std::size_t i = 0;
  while (i < value.size()) {
    // Skip eight plain bytes at a time: none below 0x20, none a quote or a backslash.
    if (i + 8 <= value.size()) {
      std::uint64_t x;
      std::memcpy(&x, value.data() + i, 8);
      constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
      constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
      std::uint64_t quote = x ^ (kOnes * '"');
      std::uint64_t slash = x ^ (kOnes * '\\');
      std::uint64_t special =
          ((x - kOnes * 0x20) | (quote - kOnes) | (slash - kOnes)) & ~(x & kHigh) & kHigh;
      // The test never misses a special byte (it may flag a plain one above a special one,
      // which the byte-by-byte check below then passes over); bytes >= 0x80 are never flagged.
      if (special == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out_.append(value.data() + run, i - run);
    run = i + 1;
    ++i;
    switch (c) {
      case '"':
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\b':
        out_ += "\\b";
        break;
      case '\f':
        out_ += "\\f";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\r':
        out_ += "\\r";
        break;
      case '\t':
        out_ += "\\t";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out_ += "\\u00";
        out_ += kHex[c >> 4];
        out_ += kHex[c & 15];
      }
    }
  }
  out_.append(value.data() + run, value.size() - run);
  out_ += '"';
}

void JsonWriter::Uint(std::uint64_t value) {
  if (!after_key_) BeforeValue();
  after_key_ = false;
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out_.append(buffer, result.ptr);
}

void JsonWriter::Bool(bool value) {
  if (!after_key_) BeforeValue();
  after_key_ = false;
  out_ += value ? "true" : "false";
}

}  // namespace provgate::detail
