// Reading the YAML files of a rule pack: structure checked as hostile input, keys validated
// against what each mapping allows, scalars, lists, expressions and templates read, and every
// problem reported at its file, line and column. Only the policy stage includes yaml-cpp.
#ifndef PROVGATE_POLICY_RULE_PACK_YAML_H_
#define PROVGATE_POLICY_RULE_PACK_YAML_H_

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "expr/program.h"
#include "policy/template.h"
#include "policy/yaml_reader.h"
#include "provgate/diagnostic.h"

namespace provgate::detail {

// Bounds on each YAML file of a pack (docs/limits.md).
inline constexpr YamlLimits kPackYamlLimits{/*max_nodes=*/100000, /*max_depth=*/64};

// One YAML (or JSON) file of a pack, and the diagnostics its problems go to.
class YamlFile {
 public:
  // `from_disk`: the file comes from a pack directory and is checked as hostile input first;
  // the built-in pack, part of the binary (and equal to rules/default, which the tests load
  // from disk with every check), is not. `text` must outlive the YamlFile.
  YamlFile(std::string display, const std::string& text, std::vector<Diagnostic>& diagnostics,
           bool from_disk)
      : display_(std::move(display)),
        text_(text),
        diagnostics_(diagnostics),
        from_disk_(from_disk) {}

  // Checks the file through the event parser: no aliases, repeated keys, second documents or
  // trees beyond the limits. JSON is YAML, so the pack's JSON data is checked the same way.
  bool CheckStructure();
  // CheckStructure, then the tree, which must be a mapping.
  bool Parse(YAML::Node& root);

  void Error(const YAML::Mark& mark, std::string message, std::string pointer = {});

  // Reports keys outside `allowed` and missing `required` ones. Keys named x-* are allowed.
  bool CheckKeys(const YAML::Node& map, std::string_view what,
                 std::initializer_list<std::string_view> allowed,
                 std::initializer_list<std::string_view> required);
  // Reads map[key] when it is a scalar; false when absent (or not a scalar, an error).
  bool String(const YAML::Node& map, std::string_view key, std::string& out);
  std::vector<std::string> StringList(const YAML::Node& map, std::string_view key);
  // Reads map[key] as true or false; `out` keeps its value when the key is absent.
  bool Flag(const YAML::Node& map, std::string_view key, bool& out);
  // Compiles the expression in scalar `node`, mapping parse issues to file positions.
  std::shared_ptr<expr::Program> Expression(const YAML::Node& node, std::string_view what);
  bool Template(const YAML::Node& node, std::string_view what, MessageTemplate& out);
  // Reports every name in `used` that is not in `available`, at `node`; false if any.
  bool CheckVariables(const YAML::Node& node, const std::vector<std::string>& used,
                      const std::set<std::string>& available, std::string_view what);

  const std::string& display() const { return display_; }
  bool from_disk() const { return from_disk_; }

 private:
  void ReportIssues(const YAML::Node& node, const std::vector<expr::ParseIssue>& issues,
                    std::string_view what);

  std::string display_;
  const std::string& text_;
  std::vector<Diagnostic>& diagnostics_;
  bool from_disk_;
};

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_RULE_PACK_YAML_H_
