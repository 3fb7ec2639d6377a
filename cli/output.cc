#include "output.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace provgate::cli {

namespace {

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

int WriteOutputStreaming(
    const std::string& path,
    const std::function<void(const std::function<void(std::string_view)>&)>& produce) {
  if (path.empty() || path == "-") {
    std::fflush(stdout);
    bool ok = true;
    produce([&](std::string_view piece) { ok = ok && WriteAll(STDOUT_FILENO, piece); });
    if (!ok) {
      std::fprintf(stderr, "provgate: error: cannot write to standard output: %s\n",
                   std::strerror(errno));
      return 3;
    }
    return 0;
  }
  std::filesystem::path target(path);
  std::filesystem::path dir = target.parent_path().empty() ? "." : target.parent_path();
  std::string temp = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  int fd = mkstemp(temp.data());
  if (fd < 0) {
    std::fprintf(stderr, "%s: error: cannot write output: %s\n", path.c_str(),
                 std::strerror(errno));
    return 3;
  }
  bool ok = true;
  int saved = 0;
  produce([&](std::string_view piece) {
    if (ok && !WriteAll(fd, piece)) {
      ok = false;
      saved = errno;
    }
  });
  fchmod(fd, 0644);
  if (!ok || fsync(fd) != 0 || close(fd) != 0 || std::rename(temp.c_str(), path.c_str()) != 0) {
    if (saved == 0) saved = errno;
    if (ok) close(fd);
    unlink(temp.c_str());
    std::fprintf(stderr, "%s: error: cannot write output: %s\n", path.c_str(),
                 std::strerror(saved));
    return 3;
  }
  return 0;
}

int WriteOutput(const std::string& path, const std::string& content) {
  if (path.empty() || path == "-") {
    std::fwrite(content.data(), 1, content.size(), stdout);
    std::fflush(stdout);
    return 0;
  }
  std::filesystem::path target(path);
  std::filesystem::path dir = target.parent_path().empty() ? "." : target.parent_path();
  std::string temp = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  int fd = mkstemp(temp.data());
  if (fd < 0) {
    std::fprintf(stderr, "%s: error: cannot write output: %s\n", path.c_str(),
                 std::strerror(errno));
    return 3;
  }
  std::size_t written = 0;
  while (written < content.size()) {
    ssize_t n = write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      int saved = errno;
      close(fd);
      unlink(temp.c_str());
      std::fprintf(stderr, "%s: error: cannot write output: %s\n", path.c_str(),
                   std::strerror(saved));
      return 3;
    }
    written += static_cast<std::size_t>(n);
  }
  fchmod(fd, 0644);
  if (fsync(fd) != 0 || close(fd) != 0 || std::rename(temp.c_str(), path.c_str()) != 0) {
    int saved = errno;
    unlink(temp.c_str());
    std::fprintf(stderr, "%s: error: cannot write output: %s\n", path.c_str(),
                 std::strerror(saved));
    return 3;
  }
  return 0;
}

void PrintDiagnostics(const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    std::fprintf(stderr, "%s\n", FormatDiagnostic(d).c_str());
  }
}

bool StdoutIsTerminal() { return isatty(STDOUT_FILENO) != 0; }

bool UseColor() { return StdoutIsTerminal() && std::getenv("NO_COLOR") == nullptr; }

}  // namespace provgate::cli
