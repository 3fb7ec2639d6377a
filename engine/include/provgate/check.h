// `check` and `validate`: a manifest in, a report out.
#ifndef PROVGATE_CHECK_H_
#define PROVGATE_CHECK_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "provgate/attest.h"
#include "provgate/diagnostic.h"
#include "provgate/export.h"
#include "provgate/lineage.h"
#include "provgate/manifest.h"
#include "provgate/policy.h"
#include "provgate/report.h"
#include "provgate/status.h"

namespace provgate {

/// How a check is run.
struct CheckOptions {
  /// Rule pack directory; empty means the built-in default pack.
  std::string policy_dir;
  /// Profile name; empty means the pack's default profile.
  std::string profile;
  /// Pack parameters to override, name to value as text ("false", "3", "x"); each must be a
  /// parameter the pack declares and a valid value of its type.
  std::vector<std::pair<std::string, std::string>> params;
  /// Only the pack's integrity rule (pack.yaml, `integrity_rule`) runs: what `provgate
  /// validate` does. A pack that declares none is a usage error.
  bool integrity_only = false;
  /// Limits for reading the manifest.
  ReadOptions read;
  /// The date contracts are checked against when the manifest has no release date
  /// (YYYY-MM-DD); empty means today (UTC). The report records it when it mattered.
  std::string date;
  /// Hash every files[] entry and every contract evidence document on disk (paths relative to
  /// the manifest) and compare with its sha256, on two threads.
  bool verify_files = false;
  /// List every files[] entry and contract evidence in Report::artifacts (the subjects of a
  /// signed report).
  bool collect_artifacts = false;
  /// Record every source's decision (permitted, reason, licence as written and canonical,
  /// class, size, stages) in Report::decisions: the auditors' decision table. It costs memory
  /// for every source (about 350 bytes plus its id and title), so it is off by default.
  bool collect_decisions = false;
  /// Public keys (PEM files) trusted to sign the upstream reports that lineage entries name
  /// with `attestation`. A key file that cannot be read is an operational failure (exit 3).
  std::vector<std::string> trusted_keys;
  /// A waivers file (YAML or JSON, schemas/waivers.schema.json); empty means none. Its
  /// problems are invalid input with their position (exit 2).
  std::string waivers_path;
  /// Waivers given as text instead of a file (a pipeline that holds them in memory), named
  /// `waivers_name` in diagnostics; used when `waivers_path` is empty and this is not.
  std::string waivers_text;
  std::string waivers_name = "waivers.yaml";
  /// More trusted public keys, as files or PEM text (KeySource), after `trusted_keys`.
  std::vector<KeySource> trusted_key_sources;
  /// The directory that confines the files a manifest names beyond its own directory: upstream
  /// manifests and signed upstream reports of lineage entries (directly or through a symlink)
  /// must lie beneath it, so that a manifest cannot make the check read a file elsewhere on
  /// the machine. Empty: the nearest directory above the manifest that holds `.git` or
  /// `.provgate.yaml` (a repository's root); when there is none, lineage is not confined.
  /// Files[] entries, contract evidence and the JSON Lines side file are always confined to
  /// the manifest's own directory.
  std::string root;
  /// Waivers and contracts that expire within this many days of the date of the check are
  /// warnings (`waiver-expiring`, `contract-expiring`), so that a scheduled check gives notice
  /// before they start failing; negative: no such warning. A contract counts only when the
  /// date of the check decides its validity (the manifest has no release date).
  int warn_expiring_days = -1;
  /// Evaluation steps allowed per rule condition per subject.
  std::uint64_t cost_limit = 1'000'000;
  /// The most threads a check runs on, the calling thread included. 0 lets provgate choose:
  /// the caller, a thread hashing the manifest as it is parsed, a thread judging sources
  /// (manifests of 1024 sources or more) and, in the end, one sorting many obligations. 1
  /// runs all of that on the calling thread; 2 adds the judging (and sorting) thread; 3 or
  /// more, the hashing thread too. verify_files hashes files on disk on threads of its own
  /// beyond this budget: two, or one when max_threads is 1 or 2.
  unsigned max_threads = 0;
};

/// A manifest to check: a file, JSON text held in memory, or a manifest built in code.
///
/// Text is read exactly as a file with the same bytes would be, its diagnostics naming
/// `name`; relative paths in it (a JSONL side file, files[] entries, lineage manifests)
/// resolve beneath `base_dir`. A typed manifest is written as canonical JSON (RFC 8785) and
/// read as that text, so it is validated by the same rules as a file (diagnostics carry JSON
/// pointers into that text) and the report's manifest digest is the digest of that text.
class PROVGATE_API ManifestInput {
 public:
  enum class Kind { kFile, kText, kTyped };

