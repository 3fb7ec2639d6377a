// Hashing files on disk against expected SHA-256 digests, on a pool of threads.
#ifndef PROVGATE_CRYPTO_FILE_HASHER_H_
#define PROVGATE_CRYPTO_FILE_HASHER_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace provgate::detail {

// kEscapes: the path leaves the directory that confines it (by `..` or a symlink); nothing
// outside is opened, so no digest of it is ever reported.
enum class FileStatus { kOk, kMissing, kMismatch, kUnreadable, kEscapes };

struct HashResult {
  FileStatus status = FileStatus::kOk;
  std::string actual_sha256;  // When the file could be read.
  std::uint64_t bytes = 0;
  std::string error;  // System message for kMissing / kUnreadable.
};

// Streams `relative`, opened beneath the directory `root` (common/safe_file.h: no symlink out
// of it, regular files only, never blocking), through SHA-256 in 1 MiB reads and compares
// the digest with `expected_sha256`.
HashResult HashFile(const std::string& root, const std::string& relative,
                    const std::string& expected_sha256);

// A fixed pool of threads hashing queued files. Submit() blocks while too many jobs wait, so
// memory stays bounded however many files a manifest lists. Results come back through the
// callback, called on a worker thread under the pool's lock (callbacks need no locking of
// their own, and must be quick).
class FileHashPool {
 public:
  using Callback = std::function<void(std::uint64_t job, const HashResult& result)>;
  FileHashPool(int threads, Callback callback);
  ~FileHashPool();
  FileHashPool(const FileHashPool&) = delete;
  FileHashPool& operator=(const FileHashPool&) = delete;

  // Hashes `relative` beneath `root`, as HashFile does.
  void Submit(std::uint64_t job, std::string root, std::string relative,
              std::string expected_sha256);
  // Waits until every submitted job is done.
  void Wait();

 private:
  struct Job {
    std::uint64_t id;
    std::string root;
    std::string path;
    std::string expected;
  };
  void Work();

  Callback callback_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable space_ready_;
  std::condition_variable all_done_;
  std::deque<Job> queue_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
  static constexpr std::size_t kMaxQueued = 4096;
};

}  // namespace provgate::detail

#endif  // PROVGATE_CRYPTO_FILE_HASHER_H_
