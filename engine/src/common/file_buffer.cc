#include "common/file_buffer.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

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
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = std::strerror(errno);
    return Result::kOpenFailed;
  }
  struct stat info {};
  if (fstat(fd, &info) != 0) {
    error = std::strerror(errno);
    close(fd);
    return Result::kReadFailed;
  }
  if (S_ISDIR(info.st_mode)) {
    close(fd);
    return Result::kIsDirectory;
  }
  if (S_ISREG(info.st_mode) && info.st_size > 0) {
    // Reserve the file's length plus padding as zeroed anonymous memory, then map the file
    // over its start: the padding stays readable even when the file ends on a page boundary.
    std::size_t size = static_cast<std::size_t>(info.st_size);
    std::size_t length = size + kPadding;
    void* region = mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region != MAP_FAILED) {
      void* mapped = mmap(region, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
      if (mapped != MAP_FAILED) {
        madvise(mapped, size, MADV_SEQUENTIAL);
        close(fd);
        data_ = static_cast<char*>(region);
        size_ = size;
        mapped_length_ = length;
        return Result::kOk;
      }
      munmap(region, length);
    }
  }
  // Not mappable: read it.
  std::size_t capacity = 1 << 16;
  char* buffer = static_cast<char*>(std::malloc(capacity + kPadding));
  std::size_t size = 0;
  while (buffer != nullptr) {
    if (size == capacity) {
      capacity *= 2;
      char* grown = static_cast<char*>(std::realloc(buffer, capacity + kPadding));
      if (grown == nullptr) break;
      buffer = grown;
    }
    ssize_t n = read(fd, buffer + size, capacity - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = std::strerror(errno);
      std::free(buffer);
      close(fd);
      return Result::kReadFailed;
    }
    if (n == 0) {
      close(fd);
      std::memset(buffer + size, 0, kPadding);
      data_ = buffer;
      size_ = size;
      return Result::kOk;
    }
    size += static_cast<std::size_t>(n);
  }
  std::free(buffer);
  close(fd);
  error = "out of memory";
  return Result::kReadFailed;
}

}  // namespace provgate::detail
