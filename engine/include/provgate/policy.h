// Rule packs: loading, describing, and explaining rules.
#ifndef PROVGATE_POLICY_H_
#define PROVGATE_POLICY_H_

#include <memory>
#include <string>
#include <vector>

#include "provgate/diagnostic.h"
#include "provgate/report.h"
#include "provgate/status.h"

namespace provgate {

/// What a rule is, for `explain` and for reports.
struct RuleInfo {
  std::string id;
  std::string title;
  Severity severity = Severity::kError;
  std::string description;  ///< What the rule checks.
  std::string rationale;    ///< Why.
  std::string remedy;       ///< How to satisfy it.
  std::vector<std::string> references;
  std::vector<std::string> profiles;  ///< Profiles in which the rule applies; empty = all.
  std::vector<std::string> subjects;  ///< Subject kinds its checks range over.
  std::vector<std::string> reasons;   ///< Reason codes its checks emit.
  std::string file;                   ///< Rule file, relative to the pack.
};

struct ProfileInfo {
  std::string name;
  std::string description;
};

struct ParameterInfo {
  std::string name;
  std::string type;  ///< bool, int, string
  std::string default_value;
  std::string description;
};

struct ReasonInfo {
  std::string code;
  std::string title;
  std::string description;
  std::string remedy;
};

struct PackInfo {
  std::string name;
  std::string version;
  std::string description;
  std::string default_profile;
  std::string sha256;  ///< Digest over every file of the pack (paths and contents).
  std::vector<ProfileInfo> profiles;
  std::vector<ParameterInfo> parameters;
  std::vector<ReasonInfo> reasons;
  std::vector<RuleInfo> rules;
};

class RulePack;

struct PackLoadResult {
  Status status;                         ///< Operational failure reading the pack.
  std::vector<Diagnostic> diagnostics;   ///< Errors in pack or rule files (file:line:column).
  std::shared_ptr<const RulePack> pack;  ///< Set when there are no errors.
  bool ok() const { return status.ok() && !HasErrors(diagnostics) && pack != nullptr; }
};

/// Loads and compiles the rule pack in directory `dir`; an empty `dir` loads the built-in
/// default pack (the same files as `rules/default`). Every expression is compiled here, so
/// evaluation never meets a syntax error. Thread-safe; the result is immutable.
PackLoadResult LoadRulePack(const std::string& dir);

const PackInfo& DescribePack(const RulePack& pack);

/// Text explaining a rule (`P1`) for `provgate explain`; empty when the pack has no such rule.
std::string ExplainRule(const RulePack& pack, const std::string& rule_id);

/// Text explaining a reason code (`pirated`); empty when the pack does not define it.
std::string ExplainReason(const RulePack& pack, const std::string& reason_code);

/// Text listing the facts that rule expressions can read.
std::string ExplainFacts();

}  // namespace provgate

#endif  // PROVGATE_POLICY_H_
