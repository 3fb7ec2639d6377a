#include "policy/evaluator.h"

namespace provgate::detail {

PolicyEvaluator::PolicyEvaluator(const RulePack& pack, EvaluatorOptions options)
    : pack_(pack), options_(std::move(options)) {}

PolicyEvaluator::~PolicyEvaluator() = default;

void PolicyEvaluator::OnHeader(const ManifestHeader& header) {
  scope_ = std::make_unique<CheckScope>(pack_, options_, header);
  judge_ = std::make_unique<SourceJudge>(*scope_);
}

void PolicyEvaluator::OnSource(const Source& source) { judge_->Judge(source); }

Evaluation PolicyEvaluator::Finish(const ReadResult& read) {
  return JudgeModel(*scope_, judge_->Finish(), read.duplicate_source_ids);
}

}  // namespace provgate::detail
