#include "lineage/confine.h"

#include <filesystem>

#include "common/safe_file.h"

namespace provgate::detail {

std::string LineageRoot(const std::string& manifest_path, const std::string& configured) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!configured.empty()) {
    fs::path root = fs::weakly_canonical(configured, ec);
    return ec ? configured : root.string();
  }
  fs::path dir = fs::weakly_canonical(fs::absolute(manifest_path, ec).parent_path(), ec);
  if (ec) return "";
  for (fs::path at = dir;; at = at.parent_path()) {
    if (fs::exists(at / ".git", ec) || fs::exists(at / ".provgate.yaml", ec)) return at.string();
    if (at == at.root_path() || at.parent_path() == at) return "";
  }
}

bool LineageFileUsable(const std::string& root, const std::string& path,
                       const std::string& as_written, const char* what, UpstreamStatus& status) {
  OpenedFile file;
  if (root.empty()) {
    file = OpenRegularFile(path);
  } else {
    // Resolved first, so that a symlink out of the root is seen for what it points to.
    std::error_code ec;
    std::filesystem::path relative =
        std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec)
            .lexically_relative(root);
    if (relative.empty() || *relative.begin() == "..") {
      file.problem = OpenProblem::kEscapes;
    } else {
      file = OpenRegularFileBeneath(root, relative.string());
    }
  }
  std::string named = std::string("the ") + what + " '" + as_written + "'";
  switch (file.problem) {
    case OpenProblem::kNone:
      return true;
    case OpenProblem::kMissing:
      status.state = UpstreamStatus::State::kMissing;
      status.detail = named + " does not exist";
      return false;
    case OpenProblem::kEscapes:
      status.state = UpstreamStatus::State::kInvalid;
      status.detail = named +
                      " is outside the directory that confines lineage (the repository, or "
                      "--root); it was not read";
      return false;
    default:
      status.state = UpstreamStatus::State::kInvalid;
      status.detail = named + " cannot be read: " + file.error;
      return false;
  }
}

}  // namespace provgate::detail
