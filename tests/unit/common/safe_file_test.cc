// Opening hostile paths: FIFOs, devices, symlinks out of the confining directory, `..`,
// absolute paths and files over a bound are refused without blocking and without reading.
#include "common/safe_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace provgate::detail {
namespace {

namespace fs = std::filesystem;

class SafeFileTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    UseOpenat2ForTesting(GetParam());
    std::string pattern = (fs::temp_directory_path() / "provgate-safe-file-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    top_ = pattern;
    root_ = top_ / "repo";
    fs::create_directories(root_ / "data");
    Write(root_ / "data" / "inside.txt", "inside");
    Write(top_ / "secret", "outside");
    ASSERT_EQ(mkfifo((root_ / "fifo").c_str(), 0600), 0);
  }
  void TearDown() override {
    UseOpenat2ForTesting(true);
    fs::remove_all(top_);
  }
  static void Write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
  }
  OpenedFile Beneath(const std::string& relative, std::uint64_t max_bytes = 0) {
    return OpenRegularFileBeneath(root_.string(), relative, max_bytes);
  }
  fs::path top_;
  fs::path root_;
};

TEST_P(SafeFileTest, OpensARegularFileBeneathTheRoot) {
  OpenedFile file = Beneath("data/inside.txt");
  ASSERT_TRUE(file.ok()) << file.error;
  EXPECT_EQ(file.size, 6u);
  std::string text, error;
  ASSERT_TRUE(ReadAllFromFd(file.fd.get(), 100, text, error)) << error;
  EXPECT_EQ(text, "inside");
  EXPECT_TRUE(Beneath("./data/../data/inside.txt").ok());
}

TEST_P(SafeFileTest, RefusesDotDotAndAbsolutePaths) {
  EXPECT_EQ(Beneath("../secret").problem, OpenProblem::kEscapes);
  EXPECT_EQ(Beneath("data/../../secret").problem, OpenProblem::kEscapes);
  EXPECT_EQ(Beneath((top_ / "secret").string()).problem, OpenProblem::kEscapes);
}

TEST_P(SafeFileTest, RefusesASymlinkThatLeavesTheRoot) {
  fs::create_symlink("../../secret", root_ / "data" / "link");
  fs::create_symlink(top_ / "secret", root_ / "absolute-link");
  fs::create_directory_symlink(top_, root_ / "dir-link");
  OpenedFile relative = Beneath("data/link");
  EXPECT_EQ(relative.problem, OpenProblem::kEscapes) << relative.error;
  EXPECT_FALSE(relative.fd.valid());
  EXPECT_EQ(Beneath("absolute-link").problem, OpenProblem::kEscapes);
  EXPECT_EQ(Beneath("dir-link/secret").problem, OpenProblem::kEscapes);
}

TEST_P(SafeFileTest, SymlinksInsideTheRootAreFollowedWhereTheKernelCan) {
  fs::create_symlink("data/inside.txt", root_ / "inner-link");
  OpenedFile file = Beneath("inner-link");
  if (GetParam()) {
    EXPECT_TRUE(file.ok()) << file.error;
  } else {
    EXPECT_EQ(file.problem, OpenProblem::kEscapes);
  }
}

TEST_P(SafeFileTest, RefusesFifosAndDevicesWithoutBlocking) {
  // A FIFO without a writer would block a plain open() forever.
  OpenedFile fifo = Beneath("fifo");
  EXPECT_EQ(fifo.problem, OpenProblem::kNotRegular);
  EXPECT_NE(fifo.error.find("FIFO"), std::string::npos) << fifo.error;
  EXPECT_EQ(OpenRegularFile((root_ / "fifo").string()).problem, OpenProblem::kNotRegular);
  EXPECT_EQ(OpenRegularFile("/dev/zero").problem, OpenProblem::kNotRegular);
  fs::create_symlink("/dev/zero", root_ / "zero");
  EXPECT_NE(Beneath("zero").problem, OpenProblem::kNone);
  EXPECT_EQ(OpenRegularFile((root_ / "zero").string()).problem, OpenProblem::kNotRegular);
  EXPECT_EQ(Beneath("data").problem, OpenProblem::kNotRegular);
}

TEST_P(SafeFileTest, ReportsMissingFilesAndBounds) {
  EXPECT_EQ(Beneath("data/nothing").problem, OpenProblem::kMissing);
  EXPECT_EQ(OpenRegularFile((root_ / "nothing").string()).problem, OpenProblem::kMissing);
  EXPECT_EQ(Beneath("data/inside.txt", 5).problem, OpenProblem::kTooLarge);
  EXPECT_TRUE(Beneath("data/inside.txt", 6).ok());
  std::string text, error;
  EXPECT_FALSE(ReadRegularFile((root_ / "data" / "inside.txt").string(), 5, text, error));
  EXPECT_NE(error.find("larger than 5 bytes"), std::string::npos) << error;
  EXPECT_FALSE(ReadRegularFile((root_ / "fifo").string(), 100, text, error));
  EXPECT_NE(error.find("FIFO"), std::string::npos) << error;
  ASSERT_TRUE(ReadRegularFile((root_ / "data" / "inside.txt").string(), 6, text, error));
  EXPECT_EQ(text, "inside");
}

INSTANTIATE_TEST_SUITE_P(Kernels, SafeFileTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? std::string("Openat2")
                                             : std::string("ComponentWalk");
                         });

}  // namespace
}  // namespace provgate::detail
