#include "crypto/file_hasher.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "common/safe_file.h"
#include "crypto/sha256.h"

namespace provgate::detail {

HashResult HashFile(const std::string& root, const std::string& relative,
                    const std::string& expected_sha256) {
  HashResult result;
  OpenedFile file = OpenRegularFileBeneath(root, relative);
  if (!file.ok()) {
    switch (file.problem) {
      case OpenProblem::kMissing:
        result.status = FileStatus::kMissing;
        break;
      case OpenProblem::kEscapes:
        result.status = FileStatus::kEscapes;
        break;
      default:
        result.status = FileStatus::kUnreadable;
        break;
    }
    result.error = file.error;
    return result;
  }
  int fd = file.fd.get();
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  constexpr std::size_t kChunk = 1 << 20;
  std::unique_ptr<char[]> buffer(new char[kChunk]);
  Sha256 hasher;
  while (true) {
    ssize_t n = read(fd, buffer.get(), kChunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      result.status = FileStatus::kUnreadable;
      result.error = std::strerror(errno);
      return result;
    }
    if (n == 0) break;
    hasher.Update({buffer.get(), static_cast<std::size_t>(n)});
    result.bytes += static_cast<std::uint64_t>(n);
  }
  result.actual_sha256 = hasher.HexDigest();
  result.status = result.actual_sha256 == expected_sha256 ? FileStatus::kOk : FileStatus::kMismatch;
  return result;
}

FileHashPool::FileHashPool(int threads, Callback callback) : callback_(std::move(callback)) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

FileHashPool::~FileHashPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void FileHashPool::Submit(std::uint64_t job, std::string root, std::string relative,
                          std::string expected_sha256) {
  std::unique_lock<std::mutex> lock(mutex_);
  space_ready_.wait(lock, [&] { return queue_.size() < kMaxQueued; });
  queue_.push_back({job, std::move(root), std::move(relative), std::move(expected_sha256)});
  work_ready_.notify_one();
}

void FileHashPool::Wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  all_done_.wait(lock, [&] { return queue_.empty() && running_ == 0; });
}

void FileHashPool::Work() {
  while (true) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
      space_ready_.notify_one();
    }
    HashResult result = HashFile(job.root, job.path, job.expected);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      callback_(job.id, result);
      --running_;
      if (queue_.empty() && running_ == 0) all_done_.notify_all();
    }
  }
}

}  // namespace provgate::detail
