// A whole file in memory, followed by zeroed padding (simdjson reads up to 64 bytes past the
// end). Only regular files are loaded (a FIFO or a device is refused without blocking); they
// are memory-mapped, so a large manifest costs neither a copy nor fresh pages.
#ifndef PROVGATE_COMMON_FILE_BUFFER_H_
#define PROVGATE_COMMON_FILE_BUFFER_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace provgate::detail {

class FileBuffer {
 public:
  static constexpr std::size_t kPadding = 64;

  FileBuffer() = default;
  ~FileBuffer();
  FileBuffer(const FileBuffer&) = delete;
  FileBuffer& operator=(const FileBuffer&) = delete;

  enum class Result { kOk, kOpenFailed, kIsDirectory, kReadFailed };
  // Loads `path`; on failure `error` holds the system's message.
  Result Load(const std::string& path, std::string& error);

  // Holds a copy of `text` (with the padding); false when memory runs out.
  bool Assign(std::string_view text);

  const char* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::string_view view() const { return {data_, size_}; }
  // Tells the system that the mapped pages wholly before `position` are not needed now, so
  // they leave the process's resident memory; reading them again faults them back in from the
  // page cache. A read buffer (not a mapping) is left as it is.
  void ReleaseBefore(const char* position);

 private:
  void Release();
  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t mapped_length_ = 0;  // Non-zero when data_ is a mapping.
  std::size_t released_ = 0;       // Bytes from data_ already released.
};

}  // namespace provgate::detail

#endif  // PROVGATE_COMMON_FILE_BUFFER_H_
