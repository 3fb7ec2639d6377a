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
  // Write a temporary file beside the target and rename it over the target at the end, so
  // that the target is either the previous file or the complete new one.
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
  auto fail = [&] {
    if (ok) saved = errno;
    ok = false;
  };
  produce([&](std::string_view piece) {
    if (ok && !WriteAll(fd, piece)) fail();
  });
  if (ok && fchmod(fd, 0644) != 0) fail();
  if (ok && fsync(fd) != 0) fail();
  if (close(fd) != 0) fail();
  if (ok && std::rename(temp.c_str(), path.c_str()) != 0) fail();
  if (!ok) {
    unlink(temp.c_str());
    std::fprintf(stderr, "%s: error: cannot write output: %s\n", path.c_str(),
                 std::strerror(saved));
    return 3;
  }
  return 0;
}

int WriteOutput(const std::string& path, const std::string& content) {
  return WriteOutputStreaming(
      path, [&](const std::function<void(std::string_view)>& sink) { sink(content); });
}

int ReportCheckProblems(const CheckResult& result, FailOn fail_on) {
  PrintDiagnostics(result.diagnostics);
  if (!result.status.ok()) {
    std::fprintf(stderr, "provgate: error: %s\n", result.status.message().c_str());
  }
  return result.ExitCode(fail_on);
}

bool ParseFailOn(const std::optional<std::string>& text, FailOn& out) {
  std::string value = text.value_or("error");
  if (value != "error" && value != "warning") return false;
  out = value == "warning" ? FailOn::kWarning : FailOn::kError;
  return true;
}

int LoadPackOrReport(const std::string& dir, PackLoadResult& out) {
  out = LoadRulePack(dir);
  if (out.ok()) return 0;
  CheckResult failed;
  failed.status = out.status;
  failed.diagnostics = out.diagnostics;
  return ReportCheckProblems(failed);
}

void PrintDiagnostics(const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    std::fprintf(stderr, "%s\n", FormatDiagnostic(d).c_str());
  }
}

bool StdoutIsTerminal() { return isatty(STDOUT_FILENO) != 0; }

bool UseColor() { return StdoutIsTerminal() && std::getenv("NO_COLOR") == nullptr; }

}  // namespace provgate::cli
