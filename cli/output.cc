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

#include "signals.h"

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

namespace {

bool IsStdout(const std::string& path) { return path.empty() || path == "-"; }

const char* FileKindName(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file, a character device or a FIFO";
}

void PrintWriteError(const std::string& path, const std::string& message) {
  PrintFileError(path, "cannot write output: " + message);
}

// What an output path names, decided with lstat so that a symlink is seen as one.
struct OutputTarget {
  enum class Kind { kNew, kRegular, kDirect, kRefused };
  Kind kind = Kind::kNew;
  std::string path;  // For kNew and kRegular: the file to replace (a symlink resolved).
  mode_t mode = 0644;
  std::string problem;  // For kRefused.
};

OutputTarget ClassifyOutput(const std::string& path) {
  OutputTarget target;
  target.path = path;
  struct stat link {};
  if (lstat(path.c_str(), &link) != 0) {
    if (errno == ENOENT) return target;
    target.kind = OutputTarget::Kind::kRefused;
    target.problem = std::strerror(errno);
    return target;
  }
  struct stat info = link;
  if (S_ISLNK(link.st_mode)) {
    if (stat(path.c_str(), &info) != 0) {
      target.kind = OutputTarget::Kind::kRefused;
      target.problem = errno == ENOENT ? "it is a symlink to a file that does not exist"
                                       : std::string(std::strerror(errno));
      return target;
    }
  }
  if (S_ISREG(info.st_mode)) {
    // A regular file is replaced atomically; through a symlink, the file it points to.
    target.kind = OutputTarget::Kind::kRegular;
    target.mode = info.st_mode & 07777;
    if (S_ISLNK(link.st_mode)) {
      std::error_code ec;
      std::filesystem::path resolved = std::filesystem::canonical(path, ec);
      if (ec) {
        target.kind = OutputTarget::Kind::kRefused;
        target.problem = ec.message();
        return target;
      }
      target.path = resolved.string();
    }
    return target;
  }
  if (S_ISCHR(info.st_mode) || S_ISFIFO(info.st_mode)) {
    // /dev/null, /dev/stdout, a terminal or a pipe: written to directly, never replaced.
    target.kind = OutputTarget::Kind::kDirect;
    return target;
  }
  target.kind = OutputTarget::Kind::kRefused;
  target.problem = std::string("it is ") + FileKindName(info.st_mode);
  return target;
}

// Identifies a file by device and inode when it exists, by absolute path when it does not.
struct FileIdentity {
  bool exists = false;
  dev_t device = 0;
  ino_t inode = 0;
  std::string path;
  bool character_device = false;

  bool operator==(const FileIdentity& other) const {
    if (exists != other.exists) return false;
    return exists ? device == other.device && inode == other.inode : path == other.path;
  }
};

FileIdentity Identify(const std::string& path) {
  FileIdentity identity;
  struct stat info {};
  if (stat(path.c_str(), &info) == 0) {
    identity.exists = true;
    identity.device = info.st_dev;
    identity.inode = info.st_ino;
    identity.character_device = S_ISCHR(info.st_mode);
    return identity;
  }
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::weakly_canonical(path, ec);
  identity.path = ec ? path : absolute.string();
  return identity;
}

ExitCode WriteDirect(
    const std::string& path,
    const std::function<void(const std::function<void(std::string_view)>&)>& produce) {
  // No O_CREAT and no O_TRUNC: a device or FIFO is written to as it is.
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    PrintWriteError(path, std::strerror(errno));
    return ExitCode::kOperational;
  }
  PieceWriter writer(fd);
  produce([&](std::string_view piece) { writer.Write(piece); });
  bool ok = writer.Finish();
  int saved = errno;
  if (close(fd) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (!ok) {
    PrintWriteError(path, std::strerror(saved));
    return ExitCode::kOperational;
  }
  return ExitCode::kCompliant;
}

}  // namespace

ExitCode CheckOutputs(const std::vector<std::string>& outputs,
                      const std::vector<std::string>& inputs) {
  std::vector<FileIdentity> seen_inputs;
  for (const std::string& input : inputs) {
    if (!input.empty()) seen_inputs.push_back(Identify(input));
  }
  std::vector<std::pair<FileIdentity, const std::string*>> seen_outputs;
  for (const std::string& output : outputs) {
    if (IsStdout(output)) continue;
    OutputTarget target = ClassifyOutput(output);
    if (target.kind == OutputTarget::Kind::kRefused) {
      PrintFileError(output, "cannot write output here: " + target.problem);
      return ExitCode::kInvalid;
    }
    FileIdentity identity = Identify(output);
    for (std::size_t i = 0; i < seen_inputs.size(); ++i) {
      if (identity == seen_inputs[i] && !identity.character_device) {
        PrintFileError(output,
                       "the output is the same file as an input; it would be replaced by the "
                       "report");
        return ExitCode::kInvalid;
      }
    }
    for (const auto& [other, name] : seen_outputs) {
      if (identity == other && !identity.character_device) {
        PrintFileError(output, "the same file is named for two outputs (also as " + *name + ")");
        return ExitCode::kInvalid;
      }
    }
    seen_outputs.emplace_back(std::move(identity), &output);
  }
  return ExitCode::kCompliant;
}

