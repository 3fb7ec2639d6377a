#include "policy/rule_runner.h"

#include <algorithm>
#include <optional>

namespace provgate::detail {

// The variables of one check on one subject: fixed bindings, then the rule's variables,
// each evaluated on first use and remembered for the rest of this subject. The conditions of
// one rule on one subject and the variables they read share one budget of the cost limit, so
// that a rule's variables cannot multiply the work allowed.
class RuleActivation : public expr::Activation {
 public:
  RuleActivation(const expr::Value* globals, std::uint64_t cost_limit)
      : globals_(globals), cost_limit_(cost_limit) {}

  void SetSubject(std::string_view binding, const expr::Value* subject) {
    subject_binding_ = binding;
    subject_ = subject;
    rule_ = nullptr;
  }

  // Capacity is kept across subjects, so switching rules does not allocate.
  void SetRule(const CompiledRule* rule) {
    rule_ = rule;
    cache_.assign(rule->variables.size(), expr::Value());
    state_.assign(rule->variables.size(), 0);
    budget_.emplace(cost_limit_);
  }

  // The budget of the current rule on the current subject (after SetRule).
  expr::Budget& budget() const { return *budget_; }

  bool Find(std::string_view name, expr::Value& out) const override {
    if (name == subject_binding_) {
      out = *subject_;
      return true;
    }
    static constexpr std::string_view kGlobals[] = {"manifest", "profile", "params", "model"};
    for (int i = 0; i < 4; ++i) {
      if (name == kGlobals[i]) {
        out = globals_[i];
        return true;
      }
    }
    if (rule_ == nullptr) return false;
    for (std::size_t i = 0; i < rule_->variables.size(); ++i) {
      if (rule_->variables[i].name != name) continue;
      if (state_[i] == 1) {
        out = expr::Value::Error("variable '" + std::string(name) + "' refers to itself");
      } else {
        if (state_[i] == 0) {
          state_[i] = 1;
          cache_[i] = rule_->variables[i].program->Evaluate(*this, *budget_);
          state_[i] = 2;
        }
        out = cache_[i];
      }
      return true;
    }
    return false;
  }

 private:
  const expr::Value* globals_;
  std::string_view subject_binding_;
  const expr::Value* subject_ = nullptr;
  std::uint64_t cost_limit_;
  const CompiledRule* rule_ = nullptr;
  mutable std::vector<expr::Value> cache_;
  mutable std::vector<int> state_;
  mutable std::optional<expr::Budget> budget_;
};

namespace {

bool Applies(const std::vector<std::string>& profiles, const std::string& profile) {
  return profiles.empty() || std::find(profiles.begin(), profiles.end(), profile) != profiles.end();
}

}  // namespace

ActiveRules::ActiveRules(const RulePack& pack, const std::string& profile,
                         const std::string& only_rule, bool none) {
  for (const auto& rule : pack.rules) {
    if (none) break;
    if (!only_rule.empty() && rule.info.id != only_rule) continue;
    if (!Applies(rule.info.profiles, profile)) continue;
    for (const auto& match : rule.matches) {
      if (!Applies(match.profiles, profile)) continue;
      by_subject_[static_cast<std::size_t>(match.subject)].push_back({&rule, &match});
    }
  }
}

RuleRunner::RuleRunner(const ActiveRules& rules, std::uint64_t cost_limit)
    : rules_(rules),
      cost_limit_(cost_limit),
      activation_(std::make_unique<RuleActivation>(globals_, cost_limit)) {}

RuleRunner::~RuleRunner() = default;

void RuleRunner::SetGlobal(Global global, expr::Value value) {
  globals_[static_cast<int>(global)] = std::move(value);
}

void RuleRunner::Run(Subject subject, const expr::Value& binding, std::string_view subject_id,
                     const Location& location, const Source* source, ChunkedList<Finding>& findings,
                     ChunkedList<Obligation>& obligations) {
  const auto& matches = rules_.For(subject);
  if (matches.empty()) return;
  RuleActivation& activation = *activation_;
  activation.SetSubject(SubjectBinding(subject), &binding);
  const CompiledRule* current = nullptr;
  for (const ActiveRules::Match& active : matches) {
    if (active.rule != current) {
      current = active.rule;
      activation.SetRule(current);
    }
    expr::Value result = active.match->condition->Evaluate(activation, activation.budget());
    if (result.kind() == expr::Kind::kBool && !result.AsBool()) continue;
    const CompiledMatch& match = *active.match;
    if (result.kind() == expr::Kind::kBool && match.obligation.present) {
      // Built in its place in the list: findings and obligations are never moved until sorted.
      Obligation& obligation = obligations.emplace_back();
      obligation.kind = match.obligation.kind;
      obligation.rule = current->info.id;
      obligation.subject.assign(subject_id);
      obligation.license = match.obligation.license.Render(activation, cost_limit_, arena_);
      obligation.uri = match.obligation.uri.Render(activation, cost_limit_, arena_);
      obligation.text = match.obligation.text.Render(activation, cost_limit_, arena_);
      if (source != nullptr && source->title) obligation.title = arena_.Copy(*source->title);
      if (match.message.empty()) continue;
    }
    Finding& finding = findings.emplace_back();
    finding.rule = current->info.id;
    finding.subject.assign(subject_id);
    finding.location = location;
    if (result.kind() != expr::Kind::kBool) {
      // A rule that cannot be decided fails closed: the gate must not pass silently.
      finding.severity = Severity::kError;
      finding.reason = "rule-error";
      finding.message =
          "rule " + current->info.id + " could not be evaluated for " +
          std::string(SubjectName(subject)) + " '" + std::string(subject_id) + "': " +
          (result.is_error() ? std::string(result.ErrorMessage())
                             : "the condition gave a " +
                                   std::string(expr::KindName(result.kind())) + ", not a bool");
      finding.remedy = "Fix the rule's condition in " + current->info.file +
                       ", or the manifest data it cannot read.";
    } else {
      finding.severity = active.match->severity;
      finding.reason = match.reason_template.empty()
                           ? match.reason
                           : match.reason_template.Render(activation, cost_limit_);
      finding.message = match.message.Render(activation, cost_limit_, arena_);
      // Line feeds that end the remedy (of a YAML block scalar) are left out.
      finding.remedy = match.remedy.empty()
                           ? current->remedy
                           : match.remedy.Render(activation, cost_limit_, arena_, true);
    }
  }
}

}  // namespace provgate::detail