  static ManifestInput File(std::string path);
  static ManifestInput Text(std::string json, std::string name, std::string base_dir);
  static ManifestInput Typed(Manifest manifest, std::string name, std::string base_dir);

  Kind kind() const { return kind_; }
  /// The path of a file, or the name given to text and typed manifests.
  const std::string& name() const { return name_; }
  const std::string& base_dir() const { return base_dir_; }
  /// The JSON text of a text or typed manifest (empty for a file).
  const std::string& text() const { return text_; }

 private:
  ManifestInput() = default;
  Kind kind_ = Kind::kFile;
  std::string name_;
  std::string base_dir_;
  std::string text_;
};

struct [[nodiscard]] PROVGATE_API CheckResult {
  /// Operational failure (I/O while reading): exit code 3.
  Status status;
  /// Invalid input (manifest, rule pack, profile): exit code 2.
  std::vector<Diagnostic> diagnostics;
  /// The report; meaningful only when `status` is ok and there are no error diagnostics.
  Report report;
  /// The lineage graph of the checked model and its upstream models.
  LineageGraph graph;
  /// The files the verdict depends on, as paths resolved from the manifest's (not made
  /// canonical): the manifest and every upstream manifest evaluated, their JSONL side files,
  /// every upstream manifest and signed report a lineage entry names (also when it does not
  /// exist: its absence decides the edge), the waivers file and the trusted key files. Files[]
  /// entries and contract evidence are not listed: they lie beneath their manifest's
  /// directory. Filled by Check and CheckSession, also when the check fails.
  std::vector<std::string> dependencies;

  /// The exit code of docs/cli.md: 0 compliant, 1 non-compliant, 2 invalid input,
  /// 3 operational failure. Waived findings never fail; with `new_only`, neither do findings
  /// the baseline already had (see CompareWithBaseline).
  [[nodiscard]] int ExitCode(FailOn fail_on = FailOn::kError, bool new_only = false) const;
};

/// Reads, validates and evaluates the manifest at `manifest_path`.
///
/// Never throws. Invalid input is returned as diagnostics sorted by position; a policy
/// outcome is data in the report. Threads: the manifest is hashed on a second thread while
/// it is parsed, and a manifest of 1024 sources or more is evaluated on one more while the
/// reader parses ahead (ReadOptions::pipeline, which Check always sets); all have finished
/// when Check returns. Checks of different manifests may run at once on one RulePack.
/// Example:
///   provgate::CheckResult result = provgate::Check("model.json", {});
///   std::string json = provgate::RenderJsonReport(result.report);
///   return result.ExitCode();
PROVGATE_API CheckResult Check(const std::string& manifest_path, const CheckOptions& options);

/// Same as Check, with an already loaded pack (to check many manifests with one pack).
PROVGATE_API CheckResult Check(const std::string& manifest_path, const RulePack& pack,
                               const CheckOptions& options);

/// Checks a file, JSON text or a typed manifest (see ManifestInput). Invalid input comes
/// back as diagnostics in each case, as from a file.
PROVGATE_API CheckResult Check(const ManifestInput& input, const RulePack& pack,
                               const CheckOptions& options);

}  // namespace provgate

#endif  // PROVGATE_CHECK_H_