void AppendFilesRead(const CheckResult& result, std::vector<std::string>& files) {
  files.push_back(result.report.manifest_path);
  if (result.report.sources_path) files.push_back(*result.report.sources_path);
  for (const LineageGraph::Node& node : result.graph.nodes) {
    if (!node.manifest.empty()) files.push_back(node.manifest);
  }
}

ExitCode WriteOutputStreaming(
    const std::string& path,
    const std::function<void(const std::function<void(std::string_view)>&)>& produce) {
  if (IsStdout(path)) {
    std::fflush(stdout);
    PieceWriter writer(STDOUT_FILENO);
    produce([&](std::string_view piece) { writer.Write(piece); });
    if (!writer.Finish()) {
      PrintError(std::string("cannot write to standard output: ") + std::strerror(errno));
      return ExitCode::kOperational;
    }
    return ExitCode::kCompliant;
  }
  OutputTarget target = ClassifyOutput(path);
  switch (target.kind) {
    case OutputTarget::Kind::kRefused:
      PrintWriteError(path, target.problem);
      return ExitCode::kOperational;
    case OutputTarget::Kind::kDirect:
      return WriteDirect(path, produce);
    case OutputTarget::Kind::kNew:
    case OutputTarget::Kind::kRegular:
      break;
  }
  // Write a temporary file beside the target and rename it over the target at the end, so
  // that the target is either the previous file or the complete new one. The temporary name
  // is short, whatever the length of the target's.
  std::filesystem::path final_path(target.path);
  std::filesystem::path dir = final_path.parent_path().empty() ? "." : final_path.parent_path();
  std::string temp = (dir / ".provgate-XXXXXX").string();
  int fd = -1;
  RemoveOnSignal cleanup(false, [&] {
    fd = mkostemp(temp.data(), O_CLOEXEC);
    return fd < 0 ? std::string() : temp;
  });
  if (fd < 0) {
    PrintWriteError(path, std::strerror(errno));
    return ExitCode::kOperational;
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
  if (ok && fchmod(fd, target.kind == OutputTarget::Kind::kRegular ? target.mode : 0644) != 0) {
    fail();
  }
  if (ok && fsync(fd) != 0) fail();
  if (close(fd) != 0) fail();
  if (ok &&
      !cleanup.CommitWith([&] { return std::rename(temp.c_str(), target.path.c_str()) == 0; })) {
    fail();
  }
  if (!ok) {
    unlink(temp.c_str());
    PrintWriteError(path, std::strerror(saved));
    return ExitCode::kOperational;
  }
  return ExitCode::kCompliant;
}

ExitCode WriteOutput(const std::string& path, const std::string& content) {
  return WriteOutputStreaming(
      path, [&](const std::function<void(std::string_view)>& sink) { sink(content); });
}

ExitCode CheckAndWrite(const std::string& manifest, const CheckOptions& options,
                       const std::string& output,
                       const std::function<std::string(const CheckResult&)>& render) {
  std::vector<std::string> inputs = {manifest};
  if (ExitCode refused = CheckOutputs({output}, inputs); refused != ExitCode::kCompliant) {
    return refused;
  }
  CheckResult result = Check(manifest, options);
  if (ExitCode code = ReportCheckProblems(result); Failed(code)) return code;
  AppendFilesRead(result, inputs);
  if (ExitCode refused = CheckOutputs({output}, inputs); refused != ExitCode::kCompliant) {
    return refused;
  }
  return WriteOutput(output, render(result));
}

std::vector<std::shared_ptr<void>>& KeptUntilExit() {
  static auto* kept = new std::vector<std::shared_ptr<void>>();
  return *kept;
}

ExitCode ReportCheckProblems(const CheckResult& result, FailOn fail_on) {
  PrintDiagnostics(result.diagnostics);
  if (!result.status.ok()) {
    PrintError(result.status.message());
  }
  return FromEngineCode(result.ExitCode(fail_on));
}

ExitCode LoadPackOrReport(const std::string& dir, PackLoadResult& out) {
  out = LoadRulePack(dir);
  if (out.ok()) return ExitCode::kCompliant;
  CheckResult failed;
  failed.status = out.status;
  failed.diagnostics = out.diagnostics;
  return ReportCheckProblems(failed);
}

void PrintError(std::string_view message) {
  std::fprintf(stderr, "provgate: error: %s\n", EscapeTerminalText(message).c_str());
}

void PrintFileError(std::string_view path, std::string_view message) {
  std::fprintf(stderr, "%s: error: %s\n", EscapeTerminalText(path).c_str(),
               EscapeTerminalText(message).c_str());
}

void PrintDiagnostics(const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    std::fprintf(stderr, "%s\n", FormatDiagnostic(d).c_str());
  }
}

bool StdoutIsTerminal() { return isatty(STDOUT_FILENO) != 0; }

bool UseColor() { return StdoutIsTerminal() && std::getenv("NO_COLOR") == nullptr; }

}  // namespace provgate::cli
