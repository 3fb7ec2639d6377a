// Evaluates a rule pack over a manifest as it streams by: the ManifestVisitor that judges the
// header when it arrives (CheckScope), each source as it passes (SourceJudge), and the rest
// once every source is in (JudgeModel). Memory holds the header, the stage reference index
// and the findings, never the sources.
#ifndef PROVGATE_POLICY_EVALUATOR_H_
#define PROVGATE_POLICY_EVALUATOR_H_

#include <memory>

#include "policy/check_scope.h"
#include "policy/model_judge.h"
#include "policy/rule_pack.h"
#include "policy/source_judge.h"
#include "provgate/manifest.h"

namespace provgate::detail {

class PolicyEvaluator : public ManifestVisitor {
 public:
  PolicyEvaluator(const RulePack& pack, EvaluatorOptions options);
  ~PolicyEvaluator() override;

  void OnHeader(const ManifestHeader& header) override;
  void OnSource(const Source& source) override;
  // Completes the check with the reader's result (its repeated ids). Call once, after a read
  // that succeeded.
  Evaluation Finish(const ReadResult& read);

  // Hands over the tally of the sources judged, for a shard (instead of Finish).
  SourceTally FinishTally();
  // Finish, with the tallies of the sources other evaluations judged merged in.
  Evaluation FinishWith(SourceTally others, const ReadResult& read);

  // The scope made from the header (after OnHeader), and the header.
  CheckScope& scope() { return *scope_; }
  // The manifest's header (after OnHeader).
  const ManifestHeader& header() const { return scope_->header(); }

 private:
  const RulePack& pack_;
  EvaluatorOptions options_;
  std::unique_ptr<CheckScope> scope_;
  std::unique_ptr<SourceJudge> judge_;
};

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_EVALUATOR_H_
