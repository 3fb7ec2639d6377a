#include "common/safe_file.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

namespace provgate::detail {
namespace {

constexpr int kReadFlags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;

std::string SizeText(std::uint64_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) {
    return std::to_string(bytes >> 20) + " MiB";
  }
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

OpenedFile Failure(OpenProblem problem, std::string error) {
  OpenedFile file;
  file.problem = problem;
  file.error = std::move(error);
  return file;
}

OpenedFile FromErrno(int error) {
  return Failure(error == ENOENT ? OpenProblem::kMissing : OpenProblem::kSystem,
                 std::strerror(error));
}

// Checks what an open descriptor refers to; the descriptor blocks as usual afterwards.
OpenedFile Finish(UniqueFd fd, std::uint64_t max_bytes) {
  struct stat info {};
  if (fstat(fd.get(), &info) != 0) return FromErrno(errno);
  if (!S_ISREG(info.st_mode)) {
    return Failure(OpenProblem::kNotRegular,
                   std::string("not a regular file (") + FileKindName(info.st_mode) + ")");
  }
  std::uint64_t size = static_cast<std::uint64_t>(info.st_size);
  if (max_bytes != 0 && size > max_bytes) {
    return Failure(OpenProblem::kTooLarge,
                   "larger than " + SizeText(max_bytes) + " (" + std::to_string(size) + " bytes)");
  }
  int flags = fcntl(fd.get(), F_GETFL);
  if (flags >= 0) fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
  OpenedFile file;
  file.fd = std::move(fd);
  file.size = size;
  file.device = info.st_dev;
  file.inode = info.st_ino;
  return file;
}

std::atomic<bool> openat2_unsupported{false};

// openat2 with RESOLVE_BENEATH; -1 with errno ENOSYS where the kernel lacks it.
int OpenBeneath(int dir_fd, const std::string& relative, int flags) {
  std::atomic<bool>& unsupported = openat2_unsupported;
  if (unsupported.load(std::memory_order_relaxed)) {
    errno = ENOSYS;
    return -1;
  }
  struct open_how how {};
  how.flags = static_cast<std::uint64_t>(flags);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  for (int attempt = 0;; ++attempt) {
    long fd = syscall(SYS_openat2, dir_fd, relative.c_str(), &how, sizeof(how));
    if (fd >= 0) return static_cast<int>(fd);
    // EAGAIN: a concurrent rename or mount in the tree; the kernel asks for a retry.
    if (errno == EAGAIN && attempt < 8) continue;
    if (errno == ENOSYS) unsupported.store(true, std::memory_order_relaxed);
    return -1;
  }
}

// The fallback for old kernels: every component opened without following symlinks.
OpenedFile OpenByComponents(int root_fd, const std::string& relative, std::uint64_t max_bytes,
                            const std::string& escape_message) {
  std::filesystem::path normal = std::filesystem::path(relative).lexically_normal();
  std::vector<std::string> parts;
  for (const auto& part : normal) {
    std::string text = part.string();
    if (text.empty() || text == ".") continue;
    if (text == "..") return Failure(OpenProblem::kEscapes, escape_message);
    parts.push_back(std::move(text));
  }
  if (parts.empty()) return Failure(OpenProblem::kNotRegular, "not a regular file (a directory)");
  UniqueFd dir(fcntl(root_fd, F_DUPFD_CLOEXEC, 0));
  if (!dir.valid()) return FromErrno(errno);
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    int next = openat(dir.get(), parts[i].c_str(),
                      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (next < 0) {
      if (errno == ELOOP || errno == ENOTDIR) {
        struct stat info {};
        if (fstatat(dir.get(), parts[i].c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISLNK(info.st_mode)) {
          return Failure(OpenProblem::kEscapes,
                         escape_message + " (symlinks are not followed on this kernel)");
        }
      }
      return FromErrno(errno);
    }
    dir = UniqueFd(next);
  }
  int fd = openat(dir.get(), parts.back().c_str(), kReadFlags | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ELOOP) {
      return Failure(OpenProblem::kEscapes,
                     escape_message + " (symlinks are not followed on this kernel)");
    }
    return FromErrno(errno);
  }
  return Finish(UniqueFd(fd), max_bytes);
}

}  // namespace

void UseOpenat2ForTesting(bool enabled) { openat2_unsupported.store(!enabled); }

void UniqueFd::Reset() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

const char* FileKindName(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISLNK(mode)) return "a symlink";
  if (S_ISREG(mode)) return "a regular file";
  return "not a file";
}

