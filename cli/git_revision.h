// A revision of a git repository beside its working tree, for `gate --base`: the paths that
// differ between them, and the revision's tree extracted into a temporary directory.
#ifndef PROVGATE_CLI_GIT_REVISION_H_
#define PROVGATE_CLI_GIT_REVISION_H_

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "exit_code.h"
#include "signals.h"

namespace provgate::cli {

// The files of the working tree whose root is `repo` as git sees them: tracked, and new files
// that are not ignored, relative to the root. Returns nothing when `repo` is not the root of a
// git working tree (or git is not installed).
std::optional<std::vector<std::string>> WorkingTreeFiles(const std::string& repo);

class GitRevision {
 public:
  GitRevision() = default;
  GitRevision(const GitRevision&) = delete;
  GitRevision& operator=(const GitRevision&) = delete;
  ~GitRevision();

  // Opens `revision` of the repository whose root (the top of its working tree) is `repo`.
  // Returns kCompliant, kInvalid when `repo` is not the root of a git repository or
  // `revision` names no commit, or kOperational when git fails; `error` says why.
  ExitCode Open(const std::string& repo, const std::string& revision, std::string& error);

  // Every path, relative to the root, that differs between the revision and the working
  // tree: added, modified, deleted, a mode or a symbolic link changed (renames count as a
  // deletion and an addition), and files that are new and not ignored.
  const std::set<std::string>& changed() const { return changed_; }
  // The directory the revision's tree was extracted into.
  std::string tree() const { return temp_dir_.empty() ? std::string() : temp_dir_ + "/tree"; }

 private:
  std::set<std::string> changed_;
  std::string temp_dir_;
  std::unique_ptr<RemoveOnSignal> remove_on_signal_;
};

}  // namespace provgate::cli

#endif  // PROVGATE_CLI_GIT_REVISION_H_
