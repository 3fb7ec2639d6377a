// The lookup of keys in a table of fields (FieldIndex, SameBytes). Repeated, unknown and
// extension keys read against a table are covered by the reader's tests and the corpus of
// invalid manifests. simdjson stays out of this file: the engine builds it with its own
// definitions.
#include "json/field_index.h"

#include <gtest/gtest.h>

#include <string>

namespace provgate::detail {
namespace {

struct Field {
  std::string_view key;
};

// The keys of a source.
constexpr std::array<Field, 12> kManyFields{{
    {"id"},
    {"title"},
    {"kind"},
    {"uri"},
    {"license"},
    {"license_scope"},
    {"permission"},
    {"acquisition"},
    {"generated_by"},
    {"size"},
    {"digest"},
    {"files"},
}};

// Keys alike in length and in their first, middle and last bytes: no slot separates them.
constexpr std::array<Field, 2> kAlikeFields{{{"abXcd"}, {"abXed"}}};

TEST(FieldIndex, FindsEachKeyAndNothingElse) {
  constexpr FieldIndex<12> index(kManyFields);
  for (std::size_t i = 0; i < kManyFields.size(); ++i) {
    EXPECT_EQ(index.Find(kManyFields[i].key), static_cast<int>(i)) << kManyFields[i].key;
    std::string changed(kManyFields[i].key);
    for (std::size_t at = 0; at < changed.size(); ++at) {
      std::string other = changed;
      other[at] = static_cast<char>(other[at] ^ 0x20);
      EXPECT_EQ(index.Find(other), -1) << other;
    }
    EXPECT_EQ(index.Find(changed + "s"), -1);
    EXPECT_EQ(index.Find(changed.substr(0, changed.size() - 1)), -1);
  }
  EXPECT_EQ(index.Find(""), -1);
  EXPECT_EQ(index.Find("x-id"), -1);
  EXPECT_EQ(index.Find(std::string_view("id\0", 3)), -1);
}

TEST(FieldIndex, KeysNoSlotSeparatesAreSearched) {
  constexpr FieldIndex<2> index(kAlikeFields);
  EXPECT_EQ(index.Find("abXcd"), 0);
  EXPECT_EQ(index.Find("abXed"), 1);
  EXPECT_EQ(index.Find("abXfd"), -1);
  EXPECT_EQ(index.Find(""), -1);
}

TEST(SameBytes, EveryLengthAndEveryDifferingByte) {
  std::string text = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (std::size_t n = 0; n <= text.size(); ++n) {
    std::string copy = text;
    EXPECT_TRUE(SameBytes(text.data(), copy.data(), n)) << n;
    for (std::size_t at = 0; at < n; ++at) {
      copy = text;
      copy[at] = '!';
      EXPECT_FALSE(SameBytes(text.data(), copy.data(), n)) << n << " " << at;
    }
  }
}

}  // namespace
}  // namespace provgate::detail
