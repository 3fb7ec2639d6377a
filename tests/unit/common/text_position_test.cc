#include "common/text_position.h"

#include <gtest/gtest.h>

#include <string>

namespace provgate::detail {
namespace {

TEST(LineLocator, LinesAndColumnsAreOneBased) {
  LineLocator locator("ab\ncd\n\nef");
  EXPECT_EQ(locator.Locate(0).line, 1u);
  EXPECT_EQ(locator.Locate(0).column, 1u);
  EXPECT_EQ(locator.Locate(4).line, 2u);
  EXPECT_EQ(locator.Locate(4).column, 2u);
  EXPECT_EQ(locator.Locate(7).line, 4u);
  EXPECT_EQ(locator.Locate(7).column, 1u);
}

TEST(LineLocator, ColumnsCountCodePoints) {
  LineLocator locator("é😀x");
  EXPECT_EQ(locator.Locate(6).column, 3u);  // 'x' after 2 + 4 bytes
}

TEST(LineLocator, BackwardsLookupsMatchForwardOnes) {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "line " + std::to_string(i) + "\n";
  LineLocator forward(text);
  std::vector<LineColumn> expected;
  for (std::size_t offset = 0; offset < text.size(); offset += 997) {
    expected.push_back(forward.Locate(offset));
  }
  LineLocator backward(text);
  backward.Locate(text.size() - 1);
  std::size_t i = 0;
  for (std::size_t offset = 0; offset < text.size(); offset += 997, ++i) {
    LineColumn lc = backward.Locate(offset);
    EXPECT_EQ(lc.line, expected[i].line);
    EXPECT_EQ(lc.column, expected[i].column);
  }
}

TEST(FindInvalidUtf8, FindsTheFirstBadByte) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("é😀"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("ab\xff"), 2u);
  EXPECT_EQ(FindInvalidUtf8("a\xc3"), 1u);             // truncated
  EXPECT_EQ(FindInvalidUtf8("\xc0\xaf"), 0u);          // overlong
  EXPECT_EQ(FindInvalidUtf8("x\xed\xa0\x80"), 1u);     // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xf4\x90\x80\x80"), 0u);  // above U+10FFFF
}

TEST(CountCodePoints, SkipsContinuationBytes) {
  EXPECT_EQ(CountCodePoints("héllo"), 5u);
  EXPECT_EQ(CountCodePoints(""), 0u);
}

}  // namespace
}  // namespace provgate::detail
