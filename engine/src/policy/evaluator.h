// Evaluates a rule pack over a manifest as it streams by.
#ifndef PROVGATE_POLICY_EVALUATOR_H_
#define PROVGATE_POLICY_EVALUATOR_H_

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "crypto/file_hasher.h"
#include "policy/facts.h"
#include "policy/rule_pack.h"
#include "provgate/lineage.h"
#include "provgate/manifest.h"
#include "provgate/report.h"

namespace provgate::detail {

struct EvaluatorOptions {
  std::string profile;
  std::string check_date;       // YYYY-MM-DD, used when the release has no date.
  bool integrity_only = false;  // Only rule P2.
  std::string manifest_path;    // To resolve lineage manifests.
  // Absolute directory that lineage manifests and attestations must lie beneath; empty: not
  // confined.
  std::string lineage_root;
  std::uint64_t cost_limit = 1'000'000;
  bool verify_files = false;  // Hash files[] and contract evidence on disk.
  // Evaluates upstream manifests of lineage entries; without it they are unverified.
  UpstreamResolver resolve_upstream;
  // Verifies the signed upstream reports of lineage entries (`attestation`); without it they
  // are unverified.
  UpstreamResolver resolve_attestation;
  // Record every files[] entry and contract evidence as an artifact (the subjects of a signed
  // report).
  bool collect_artifacts = false;
  // The pack's parameters with the check's overrides applied (a `params` map value).
  expr::Value params;
  // Only compute permissions and the stage facts (no rule runs): the first pass of profile
  // intermediate, which needs to know the last stage that used unpermitted data.
  bool facts_only = false;
  // The index of the last stage that used unpermitted data (directly, or through a
  // taint-carrying upstream model), as the first pass found it; -1 when none did. Only used
  // when `intermediate_known` is set.
  int intermediate_stage = -1;
  bool intermediate_known = false;
};

// A ManifestVisitor that evaluates the model, stage and lineage checks when the header
// arrives, the source checks as each source streams by, and the checks that need every source
// (stage references, duplicate ids) in Finish. Memory holds the header, the stage reference
// index and the findings, never the sources.
class RuleActivation;

// A list that grows in chunks, so that its elements are never moved as it grows (hundreds of
// thousands of findings and obligations would otherwise be moved at every doubling).
template <typename T>
class ChunkedList {
 public:
  static constexpr std::size_t kChunk = 4096;
  // A new default-constructed element, filled in place by the caller. The first chunk grows
  // as vectors do, so that a short list (a small manifest's findings) stays small; later
  // chunks are allocated whole.
  T& emplace_back() {
    if (size_ % kChunk == 0) {
      chunks_.emplace_back();
      if (size_ > 0) chunks_.back().reserve(kChunk);
    }
    ++size_;
    return chunks_.back().emplace_back();
  }
  std::size_t size() const { return size_; }
  T& operator[](std::size_t i) { return chunks_[i / kChunk][i % kChunk]; }
  const T& operator[](std::size_t i) const { return chunks_[i / kChunk][i % kChunk]; }
  void clear() {
    chunks_.clear();
    size_ = 0;
  }
  template <typename F>
  void ForEach(F&& f) const {
    for (const auto& chunk : chunks_) {
      for (const T& item : chunk) f(item);
    }
  }

 private:
  std::vector<std::vector<T>> chunks_;
  std::size_t size_ = 0;
};

class PolicyEvaluator : public ManifestVisitor {
 public:
  PolicyEvaluator(const RulePack& pack, EvaluatorOptions options);
  ~PolicyEvaluator() override;

