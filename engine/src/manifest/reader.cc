// Streaming manifest reader: simdjson On-Demand over the manifest, validated field by field
// against the rules of schemas/manifest.schema.json, with every problem located.
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "common/date.h"
#include "common/file_buffer.h"
#include "common/json_string.h"
#include "common/safe_file.h"
#include "common/text_position.h"
#include "crypto/sha256.h"
#include "manifest/enums.h"
#include "manifest/id_bloom.h"
#include "manifest/source_feed.h"
#include "provgate/manifest.h"

namespace provgate {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

// The longest strings, in characters (Unicode code points, as JSON Schema's maxLength counts
// them). schemas/manifest.schema.json says the same with `maxLength`, and the schema agreement
// test checks both at the limits. They keep what a manifest's strings become (messages,
// findings, reports that repeat an id) proportional to the manifest.
constexpr std::size_t kMaxIdLength = 512;     // Ids of models, stages, sources.
constexpr std::size_t kMaxTextLength = 2048;  // Titles, organizations, licence expressions.
constexpr std::size_t kMaxPathLength = 4096;  // URIs and paths.

// Collects diagnostics up to a limit, then notes that more were suppressed.
class DiagnosticSink {
 public:
  DiagnosticSink(std::vector<Diagnostic>& out, std::size_t limit) : out_(out), limit_(limit) {}
  void Add(Diagnostic d) {
    if (errors_ >= limit_) {
      if (!truncated_) {
        truncated_ = true;
        Diagnostic note = d;
        note.severity = Diagnostic::Severity::kInfo;
        note.code = "too-many-errors";
        note.message = "too many errors; further errors are not reported";
        note.pointer.clear();
        out_.push_back(std::move(note));
      }
      return;
    }
    ++errors_;
    out_.push_back(std::move(d));
  }
  std::size_t errors() const { return errors_; }
  // False once the limit is reached and the note written: what is added is dropped, so the
  // caller need not compose it.
  bool Accepts() const { return errors_ < limit_ || !truncated_; }

 private:
  std::vector<Diagnostic>& out_;
  std::size_t limit_;
  std::size_t errors_ = 0;
  bool truncated_ = false;
};

// The JSON pointer of the value being read, kept as segments and spelled out (with RFC 6901
// escaping) only when a location or a diagnostic needs it.
class PointerPath {
 public:
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

  // A key longer than kMaxKeyBytes is cut there and marked with "...", so that the pointers of
  // many diagnostics under one huge key do not each copy it.
  std::string str() const {
    constexpr std::size_t kMaxKeyBytes = 256;
    std::string text = prefix_;
    for (const Segment& segment : segments_) {
      text += '/';
      if (segment.is_index) {
        text += std::to_string(segment.index);
        continue;
      }
      std::string_view key = segment.key;
      bool cut = key.size() > kMaxKeyBytes;
      if (cut) {
        std::size_t end = kMaxKeyBytes;
        while (end > 0 && (static_cast<unsigned char>(key[end]) & 0xC0) == 0x80) --end;
        key = key.substr(0, end);
      }
      for (char c : key) {
        if (c == '~') {
          text += "~0";
        } else if (c == '/') {
          text += "~1";
        } else {
          text += c;
        }
      }
      if (cut) text += "...";
    }
    return text;
  }
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

std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

std::string_view TypeName(od::json_type type) {
  switch (type) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "a value";
}

bool Digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// User text quoted in a message, cut after 80 bytes (at a character boundary): a message
// about a value of megabytes does not carry the value.
std::string Excerpt(std::string_view text) {
  constexpr std::size_t kMax = 80;
  if (text.size() <= kMax) return std::string(text);
  std::size_t end = kMax;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "...";
}

// Characters (Unicode code points) of valid UTF-8 text, as JSON Schema's maxLength counts
// them: the bytes that do not continue a character.
std::size_t CharacterCount(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

bool IsSha256(std::string_view s) {
  if (s.size() != 64) return false;
  unsigned bad = 0;
  for (unsigned char c : s) {
    bool digit = static_cast<unsigned>(c - '0') < 10u;
    bool hex_letter = static_cast<unsigned>(c - 'a') < 6u;
    bad |= static_cast<unsigned>(!(digit || hex_letter));
  }
  return bad == 0;
}

bool IsExtension(std::string_view key) { return key.size() >= 2 && key.substr(0, 2) == "x-"; }

// The keys of one object read so far, to refuse a repeated key. The manifest's objects have a
// few keys, compared in a small array as they come; an object with more (extensions can have
// any number) moves to an ordered set, so that n keys cost n log n comparisons whatever the
// keys are.
class KeySet {
 public:
  // False when `key` is already in the set. `key` must stay valid until Clear.
  bool Insert(std::string_view key) {
    if (large_ == nullptr) {
      for (std::size_t i = 0; i < count_; ++i) {
        if (small_[i] == key) return false;
      }
      if (count_ < kSmallSize) {
        small_[count_++] = key;
        return true;
      }
      large_ = std::make_unique<std::set<std::string_view>>(small_.begin(), small_.end());
    }
    return large_->insert(key).second;
  }
  void Clear() {
    count_ = 0;
    if (large_ != nullptr) large_.reset();
  }

 private:
  static constexpr std::size_t kSmallSize = 16;
  std::array<std::string_view, kSmallSize> small_;
  std::size_t count_ = 0;
  std::unique_ptr<std::set<std::string_view>> large_;
};

// Reads one JSON document (the manifest, or one JSONL line), reporting problems with
// positions relative to `file`.
class DocumentWalker {
 public:
  // `key_sets` holds the keys of the object open at each nesting level; it is the reader's,
  // reused from document to document (one per JSONL line), so that reading allocates nothing
  // per object or per line. A deque: references stay valid as it grows.
  DocumentWalker(std::string file, std::string_view text, std::uint32_t first_line,
                 DiagnosticSink& sink, std::deque<KeySet>& key_sets)
      : file_(std::move(file)),
        text_(text),
        first_line_(first_line),
        locator_(text),
        sink_(sink),
        key_sets_(key_sets) {}

  bool fatal() const { return fatal_; }
  void set_max_depth(std::size_t depth) { max_depth_ = depth; }
  void set_document(od::document* document) { document_ = document; }
  std::size_t error_count() const { return errors_; }
  PointerPath& path() { return path_; }
  const std::string& file() const { return file_; }

  std::size_t OffsetOf(const char* p) const {
    if (p < text_.data()) return 0;
    std::size_t offset = static_cast<std::size_t>(p - text_.data());
    return std::min(offset, text_.size());
  }

  void Locate(const char* p, Location& location) {
    detail::LineColumn lc = locator_.Locate(OffsetOf(p));
    location.file = file_;
    location.pointer = path_.str();
    location.line = lc.line + first_line_ - 1;
    location.column = lc.column;
  }

  void ErrorAtOffset(std::size_t offset, std::string code, std::string message,
                     std::string pointer) {
    ++errors_;
    if (!sink_.Accepts()) return;
    detail::LineColumn lc = locator_.Locate(offset);
    Diagnostic d;
    d.code = std::move(code);
    d.message = std::move(message);
    d.file = file_;
    d.line = lc.line + first_line_ - 1;
    d.column = lc.column;
    d.pointer = std::move(pointer);
    d.offset = offset;
    sink_.Add(std::move(d));
  }

  void Error(const char* p, std::string code, std::string message) {
    ErrorAtOffset(OffsetOf(p), std::move(code), std::move(message),
                  sink_.Accepts() ? path_.str() : std::string());
  }

  // A simdjson failure while reading: the document is malformed and reading stops.
  void Syntax(error_code error, const char* where) {
    if (fatal_) return;
    fatal_ = true;
    // Where the parser stopped is closer to the problem than the start of the enclosing value.
    if (document_ != nullptr) {
      const char* current = nullptr;
      if (document_->current_location().get(current) == simdjson::SUCCESS && current > where) {
        where = current;
      } else if (error != simdjson::DEPTH_ERROR && where < text_.data() + text_.size()) {
        // At the end of the input: the document is truncated.
        if (document_->current_location().get(current) != simdjson::SUCCESS) {
          where = text_.data() + text_.size();
          while (where > text_.data() && (where[-1] == '\n' || where[-1] == ' ' ||
                                          where[-1] == '\r' || where[-1] == '\t')) {
            --where;
          }
        }
      }
    }
    std::string message;
    switch (error) {
      case simdjson::DEPTH_ERROR:
        message = "JSON nesting is too deep";
        break;
      case simdjson::STRING_ERROR:
        message = "malformed JSON: invalid string (bad escape or control character)";
        break;
      case simdjson::NUMBER_ERROR:
        message = "malformed JSON: invalid number";
        break;
      case simdjson::T_ATOM_ERROR:
      case simdjson::F_ATOM_ERROR:
      case simdjson::N_ATOM_ERROR:
        message = "malformed JSON: invalid literal (expected true, false or null)";
        break;
      default:
        message = std::string("malformed JSON: ") + simdjson::error_message(error);
    }
    ErrorAtOffset(OffsetOf(where), "json-syntax", std::move(message),
                  sink_.Accepts() ? path_.str() : std::string());
  }

  // Position of the value about to be read (its first token).
  const char* PositionOf(od::value& value) {
    std::string_view token = value.raw_json_token();
    return token.data() != nullptr ? token.data() : text_.data();
  }

  const char* CurrentLocation(od::document& doc) {
    const char* p = nullptr;
    if (doc.current_location().get(p) != simdjson::SUCCESS) return text_.data() + text_.size();
    return p;
  }

  // Type check; on mismatch reports "expected X, got Y".
  // `what` is written after "expected ": `what_prefix` and `what` together name what was
  // expected. The message is only composed when it is needed.
  bool Expect(od::value& value, od::json_type want, std::string_view what,
              std::string_view what_prefix = {}) {
    od::json_type type;
    const char* at = PositionOf(value);
    if (auto error = value.type().get(type); error != simdjson::SUCCESS) {
      Syntax(error, at);
      return false;
    }
    if (type != want) {
      // A malformed literal or number (`tru`, `01`) is a syntax error, not a value of the
      // wrong type: the type only looked at its first character.
      if (error_code bad = ScalarError(value, type); bad != simdjson::SUCCESS) {
        Syntax(bad, at);
        return false;
      }
      Error(at, "schema-type",
            "expected " + std::string(what_prefix) + std::string(what) + ", got " +
                std::string(TypeName(type)));
      return false;
    }
    return true;
  }

  // Whether a scalar of the given type is well-formed JSON (SUCCESS), or why not. Checked on
  // the raw token, by the grammar of RFC 8259: a number too large for any C++ type is still
  // valid JSON.
  static error_code ScalarError(od::value& value, od::json_type type) {
    std::string_view token = value.raw_json_token();
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                              token.back() == '\r')) {
      token.remove_suffix(1);
    }
    switch (type) {
      case od::json_type::boolean:
        return token == "true" || token == "false" ? simdjson::SUCCESS : simdjson::T_ATOM_ERROR;
      case od::json_type::null:
        return token == "null" ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
      case od::json_type::number:
        return IsJsonNumber(token) ? simdjson::SUCCESS : simdjson::NUMBER_ERROR;
      default:
        return simdjson::SUCCESS;
    }
  }

