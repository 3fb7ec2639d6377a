// YamlTree: one YAML document as a plain tree whose every node knows its line and column, for
// readers of other formats (the YAML front matter of Hugging Face cards) that map values one
// by one and must say where each came from. Read through ReadYamlEvents, so aliases, repeated
// keys, non-scalar keys, a second document, deep nesting and runaway look-ahead are refused
// with a position; no yaml-cpp type appears here.
#ifndef PROVGATE_POLICY_YAML_TREE_H_
#define PROVGATE_POLICY_YAML_TREE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace provgate::detail {

struct YamlTreeEntry;

struct YamlTreeNode {
  enum class Kind { kNull, kScalar, kSequence, kMapping };
  Kind kind = Kind::kNull;
  std::string scalar;  // A scalar's text as YAML reads it (`1M<n<10M`, `true`).
  // Whether the scalar was written plain (not quoted, no tag): only a plain `true`, `null` or
  // `3` is a boolean, null or number.
  bool plain = true;
  std::vector<YamlTreeEntry> mapping;  // In document order.
  std::vector<YamlTreeNode> sequence;
  std::uint32_t line = 0;  // 1-based
  std::uint32_t column = 0;
  std::string pointer;  // JSON pointer of the node in the document.

  bool is_mapping() const { return kind == Kind::kMapping; }
  bool is_sequence() const { return kind == Kind::kSequence; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  // The value of `key` in a mapping, or null.
  const YamlTreeNode* Find(std::string_view key) const;
};

// An entry of a mapping: its key and its value, named as a pair's are. A struct, not a
// std::pair: a pair of a type still being defined is refused by some standard libraries.
struct YamlTreeEntry {
  std::string first;
  YamlTreeNode second;
};

struct YamlTreeProblem {
  std::uint32_t line = 0;  // 1-based; 0 when unknown
  std::uint32_t column = 0;
  std::string pointer;
  std::string message;
};

// Parses the one YAML document in `text` into `root` (an empty document is a null node). False
// with `problem` set when the text is not YAML, or breaks a rule of ReadYamlEvents or the
// bounds (`max_nodes` nodes, `max_depth` levels).
bool ParseYamlTree(std::string_view text, std::size_t max_nodes, std::size_t max_depth,
                   YamlTreeNode& root, YamlTreeProblem& problem);

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_YAML_TREE_H_
