// The repository gate: every training manifest of a repository whose verdict a change may
// affect, checked once each, with the manifests a change stopped gating reported.
#ifndef PROVGATE_GATE_H_
#define PROVGATE_GATE_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "provgate/check.h"
#include "provgate/diagnostic.h"
#include "provgate/export.h"
#include "provgate/formats.h"
#include "provgate/policy.h"
#include "provgate/status.h"

namespace provgate {

/// The gate's settings: `.provgate.yaml` at a repository's root, with the command line's
/// options over it. Every path is relative to the repository root.
struct GateConfig {
  /// The file the settings came from, relative to the root; empty when there is none.
  std::string path;
  /// Glob patterns of the manifests (`*`, `?` within a path component, `**` across them).
  std::vector<std::string> manifests = {"**/manifest.json"};
  /// Manifests removed on purpose: their absence is not a problem.
  std::vector<std::string> retired;
  std::string policy;  ///< Rule pack directory; empty: the built-in pack.
  std::string profile;
  std::vector<std::pair<std::string, std::string>> params;
  std::string waivers;
  std::vector<std::string> trust;
  bool verify_files = false;
  FailOn fail_on = FailOn::kError;
  std::string date;
  /// Waivers and contracts expiring within this many days are warnings; negative: off.
  int warn_expiring = -1;
  bool new_only = false;
};

/// The result of reading a gate configuration.
struct [[nodiscard]] GateConfigResult {
  GateConfig config;
  Status status;                        ///< Unreadable file: an operational failure.
  std::vector<Diagnostic> diagnostics;  ///< Invalid settings, at their line and column.
  bool ok() const { return status.ok() && !HasErrors(diagnostics); }
};

/// Reads `.provgate.yaml` in `root` (YAML, read as hostile input: no aliases, no repeated or
/// unknown keys, bounded size), or the defaults when there is no such file. A path in it that
/// is absolute or leaves the root is invalid.
PROVGATE_API GateConfigResult ReadGateConfig(const std::string& root);

/// Reads gate settings from `text`, named `name` in diagnostics.
PROVGATE_API GateConfigResult ReadGateConfigText(const std::string& text, const std::string& name);

/// True when the repository-relative `path` matches the glob `pattern`.
PROVGATE_API bool GlobMatch(std::string_view pattern, std::string_view path);

/// The manifests of the tree at `root` that `config` gates, repository-relative and sorted.
/// `.git` is never searched, nor a directory reached through a symbolic link. At most
/// `max_files` files are looked at; more is an operational failure.
struct [[nodiscard]] DiscoverResult {
  std::vector<std::string> manifests;
  Status status;
};
PROVGATE_API DiscoverResult DiscoverManifests(const std::string& root, const GateConfig& config,
                                              std::size_t max_files = 1'000'000);

/// The same over a list of repository-relative files (a version control system's view of the
/// tree), keeping those that exist in `root` (as a file or a symbolic link).
PROVGATE_API DiscoverResult MatchManifests(const std::string& root,
                                           const std::vector<std::string>& files,
                                           const GateConfig& config);

/// What the gate is asked to do.
struct GateRequest {
  /// The repository root (the working tree).
  std::string root;
  /// The settings (ReadGateConfig, then the command line's overrides).
  GateConfig config;
  /// The base revision's name, for messages and baselines; empty: no base, every manifest is
  /// checked.
  std::string base;
  /// With a base: the base revision's tree extracted into a directory.
  std::string base_root;
  /// With a base: every repository-relative path that differs between the base and the
  /// working tree (added, modified, deleted, renamed, mode or link changed, new and not
  /// ignored).
  std::set<std::string> changed;
  /// The working tree's files, repository-relative, when a version control system knows them
  /// (tracked, and new files that are not ignored): manifests are looked for among these.
  /// Without it, the tree is walked.
  std::optional<std::vector<std::string>> files;
  /// Threads for each check (CheckOptions::max_threads).
  unsigned max_threads = 0;
};

/// One manifest the gate looked at.
struct GateEntry {
  std::string path;  ///< Repository-relative.
  /// Whether it was selected (with a base: a dependency changed), and the changed paths that
  /// selected it (empty without a base).
  bool selected = false;
  std::vector<std::string> selected_because;
  /// Repository-relative files and directories (ending in `/`) its verdict depends on.
  std::vector<std::string> dependencies;
  /// The check: exit code, diagnostics or report.
  CheckResult result;
  int exit_code = 0;
};

/// A manifest the base gated that the working tree does not.
struct UngatedManifest {
  std::string path;
  std::string status;  ///< ungated, removed, moved, retired
  std::string detail;
  bool fails = false;  ///< ungated and removed fail the gate.
};

struct [[nodiscard]] PROVGATE_API GateResult {
  /// Operational failure of the run (configuration unreadable, tree too large, pack
  /// unreadable): exit 3.
  Status status;
  /// Invalid configuration or rule pack: exit 2.
  std::vector<Diagnostic> diagnostics;
  std::string base;
  std::vector<GateEntry> entries;  ///< Every gated manifest, sorted by path.
  std::vector<UngatedManifest> ungated;
  /// With a base: the changed paths among the settings every verdict depends on (the rule
  /// pack, `.provgate.yaml`, the waivers file, trusted keys). Such a change re-checks every
  /// manifest; it can also relax the policy itself, so the renderings call it out for review.
  std::vector<std::string> settings_changed;
  /// The rule pack the manifests were checked with (for SARIF and JUnit).
  std::shared_ptr<const RulePack> pack;
  FailOn fail_on = FailOn::kError;
  bool new_only = false;
  /// The worst exit code over the selected manifests and the ungated ones (0 to 3).
  int ExitCode() const;
};

/// Runs the gate: discovers the manifests, checks each once, selects those a change affects
/// and finds the manifests the base gated and the working tree does not. Never throws.
PROVGATE_API GateResult RunGate(const GateRequest& request);

/// Renderings of a gate run; only selected manifests appear. Paths are repository-relative.
PROVGATE_API void WriteGateJson(const GateResult& gate,
                                const std::function<void(std::string_view)>& sink);
PROVGATE_API std::string RenderGateSarif(const GateResult& gate, const FormatOptions& options = {});
PROVGATE_API std::string RenderGateJunit(const GateResult& gate, const FormatOptions& options = {});
PROVGATE_API std::string RenderGateGithub(const GateResult& gate,
                                          const FormatOptions& options = {});
PROVGATE_API std::string RenderGateMarkdown(const GateResult& gate,
                                            const FormatOptions& options = {});
PROVGATE_API std::string RenderGateText(const GateResult& gate, bool color = false);

/// The hidden marker that starts the Markdown summary, by which CI finds its own comment.
inline constexpr std::string_view kGateMarker = "<!-- provgate-gate -->";

}  // namespace provgate

#endif  // PROVGATE_GATE_H_
