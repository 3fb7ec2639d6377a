// Reading a rule pack's directory as hostile input: every regular file beneath it, within
// bounds on entries and bytes, symlinks confined to the pack, and the digest of it all.
#include <filesystem>

#include "common/safe_file.h"
#include "crypto/sha256.h"
#include "policy/rule_pack_loader.h"

namespace provgate::detail {
namespace {

// Every file of a pack directory is read and hashed into policy.sha256, and its YAML files are
// parsed into trees of yaml-cpp nodes (some hundreds of bytes each): bounds that keep a
// pack's cost in time and memory small whatever the directory holds (docs/limits.md).
constexpr std::size_t kMaxPackEntries = 1000;  // Files and directories.
constexpr std::uint64_t kMaxPackFileBytes = std::uint64_t{4} << 20;
constexpr std::uint64_t kMaxPackBytes = std::uint64_t{32} << 20;

std::string SizeText(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

// Reads every regular file beneath `dir`. A symlink is followed when it stays in the pack
// (as scripts/pack_digest.py does) and refused when it leaves it; symlinks to directories are
// not entered, and what is not a regular file (FIFOs, devices, sockets, dangling symlinks)
// has no content and is passed over, without being opened in a way that could block.
bool ReadPackFiles(const std::string& dir, PackFiles& files, std::vector<Diagnostic>& diagnostics,
                   Status& status) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    diagnostics.push_back({Diagnostic::Severity::kError, "pack-missing",
                           "rule pack directory not found (expected a directory with pack.yaml)",
                           dir, 0, 0, "", 0});
    return false;
  }
  auto invalid = [&](const std::string& file, std::string message) {
    diagnostics.push_back(
        {Diagnostic::Severity::kError, "rule-pack", std::move(message), file, 0, 0, "", 0});
  };
  std::size_t entries = 0;
  std::uint64_t total_bytes = 0;
  bool ok = true;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (++entries > kMaxPackEntries) {
      invalid(dir, "the rule pack has more than " + std::to_string(kMaxPackEntries) +
                       " files and directories: expected at most that many");
      return false;
    }
    std::filesystem::file_status type = it->symlink_status(ec);
    if (ec) break;
    if (!std::filesystem::is_regular_file(type) && !std::filesystem::is_symlink(type)) continue;
    std::string relative = it->path().lexically_relative(dir).generic_string();
    std::string display = it->path().generic_string();
    OpenedFile file = OpenRegularFileBeneath(dir, relative, kMaxPackFileBytes);
    switch (file.problem) {
      case OpenProblem::kNone:
        break;
      case OpenProblem::kMissing:     // Dangling symlink, or removed since it was listed.
      case OpenProblem::kNotRegular:  // A symlink to a directory, a FIFO or a device.
        continue;
      case OpenProblem::kEscapes:
        invalid(display, "a symlink that leaves the rule pack directory: expected files inside it");
        ok = false;
        continue;
      case OpenProblem::kTooLarge:
        invalid(display, "a rule pack file " + file.error + ": expected at most " +
                             SizeText(kMaxPackFileBytes));
        ok = false;
        continue;
      case OpenProblem::kSystem:
        status = Status::IoError("cannot read " + display + ": " + file.error);
        return false;
    }
    std::string content;
    std::string error;
    if (!ReadAllFromFd(file.fd.get(), kMaxPackFileBytes, content, error)) {
      status = Status::IoError("cannot read " + display + ": " + error);
      return false;
    }
    total_bytes += content.size();
    if (total_bytes > kMaxPackBytes) {
      invalid(dir, "the rule pack's files take more than " + SizeText(kMaxPackBytes) +
                       ": expected at most that much");
      return false;
    }
    files[relative] = std::move(content);
  }
  if (ec) {
    status = Status::IoError("cannot list " + dir + ": " + ec.message());
    return false;
  }
  return ok;
}

std::string PackDigest(const PackFiles& files) {
  Sha256 hasher;
  for (const auto& [path, content] : files) {
    std::string header = path + '\0' + std::to_string(content.size()) + '\0';
    hasher.Update(header);
    hasher.Update(content);
  }
  return hasher.HexDigest();
}

}  // namespace provgate::detail
