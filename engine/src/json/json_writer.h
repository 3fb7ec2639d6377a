// A streaming JSON writer laid out like nlohmann's dump(2): two-space indentation, one member
// per line, empty containers as [] and {}. Reports with hundreds of thousands of findings are
// written straight into one string, with no document tree in between. What it writes is always
// JSON: text that is not UTF-8 becomes U+FFFD. The indented layout, which is printed to
// terminals and CI logs, also escapes what would act on them (see WriteText).
#ifndef PROVGATE_JSON_JSON_WRITER_H_
#define PROVGATE_JSON_JSON_WRITER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace provgate::detail {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  // RFC 8785 canonical form instead of the indented layout: no white space, object members
  // sorted by the UTF-16 code units of their names (each object is reordered when it closes),
  // integers above 2^53 as ECMAScript prints the nearest double, no text outside the JSON.
  struct Canonical {};
  JsonWriter(std::string& out, Canonical) : out_(out), canonical_(true) {}
  // Hands the buffer to `sink` whenever it holds more than `chunk` bytes, between values.
  JsonWriter(std::string& out, const std::function<void(std::string_view)>* sink, std::size_t chunk)
      : out_(out), sink_(sink), chunk_(chunk) {}
  // Passes what is left to the sink (if any).
  void Flush() {
    if (sink_ != nullptr && !out_.empty()) {
      (*sink_)(out_);
      out_.clear();
    }
  }

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  // The next value belongs to `key` (inside an object).
  void Key(std::string_view key);
  void String(std::string_view value);
  void Uint(std::uint64_t value);
  // A number in the shortest form that reads back as `value` (ECMAScript's form in canonical
  // JSON); a value that is not finite is written null.
  void Double(double value);
  void Bool(bool value);
  void Null();
  // Text outside the JSON structure (the final newline); none in canonical form.
  void Raw(std::string_view text) {
    if (!canonical_) out_.append(text);
  }
  // Key then value. In the indented layout, a member whose key and text need no escaping is
  // written in one piece: reports write hundreds of thousands of them.
  void Member(std::string_view key, std::string_view value);
  void Member(std::string_view key, const char* value) { Member(key, std::string_view(value)); }
  void Member(std::string_view key, std::uint64_t value);
  void Member(std::string_view key, bool value) {
    Key(key);
    Bool(value);
  }

  // A member of an object written in one piece (PlainObject): a string to quote, a value
  // already in JSON form (a number, true, false), or the start or end of a nested object.
  struct Piece {
    enum class Kind : unsigned char { kString, kJson, kBeginObject, kEndObject };
    Kind kind = Kind::kString;
    std::string_view key;   // Unused for kEndObject.
    std::string_view text;  // The string, or the JSON text.
  };
  // An object as the next element of the current array, written in one piece in the indented
  // layout when none of its strings needs escaping: the same bytes as BeginObject, a Member
  // per piece and EndObject. Reports list hundreds of thousands of such objects. False, with
  // nothing written, in canonical form or when a string needs escaping: the caller then
  // writes the object member by member. The keys must need no escaping (callers pass
  // literals); nested objects must be closed.
  bool PlainObject(const Piece* pieces, std::size_t count);

 private:
  void BeforeValue();
  void Open(char bracket);
  void Close(char bracket);
  void Newline();
  void WriteEscaped(std::string_view value);
  // In the indented layout, outside canonical form: the separator, line break and indentation
  // before a member of the current object, then `"key": ` followed by `value_size` bytes of
  // room for the value, all in one piece; null when the key needs escaping (the caller then
  // writes the member the usual way). The value's bytes must be written at the result.
  char* PlainMember(std::string_view key, std::size_t value_size);
  // Text between the bytes WriteEscaped escapes itself (quotes, backslashes, controls).
  void WriteText(const char* p, const char* end);

  void MaybeFlush() {
    if (sink_ != nullptr && out_.size() >= chunk_) Flush();
  }

  std::string& out_;
  const std::function<void(std::string_view)>* sink_ = nullptr;
  std::size_t chunk_ = 0;
  void SortMembers();

  struct Level {
    bool empty = true;
    // Canonical objects: where the object's members start, and each member's name and offset.
    bool object = false;
    std::size_t start = 0;
    std::vector<std::pair<std::string, std::size_t>> members;
  };
  std::vector<Level> levels_;
  bool after_key_ = false;
  bool canonical_ = false;
};

}  // namespace provgate::detail

namespace provgate {
struct Report;
namespace detail {
// Writes the JSON report of docs/cli.md to `w` (in whichever layout `w` uses).
void WriteReport(const Report& report, JsonWriter& w);
}  // namespace detail
}  // namespace provgate

#endif  // PROVGATE_JSON_JSON_WRITER_H_
