#include "policy/yaml_reader.h"

#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <istream>
#include <map>
#include <streambuf>
#include <vector>

#include "json/pointer_path.h"

namespace provgate::detail {
namespace {

// Hands yaml-cpp the text (without copying it) and bounds how far it reads ahead of its
// events. yaml-cpp's scanner keeps every token it reads while a potential key is unresolved,
// some hundreds of bytes each, before the parser sees any: `[a, [a, [a, ...` or a run of `[`
// costs it gigabytes without a single event that the checks could refuse. The buffer counts
// the YAML indicator characters it hands out since the last event; past the budget it ends
// the input, so yaml-cpp holds at most that many tokens. A value of the files read here never
// holds that many indicators, so the bound is reached only by such constructs.
class LookaheadBoundedBuffer : public std::streambuf {
 public:
  LookaheadBoundedBuffer(std::string_view text, std::size_t budget)
      : text_(text), budget_(budget) {}

  // An event came: what was read before it is no longer pending.
  void OnEvent() { since_event_ = 0; }
  // Where the input was ended early, or npos.
  std::size_t cut_at() const { return cut_at_; }

 protected:
  int_type underflow() override {
    char* begin = const_cast<char*>(text_.data());
    char* next = begin + position_;
    if (Take(1) == 0) return traits_type::eof();
    // What was read stays behind the read position, so that yaml-cpp can put back the bytes
    // it looked at to find the encoding.
    setg(begin, next, next + 1);
    return traits_type::to_int_type(*next);
  }

  std::streamsize xsgetn(char* out, std::streamsize count) override {
    // First what underflow made available, or what was put back.
    std::streamsize copied = std::min<std::streamsize>(count, egptr() - gptr());
    // memcpy is not given the null pointers of an empty text or a get area never set up.
    if (copied > 0) {
      std::memcpy(out, gptr(), static_cast<std::size_t>(copied));
      gbump(static_cast<int>(copied));
      out += copied;
    }
    std::size_t taken = Take(static_cast<std::size_t>(count - copied));
    if (taken > 0) std::memcpy(out, text_.data() + position_ - taken, taken);
    return copied + static_cast<std::streamsize>(taken);
  }

 private:
  // Takes up to `count` bytes, counting their indicators; 0 once the budget is spent.
  std::size_t Take(std::size_t count) {
    if (cut_at_ != std::string_view::npos) return 0;
    count = std::min(count, text_.size() - position_);
    for (std::size_t i = position_; i < position_ + count; ++i) {
      switch (text_[i]) {
        case '[':
        case ']':
        case '{':
        case '}':
        case ',':
        case ':':
        case '?':
        case '-':
        case '"':
        case '\'':
        case '&':
        case '*':
        case '!':
        case '|':
        case '>':
          ++since_event_;
          break;
        default:
          break;
      }
    }
    if (since_event_ > budget_) {
      cut_at_ = position_;
      return 0;
    }
    position_ += count;
    return count;
  }

  std::string_view text_;
  std::size_t budget_;
  std::size_t position_ = 0;
  std::size_t since_event_ = 0;
  std::size_t cut_at_ = std::string_view::npos;
};

// The line and column of a byte offset, as yaml-cpp marks them (0-based).
YAML::Mark MarkAt(std::string_view text, std::size_t offset) {
  YAML::Mark mark;
  mark.pos = static_cast<int>(offset);
  std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  line_start = line_start == std::string_view::npos || offset == 0 ? 0 : line_start + 1;
  mark.line = static_cast<int>(std::count(text.begin(), text.begin() + line_start, '\n'));
  mark.column = static_cast<int>(offset - line_start);
  return mark;
}

// yaml-cpp reads a flow collection that opens a document (a JSON file) as a possible key of
// a mapping until it closes, holding every token of the file until the end. Behind "--- " on
// the same line it cannot be a key, and yaml-cpp hands its values on as it reads them. The
// marker goes at the start of that line (a document marker is one only in the first column),
// and the marks of the text read are mapped back to the text as written.
class DocumentStartMarker {
 public:
  static constexpr std::string_view kMarker = "--- ";

