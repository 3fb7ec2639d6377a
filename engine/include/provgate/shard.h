// Sharded evaluation: disjoint slices of a manifest's sources judged independently (on other
// threads, processes or machines), then merged into the report of the whole manifest.
#ifndef PROVGATE_SHARD_H_
#define PROVGATE_SHARD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "provgate/check.h"
#include "provgate/export.h"

namespace provgate {

/// Shard `index` of `count` judges the sources whose position in the manifest modulo `count`
/// is `index`. The `count` shards of one split are disjoint and together judge every source,
/// whatever the number of sources.
struct ShardSpec {
  std::uint64_t index = 0;
  std::uint64_t count = 1;
};

/// A shard's partial result: bytes to carry to the merge (a file, a message, a Python
/// `bytes`). The format is versioned and checked when read; it is not a stable interchange
/// format between provgate versions.
struct [[nodiscard]] ShardResult {
  /// Operational failure (I/O), or an invalid ShardSpec (kInvalidArgument).
  Status status;
  /// Invalid input, as Check reports it.
  std::vector<Diagnostic> diagnostics;
  std::string partial;

  bool ok() const { return status.ok() && !HasErrors(diagnostics); }
};

/// Reads the whole manifest (every source is validated, as Check validates it) and judges the
/// sources of shard `spec`. The partial records a fingerprint of the manifest's bytes, the
/// pack, the profile, the parameters, the check date and the options that change findings:
/// MergeShards refuses partials made from anything else. Files the manifest refers to
/// (files[] with verify_files, lineage manifests) must be the same wherever the shards run.
/// Never throws.
PROVGATE_API ShardResult EvaluateShard(const ManifestInput& input, ShardSpec spec,
                                       const RulePack& pack, const CheckOptions& options);

/// Merges the partials of every shard of one split, given in any order, into the result Check
/// gives for the whole manifest: the same findings, summary and verdict, and a byte-identical
/// JSON report. Reads the manifest once more (for its header, its repeated ids and its
/// digest) without judging its sources; judges the model, its stages and lineage, and
/// applies the waivers. A partial that is corrupt, from another split or another manifest, or
/// missing or given twice is invalid input (a diagnostic with code `shard`, exit code 2).
PROVGATE_API CheckResult MergeShards(const ManifestInput& input,
                                     const std::vector<std::string>& partials, const RulePack& pack,
                                     const CheckOptions& options);

/// A part of a manifest's JSON Lines side file: the lines that start at byte offsets in
/// [begin, end). Partitions let each worker read only its part of the file.
struct Partition {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  /// The line number, in the side file, of the line at `begin` (1-based).
  std::uint64_t first_line = 1;
  /// The sources before the partition: the position of its first source in the manifest.
  std::uint64_t first_index = 0;
  /// The sources (non-blank lines) in it.
  std::uint64_t sources = 0;
};

/// What the merge of partitions needs to know of the side file as a whole.
struct PartitionedSources {
  std::uint64_t source_count = 0;
  /// SHA-256 (lowercase hex) of the side file's bytes: the report's `sources_sha256`.
  std::string sha256;
};

struct [[nodiscard]] PartitionPlan {
  /// Operational failure (the side file cannot be read).
  Status status;
  /// Invalid input: the manifest's header, or a side file line too long.
  std::vector<Diagnostic> diagnostics;
  std::vector<Partition> partitions;
  PartitionedSources sources;
  /// The profile reads every source twice (pack.yaml, `intermediate_facts`): each
  /// partition's facts (PartitionFacts) are needed before any partition is evaluated.
  bool two_pass = false;

  bool ok() const { return status.ok() && !HasErrors(diagnostics); }
};

/// Reads the header of a manifest whose sources live in a JSON Lines side file and scans the
/// side file once (its lines and its digest, not their content) to split it, at line starts,
/// into partitions of about `partition_bytes` bytes (at least one line each; a side file
/// without sources gives one empty partition). A manifest with its sources in an array has
/// no side file to split: invalid input (code `partition`; use EvaluateShard). Never throws.
PROVGATE_API PartitionPlan PlanPartitions(const ManifestInput& input, std::uint64_t partition_bytes,
                                          const RulePack& pack, const CheckOptions& options);

struct [[nodiscard]] PartitionFactsResult {
  Status status;
  std::vector<Diagnostic> diagnostics;
  /// The last stage (0-based) that used unpermitted data among the partition's sources; -1
  /// when none did.
  std::int64_t last_unpermitted_stage = -1;

  bool ok() const { return status.ok() && !HasErrors(diagnostics); }
};

/// For a profile that reads every source twice: the facts the rules need of one partition
/// before any source is judged. The caller takes the largest stage over all partitions and
/// gives it to EvaluatePartition.
/// With `lines`, the partition's lines are those bytes, as for EvaluatePartitionText.
PROVGATE_API PartitionFactsResult PartitionFacts(const ManifestInput& input,
                                                 const Partition& partition, const RulePack& pack,
                                                 const CheckOptions& options,
                                                 const std::string* lines = nullptr);

/// Reads the manifest's header and only `partition` of its side file, validates and judges
/// those sources, and returns the partial result, with every source id for the merge to find
/// ids repeated across partitions. Memory is bounded by the partition's findings, not by the
/// manifest. For a two-pass profile, `last_unpermitted_stage` is the largest of every
/// partition's PartitionFacts (-1 for none); without it, a two-pass profile is an invalid
/// argument. Never throws.
PROVGATE_API ShardResult EvaluatePartition(
    const ManifestInput& input, const Partition& partition, const RulePack& pack,
    const CheckOptions& options, std::optional<std::int64_t> last_unpermitted_stage = std::nullopt);

/// As EvaluatePartition, with the partition's lines given as `lines` instead of read from the
/// side file, for a worker that received them without the file: the side file is not
/// opened (`partition.begin` and `end` are not used). Its name, from the manifest, still
/// names the lines in findings and diagnostics.
PROVGATE_API ShardResult EvaluatePartitionText(
    const ManifestInput& input, std::string lines, const Partition& partition, const RulePack& pack,
    const CheckOptions& options, std::optional<std::int64_t> last_unpermitted_stage = std::nullopt);

/// Merges the partials of partitions that together cover every source once (in any order)
/// into the result Check gives for the whole manifest, byte-identical JSON report included.
/// Reads the manifest's header again (not its side file, which is not opened: its count and
/// digest are `sources`); repeated ids are found among the partials' ids. A partial that is
/// corrupt, from another manifest or options, or partitions that overlap or leave sources out, are
/// invalid input (code `shard`, exit code 2).
PROVGATE_API CheckResult MergePartitions(const ManifestInput& input,
                                         const std::vector<std::string>& partials,
                                         const PartitionedSources& sources, const RulePack& pack,
                                         const CheckOptions& options);

}  // namespace provgate

#endif  // PROVGATE_SHARD_H_
