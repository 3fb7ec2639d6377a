// The compiled form of a rule pack.
#ifndef PROVGATE_POLICY_RULE_PACK_H_
#define PROVGATE_POLICY_RULE_PACK_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "expr/program.h"
#include "license/classifier.h"
#include "policy/template.h"
#include "provgate/policy.h"

namespace provgate {
namespace detail {

// What a check ranges over. Each subject binds one variable in expressions.
enum class Subject {
  kModel,
  kSource,
  kStage,
  kLineage,
  kStageReference,
  kDuplicateId,
  kUnverifiedFile
};
constexpr int kSubjectCount = 7;

std::string_view SubjectName(Subject subject);
std::string_view SubjectBinding(Subject subject);

struct CompiledVariable {
  std::string name;
  std::shared_ptr<const expr::Program> program;
};

// An obligation a check records when its condition holds (attribution, share-alike, ...).
struct CompiledObligation {
  bool present = false;
  std::string kind;
  MessageTemplate license;
  MessageTemplate uri;
};

struct CompiledMatch {
  Subject subject = Subject::kModel;
  std::shared_ptr<const expr::Program> condition;
  Severity severity = Severity::kError;
  std::string reason;               // A literal reason code, or
  MessageTemplate reason_template;  // one computed per subject (e.g. "{{source.reason}}").
  MessageTemplate message;          // Empty for a check that only records an obligation.
  MessageTemplate remedy;
  CompiledObligation obligation;
  std::vector<std::string> profiles;  // Empty: every profile the rule applies in.
};

struct CompiledRule {
  RuleInfo info;
  std::vector<CompiledVariable> variables;
  std::vector<CompiledMatch> matches;
};

const std::vector<std::pair<std::string_view, std::string_view>>& BuiltinPackFiles();

}  // namespace detail

class RulePack {
 public:
  PackInfo info;
  std::vector<detail::CompiledRule> rules;
  // Parameters after defaults, as expression values (the `params` map).
  expr::Value params;
  // The SPDX list, licence classes and open-weights class named by pack.yaml.
  detail::LicenseClassifier licenses;
};

}  // namespace provgate

#endif  // PROVGATE_POLICY_RULE_PACK_H_
