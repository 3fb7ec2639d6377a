// JsonTree (see json_tree.h): the ValidatingWalker reads every value; each becomes a node with
// its position.
#include "json/json_tree.h"

#include <simdjson.h>

#include <algorithm>
#include <deque>

#include "common/file_buffer.h"
#include "json/syntax_errors.h"
#include "json/validating_walker.h"

namespace provgate::detail {
namespace {

namespace od = simdjson::ondemand;

class TreeBuilder {
 public:
  TreeBuilder(ValidatingWalker& walker, const JsonTreeLimits& limits)
      : w_(walker), limits_(limits) {}

  void Build(od::value& value, JsonNode& node, std::size_t depth) {
    const char* at = w_.PositionOf(value);
    LineColumn lc = w_.Position(at);
    node.line = lc.line;
    node.column = lc.column;
    node.pointer = w_.path().str();
    if (++nodes_ > limits_.max_nodes) {
      Stop(at, "json-too-many-values",
           "the document has more than " + std::to_string(limits_.max_nodes) + " values");
      return;
    }
    if (depth >= limits_.max_depth) {
      Stop(at, "json-depth",
           "JSON nesting is deeper than " + std::to_string(limits_.max_depth) + " levels");
      return;
    }
    od::json_type type;
    if (auto error = value.type().get(type); error != simdjson::SUCCESS) {
      w_.Syntax(error, at);
      return;
    }
    switch (type) {
      case od::json_type::object:
        node.type = JsonNode::Type::kObject;
        w_.ForEachField(value, "a value", [&](std::string_view key, od::value& child) {
          if (stopped_) {
            w_.ConsumeAny(child);
            return true;
          }
          node.members.push_back({std::string(key), JsonNode()});
          Build(child, node.members.back().second, depth + 1);
          return true;
        });
        return;
      case od::json_type::array:
        node.type = JsonNode::Type::kArray;
        w_.ForEachElement(value, "a value", [&](od::value& child, std::size_t) {
          if (stopped_) {
            w_.ConsumeAny(child);
            return;
          }
          node.elements.emplace_back();
          Build(child, node.elements.back(), depth + 1);
        });
        return;
      case od::json_type::string:
        node.type = JsonNode::Type::kString;
        w_.ReadString(value, node.text);
        return;
      case od::json_type::boolean:
        node.type = JsonNode::Type::kBool;
        w_.ReadBool(value, node.boolean);
        return;
      case od::json_type::null: {
        node.type = JsonNode::Type::kNull;
        bool is_null = false;
        if (value.is_null().get(is_null) != simdjson::SUCCESS || !is_null) {
          w_.Syntax(simdjson::N_ATOM_ERROR, at);
        }
        return;
      }
      case od::json_type::number: {
        node.type = JsonNode::Type::kNumber;
        std::string_view token = TrimTrailingWhitespace(value.raw_json_token());
        double d = 0;
        if (auto error = value.get_double().get(d); error != simdjson::SUCCESS) {
          if (!IsJsonNumber(token)) {
            w_.Syntax(simdjson::NUMBER_ERROR, at);
          } else {
            w_.Error(at, "json-number-range",
                     "number " + Excerpt(token) + " is out of the range of a double");
          }
          return;
        }
        node.text.assign(token);
        return;
      }
    }
  }

 private:
  void Stop(const char* at, std::string code, std::string message) {
    if (stopped_) return;
    stopped_ = true;
    w_.Error(at, std::move(code), std::move(message));
  }

  ValidatingWalker& w_;
  const JsonTreeLimits& limits_;
  std::size_t nodes_ = 0;
  bool stopped_ = false;
};

}  // namespace

const JsonNode* JsonNode::Find(std::string_view key) const {
  for (const auto& [name, value] : members) {
    if (name == key) return &value;
  }
  return nullptr;
}

std::string_view JsonNodeTypeName(JsonNode::Type type) {
  switch (type) {
    case JsonNode::Type::kNull:
      return "null";
    case JsonNode::Type::kBool:
      return "a boolean";
    case JsonNode::Type::kNumber:
      return "a number";
    case JsonNode::Type::kString:
      return "a string";
    case JsonNode::Type::kArray:
      return "an array";
    case JsonNode::Type::kObject:
      return "an object";
  }
  return "a value";
}

bool ParseJsonTree(std::string_view text, const std::string& file, const JsonTreeLimits& limits,
                   JsonNode& root, std::vector<Diagnostic>& diagnostics) {
  std::size_t before = diagnostics.size();
  DiagnosticSink sink(diagnostics, 50);
  if (StartsWithByteOrderMark(text)) {
    ReportByteOrderMark(file, 1, "", sink);
    return false;
  }
  FileBuffer buffer;
  if (!buffer.Assign(text)) {
    Diagnostic d;
    d.code = "json-memory";
    d.message = "not enough memory to read the document";
    d.file = file;
    diagnostics.push_back(std::move(d));
    return false;
  }
  std::size_t size = buffer.size();
  od::parser parser(std::max<std::size_t>(size, 64));
  // simdjson's own depth bound sits above ours, so that ours reports first.
  if (parser.allocate(std::max<std::size_t>(size, 64), limits.max_depth + 2) != simdjson::SUCCESS) {
    Diagnostic d;
    d.code = "json-memory";
    d.message = "not enough memory to parse the document";
    d.file = file;
    diagnostics.push_back(std::move(d));
    return false;
  }
  od::document doc;
  std::string_view view = buffer.view();
  if (auto error = parser.iterate(view.data(), size, size + FileBuffer::kPadding).get(doc);
      error != simdjson::SUCCESS) {
    ReportDocumentError(error, view, file, 1, "", sink);
    return false;
  }
  std::deque<KeySet> key_sets;
  ValidatingWalker w(file, view, 1, sink, key_sets);
  w.set_document(&doc);
  w.set_max_depth(limits.max_depth + 2);
  od::value value;
  if (auto error = doc.get_value().get(value); error != simdjson::SUCCESS) {
    w.Syntax(error, w.CurrentLocation(doc));
    return false;
  }
  TreeBuilder builder(w, limits);
  builder.Build(value, root, 0);
  if (!w.fatal() && diagnostics.size() == before) {
    if (const char* trailing = TrailingContent(doc); trailing != nullptr) {
      w.Syntax(simdjson::TRAILING_CONTENT, trailing);
    }
  }
  return diagnostics.size() == before && !w.fatal();
}

}  // namespace provgate::detail
