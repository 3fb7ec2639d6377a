#include "policy/yaml_reader.h"

#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <functional>
#include <istream>
#include <map>
#include <streambuf>
#include <vector>

namespace provgate::detail {
namespace {

// An input stream over text held elsewhere, so that the text is not copied for yaml-cpp.
class TextStreamBuffer : public std::streambuf {
 public:
  explicit TextStreamBuffer(std::string_view text) {
    char* begin = const_cast<char*>(text.data());
    setg(begin, begin, begin + text.size());
  }
};

// Checks each event, then passes it on.
class CheckingHandler : public YAML::EventHandler {
 public:
  CheckingHandler(const YamlLimits& limits, YAML::EventHandler* next)
      : limits_(limits), next_(next) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) {
      Fail(mark, "", "a second YAML document: expected one document in the file");
    }
    if (next_ != nullptr) next_->OnDocumentStart(mark);
  }
  void OnDocumentEnd() override {
    if (next_ != nullptr) next_->OnDocumentEnd();
  }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    // A key written as `~`, `null` or nothing is the empty text to the code that reads keys.
    Scalar(mark, "");
    if (next_ != nullptr) next_->OnNull(mark, anchor);
    EndNode();
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    Fail(mark, Pointer(),
         "a YAML alias (*name): aliases are not accepted in this file; write the value out "
         "where it is used");
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Scalar(mark, value);
    if (next_ != nullptr) next_->OnScalar(mark, tag, anchor, value);
    EndNode();
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    StartCollection(mark, false);
    if (next_ != nullptr) next_->OnSequenceStart(mark, tag, anchor, style);
  }
  void OnSequenceEnd() override {
    frames_.pop_back();
    if (next_ != nullptr) next_->OnSequenceEnd();
    EndNode();
  }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    StartCollection(mark, true);
    if (next_ != nullptr) next_->OnMapStart(mark, tag, anchor, style);
  }
  void OnMapEnd() override {
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
        AppendPointerSegment(pointer, frame.key);
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
      AppendPointerSegment(pointer, text);
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
  std::vector<Frame> frames_;
  std::size_t nodes_ = 0;
  int documents_ = 0;
};

}  // namespace

bool ReadYamlEvents(std::string_view text, const YamlLimits& limits, YAML::EventHandler* handler,
                    YamlProblem& problem) {
  TextStreamBuffer buffer(text);
  std::istream in(&buffer);
  CheckingHandler checker(limits, handler);
  try {
    YAML::Parser parser(in);
    if (parser.HandleNextDocument(checker)) parser.HandleNextDocument(checker);
    return true;
  } catch (const YamlStop& stop) {
    problem = stop.problem;
  } catch (const YAML::ParserException& e) {
    problem = {e.mark, "", "invalid YAML: " + e.msg};
  } catch (const YAML::Exception& e) {
    problem = {e.mark, "", std::string("invalid YAML: ") + e.what()};
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

void AppendPointerSegment(std::string& pointer, std::string_view segment) {
  pointer += '/';
  for (char c : segment) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer += c;
    }
  }
}

}  // namespace provgate::detail
