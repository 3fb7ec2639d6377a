// Opening and reading the files that a pull request may control: never blocking on a FIFO or
// a device, never following a symlink out of the directory that confines a path, and never
// reading more than a bound.
#ifndef PROVGATE_COMMON_SAFE_FILE_H_
#define PROVGATE_COMMON_SAFE_FILE_H_

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace provgate::detail {

// An owned file descriptor, closed when it goes.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = other.Release();
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void Reset();

 private:
  int fd_ = -1;
};

// Why a file could not be opened for reading.
enum class OpenProblem {
  kNone,
  kMissing,     // No such file (ENOENT, or a dangling symlink).
  kNotRegular,  // A directory, FIFO, socket or device.
  kEscapes,     // The path leaves the directory that confines it (.., absolute, symlink).
  kTooLarge,    // Larger than the caller's bound.
  kSystem,      // Any other failure of the system (permissions, I/O).
};

struct OpenedFile {
  UniqueFd fd;
  std::uint64_t size = 0;
  dev_t device = 0;
  ino_t inode = 0;
  OpenProblem problem = OpenProblem::kNone;
  // What went wrong, for a message: "not a regular file (a FIFO)", "No such file or
  // directory", "leaves the directory ...". Empty when the file is open.
  std::string error;

  bool ok() const { return problem == OpenProblem::kNone; }
};

// Opens `path` for reading. Symlinks are followed (the caller named the path). The open never
// blocks: it is made with O_NONBLOCK, and anything but a regular file is refused after fstat
// (the descriptor returned blocks as usual). `max_bytes` (0: no bound) refuses larger files.
OpenedFile OpenRegularFile(const std::string& path, std::uint64_t max_bytes = 0);

// Opens `relative` for reading beneath the directory `root` (empty: the current directory),
// which confines it: an absolute path, a `..` that leaves `root`, or a symlink that resolves
// outside it is refused as kEscapes, and nothing outside is ever opened. Symlinks that stay
// beneath `root` are followed. On kernels without openat2 (before Linux 5.6) every component
// is opened with O_NOFOLLOW instead, so that any symlink is refused. Otherwise as
// OpenRegularFile.
OpenedFile OpenRegularFileBeneath(const std::string& root, const std::string& relative,
                                  std::uint64_t max_bytes = 0);

// An anonymous file in memory (memfd) holding `bytes`, open for reading from its start: text
// given in memory, for code that reads a descriptor.
OpenedFile OpenInMemory(std::string_view bytes);

// Tests only: with false, OpenRegularFileBeneath takes the path of kernels without openat2.
void UseOpenat2ForTesting(bool enabled);

// Reads a regular file of at most `max_bytes` whole into `out`. On failure returns false with
// `error` set to what went wrong ("not a regular file (a FIFO)"); callers name the path.
bool ReadRegularFile(const std::string& path, std::size_t max_bytes, std::string& out,
                     std::string& error);

// Reads everything from `fd` (at most `max_bytes`, else false with `error` set).
bool ReadAllFromFd(int fd, std::size_t max_bytes, std::string& out, std::string& error);

// The kind of a file's mode, for messages: "a directory", "a FIFO", "a socket", ...
const char* FileKindName(mode_t mode);

}  // namespace provgate::detail

#endif  // PROVGATE_COMMON_SAFE_FILE_H_