  void OnHeader(const ManifestHeader& header) override;
  void OnSource(const Source& source) override;
  // Runs the checks that need the whole manifest (model, stage references, duplicate ids)
  // and returns the sorted findings.
  std::vector<Finding> Finish(const ReadResult& read);
  // Obligations recorded by the checks, sorted and without repeats (after Finish).
  std::vector<Obligation> TakeObligations();
  // Files and contract evidence in manifest order, without repeats (with collect_artifacts).
  std::vector<Artifact> TakeArtifacts() { return std::move(artifacts_); }
  bool tainted() const { return model_view_.tainted; }
  // Why the model is tainted: its first unpermitted source, or the lineage that carries taint.
  const std::string& taint_chain() const { return taint_chain_; }
  // For the lineage graph: this model's edges and its stages' permission counts.
  const std::vector<LineageGraph::Edge>& graph_edges() const { return graph_edges_; }
  std::vector<LineageGraph::Stage> graph_stages() const;
  // The last stage index that used unpermitted data, directly or through a tainted upstream
  // (-1: none); the last stage when a tainted upstream has no stage. Valid after Finish.
  int last_unpermitted_stage() const;
  // The check date, when a contract's validity depended on it.
  std::string check_date_used() const { return check_date_used_ ? use_.date : ""; }

  const ManifestHeader& header() const { return header_; }
  const Report::Summary& summary() const { return summary_; }
  std::string_view effective_weights() const { return model_view_.effective_weights; }

 private:
  struct ActiveMatch {
    const CompiledRule* rule;
    const CompiledMatch* match;
  };
  void Evaluate(Subject subject, const expr::Value& binding, std::string_view subject_id,
                const Location& location, const Source* source = nullptr);
  std::vector<Obligation> SortObligations();

  const RulePack& pack_;
  EvaluatorOptions options_;
  std::array<std::vector<ActiveMatch>, kSubjectCount> active_;
  ManifestHeader header_;
  ModelView model_view_;
  ManifestView manifest_view_;
  // The bindings every check sees: manifest, profile, params, model (in that order).
  expr::Value globals_[4];
  std::unique_ptr<RuleActivation> activation_;
  // Source id -> indexes of the stages that name it, and whether the source was seen.
  struct Reference {
    std::vector<std::size_t> stages;
    bool seen = false;
  };
  std::unordered_map<std::string, Reference> references_;
  SourceFacts source_facts_;
  ModelUse use_;
  std::unique_ptr<PermissionResolver> resolver_;
  bool check_date_used_ = false;
  std::map<std::string, Report::Summary::ClassCount, std::less<>> by_class_;
  Report::Summary summary_;
  // Finish moves each finding and obligation once, into its sorted place.
  ChunkedList<Finding> findings_;
  ChunkedList<Obligation> obligations_;
  // Obligations are sorted on a second thread while Finish sorts the findings.
  std::thread obligation_sorter_;
  std::vector<Obligation> sorted_obligations_;
  std::vector<Artifact> artifacts_;
  std::set<std::pair<std::string, std::string>> artifact_keys_;
  bool lineage_tainted_ = false;
  int taint_stage_ = -1;  // Last stage at which a taint-carrying upstream was used.
  std::string taint_chain_;
  // Lineage edges: the statuses of lineage[] entries, and the models that generated sources
  // (relation synthetic-data) that no lineage entry names, with the first such source.
  void EvaluateEdge(const LineageEntry& entry, UpstreamStatus status);
  std::set<std::string> lineage_models_;
  std::vector<LineageGraph::Edge> graph_edges_;
  std::vector<LineageGraph::Stage> stage_counts_;  // Parallel to header_.model.stages (or one).
  std::map<std::string, std::pair<std::string, Location>> generators_;
  // --verify-files: the pool hashing files[] entries, the jobs in flight, the failures.
  struct PendingFile {
    UnverifiedFileView view;
    Location location;
  };
  void VerifySourceFiles(const Source& source, bool& evidence_confirmed);
  void RecordFile(PendingFile pending, const HashResult& result);
  std::unique_ptr<FileHashPool> hash_pool_;
  // Guards pending_files_, unverified_files_ and the files_* counters of summary_, which the
  // pool's threads update.
  std::mutex files_mutex_;
  std::unordered_map<std::uint64_t, PendingFile> pending_files_;
  std::uint64_t next_file_job_ = 0;
  std::vector<PendingFile> unverified_files_;
  std::string manifest_dir_;
};

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_EVALUATOR_H_
