#include "json/pointer_path.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace provgate::detail {
namespace {

// The pointer of a path, spelled out from its segments as RFC 6901 says, independently of
// PointerPath: '~' as "~0", '/' as "~1", indexes in decimal.
std::string Spell(const std::string& prefix, const std::vector<std::string>& segments) {
  std::string out = prefix;
  for (const std::string& segment : segments) {
    out += '/';
    for (char c : segment) {
      if (c == '~') {
        out += "~0";
      } else if (c == '/') {
        out += "~1";
      } else {
        out += c;
      }
    }
  }
  return out;
}

// Scopes nested at random, as a reader opens and leaves values: after every change the pointer
// is the one spelled from scratch, whether it was asked for at that depth before or not.
void Walk(PointerPath& path, const std::string& prefix, std::vector<std::string>& segments,
          std::mt19937& random, int depth) {
  static const std::vector<std::string> kKeys = {"sources", "id",         "a/b",     "~x",
                                                 "",        "permission", "evidence"};
  int children = static_cast<int>(random() % 4);
  for (int i = 0; i < children && depth < 6; ++i) {
    bool index = random() % 2 == 0;
    std::size_t number = random() % 1000;
    const std::string& key = kKeys[random() % kKeys.size()];
    auto check = [&] {
      if (random() % 2 == 0) {
        std::string reused = "old text";
        path.AssignTo(reused);
        ASSERT_EQ(reused, Spell(prefix, segments));
      }
    };
    if (index) {
      PointerPath::Scope scope(path, number);
      segments.push_back(std::to_string(number));
      check();
      Walk(path, prefix, segments, random, depth + 1);
      check();
      segments.pop_back();
    } else {
      PointerPath::Scope scope(path, key);
      segments.push_back(key);
      check();
      Walk(path, prefix, segments, random, depth + 1);
      check();
      segments.pop_back();
    }
    ASSERT_EQ(path.str(), Spell(prefix, segments));
  }
}

TEST(PointerPath, IsTheSpelledPointerAfterEveryChange) {
  std::mt19937 random(7);
  PointerPath path;
  for (int round = 0; round < 200; ++round) {
    std::string prefix = round % 3 == 0 ? "" : "/sources/" + std::to_string(round);
    path.Reset(prefix);
    std::vector<std::string> segments;
    ASSERT_EQ(path.str(), prefix);
    Walk(path, prefix, segments, random, 0);
  }
}

TEST(PointerPath, SiblingsAtTheSameDepthReplaceEachOther) {
  PointerPath path;
  PointerPath::Scope sources(path, "sources");
  for (std::size_t i = 0; i < 3; ++i) {
    PointerPath::Scope element(path, i);
    EXPECT_EQ(path.str(), "/sources/" + std::to_string(i));
    for (std::string_view key : {"id", "x/y"}) {
      PointerPath::Scope field(path, key);
      EXPECT_EQ(path.str(), "/sources/" + std::to_string(i) + "/" +
                                (key == "id" ? std::string("id") : std::string("x~1y")));
    }
  }
}

}  // namespace
}  // namespace provgate::detail
