// The compiled form of a rule pack.
#ifndef PROVGATE_POLICY_RULE_PACK_H_
#define PROVGATE_POLICY_RULE_PACK_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "expr/program.h"
#include "policy/template.h"
#include "provgate/policy.h"

namespace provgate {
namespace detail {

// What a check ranges over. Each subject binds one variable in expressions.
enum class Subject { kModel, kSource, kStage, kLineage, kStageReference, kDuplicateId };
constexpr int kSubjectCount = 6;

std::string_view SubjectName(Subject subject);
std::string_view SubjectBinding(Subject subject);

struct CompiledVariable {
  std::string name;
  std::shared_ptr<const expr::Program> program;
};

struct CompiledMatch {
  Subject subject = Subject::kModel;
  std::shared_ptr<const expr::Program> condition;
  Severity severity = Severity::kError;
  std::string reason;
  MessageTemplate message;
  MessageTemplate remedy;
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
};

}  // namespace provgate

#endif  // PROVGATE_POLICY_RULE_PACK_H_
