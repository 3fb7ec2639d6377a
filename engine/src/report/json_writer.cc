#include "report/json_writer.h"

#include <charconv>

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
  for (std::size_t i = 0; i < value.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out_.append(value.data() + run, i - run);
    run = i + 1;
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
