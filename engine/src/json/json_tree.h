// JsonTree: a whole JSON document as a tree whose every value knows its line, column and JSON
// pointer, for readers of other formats (Croissant, SPDX, CycloneDX) that map values one by
// one and must say where each came from. Read with the ValidatingWalker, so malformed input,
// repeated keys, numbers out of range and nesting too deep are diagnostics with positions.
#ifndef PROVGATE_JSON_JSON_TREE_H_
#define PROVGATE_JSON_JSON_TREE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "provgate/diagnostic.h"

namespace provgate::detail {

struct JsonMember;

struct JsonNode {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  // A string's value, or a number's token as written (`1e3`, `-0.5`).
  std::string text;
  std::vector<JsonMember> members;  // Objects, in document order.
  std::vector<JsonNode> elements;   // Arrays.
  std::string pointer;
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  bool is_object() const { return type == Type::kObject; }
  bool is_array() const { return type == Type::kArray; }
  bool is_string() const { return type == Type::kString; }
  // The member `key` of an object, or null.
  const JsonNode* Find(std::string_view key) const;
};

// A member of an object: its key and its value, named as a pair's are. A struct, not a
// std::pair: a pair of a type still being defined is refused by some standard libraries.
struct JsonMember {
  std::string first;
  JsonNode second;
};

// "an object", "a string", ...
std::string_view JsonNodeTypeName(JsonNode::Type type);

struct JsonTreeLimits {
  std::size_t max_depth = 64;
  // Values in the document; more is an error (a bound on the tree's memory besides the
  // input's size).
  std::size_t max_nodes = 2'000'000;
};

// Parses `text` (the contents of `file`) into `root`. False with the problems in
// `diagnostics` (json-syntax, json-duplicate-key, json-depth, ...) when the document is not
// well-formed JSON or breaks a limit; `root` is then unspecified.
bool ParseJsonTree(std::string_view text, const std::string& file, const JsonTreeLimits& limits,
                   JsonNode& root, std::vector<Diagnostic>& diagnostics);

}  // namespace provgate::detail

#endif  // PROVGATE_JSON_JSON_TREE_H_
