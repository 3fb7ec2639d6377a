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

#include "process.h"
#include "signals.h"

namespace provgate::cli {
namespace {

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
  if (RunProcess({"git", "rev-parse", "--show-toplevel"}, &top, err) != 0) {
    error = "'" + spec + "': not inside a git repository (" + Trim(err) + ")";
    return false;
  }
  top = Trim(top);
  if (file.rfind("./", 0) == 0) {
    std::string prefix;
    RunProcess({"git", "rev-parse", "--show-prefix"}, &prefix, err);
    file = Trim(prefix) + file.substr(2);
  }
  file = std::filesystem::path(file).lexically_normal().generic_string();
  std::string type;
  err.clear();
  if (RunProcess({"git", "-C", top, "cat-file", "-t", revision_ + ":" + file}, &type, err) != 0 ||
      Trim(type) != "blob") {
    error = "'" + spec + "': " + file + " is not a file at revision " + revision_ +
            (err.empty() ? "" : " (" + Trim(err) + ")");
    return false;
  }
  temp_dir_ = MakeTemporaryDirectory("provgate-git-", remove_on_signal_);
  if (temp_dir_.empty()) {
    error = "cannot create a temporary directory";
    return false;
  }
  std::string dir = std::filesystem::path(file).parent_path().generic_string();
  std::string archive = temp_dir_ + "/archive.tar";
  std::vector<std::string> git = {"git",          "-C", top,     "archive",
                                  "--format=tar", "-o", archive, revision_};
  if (!dir.empty()) {
    git.push_back("--");
    git.push_back(dir);
  }
  err.clear();
  if (RunProcess(git, nullptr, err) != 0) {
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
  if (RunProcess({"tar", "-xf", archive, "-C", tree}, nullptr, err) != 0) {
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
