#include "policy/evaluator.h"

namespace provgate::detail {

PolicyEvaluator::PolicyEvaluator(const RulePack& pack, EvaluatorOptions options)
    : pack_(pack), options_(std::move(options)) {}

PolicyEvaluator::~PolicyEvaluator() = default;

void PolicyEvaluator::OnHeader(const ManifestHeader& header) {
  scope_ = std::make_unique<CheckScope>(pack_, options_, header);
  judge_ = std::make_unique<SourceJudge>(*scope_);
}

void PolicyEvaluator::OnSource(const Source& source) {
  if (!options_.judge_sources || source.index % options_.shard_count != options_.shard_index) {
    return;
  }
  judge_->Judge(source);
}

SourceTally PolicyEvaluator::FinishTally() { return judge_->Finish(); }

Evaluation PolicyEvaluator::FinishWith(SourceTally others, const ReadResult& read) {
  SourceTally tally = judge_->Finish();
  tally.Merge(std::move(others));
  return JudgeModel(*scope_, std::move(tally), read.duplicate_source_ids);
}

Evaluation PolicyEvaluator::Finish(const ReadResult& read) {
  return JudgeModel(*scope_, judge_->Finish(), read.duplicate_source_ids);
}

}  // namespace provgate::detail
