// Key and envelope files as a pull request may leave them: FIFOs that never get a writer,
// directories, oversized files, and symlinks where keygen is about to write.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <string>

#include "../test_files.h"
#include "provgate/attest.h"

namespace provgate {
namespace {

using Outcome = VerifyResult::Outcome;

// Runs `work` on a thread and expects it to finish although `fifo` never gets a writer. Code
// that waits on the FIFO is released after a few seconds (the test opens and closes the
// writing end, so that the reader sees the end of the file) and the test fails.
template <typename Work>
auto FinishesWithoutWaitingOn(const std::string& fifo, Work work) {
  auto future = std::async(std::launch::async, work);
  if (future.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    ADD_FAILURE() << "blocked on the FIFO " << fifo;
    while (future.wait_for(std::chrono::milliseconds(50)) != std::future_status::ready) {
      int fd = open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
      if (fd >= 0) close(fd);
    }
  }
  return future.get();
}

class AttestFilesTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(GenerateKeyFiles(dir_.path() + "/k", KeyType::kEd25519).status.ok());
    fifo_ = dir_.path() + "/fifo";
    ASSERT_EQ(mkfifo(fifo_.c_str(), 0600), 0);
  }
  std::string Pub() const { return dir_.path() + "/k.pub"; }
  std::string Key() const { return dir_.path() + "/k.key"; }

  testing_support::ScratchDir dir_;
  std::string fifo_;
};

TEST_F(AttestFilesTest, AnEnvelopeOnAFifoIsRefusedWithoutWaiting) {
  VerifyOptions options;
  options.key_paths = {Pub()};
  VerifyResult result =
      FinishesWithoutWaitingOn(fifo_, [&] { return VerifyEnvelopeFile(fifo_, options); });
  EXPECT_EQ(result.outcome, Outcome::kInvalidInput);
  EXPECT_NE(result.cause.find("not a regular file (a FIFO)"), std::string::npos) << result.cause;
  CountersignResult countersigned =
      FinishesWithoutWaitingOn(fifo_, [&] { return CountersignFile(fifo_, Key(), options); });
  EXPECT_EQ(countersigned.ExitCode(), 2);
  // The manifest that --manifest names is read the same way.
  options.manifest_path = fifo_;
  VerifyResult manifest = FinishesWithoutWaitingOn(
      fifo_, [&] { return VerifyEnvelopeFile(dir_.Write("e.json", "{}"), options); });
  EXPECT_NE(manifest.outcome, Outcome::kVerified);
}

TEST_F(AttestFilesTest, KeysOnAFifoAreRefusedWithoutWaiting) {
  VerifyOptions options;
  options.key_paths = {fifo_};
  VerifyResult result =
      FinishesWithoutWaitingOn(fifo_, [&] { return VerifyEnvelope("{}", options); });
  EXPECT_EQ(result.outcome, Outcome::kOperational);
  EXPECT_NE(result.cause.find("not a key file: not a regular file (a FIFO)"), std::string::npos)
      << result.cause;
  Status status = FinishesWithoutWaitingOn(fifo_, [&] { return CheckPrivateKeyFile(fifo_); });
  EXPECT_EQ(status.code(), Status::Code::kIoError);
  SignResult signed_report =
      FinishesWithoutWaitingOn(fifo_, [&] { return SignStatement("{}", fifo_); });
  EXPECT_EQ(signed_report.status.code(), Status::Code::kIoError);
}

TEST_F(AttestFilesTest, OtherFilesThatAreNotEnvelopesOrKeys) {
  VerifyOptions options;
  options.key_paths = {Pub()};
  EXPECT_EQ(VerifyEnvelopeFile(dir_.path(), options).outcome, Outcome::kInvalidInput);
  EXPECT_EQ(VerifyEnvelopeFile(dir_.path() + "/absent", options).outcome, Outcome::kInvalidInput);
  std::string big = dir_.Write("big.key", std::string(64 * 1024 + 1, 'k'));
  ASSERT_EQ(chmod(big.c_str(), 0600), 0);
  Status status = CheckPrivateKeyFile(big);
  EXPECT_EQ(status.code(), Status::Code::kIoError);
  EXPECT_NE(status.message().find("not a key file"), std::string::npos) << status.message();
  options.key_paths = {dir_.path()};
  EXPECT_EQ(VerifyEnvelope("{}", options).outcome, Outcome::kOperational);
}

// keygen onto a dangling symlink is "a file exists" (2), as docs/cli.md says, and never creates
// the file the symlink points to.
TEST_F(AttestFilesTest, KeygenNeverWritesThroughASymlink) {
  namespace fs = std::filesystem;
  std::string target = dir_.path() + "/elsewhere.key";
  ASSERT_EQ(symlink(target.c_str(), (dir_.path() + "/dangling.key").c_str()), 0);
  KeygenResult result = GenerateKeyFiles(dir_.path() + "/dangling", KeyType::kEcdsaP256);
  EXPECT_EQ(result.status.code(), Status::Code::kInvalidArgument) << result.status.message();
  EXPECT_NE(result.status.message().find("exists"), std::string::npos);
  EXPECT_FALSE(fs::exists(target));
  EXPECT_FALSE(fs::exists(dir_.path() + "/dangling.pub"));

  // The public key's path: nothing is left behind, the private key included.
  ASSERT_EQ(symlink(target.c_str(), (dir_.path() + "/half.pub").c_str()), 0);
  result = GenerateKeyFiles(dir_.path() + "/half", KeyType::kEd25519);
  EXPECT_EQ(result.status.code(), Status::Code::kInvalidArgument) << result.status.message();
  EXPECT_FALSE(fs::exists(target));
  EXPECT_FALSE(fs::exists(fs::symlink_status(dir_.path() + "/half.key")));

  // A symlink to an existing file: the file is left as it was.
  std::string existing = dir_.Write("existing.txt", "keep");
  ASSERT_EQ(symlink(existing.c_str(), (dir_.path() + "/linked.key").c_str()), 0);
  result = GenerateKeyFiles(dir_.path() + "/linked", KeyType::kEd25519);
  EXPECT_EQ(result.status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(fs::file_size(existing), 4u);

  // A directory that does not exist cannot be written: an operational failure.
  result = GenerateKeyFiles(dir_.path() + "/no/such/dir/k", KeyType::kEd25519);
  EXPECT_EQ(result.status.code(), Status::Code::kIoError);
}

}  // namespace
}  // namespace provgate
