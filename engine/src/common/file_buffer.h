// A whole file in memory, followed by zeroed padding (simdjson reads up to 64 bytes past the
// end). Regular files are memory-mapped, so a large manifest costs neither a copy nor fresh
// pages; other files (pipes, /dev/stdin) are read.
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

  const char* data() const { return data_; }
  std::size_t size() const { return size_; }
  std::string_view view() const { return {data_, size_}; }

 private:
  void Release();
  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t mapped_length_ = 0;  // Non-zero when data_ is a mapping.
};

}  // namespace provgate::detail

#endif  // PROVGATE_COMMON_FILE_BUFFER_H_
