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

}  // namespace
}  // namespace provgate::detail
