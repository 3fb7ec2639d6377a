// SharedText (provgate/shared_text.h) and the arena that writes it: text that copies share,
// valid for as long as any copy lives.
#include "common/text_arena.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/page_block.h"

namespace provgate::detail {
namespace {

TEST(SharedText, ReadsAndComparesAsTheTextItHolds) {
  SharedText empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.view(), "");
  SharedText from_literal = "no licence";
  SharedText from_string = std::string("no licence");
  SharedText from_view = std::string_view("no licence, and more").substr(0, 10);
  EXPECT_EQ(from_literal, from_string);
  EXPECT_EQ(from_string, from_view);
  EXPECT_EQ(from_literal, "no licence");
  EXPECT_EQ("no licence", from_literal);
  EXPECT_EQ(from_literal, std::string("no licence"));
  EXPECT_NE(from_literal, "no licence ");
  EXPECT_NE(from_literal, SharedText("no licencE"));
  EXPECT_TRUE(SharedText("a") < SharedText("b"));
  EXPECT_EQ(from_literal.size(), 10u);
  EXPECT_EQ(from_literal.str(), "no licence");
  std::string_view view = from_literal;
  EXPECT_EQ(view, "no licence");
}

TEST(SharedText, CopiesShareTheTextAndAMovedFromTextIsEmpty) {
  SharedText original = std::string(100, 'x');
  SharedText copy = original;
  EXPECT_EQ(copy.data(), original.data());
  SharedText moved = std::move(original);
  EXPECT_EQ(moved.data(), copy.data());
  EXPECT_TRUE(original.empty());  // NOLINT(bugprone-use-after-move): the documented state.
  EXPECT_EQ(original, "");
  copy = SharedText("other");
  EXPECT_EQ(moved, std::string(100, 'x'));
}

TEST(TextArena, TextsOutliveTheArenaThatWroteThem) {
  std::vector<SharedText> texts;
  {
    TextArena arena;
    // Enough texts to fill several blocks, up to and beyond a huge page.
    for (int i = 0; i < 40000; ++i) {
      std::string text = "finding " + std::to_string(i) + std::string(i % 97, '.');
      texts.push_back(arena.Copy(text));
    }
  }
  for (int i = 0; i < 40000; ++i) {
    ASSERT_EQ(texts[i], "finding " + std::to_string(i) + std::string(i % 97, '.')) << i;
  }
}

TEST(TextArena, KeepsWhatWasWrittenAtRoom) {
  TextArena arena;
  char* room = arena.Room(5);
  std::memcpy(room, "abcde", 5);
  SharedText first = arena.Keep(3);
  room = arena.Room(2);
  std::memcpy(room, "fg", 2);
  SharedText second = arena.Keep(2);
  EXPECT_EQ(first, "abc");
  EXPECT_EQ(second, "fg");
  EXPECT_TRUE(arena.Keep(0).empty());
  EXPECT_TRUE(arena.Copy("").empty());
}

TEST(TextArena, TextLargerThanAHugePageGetsABlockOfItsOwn) {
  TextArena arena;
  SharedText small = arena.Copy("before");
  std::string large(kHugePageBytes * 2 + 17, 'L');
  large.back() = 'E';
  SharedText big = arena.Copy(large);
  SharedText after = arena.Copy("after");
  EXPECT_EQ(small, "before");
  EXPECT_EQ(big, large);
  EXPECT_EQ(after, "after");
}

}  // namespace
}  // namespace provgate::detail