  // The text of a number value, without the whitespace that follows it.
  static std::string_view NumberToken(od::value& value) {
    std::string_view token = value.raw_json_token();
    while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                              token.back() == '\t')) {
      token.remove_suffix(1);
    }
    return token;
  }

  // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  static bool IsJsonNumber(std::string_view token) {
    std::size_t i = 0, n = token.size();
    auto digit = [&](std::size_t k) { return k < n && token[k] >= '0' && token[k] <= '9'; };
    if (i < n && token[i] == '-') ++i;
    if (!digit(i)) return false;
    if (token[i] == '0') {
      ++i;
    } else {
      while (digit(i)) ++i;
    }
    if (i < n && token[i] == '.') {
      ++i;
      if (!digit(i)) return false;
      while (digit(i)) ++i;
    }
    if (i < n && (token[i] == 'e' || token[i] == 'E')) {
      ++i;
      if (i < n && (token[i] == '+' || token[i] == '-')) ++i;
      if (!digit(i)) return false;
      while (digit(i)) ++i;
    }
    return i == n;
  }

  // The key of a field. Keys without escapes are read in place; only a key with a backslash
  // is unescaped (into the parser's buffer, which lives as long as the document).
  static bool RawKey(od::field& field, std::string_view& out) {
    const char* start = field.key().raw();
    const char* p = start;
    while (*p != '"' && *p != '\\') ++p;
    if (*p == '"') {
      out = std::string_view(start, static_cast<std::size_t>(p - start));
      return true;
    }
    return field.unescaped_key().get(out) == simdjson::SUCCESS;
  }

  // A string value without copying: in place when it has no escapes, else unescaped.
  bool ViewString(od::value& value, std::string_view& out, std::string_view what = "a string") {
    const char* at = PositionOf(value);
    if (*at != '"') {
      Expect(value, od::json_type::string, what);
      return false;
    }
    const char* end = text_.data() + text_.size();
    const char* p = detail::FindJsonStringSpecial(at + 1, end);
    if (p < end && *p == '"') {
      out = std::string_view(at + 1, static_cast<std::size_t>(p - at - 1));
      return true;
    }
    if (p < end && static_cast<unsigned char>(*p) < 0x20) {
      Syntax(simdjson::STRING_ERROR, p);
      return false;
    }
    if (auto error = value.get_string().get(out); error != simdjson::SUCCESS) {
      Syntax(error, at);
      return false;
    }
    return true;
  }

  bool ReadString(od::value& value, std::string& out, std::string_view what = "a string") {
    std::string_view view;
    if (!ViewString(value, view, what)) return false;
    out.assign(view.data(), view.size());
    return true;
  }

  // The schema's maxLength: at most `max_length` characters. Bytes bound characters from
  // above, so only a string of more bytes than that is counted.
  bool CheckMaxLength(const char* at, std::string_view text, std::size_t max_length) {
    if (text.size() <= max_length) return true;
    std::size_t characters = CharacterCount(text);
    if (characters <= max_length) return true;
    Error(at, "schema-max-length",
          "expected at most " + std::to_string(max_length) + " characters, got " +
              std::to_string(characters));
    return false;
  }

  bool ReadNonEmptyString(od::value& value, std::string& out, std::size_t max_length) {
    const char* at = PositionOf(value);
    std::string_view view;
    if (!ViewString(value, view, "a non-empty string")) return false;
    if (view.empty()) {
      Error(at, "schema-min-length", "expected a non-empty string");
      return false;
    }
    if (!CheckMaxLength(at, view, max_length)) return false;
    out.assign(view.data(), view.size());
    return true;
  }

  bool ReadOptString(od::value& value, std::optional<std::string>& out, std::size_t max_length) {
    const char* at = PositionOf(value);
    std::string_view view;
    if (!ViewString(value, view)) return false;
    if (!CheckMaxLength(at, view, max_length)) return false;
    out.emplace(view);
    return true;
  }

  bool ReadDate(od::value& value, std::optional<std::string>& out, bool allow_year_month) {
    const char* at = PositionOf(value);
    std::string text;
    if (!ReadString(value, text)) return false;
    if (allow_year_month ? !detail::IsCalendarDateOrYearMonth(text)
                         : !detail::IsCalendarDate(text)) {
      Error(at, "schema-format",
            "invalid date '" + Excerpt(text) + "': expected " +
                (allow_year_month ? "YYYY-MM-DD or YYYY-MM" : "YYYY-MM-DD") +
                " naming a real calendar day");
      return false;
    }
    out = std::move(text);
    return true;
  }

  bool ReadSha256(od::value& value, std::string& out) {
    const char* at = PositionOf(value);
    if (!ReadString(value, out)) return false;
    if (!IsSha256(out)) {
      Error(at, "schema-pattern",
            "invalid sha256 digest: expected 64 lowercase hexadecimal characters");
      return false;
    }
    return true;
  }

  bool ReadBool(od::value& value, bool& out) {
    if (!Expect(value, od::json_type::boolean, "a boolean")) return false;
    const char* at = PositionOf(value);
    if (value.get_bool().get(out) != simdjson::SUCCESS) {
      Syntax(simdjson::T_ATOM_ERROR, at);
      return false;
    }
    return true;
  }

  // A JSON Schema "integer" with minimum 0: any number with no fractional part, 0 or more.
  bool ReadCount(od::value& value, std::optional<std::uint64_t>& out) {
    const char* at = PositionOf(value);
    if (!Expect(value, od::json_type::number, "a non-negative integer")) return false;
    std::string_view token = NumberToken(value);
    bool negative = !token.empty() && token[0] == '-';
    double as_double = 0;
    if (auto error = value.get_double().get(as_double); error != simdjson::SUCCESS) {
      if (!IsJsonNumber(token)) {
        Syntax(simdjson::NUMBER_ERROR, at);
        return false;
      }
      // Well-formed, but beyond a double (1e400): an integer out of range, or a negative.
      if (negative) {
        Error(at, "schema-minimum", "expected a non-negative integer, got " + Excerpt(token));
      } else {
        Error(at, "schema-range", "integer " + Excerpt(token) + " is larger than 2^64-1");
      }
      return false;
    }
    std::string_view digits = negative ? token.substr(1) : token;
    if (Digits(digits)) {
      if (negative) {
        if (digits.find_first_not_of('0') != std::string_view::npos) {
          Error(at, "schema-minimum", "expected a non-negative integer, got " + Excerpt(token));
          return false;
        }
        out = 0;
        return true;
      }
      std::uint64_t parsed = 0;
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), parsed);
      if (ec != std::errc() || ptr != digits.data() + digits.size()) {
        Error(at, "schema-range", "integer " + Excerpt(token) + " is larger than 2^64-1");
        return false;
      }
      out = parsed;
      return true;
    }
    if (std::floor(as_double) != as_double) {
      Error(at, "schema-type", "expected a non-negative integer, got " + Excerpt(token));
      return false;
    }
    if (as_double < 0) {
      Error(at, "schema-minimum", "expected a non-negative integer, got " + Excerpt(token));
      return false;
    }
    if (as_double >= 18446744073709551616.0) {
      Error(at, "schema-range", "integer " + Excerpt(token) + " is larger than 2^64-1");
      return false;
    }
    out = static_cast<std::uint64_t>(as_double);
    return true;
  }

  template <typename E>
  bool ReadEnum(od::value& value, E& out, std::string_view field) {
    const char* at = PositionOf(value);
    std::string text;
    if (!ReadString(value, text)) return false;
    auto parsed = detail::ParseEnum<E>(text);
    if (!parsed) {
      Error(at, "schema-enum",
            "invalid " + std::string(field) + " '" + Excerpt(text) + "': expected one of " +
                JoinNames(detail::EnumNames<E>()));
      return false;
    }
    out = *parsed;
    return true;
  }

  // Reads an extension value completely, so that malformed JSON inside it is still found.
  void ConsumeAny(od::value& value, std::size_t depth = 0) {
    const char* at = PositionOf(value);
    if (depth_ + depth >= max_depth_) {
      if (!fatal_) {
        fatal_ = true;
        ErrorAtOffset(OffsetOf(at), "json-depth",
                      "JSON nesting is deeper than " + std::to_string(max_depth_) + " levels",
                      path_.str());
      }
      return;
    }
    od::json_type type;
    if (auto error = value.type().get(type); error != simdjson::SUCCESS) {
      Syntax(error, at);
      return;
    }
    switch (type) {
      case od::json_type::object: {
        od::object object;
        if (auto error = value.get_object().get(object); error != simdjson::SUCCESS) {
          Syntax(error, at);
          return;
        }
        KeySet& seen = KeysAtLevel(depth_ + depth);
        seen.Clear();
        for (auto field_result : object) {
          od::field field;
          if (auto error = std::move(field_result).get(field); error != simdjson::SUCCESS) {
            Syntax(error, at);
            return;
          }
          const char* key_at = field.key().raw() - 1;
          std::string_view key;
          if (!RawKey(field, key)) {
            Syntax(simdjson::STRING_ERROR, key_at);
            return;
          }
          PointerPath::Scope scope(path_, key);
          if (!seen.Insert(key)) DuplicateKey(key_at, key);
          od::value child = field.value();
          ConsumeAny(child, depth + 1);
          if (fatal_) return;
        }
        return;
      }
      case od::json_type::array: {
        od::array array;
        if (auto error = value.get_array().get(array); error != simdjson::SUCCESS) {
          Syntax(error, at);
          return;
        }
        std::size_t index = 0;
        for (auto element_result : array) {
          od::value element;
          if (auto error = element_result.get(element); error != simdjson::SUCCESS) {
            Syntax(error, at);
            return;
          }
          PointerPath::Scope scope(path_, index++);
          ConsumeAny(element, depth + 1);
          if (fatal_) return;
        }
        return;
      }
      case od::json_type::number: {
        double d;
        if (auto error = value.get_double().get(d); error != simdjson::SUCCESS) {
          std::string_view token = NumberToken(value);
          if (error == simdjson::NUMBER_ERROR && IsJsonNumber(token)) {
            // Well-formed JSON, but no double holds it: I-JSON (RFC 7493) asks for numbers
            // within IEEE 754 double precision, and so does provgate.
            Error(at, "json-number-range",
                  "number " + Excerpt(token) +
                      " is out of range: a JSON number must be within the range of a double "
                      "(about 1.8e308)");
          } else {
            Syntax(error, at);
          }
        }
        return;
      }
      case od::json_type::string: {
        std::string_view s;
        if (auto error = value.get_string().get(s); error != simdjson::SUCCESS) Syntax(error, at);
        return;
      }
      case od::json_type::boolean: {
        bool b;
        if (value.get_bool().get(b) != simdjson::SUCCESS) Syntax(simdjson::T_ATOM_ERROR, at);
        return;
      }
      case od::json_type::null: {
        bool is_null = false;
        if (value.is_null().get(is_null) != simdjson::SUCCESS || !is_null) {
          Syntax(simdjson::N_ATOM_ERROR, at);
        }
        return;
      }
    }
  }

  // Iterates an object's fields. `handle(key, value, key_position)` returns false for an
  // unknown key. Reports unknown and repeated keys and syntax errors.
  template <typename Handler>
  bool ForEachField(od::value& value, std::string_view what, Handler&& handle,
                    const char** object_position = nullptr) {
    const char* at = PositionOf(value);
    if (object_position != nullptr) *object_position = at;
    if (!Expect(value, od::json_type::object, what, "an object for ")) return false;
    od::object object;
    if (auto error = value.get_object().get(object); error != simdjson::SUCCESS) {
      Syntax(error, at);
      return false;
    }
    KeySet& seen = KeysAtLevel(depth_);
    seen.Clear();
    ++depth_;
    for (auto field_result : object) {
      od::field field;
      if (auto error = std::move(field_result).get(field); error != simdjson::SUCCESS) {
        Syntax(error, at);
        break;
      }
      const char* key_at = field.key().raw() - 1;
      std::string_view key;
      if (!RawKey(field, key)) {
        Syntax(simdjson::STRING_ERROR, key_at);
        break;
      }
      od::value child = field.value();
      PointerPath::Scope scope(path_, key);
      if (!seen.Insert(key)) {
        DuplicateKey(key_at, key);
        ConsumeAny(child);
      } else if (IsExtension(key)) {
        ConsumeAny(child);
      } else if (!handle(key, child)) {
        Error(key_at, "schema-unknown-field",
              "unknown field '" + Excerpt(key) + "' in " + std::string(what) +
                  " (extensions must be named x-*)");
        ConsumeAny(child);
      }
      if (fatal_) break;
    }
    --depth_;
    return !fatal_;
  }

  template <typename Handler>
  bool ForEachElement(od::value& value, std::string_view what, Handler&& handle) {
    const char* at = PositionOf(value);
    if (!Expect(value, od::json_type::array, what, "an array for ")) return false;
    od::array array;
    if (auto error = value.get_array().get(array); error != simdjson::SUCCESS) {
      Syntax(error, at);
      return false;
    }
    std::size_t index = 0;
    for (auto element_result : array) {
      od::value element;
      if (auto error = element_result.get(element); error != simdjson::SUCCESS) {
        Syntax(error, at);
        break;
      }
      PointerPath::Scope scope(path_, index);
      handle(element, index);
      ++index;
      if (fatal_) break;
    }
    return !fatal_;
  }

  // A key that its object already has: refused wherever it is, extensions included, since
  // readers disagree on which of the two values counts.
  void DuplicateKey(const char* key_at, std::string_view key) {
    Error(key_at, "json-duplicate-key", "duplicate key '" + Excerpt(key) + "'");
  }

  void Missing(const char* object_at, std::string_view field, std::string_view why = {}) {
    std::string message = "missing required field '" + std::string(field) + "'";
    if (!why.empty()) message += " " + std::string(why);
    Error(object_at, "schema-required", std::move(message));
  }

 private:
  std::string file_;
  std::string_view text_;
  std::uint32_t first_line_;
  detail::LineLocator locator_;
  DiagnosticSink& sink_;
  PointerPath path_;
  bool fatal_ = false;
  std::size_t errors_ = 0;
  KeySet& KeysAtLevel(std::size_t level) {
    if (key_sets_.size() <= level) key_sets_.resize(level + 1);
    return key_sets_[level];
  }

  std::deque<KeySet>& key_sets_;
  std::size_t depth_ = 0;
  std::size_t max_depth_ = 64;
  od::document* document_ = nullptr;
};

