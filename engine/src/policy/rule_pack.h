// The compiled form of a rule pack, and what the engine asks of it.
#ifndef PROVGATE_POLICY_RULE_PACK_H_
#define PROVGATE_POLICY_RULE_PACK_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "expr/program.h"
#include "license/classifier.h"
#include "policy/facts.h"
#include "policy/template.h"
#include "provgate/manifest.h"
#include "provgate/policy.h"
#include "provgate/shared_text.h"

namespace provgate {
namespace detail {

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
  MessageTemplate text;
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
  // info.remedy without the line feeds that end it, for the findings of checks without a
  // remedy of their own: they share it.
  SharedText remedy;
  std::vector<CompiledVariable> variables;
  std::vector<CompiledMatch> matches;
};

// The files of the default pack, compiled into the binary (cmake/EmbedRulePack.cmake).
const std::vector<std::pair<std::string_view, std::string_view>>& BuiltinPackFiles();

// The built-in default pack, loaded once.
const RulePack& BuiltinPack();

// The value a parameter of `type` (bool, int or string) takes from `text`, for pack.yaml's
// defaults and --param: true or false; a decimal int with an optional '-', the whole text,
// within 64 bits; any string. nullopt when `text` is not one. Never throws.
std::optional<expr::Value> ParseParamValue(std::string_view type, std::string_view text);

// Whether a lineage edge of `relation` carries the upstream model's taint, as the pack's
// taint_carries decides for the check's profile and parameters (`profile`, `params` values).
// Without the declaration every relation does; so does one the expression cannot decide
// (an error, or a value that is not a bool), failing closed.
bool CarriesTaint(const RulePack& pack, Relation relation, const expr::Value& profile,
                  const expr::Value& params, std::uint64_t cost_limit);

}  // namespace detail

class RulePack {
 public:
  PackInfo info;
  std::vector<detail::CompiledRule> rules;
  // Parameters after defaults, as expression values (the `params` map).
  expr::Value params;
  // The SPDX list, licence classes and open-weights class named by pack.yaml.
  detail::LicenseClassifier licenses;
  // pack.yaml's taint_carries, compiled; null when the pack does not declare it.
  std::shared_ptr<const expr::Program> taint_carries;
};

}  // namespace provgate

#endif  // PROVGATE_POLICY_RULE_PACK_H_
