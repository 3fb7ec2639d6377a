// Reading the YAML files of a rule pack, with every problem at its line and column.
#include "policy/rule_pack_yaml.h"

#include <algorithm>

namespace provgate::detail {

bool YamlFile::CheckStructure() {
  YamlProblem problem;
  if (from_disk_ && !ReadYamlEvents(text_, kPackYamlLimits, nullptr, problem)) {
    Error(problem.mark, problem.message, problem.pointer);
    return false;
  }
  return true;
}

bool YamlFile::Parse(YAML::Node& root) {
  if (!CheckStructure()) return false;
  try {
    root = YAML::Load(text_);
  } catch (const YAML::ParserException& e) {
    Error(e.mark, "invalid YAML: " + e.msg);
    return false;
  } catch (const YAML::Exception& e) {
    Error(e.mark, std::string("invalid YAML: ") + e.what());
    return false;
  }
  if (!root.IsMap()) {
    Error(root.Mark(), "expected a mapping at the top of the file");
    return false;
  }
  return true;
}

void YamlFile::Error(const YAML::Mark& mark, std::string message, std::string pointer) {
  Diagnostic d;
  d.code = "rule-pack";
  d.file = display_;
  d.message = std::move(message);
  d.pointer = std::move(pointer);
  if (mark.line >= 0) {
    d.line = static_cast<std::uint32_t>(mark.line + 1);
    d.column = static_cast<std::uint32_t>(mark.column + 1);
    d.offset = static_cast<std::uint64_t>(mark.pos);
  }
  diagnostics_.push_back(std::move(d));
}

bool YamlFile::CheckKeys(const YAML::Node& map, std::string_view what,
                         std::initializer_list<std::string_view> allowed,
                         std::initializer_list<std::string_view> required) {
  if (!map.IsMap()) {
    Error(map.Mark(), "expected a mapping for " + std::string(what));
    return false;
  }
  bool ok = true;
  for (const auto& entry : map) {
    std::string key = entry.first.Scalar();
    if (key.rfind("x-", 0) == 0) continue;
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      Error(entry.first.Mark(),
            "unknown key '" + key + "' in " + std::string(what) + ": expected " + list);
      ok = false;
    }
  }
  for (auto key : required) {
    if (!map[std::string(key)]) {
      Error(map.Mark(), "missing required key '" + std::string(key) + "' in " + std::string(what));
      ok = false;
    }
  }
  return ok;
}

bool YamlFile::String(const YAML::Node& map, std::string_view key, std::string& out) {
  YAML::Node node = map[std::string(key)];
  if (!node) return false;
  if (!node.IsScalar()) {
    Error(node.Mark(), "expected a string for '" + std::string(key) + "'");
    return false;
  }
  out = node.Scalar();
  return true;
}

std::vector<std::string> YamlFile::StringList(const YAML::Node& map, std::string_view key) {
  std::vector<std::string> out;
  YAML::Node node = map[std::string(key)];
  if (!node) return out;
  if (!node.IsSequence()) {
    Error(node.Mark(), "expected a list of strings for '" + std::string(key) + "'");
    return out;
  }
  for (const auto& item : node) {
    if (!item.IsScalar()) {
      Error(item.Mark(), "expected a string in '" + std::string(key) + "'");
      continue;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

std::shared_ptr<expr::Program> YamlFile::Expression(const YAML::Node& node, std::string_view what) {
  if (!node.IsScalar()) {
    Error(node.Mark(), "expected an expression (a string) for " + std::string(what));
    return nullptr;
  }
  std::vector<expr::ParseIssue> issues;
  auto program = expr::Program::Compile(node.Scalar(), issues);
  if (!program) {
    ReportIssues(node, issues, what);
    return nullptr;
  }
  return program;
}

bool YamlFile::Template(const YAML::Node& node, std::string_view what, MessageTemplate& out) {
  if (!node) return true;
  if (!node.IsScalar()) {
    Error(node.Mark(), "expected a string for " + std::string(what));
    return false;
  }
  std::vector<expr::ParseIssue> issues;
  if (!out.Compile(node.Scalar(), issues)) {
    ReportIssues(node, issues, what);
    return false;
  }
  return true;
}

// Positions inside a scalar: quoted scalars start one column after the quote; block
// scalars (| and >) start on the next line at its indentation.
void YamlFile::ReportIssues(const YAML::Node& node, const std::vector<expr::ParseIssue>& issues,
                            std::string_view what) {
  const YAML::Mark mark = node.Mark();
  for (const auto& issue : issues) {
    // Line and column of the offset within the scalar's value.
    const std::string& value = node.Scalar();
    std::uint32_t rel_line = 0, rel_col = 0;
    for (std::uint32_t i = 0; i < issue.offset && i < value.size(); ++i) {
      if (value[i] == '\n') {
        ++rel_line;
        rel_col = 0;
      } else if ((static_cast<unsigned char>(value[i]) & 0xC0) != 0x80) {
        ++rel_col;
      }
    }
    YAML::Mark at = mark;
    char first = mark.pos >= 0 && static_cast<std::size_t>(mark.pos) < text_.size()
                     ? text_[static_cast<std::size_t>(mark.pos)]
                     : ' ';
    if (first == '|' || first == '>') {
      std::size_t line_start = text_.find('\n', static_cast<std::size_t>(mark.pos));
      std::size_t indent = 0;
      if (line_start != std::string::npos) {
        while (line_start + 1 + indent < text_.size() && text_[line_start + 1 + indent] == ' ') {
          ++indent;
        }
      }
      at.line = mark.line + 1 + static_cast<int>(rel_line);
      at.column = static_cast<int>(indent + rel_col);
    } else {
      int quote = (first == '"' || first == '\'') ? 1 : 0;
      at.line = mark.line + static_cast<int>(rel_line);
      at.column = rel_line == 0 ? mark.column + quote + static_cast<int>(rel_col)
                                : static_cast<int>(rel_col);
    }
    at.pos = mark.pos + static_cast<int>(issue.offset);
    Error(at, "in " + std::string(what) + ": " + issue.message);
  }
}

bool YamlFile::Flag(const YAML::Node& map, std::string_view key, bool& out) {
  YAML::Node node = map[std::string(key)];
  if (!node) return false;
  if (!node.IsScalar() || (node.Scalar() != "true" && node.Scalar() != "false")) {
    Error(node.Mark(), "'" + std::string(key) + "' must be true or false");
    return false;
  }
  out = node.Scalar() == "true";
  return true;
}

bool YamlFile::CheckVariables(const YAML::Node& node, const std::vector<std::string>& used,
                              const std::set<std::string>& available, std::string_view what) {
  bool ok = true;
  for (const auto& name : used) {
    if (available.count(name) != 0) continue;
    std::string list;
    for (const auto& a : available) list += (list.empty() ? "" : ", ") + a;
    Error(node.Mark(), "unknown variable '" + name + "' in " + std::string(what) +
                           ": available here are " + list);
    ok = false;
  }
  return ok;
}

}  // namespace provgate::detail
