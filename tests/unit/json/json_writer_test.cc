#include "json/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

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
        // DEL is escaped too, for the terminals and logs the report is printed to.
        std::string expected = nlohmann::json(text).dump();
        if (byte == 0x7F) expected.replace(expected.find('\x7f'), 1, "\\u007f");
        ASSERT_EQ(out, expected) << before << " " << after << " " << byte;
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

// Members whose key and text need no escaping are written in one piece: every byte, at every
// position within and across the sixteen-byte blocks that are checked, must still come out as
// nlohmann/json writes the object, in both layouts.
TEST(JsonWriter, MembersAreWrittenAsNlohmannWritesThemAtEveryPosition) {
  for (std::size_t before = 0; before < 34; ++before) {
    for (std::size_t after : {0, 1, 7, 15, 16, 17}) {
      for (int byte = 1; byte < 0x80; ++byte) {
        std::string text =
            std::string(before, 'a') + static_cast<char>(byte) + std::string(after, 'b');
        std::string out;
        JsonWriter w(out);
        w.BeginObject();
        w.Member("count", std::uint64_t{before});
        w.Member("text", text);
        w.Key("inner");
        w.BeginObject();
        w.Member("same", text);
        w.EndObject();
        w.EndObject();
        nlohmann::ordered_json object;
        object["count"] = before;
        object["text"] = text;
        object["inner"]["same"] = text;
        std::string expected = object.dump(2);
        for (std::size_t at = expected.find('\x7f'); at != std::string::npos;
             at = expected.find('\x7f', at)) {
          expected.replace(at, 1, "\\u007f");
        }
        ASSERT_EQ(out, expected) << before << " " << after << " " << byte;
        std::string canonical;
        JsonWriter k(canonical, JsonWriter::Canonical{});
        k.BeginObject();
        k.Member("text", text);
        k.EndObject();
        nlohmann::json one;
        one["text"] = text;
        ASSERT_EQ(canonical, one.dump()) << before << " " << after;
      }
    }
  }
}

// What would act on a terminal or a CI runner is escaped in the indented layout, and only
// there; text that is not UTF-8 becomes U+FFFD in both layouts, so the output is always JSON.
// An object written in one piece is the same bytes as the same object written member by
// member, first in its array or not, with nested objects empty or not, at any depth; a
// string that needs escaping leaves the piece unwritten for the caller to write.
TEST(JsonWriter, ObjectInOnePieceIsTheObjectWrittenMemberByMember) {
  using Piece = JsonWriter::Piece;
  using Kind = Piece::Kind;
  const std::vector<std::vector<Piece>> objects = {
      {},
      {{Kind::kString, "a", "x"}},
      {{Kind::kString, "a", ""}, {Kind::kJson, "n", "12"}, {Kind::kJson, "b", "true"}},
      {{Kind::kBeginObject, "o", {}}, {Kind::kEndObject, {}, {}}},
      {{Kind::kString, "rule", "P1"},
       {Kind::kBeginObject, "location", {}},
       {Kind::kString, "pointer", "/sources/7"},
       {Kind::kBeginObject, "deeper", {}},
       {Kind::kJson, "line", "10"},
       {Kind::kEndObject, {}, {}},
       {Kind::kEndObject, {}, {}},
       {Kind::kJson, "waived", "false"}},
      {{Kind::kBeginObject, "o", {}},
       {Kind::kString, "s", "a longer text of more than 16 bytes"},
       {Kind::kEndObject, {}, {}}}};
  auto by_member = [](JsonWriter& w, const std::vector<Piece>& pieces) {
    w.BeginObject();
    for (const Piece& piece : pieces) {
      switch (piece.kind) {
        case Kind::kString:
          w.Member(piece.key, piece.text);
          break;
        case Kind::kJson:
          w.Key(piece.key);
          if (piece.text == "true" || piece.text == "false") {
            w.Bool(piece.text == "true");
          } else {
            w.Uint(std::stoull(std::string(piece.text)));
          }
          break;
        case Kind::kBeginObject:
          w.Key(piece.key);
          w.BeginObject();
          break;
        case Kind::kEndObject:
          w.EndObject();
          break;
      }
    }
    w.EndObject();
  };
  for (int depth = 0; depth < 3; ++depth) {
    std::string expected;
    std::string actual;
    JsonWriter e(expected);
    JsonWriter a(actual);
    for (JsonWriter* w : {&e, &a}) {
      w->BeginObject();
      for (int d = 0; d < depth; ++d) {
        w->Key("level");
        w->BeginObject();
      }
      w->Key("items");
      w->BeginArray();
    }
    for (const auto& pieces : objects) {
      by_member(e, pieces);
      ASSERT_TRUE(a.PlainObject(pieces.data(), pieces.size()));
    }
    for (JsonWriter* w : {&e, &a}) {
      w->EndArray();
      for (int d = 0; d < depth; ++d) w->EndObject();
      w->EndObject();
    }
    EXPECT_EQ(actual, expected);
    EXPECT_EQ(actual, nlohmann::ordered_json::parse(actual).dump(2));
  }
  // Texts that must be escaped, or a layout it does not write: nothing is written.
  for (std::string_view text : {"quote \"", "line\nfeed", "runner ##[group]", "caf\xc3\xa9",
                                "a longer text of more than 16 bytes, then a \\"}) {
    std::string out;
    JsonWriter w(out);
    w.BeginArray();
    std::size_t before = out.size();
    Piece piece{Kind::kString, "s", text};
    EXPECT_FALSE(w.PlainObject(&piece, 1)) << text;
    EXPECT_EQ(out.size(), before);
  }
  std::string canonical_out;
  JsonWriter canonical(canonical_out, JsonWriter::Canonical{});
  canonical.BeginArray();
  Piece plain{Kind::kString, "s", "plain"};
  EXPECT_FALSE(canonical.PlainObject(&plain, 1));
}

