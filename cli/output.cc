#include "output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

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

// Writes pieces to a file descriptor on a second thread, so that producing the next piece
// overlaps writing the last (for a report of hundreds of megabytes, the kernel's copy into
// the page cache costs about as much as rendering). Pieces are copied into at most kQueued
// buffers in flight. Output of a single piece is written on the calling thread.
class PieceWriter {
 public:
  explicit PieceWriter(int fd) : fd_(fd) {}
  ~PieceWriter() { Finish(); }

  void Write(std::string_view piece) {
    if (!first_) {
      // The first piece waits: when no second piece follows, no thread is needed.
      first_ = std::string(piece);
      return;
    }
    if (!thread_.joinable()) {
      thread_ = std::thread([this] { Run(); });
      Enqueue(std::move(*first_));
    }
    std::string buffer;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      has_room_.wait(lock, [&] { return queue_.size() < kQueued; });
      if (!spare_.empty()) {
        buffer = std::move(spare_.back());
        spare_.pop_back();
      }
    }
    buffer.assign(piece);
    Enqueue(std::move(buffer));
  }

  // Waits for every piece to be written; false (with errno set) when a write failed.
  bool Finish() {
    if (finished_) return ok_;
    finished_ = true;
    if (!thread_.joinable()) {
      if (first_ && !WriteAll(fd_, *first_)) Fail();
    } else {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        done_ = true;
      }
      has_work_.notify_one();
      thread_.join();
    }
    if (!ok_) errno = error_;
    return ok_;
  }

 private:
  static constexpr std::size_t kQueued = 4;

  void Enqueue(std::string buffer) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(std::move(buffer));
    }
    has_work_.notify_one();
  }

  void Run() {
    for (;;) {
      std::string buffer;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        has_work_.wait(lock, [&] { return !queue_.empty() || done_; });
        if (queue_.empty()) return;
        buffer = std::move(queue_.front());
        queue_.pop_front();
      }
      // After a failure the rest is dropped: the output is abandoned anyway.
      if (ok_ && !WriteAll(fd_, buffer)) Fail();
      if (ok_) {
        // Start writing back what is written, so that the final fsync has only the tail to
        // wait for. Pipes and terminals refuse this (ESPIPE), which is harmless.
        sync_file_range(fd_, written_, static_cast<off_t>(buffer.size()), SYNC_FILE_RANGE_WRITE);
        written_ += static_cast<off_t>(buffer.size());
      }
      {
        std::lock_guard<std::mutex> lock(mutex_);
        spare_.push_back(std::move(buffer));
      }
      has_room_.notify_one();
    }
  }

  void Fail() {
    error_ = errno;
    ok_ = false;
  }

  int fd_;
  off_t written_ = 0;
  std::optional<std::string> first_;
  bool finished_ = false;
  bool ok_ = true;  // Written by the thread; read after it is joined.
  int error_ = 0;
  std::mutex mutex_;
  std::condition_variable has_work_;
  std::condition_variable has_room_;
  std::deque<std::string> queue_;
  std::vector<std::string> spare_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

int WriteOutputStreaming(
    const std::string& path,
    const std::function<void(const std::function<void(std::string_view)>&)>& produce) {
  if (path.empty() || path == "-") {
    std::fflush(stdout);
    PieceWriter writer(STDOUT_FILENO);
    produce([&](std::string_view piece) { writer.Write(piece); });
    if (!writer.Finish()) {
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
  PieceWriter writer(fd);
  produce([&](std::string_view piece) { writer.Write(piece); });
  if (!writer.Finish()) fail();
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

std::vector<std::shared_ptr<void>>& KeptUntilExit() {
  static auto* kept = new std::vector<std::shared_ptr<void>>();
  return *kept;
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
