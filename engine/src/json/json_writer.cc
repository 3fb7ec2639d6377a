// The streaming JSON writer: layout, escaping and numbers (see json_writer.h).
#include "json/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "common/escape.h"
#include "common/json_string.h"
#include "json/jcs.h"

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

namespace {

// Whether [p, end) holds a byte of 0x80 or above, a DEL or (when `hash`) a `#`: text that
// WriteText must look at character by character. Eight bytes at a time; most text has none.
bool NeedsCare(const char* p, const char* end, bool hash) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  auto has_byte = [&](std::uint64_t x, unsigned char b) {
    std::uint64_t v = x ^ (kOnes * b);
    return ((v - kOnes) & ~v & kHigh) != 0;
  };
  while (end - p >= 8) {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    if ((x & kHigh) != 0 || has_byte(x, 0x7F) || (hash && has_byte(x, '#'))) return true;
    p += 8;
  }
  for (; p < end; ++p) {
    unsigned char c = static_cast<unsigned char>(*p);
    if (c >= 0x7F || (hash && c == '#')) return true;
  }
  return false;
}

// Whether [p, end) can be written as it is, in one piece: no quote, backslash or control
// character, no byte of 0x7F or above and (when `hash`) no `#`. Sixteen bytes at a time
// (compilers make SSE2 or NEON of the vector type); most text of a report is plain. Bytes
// compare as signed, so that those of 0x80 and above count as below 0x20.
bool IsPlainText(const char* p, const char* end, bool hash) {
  using Bytes = signed char __attribute__((vector_size(16)));
  Bytes flags = {};
  auto check = [&](const char* at) {
    Bytes x;
    std::memcpy(&x, at, sizeof(x));
    Bytes found = (x < 0x20) | (x == 0x7F) | (x == '"') | (x == '\\');
    if (hash) found |= (x == '#');
    flags |= found;
  };
  std::size_t size = static_cast<std::size_t>(end - p);
  if (size >= 16) {
    for (; end - p >= 16; p += 16) check(p);
    if (p != end) check(end - 16);  // The last bytes, overlapping some already seen.
  } else if (size > 0) {
    // Most strings of a report (ids, rules, reasons) are short: checked in one block, the
    // bytes after them filled with a plain letter.
    char block[16];
    std::memset(block, 'a', sizeof(block));
    std::memcpy(block, p, size);
    check(block);
  }
  std::uint64_t halves[2];
  std::memcpy(halves, &flags, sizeof(halves));
  return (halves[0] | halves[1]) == 0;
}

void AppendUnicodeEscape(std::string& out, char32_t c) {
  static constexpr char kHex[] = "0123456789abcdef";
  auto unit = [&](std::uint32_t u) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(u >> shift) & 15];
  };
  if (c > 0xFFFF) {
    c -= 0x10000;
    unit(0xD800 + (c >> 10));
    unit(0xDC00 + (c & 0x3FF));
  } else {
    unit(c);
  }
}

}  // namespace

// Text without quotes, backslashes or control characters. A byte sequence that is not UTF-8
// cannot be JSON: it becomes U+FFFD. The indented layout, which is printed to terminals and
// CI logs, also writes as \u escapes what would act on them: DEL, C1 controls, the line and
// paragraph separators and format characters (bidi overrides, zero-width characters), and the
// second `#` of a runner command `##[` or `##vso[`. The canonical form (RFC 8785) escapes
// nothing more than it must.
void JsonWriter::WriteText(const char* p, const char* end) {
  if (!NeedsCare(p, end, !canonical_)) {
    out_.append(p, end);
    return;
  }
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  const auto* u_end = reinterpret_cast<const unsigned char*>(end);
  while (u < u_end) {
    unsigned char c = *u;
    if (c == '#' && !canonical_) {
      std::string_view rest(reinterpret_cast<const char*>(u), static_cast<std::size_t>(u_end - u));
      bool command = rest.size() >= 3 && rest[1] == '#' &&
                     (rest[2] == '[' ||
                      (rest.size() >= 6 && (rest[2] | 0x20) == 'v' && (rest[3] | 0x20) == 's' &&
                       (rest[4] | 0x20) == 'o' && rest[5] == '['));
      out_ += '#';
      if (command) {
        out_ += "\\u0023";
        u += 2;
      } else {
        ++u;
      }
      continue;
    }
    if (c < 0x7F) {
      out_ += static_cast<char>(c);
      ++u;
      continue;
    }
    Utf8Char ch = DecodeUtf8(u, u_end);
    if (!ch.valid) {
      out_ += canonical_ ? "\xEF\xBF\xBD" : "\\ufffd";
    } else if (!canonical_ && IsHiddenCharacter(ch.code_point)) {
      AppendUnicodeEscape(out_, ch.code_point);
    } else {
      out_.append(reinterpret_cast<const char*>(u), ch.length);
    }
    u += ch.length;
  }
}

