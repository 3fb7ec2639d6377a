#include "manifest_source.h"

#include <fcntl.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "signals.h"

namespace provgate::cli {
namespace {

// Runs `argv` (no shell) and returns its exit status; its standard output goes to `out` when
// given, its standard error is captured into `err`.
int Run(const std::vector<std::string>& argv, std::string* out, std::string& err) {
  // Everything the child needs is prepared before fork: it only duplicates descriptors and
  // calls exec.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int out_pipe[2];
  int err_pipe[2];
  if (pipe(out_pipe) != 0) return -1;
  if (pipe(err_pipe) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return -1;
  }
  int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1], null}) {
      if (fd >= 0) close(fd);
    }
    return -1;
  }
  if (pid == 0) {
    UnblockCleanupSignalsInChild();
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    close(out_pipe[0]);
    close(err_pipe[0]);
    if (null >= 0) dup2(null, STDIN_FILENO);
    execvp(args[0], args.data());
    _exit(127);
  }
  if (null >= 0) close(null);
  close(out_pipe[1]);
  close(err_pipe[1]);
  // Read both pipes until they close; outputs here are small except git archive's, which is
  // written to a file with -o.
  char buffer[4096];
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    fd_set set;
    FD_ZERO(&set);
    if (out_open) FD_SET(out_pipe[0], &set);
    if (err_open) FD_SET(err_pipe[0], &set);
    if (select(std::max(out_pipe[0], err_pipe[0]) + 1, &set, nullptr, nullptr, nullptr) < 0) {
      continue;
    }
    for (int* fd : {&out_pipe[0], &err_pipe[0]}) {
      bool& open_flag = fd == &out_pipe[0] ? out_open : err_open;
      if (!open_flag || !FD_ISSET(*fd, &set)) continue;
      ssize_t n = read(*fd, buffer, sizeof(buffer));
      if (n <= 0) {
        open_flag = false;
        continue;
      }
      if (fd == &out_pipe[0]) {
        if (out != nullptr) out->append(buffer, static_cast<std::size_t>(n));
      } else if (err.size() < 65536) {
        err.append(buffer, static_cast<std::size_t>(n));
      }
    }
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

}  // namespace

ManifestSource::~ManifestSource() {
  if (!temp_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(temp_dir_, ec);
  }
  remove_on_signal_.reset();
}

bool ManifestSource::Open(const std::string& spec, std::string& error) {
  display_ = spec;
  if (spec.rfind("git:", 0) != 0) {
    path_ = spec;
    return true;
  }
  std::size_t colon = spec.find(':', 4);
  if (colon == std::string::npos || colon == 4 || colon + 1 == spec.size()) {
    error = "'" + spec + "': expected git:REV:PATH, e.g. git:origin/main:models/m.json";
    return false;
  }
  revision_ = spec.substr(4, colon - 4);
  std::string file = spec.substr(colon + 1);
  std::string err;
  std::string top;
  if (Run({"git", "rev-parse", "--show-toplevel"}, &top, err) != 0) {
    error = "'" + spec + "': not inside a git repository (" + Trim(err) + ")";
    return false;
  }
  top = Trim(top);
  if (file.rfind("./", 0) == 0) {
    std::string prefix;
    Run({"git", "rev-parse", "--show-prefix"}, &prefix, err);
    file = Trim(prefix) + file.substr(2);
  }
  file = std::filesystem::path(file).lexically_normal().generic_string();
  std::string type;
  err.clear();
  if (Run({"git", "-C", top, "cat-file", "-t", revision_ + ":" + file}, &type, err) != 0 ||
      Trim(type) != "blob") {
    error = "'" + spec + "': " + file + " is not a file at revision " + revision_ +
            (err.empty() ? "" : " (" + Trim(err) + ")");
    return false;
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "provgate-git-XXXXXX").string();
  bool made = false;
  remove_on_signal_ = std::make_unique<RemoveOnSignal>(true, [&] {
    made = mkdtemp(pattern.data()) != nullptr;
    return made ? pattern : std::string();
  });
  if (!made) {
    error = "cannot create a temporary directory";
    return false;
  }
  temp_dir_ = pattern;
  std::string dir = std::filesystem::path(file).parent_path().generic_string();
  std::string archive = temp_dir_ + "/archive.tar";
  std::vector<std::string> git = {"git",          "-C", top,     "archive",
                                  "--format=tar", "-o", archive, revision_};
  if (!dir.empty()) {
    git.push_back("--");
    git.push_back(dir);
  }
  err.clear();
  if (Run(git, nullptr, err) != 0) {
    error = "'" + spec + "': git archive failed: " + Trim(err);
    return false;
  }
  std::string tree = temp_dir_ + "/tree";
  std::error_code ec;
  if (!std::filesystem::create_directory(tree, ec)) {
    error = "cannot create a temporary directory: " + ec.message();
    return false;
  }
  err.clear();
  if (Run({"tar", "-xf", archive, "-C", tree}, nullptr, err) != 0) {
    error = "'" + spec + "': cannot extract the revision: " + Trim(err);
    return false;
  }
  std::filesystem::remove(archive, ec);
  path_ = tree + "/" + file;
  return true;
}

std::string ManifestSource::Display(const std::string& path) const {
  std::string tree = temp_dir_ + "/tree/";
  if (!temp_dir_.empty() && path.rfind(tree, 0) == 0) {
    return revision_ + ":" + path.substr(tree.size());
  }
  return path;
}

}  // namespace provgate::cli
