#include "policy/rule_runner.h"

#include <algorithm>
#include <optional>

namespace provgate::detail {

namespace {

// The bindings every check sees, by name, in the order of Global.
constexpr std::string_view kGlobalNames[kGlobalCount] = {"manifest", "profile", "params", "model"};

// Sets `out` to the check's binding called `name`, if it is one.
bool FindGlobal(const expr::Value* globals, std::string_view name, expr::Value& out) {
  for (int i = 0; i < kGlobalCount; ++i) {
    if (name == kGlobalNames[i]) {
      out = globals[i];
      return true;
    }
  }
  return false;
}

// The check's own bindings and nothing else: what a condition is known to give before any
// subject. The subject's binding (even when it is also a check's binding, as `model` is for
// the model's checks) and the rule's variables are not found.
class CheckBindings : public expr::Activation {
 public:
  CheckBindings(const expr::Value* globals, Subject subject)
      : globals_(globals),
        subject_binding_(SubjectBinding(subject)),
        subject_index_(SubjectBindingIndex(subject)) {}

  bool Find(std::string_view name, expr::Value& out) const override {
    return name != subject_binding_ && FindGlobal(globals_, name, out);
  }
  bool FindBound(int index, std::string_view name, expr::Value& out) const override {
    if (index == subject_index_) return false;
    if (index >= 0 && index < kGlobalCount) {
      out = globals_[index];
      return true;
    }
    return Find(name, out);
  }
  const expr::Value* FindBoundValue(int index) const override {
    if (index == subject_index_ || index < 0 || index >= kGlobalCount) return nullptr;
    return &globals_[index];
  }

 private:
  const expr::Value* globals_;
  std::string_view subject_binding_;
  int subject_index_;
};

}  // namespace

// The variables of one check on one subject: fixed bindings, then the rule's variables,
// each evaluated on first use and remembered for the rest of this subject. The conditions of
// one rule on one subject and the variables they read share one budget of the cost limit, so
// that a rule's variables cannot multiply the work allowed.
class RuleActivation : public expr::Activation {
 public:
  RuleActivation(const expr::Value* globals, std::uint64_t cost_limit)
      : globals_(globals), cost_limit_(cost_limit) {}

  void SetSubject(Subject subject, const expr::Value* value) {
    subject_binding_ = SubjectBinding(subject);
    subject_index_ = SubjectBindingIndex(subject);
    subject_ = value;
    rule_ = nullptr;
  }

  // Capacity is kept across subjects, so switching rules does not allocate.
  void SetRule(const CompiledRule* rule) {
    rule_ = rule;
    if (!rule->variables.empty() || !cache_.empty()) {
      cache_.assign(rule->variables.size(), expr::Value());
      state_.assign(rule->variables.size(), 0);
    }
    budget_ = expr::Budget(cost_limit_);
  }

  // The budget of the current rule on the current subject (after SetRule).
  expr::Budget& budget() const { return budget_; }

  bool Find(std::string_view name, expr::Value& out) const override {
    if (name == subject_binding_) {
      out = *subject_;
      return true;
    }
    if (FindGlobal(globals_, name, out)) return true;
    if (rule_ == nullptr) return false;
    for (std::size_t i = 0; i < rule_->variables.size(); ++i) {
      if (rule_->variables[i].name != name) continue;
      Variable(i, out);
      return true;
    }
    return false;
  }

  // The numbers are those of RuleNameBindings, which the rule's programs were bound to. The
  // answer is Find's: the subject's binding first, then the check's bindings, then the rule's
  // variables.
  bool FindBound(int index, std::string_view name, expr::Value& out) const override {
    if (index == subject_index_) {
      out = *subject_;
      return true;
    }
    if (index < kGlobalCount) {
      out = globals_[index];
      return true;
    }
    if (index >= kFirstVariableIndex && rule_ != nullptr) {
      auto i = static_cast<std::size_t>(index - kFirstVariableIndex);
      if (i < rule_->variables.size()) {
        Variable(i, out);
        return true;
      }
    }
    return Find(name, out);
  }
  const expr::Value* FindBoundValue(int index) const override {
    if (index == subject_index_) return subject_;
    if (index >= 0 && index < kGlobalCount) return &globals_[index];
    return nullptr;  // A variable is evaluated on first use: FindBound.
  }

 private:
  // Evaluates the rule's variable `i` once per subject.
  void Variable(std::size_t i, expr::Value& out) const {
    if (state_[i] == 1) {
      out = expr::Value::Error("variable '" + rule_->variables[i].name + "' refers to itself");
      return;
    }
    if (state_[i] == 0) {
      state_[i] = 1;
      cache_[i] = rule_->variables[i].program->Evaluate(*this, budget_);
      state_[i] = 2;
    }
    out = cache_[i];
  }

  const expr::Value* globals_;
  std::string_view subject_binding_;
  int subject_index_ = -1;
  const expr::Value* subject_ = nullptr;
  std::uint64_t cost_limit_;
  const CompiledRule* rule_ = nullptr;
  mutable std::vector<expr::Value> cache_;
  mutable std::vector<int> state_;
  mutable expr::Budget budget_{0};
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
  decided_.fill(false);
}

// A condition evaluated with only the check's bindings found gives a bool only when the
// subject's facts and the rule's variables cannot change it: an unknown name is an error, and
// errors turn into a bool only where && and || (and all() and exists(), which fold with them)
// absorb them, which CEL does whatever the absorbed operand's value. A check whose condition
// is then false is not evaluated for each subject: it can never hold.
const std::vector<char>& RuleRunner::NeverHolds(Subject subject) {
  auto s = static_cast<std::size_t>(subject);
  if (decided_[s]) return never_holds_[s];
  const CheckBindings bindings(globals_, subject);
  std::vector<char>& never = never_holds_[s];
  never.clear();
  for (const ActiveRules::Match& active : rules_.For(subject)) {
    expr::Budget budget(cost_limit_);
    expr::Value result = active.match->condition->Evaluate(bindings, budget);
    never.push_back(!budget.exhausted() && result.kind() == expr::Kind::kBool && !result.AsBool());
  }
  decided_[s] = true;
  return never;
}

void RuleRunner::Run(Subject subject, const expr::Value& binding, std::string_view subject_id,
                     const Location& location, const Source* source, ChunkedList<Finding>& findings,
                     ChunkedList<Obligation>& obligations) {
  const auto& matches = rules_.For(subject);
  if (matches.empty()) return;
  const std::vector<char>& never_holds = NeverHolds(subject);
  RuleActivation& activation = *activation_;
  activation.SetSubject(subject, &binding);
  const CompiledRule* current = nullptr;
  for (std::size_t m = 0; m < matches.size(); ++m) {
    if (never_holds[m]) continue;
    const ActiveRules::Match& active = matches[m];
    if (active.rule != current) {
      current = active.rule;
      activation.SetRule(current);
    }
    expr::Value result;
    if (!active.match->condition->ReadBoundField(activation, activation.budget(), result)) {
      result = active.match->condition->Evaluate(activation, activation.budget());
    }
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