OpenedFile OpenRegularFile(const std::string& path, std::uint64_t max_bytes) {
  if (path.empty()) return Failure(OpenProblem::kMissing, std::strerror(ENOENT));
  int fd = open(path.c_str(), kReadFlags);
  if (fd < 0) return FromErrno(errno);
  return Finish(UniqueFd(fd), max_bytes);
}

OpenedFile OpenRegularFileBeneath(const std::string& root, const std::string& relative,
                                  std::uint64_t max_bytes) {
  std::string escape_message =
      "leaves the directory " + (root.empty() ? std::string(".") : root) + " that confines it";
  if (relative.empty()) return Failure(OpenProblem::kMissing, std::strerror(ENOENT));
  if (relative.front() == '/') return Failure(OpenProblem::kEscapes, escape_message);
  UniqueFd root_fd(
      open(root.empty() ? "." : root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK));
  if (!root_fd.valid()) return FromErrno(errno);
  int fd = OpenBeneath(root_fd.get(), relative, kReadFlags);
  if (fd >= 0) return Finish(UniqueFd(fd), max_bytes);
  int error = errno;
  if (error == ENOSYS) return OpenByComponents(root_fd.get(), relative, max_bytes, escape_message);
  // EXDEV: a `..` or a symlink resolves outside; ELOOP: a magic link or a symlink loop.
  if (error == EXDEV) return Failure(OpenProblem::kEscapes, escape_message);
  if (error == ELOOP) {
    return Failure(OpenProblem::kEscapes, escape_message + " (a symlink loop or a /proc link)");
  }
  return FromErrno(error);
}

bool ReadAllFromFd(int fd, std::size_t max_bytes, std::string& out, std::string& error) {
  out.clear();
  char buffer[65536];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::strerror(errno);
      return false;
    }
    if (n == 0) return true;
    if (out.size() + static_cast<std::size_t>(n) > max_bytes) {
      error = "larger than " + SizeText(max_bytes);
      out.clear();
      return false;
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

bool ReadRegularFile(const std::string& path, std::size_t max_bytes, std::string& out,
                     std::string& error) {
  OpenedFile file = OpenRegularFile(path, max_bytes);
  if (!file.ok()) {
    error = file.error;
    return false;
  }
  out.reserve(static_cast<std::size_t>(file.size));
  // The size is checked again while reading: the file may grow after fstat.
  return ReadAllFromFd(file.fd.get(), max_bytes, out, error);
}

OpenedFile OpenInMemory(std::string_view bytes) {
  OpenedFile opened;
  int fd = memfd_create("provgate-text", MFD_CLOEXEC);
  if (fd < 0) {
    opened.problem = OpenProblem::kSystem;
    opened.error = std::strerror(errno);
    return opened;
  }
  opened.fd = UniqueFd(fd);
  std::size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      opened.problem = OpenProblem::kSystem;
      opened.error = std::strerror(errno);
      return opened;
    }
    written += static_cast<std::size_t>(n);
  }
  if (lseek(fd, 0, SEEK_SET) != 0) {
    opened.problem = OpenProblem::kSystem;
    opened.error = std::strerror(errno);
    return opened;
  }
  opened.size = bytes.size();
  return opened;
}

}  // namespace provgate::detail
