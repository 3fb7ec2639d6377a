// Compiling rule files: each rule's metadata, its variables, and its checks (conditions,
// message, remedy and reason templates, obligations), every expression checked for the
// variables its subject binds.
#include <algorithm>
#include <optional>
#include <set>

#include "policy/rule_pack_loader.h"

namespace provgate::detail {
namespace {

Severity ParseSeverity(const std::string& text, bool& ok) {
  ok = true;
  if (text == "error") return Severity::kError;
  if (text == "warning") return Severity::kWarning;
  if (text == "info") return Severity::kInfo;
  ok = false;
  return Severity::kError;
}

// The subject a rule file names (match[].subject).
std::optional<Subject> ParseSubject(const std::string& name) {
  for (const FactBinding& binding : FactBindings()) {
    if (binding.subject && binding.subject_name == name) return binding.subject;
  }
  return std::nullopt;
}

// "model, source, ... or unverified-file", for messages.
std::string SubjectNames() {
  std::vector<std::string_view> names;
  for (const FactBinding& binding : FactBindings()) {
    if (binding.subject) names.push_back(binding.subject_name);
  }
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += std::string(i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + std::string(names[i]);
  }
  return out;
}

}  // namespace

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
  std::string_view remedy = info.remedy;
  while (!remedy.empty() && remedy.back() == '\n') remedy.remove_suffix(1);
  rule.remedy = SharedText(remedy);
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
  std::vector<std::shared_ptr<expr::Program>> variable_programs;  // Bound below.
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
        auto program = file.Expression(v["expression"], "variable '" + variable.name + "'");
        if (!program) continue;
        variable.program = program;
        variable_programs.push_back(std::move(program));
        variable_names.insert(variable.name);
        rule.variables.push_back(std::move(variable));
      }
    }
  }
  // Every program of the rule finds the bindings and the rule's variables by number.
  std::vector<std::string_view> numbered_variables;
  for (const auto& variable : rule.variables) numbered_variables.push_back(variable.name);
  const std::vector<expr::NameBinding> names = RuleNameBindings(numbered_variables);
  for (const auto& program : variable_programs) program->Bind(names);

  // Variables may read any binding; an unavailable one becomes an evaluation error that
  // names it, and checks below verify each condition's own references.
  std::set<std::string> all_bindings(variable_names);
  for (const FactBinding& binding : FactBindings()) all_bindings.insert(std::string(binding.name));
  for (const auto& variable : rule.variables) {
    file.CheckVariables(body["variables"], variable.program->variables(), all_bindings,
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
    std::optional<Subject> known_subject = ParseSubject(subject);
    if (!known_subject) {
      file.Error(m["subject"].Mark(),
                 "unknown subject '" + subject + "': expected " + SubjectNames());
      continue;
    }
    match.subject = *known_subject;
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
      match.reason_template.Bind(names);
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
    if (auto condition = file.Expression(m["condition"], "condition")) {
      condition->Bind(names);
      match.condition = std::move(condition);
    }
    file.Template(m["message"], "message", match.message);
    file.Template(m["remedy"], "remedy", match.remedy);
    match.message.Bind(names);
    match.remedy.Bind(names);

    std::set<std::string> available(variable_names);
    for (const FactBinding& binding : FactBindings()) {
      if (binding.always_bound) available.insert(std::string(binding.name));
    }
    available.insert(std::string(SubjectBinding(match.subject)));
    if (match.condition) {
      file.CheckVariables(m["condition"], match.condition->variables(), available, "condition");
    }
    file.CheckVariables(m["message"], match.message.Variables(), available, "message");
    file.CheckVariables(m["remedy"], match.remedy.Variables(), available, "remedy");
    file.CheckVariables(m["reason"], match.reason_template.Variables(), available, "reason");
    if (YAML::Node obligation = m["obligation"]) {
      if (file.CheckKeys(obligation, "an obligation", {"kind", "license", "uri", "text"},
                         {"kind"})) {
        match.obligation.present = true;
        file.String(obligation, "kind", match.obligation.kind);
        file.Template(obligation["license"], "obligation license", match.obligation.license);
        file.Template(obligation["uri"], "obligation uri", match.obligation.uri);
        file.Template(obligation["text"], "obligation text", match.obligation.text);
        match.obligation.license.Bind(names);
        match.obligation.uri.Bind(names);
        match.obligation.text.Bind(names);
        file.CheckVariables(obligation, match.obligation.text.Variables(), available, "obligation");
        file.CheckVariables(obligation, match.obligation.license.Variables(), available,
                            "obligation");
        file.CheckVariables(obligation, match.obligation.uri.Variables(), available, "obligation");
      }
    }
    subjects.insert(subject);
    if (match.condition) rule.matches.push_back(std::move(match));
  }
  info.reasons.assign(reasons.begin(), reasons.end());
  info.subjects.assign(subjects.begin(), subjects.end());
  return diagnostics.size() == errors_before;
}

}  // namespace provgate::detail