// Where content follows the root value, or nullptr when the document ends there.
const char* TrailingContent(od::document& doc) {
  const char* p = nullptr;
  if (doc.current_location().get(p) != simdjson::SUCCESS) return nullptr;
  return p;
}

// ---- Object readers, one per manifest object; each mirrors a $defs entry of the schema. ----

void ReadCheckpoint(DocumentWalker& w, od::value& value, Checkpoint& checkpoint) {
  bool has_id = false, has_weights = false;
  const char* at = nullptr;
  bool ok = w.ForEachField(
      value, "checkpoint",
      [&](std::string_view key, od::value& v) {
        if (key == "id") {
          has_id = true;
          w.ReadNonEmptyString(v, checkpoint.id, kMaxIdLength);
        } else if (key == "weights") {
          has_weights = true;
          w.ReadEnum(v, checkpoint.weights, "weights");
        } else if (key == "license") {
          w.ReadOptString(v, checkpoint.license, kMaxTextLength);
        } else if (key == "date") {
          w.ReadDate(v, checkpoint.date, false);
        } else {
          return false;
        }
        return true;
      },
      &at);
  if (!ok || w.fatal()) return;
  if (!has_id) w.Missing(at, "id");
  if (!has_weights) w.Missing(at, "weights");
  if (has_weights && checkpoint.weights == Weights::kOpen && !checkpoint.license) {
    w.Missing(at, "license", "(required when weights are open)");
  }
}

