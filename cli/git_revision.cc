// A revision of a git repository beside its working tree (git_revision.h).
#include "git_revision.h"

#include <stdlib.h>

#include <filesystem>
#include <vector>

#include "process.h"

namespace provgate::cli {
namespace {

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

// Adds the NUL-separated paths of `listing` to `out`.
void AddPaths(const std::string& listing, std::set<std::string>& out) {
  std::size_t start = 0;
  while (start < listing.size()) {
    std::size_t end = listing.find('\0', start);
    if (end == std::string::npos) end = listing.size();
    if (end > start) out.insert(listing.substr(start, end - start));
    start = end + 1;
  }
}

// True when `repo` is the top of a git working tree.
bool IsRoot(const std::string& repo, std::string& top, std::string& err) {
  namespace fs = std::filesystem;
  if (RunProcess({"git", "-C", repo, "rev-parse", "--show-toplevel"}, &top, err) != 0) return false;
  top = Trim(top);
  std::error_code ec;
  return fs::weakly_canonical(top, ec) == fs::weakly_canonical(repo, ec);
}

}  // namespace

std::optional<std::vector<std::string>> WorkingTreeFiles(const std::string& repo) {
  std::string top, out, err;
  if (!IsRoot(repo, top, err)) return std::nullopt;
  if (RunProcess(
          {"git", "-C", repo, "ls-files", "-z", "--cached", "--others", "--exclude-standard"}, &out,
          err) != 0) {
    return std::nullopt;
  }
  std::set<std::string> files;
  AddPaths(out, files);
  return std::vector<std::string>(files.begin(), files.end());
}

GitRevision::~GitRevision() {
  if (!temp_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(temp_dir_, ec);
  }
  remove_on_signal_.reset();
}

ExitCode GitRevision::Open(const std::string& repo, const std::string& revision,
                           std::string& error) {
  namespace fs = std::filesystem;
  std::string out, err;
  if (!IsRoot(repo, out, err)) {
    error = out.empty() ? repo + " is not inside a git repository" +
                              (err.empty() ? "" : " (" + Trim(err) + ")")
                        : repo + " is not the root of its git repository (" + out +
                              "); run the gate from the root or give it with --repo";
    return ExitCode::kInvalid;
  }
  std::error_code ec;
  if (revision.empty() || revision.front() == '-') {
    error = "'" + revision + "' is not a revision";
    return ExitCode::kInvalid;
  }
  out.clear();
  err.clear();
  if (RunProcess({"git", "-C", repo, "rev-parse", "--verify", "--quiet", revision + "^{commit}"},
                 &out, err) != 0) {
    error = "'" + revision +
            "' names no commit of the repository (fetch it first: a shallow "
            "clone lacks the base revision)";
    return ExitCode::kInvalid;
  }
  const std::string commit = Trim(out);
  out.clear();
  err.clear();
  // The working tree against the revision, tracked files: renames as a deletion and an
  // addition, so that both paths count.
  if (RunProcess({"git", "-C", repo, "-c", "core.quotePath=false", "diff", "--name-only", "-z",
                  "--no-renames", "--no-ext-diff", "--no-textconv", commit, "--"},
                 &out, err) != 0) {
    error = "git diff failed: " + Trim(err);
    return ExitCode::kOperational;
  }
  AddPaths(out, changed_);
  out.clear();
  err.clear();
  if (RunProcess({"git", "-C", repo, "ls-files", "-z", "--others", "--exclude-standard"}, &out,
                 err) != 0) {
    error = "git ls-files failed: " + Trim(err);
    return ExitCode::kOperational;
  }
  AddPaths(out, changed_);
  temp_dir_ = MakeTemporaryDirectory("provgate-gate-", remove_on_signal_);
  if (temp_dir_.empty()) {
    error = "cannot create a temporary directory";
    return ExitCode::kOperational;
  }
  if (!fs::create_directory(tree(), ec)) {
    error = "cannot create a temporary directory: " + ec.message();
    return ExitCode::kOperational;
  }
  // The revision's tree is written with git's own checkout, through an index of its own:
  // the repository's index and working tree are untouched. `git archive` would honour the
  // revision's export-ignore and export-subst attributes, with which an earlier change could
  // hide a manifest from the base (and so its removal from the gate). Git LFS's filter is
  // configured off for these commands, so that nothing is fetched.
  auto git = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {"env",
                                     "GIT_INDEX_FILE=" + temp_dir_ + "/index",
                                     "git",
                                     "-C",
                                     repo,
                                     "-c",
                                     "filter.lfs.smudge=",
                                     "-c",
                                     "filter.lfs.process=",
                                     "-c",
                                     "filter.lfs.required=false"};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv, nullptr, err) == 0;
  };
  err.clear();
  if (!git({"read-tree", commit}) || !git({"--work-tree=" + fs::absolute(tree(), ec).string(),
                                           "checkout-index", "--all", "--force"})) {
    error = "cannot write out the tree of " + revision + ": " + Trim(err);
    return ExitCode::kOperational;
  }
  return ExitCode::kCompliant;
}

}  // namespace provgate::cli
