#include "json/jcs.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace provgate::detail {
namespace {

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Every vector of tests/data/jcs (RFC 8785 reference implementation): input canonicalizes to
// output, byte for byte.
TEST(Jcs, ReferenceVectors) {
  std::filesystem::path root = std::filesystem::path(PROVGATE_TEST_DATA) / "data" / "jcs";
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root / "input")) {
    SCOPED_TRACE(entry.path().filename().string());
    std::string canonical, error;
    ASSERT_TRUE(CanonicalizeJson(Read(entry.path()), canonical, error)) << error;
    EXPECT_EQ(canonical, Read(root / "output" / entry.path().filename()));
    ++count;
  }
  EXPECT_EQ(count, 6);
}

TEST(Jcs, EcmaScriptNumbers) {
  const std::pair<double, const char*> kCases[] = {
      {0.0, "0"},
      {-0.0, "0"},
      {1.0, "1"},
      {-1.5, "-1.5"},
      {1e21, "1e+21"},
      {1e20, "100000000000000000000"},
      {123456789012345680000.0, "123456789012345680000"},
      {1e-6, "0.000001"},
      {1e-7, "1e-7"},
      {123e-20, "1.23e-18"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {9007199254740992.0, "9007199254740992"},
      {0.1 + 0.2, "0.30000000000000004"},
      {333333333.33333329, "333333333.3333333"},
  };
  for (const auto& [value, expected] : kCases) {
    EXPECT_EQ(FormatEcmaScriptNumber(value), expected) << value;
  }
}

TEST(Jcs, RejectsInvalidJson) {
  std::string out, error;
  EXPECT_FALSE(CanonicalizeJson("{\"a\": }", out, error));
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace provgate::detail
