// Sharded evaluation: disjoint slices of a manifest's sources judged independently (on other
// threads, processes or machines), then merged into the report of the whole manifest.
#ifndef PROVGATE_SHARD_H_
#define PROVGATE_SHARD_H_

#include <cstdint>
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

}  // namespace provgate

#endif  // PROVGATE_SHARD_H_