void ReadRelease(DocumentWalker& w, od::value& value, Release& release) {
  bool has_weights = false;
  const char* at = nullptr;
  bool ok = w.ForEachField(
      value, "release",
      [&](std::string_view key, od::value& v) {
        if (key == "weights") {
          has_weights = true;
          w.ReadEnum(v, release.weights, "weights");
        } else if (key == "license") {
          w.ReadOptString(v, release.license, kMaxTextLength);
        } else if (key == "deployment") {
          w.ReadEnum(v, release.deployment, "deployment");
        } else if (key == "date") {
          w.ReadDate(v, release.date, false);
        } else {
          return false;
        }
        return true;
      },
      &at);
  if (!ok || w.fatal()) return;
  if (!has_weights) w.Missing(at, "weights");
  if (has_weights && release.weights == Weights::kOpen && !release.license) {
    w.Missing(at, "license", "(required when weights are open)");
  }
}

void ReadStage(DocumentWalker& w, od::value& value, Stage& stage) {
  bool has_id = false, has_sources = false;
  const char* at = nullptr;
  bool ok = w.ForEachField(
      value, "stage",
      [&](std::string_view key, od::value& v) {
        if (key == "id") {
          has_id = true;
          w.ReadNonEmptyString(v, stage.id, kMaxIdLength);
        } else if (key == "sources") {
          has_sources = true;
          w.ForEachElement(v, "stage sources", [&](od::value& element, std::size_t) {
            const char* element_at = w.PositionOf(element);
            std::string id;
            if (w.ReadNonEmptyString(element, id, kMaxIdLength)) {
              stage.sources.push_back(std::move(id));
              Location location;
              w.Locate(element_at, location);
              stage.source_locations.push_back(std::move(location));
            }
          });
        } else if (key == "checkpoint") {
          stage.checkpoint.emplace();
          ReadCheckpoint(w, v, *stage.checkpoint);
        } else {
          return false;
        }
        return true;
      },
      &at);
  if (at != nullptr) w.Locate(at, stage.location);
  if (!ok || w.fatal()) return;
  if (!has_id) w.Missing(at, "id");
  if (!has_sources) w.Missing(at, "sources");
}

void ReadLineage(DocumentWalker& w, od::value& value, LineageEntry& entry) {
  bool has_relation = false, has_model = false;
  int verifications = 0;
  const char* at = nullptr;
  bool ok = w.ForEachField(
      value, "lineage entry",
      [&](std::string_view key, od::value& v) {
        if (key == "relation") {
          has_relation = true;
          w.ReadEnum(v, entry.relation, "relation");
        } else if (key == "model") {
          has_model = true;
          w.ReadNonEmptyString(v, entry.model, kMaxIdLength);
        } else if (key == "manifest") {
          ++verifications;
          std::string text;
          if (w.ReadNonEmptyString(v, text, kMaxPathLength)) entry.manifest = std::move(text);
        } else if (key == "attestation") {
          ++verifications;
          std::string text;
          if (w.ReadNonEmptyString(v, text, kMaxPathLength)) entry.attestation = std::move(text);
        } else if (key == "ledger") {
          if (w.ReadBool(v, entry.ledger) && entry.ledger) ++verifications;
        } else if (key == "stage") {
          std::string text;
          if (w.ReadNonEmptyString(v, text, kMaxIdLength)) entry.stage = std::move(text);
        } else {
          return false;
        }
        return true;
      },
      &at);
  if (at != nullptr) w.Locate(at, entry.location);
  if (!ok || w.fatal()) return;
  if (!has_relation) w.Missing(at, "relation");
  if (!has_model) w.Missing(at, "model");
  if (verifications > 1) {
    w.Error(at, "schema-exclusive",
            "a lineage entry names at most one of manifest, attestation and ledger: true");
  }
}

void ReadModel(DocumentWalker& w, od::value& value, Model& model) {
  bool has_id = false, has_release = false;
  const char* at = nullptr;
  bool ok = w.ForEachField(
      value, "model",
      [&](std::string_view key, od::value& v) {
        if (key == "id") {
          has_id = true;
          w.ReadNonEmptyString(v, model.id, kMaxIdLength);
        } else if (key == "organization") {
          w.ReadOptString(v, model.organization, kMaxTextLength);
        } else if (key == "release") {
          has_release = true;
          ReadRelease(w, v, model.release);
        } else if (key == "stages") {
          model.stages_given = true;
          w.ForEachElement(v, "stages", [&](od::value& element, std::size_t) {
            model.stages.emplace_back();
            ReadStage(w, element, model.stages.back());
          });
        } else if (key == "lineage") {
          w.ForEachElement(v, "lineage", [&](od::value& element, std::size_t) {
            model.lineage.emplace_back();
            ReadLineage(w, element, model.lineage.back());
          });
        } else {
          return false;
        }
        return true;
      },
      &at);
  if (at != nullptr) w.Locate(at, model.location);
  if (!ok || w.fatal()) return;
  if (!has_id) w.Missing(at, "id");
  if (!has_release) w.Missing(at, "release");
}

