// What a check knows before any source is judged: the manifest's header, the model's facts,
// the stages that name each source, the lineage of the model with its edges judged, and the
// rules that apply. Made once per check; read (never changed) by every thread that judges
// sources.
#ifndef PROVGATE_POLICY_CHECK_SCOPE_H_
#define PROVGATE_POLICY_CHECK_SCOPE_H_

#include <climits>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "lineage/upstream.h"
#include "policy/facts.h"
#include "policy/rule_pack.h"
#include "policy/rule_runner.h"
#include "policy/sorting.h"
#include "provgate/lineage.h"
#include "provgate/manifest.h"
#include "provgate/report.h"

namespace provgate::detail {

struct EvaluatorOptions {
  std::string profile;
  std::string check_date;  // YYYY-MM-DD, used when the release has no date.
  // Contracts ending before this date (YYYY-MM-DD) are expiring; empty: none is.
  std::string expiring_before;
  // Only this rule runs (provgate validate: the pack's integrity rule); empty: every rule.
  std::string only_rule;
  std::string manifest_path;  // To resolve lineage manifests and files on disk.
  // Absolute directory that lineage manifests and attestations must lie beneath; empty: not
  // confined.
  std::string lineage_root;
  std::uint64_t cost_limit = 1'000'000;
  bool verify_files = false;  // Hash files[] and contract evidence on disk.
  // Threads that hash files on disk with verify_files (at least 1).
  int hash_threads = 2;
  // Many obligations may be sorted on a thread of their own while the findings are sorted.
  bool sort_on_thread = true;
  // Evaluates upstream manifests of lineage entries; without it they are unverified.
  UpstreamResolver resolve_upstream;
  // Verifies the signed upstream reports of lineage entries (`attestation`); without it they
  // are unverified.
  UpstreamResolver resolve_attestation;
  // Told the path of every upstream manifest and signed report a lineage entry names, before
  // it is resolved and whether or not it exists (the files the verdict depends on).
  std::function<void(const std::string& path)> note_lineage_file;
  // Record every files[] entry and contract evidence as an artifact (the subjects of a signed
  // report).
  bool collect_artifacts = false;
  // Record every source's decision (Report::decisions).
  bool collect_decisions = false;
  // Record every source's id and position, so that repeated ids can be found without the
  // reader (sessions and shards; the reader finds them itself in a file).
  bool collect_ids = false;
  // Which sources this evaluation judges: those whose index modulo `shard_count` is
  // `shard_index` (all with the defaults); none when `judge_sources` is false (the evaluation
  // that merges shards judges only the model).
  std::uint64_t shard_index = 0;
  std::uint64_t shard_count = 1;
  bool judge_sources = true;
  // The pack's parameters with the check's overrides applied (a `params` map value).
  expr::Value params;
  // Only compute permissions and the stage facts (no rule runs): the first pass of a profile
  // that needs the last stage that used unpermitted data before sources are judged.
  bool facts_only = false;
  // The index of the last stage that used unpermitted data (directly, or through a
  // taint-carrying upstream model), as the first pass found it; -1 when none did. Only used
  // when `intermediate_known` is set.
  int intermediate_stage = -1;
  bool intermediate_known = false;
};

class CheckScope {
 public:
  // Judges the model, its stages and its lineage (resolving upstream models through the
  // options' resolvers). Findings and obligations of these checks are kept in the scope.
  CheckScope(const RulePack& pack, EvaluatorOptions options, ManifestHeader header);
  CheckScope(const CheckScope&) = delete;
  CheckScope& operator=(const CheckScope&) = delete;

  const RulePack& pack() const { return pack_; }
  const EvaluatorOptions& options() const { return options_; }
  const ManifestHeader& header() const { return header_; }
  const ActiveRules& rules() const { return rules_; }
  // The model's facts as sources see them: what is known before any source (facts that need
  // every source, such as `tainted`, are false until the model's checks run).
  const ModelView& model_view() const { return model_view_; }
  const ModelUse& use() const { return use_; }
  const expr::Value& global(Global global) const { return globals_[static_cast<int>(global)]; }
  // The directory files on disk are relative to ("" or ending in '/').
  const std::string& manifest_dir() const { return manifest_dir_; }

