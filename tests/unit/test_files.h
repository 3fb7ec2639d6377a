// Scratch files for tests, removed when the test ends.
#ifndef PROVGATE_TESTS_UNIT_TEST_FILES_H_
#define PROVGATE_TESTS_UNIT_TEST_FILES_H_

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace provgate::testing_support {

class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "provgate-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  std::string Write(const std::string& name, const std::string& content) const {
    std::filesystem::path p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace provgate::testing_support

#endif  // PROVGATE_TESTS_UNIT_TEST_FILES_H_
