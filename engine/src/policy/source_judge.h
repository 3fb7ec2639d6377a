// Judges sources one by one within a check's scope: each source's permission, the checks of
// the source rules, its files on disk (--verify-files), and its share of the summary. One
// judge per thread or slice; its tally merges with the others'.
#ifndef PROVGATE_POLICY_SOURCE_JUDGE_H_
#define PROVGATE_POLICY_SOURCE_JUDGE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "crypto/file_hasher.h"
#include "policy/check_scope.h"
#include "policy/decision_recorder.h"
#include "policy/permission.h"
#include "policy/rule_runner.h"
#include "policy/tally.h"

namespace provgate::detail {

class SourceJudge {
 public:
  explicit SourceJudge(const CheckScope& scope);
  ~SourceJudge();
  SourceJudge(const SourceJudge&) = delete;
  SourceJudge& operator=(const SourceJudge&) = delete;

  // Judges `source`, whose `index` is its position in the whole manifest.
  void Judge(const Source& source);
  // Waits for the files still being hashed and hands over the tally.
  SourceTally Finish();

 private:
  void VerifyFiles(const Source& source, bool& evidence_confirmed);
  // Records the conditions a permitted source sets: its licence's, its generators' terms',
  // and its agreement's duties.
  void RecordConditions(const Source& source, bool own_output);
  void RecordFile(SourceTally::File file, const HashResult& result);

  const CheckScope& scope_;
  RuleRunner runner_;
  PermissionResolver resolver_;
  SourceFacts facts_;
  SourceTally tally_;
  std::unique_ptr<DecisionRecorder> decisions_;  // With collect_decisions.
  // --verify-files: the pool hashing files[] entries, the jobs in flight. files_mutex_ guards
  // pending_files_ and the tally's file counts and list, which the pool's threads update.
  std::unique_ptr<FileHashPool> hash_pool_;
  std::mutex files_mutex_;
  std::unordered_map<std::uint64_t, SourceTally::File> pending_files_;
  std::uint64_t next_file_job_ = 0;
};

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_SOURCE_JUDGE_H_