  // The stages that name a source id (indexes into header().model.stages), and the id's slot
  // among the referenced ids; nullptr when no stage names it.
  struct Reference {
    std::vector<std::size_t> stages;
    std::size_t slot = 0;
  };
  const Reference* FindReference(std::string_view source_id) const;
  std::size_t reference_count() const { return references_.size(); }
  // Models named by lineage entries (a source generated by another model is a lineage edge of
  // its own).
  bool NamedByLineage(const std::string& model) const { return lineage_models_.count(model) != 0; }
  // Whether `generator` is one of this model's own checkpoints (it names the model, a stage's
  // checkpoint, or a stage), and then the stage slot whose checkpoint it is: -1 for a model
  // trained on nothing yet. `reference` is the source's (nullptr: no stage names it).
  static constexpr int kNotOwn = -2;
  int OwnCheckpoint(const GeneratedBy& generator, const Reference* reference) const;
  // One entry per stage (or one "(all)" for a manifest without stages).
  std::size_t stage_slots() const { return stage_ids_.size(); }
  const std::string& stage_id(std::size_t slot) const { return stage_ids_[slot]; }

  // The first stage slot a taint-carrying lineage edge reaches (INT_MAX: none); see
  // JudgeEdge for the stage of an edge without lineage[].stage.
  int first_lineage_taint_stage() const { return first_taint_stage_; }
  // The lineage: taint carried by an upstream model, the last stage it reached (-1: none),
  // and the chain that explains it.
  bool lineage_tainted() const { return lineage_tainted_; }
  int lineage_taint_stage() const { return taint_stage_; }
  const std::string& lineage_taint_chain() const { return taint_chain_; }
  const std::vector<LineageGraph::Edge>& graph_edges() const { return graph_edges_; }

  // Judges one lineage edge with `runner`, appending its findings, obligations and graph
  // edge; says whether it carries taint, for which stage, and the chain that explains it.
  struct EdgeOutcome {
    bool carries_taint = false;
    int stage = -1;
    std::string chain;
    std::vector<TaintCause> causes;  // Paths start at this model.
    std::uint64_t causes_omitted = 0;
  };
  // The causes of taint that lineage entries carry, paths starting at this model.
  const std::vector<TaintCause>& lineage_causes() const { return lineage_causes_; }
  std::uint64_t lineage_causes_omitted() const { return lineage_causes_omitted_; }
  // `stage_hint`: for a model that generated sources, the last stage that used them (-1:
  // none known).
  EdgeOutcome JudgeEdge(const LineageEntry& entry, UpstreamStatus status, RuleRunner& runner,
                        ChunkedList<Finding>& findings, ChunkedList<Obligation>& obligations,
                        std::vector<LineageGraph::Edge>& edges, int stage_hint = -1) const;

  // The findings and obligations of the model's stages and lineage, in the order they were
  // made.
  ChunkedList<Finding>& findings() { return findings_; }
  ChunkedList<Obligation>& obligations() { return obligations_; }

 private:
  void ComputeIntermediate();
  UpstreamStatus ResolveLineage(const LineageEntry& entry) const;

  const RulePack& pack_;
  EvaluatorOptions options_;
  ManifestHeader header_;
  ActiveRules rules_;
  ModelView model_view_;
  ModelUse use_;
  ManifestView manifest_view_;
  expr::Value globals_[kGlobalCount];
  std::string manifest_dir_;
  std::unordered_map<std::string_view, Reference> references_;  // Keys view header_.
  std::set<std::string> lineage_models_;
  std::vector<std::string> stage_ids_;
  bool lineage_tainted_ = false;
  int taint_stage_ = -1;
  int first_taint_stage_ = INT_MAX;
  std::vector<TaintCause> lineage_causes_;
  std::uint64_t lineage_causes_omitted_ = 0;
  std::string taint_chain_;
  std::vector<LineageGraph::Edge> graph_edges_;
  ChunkedList<Finding> findings_;
  ChunkedList<Obligation> obligations_;
};

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_CHECK_SCOPE_H_