TEST(JsonWriter, EscapesWhatActsOnTerminalsAndRunners) {
  struct Case {
    std::string text;
    std::string indented;
    std::string canonical;
  };
  for (const Case& c : std::vector<Case>{
           {"a ##[error]b", R"("a #\u0023[error]b")", R"("a ##[error]b")"},
           {"##vso[task]", R"("#\u0023vso[task]")", R"("##vso[task]")"},
           {"# a ## b #[", R"("# a ## b #[")", R"("# a ## b #[")"},
           {"bidi \xe2\x80\xae x", R"("bidi \u202e x")", "\"bidi \xe2\x80\xae x\""},
           {"sep \xe2\x80\xa8", R"("sep \u2028")", "\"sep \xe2\x80\xa8\""},
           {"c1 \xc2\x9b", R"("c1 \u009b")", "\"c1 \xc2\x9b\""},
           {"tag \xf3\xa0\x80\x81", R"("tag \udb40\udc01")", "\"tag \xf3\xa0\x80\x81\""},
           {"bad \xff\xc0\xaf", R"("bad \ufffd\ufffd\ufffd")",
            "\"bad \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""},
           {"\xc3\xa9t\xc3\xa9 \xe2\x86\x90", "\"\xc3\xa9t\xc3\xa9 \xe2\x86\x90\"",
            "\"\xc3\xa9t\xc3\xa9 \xe2\x86\x90\""},
       }) {
    std::string indented, canonical;
    JsonWriter w(indented);
    w.String(c.text);
    JsonWriter k(canonical, JsonWriter::Canonical{});
    k.String(c.text);
    EXPECT_EQ(indented, c.indented) << c.text;
    EXPECT_EQ(canonical, c.canonical) << c.text;
    // The same in a member, and in a member of text long enough to be checked in blocks.
    for (const std::string& padding : {std::string(), std::string(40, '.')}) {
      std::string member;
      JsonWriter m(member);
      m.BeginObject();
      m.Member("k", padding + c.text);
      m.EndObject();
      std::string expected = c.indented;
      expected.insert(1, padding);
      EXPECT_EQ(member, "{\n  \"k\": " + expected + "\n}") << c.text;
    }
    // Both read back as the same string (U+FFFD for what was not UTF-8).
    EXPECT_EQ(nlohmann::json::parse(indented), nlohmann::json::parse(canonical)) << c.text;
  }
}

}  // namespace
}  // namespace provgate::detail
