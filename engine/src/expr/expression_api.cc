// `provgate expr`: one expression, optional bindings, a proto3 JSON result.
#include <cstring>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/safe_file.h"
#include "common/text_position.h"
#include "expr/program.h"
#include "expr/proto_json.h"
#include "json/pointer_path.h"
#include "provgate/expr.h"

namespace provgate {
namespace {

// Bindings files are read whole; anything larger is refused rather than allocated.
constexpr std::size_t kMaxBindingsBytes = 64 << 20;
// A value nests kMaxValueDepth levels; in proto3 JSON a map level takes four JSON levels
// ({"mapValue": {"entries": [{"value": ...), and the file's object one more.
constexpr int kMaxBindingsJsonDepth = 4 * static_cast<int>(expr::kMaxValueDepth) + 8;

// An iterator over the text that records how far the JSON reader has read, so that a problem
// found in a callback can be located.
class TrackingIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackingIterator(const char* at, const char** furthest) : at_(at), furthest_(furthest) {}
  reference operator*() const { return *at_; }
  TrackingIterator& operator++() {
    *furthest_ = ++at_;
    return *this;
  }
  TrackingIterator operator++(int) {
    TrackingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const TrackingIterator& other) const { return at_ == other.at_; }
  bool operator!=(const TrackingIterator& other) const { return at_ != other.at_; }