void ReadPermission(DocumentWalker& w, od::value& value, Permission& permission) {
  bool has_basis = false, has_evidence = false;
  const char* at = nullptr;
  const char* evidence_at = nullptr;
  std::size_t evidence_count = 0;
  bool ok = w.ForEachField(
      value, "permission",
      [&](std::string_view key, od::value& v) {
        if (key == "basis") {
          has_basis = true;
          w.ReadEnum(v, permission.basis, "basis");
        } else if (key == "evidence") {
          has_evidence = true;
          evidence_at = w.PositionOf(v);
          w.ForEachElement(v, "evidence", [&](od::value& element, std::size_t) {
            ++evidence_count;
            Evidence evidence;
            bool has_uri = false, has_sha = false;
            const char* element_at = nullptr;
            bool element_ok = w.ForEachField(
                element, "evidence",
                [&](std::string_view k, od::value& ev) {
                  if (k == "uri") {
                    has_uri = true;
                    w.ReadNonEmptyString(ev, evidence.uri, kMaxPathLength);
                  } else if (k == "sha256") {
                    has_sha = true;
                    w.ReadSha256(ev, evidence.sha256);
                  } else {
                    return false;
                  }
                  return true;
                },
                &element_at);
            if (!element_ok || w.fatal()) return;
            if (!has_uri) w.Missing(element_at, "uri");
            if (!has_sha) w.Missing(element_at, "sha256");
            permission.evidence.push_back(std::move(evidence));
          });
        } else if (key == "grants") {
          Grants grants;
          w.ForEachField(v, "grants", [&](std::string_view k, od::value& gv) {
            if (k == "training") {
              w.ReadBool(gv, grants.training);
            } else if (k == "commercial") {
              w.ReadBool(gv, grants.commercial);
            } else if (k == "closed_weights") {
              w.ReadBool(gv, grants.closed_weights);
            } else {
              return false;
            }
            return true;
          });
          permission.grants = grants;
        } else if (key == "valid_from") {
          w.ReadDate(v, permission.valid_from, false);
        } else if (key == "valid_until") {
          w.ReadDate(v, permission.valid_until, false);
        } else {
          return false;
        }
        return true;
      },
      &at);
  if (!ok || w.fatal()) return;
  if (!has_basis) {
    w.Missing(at, "basis");
    return;
  }
  if (permission.basis == Basis::kContract) {
    if (!has_evidence) w.Missing(at, "evidence", "(required when basis is contract)");
    if (has_evidence && evidence_count == 0) {
      w.Error(evidence_at, "schema-min-items", "a contract needs at least one evidence document");
    }
    if (!permission.grants) w.Missing(at, "grants", "(required when basis is contract)");
  }
}

void ReadSource(DocumentWalker& w, od::value& value, Source& source) {
  bool has_id = false, has_kind = false, has_permission = false;
  const char* at = nullptr;
  bool ok = w.ForEachField(
      value, "source",
      [&](std::string_view key, od::value& v) {
        if (key == "id") {
          has_id = true;
          w.ReadNonEmptyString(v, source.id, kMaxIdLength);
        } else if (key == "title") {
          w.ReadOptString(v, source.title, kMaxTextLength);
        } else if (key == "kind") {
          has_kind = true;
          w.ReadEnum(v, source.kind, "kind");
        } else if (key == "uri") {
          w.ReadOptString(v, source.uri, kMaxPathLength);
        } else if (key == "license") {
          w.ReadOptString(v, source.license, kMaxTextLength);
        } else if (key == "permission") {
          has_permission = true;
          ReadPermission(w, v, source.permission);
        } else if (key == "acquisition") {
          Acquisition acquisition;
          w.ForEachField(v, "acquisition", [&](std::string_view k, od::value& av) {
            if (k == "method") {
              AcquisitionMethod method;
              if (w.ReadEnum(av, method, "acquisition method")) acquisition.method = method;
            } else if (k == "opt_outs_honored") {
              bool honored;
              if (w.ReadBool(av, honored)) acquisition.opt_outs_honored = honored;
            } else if (k == "date") {
              w.ReadDate(av, acquisition.date, true);
            } else {
              return false;
            }
            return true;
          });
          source.acquisition = std::move(acquisition);
        } else if (key == "generated_by") {
          GeneratedBy generated;
          bool has_model = false, has_terms = false;
          const char* generated_at = nullptr;
          bool generated_ok = w.ForEachField(
              v, "generated_by",
              [&](std::string_view k, od::value& gv) {
                if (k == "model") {
                  has_model = true;
                  w.ReadNonEmptyString(gv, generated.model, kMaxIdLength);
                } else if (k == "terms_allow_training") {
                  has_terms = true;
                  w.ReadBool(gv, generated.terms_allow_training);
                } else {
                  return false;
                }
                return true;
              },
              &generated_at);
          if (generated_ok && !w.fatal()) {
            if (!has_model) w.Missing(generated_at, "model");
            if (!has_terms) w.Missing(generated_at, "terms_allow_training");
          }
          source.generated_by = std::move(generated);
        } else if (key == "size") {
          Size size;
          w.ForEachField(v, "size", [&](std::string_view k, od::value& sv) {
            if (k == "tokens") {
              w.ReadCount(sv, size.tokens);
            } else if (k == "bytes") {
              w.ReadCount(sv, size.bytes);
            } else if (k == "documents") {
              w.ReadCount(sv, size.documents);
            } else {
              return false;
            }
            return true;
          });
          source.size = size;
        } else if (key == "digest") {
          bool has_sha = false;
          const char* digest_at = nullptr;
          std::string sha;
          bool digest_ok = w.ForEachField(
              v, "digest",
              [&](std::string_view k, od::value& dv) {
                if (k != "sha256") return false;
                has_sha = true;
                if (w.ReadSha256(dv, sha)) source.digest_sha256 = sha;
                return true;
              },
              &digest_at);
          if (digest_ok && !w.fatal() && !has_sha) w.Missing(digest_at, "sha256");
        } else if (key == "files") {
          w.ForEachElement(v, "files", [&](od::value& element, std::size_t) {
            FileEntry file;
            bool has_path = false, has_sha = false;
            const char* file_at = nullptr;
            bool file_ok = w.ForEachField(
                element, "file entry",
                [&](std::string_view k, od::value& fv) {
                  if (k == "path") {
                    has_path = true;
                    w.ReadNonEmptyString(fv, file.path, kMaxPathLength);
                  } else if (k == "sha256") {
                    has_sha = true;
                    w.ReadSha256(fv, file.sha256);
                  } else if (k == "bytes") {
                    w.ReadCount(fv, file.bytes);
                  } else {
                    return false;
                  }
                  return true;
                },
                &file_at);
            if (!file_ok || w.fatal()) return;
            if (!has_path) w.Missing(file_at, "path");
            if (!has_sha) w.Missing(file_at, "sha256");
            source.files.push_back(std::move(file));
          });
        } else {
          return false;
        }
        return true;
      },
      &at);
  if (at != nullptr) w.Locate(at, source.location);
  if (!ok || w.fatal()) return;
  if (!has_id) w.Missing(at, "id");
  if (!has_kind) w.Missing(at, "kind");
  if (!has_permission) w.Missing(at, "permission");
  if (has_kind &&
      (source.kind == SourceKind::kSynthetic || source.kind == SourceKind::kModelOutputs) &&
      !source.generated_by) {
    w.Missing(at, "generated_by", "(required for kind synthetic and model-outputs)");
  }
}

void ClearSource(Source& s) {
  s.id.clear();
  s.title.reset();
  s.kind = SourceKind::kOther;
  s.uri.reset();
  s.license.reset();
  s.permission.basis = Basis::kUnknown;
  s.permission.evidence.clear();
  s.permission.grants.reset();
  s.permission.valid_from.reset();
  s.permission.valid_until.reset();
  s.acquisition.reset();
  s.generated_by.reset();
  s.size.reset();
  s.digest_sha256.reset();
  s.files.clear();
}

// ---- Whole-file reading ----

