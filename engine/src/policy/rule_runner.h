// Runs the pack's checks on one subject: evaluates each condition that applies and turns the
// outcome into findings and obligations.
#ifndef PROVGATE_POLICY_RULE_RUNNER_H_
#define PROVGATE_POLICY_RULE_RUNNER_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/text_arena.h"
#include "expr/value.h"
#include "policy/rule_pack.h"
#include "policy/sorting.h"
#include "provgate/report.h"

namespace provgate::detail {

// The checks of a pack that apply to one check (its profile, integrity only or not), by
// subject kind. Immutable once made; shared by every RuleRunner of the check.
class ActiveRules {
 public:
  struct Match {
    const CompiledRule* rule;
    const CompiledMatch* match;
  };
  // `only_rule`: when not empty, only that rule's checks (provgate validate); `none`: no
  // check at all (a pass that only computes facts).
  ActiveRules(const RulePack& pack, const std::string& profile, const std::string& only_rule,
              bool none);
  const std::vector<Match>& For(Subject subject) const {
    return by_subject_[static_cast<std::size_t>(subject)];
  }

 private:
  std::array<std::vector<Match>, kSubjectCount> by_subject_;
};

// The bindings every check sees, in this order.
enum class Global { kManifest, kProfile, kParams, kModel };
constexpr int kGlobalCount = 4;

class RuleActivation;

// Evaluates checks on one thread (it holds the evaluation's variables): one per thread that
// judges subjects.
class RuleRunner {
 public:
  RuleRunner(const ActiveRules& rules, std::uint64_t cost_limit);
  ~RuleRunner();
  RuleRunner(const RuleRunner&) = delete;
  RuleRunner& operator=(const RuleRunner&) = delete;

  void SetGlobal(Global global, expr::Value value);
  bool HasChecks(Subject subject) const { return !rules_.For(subject).empty(); }

  // Runs every check of `subject` kind on `binding` (the subject's facts), appending a finding
  // for each condition that holds (or cannot be decided: a `rule-error`, which fails closed)
  // and an obligation for each that records one. `source` gives obligations their title.
  void Run(Subject subject, const expr::Value& binding, std::string_view subject_id,
           const Location& location, const Source* source, ChunkedList<Finding>& findings,
           ChunkedList<Obligation>& obligations);

 private:
  const ActiveRules& rules_;
  std::uint64_t cost_limit_;
  expr::Value globals_[kGlobalCount];
  std::unique_ptr<RuleActivation> activation_;
  // Per kind of subject, which checks can never hold given the check's bindings (NeverHolds),
  // once decided; SetGlobal makes them undecided again.
  const std::vector<char>& NeverHolds(Subject subject);
  std::array<std::vector<char>, kSubjectCount> never_holds_;
  std::array<bool, kSubjectCount> decided_{};
  // The text of the findings and obligations this runner makes.
  TextArena arena_;
};

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_RULE_RUNNER_H_