void JsonWriter::WriteEscaped(std::string_view value) {
  out_ += '"';
  const char* p = value.data();
  const char* end = p + value.size();
  if (IsPlainText(p, end, !canonical_)) {
    out_.append(p, end);
    out_ += '"';
    return;
  }
  for (;;) {
    const char* special = FindJsonStringSpecial(p, end);
    WriteText(p, special);
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

char* JsonWriter::PlainMember(std::string_view key, std::size_t value_size) {
  if (canonical_ || after_key_ || levels_.empty() ||
      !IsPlainText(key.data(), key.data() + key.size(), true)) {
    return nullptr;
  }
  Level& level = levels_.back();
  std::size_t indent = levels_.size() * 2;
  std::size_t at = out_.size();
  out_.resize(at + (level.empty ? 0 : 1) + 1 + indent + key.size() + 4 + value_size);
  char* p = out_.data() + at;
  if (!level.empty) *p++ = ',';
  level.empty = false;
  *p++ = '\n';
  std::memset(p, ' ', indent);
  p += indent;
  *p++ = '"';
  std::memcpy(p, key.data(), key.size());
  p += key.size();
  std::memcpy(p, "\": ", 3);
  return p + 3;
}

void JsonWriter::Member(std::string_view key, std::string_view value) {
  if (IsPlainText(value.data(), value.data() + value.size(), !canonical_)) {
    if (char* p = PlainMember(key, value.size() + 2)) {
      *p++ = '"';
      if (!value.empty()) std::memcpy(p, value.data(), value.size());
      p[value.size()] = '"';
      return;
    }
  }
  Key(key);
  String(value);
}

bool JsonWriter::PlainObject(const Piece* pieces, std::size_t count) {
  if (canonical_ || after_key_ || levels_.empty()) return false;
  for (std::size_t i = 0; i < count; ++i) {
    const Piece& piece = pieces[i];
    if (piece.kind == Piece::Kind::kString &&
        !IsPlainText(piece.text.data(), piece.text.data() + piece.text.size(), true)) {
      return false;
    }
  }
  // Two runs of the same walk over the pieces: the first counts the bytes, the second writes
  // them where the first made room. `put(c)` is one byte, `put(text)` a string.
  auto walk = [&](auto&& put, auto&& put_text, auto&& put_indent) {
    std::size_t depth = levels_.size();
    if (!levels_.back().empty) put(',');
    put_indent(depth);
    put('{');
    ++depth;
    bool first = true;  // No member yet at this depth.
    for (std::size_t i = 0; i < count; ++i) {
      const Piece& piece = pieces[i];
      if (piece.kind == Piece::Kind::kEndObject) {
        --depth;
        if (!first) put_indent(depth);
        put('}');
        first = false;
        continue;
      }
      if (!first) put(',');
      put_indent(depth);
      put('"');
      put_text(piece.key);
      put('"');
      put(':');
      put(' ');
      switch (piece.kind) {
        case Piece::Kind::kString:
          put('"');
          put_text(piece.text);
          put('"');
          first = false;
          break;
        case Piece::Kind::kJson:
          put_text(piece.text);
          first = false;
          break;
        default:  // kBeginObject
          put('{');
          ++depth;
          first = true;
      }
    }
    --depth;
    if (!first) put_indent(depth);
    put('}');
  };
  std::size_t size = 0;
  walk([&](char) { ++size; }, [&](std::string_view text) { size += text.size(); },
       [&](std::size_t depth) { size += 1 + 2 * depth; });
  std::size_t at = out_.size();
  out_.resize(at + size);
  char* p = out_.data() + at;
  walk([&](char c) { *p++ = c; },
       [&](std::string_view text) {
         if (!text.empty()) std::memcpy(p, text.data(), text.size());
         p += text.size();
       },
       [&](std::size_t depth) {  // A line break, then the indentation.
         *p++ = '\n';
         std::memset(p, ' ', 2 * depth);
         p += 2 * depth;
       });
  levels_.back().empty = false;
  MaybeFlush();
  return true;
}

void JsonWriter::Member(std::string_view key, std::uint64_t value) {
  char digits[24];
  auto result = std::to_chars(digits, digits + sizeof(digits), value);
  std::size_t size = static_cast<std::size_t>(result.ptr - digits);
  if (char* p = PlainMember(key, size)) {
    std::memcpy(p, digits, size);
    return;
  }
  Key(key);
  Uint(value);
}

void JsonWriter::Double(double value) {
  if (!after_key_) BeforeValue();
  after_key_ = false;
  if (!std::isfinite(value)) {
    out_ += "null";  // JSON has no infinities or NaN; callers validate first.
    return;
  }
  if (canonical_) {
    out_ += FormatEcmaScriptNumber(value);
    return;
  }
  char buffer[32];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out_.append(buffer, result.ptr);
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

void JsonWriter::Null() {
  if (!after_key_) BeforeValue();
  after_key_ = false;
  out_ += "null";
}

}  // namespace provgate::detail
