// Rule packs: loading, describing, and explaining rules.
#ifndef PROVGATE_POLICY_H_
#define PROVGATE_POLICY_H_

#include <memory>
#include <string>
#include <vector>

#include "provgate/diagnostic.h"
#include "provgate/export.h"
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

/// A profile of the pack, and what it changes in the engine (pack.yaml, `profiles`).
struct ProfileInfo {
  std::string name;
  std::string description;
  /// A source whose basis is a statutory exception (text and data mining) is permitted when
  /// its opt-outs were honoured. Without it, the exception is not permission.
  bool statutory_exception = false;
  /// The check computes the facts `model.intermediate_*`: the last stage that used
  /// unpermitted data and whether its checkpoint is released open-weight. A first pass over
  /// the manifest finds them before the rules judge any source, so the manifest is read twice.
  bool intermediate_facts = false;
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

/// What a pack is and declares, for `explain`, for reports, and for the engine.
struct PROVGATE_API PackInfo {
  std::string name;
  std::string version;
  std::string description;
  std::string default_profile;
  std::string sha256;  ///< Digest over every file of the pack (paths and contents).
  std::vector<ProfileInfo> profiles;
  std::vector<ParameterInfo> parameters;
  std::vector<ReasonInfo> reasons;
  std::vector<RuleInfo> rules;
  /// The rule `provgate validate` runs (CheckOptions::integrity_only), the one whose checks
  /// find problems in the manifest itself. Empty: the pack has none, and cannot validate.
  std::string integrity_rule;
  /// Rules whose findings no waiver may accept. Without the declaration: the integrity rule.
  std::vector<std::string> never_waived;
  /// An expression over `relation`, `params` and `profile`: whether a lineage relation
  /// carries an upstream model's taint. Empty: every relation does.
  std::string taint_carries;

  /// The profile named `name`, or null.
  const ProfileInfo* FindProfile(const std::string& name) const;
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
PROVGATE_API PackLoadResult LoadRulePack(const std::string& dir);

PROVGATE_API const PackInfo& DescribePack(const RulePack& pack);

/// Text explaining a rule (`P1`) for `provgate explain`; empty when the pack has no such rule.
PROVGATE_API std::string ExplainRule(const RulePack& pack, const std::string& rule_id);

/// Text explaining a reason code (`pirated`); empty when the pack does not define it.
PROVGATE_API std::string ExplainReason(const RulePack& pack, const std::string& reason_code);

/// Text listing the facts that rule expressions can read.
PROVGATE_API std::string ExplainFacts();

}  // namespace provgate

#endif  // PROVGATE_POLICY_H_