  // The text to read: `text` itself, or a copy with the marker inserted.
  std::string_view Prepare(std::string_view text) {
    std::size_t i = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // A byte order mark.
    while (i < text.size()) {
      char c = text[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        ++i;
      } else if (c == '#') {
        std::size_t end = text.find('\n', i);
        i = end == std::string_view::npos ? text.size() : end;
      } else {
        break;
      }
    }
    if (i == text.size() || (text[i] != '{' && text[i] != '[')) return text;
    // At the start of the line: a document marker is only one in the first column.
    YAML::Mark at = MarkAt(text, i);
    std::size_t line_start = i - static_cast<std::size_t>(at.column);
    offset_ = static_cast<int>(line_start);
    line_ = at.line;
    patched_.reserve(text.size() + kMarker.size());
    patched_.append(text.substr(0, line_start)).append(kMarker).append(text.substr(line_start));
    return patched_;
  }

  YAML::Mark Map(YAML::Mark mark) const {
    if (offset_ < 0 || mark.pos < 0) return mark;
    const int length = static_cast<int>(kMarker.size());
    if (mark.pos >= offset_) mark.pos = std::max(offset_, mark.pos - length);
    if (mark.line == line_) mark.column = std::max(0, mark.column - length);
    return mark;
  }

 private:
  std::string patched_;
  int offset_ = -1;  // Where the marker was inserted: the start of a line.
  int line_ = 0;
};

// Checks each event, then passes it on.
class CheckingHandler : public YAML::EventHandler {
 public:
  CheckingHandler(const YamlLimits& limits, YAML::EventHandler* next, LookaheadBoundedBuffer& input,
                  const DocumentStartMarker& marker)
      : limits_(limits), next_(next), input_(input), marker_(marker) {}

  void OnDocumentStart(const YAML::Mark& read_mark) override {
    YAML::Mark mark = marker_.Map(read_mark);
    input_.OnEvent();
    if (++documents_ > 1) {
      Fail(mark, "", "a second YAML document: expected one document in the file");
    }
    if (next_ != nullptr) next_->OnDocumentStart(mark);
  }
  void OnDocumentEnd() override {
    if (next_ != nullptr) next_->OnDocumentEnd();
  }
  void OnNull(const YAML::Mark& read_mark, YAML::anchor_t anchor) override {
    YAML::Mark mark = marker_.Map(read_mark);
    input_.OnEvent();
    // A key written as `~`, `null` or nothing is the empty text to the code that reads keys.
    Scalar(mark, "");
    if (next_ != nullptr) next_->OnNull(mark, anchor);
    EndNode();
  }
  void OnAlias(const YAML::Mark& read_mark, YAML::anchor_t) override {
    YAML::Mark mark = marker_.Map(read_mark);
    Fail(mark, Pointer(),
         "a YAML alias (*name): aliases are not accepted in this file; write the value out "
         "where it is used");
  }
  void OnScalar(const YAML::Mark& read_mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YAML::Mark mark = marker_.Map(read_mark);
    input_.OnEvent();
    Scalar(mark, value);
    if (next_ != nullptr) next_->OnScalar(mark, tag, anchor, value);
    EndNode();
  }
  void OnSequenceStart(const YAML::Mark& read_mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    YAML::Mark mark = marker_.Map(read_mark);
    input_.OnEvent();
    StartCollection(mark, false);
    if (next_ != nullptr) next_->OnSequenceStart(mark, tag, anchor, style);
  }
  void OnSequenceEnd() override {
    input_.OnEvent();
    frames_.pop_back();
    if (next_ != nullptr) next_->OnSequenceEnd();
    EndNode();
  }
  void OnMapStart(const YAML::Mark& read_mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    YAML::Mark mark = marker_.Map(read_mark);
    input_.OnEvent();
    StartCollection(mark, true);
    if (next_ != nullptr) next_->OnMapStart(mark, tag, anchor, style);
  }
  void OnMapEnd() override {
    input_.OnEvent();
    frames_.pop_back();
    if (next_ != nullptr) next_->OnMapEnd();
    EndNode();
  }

 private:
  struct Frame {
    bool is_map = false;
    bool expecting_key = true;                          // A mapping whose next node is a key.
    std::size_t index = 0;                              // A sequence's next element.
    std::string key;                                    // A mapping's key of the value being read.
    std::map<std::string, int, std::less<>> key_lines;  // A mapping's keys so far.
  };

  [[noreturn]] void Fail(const YAML::Mark& mark, std::string pointer, std::string message) {
    throw YamlStop{{mark, std::move(pointer), std::move(message)}};
  }

