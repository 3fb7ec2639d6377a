#include "report/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "attest/jcs.h"
#include "common/json_string.h"

namespace provgate::detail {

void JsonWriter::Newline() {
  if (canonical_) return;
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
  if (canonical_) levels_.back().members.emplace_back(std::string(key), out_.size());
  WriteEscaped(key);
  out_ += canonical_ ? ":" : ": ";
  after_key_ = true;
}

void JsonWriter::Open(char bracket) {
  BeforeValue();
  out_ += bracket;
  levels_.push_back({});
  levels_.back().object = bracket == '{';
  levels_.back().start = out_.size();
}

void JsonWriter::SortMembers() {
  auto& members = levels_.back().members;
  std::vector<std::size_t> order(members.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto less = [&](std::size_t a, std::size_t b) {
    return Utf16Less(members[a].first, members[b].first);
  };
  if (std::is_sorted(order.begin(), order.end(), less)) return;
  std::sort(order.begin(), order.end(), less);
  // Member i spans from its offset to the comma before member i + 1 (or the end).
  auto span = [&](std::size_t i) {
    std::size_t end = i + 1 < members.size() ? members[i + 1].second - 1 : out_.size();
    return std::string_view(out_).substr(members[i].second, end - members[i].second);
  };
  std::string sorted;
  sorted.reserve(out_.size() - levels_.back().start);
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (k > 0) sorted += ',';
    sorted.append(span(order[k]));
  }
  out_.replace(levels_.back().start, out_.size() - levels_.back().start, sorted);
}

void JsonWriter::Close(char bracket) {
  if (canonical_ && levels_.back().object) SortMembers();
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
  const char* p = value.data();
  const char* end = p + value.size();
  for (;;) {
    const char* special = FindJsonStringSpecial(p, end);
    out_.append(p, static_cast<std::size_t>(special - p));
    if (special == end) break;
    unsigned char c = static_cast<unsigned char>(*special);
    p = special + 1;
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
  out_ += '"';
}

void JsonWriter::Uint(std::uint64_t value) {
  if (!after_key_) BeforeValue();
  after_key_ = false;
  if (canonical_ && value > (std::uint64_t{1} << 53)) {
    // JSON numbers are IEEE doubles in RFC 8785: the nearest one, printed as ECMAScript does.
    out_ += FormatEcmaScriptNumber(static_cast<double>(value));
    return;
  }
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
