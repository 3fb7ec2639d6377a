// CheckSession: a check of sources that arrive one by one, for a pipeline that discovers its
// sources as it loads them.
#ifndef PROVGATE_SESSION_H_
#define PROVGATE_SESSION_H_

#include <memory>
#include <string>
#include <vector>

#include "provgate/check.h"
#include "provgate/export.h"

namespace provgate {

/// Opened with the model (a ManifestHeader: the model, its release, stages and lineage), fed
/// sources with Add, finished with Finish. The report is the report Check gives for the typed
/// manifest of that header and those sources in the order they were added, byte for byte
/// (ManifestInput::Typed with the same name and base directory).
///
/// Each source is validated as a manifest's source is (schema, dates, digests, cross-field
/// rules) and judged as it is added; only the findings and tallies are kept, not the sources.
/// The exception is a profile that reads every source twice (the pack declares which): the
/// session keeps a copy of each source and judges them all in Finish.
///
/// Invalid input (the header, a source, the profile, a parameter) is collected as diagnostics;
/// pointers name the source by its position (`/sources/7/license`). Once there is an error,
/// further sources are still validated but no longer judged, and Finish returns the
/// diagnostics. Never throws; one session is used from one thread at a time. The pack must
/// outlive the session.
class PROVGATE_API CheckSession {
 public:
  /// `name` and `base_dir` play the part of a manifest file's path: relative paths (files[]
  /// entries, lineage manifests) resolve beneath `base_dir`, and the report names `name`.
  CheckSession(const RulePack& pack, CheckOptions options, ManifestHeader header,
               std::string name = "manifest.json", std::string base_dir = ".");
  ~CheckSession();
  CheckSession(const CheckSession&) = delete;
  CheckSession& operator=(const CheckSession&) = delete;

  /// Adds one source; its position is the number of sources added before it.
  void Add(const Source& source);
  /// Adds `count` sources in order, validated and judged as one batch.
  void Add(const Source* sources, std::size_t count);
  void Add(const std::vector<Source>& sources) { Add(sources.data(), sources.size()); }

  /// No error so far.
  [[nodiscard]] bool ok() const;
  /// The diagnostics so far.
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const;
  /// Sources added so far.
  [[nodiscard]] std::uint64_t size() const;

  /// Completes the check. Call once; the session accepts nothing after it.
  [[nodiscard]] CheckResult Finish();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace provgate

#endif  // PROVGATE_SESSION_H_