  // The JSON pointer of the node being read (of its mapping, for a key).
  std::string Pointer() const {
    std::string pointer;
    for (const Frame& frame : frames_) {
      if (!frame.is_map) {
        pointer += '/' + std::to_string(frame.index);
      } else if (!frame.expecting_key) {
        AppendPointerKey(pointer, frame.key);
      }
    }
    return pointer;
  }

  bool AtKey() const {
    return !frames_.empty() && frames_.back().is_map && frames_.back().expecting_key;
  }

  void CountNode(const YAML::Mark& mark) {
    ++nodes_;
    if (limits_.max_nodes != 0 && nodes_ > limits_.max_nodes) {
      Fail(mark, Pointer(),
           "more than " + std::to_string(limits_.max_nodes) +
               " YAML nodes: expected a file of at most that many values");
    }
  }

  void Scalar(const YAML::Mark& mark, const std::string& text) {
    CountNode(mark);
    if (!AtKey()) return;
    Frame& frame = frames_.back();
    auto [it, inserted] = frame.key_lines.emplace(text, mark.line + 1);
    if (!inserted) {
      std::string pointer = Pointer();
      AppendPointerKey(pointer, text);
      Fail(mark, std::move(pointer),
           "duplicate key '" + QuoteExcerpt(text) + "': the mapping has it at line " +
               std::to_string(it->second) + " already");
    }
    frame.key = text;
  }

  void StartCollection(const YAML::Mark& mark, bool is_map) {
    CountNode(mark);
    if (AtKey()) {
      Fail(mark, Pointer(),
           std::string("a ") + (is_map ? "mapping" : "sequence") +
               " as a mapping key: expected a key that is a plain text");
    }
    if (frames_.size() >= limits_.max_depth) {
      Fail(mark, Pointer(),
           "YAML nesting is deeper than " + std::to_string(limits_.max_depth) + " levels");
    }
    frames_.emplace_back();
    frames_.back().is_map = is_map;
  }

  // After a whole node: a mapping expects the next key or value, a sequence its next element.
  void EndNode() {
    if (frames_.empty()) return;
    Frame& frame = frames_.back();
    if (frame.is_map) {
      frame.expecting_key = !frame.expecting_key;
    } else {
      ++frame.index;
    }
  }

  const YamlLimits& limits_;
  YAML::EventHandler* next_;
  LookaheadBoundedBuffer& input_;
  const DocumentStartMarker& marker_;
  std::vector<Frame> frames_;
  std::size_t nodes_ = 0;
  int documents_ = 0;
};

}  // namespace

bool ReadYamlEvents(std::string_view text, const YamlLimits& limits, YAML::EventHandler* handler,
                    YamlProblem& problem) {
  DocumentStartMarker marker;
  std::string_view read = marker.Prepare(text);
  LookaheadBoundedBuffer buffer(read, limits.max_lookahead);
  std::istream in(&buffer);
  CheckingHandler checker(limits, handler, buffer, marker);
  try {
    YAML::Parser parser(in);
    if (parser.HandleNextDocument(checker)) parser.HandleNextDocument(checker);
    if (buffer.cut_at() == std::string_view::npos) return true;
  } catch (const YamlStop& stop) {
    problem = stop.problem;
  } catch (const YAML::ParserException& e) {
    problem = {marker.Map(e.mark), "", "invalid YAML: " + e.msg};
  } catch (const YAML::Exception& e) {
    problem = {marker.Map(e.mark), "", std::string("invalid YAML: ") + e.what()};
  }
  // After the input was cut, yaml-cpp resolves what it held as if the file ended there: what
  // it or the checks then report is not the problem.
  if (buffer.cut_at() != std::string_view::npos) {
    problem = {marker.Map(MarkAt(read, buffer.cut_at())), "",
               "more than " + std::to_string(limits.max_lookahead) +
                   " YAML indicators ([]{},:?- and others) read before a value is complete: "
                   "expected shallower flow collections"};
  }
  return false;
}

std::size_t Utf8Length(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

std::string QuoteExcerpt(std::string_view text) {
  constexpr std::size_t kMax = 80;
  if (text.size() <= kMax) return std::string(text);
  std::size_t end = kMax;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "...";
}

}  // namespace provgate::detail