// Loads the manifest; open failures become diagnostics (invalid input), read failures a
// Status (an operational failure).
bool LoadFile(const std::string& path, const std::string& display, detail::FileBuffer& out,
              std::vector<Diagnostic>& diagnostics, Status& status) {
  std::string error;
  switch (out.Load(path, error)) {
    case detail::FileBuffer::Result::kOk:
      return true;
    case detail::FileBuffer::Result::kIsDirectory:
      diagnostics.push_back({Diagnostic::Severity::kError, "io-read",
                             "cannot read manifest: it is a directory", display, 0, 0, "", 0});
      return false;
    case detail::FileBuffer::Result::kOpenFailed:
      diagnostics.push_back({Diagnostic::Severity::kError, "io-open", "cannot open file: " + error,
                             display, 0, 0, "", 0});
      return false;
    case detail::FileBuffer::Result::kReadFailed:
      status = Status::IoError("error while reading " + display + ": " + error);
      return false;
  }
  return false;
}

// Where a string goes wrong in JSON text that simdjson rejected as a whole: the first control
// character inside a string, or the opening quote of a string that is never closed.
struct StringProblems {
  std::size_t control = std::string_view::npos;
  std::size_t unclosed = std::string_view::npos;
};
StringProblems FindStringProblems(std::string_view text) {
  StringProblems found;
  bool in_string = false;
  std::size_t open = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (!in_string) {
      if (c == '"') {
        in_string = true;
        open = i;
      }
    } else if (c == '\\') {
      ++i;
    } else if (c == '"') {
      in_string = false;
    } else if (static_cast<unsigned char>(c) < 0x20 && found.control == std::string_view::npos) {
      found.control = i;
    }
  }
  if (in_string) found.unclosed = open;
  return found;
}

// The UTF-8 encoding of U+FEFF, the byte order mark.
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// Diagnostics for a document that simdjson refuses before any value is read.
void ReportDocumentError(error_code error, std::string_view text, const std::string& display,
                         std::uint32_t first_line, std::string pointer, DiagnosticSink& sink) {
  if (!sink.Accepts()) return;
  Diagnostic d;
  d.file = display;
  d.pointer = std::move(pointer);
  std::size_t offset = 0;
  switch (error) {
    case simdjson::EMPTY:
      d.code = "json-empty";
      d.message = "the file is empty: expected a JSON object";
      break;
    case simdjson::UTF8_ERROR: {
      d.code = "json-utf8";
      d.message = "invalid UTF-8";
      offset = detail::FindInvalidUtf8(text);
      if (offset == std::string_view::npos) offset = 0;
      break;
    }
    case simdjson::DEPTH_ERROR:
      d.code = "json-depth";
      d.message = "JSON nesting is too deep";
      break;
    case simdjson::UNCLOSED_STRING: {
      d.code = "json-syntax";
      d.message = "malformed JSON: unclosed string";
      offset = FindStringProblems(text).unclosed;
      if (offset == std::string_view::npos) offset = 0;
      break;
    }
    case simdjson::UNESCAPED_CHARS: {
      d.code = "json-syntax";
      offset = FindStringProblems(text).control;
      if (offset == std::string_view::npos) {
        d.message = std::string("malformed JSON: ") + simdjson::error_message(error);
        offset = 0;
      } else {
        static constexpr char kHex[] = "0123456789ABCDEF";
        unsigned char c = static_cast<unsigned char>(text[offset]);
        d.message = std::string("malformed JSON: control character U+00") + kHex[c >> 4] +
                    kHex[c & 15] + " inside a string (write it as an escape, e.g. \\n or \\u00" +
                    kHex[c >> 4] + kHex[c & 15] + ")";
      }
      break;
    }
    default:
      d.code = "json-syntax";
      d.message = std::string("malformed JSON: ") + simdjson::error_message(error);
  }
  detail::LineLocator locator(text);
  detail::LineColumn lc = locator.Locate(offset);
  d.line = lc.line + first_line - 1;
  d.column = lc.column;
  d.offset = offset;
  sink.Add(std::move(d));
}

// A byte order mark before the JSON text. RFC 8259 (section 8.1) forbids writing one and lets
// parsers refuse it; provgate refuses it, as Python's json module does, rather than read a
// file that other tools read differently.
void ReportByteOrderMark(const std::string& display, std::uint32_t line, std::string pointer,
                         DiagnosticSink& sink) {
  sink.Add({Diagnostic::Severity::kError, "json-bom",
            "the JSON text starts with a UTF-8 byte order mark (U+FEFF): expected '{'; save the "
            "file as UTF-8 without a byte order mark",
            display, line, 1, std::move(pointer), 0});
}

std::string DisplayJoin(const std::string& manifest_display, const std::string& relative) {
  std::filesystem::path base = std::filesystem::path(manifest_display).parent_path();
  return (base / relative).lexically_normal().string();
}

// True when `relative` is a relative path with no ".." segment, so it stays inside the
// manifest's directory (the schema's pattern says the same).
bool StaysInside(const std::string& relative) {
  std::filesystem::path p(relative);
  if (relative.empty() || p.is_absolute()) return false;
  for (const auto& part : p) {
    if (part == "..") return false;
  }
  return true;
}

// Tracks source ids for the duplicate check: a Bloom filter in the first pass, then an exact
// count of the few candidates in a second pass.
class DuplicateTracker {
 public:
  // Inserts the previous id and prefetches this one's cache line, so that the filter's
  // memory access overlaps the parsing of the next source instead of stalling it.
  void Insert(std::string_view id) {
    std::uint64_t hash = detail::IdBloomFilter::Hash(id);
    bloom_.Prefetch(hash);
    Drain();
    pending_id_.assign(id.data(), id.size());
    pending_hash_ = hash;
    has_pending_ = true;
  }
  // Inserts the last id.
  void Drain() {
    if (!has_pending_) return;
    has_pending_ = false;
    if (bloom_.InsertHash(pending_hash_)) {
      candidates_.emplace(pending_id_, std::vector<Location>{});
    }
  }
  // Manifests of this size or more have enough sources for the filter to prefer huge pages.
  static constexpr std::uint64_t kLargeManifest = std::uint64_t{32} << 20;
  void ExpectBytes(std::uint64_t bytes) {
    if (bytes >= kLargeManifest) bloom_.PreferHugePages();
  }
  bool HasCandidates() {
    Drain();
    return !candidates_.empty();
  }
  void Confirm(std::string_view id, const Location& location) {
    auto it = candidates_.find(id);
    if (it != candidates_.end()) it->second.push_back(location);
  }
  std::vector<ReadResult::DuplicateId> Take() {
    Drain();
    std::vector<ReadResult::DuplicateId> out;
    for (auto& [id, locations] : candidates_) {
      if (locations.size() > 1) out.push_back({id, std::move(locations)});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return out;
  }

 private:
  detail::IdBloomFilter bloom_;
  // Ordered, not hashed: ids are chosen by the manifest's author, and a tree costs log n per
  // lookup whatever they are.
  std::map<std::string, std::vector<Location>, std::less<>> candidates_;
  std::string pending_id_;
  std::uint64_t pending_hash_ = 0;
  bool has_pending_ = false;
};

// Reads only the id of one source value, for the duplicate confirmation pass.
void ReadSourceIdOnly(DocumentWalker& w, od::value& value, DuplicateTracker& tracker) {
  const char* at = w.PositionOf(value);
  od::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return;
  std::string_view id;
  if (object.find_field_unordered("id").get_string().get(id) != simdjson::SUCCESS) return;
  Location location;
  w.Locate(at, location);
  tracker.Confirm(id, location);
}

class Reader {
 public:
  // Reads the file at `path`, or with `text` the text itself as if it were that file's
  // contents; diagnostics name the manifest `display`.
  Reader(const std::string& path, const std::string& display, const std::string* text,
         ManifestVisitor& visitor, const ReadOptions& options, ReadResult& result)
      : path_(path),
        display_(display),
        given_text_(text),
        visitor_(visitor),
        options_(options),
        result_(result),
        sink_(result.diagnostics, options.max_diagnostics),
        feed_(visitor, options.pipeline) {}

  void Run() {
    detail::FileBuffer buffer;
    if (given_text_ != nullptr) {
      if (!buffer.Assign(*given_text_)) {
        result_.status = Status::IoError("not enough memory to read " + display_);
        return;
      }
    } else if (!LoadFile(path_, display_, buffer, result_.diagnostics, result_.status)) {
      return;
    }
    std::string_view text = buffer.view();

    // Hash the manifest on the second core while the first parses it (or first, on one).
    std::string digest;
    std::thread hasher;
    if (options_.hash_on_thread) {
      hasher = std::thread([&] {
        digest = detail::Sha256Hex(text);
        hashed_.store(true, std::memory_order_release);
      });
    } else {
      digest = detail::Sha256Hex(text);
      hashed_.store(true, std::memory_order_release);
    }
    ReadDocument(buffer, text);
    feed_.Finish();
    if (hasher.joinable()) hasher.join();
    result_.manifest_sha256 = std::move(digest);
  }

