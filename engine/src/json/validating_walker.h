// ValidatingWalker: reads one JSON document with simdjson On-Demand and reports, with its
// line, column and JSON pointer, every value that is malformed or not what a schema expects:
// wrong types, repeated and unknown keys, missing required fields, string lengths,
// non-negative integers, nesting too deep. What the values mean is left to the caller.
#ifndef PROVGATE_JSON_VALIDATING_WALKER_H_
#define PROVGATE_JSON_VALIDATING_WALKER_H_

#include <simdjson.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "common/json_string.h"
#include "common/text_position.h"
#include "json/diagnostic_sink.h"
#include "json/key_set.h"
#include "json/pointer_path.h"
#include "json/text_checks.h"

namespace provgate::detail {

// "an object", "a string", ... for "expected X, got Y".
std::string_view JsonTypeName(simdjson::ondemand::json_type type);

class ValidatingWalker {
 public:
  using Value = simdjson::ondemand::value;
  using JsonType = simdjson::ondemand::json_type;

  // Problems are reported against `file`, where `text` starts on line `first_line`.
  // `key_sets` holds the keys of the object open at each nesting level; it is the caller's,
  // reused from document to document (one per JSONL line), so that reading allocates nothing
  // per object or per line. A deque: references stay valid as it grows.
  ValidatingWalker(std::string file, std::string_view text, std::uint32_t first_line,
                   DiagnosticSink& sink, std::deque<KeySet>& key_sets)
      : file_(std::move(file)),
        text_(text),
        first_line_(first_line),
        locator_(text),
        sink_(sink),
        key_sets_(key_sets) {}

  // True once the document was found malformed: reading stops.
  bool fatal() const { return fatal_; }
  void set_max_depth(std::size_t depth) { max_depth_ = depth; }
  // While it lives, the objects the walk is inside count one level less toward the nesting
  // limit: a manifest's sources, read inside the root object, count as they do when read in
  // a second pass over the array or from a JSON Lines side file, whatever the keys' order.
  class UncountedLevel {
   public:
    explicit UncountedLevel(ValidatingWalker& walker) : walker_(walker) { ++walker_.uncounted_; }
    ~UncountedLevel() { --walker_.uncounted_; }
    UncountedLevel(const UncountedLevel&) = delete;
    UncountedLevel& operator=(const UncountedLevel&) = delete;

   private:
    ValidatingWalker& walker_;
  };
  // The document being read, so that a syntax error can be placed where the parser stopped.
  void set_document(simdjson::ondemand::document* document) { document_ = document; }
  // Keys starting with `prefix` are extensions: accepted in any object, their values only
  // checked to be well-formed JSON. Empty (the default): no key is an extension.
  void set_extension_prefix(std::string_view prefix) { extension_prefix_ = prefix; }
  // Errors found so far in this document, reported or not (the sink may have stopped).
  std::size_t error_count() const { return errors_; }
  PointerPath& path() { return path_; }
  const std::string& file() const { return file_; }

  std::size_t OffsetOf(const char* p) const {
    if (p < text_.data()) return 0;
    std::size_t offset = static_cast<std::size_t>(p - text_.data());
    return std::min(offset, text_.size());
  }
  // Line (of the file) and column of a position in the document.
  LineColumn Position(const char* p) {
    LineColumn lc = locator_.Locate(OffsetOf(p));
    lc.line += first_line_ - 1;
    return lc;
  }

  // Reports a problem at `p`, with the pointer of the value being read.
  void Error(const char* p, std::string code, std::string message);
  void ErrorAtOffset(std::size_t offset, std::string code, std::string message,
                     std::string pointer);
  // A simdjson failure while reading: the document is malformed and reading stops.
  void Syntax(simdjson::error_code error, const char* where);

  // Position of the value about to be read (its first token).
  const char* PositionOf(Value& value) {
    std::string_view token = value.raw_json_token();
    return token.data() != nullptr ? token.data() : text_.data();
  }
  // Where the parser is in `doc`, or the end of the text.
  const char* CurrentLocation(simdjson::ondemand::document& doc) {
    const char* p = nullptr;
    if (doc.current_location().get(p) != simdjson::SUCCESS) return text_.data() + text_.size();
    return p;
  }

  // Type check; on mismatch reports "expected X, got Y", where `what_prefix` and `what`
  // together name what was expected. The message is only composed when it is needed.
  bool Expect(Value& value, JsonType want, std::string_view what,
              std::string_view what_prefix = {}) {
    const char* at = PositionOf(value);
    JsonType type;
    if (auto error = value.type().get(type); error != simdjson::SUCCESS) {
      Syntax(error, at);
      return false;
    }
    if (type == want) return true;
    WrongType(value, at, type, what, what_prefix);
    return false;
  }