 private:
  const char* at_;
  const char** furthest_;
};

// Thrown from the reader's callback to stop at the first duplicate key or excessive depth.
struct BindingsProblem {
  std::string code;
  std::string message;
  std::size_t offset = 0;
  std::string pointer;
};

// `key` as one RFC 6901 pointer segment, with its '/'.
std::string PointerSegment(std::string_view key) {
  std::string out;
  detail::AppendPointerKey(out, key);
  return out;
}

// Parses the bindings text, refusing duplicate keys (readers disagree on which value counts)
// and nesting deeper than any value can be (before the document is built).
nlohmann::json ParseBindings(const std::string& text) {
  const char* furthest = text.data();
  struct Container {
    bool is_array = false;
    std::size_t next_index = 0;
    std::string key;                       // Objects: the member being read.
    std::unordered_set<std::string> keys;  // Objects: the members read so far.
  };
  std::vector<Container> open;
  // The pointer of the value that starts now, from the containers around it.
  auto pointer_here = [&open]() {
    std::string pointer;
    for (const Container& c : open) {
      pointer += c.is_array ? "/" + std::to_string(c.next_index - 1) : PointerSegment(c.key);
    }
    return pointer;
  };
  auto element_starts = [&open]() {
    if (!open.empty() && open.back().is_array) ++open.back().next_index;
  };
  nlohmann::json::parser_callback_t callback = [&](int depth, nlohmann::json::parse_event_t event,
                                                   nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    switch (event) {
      case Event::object_start:
      case Event::array_start: {
        element_starts();
        if (depth >= kMaxBindingsJsonDepth) {
          throw BindingsProblem{
              "json-depth",
              "JSON nesting is deeper than " + std::to_string(kMaxBindingsJsonDepth) +
                  " levels (values nest at most " + std::to_string(expr::kMaxValueDepth) +
                  " levels)",
              static_cast<std::size_t>(furthest - text.data()) - 1, pointer_here()};
        }
        Container c;
        c.is_array = event == Event::array_start;
        open.push_back(std::move(c));
        break;
      }
      case Event::object_end:
      case Event::array_end:
        open.pop_back();
        break;
      case Event::key: {
        Container& object = open.back();
        object.key = parsed.get<std::string>();
        if (!object.keys.insert(object.key).second) {
          // The reader has just passed the key's closing quote: find its opening one.
          std::size_t end = static_cast<std::size_t>(furthest - text.data());
          std::size_t start = end >= 2 ? end - 2 : 0;
          while (start > 0) {
            if (text[start] == '"') {
              std::size_t backslashes = 0;
              while (backslashes < start && text[start - 1 - backslashes] == '\\') ++backslashes;
              if (backslashes % 2 == 0) break;
            }
            --start;
          }
          throw BindingsProblem{"json-duplicate-key",
                                "duplicate key '" + object.key +
                                    "': readers differ on which value counts, so a bindings "
                                    "file may name each key once per object",
                                start, pointer_here()};
        }
        break;
      }
      case Event::value:
        element_starts();
        break;
    }
    return true;
  };
  return nlohmann::json::parse(TrackingIterator(text.data(), &furthest),
                               TrackingIterator(text.data() + text.size(), &furthest), callback);
}

bool LoadBindings(const std::string& path, expr::ListActivation& activation,
                  ExpressionResult& result) {
  // A regular file of bounded size, opened without blocking (a FIFO is refused at once).
  std::string text;
  std::string error;
  if (!detail::ReadRegularFile(path, kMaxBindingsBytes, text, error)) {
    result.diagnostics.push_back({Diagnostic::Severity::kError, "io-open",
                                  "cannot open bindings file: " + error, path, 0, 0, "", 0});
    return false;
  }
  nlohmann::json json;
  try {
    json = ParseBindings(text);
  } catch (const nlohmann::json::parse_error& e) {
    std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    detail::LineLocator locator(text);
    detail::LineColumn lc = locator.Locate(offset);
    std::string message = e.what();
    std::size_t cut = message.find("parse error");
    if (cut != std::string::npos) message = message.substr(cut);
    result.diagnostics.push_back({Diagnostic::Severity::kError, "json-syntax",
                                  "malformed JSON: " + message, path, lc.line, lc.column, "",
                                  offset});
    return false;
  } catch (const BindingsProblem& problem) {
    detail::LineLocator locator(text);
    detail::LineColumn lc = locator.Locate(problem.offset);
    result.diagnostics.push_back({Diagnostic::Severity::kError, problem.code, problem.message, path,
                                  lc.line, lc.column, problem.pointer, problem.offset});
    return false;
  }
  if (!json.is_object()) {
    result.diagnostics.push_back({Diagnostic::Severity::kError, "bindings",
                                  "expected a JSON object mapping variable names to values", path,
                                  1, 1, "", 0});
    return false;
  }
  for (const auto& [name, value] : json.items()) {
    expr::Value v;
    std::string error, pointer;
    if (!expr::FromProtoJson(value, v, error, pointer)) {
      result.diagnostics.push_back(
          {Diagnostic::Severity::kError, "bindings", error, path, 0, 0, "/" + name + pointer, 0});
      return false;
    }
    activation.Set(name, std::move(v));
  }
  return true;
}

}  // namespace

ExpressionResult EvaluateExpression(const std::string& expression,
                                    const ExpressionOptions& options) {
  ExpressionResult result;
  std::vector<expr::ParseIssue> issues;
  auto program = expr::Program::Compile(expression, issues);
  if (!program) {
    for (const auto& issue : issues) {
      result.diagnostics.push_back({Diagnostic::Severity::kError, "expr-parse", issue.message,
                                    "<expr>", issue.line, issue.column, "", issue.offset});
    }
    return result;
  }
  expr::ListActivation activation;
  if (!options.bindings_path.empty() && !LoadBindings(options.bindings_path, activation, result)) {
    return result;
  }
  // The value is printed on the evaluation's budget: a small expression can make a value that
  // is large to print (a list shared many times over).
  expr::Budget budget(options.cost_limit, options.max_value_size);
  expr::Value value = program->Evaluate(activation, budget);
  nlohmann::ordered_json json = expr::ToProtoJson(value, budget);
  bool failed = value.is_error() || budget.exhausted();
  result.outcome =
      failed ? ExpressionResult::Outcome::kEvaluationError : ExpressionResult::Outcome::kValue;
  result.json = json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  return result;
}

}  // namespace provgate