 private:
  void ReadDocument(detail::FileBuffer& buffer, std::string_view text) {
    od::parser parser(std::max<std::size_t>(buffer.size(), 64));
    if (parser.allocate(std::max<std::size_t>(buffer.size(), 64), options_.max_depth) !=
        simdjson::SUCCESS) {
      result_.status = Status::IoError("not enough memory to parse " + display_);
      return;
    }
    od::document doc;
    if (text.substr(0, kByteOrderMark.size()) == kByteOrderMark) {
      ReportByteOrderMark(display_, 1, "", sink_);
      return;
    }
    if (auto error =
            parser
                .iterate(buffer.data(), buffer.size(), buffer.size() + detail::FileBuffer::kPadding)
                .get(doc);
        error != simdjson::SUCCESS) {
      ReportDocumentError(error, text, display_, 1, "", sink_);
      return;
    }
    DocumentWalker w(display_, text, 1, sink_, key_sets_);
    w.set_max_depth(options_.max_depth);
    w.set_document(&doc);

    // Pass 1: everything but the sources array, so the header reaches the visitor first.
    od::value root;
    if (auto error = doc.get_value().get(root); error != simdjson::SUCCESS) {
      w.Syntax(error, w.CurrentLocation(doc));
      return;
    }
    if (!w.Expect(root, od::json_type::object, "an object for the manifest")) return;
    ManifestHeader header;
    bool has_version = false, has_model = false, has_sources = false;
    bool sources_is_array = false;
    const char* root_at = nullptr;
    w.ForEachField(
        root, "the manifest",
        [&](std::string_view key, od::value& v) {
          if (key == "manifest_version") {
            has_version = true;
            const char* at = w.PositionOf(v);
            if (w.ReadString(v, header.manifest_version) && header.manifest_version != "1") {
              w.Error(at, "schema-const",
                      "unsupported manifest_version '" + Excerpt(header.manifest_version) +
                          "': this version of provgate reads \"1\"");
            }
          } else if (key == "model") {
            has_model = true;
            ReadModel(w, v, header.model);
          } else if (key == "sources") {
            has_sources = true;
            ReadSourcesHeader(w, v, header, sources_is_array);
          } else {
            return false;
          }
          return true;
        },
        &root_at);
    if (w.fatal()) return;
    if (const char* trailing = TrailingContent(doc); trailing != nullptr) {
      w.Syntax(simdjson::TRAILING_CONTENT, trailing);
      return;
    }
    if (!has_version) w.Missing(root_at, "manifest_version");
    if (!has_model) w.Missing(root_at, "model");
    if (!has_sources) w.Missing(root_at, "sources");
    if (!w.fatal() && !HasErrors(result_.diagnostics)) visitor_.OnHeader(header);

    if (sources_is_array) {
      StreamArraySources(doc, w, buffer);
    } else if (header.sources_jsonl && !w.fatal()) {
      StreamJsonl(*header.sources_jsonl);
    }
  }

  void ReadSourcesHeader(DocumentWalker& w, od::value& v, ManifestHeader& header, bool& is_array) {
    const char* at = w.PositionOf(v);
    w.Locate(at, header.sources_location);
    od::json_type type;
    if (auto error = v.type().get(type); error != simdjson::SUCCESS) {
      w.Syntax(error, at);
      return;
    }
    if (type == od::json_type::array) {
      is_array = true;  // Read in pass 2; skipped here.
      return;
    }
    if (type != od::json_type::object) {
      w.Error(at, "schema-type",
              "expected an array of sources or {\"jsonl\": PATH} for sources, got " +
                  std::string(TypeName(type)));
      return;
    }
    bool has_jsonl = false;
    const char* object_at = nullptr;
    bool ok = w.ForEachField(
        v, "sources",
        [&](std::string_view key, od::value& value) {
          if (key != "jsonl") return false;
          has_jsonl = true;
          const char* path_at = w.PositionOf(value);
          std::string relative;
          if (!w.ReadNonEmptyString(value, relative, kMaxPathLength)) return true;
          if (!StaysInside(relative)) {
            w.Error(path_at, "path-escape",
                    "the JSONL side file '" + relative +
                        "' must be a relative path inside the manifest's directory");
            return true;
          }
          header.sources_jsonl = relative;
          return true;
        },
        &object_at);
    if (ok && !has_jsonl) w.Missing(object_at, "jsonl");
  }

  void StreamArraySources(od::document& doc, DocumentWalker& w, detail::FileBuffer& buffer) {
    doc.rewind();
    od::object root;
    if (doc.get_object().get(root) != simdjson::SUCCESS) return;
    od::value sources;
    if (root.find_field_unordered("sources").get(sources) != simdjson::SUCCESS) return;
    PointerPath::Scope scope(w.path(), "sources");
    bool stream_to_visitor = !HasErrors(result_.diagnostics);
    duplicates_.ExpectBytes(buffer.size());
    w.ForEachElement(sources, "sources", [&](od::value& element, std::size_t index) {
      Source& source = feed_.Slot();
      ClearSource(source);
      std::size_t errors_before = w.error_count();
      ReadSource(w, element, source);
      source.index = index;
      ++result_.source_count;
      if (w.error_count() != errors_before) stream_to_visitor = false;
      if (!source.id.empty()) duplicates_.Insert(source.id);
      if (stream_to_visitor) feed_.Push();
      // The sources behind are read: let their pages go, so that a large manifest does not
      // stay resident beside the findings made from it. Once the hasher is done with them.
      if (index % 4096 == 4095 && hashed_.load(std::memory_order_acquire)) {
        const char* at = w.CurrentLocation(doc);
        constexpr std::size_t kKeep = 1 << 20;
        if (at != nullptr && static_cast<std::size_t>(at - buffer.data()) > kKeep) {
          buffer.ReleaseBefore(at - kKeep);
        }
      }
    });
    if (w.fatal() || !duplicates_.HasCandidates()) {
      result_.duplicate_source_ids = duplicates_.Take();
      return;
    }
    // Second pass over the ids only, to confirm the Bloom filter's candidates.
    doc.rewind();
    if (doc.get_object().get(root) != simdjson::SUCCESS) return;
    if (root.find_field_unordered("sources").get(sources) != simdjson::SUCCESS) return;
    od::array array;
    if (sources.get_array().get(array) != simdjson::SUCCESS) return;
    std::size_t index = 0;
    for (auto element : array) {
      od::value value;
      if (element.get(value) != simdjson::SUCCESS) break;
      PointerPath::Scope element_scope(w.path(), index++);
      ReadSourceIdOnly(w, value, duplicates_);
    }
    result_.duplicate_source_ids = duplicates_.Take();
  }