  // A string value without copying: in place when it has no escapes, else unescaped.
  bool ViewString(Value& value, std::string_view& out, std::string_view what = "a string") {
    const char* at = PositionOf(value);
    if (*at != '"') {
      Expect(value, JsonType::string, what);
      return false;
    }
    const char* end = text_.data() + text_.size();
    const char* p = FindJsonStringSpecial(at + 1, end);
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

  bool ReadString(Value& value, std::string& out, std::string_view what = "a string") {
    std::string_view view;
    if (!ViewString(value, view, what)) return false;
    out.assign(view.data(), view.size());
    return true;
  }

  // JSON Schema's maxLength, reported at `at`.
  bool CheckMaxLength(const char* at, std::string_view text, std::size_t max_length) {
    if (text.size() <= max_length) return true;
    return Report(at, detail::CheckMaxLength(text, max_length));
  }

  // A string of 1 to `max_length` characters.
  bool ReadNonEmptyString(Value& value, std::string& out, std::size_t max_length) {
    const char* at = PositionOf(value);
    std::string_view view;
    if (!ViewString(value, view, "a non-empty string")) return false;
    if ((view.empty() || view.size() > max_length) &&
        !Report(at, detail::CheckNonEmpty(view, max_length))) {
      return false;
    }
    out.assign(view.data(), view.size());
    return true;
  }

  // A string of at most `max_length` characters.
  bool ReadOptString(Value& value, std::optional<std::string>& out, std::size_t max_length) {
    const char* at = PositionOf(value);
    std::string_view view;
    if (!ViewString(value, view)) return false;
    if (!CheckMaxLength(at, view, max_length)) return false;
    out.emplace(view);
    return true;
  }

  bool ReadBool(Value& value, bool& out);

  // A JSON Schema "integer" with minimum 0: any number with no fractional part, 0 or more,
  // up to 2^64-1.
  bool ReadCount(Value& value, std::optional<std::uint64_t>& out);

  // A JSON Schema "number" with minimum 0.
  bool ReadNonNegativeNumber(Value& value, std::optional<double>& out);

  // Reads a value of any type completely (an extension, an unknown field), so that malformed
  // JSON inside it is still found.
  void ConsumeAny(Value& value, std::size_t depth = 0);

  // Iterates an object's fields. `handle(key, value)` returns false for an unknown key.
  // Reports unknown and repeated keys and syntax errors; `object_position`, when given, is set
  // to the object's position. False when the value is not an object or is malformed.
  template <typename Handler>
  bool ForEachField(Value& value, std::string_view what, Handler&& handle,
                    const char** object_position = nullptr) {
    const char* at = PositionOf(value);
    if (object_position != nullptr) *object_position = at;
    if (!Expect(value, JsonType::object, what, "an object for ")) return false;
    KeySet& seen = KeysAtLevel(depth_);
    seen.Clear();
    ++depth_;
    bool opened =
        VisitMembers(value, at, [&](const char* key_at, std::string_view key, Value& child) {
          if (!seen.Insert(key)) {
            DuplicateKey(key_at, key);
            ConsumeAny(child);
          } else if (IsExtension(key)) {
            ConsumeAny(child);
          } else if (!handle(key, child)) {
            UnknownField(key_at, key, what);
            ConsumeAny(child);
          }
        });
    --depth_;
    return opened && !fatal_;
  }

  // ForEachField for an object whose keys a table numbers (at most 32): `find(key)` gives a
  // key's number, or -1 for a key the table does not have, and `handle(number, value)` reads
  // the value of a key the table has. Sets bit n of `given` for each key numbered n; a key
  // whose bit is already set is a repeated key. Only the keys the table does not have go to
  // the key set, so that an object without such keys makes no string comparison for them.
  // Reports the same problems, in the same order, as ForEachField. The table's keys must not
  // be extensions.
  template <typename Find, typename Handler>
  bool ForEachKnownField(Value& value, std::string_view what, Find&& find, Handler&& handle,
                         std::uint32_t& given, const char** object_position = nullptr) {
    const char* at = PositionOf(value);
    if (object_position != nullptr) *object_position = at;
    if (!Expect(value, JsonType::object, what, "an object for ")) return false;
    KeySet* others = nullptr;  // The keys the table does not have, once there is one.
    const std::size_t level = depth_;
    ++depth_;
    bool opened =
        VisitMembers(value, at, [&](const char* key_at, std::string_view key, Value& child) {
          if (int number = find(key); number >= 0) {
            std::uint32_t bit = std::uint32_t{1} << number;
            if ((given & bit) != 0) {
              DuplicateKey(key_at, key);
              ConsumeAny(child);
            } else {
              given |= bit;
              handle(number, child);
            }
            return;
          }
          if (others == nullptr) {
            others = &KeysAtLevel(level);
            others->Clear();
          }
          if (!others->Insert(key)) {
            DuplicateKey(key_at, key);
          } else if (!IsExtension(key)) {
            UnknownField(key_at, key, what);
          }
          ConsumeAny(child);
        });
    --depth_;
    return opened && !fatal_;
  }

  // The value of the first member of `object` whose key, unescaped, is `key`: the member the
  // walk reads (a later one with the same key is a repeated key). simdjson's find_field
  // compares keys as written, and would miss a key spelled with escapes ("\u0069d" for "id").
  // False when there is none or the object is malformed. For passes after the walk.
  static bool FindFirstMember(simdjson::ondemand::object& object, std::string_view key,
                              Value& out) {
    for (auto field_result : object) {
      simdjson::ondemand::field field;
      if (std::move(field_result).get(field) != simdjson::SUCCESS) return false;
      std::string_view name;
      if (field.unescaped_key().get(name) != simdjson::SUCCESS) return false;
      if (name == key) {
        out = field.value();
        return true;
      }
    }
    return false;
  }

  // Iterates an array's elements: `handle(value, index)`. False when the value is not an
  // array or is malformed.
  template <typename Handler>
  bool ForEachElement(Value& value, std::string_view what, Handler&& handle) {
    const char* at = PositionOf(value);
    if (!Expect(value, JsonType::array, what, "an array for ")) return false;
    simdjson::ondemand::array array;
    if (auto error = value.get_array().get(array); error != simdjson::SUCCESS) {
      Syntax(error, at);
      return false;
    }
    std::size_t index = 0;
    for (auto element_result : array) {
      Value element;
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

  // "missing required field 'field'", with `why` after it when given.
  void Missing(const char* object_at, std::string_view field, std::string_view why = {});

 private:
  // Opens `value` as an object (a syntax error at `at` when it cannot be) and calls
  // `visit(key_at, key, child)` for each member in turn, within the member's pointer scope,
  // until a malformed member or a fatal problem. False when the object could not be opened.
  template <typename Visit>
  bool VisitMembers(Value& value, const char* at, Visit&& visit) {
    simdjson::ondemand::object object;
    if (auto error = value.get_object().get(object); error != simdjson::SUCCESS) {
      Syntax(error, at);
      return false;
    }
    for (auto field_result : object) {
      simdjson::ondemand::field field;
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
      Value child = field.value();
      PointerPath::Scope scope(path_, key);
      visit(key_at, key, child);
      if (fatal_) break;
    }
    return true;
  }

  // The key of a field. Keys without escapes are read in place; only a key with a backslash
  // is unescaped (into the parser's buffer, which lives as long as the document).
  bool RawKey(simdjson::ondemand::field& field, std::string_view& out) const {
    const char* start = field.key().raw();
    const char* p = FindQuoteOrBackslash(start, text_.data() + text_.size());
    while (*p != '"' && *p != '\\') ++p;  // Past the end: into the parser's padding.
    if (*p == '"') {
      out = std::string_view(start, static_cast<std::size_t>(p - start));
      return true;
    }
    return field.unescaped_key().get(out) == simdjson::SUCCESS;
  }

  bool IsExtension(std::string_view key) const {
    return !extension_prefix_.empty() && key.size() >= extension_prefix_.size() &&
           key.substr(0, extension_prefix_.size()) == extension_prefix_;
  }
  // Reports `problem`, if any, at `at`; true when there was none.
  bool Report(const char* at, std::optional<ValueProblem> problem) {
    if (!problem) return true;
    Error(at, std::string(problem->code), std::move(problem->message));
    return false;
  }
  void WrongType(Value& value, const char* at, JsonType type, std::string_view what,
                 std::string_view what_prefix);
  // A key that its object already has: refused wherever it is, extensions included, since
  // readers disagree on which of the two values counts.
  void DuplicateKey(const char* key_at, std::string_view key);
  void UnknownField(const char* key_at, std::string_view key, std::string_view what);
  KeySet& KeysAtLevel(std::size_t level) {
    if (key_sets_.size() <= level) key_sets_.resize(level + 1);
    return key_sets_[level];
  }

  std::string file_;
  std::string_view text_;
  std::uint32_t first_line_;
  LineLocator locator_;
  DiagnosticSink& sink_;
  PointerPath path_;
  bool fatal_ = false;
  std::size_t errors_ = 0;
  std::deque<KeySet>& key_sets_;
  std::size_t depth_ = 0;
  std::size_t max_depth_ = 64;
  std::size_t uncounted_ = 0;  // See UncountedLevel.
  std::string_view extension_prefix_;
  simdjson::ondemand::document* document_ = nullptr;
};

}  // namespace provgate::detail

#endif  // PROVGATE_JSON_VALIDATING_WALKER_H_
