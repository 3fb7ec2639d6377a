// Finding a repository's manifests: glob patterns matched against repository-relative paths,
// and the walk of the tree that never enters `.git` or follows a directory symlink.
#include <algorithm>
#include <filesystem>
#include <string_view>
#include <vector>

#include "provgate/gate.h"

namespace provgate {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

// One path component against one pattern component: `*` any run of characters, `?` one
// character (bytes: names are compared as bytes). Linear with one point of backtracking.
bool MatchComponent(std::string_view pattern, std::string_view name) {
  std::size_t p = 0, n = 0;
  std::size_t star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == name[n])) {
      ++p;
      ++n;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view path) {
  std::vector<std::string_view> pat = Split(pattern);
  std::vector<std::string_view> parts = Split(path);
  // can[i][j]: pattern components from i match path components from j. Filled from the end,
  // so that `**` costs one table cell per position however many there are.
  const std::size_t P = pat.size(), S = parts.size();
  std::vector<std::vector<char>> can(P + 1, std::vector<char>(S + 1, 0));
  can[P][S] = 1;
  for (std::size_t i = P; i-- > 0;) {
    for (std::size_t j = S + 1; j-- > 0;) {
      if (pat[i] == "**") {
        can[i][j] = can[i + 1][j] || (j < S && can[i][j + 1]);
      } else {
        can[i][j] = j < S && MatchComponent(pat[i], parts[j]) && can[i + 1][j + 1];
      }
    }
  }
  return can[0][0] != 0;
}

DiscoverResult DiscoverManifests(const std::string& root, const GateConfig& config,
                                 std::size_t max_files) {
  namespace fs = std::filesystem;
  DiscoverResult result;
  const fs::path base = root.empty() ? fs::path(".") : fs::path(root);
  std::error_code ec;
  fs::recursive_directory_iterator it(base, fs::directory_options::none, ec);
  std::size_t seen = 0;
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    if (++seen > max_files) {
      result.status = Status::IoError("the repository holds more than " +
                                      std::to_string(max_files) + " files and directories");
      return result;
    }
    std::error_code type_ec;
    fs::file_status status = entry.symlink_status(type_ec);
    if (entry.path().filename() == ".git") {
      if (fs::is_directory(status)) it.disable_recursion_pending();
      continue;
    }
    if (fs::is_directory(status)) continue;
    if (!fs::is_regular_file(status) && !fs::is_symlink(status)) continue;
    std::string relative = entry.path().lexically_relative(base).generic_string();
    for (const std::string& pattern : config.manifests) {
      if (GlobMatch(pattern, relative)) {
        result.manifests.push_back(relative);
        break;
      }
    }
  }
  if (ec) {
    result.status =
        Status::IoError("cannot list the repository " + base.string() + ": " + ec.message());
    return result;
  }
  std::sort(result.manifests.begin(), result.manifests.end());
  return result;
}

DiscoverResult MatchManifests(const std::string& root, const std::vector<std::string>& files,
                              const GateConfig& config) {
  namespace fs = std::filesystem;
  DiscoverResult result;
  const fs::path base = root.empty() ? fs::path(".") : fs::path(root);
  for (const std::string& file : files) {
    bool matched = std::any_of(config.manifests.begin(), config.manifests.end(),
                               [&](const std::string& p) { return GlobMatch(p, file); });
    if (!matched) continue;
    std::error_code ec;
    fs::file_status status = fs::symlink_status(base / file, ec);
    if (ec || fs::is_directory(status) || !fs::exists(status)) continue;
    result.manifests.push_back(file);
  }
  std::sort(result.manifests.begin(), result.manifests.end());
  result.manifests.erase(std::unique(result.manifests.begin(), result.manifests.end()),
                         result.manifests.end());
  return result;
}

}  // namespace provgate