  // Calls `line_handler(line_text, line_number, capacity)` for each non-blank line of the side
  // file open at `fd`, from its start, where `capacity` bytes from the line's start are
  // readable (simdjson needs padding); the handler returns false to stop. Memory stays within
  // twice the longest line allowed (ReadOptions::max_jsonl_line_bytes): a longer line is an
  // error at its start, whatever follows it. Returns false when reading stopped early (the
  // handler asked, a line was too long, or the file could not be read: `result_.status`).
  template <typename LineHandler>
  bool ForEachJsonlLine(int fd, const std::string& display, detail::Sha256* hasher,
                        LineHandler&& line_handler) {
    if (lseek(fd, 0, SEEK_SET) != 0) {
      result_.status =
          Status::IoError("error while reading " + display + ": " + std::strerror(errno));
      return false;
    }
    const std::size_t max_line = std::max<std::size_t>(options_.max_jsonl_line_bytes, 1);
    constexpr std::size_t kChunk = 8 << 20;
    constexpr std::size_t kPadding = simdjson::SIMDJSON_PADDING;
    std::vector<char> buffer(std::min(kChunk, max_line + 1) + kPadding);
    std::size_t filled = 0;
    std::uint32_t line_number = 1;
    std::uint64_t sources = 0;  // Non-blank lines before this one: the source's index.
    bool eof = false;
    while (true) {
      std::size_t room = buffer.size() - kPadding - filled;
      if (room < (buffer.size() - kPadding) / 2) {
        // The line being read fills half the buffer: double it (a line is at most max_line).
        buffer.resize(2 * (buffer.size() - kPadding) + kPadding);
        room = buffer.size() - kPadding - filled;
      }
      ssize_t got = read(fd, buffer.data() + filled, room);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
        result_.status =
            Status::IoError("error while reading " + display + ": " + std::strerror(errno));
        return false;
      }
      if (got == 0) {
        eof = true;
      } else {
        if (hasher != nullptr)
          hasher->Update({buffer.data() + filled, static_cast<std::size_t>(got)});
        filled += static_cast<std::size_t>(got);
      }
      std::size_t start = 0;
      while (start < filled) {
        const char* nl =
            static_cast<const char*>(std::memchr(buffer.data() + start, '\n', filled - start));
        if (nl == nullptr && !eof) break;
        std::size_t end = nl != nullptr ? static_cast<std::size_t>(nl - buffer.data()) : filled;
        if (end - start > max_line) {
          LineTooLong(display, line_number, sources, max_line);
          return false;
        }
        std::string_view line(buffer.data() + start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t") != std::string_view::npos) {
          if (!line_handler(line, line_number, buffer.size() - start)) return false;
          ++sources;
        }
        ++line_number;
        start = end + 1;
      }
      if (eof) return true;
      start = std::min(start, filled);
      std::memmove(buffer.data(), buffer.data() + start, filled - start);
      filled -= start;
      if (filled > max_line) {
        LineTooLong(display, line_number, sources, max_line);
        return false;
      }
    }
  }

  void LineTooLong(const std::string& display, std::uint32_t line_number, std::uint64_t index,
                   std::size_t max_line) {
    std::string limit = max_line % (1 << 20) == 0 ? std::to_string(max_line >> 20) + " MiB"
                                                  : std::to_string(max_line) + " bytes";
    sink_.Add(
        {Diagnostic::Severity::kError, "jsonl-line-length",
         "the line is longer than " + limit + ": expected one source per line, of at most " + limit,
         display, line_number, 1, "/sources/" + std::to_string(index), 0});
  }

  void StreamJsonl(const std::string& relative) {
    std::string display = DisplayJoin(display_, relative);
    // Opened beneath the manifest's directory: a symlink out of it (to /dev/zero, to a file
    // elsewhere) is refused, and so is anything but a regular file, without blocking on it.
    detail::OpenedFile file = detail::OpenRegularFileBeneath(
        std::filesystem::path(path_).parent_path().string(), relative);
    if (!file.ok()) {
      sink_.Add({Diagnostic::Severity::kError, "io-open",
                 "cannot open the JSONL side file: " + file.error, display, 0, 0, "", 0});
      return;
    }
    od::parser parser;
    if (parser.allocate(1 << 16, options_.max_depth) != simdjson::SUCCESS) {
      result_.status = Status::IoError("not enough memory to parse " + display_);
      return;
    }
    detail::Sha256 hasher;
    bool stream_to_visitor = !HasErrors(result_.diagnostics);
    duplicates_.ExpectBytes(file.size);
    std::uint64_t index = 0;
    bool ok = ForEachJsonlLine(
        file.fd.get(), display, &hasher,
        [&](std::string_view line, std::uint32_t line_number, std::size_t capacity) {
          DocumentWalker w(display, line, line_number, sink_, key_sets_);
          w.set_max_depth(options_.max_depth);
          w.path().Reset("/sources/" + std::to_string(index));
          if (line.substr(0, kByteOrderMark.size()) == kByteOrderMark) {
            ReportByteOrderMark(display, line_number, w.path().str(), sink_);
            stream_to_visitor = false;
            ++index;
            return sink_.Accepts();
          }
          od::document doc;
          if (auto error = parser.iterate(line.data(), line.size(), capacity).get(doc);
              error != simdjson::SUCCESS) {
            ReportDocumentError(error, line, display, line_number, w.path().str(), sink_);
            stream_to_visitor = false;
            ++index;
            return sink_.Accepts();
          }
          w.set_document(&doc);
          od::value value;
          Source& source = feed_.Slot();
          ClearSource(source);
          std::size_t errors_before = sink_.errors();
          if (auto error = doc.get_value().get(value); error != simdjson::SUCCESS) {
            w.Syntax(error, line.data());
          } else {
            ReadSource(w, value, source);
            if (const char* trailing = TrailingContent(doc); !w.fatal() && trailing != nullptr) {
              w.Syntax(simdjson::TRAILING_CONTENT, trailing);
            }
          }
          source.index = index++;
          ++result_.source_count;
          if (sink_.errors() != errors_before) stream_to_visitor = false;
          if (!source.id.empty()) duplicates_.Insert(source.id);
          if (stream_to_visitor) feed_.Push();
          return sink_.Accepts();
        });
    if (!ok) return;
    result_.sources_sha256 = hasher.HexDigest();
    if (duplicates_.HasCandidates()) {
      // Second pass over the ids only, from the same open file.
      index = 0;
      ForEachJsonlLine(
          file.fd.get(), display, nullptr,
          [&](std::string_view line, std::uint32_t line_number, std::size_t capacity) {
            DocumentWalker w(display, line, line_number, sink_, key_sets_);
            w.path().Reset("/sources/" + std::to_string(index++));
            od::document doc;
            if (parser.iterate(line.data(), line.size(), capacity).get(doc) != simdjson::SUCCESS) {
              return true;
            }
            od::value value;
            if (doc.get_value().get(value) == simdjson::SUCCESS) {
              ReadSourceIdOnly(w, value, duplicates_);
            }
            return true;
          });
    }
    result_.duplicate_source_ids = duplicates_.Take();
  }

  const std::string& path_;
  const std::string& display_;
  const std::string* given_text_;
  ManifestVisitor& visitor_;
  const ReadOptions& options_;
  ReadResult& result_;
  std::atomic<bool> hashed_{false};
  DiagnosticSink sink_;
  std::deque<KeySet> key_sets_;  // Shared by the document walkers, one after the other.
  DuplicateTracker duplicates_;
  detail::SourceFeed feed_;
};

class CollectingVisitor : public ManifestVisitor {
 public:
  explicit CollectingVisitor(Manifest& manifest) : manifest_(manifest) {}
  void OnHeader(const ManifestHeader& header) override { manifest_.header = header; }
  void OnSource(const Source& source) override { manifest_.sources.push_back(source); }

 private:
  Manifest& manifest_;
};

}  // namespace

ReadResult ReadManifest(const std::string& path, ManifestVisitor& visitor,
                        const ReadOptions& options) {
  ReadResult result;
  Reader reader(path, path, nullptr, visitor, options, result);
  reader.Run();
  SortDiagnostics(result.diagnostics);
  // The note that errors were suppressed comes after every reported error.
  std::stable_partition(result.diagnostics.begin(), result.diagnostics.end(),
                        [](const Diagnostic& d) { return d.code != "too-many-errors"; });
  return result;
}

ReadResult ReadManifestText(const std::string& text, const std::string& name,
                            const std::string& base_dir, ManifestVisitor& visitor,
                            const ReadOptions& options) {
  ReadResult result;
  const std::string path =
      (std::filesystem::path(base_dir.empty() ? "." : base_dir) / name).lexically_normal().string();
  Reader reader(path, name, &text, visitor, options, result);
  reader.Run();
  SortDiagnostics(result.diagnostics);
  std::stable_partition(result.diagnostics.begin(), result.diagnostics.end(),
                        [](const Diagnostic& d) { return d.code != "too-many-errors"; });
  return result;
}

ReadResult LoadManifest(const std::string& path, Manifest& manifest, const ReadOptions& options) {
  CollectingVisitor visitor(manifest);
  return ReadManifest(path, visitor, options);
}

}  // namespace provgate
