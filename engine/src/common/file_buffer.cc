#include "common/file_buffer.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/safe_file.h"

namespace provgate::detail {

FileBuffer::~FileBuffer() { Release(); }

void FileBuffer::Release() {
  if (mapped_length_ != 0) {
    munmap(data_, mapped_length_);
  } else {
    std::free(data_);
  }
  data_ = nullptr;
  size_ = 0;
  mapped_length_ = 0;
}

void FileBuffer::ReleaseBefore(const char* position) {
  if (mapped_length_ == 0 || position <= data_) return;
  static const std::size_t kPage = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  std::size_t end = std::min<std::size_t>(static_cast<std::size_t>(position - data_), size_);
  end -= end % kPage;
  if (end <= released_) return;
  madvise(data_ + released_, end - released_, MADV_DONTNEED);
  released_ = end;
}

FileBuffer::Result FileBuffer::Load(const std::string& path, std::string& error) {
  Release();
  // Never blocks on a FIFO or a device, and never reads one: a manifest is a regular file.
  OpenedFile file = OpenRegularFile(path);
  if (!file.ok()) {
    error = file.error;
    if (file.problem == OpenProblem::kNotRegular) {
      struct stat info {};
      if (stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) return Result::kIsDirectory;
    }
    return Result::kOpenFailed;
  }
  int fd = file.fd.get();
  std::size_t size = static_cast<std::size_t>(file.size);
  if (size > 0) {
    // Reserve the file's length plus padding as zeroed anonymous memory, then map the file
    // over its start: the padding stays readable even when the file ends on a page boundary.
    std::size_t length = size + kPadding;
    void* region = mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region != MAP_FAILED) {
      void* mapped = mmap(region, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
      if (mapped != MAP_FAILED) {
        madvise(mapped, size, MADV_SEQUENTIAL);
        data_ = static_cast<char*>(region);
        size_ = size;
        mapped_length_ = length;
        return Result::kOk;
      }
      munmap(region, length);
    }
  }
  // Empty, or not mappable (some file systems): read it, at most the size fstat gave plus a
  // little, so that a file growing while it is read cannot grow memory without bound.
  std::string text;
  if (!ReadAllFromFd(fd, size + (1 << 20), text, error)) return Result::kReadFailed;
  if (!Assign(text)) {
    error = "out of memory";
    return Result::kReadFailed;
  }
  return Result::kOk;
}

bool FileBuffer::Assign(std::string_view text) {
  Release();
  char* buffer = static_cast<char*>(std::malloc(text.size() + kPadding));
  if (buffer == nullptr) return false;
  std::memcpy(buffer, text.data(), text.size());
  std::memset(buffer + text.size(), 0, kPadding);
  data_ = buffer;
  size_ = text.size();
  return true;
}

}  // namespace provgate::detail
