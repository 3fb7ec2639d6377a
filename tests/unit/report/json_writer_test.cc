#include "report/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace provgate::detail {
namespace {

void WriteSample(JsonWriter& w) {
  w.BeginObject();
  w.Member("name", "quote \" backslash \\ newline \n tab \t bell \x07 é");
  w.Member("count", std::uint64_t{18446744073709551615u});
  w.Member("flag", false);
  w.Key("empty_list");
  w.BeginArray();
  w.EndArray();
  w.Key("empty_object");
  w.BeginObject();
  w.EndObject();
  w.Key("items");
  w.BeginArray();
  for (int i = 0; i < 50; ++i) {
    w.BeginObject();
    w.Member("i", std::uint64_t(i));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

TEST(JsonWriter, MatchesNlohmannLayout) {
  std::string out;
  JsonWriter w(out);
  WriteSample(w);
  nlohmann::ordered_json parsed = nlohmann::ordered_json::parse(out);
  EXPECT_EQ(out, parsed.dump(2));
}

TEST(JsonWriter, ChunkedOutputIsTheSameBytes) {
  std::string whole;
  JsonWriter plain(whole);
  WriteSample(plain);

  std::string pieces;
  int calls = 0;
  std::function<void(std::string_view)> sink = [&](std::string_view piece) {
    pieces.append(piece);
    ++calls;
  };
  std::string buffer;
  JsonWriter chunked(buffer, &sink, 64);
  WriteSample(chunked);
  chunked.Flush();
  EXPECT_EQ(pieces, whole);
  EXPECT_GT(calls, 5);
}

// Strings are copied eight bytes at a time up to the next byte to escape: every ASCII byte,
// at every position within and across those words, must come out as nlohmann/json writes it.
TEST(JsonWriter, EscapesEveryByteAtEveryPosition) {
  for (std::size_t before = 0; before < 20; ++before) {
    for (std::size_t after : {0, 1, 7, 8, 9, 17}) {
      for (int byte = 0; byte < 0x80; ++byte) {
        std::string text =
            std::string(before, 'a') + static_cast<char>(byte) + std::string(after, 'b');
        std::string out;
        JsonWriter w(out);
        w.String(text);
        ASSERT_EQ(out, nlohmann::json(text).dump()) << before << " " << after << " " << byte;
      }
      std::string utf8 = std::string(before, 'a') + "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" +
                         std::string(after, '"');
      std::string out;
      JsonWriter w(out);
      w.String(utf8);
      ASSERT_EQ(out, nlohmann::json(utf8).dump()) << before << " " << after;
    }
  }
}

}  // namespace
}  // namespace provgate::detail
