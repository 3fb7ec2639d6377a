// A manifest named on the command line: a file, or `git:REV:PATH`, a version from git history.
#ifndef PROVGATE_CLI_MANIFEST_SOURCE_H_
#define PROVGATE_CLI_MANIFEST_SOURCE_H_

#include <memory>
#include <string>

#include "signals.h"

namespace provgate::cli {

class ManifestSource {
 public:
  ManifestSource() = default;
  ManifestSource(const ManifestSource&) = delete;
  ManifestSource& operator=(const ManifestSource&) = delete;
  ~ManifestSource();

  // Resolves `spec`. A file is used as it is. For `git:REV:PATH` (PATH relative to the
  // repository root, or to the current directory when it starts with ./), the directory
  // holding PATH is extracted at REV with `git archive` into a temporary directory, so that
  // the side file and upstream manifests it names are read at the same revision. Returns
  // false with `error` set when git fails or PATH is not in REV.
  bool Open(const std::string& spec, std::string& error);

  // The file to check.
  const std::string& path() const { return path_; }
  // For `git:REV:PATH`, the directory the revision was extracted into, which confines the
  // lineage files the manifest names (CheckOptions::root); empty for a file.
  std::string root() const { return temp_dir_.empty() ? std::string() : temp_dir_ + "/tree"; }
  // How to name it to the user: the spec as given.
  const std::string& display() const { return display_; }
  // Rewrites a path under the temporary directory as REV:PATH; other paths are unchanged.
  std::string Display(const std::string& path) const;

 private:
  std::string path_;
  std::string display_;
  std::string temp_dir_;
  std::string revision_;
  std::unique_ptr<RemoveOnSignal> remove_on_signal_;  // The temporary directory.
};

}  // namespace provgate::cli

#endif  // PROVGATE_CLI_MANIFEST_SOURCE_H_
