// Reading rule packs: YAML pack and rule files, validated key by key, every expression
// compiled, every problem reported as file:line:column.
#include "policy/rule_pack.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/safe_file.h"
#include "crypto/sha256.h"
#include "policy/facts.h"
#include "policy/waivers.h"
#include "policy/yaml_reader.h"

namespace provgate {
namespace detail {

std::string_view SubjectName(Subject subject) {
  switch (subject) {
    case Subject::kModel:
      return "model";
    case Subject::kSource:
      return "source";
    case Subject::kStage:
      return "stage";
    case Subject::kLineage:
      return "lineage";
    case Subject::kStageReference:
      return "stage-reference";
    case Subject::kDuplicateId:
      return "duplicate-id";
    case Subject::kUnverifiedFile:
      return "unverified-file";
  }
  return "";
}

std::string_view SubjectBinding(Subject subject) {
  switch (subject) {
    case Subject::kModel:
      return "model";
    case Subject::kSource:
      return "source";
    case Subject::kStage:
      return "stage";
    case Subject::kLineage:
      return "edge";
    case Subject::kStageReference:
      return "ref";
    case Subject::kDuplicateId:
      return "dup";
    case Subject::kUnverifiedFile:
      return "file";
  }
  return "";
}

namespace {

constexpr Subject kAllSubjects[] = {
    Subject::kModel,          Subject::kSource,      Subject::kStage,         Subject::kLineage,
    Subject::kStageReference, Subject::kDuplicateId, Subject::kUnverifiedFile};
// Bound for every subject.
constexpr std::string_view kGlobalBindings[] = {"manifest", "profile", "params", "model"};

// The files of a pack: relative path -> contents.
using PackFiles = std::map<std::string, std::string>;

// Every file of a pack directory is read and hashed into policy.sha256, and its YAML files are
// parsed into trees of yaml-cpp nodes (some hundreds of bytes each): bounds that keep a
// pack's cost in time and memory small whatever the directory holds (docs/limits.md).
constexpr std::size_t kMaxPackEntries = 1000;  // Files and directories.
constexpr std::uint64_t kMaxPackFileBytes = std::uint64_t{4} << 20;
constexpr std::uint64_t kMaxPackBytes = std::uint64_t{32} << 20;
constexpr YamlLimits kPackYamlLimits{/*max_nodes=*/100000, /*max_depth=*/64};

std::string SizeText(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

// Reads every regular file beneath `dir`. A symlink is followed when it stays in the pack
// (as scripts/pack_digest.py does) and refused when it leaves it; symlinks to directories are
// not entered, and what is not a regular file (FIFOs, devices, sockets, dangling symlinks)
// has no content and is passed over, without being opened in a way that could block.
bool ReadPackFiles(const std::string& dir, PackFiles& files, std::vector<Diagnostic>& diagnostics,
                   Status& status) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    diagnostics.push_back({Diagnostic::Severity::kError, "pack-missing",
                           "rule pack directory not found (expected a directory with pack.yaml)",
                           dir, 0, 0, "", 0});
    return false;
  }
  auto invalid = [&](const std::string& file, std::string message) {
    diagnostics.push_back(
        {Diagnostic::Severity::kError, "rule-pack", std::move(message), file, 0, 0, "", 0});
  };
  std::size_t entries = 0;
  std::uint64_t total_bytes = 0;
  bool ok = true;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (++entries > kMaxPackEntries) {
      invalid(dir, "the rule pack has more than " + std::to_string(kMaxPackEntries) +
                       " files and directories: expected at most that many");
      return false;
    }
    std::filesystem::file_status type = it->symlink_status(ec);
    if (ec) break;
    if (!std::filesystem::is_regular_file(type) && !std::filesystem::is_symlink(type)) continue;
    std::string relative = it->path().lexically_relative(dir).generic_string();
    std::string display = it->path().generic_string();
    OpenedFile file = OpenRegularFileBeneath(dir, relative, kMaxPackFileBytes);
    switch (file.problem) {
      case OpenProblem::kNone:
        break;
      case OpenProblem::kMissing:     // Dangling symlink, or removed since it was listed.
      case OpenProblem::kNotRegular:  // A symlink to a directory, a FIFO or a device.
        continue;
      case OpenProblem::kEscapes:
        invalid(display, "a symlink that leaves the rule pack directory: expected files inside it");
        ok = false;
        continue;
      case OpenProblem::kTooLarge:
        invalid(display, "a rule pack file " + file.error + ": expected at most " +
                             SizeText(kMaxPackFileBytes));
        ok = false;
        continue;
      case OpenProblem::kSystem:
        status = Status::IoError("cannot read " + display + ": " + file.error);
        return false;
    }
    std::string content;
    std::string error;
    if (!ReadAllFromFd(file.fd.get(), kMaxPackFileBytes, content, error)) {
      status = Status::IoError("cannot read " + display + ": " + error);
      return false;
    }
    total_bytes += content.size();
    if (total_bytes > kMaxPackBytes) {
      invalid(dir, "the rule pack's files take more than " + SizeText(kMaxPackBytes) +
                       ": expected at most that much");
      return false;
    }
    files[relative] = std::move(content);
  }
  if (ec) {
    status = Status::IoError("cannot list " + dir + ": " + ec.message());
    return false;
  }
  return ok;
}

std::string PackDigest(const PackFiles& files) {
  Sha256 hasher;
  for (const auto& [path, content] : files) {
    std::string header = path + '\0' + std::to_string(content.size()) + '\0';
    hasher.Update(header);
    hasher.Update(content);
  }
  return hasher.HexDigest();
}

Severity ParseSeverity(const std::string& text, bool& ok) {
  ok = true;
  if (text == "error") return Severity::kError;
  if (text == "warning") return Severity::kWarning;
  if (text == "info") return Severity::kInfo;
  ok = false;
  return Severity::kError;
}

// Reads one YAML file, checking its shape and reporting problems at their position.
class YamlFile {
 public:
  // `from_disk`: the file comes from a pack directory and is checked as hostile input first;
  // the built-in pack, part of the binary (and equal to rules/default, which the tests load
  // from disk with every check), is not.
  YamlFile(std::string display, const std::string& text, std::vector<Diagnostic>& diagnostics,
           bool from_disk)
      : display_(std::move(display)),
        text_(text),
        diagnostics_(diagnostics),
        from_disk_(from_disk) {}

