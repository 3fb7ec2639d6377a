// The escaping of each medium (report/escape.h), one hostile string at a time: what an id or
// a message from a manifest may hold, and what must never come out.
#include "common/escape.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "provgate/report.h"

namespace provgate::detail {
namespace {

// Strings a manifest can carry in an id (JSON escapes make every one of them possible), and a
// byte sequence that is not UTF-8 (file names and YAML inputs are not checked for it).
const std::vector<std::string>& HostileStrings() {
  static const std::vector<std::string> strings = {
      "esc\x1b[2J\x1b[1;32mCOMPLIANT\x1b[0m",
      "cr\rCOMPLIANT  lab/model",
      "lf\nCOMPLIANT  lab/model\n",
      std::string("nul\0after", 9),
      "tab\tdel\x7f",
      "c1 \xc2\x9b"
      "31m csi",  // U+009B, the 8-bit CSI.
      "bidi \xe2\x80\xae"
      "exe.txt",                                           // U+202E RIGHT-TO-LEFT OVERRIDE.
      "isolate \xe2\x81\xa6x\xe2\x81\xa9",                 // U+2066 ... U+2069.
      "line \xe2\x80\xa8sep \xe2\x80\xa9para",             // U+2028, U+2029.
      "zero\xe2\x80\x8bwidth \xef\xbb\xbf bom",            // U+200B, U+FEFF.
      "tag \xf3\xa0\x80\x81",                              // U+E0001 LANGUAGE TAG.
      "nonchar \xef\xbf\xbe \xef\xbf\xbf",                 // U+FFFE, U+FFFF.
      "bad \xff\xfe utf8 \xc0\xaf \xed\xa0\x80 \xe2\x82",  // Invalid, overlong, surrogate, cut.
      "tick ``` `x` @here [link](https://evil.example) <b>&amp; ]",
      "::error file=x::forged",
      "\xc2\xa0 ::warning::after a no-break space",
      "x ##[error]legacy ##vso[task.setvariable]v",
  };
  return strings;
}

// The code points of UTF-8 text; false when it is not well-formed.
bool DecodeAll(const std::string& text, std::vector<char32_t>& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    Utf8Char ch = DecodeUtf8(p, end);
    if (!ch.valid) return false;
    out.push_back(ch.code_point);
    p += ch.length;
  }
  return true;
}

// Well-formed UTF-8 with no character that any medium must show escaped, except those listed
// in `allowed`.
void ExpectClean(const std::string& out, const std::string& allowed = "") {
  std::vector<char32_t> chars;
  ASSERT_TRUE(DecodeAll(out, chars)) << out;
  for (char32_t c : chars) {
    if (c < 0x80 && allowed.find(static_cast<char>(c)) != std::string::npos) continue;
    EXPECT_FALSE(IsHiddenCharacter(c))
        << "U+" << std::hex << static_cast<unsigned>(c) << " in " << out;
  }
}

TEST(Escape, Utf8DecodingRefusesWhatIsNotWellFormed) {
  auto valid = [](const std::string& bytes) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    Utf8Char ch = DecodeUtf8(p, p + bytes.size());
    return ch.valid && ch.length == bytes.size();
  };
  EXPECT_TRUE(valid("a"));
  EXPECT_TRUE(valid("\xc3\xa9"));
  EXPECT_TRUE(valid("\xe2\x80\xae"));
  EXPECT_TRUE(valid("\xf0\x9f\x98\x80"));
  EXPECT_TRUE(valid("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  EXPECT_FALSE(valid("\x80"));
  EXPECT_FALSE(valid("\xc0\xaf"));          // Overlong '/'.
  EXPECT_FALSE(valid("\xe0\x80\xaf"));      // Overlong.
  EXPECT_FALSE(valid("\xed\xa0\x80"));      // Surrogate U+D800.
  EXPECT_FALSE(valid("\xf4\x90\x80\x80"));  // Beyond U+10FFFF.
  EXPECT_FALSE(valid("\xe2\x82"));          // Cut short.
  EXPECT_FALSE(valid("\xff"));
}

TEST(Escape, HiddenCharactersAreTheControlsSeparatorsAndFormatCharacters) {
  for (char32_t c :
       {0x00,   0x09,   0x0A,   0x0D,   0x1B,   0x7F,   0x80,    0x85,    0x9B,   0x9F,
        0xAD,   0x61C,  0x200B, 0x200E, 0x200F, 0x2028, 0x2029,  0x202A,  0x202E, 0x2060,
        0x2066, 0x2069, 0xFEFF, 0xFFF9, 0xFFFE, 0xFFFF, 0x1D173, 0xE0001, 0xE007F}) {
    EXPECT_TRUE(IsHiddenCharacter(c)) << std::hex << static_cast<unsigned>(c);
  }
  for (char32_t c : {0x20, 0x41, 0x7E, 0xA0, 0xE9, 0x2190, 0x2014, 0x4E2D, 0xFFFD, 0x1F600}) {
    EXPECT_FALSE(IsHiddenCharacter(c)) << std::hex << static_cast<unsigned>(c);
  }
}

TEST(Escape, PlainTextIsCopiedAsItIs) {
  for (const char* text : {"books-3", "acme/atlas-70b", "été 中文 ←", ""}) {
    EXPECT_EQ(TerminalText(text), text);
    EXPECT_EQ(Xml(text), text);
    EXPECT_EQ(Dot(text), text);
    EXPECT_EQ(SarifText(text), text);
  }
}

TEST(Escape, TerminalShowsEveryControlAndNoRunnerCommand) {
  EXPECT_EQ(TerminalText("a\x1b[2Jb"), "a\\x1B[2Jb");
  EXPECT_EQ(TerminalText("a\r\nb\tc"), "a\\x0D\\x0Ab\\x09c");
  EXPECT_EQ(TerminalText(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(TerminalText("a\x7f"), "a\\x7F");
  EXPECT_EQ(TerminalText("c1 \xc2\x9b"), "c1 \\u009B");
  EXPECT_EQ(TerminalText("\xe2\x80\xae"
                         "abc"),
            "\\u202Eabc");
  EXPECT_EQ(TerminalText("tag \xf3\xa0\x80\x81"), "tag \\U000E0001");
  EXPECT_EQ(TerminalText("bad \xff\xc0\xaf \xe2\x82"), "bad \\xFF\\xC0\\xAF \\xE2\\x82");
  // GitHub Actions reads `::command::` at the start of a line, after white space.
  EXPECT_EQ(TerminalText("::error::x"), "\\x3A:error::x");
  EXPECT_EQ(TerminalText("  ::error::x"), "  \\x3A:error::x");
  EXPECT_EQ(TerminalText("\xc2\xa0::error::x"), "\xc2\xa0\\x3A:error::x");
  EXPECT_EQ(TerminalText("a ::error::x"), "a ::error::x");
  // Its legacy commands, and Azure's, anywhere in a line.
  EXPECT_EQ(TerminalText("a ##[error]x"), "a #\\x23[error]x");
  EXPECT_EQ(TerminalText("a ##VSO[task]x"), "a #\\x23VSO[task]x");
  EXPECT_EQ(TerminalText("###[x"), "##\\x23[x");
  EXPECT_EQ(TerminalText("# heading ## two"), "# heading ## two");
  // Escaping is idempotent: what it writes needs nothing more.
  for (const std::string& text : HostileStrings()) {
    std::string once = TerminalText(text);
    EXPECT_EQ(TerminalText(once), once) << once;
    ExpectClean(once);
    EXPECT_EQ(once.find("##["), std::string::npos) << once;
    EXPECT_NE(once.compare(LeadingBlankLength(once), 2, "::"), 0) << once;
  }
}

TEST(Escape, TerminalLinesKeepTheirLineFeedsOnly) {
  std::string out;
  AppendTerminalLines(out, "first\n::error::x\n  second\r\n\x1b[1m");
  EXPECT_EQ(out, "first\n\\x3A:error::x\n  second\\x0D\n\\x1B[1m");
  EXPECT_EQ(EscapeTerminalLines("a\nb"), "a\nb");
  EXPECT_EQ(EscapeTerminalText("a\nb"), "a\\x0Ab");
}

TEST(Escape, MarkdownTextHasNoMarkupOfItsOwn) {
  EXPECT_EQ(MarkdownText("*a* _b_ `c` [d](e) <f> | ~g~ &h; !i #j"),
            "\\*a\\* \\_b\\_ \\`c\\` \\[d\\]\\(e\\) \\<f\\> \\| \\~g\\~ \\&h; \\!i \\#j");
  // Links GitHub makes from bare text, and mentions.
  EXPECT_EQ(MarkdownText("https://evil.example www.evil.example"),
            "https\\://evil\\.example www\\.evil\\.example");
  EXPECT_EQ(MarkdownText("@here @org/team a@b"), "`@`here `@`org/team a`@`b");
  // A backslash from the input stays a backslash, and escapes show as text.
  EXPECT_EQ(MarkdownText("a\\*b"), "a\\\\\\*b");
  EXPECT_EQ(MarkdownText("x\ny\x1b"), "x\\\\x0Ay\\\\x1B");
  for (const std::string& text : HostileStrings()) ExpectClean(MarkdownText(text));
}

// Parses a code span at the start of `markdown` as CommonMark does: a run of N backticks
// opens it, the next run of exactly N closes it, and one space is stripped from each side when
// the content both begins and ends with one (and is not all spaces). Returns the content, or
// false when the span does not close.
bool ParseCodeSpan(const std::string& markdown, std::string& content, std::size_t& end) {
  std::size_t fence = markdown.find_first_not_of('`');
  if (fence == 0 || fence == std::string::npos) return false;
  for (std::size_t i = fence; i < markdown.size();) {
    if (markdown[i] != '`') {
      ++i;
      continue;
    }
    std::size_t run = markdown.find_first_not_of('`', i);
    if (run == std::string::npos) run = markdown.size();
    if (run - i == fence) {
      content = markdown.substr(fence, i - fence);
      if (content.size() >= 2 && content.front() == ' ' && content.back() == ' ' &&
          content.find_first_not_of(' ') != std::string::npos) {
        content = content.substr(1, content.size() - 2);
      }
      end = run;
      return true;
    }
    i = run;
  }
  return false;
}

TEST(Escape, MarkdownCodeSpansHoldAnyRunOfBackticks) {
  EXPECT_EQ(MarkdownCode("books"), "`books`");
  EXPECT_EQ(MarkdownCode("a`b"), "``a`b``");
  EXPECT_EQ(MarkdownCode("a```b``c"), "````a```b``c````");
  EXPECT_EQ(MarkdownCode("`x"), "`` `x ``");
  EXPECT_EQ(MarkdownCode(" x "), "`  x  `");
  EXPECT_EQ(MarkdownCode("a\nb"), "`a\\x0Ab`");
  EXPECT_EQ(MarkdownCode("x ##[error]y"), "`x #\\x23[error]y`");
  std::vector<std::string> texts = HostileStrings();
  texts.insert(texts.end(), {"`", "``", "` `", "x`", "`x`", " ", "  a", "a ", "```a```b`"});
  for (const std::string& text : texts) {
    std::string span = MarkdownCode(text) + " after";
    std::string content;
    std::size_t end = 0;
    ASSERT_TRUE(ParseCodeSpan(span, content, end)) << span;
    // The span closes where it was meant to, and holds the text with only its hidden
    // characters made visible.
    EXPECT_EQ(span.substr(end), " after") << span;
    std::string visible;
    AppendEscaped(visible, text, MarkdownCodeMedium{});
    EXPECT_EQ(content, visible) << span;
    ExpectClean(span);
  }
}

TEST(Escape, XmlHasNoCharacterXmlForbidsAndNoMarkup) {
  EXPECT_EQ(Xml("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
  EXPECT_EQ(Xml(std::string("a\0b\x1b\xef\xbf\xbe", 7)), "a\\x00b\\x1B\\uFFFE");
  EXPECT_EQ(Xml("line\nbreak"), "line\\x0Abreak");
  for (const std::string& text : HostileStrings()) {
    std::string out = Xml(text);
    ExpectClean(out);
    EXPECT_EQ(out.find_first_of("<>\""), std::string::npos) << out;
  }
}

TEST(Escape, GithubCommandValuesCannotEndTheirField) {
  std::string message, property;
  AppendGithubMessage(message, "100% done\nFix: a:b,c ##[error]x \x1b");
  AppendGithubProperty(property, "100% done\nFix: a:b,c ##[error]x \x1b");
  EXPECT_EQ(message, "100%25 done\\x0AFix: a:b,c #\\x23[error]x \\x1B");
  EXPECT_EQ(property, "100%25 done\\x0AFix%3A a%3Ab%2Cc #\\x23[error]x \\x1B");
  for (const std::string& text : HostileStrings()) {
    std::string out;
    AppendGithubProperty(out, text);
    ExpectClean(out);
    EXPECT_EQ(out.find_first_of(":,"), std::string::npos) << out;
  }
}

TEST(Escape, SarifMessagesFormNoLinkAndNoPlaceholder) {
  EXPECT_EQ(SarifText("[here](1) {0} a\\b"), "\\[here\\](1) {{0}} a\\\\b");
  EXPECT_EQ(SarifText("a\nb\x1b"), "a\\\\x0Ab\\\\x1B");
  EXPECT_EQ(SarifText("a\nb\x1b", true), "a\nb\\\\x1B");
  for (const std::string& text : HostileStrings()) ExpectClean(SarifText(text));
}

TEST(Escape, DotStringsCannotCloseOrEscape) {
  EXPECT_EQ(Dot("a\"b\\"), "a\\\"b\\\\");
  EXPECT_EQ(Dot("\\N\\l"), "\\\\N\\\\l");
  EXPECT_EQ(Dot("a\nb"), "a\\\\x0Ab");
  for (const std::string& text : HostileStrings()) {
    std::string out = Dot(text);
    ExpectClean(out);
    // Every quote is escaped, and every backslash is one of a pair.
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i] == '\\') {
        ASSERT_LT(i + 1, out.size()) << out;
        EXPECT_TRUE(out[i + 1] == '\\' || out[i + 1] == '"') << out;
        ++i;
      } else {
        EXPECT_NE(out[i], '"') << out;
      }
    }
  }
}

TEST(Escape, UriPathsArePercentEncoded) {
  EXPECT_EQ(UriPath("dir/manifest-1.json"), "dir/manifest-1.json");
  EXPECT_EQ(UriPath("a b#c?d%e(f)<g>\x1b\xc3\xa9"), "a%20b%23c%3Fd%25e%28f%29%3Cg%3E%1B%C3%A9");
}

// Long text with nothing to escape goes through without a copy beyond the output, and long
// text with escapes everywhere is linear.
TEST(Escape, LongTextsAreEscapedInOnePass) {
  std::string plain(1 << 20, 'a');
  EXPECT_EQ(TerminalText(plain), plain);
  std::string hostile;
  for (int i = 0; i < 100000; ++i) hostile += "\x1b\xe2\x80\xae`";
  std::string out = TerminalText(hostile);
  EXPECT_EQ(out.size(), 100000u * (4 + 6 + 1));
  EXPECT_EQ(MarkdownCode(std::string(100000, '`')).size(), 2 * 100001u + 100000u + 2);
}

}  // namespace
}  // namespace provgate::detail