  // Checks the file through the event parser: no aliases, repeated keys, second documents or
  // trees beyond the limits. JSON is YAML, so the pack's JSON data is checked the same way.
  bool CheckStructure() {
    YamlProblem problem;
    if (from_disk_ && !ReadYamlEvents(text_, kPackYamlLimits, nullptr, problem)) {
      Error(problem.mark, problem.message, problem.pointer);
      return false;
    }
    return true;
  }

  bool Parse(YAML::Node& root) {
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

  void Error(const YAML::Mark& mark, std::string message, std::string pointer = {}) {
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

  // Reports keys outside `allowed` and missing `required` ones. Keys named x-* are allowed.
  bool CheckKeys(const YAML::Node& map, std::string_view what,
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
        Error(map.Mark(),
              "missing required key '" + std::string(key) + "' in " + std::string(what));
        ok = false;
      }
    }
    return ok;
  }

  bool String(const YAML::Node& map, std::string_view key, std::string& out) {
    YAML::Node node = map[std::string(key)];
    if (!node) return false;
    if (!node.IsScalar()) {
      Error(node.Mark(), "expected a string for '" + std::string(key) + "'");
      return false;
    }
    out = node.Scalar();
    return true;
  }

  std::vector<std::string> StringList(const YAML::Node& map, std::string_view key) {
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

  // Compiles the expression in scalar `node`, mapping parse issues to file positions.
  std::shared_ptr<const expr::Program> Expression(const YAML::Node& node, std::string_view what) {
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

  bool Template(const YAML::Node& node, std::string_view what, MessageTemplate& out) {
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

  const std::string& display() const { return display_; }
  bool from_disk() const { return from_disk_; }

 private:
  // Positions inside a scalar: quoted scalars start one column after the quote; block
  // scalars (| and >) start on the next line at its indentation.
  void ReportIssues(const YAML::Node& node, const std::vector<expr::ParseIssue>& issues,
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

  std::string display_;
  const std::string& text_;
  std::vector<Diagnostic>& diagnostics_;
  bool from_disk_;
};

void CheckVariables(YamlFile& file, const YAML::Node& node, const std::vector<std::string>& used,
                    const std::set<std::string>& available, std::string_view what) {
  for (const auto& name : used) {
    if (available.count(name) != 0) continue;
    std::string list;
    for (const auto& a : available) list += (list.empty() ? "" : ", ") + a;
    file.Error(node.Mark(), "unknown variable '" + name + "' in " + std::string(what) +
                                ": available here are " + list);
  }
}

bool LoadRule(const std::string& display, const std::string& relative, const std::string& text,
              const PackInfo& pack, std::vector<Diagnostic>& diagnostics, bool from_disk,
              CompiledRule& rule) {
  YamlFile file(display, text, diagnostics, from_disk);
  YAML::Node root;
  if (!file.Parse(root)) return false;
  std::size_t errors_before = diagnostics.size();
  file.CheckKeys(root, "a rule file",
                 {"id", "name", "title", "severity", "description", "rationale", "remedy",
                  "references", "profiles", "reasons", "rule"},
                 {"id", "title", "severity", "description", "rule"});
  RuleInfo& info = rule.info;
  info.file = relative;
  file.String(root, "id", info.id);
  file.String(root, "title", info.title);
  file.String(root, "description", info.description);
  file.String(root, "rationale", info.rationale);
  file.String(root, "remedy", info.remedy);
  info.references = file.StringList(root, "references");
  // Reason codes a templated `reason` can produce, declared for `explain`.
  std::vector<std::string> declared_reasons = file.StringList(root, "reasons");
  for (const auto& code : declared_reasons) {
    bool known = std::any_of(pack.reasons.begin(), pack.reasons.end(),
                             [&](const ReasonInfo& r) { return r.code == code; });
    if (!known) {
      file.Error(root["reasons"].Mark(),
                 "reason code '" + code + "' is not defined in the pack's reasons");
    }
  }
  info.profiles = file.StringList(root, "profiles");
  std::string severity;
  if (file.String(root, "severity", severity)) {
    bool ok;
    info.severity = ParseSeverity(severity, ok);
    if (!ok) file.Error(root["severity"].Mark(), "severity must be error, warning or info");
  }
  for (const auto& profile : info.profiles) {
    bool known = std::any_of(pack.profiles.begin(), pack.profiles.end(),
                             [&](const ProfileInfo& p) { return p.name == profile; });
    if (!known) file.Error(root["profiles"].Mark(), "unknown profile '" + profile + "'");
  }
  YAML::Node body = root["rule"];
  if (!body) return false;
  if (!file.CheckKeys(body, "rule", {"variables", "match"}, {"match"})) return false;

  std::set<std::string> variable_names;
  if (YAML::Node variables = body["variables"]) {
    if (!variables.IsSequence()) {
      file.Error(variables.Mark(), "expected a list of {name, expression} for variables");
    } else {
      for (const auto& v : variables) {
        if (!file.CheckKeys(v, "a variable", {"name", "expression"}, {"name", "expression"})) {
          continue;
        }
        CompiledVariable variable;
        variable.name = v["name"].Scalar();
        variable.program = file.Expression(v["expression"], "variable '" + variable.name + "'");
        if (!variable.program) continue;
        variable_names.insert(variable.name);
        rule.variables.push_back(std::move(variable));
      }
    }
  }
  // Variables may read any binding; an unavailable one becomes an evaluation error that
  // names it, and checks below verify each condition's own references.
  std::set<std::string> all_bindings(variable_names);
  for (auto name : kGlobalBindings) all_bindings.insert(std::string(name));
  for (Subject s : kAllSubjects) all_bindings.insert(std::string(SubjectBinding(s)));
  for (const auto& variable : rule.variables) {
    CheckVariables(file, body["variables"], variable.program->variables(), all_bindings,
                   "variable '" + variable.name + "'");
  }

  YAML::Node matches = body["match"];
  if (!matches.IsSequence() || matches.size() == 0) {
    file.Error(matches.Mark(), "expected a non-empty list of checks for match");
    return false;
  }
  std::set<std::string> reasons(declared_reasons.begin(), declared_reasons.end());
  std::set<std::string> subjects;
  for (const auto& m : matches) {
    if (!file.CheckKeys(m, "a match entry",
                        {"subject", "condition", "severity", "reason", "message", "remedy",
                         "profiles", "obligation"},
                        {"subject", "condition"})) {
      continue;
    }
    if (!m["message"] && !m["obligation"]) {
      file.Error(m.Mark(), "a match entry needs a message, an obligation, or both");
      continue;
    }
    CompiledMatch match;
    std::string subject = m["subject"].Scalar();
    bool known_subject = false;
    for (Subject s : kAllSubjects) {
      if (SubjectName(s) == subject) {
        match.subject = s;
        known_subject = true;
      }
    }
    if (!known_subject) {
      file.Error(m["subject"].Mark(),
                 "unknown subject '" + subject +
                     "': expected model, source, stage, lineage, stage-reference, duplicate-id "
                     "or unverified-file");
      continue;
    }
    match.severity = info.severity;
    std::string match_severity;
    if (file.String(m, "severity", match_severity)) {
      bool ok;
      match.severity = ParseSeverity(match_severity, ok);
      if (!ok) file.Error(m["severity"].Mark(), "severity must be error, warning or info");
    }
    file.String(m, "reason", match.reason);
    if (match.reason.find("{{") != std::string::npos) {
      file.Template(m["reason"], "reason", match.reason_template);
      match.reason.clear();
    } else if (!match.reason.empty()) {
      bool known = std::any_of(pack.reasons.begin(), pack.reasons.end(),
                               [&](const ReasonInfo& r) { return r.code == match.reason; });
      if (!known) {
        file.Error(m["reason"].Mark(),
                   "reason code '" + match.reason + "' is not defined in the pack's reasons");
      }
      reasons.insert(match.reason);
    }
    match.profiles = file.StringList(m, "profiles");
    match.condition = file.Expression(m["condition"], "condition");
    file.Template(m["message"], "message", match.message);
    file.Template(m["remedy"], "remedy", match.remedy);

    std::set<std::string> available(variable_names);
    for (auto name : kGlobalBindings) available.insert(std::string(name));
    available.insert(std::string(SubjectBinding(match.subject)));
    if (match.condition) {
      CheckVariables(file, m["condition"], match.condition->variables(), available, "condition");
    }
    CheckVariables(file, m["message"], match.message.Variables(), available, "message");
    CheckVariables(file, m["remedy"], match.remedy.Variables(), available, "remedy");
    CheckVariables(file, m["reason"], match.reason_template.Variables(), available, "reason");
    if (YAML::Node obligation = m["obligation"]) {
      if (file.CheckKeys(obligation, "an obligation", {"kind", "license", "uri"}, {"kind"})) {
        match.obligation.present = true;
        file.String(obligation, "kind", match.obligation.kind);
        file.Template(obligation["license"], "obligation license", match.obligation.license);
        file.Template(obligation["uri"], "obligation uri", match.obligation.uri);
        CheckVariables(file, obligation, match.obligation.license.Variables(), available,
                       "obligation");
        CheckVariables(file, obligation, match.obligation.uri.Variables(), available, "obligation");
      }
    }
    subjects.insert(subject);
    if (match.condition) rule.matches.push_back(std::move(match));
  }
  info.reasons.assign(reasons.begin(), reasons.end());
  info.subjects.assign(subjects.begin(), subjects.end());
  return diagnostics.size() == errors_before;
}

expr::Value ParamValue(const std::string& type, const std::string& text, bool& ok) {
  ok = true;
  if (type == "bool") {
    if (text == "true") return expr::Value::Bool(true);
    if (text == "false") return expr::Value::Bool(false);
  } else if (type == "int") {
    try {
      std::size_t used = 0;
      long long v = std::stoll(text, &used);
      if (used == text.size()) return expr::Value::Int(v);
    } catch (...) {
    }
  } else if (type == "string") {
    return expr::Value::String(text);
  }
  ok = false;
  return {};
}

// The data files pack.yaml names: `spdx` (the SPDX lists, JSON), `licenses` (classification,
// YAML) and `open_weights` (YAML). A pack without them classifies every licence as unknown.
void LoadLicenseData(const YAML::Node& root, YamlFile& pack_file, const PackFiles& files,
                     const std::function<std::string(const std::string&)>& display,
                     LicenseClassifier& classifier, std::vector<Diagnostic>& diagnostics) {
  auto find = [&](const char* key) -> const std::string* {
    YAML::Node node = root[key];
    if (!node) return nullptr;
    auto it = files.find(node.Scalar());
    if (it == files.end()) {
      pack_file.Error(node.Mark(),
                      std::string(key) + " file '" + node.Scalar() + "' not found in the pack");
      return nullptr;
    }
    return &it->second;
  };
  if (const std::string* spdx = find("spdx")) {
    std::string name = display(root["spdx"].Scalar());
    // nlohmann/json keeps the last of two equal keys; the check refuses them first.
    YamlFile spdx_file(name, *spdx, diagnostics, pack_file.from_disk());
    if (!spdx_file.CheckStructure()) return;
    try {
      nlohmann::json data = nlohmann::json::parse(*spdx);
      for (const auto& [id, entry] : data.at("licenses").items()) {
        classifier.AddSpdxLicense({id, entry.value("name", id), entry.value("osi", false),
                                   entry.value("fsf", false), entry.value("deprecated", false)});
      }
      for (const auto& [id, entry] : data.at("exceptions").items()) {
        classifier.AddSpdxException(id, entry.value("deprecated", false));
      }
    } catch (const nlohmann::json::exception& e) {
      diagnostics.push_back({Diagnostic::Severity::kError, "rule-pack",
                             std::string("invalid SPDX data: ") + e.what(), name, 0, 0, "", 0});
    }
  }
  if (const std::string* licenses = find("licenses")) {
    YamlFile file(display(root["licenses"].Scalar()), *licenses, diagnostics,
                  pack_file.from_disk());
    YAML::Node data;
    if (file.Parse(data) &&
        file.CheckKeys(data, "the licence classification", {"licenses"}, {"licenses"})) {
      for (const auto& entry : data["licenses"]) {
        if (!file.CheckKeys(entry, "a licence entry",
                            {"id", "pattern", "class", "attribution", "share_alike", "note"},
                            {"class"})) {
          continue;
        }
        ClassificationRule rule;
        file.String(entry, "id", rule.id);
        file.String(entry, "pattern", rule.pattern);
        if (rule.id.empty() == rule.pattern.empty()) {
          file.Error(entry.Mark(), "a licence entry has exactly one of id and pattern");
          continue;
        }
        auto license_class = ParseLicenseClass(entry["class"].Scalar());
        if (!license_class) {
          file.Error(entry["class"].Mark(),
                     "unknown class '" + entry["class"].Scalar() +
                         "': expected public-domain, permissive, weak-copyleft, copyleft, "
                         "share-alike, non-commercial, no-derivatives, proprietary or unknown");
          continue;
        }
        rule.license_class = *license_class;
        for (const char* flag : {"attribution", "share_alike"}) {
          YAML::Node value = entry[flag];
          if (!value) continue;
          if (value.Scalar() != "true" && value.Scalar() != "false") {
            file.Error(value.Mark(), std::string(flag) + " must be true or false");
            continue;
          }
          (std::string(flag) == "attribution" ? rule.attribution : rule.share_alike) =
              value.Scalar() == "true";
        }
        classifier.AddRule(std::move(rule));
      }
    }
  }
  if (const std::string* open_weights = find("open_weights")) {
    YamlFile file(display(root["open_weights"].Scalar()), *open_weights, diagnostics,
                  pack_file.from_disk());
    YAML::Node data;
    if (file.Parse(data) && file.CheckKeys(data, "the open-weights class",
                                           {"osi_approved", "include", "exclude"}, {})) {
      std::string osi;
      file.String(data, "osi_approved", osi);
      classifier.SetOpenWeights(osi == "true", file.StringList(data, "include"),
                                file.StringList(data, "exclude"));
    }
  }
}

PackLoadResult LoadFromFiles(const std::string& display_dir, const PackFiles& files,
                             bool from_disk) {
  PackLoadResult result;
  auto pack = std::make_shared<RulePack>();
  PackInfo& info = pack->info;
  info.sha256 = PackDigest(files);
  auto display = [&](const std::string& relative) {
    return (std::filesystem::path(display_dir) / relative).generic_string();
  };
  auto pack_file = files.find("pack.yaml");
  if (pack_file == files.end()) {
    result.diagnostics.push_back({Diagnostic::Severity::kError, "pack-missing",
                                  "the rule pack has no pack.yaml", display_dir, 0, 0, "", 0});
    return result;
  }
  YamlFile file(display("pack.yaml"), pack_file->second, result.diagnostics, from_disk);
  YAML::Node root;
  if (!file.Parse(root)) return result;
  file.CheckKeys(root, "pack.yaml",
                 {"name", "version", "description", "default_profile", "profiles", "parameters",
                  "reasons", "rules", "spdx", "licenses", "open_weights"},
                 {"name", "version", "profiles", "rules"});
  file.String(root, "name", info.name);
  file.String(root, "version", info.version);
  file.String(root, "description", info.description);
  if (YAML::Node profiles = root["profiles"]; profiles && profiles.IsSequence()) {
    for (const auto& p : profiles) {
      if (!file.CheckKeys(p, "a profile", {"name", "description"}, {"name"})) continue;
      ProfileInfo profile;
      file.String(p, "name", profile.name);
      file.String(p, "description", profile.description);
      info.profiles.push_back(std::move(profile));
    }
  } else if (profiles) {
    file.Error(profiles.Mark(), "expected a list of profiles");
  }
  if (info.profiles.empty()) file.Error(root.Mark(), "the pack defines no profile");
  if (!file.String(root, "default_profile", info.default_profile) && !info.profiles.empty()) {
    info.default_profile = info.profiles.front().name;
  }
  if (!info.profiles.empty() &&
      std::none_of(info.profiles.begin(), info.profiles.end(),
                   [&](const ProfileInfo& p) { return p.name == info.default_profile; })) {
    file.Error(root["default_profile"].Mark(),
               "default_profile '" + info.default_profile + "' is not one of the profiles");
  }
  expr::MapData params;
  if (YAML::Node parameters = root["parameters"]) {
    if (!parameters.IsSequence()) {
      file.Error(parameters.Mark(), "expected a list of parameters");
    } else {
      for (const auto& p : parameters) {
        if (!file.CheckKeys(p, "a parameter", {"name", "type", "default", "description"},
                            {"name", "type", "default"})) {
          continue;
        }
        ParameterInfo parameter;
        file.String(p, "name", parameter.name);
        file.String(p, "type", parameter.type);
        file.String(p, "default", parameter.default_value);
        file.String(p, "description", parameter.description);
        bool ok;
        expr::Value value = ParamValue(parameter.type, parameter.default_value, ok);
        if (!ok) {
          file.Error(p["default"].Mark(), "default '" + parameter.default_value +
                                              "' is not a valid " + parameter.type +
                                              " (types: bool, int, string)");
          continue;
        }
        params.entries.emplace_back(expr::Value::String(parameter.name), value);
        info.parameters.push_back(std::move(parameter));
      }
    }
  }
  pack->params = expr::Value::Map(std::move(params));
  if (YAML::Node reasons = root["reasons"]) {
    if (!reasons.IsSequence()) {
      file.Error(reasons.Mark(), "expected a list of reason codes");
    } else {
      for (const auto& r : reasons) {
        if (!file.CheckKeys(r, "a reason", {"code", "title", "description", "remedy"},
                            {"code", "title", "description"})) {
          continue;
        }
        ReasonInfo reason;
        file.String(r, "code", reason.code);
        file.String(r, "title", reason.title);
        file.String(r, "description", reason.description);
        file.String(r, "remedy", reason.remedy);
        info.reasons.push_back(std::move(reason));
      }
    }
  }
  LoadLicenseData(root, file, files, display, pack->licenses, result.diagnostics);
  if (HasErrors(result.diagnostics)) return result;

  YAML::Node rules = root["rules"];
  if (!rules.IsSequence()) {
    file.Error(rules.Mark(), "expected a list of rule files for rules");
    return result;
  }
  std::set<std::string> ids;
  for (const auto& entry : rules) {
    if (!entry.IsScalar()) {
      file.Error(entry.Mark(), "expected a rule file path");
      continue;
    }
    std::string relative = entry.Scalar();
    auto rule_file = files.find(relative);
    if (rule_file == files.end()) {
      file.Error(entry.Mark(), "rule file '" + relative + "' not found in the pack");
      continue;
    }
    detail::CompiledRule rule;
    if (!LoadRule(display(relative), relative, rule_file->second, info, result.diagnostics,
                  from_disk, rule)) {
      continue;
    }
    if (!ids.insert(rule.info.id).second) {
      file.Error(entry.Mark(), "rule id '" + rule.info.id + "' is defined twice");
      continue;
    }
    info.rules.push_back(rule.info);
    pack->rules.push_back(std::move(rule));
  }
  SortDiagnostics(result.diagnostics);
  if (!HasErrors(result.diagnostics)) result.pack = std::move(pack);
  return result;
}

}  // namespace
}  // namespace detail

PackLoadResult LoadRulePack(const std::string& dir) {
  detail::PackFiles files;
  if (dir.empty()) {
    for (const auto& [path, content] : detail::BuiltinPackFiles()) {
      files[std::string(path)] = std::string(content);
    }
    return detail::LoadFromFiles("<builtin>", files, /*from_disk=*/false);
  }
  PackLoadResult result;
  if (!detail::ReadPackFiles(dir, files, result.diagnostics, result.status)) return result;
  return detail::LoadFromFiles(dir, files, /*from_disk=*/true);
}

const PackInfo& DescribePack(const RulePack& pack) { return pack.info; }

namespace {

// Indents `text` by two spaces and wraps it at 90 columns, keeping its line breaks.
std::string Indent(const std::string& text) {
  constexpr std::size_t kWidth = 88;
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    std::string current = "  ";
    std::size_t pos = 0;
    while (pos < line.size()) {
      std::size_t space = line.find(' ', pos);
      if (space == std::string_view::npos) space = line.size();
      std::string_view word = line.substr(pos, space - pos);
      if (current.size() > 2 && current.size() + 1 + word.size() > kWidth) {
        out += current + "\n";
        current = "  ";
      }
      if (current.size() > 2) current += ' ';
      current += word;
      pos = space + 1;
    }
    if (current.size() > 2 || end < text.size()) out += current + "\n";
    if (end >= text.size()) break;
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string ExplainRule(const RulePack& pack, const std::string& rule_id) {
  for (const auto& rule : pack.rules) {
    const RuleInfo& r = rule.info;
    if (r.id != rule_id) continue;
    std::string out = r.id + ": " + r.title + "\n";
    out += "Severity: " + std::string(ToString(r.severity));
    out += "    Profiles: ";
    if (r.profiles.empty()) {
      out += "all";
    } else {
      for (std::size_t i = 0; i < r.profiles.size(); ++i) out += (i ? ", " : "") + r.profiles[i];
    }
    out += "\n\nWhat it checks:\n" + Indent(r.description);
    if (!r.rationale.empty()) out += "\nWhy:\n" + Indent(r.rationale);
    if (!r.remedy.empty()) out += "\nHow to satisfy it:\n" + Indent(r.remedy);
    if (!r.reasons.empty()) {
      out += "\nReason codes:\n";
      for (const auto& code : r.reasons) {
        for (const auto& reason : pack.info.reasons) {
          if (reason.code == code) out += "  " + code + ": " + reason.title + "\n";
        }
      }
    }
    if (!r.references.empty()) {
      out += "\nReferences:\n";
      for (const auto& ref : r.references) out += "  " + ref + "\n";
    }
    out +=
        "\nDefined in " + r.file + " of pack " + pack.info.name + " " + pack.info.version + ".\n";
    return out;
  }
  if (rule_id == "waiver") {
    // Not a rule of any pack: the findings of check --waivers.
    const RuleInfo& r = detail::WaiverRuleInfo();
    std::string out = r.id + ": " + r.title + "\n\nWhat it checks:\n" + Indent(r.description) +
                      "\nWhy:\n" + Indent(r.rationale) + "\nHow to satisfy it:\n" +
                      Indent(r.remedy) + "\nReason codes:\n";
    for (const auto& reason : detail::WaiverReasons()) {
      out += "  " + reason.code + ": " + reason.title + "\n";
    }
    return out + "\nReported for the waivers file given to check --waivers (docs/cli.md).\n";
  }
  return "";
}

std::string ExplainReason(const RulePack& pack, const std::string& reason_code) {
  for (const auto& reason : pack.info.reasons) {
    if (reason.code != reason_code) continue;
    std::string out = reason.code + ": " + reason.title + "\n\n" + Indent(reason.description);
    if (!reason.remedy.empty()) out += "\nHow to resolve it:\n" + Indent(reason.remedy);
    std::string rules;
    for (const auto& rule : pack.info.rules) {
      if (std::find(rule.reasons.begin(), rule.reasons.end(), reason.code) != rule.reasons.end()) {
        rules += (rules.empty() ? "" : ", ") + rule.id;
      }
    }
    if (!rules.empty()) out += "\nReported by: " + rules + "\n";
    return out;
  }
  for (const auto& reason : detail::WaiverReasons()) {
    if (reason.code != reason_code) continue;
    return reason.code + ": " + reason.title + "\n\n" + Indent(reason.description) +
           "\nHow to resolve it:\n" + Indent(reason.remedy) + "\nReported by: waiver\n";
  }
  return "";
}

std::string ExplainFacts() {
  std::string out = "Facts available to rule expressions:\n";
  for (const auto& fact : detail::DescribeFacts()) {
    out += "\n" + fact.binding;
    out += fact.subject.empty() ? " (always bound)" : " (subject: " + fact.subject + ")";
    out += "\n";
    for (const auto& [name, description] : fact.fields) {
      out += "  " + name + ": " + description + "\n";
    }
  }
  return out;
}

}  // namespace provgate
