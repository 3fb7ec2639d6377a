// How text from the input is written into each medium that provgate's output reaches: a
// terminal or CI log, Markdown, XML, GitHub workflow commands, SARIF message strings, DOT and
// CSV.
// One function per medium, all of them here.
//
// Every medium shows the same characters as visible escapes, because they control a terminal,
// break a line, or reorder or hide the text around them: C0 controls (tab, line feed and
// carriage return included), DEL, C1 controls, the line and paragraph separators U+2028 and
// U+2029, Unicode format characters (general category Cf: bidi embeddings, overrides and
// isolates, zero-width characters, the byte order mark, tags) and the noncharacters U+FFFE
// and U+FFFF, which XML forbids. They are written `\xHH` (an ASCII control, or a byte that is
// not well-formed UTF-8), `\uHHHH` or `\UHHHHHHHH` (a character). A medium then escapes its
// own metacharacters, those of the visible escapes included (`\` is `\\` in Markdown, SARIF
// and DOT). Text that needs nothing is copied as it is: the scan looks at each byte once and
// allocates nothing.
#ifndef PROVGATE_COMMON_ESCAPE_H_
#define PROVGATE_COMMON_ESCAPE_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace provgate::detail {

// One character of UTF-8 text. `valid` is false for a byte that does not begin a well-formed
// sequence (a stray continuation byte, an overlong form, a surrogate, a value beyond
// U+10FFFF, a truncated sequence); `length` is then 1.
struct Utf8Char {
  char32_t code_point = 0;
  std::size_t length = 1;
  bool valid = false;
};

inline Utf8Char DecodeUtf8(const unsigned char* p, const unsigned char* end) {
  Utf8Char out;
  unsigned char c = p[0];
  if (c < 0x80) {
    out.code_point = c;
    out.valid = true;
    return out;
  }
  std::size_t length;
  char32_t value;
  char32_t minimum;
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
    value = c & 0x1F;
    minimum = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    value = c & 0x0F;
    minimum = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    value = c & 0x07;
    minimum = 0x10000;
  } else {
    return out;  // A continuation byte, or a lead byte no well-formed sequence has.
  }
  if (static_cast<std::size_t>(end - p) < length) return out;
  for (std::size_t i = 1; i < length; ++i) {
    if ((p[i] & 0xC0) != 0x80) return out;
    value = (value << 6) | (p[i] & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return out;
  out.code_point = value;
  out.length = length;
  out.valid = true;
  return out;
}

// Whether the character is shown as a visible escape in every medium (see the top of this
// file). The format characters are those of Unicode 15's general category Cf.
inline bool IsHiddenCharacter(char32_t c) {
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return true;  // C0, DEL, C1.
  if (c < 0xAD) return false;
  if (c == 0xAD) return true;  // Soft hyphen.
  if (c < 0x600) return false;
  if (c <= 0x605 || c == 0x61C || c == 0x6DD || c == 0x70F || c == 0x890 || c == 0x891 ||
      c == 0x8E2 || c == 0x180E) {
    return true;
  }
  if (c < 0x200B) return false;
  if (c <= 0x200F) return true;                 // Zero-width space, joiners, LRM, RLM.
  if (c >= 0x2028 && c <= 0x202E) return true;  // Separators, bidi embeddings and overrides.
  if (c >= 0x2060 && c <= 0x206F) return true;  // Word joiner, invisible operators, isolates.
  if (c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFB) || c == 0xFFFE || c == 0xFFFF) return true;
  if (c < 0x110BD) return false;
  return c == 0x110BD || c == 0x110CD || (c >= 0x13430 && c <= 0x1343F) ||
         (c >= 0x1BCA0 && c <= 0x1BCA3) || (c >= 0x1D173 && c <= 0x1D17A) || c == 0xE0001 ||
         (c >= 0xE0020 && c <= 0xE007F);
}

// Each medium: `special[b]` says which ASCII bytes it writes differently; `Write(out, rest)`
// writes the first byte of `rest` (and may consume more, returning how many bytes it took).
// ASCII control bytes never reach Write: they are visible escapes.
using AsciiSet = std::array<bool, 128>;

constexpr AsciiSet MakeAsciiSet(std::string_view members) {
  AsciiSet set{};
  for (std::size_t b = 0; b < 0x20; ++b) set[b] = true;
  set[0x7F] = true;
  for (char c : members) set[static_cast<unsigned char>(c)] = true;
  return set;
}

// The visible escape of a byte or a character, written through the medium so that its own
// metacharacters (`\`) are escaped for it.
template <typename Medium>
void AppendVisibleEscape(std::string& out, char32_t value, bool byte, const Medium& medium) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  char text[10];
  std::size_t digits = byte ? 2 : value > 0xFFFF ? 8 : 4;
  text[0] = '\\';
  text[1] = byte ? 'x' : value > 0xFFFF ? 'U' : 'u';
  for (std::size_t i = 0; i < digits; ++i) {
    text[2 + i] = kHex[(value >> (4 * (digits - 1 - i))) & 0xF];
  }
  for (std::size_t i = 0; i < 2 + digits; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (medium.special[c]) {
      medium.Write(out, std::string_view(text + i, 1));
    } else {
      out += text[i];
    }
  }
}

template <typename Medium>
void AppendEscaped(std::string& out, std::string_view text, const Medium& medium) {
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = begin + text.size();
  const unsigned char* p = begin;
  const unsigned char* copied = begin;  // Bytes before this are written.
  auto flush = [&] {
    out.append(reinterpret_cast<const char*>(copied), static_cast<std::size_t>(p - copied));
  };
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      if (!medium.special[c]) {
        ++p;
        continue;
      }
      flush();
      if (c < 0x20 || c == 0x7F) {
        AppendVisibleEscape(out, c, true, medium);
        ++p;
      } else {
        p += medium.Write(out, std::string_view(reinterpret_cast<const char*>(p),
                                                static_cast<std::size_t>(end - p)));
      }
      copied = p;
      continue;
    }
    Utf8Char ch = DecodeUtf8(p, end);
    if (ch.valid && !IsHiddenCharacter(ch.code_point)) {
      p += ch.length;
      continue;
    }
    flush();
    AppendVisibleEscape(out, ch.valid ? ch.code_point : c, !ch.valid, medium);
    p += ch.length;
    copied = p;
  }
  flush();
}

// --- Terminals and CI logs -------------------------------------------------------------------

// Nothing but the visible escapes, and the workflow commands a CI runner reads in a log line:
// GitHub Actions reads `::command::` at the start of a line after any white space, and its
// legacy form `##[command]` anywhere in a line (Azure Pipelines reads `##vso[`). The second
// `#` of `##[` and `##vso[` is written `\x23`; a `::` that begins the text (after spaces) is
// written `\x3A:`.
// Writes the `#` that begins `rest`: the second `#` of `##[` or `##vso[` (in any case) as
// `\x23`, which the runners do not read as a command (`backslash` is how the medium writes a
// backslash). Returns the bytes it took.
inline std::size_t WriteCommandHash(std::string& out, std::string_view rest,
                                    std::string_view backslash = "\\") {
  auto starts = [&](std::string_view prefix) {
    if (rest.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      char c = rest[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != prefix[i]) return false;
    }
    return true;
  };
  if (starts("##[") || starts("##vso[")) {
    out += '#';
    out += backslash;
    out += "x23";
    return 2;
  }
  out += '#';
  return 1;
}

struct TerminalMedium {
  static constexpr AsciiSet special = MakeAsciiSet("#");
  static std::size_t Write(std::string& out, std::string_view rest) {
    return WriteCommandHash(out, rest);
  }
};

// The number of bytes of white space (as .NET's TrimStart sees it, less what is escaped
// anyway) at the start of `text`.
inline std::size_t LeadingBlankLength(std::string_view text) {
  const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = begin + text.size();
  const unsigned char* p = begin;
  while (p < end) {
    Utf8Char ch = DecodeUtf8(p, end);
    char32_t c = ch.code_point;
    bool blank =
        ch.valid && (c == ' ' || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
                     c == 0x202F || c == 0x205F || c == 0x3000);
    if (!blank) break;
    p += ch.length;
  }
  return static_cast<std::size_t>(p - begin);
}

// One line of text (or part of one) for a terminal or a log.
inline void AppendTerminalText(std::string& out, std::string_view text) {
  std::size_t blank = LeadingBlankLength(text);
  if (text.substr(blank, 2) == "::") {
    out.append(text.substr(0, blank));
    out += "\\x3A";
    text.remove_prefix(blank + 1);
  }
  AppendEscaped(out, text, TerminalMedium{});
}

// Several lines: line feeds are kept, and each line is escaped as AppendTerminalText does.
inline void AppendTerminalLines(std::string& out, std::string_view text) {
  while (true) {
    std::size_t newline = text.find('\n');
    AppendTerminalText(out, text.substr(0, newline));
    if (newline == std::string_view::npos) return;
    out += '\n';
    text.remove_prefix(newline + 1);
  }
}

inline std::string TerminalText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendTerminalText(out, text);
  return out;
}

// --- Markdown (GitHub Flavored, for pull-request comments) -----------------------------------

// Inline text, never at the start of a line. Every character with a meaning in CommonMark or
// GitHub's extensions is backslash-escaped: emphasis, code, links, images, raw HTML and
// entities, tables, strikethrough, and the `.` and `:` of `www.` and `https://` that GitHub
// turns into links. `@` is written as the code span `` `@` ``: GitHub looks for mentions
// (`@user`, `@org/team`) in the rendered text, where a backslash no longer is, but never in code.
struct MarkdownTextMedium {
  static constexpr AsciiSet special = MakeAsciiSet("\\`*_[]<>|~&!#().:@");
  static std::size_t Write(std::string& out, std::string_view rest) {
    if (rest.front() == '@') {
      out += "`@`";
    } else {
      out += '\\';
      out += rest.front();
    }
    return 1;
  }
};

inline void AppendMarkdownText(std::string& out, std::string_view text) {
  AppendEscaped(out, text, MarkdownTextMedium{});
}

inline std::string MarkdownText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendMarkdownText(out, text);
  return out;
}

// Inside a code span nothing is markup but the backticks that close it, and nothing can be
// escaped: a runner command (a comment's text may be printed to a CI log) is broken with the
// visible escape `#\x23[`.
struct MarkdownCodeMedium {
  static constexpr AsciiSet special = MakeAsciiSet("#");
  static std::size_t Write(std::string& out, std::string_view rest) {
    return WriteCommandHash(out, rest);
  }
};

// `text` as a code span: its fence is one backtick longer than the longest run of backticks in
// it, and a space pads both sides when it begins or ends with a backtick, or begins and ends
// with a space (CommonMark strips one such space from each side).
inline void AppendMarkdownCode(std::string& out, std::string_view text) {
  std::size_t longest = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '`') {
      ++i;
      continue;
    }
    std::size_t run = text.find_first_not_of('`', i);
    if (run == std::string_view::npos) run = text.size();
    longest = std::max(longest, run - i);
    i = run;
  }
  bool pad = text.empty() || text.front() == '`' || text.back() == '`' ||
             (text.front() == ' ' && text.back() == ' ' &&
              text.find_first_not_of(' ') != std::string_view::npos);
  out.append(longest + 1, '`');
  if (pad) out += ' ';
  AppendEscaped(out, text, MarkdownCodeMedium{});
  if (pad) out += ' ';
  out.append(longest + 1, '`');
}

inline std::string MarkdownCode(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  AppendMarkdownCode(out, text);
  return out;
}

// --- XML 1.0 (JUnit), attribute values and character data ------------------------------------

// The five predefined entities; every character XML 1.0 forbids is among the visible escapes,
// so none appears, raw or as a character reference. A JUnit file is printed to CI logs too:
// runner commands are broken as in a log line.
struct XmlMedium {
  static constexpr AsciiSet special = MakeAsciiSet("&<>\"'#");
  static std::size_t Write(std::string& out, std::string_view rest) {
    switch (rest.front()) {
      case '#':
        return WriteCommandHash(out, rest);
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += "&apos;";
    }
    return 1;
  }
};

inline void AppendXml(std::string& out, std::string_view text) {
  AppendEscaped(out, text, XmlMedium{});
}

inline std::string Xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendXml(out, text);
  return out;
}

// --- GitHub Actions workflow commands ---------------------------------------------------------

// `::error file=…,title=…::message`: the runner decodes `%25`, `%0D` and `%0A` in the message,
// and `%3A` and `%2C` too in property values, where `:` and `,` would end the value. Line
// breaks from the input are visible escapes like the other controls; the caller writes `%0A`
// for a line break of its own. A legacy command `##[` is broken as in a log line.
struct GithubMedium {
  AsciiSet special = MakeAsciiSet("%#");
  explicit GithubMedium(bool property) {
    if (property) special = MakeAsciiSet("%#:,");
  }
  static std::size_t Write(std::string& out, std::string_view rest) {
    char c = rest.front();
    if (c == '#') return WriteCommandHash(out, rest);
    out += c == '%' ? "%25" : c == ':' ? "%3A" : "%2C";
    return 1;
  }
};

inline void AppendGithubMessage(std::string& out, std::string_view text) {
  AppendEscaped(out, text, GithubMedium(false));
}

inline void AppendGithubProperty(std::string& out, std::string_view text) {
  AppendEscaped(out, text, GithubMedium(true));
}

// --- SARIF message strings --------------------------------------------------------------------

// Plain text message strings (SARIF 2.1.0 §3.11): `[`, `]` and `\` are backslash-escaped, so
// that no embedded link `[text](target)` can be formed, and `{`, `}` are doubled (§3.11.5:
// placeholders). The string then goes into JSON, which escapes it again. A rule's description
// and help from the pack keep their line feeds (`keep_line_feeds`); a result's message does not.
struct SarifTextMedium {
  AsciiSet special = MakeAsciiSet("[]\\{}");
  explicit SarifTextMedium(bool keep_line_feeds) {
    if (keep_line_feeds) special['\n'] = false;
  }
  static std::size_t Write(std::string& out, std::string_view rest) {
    char c = rest.front();
    if (c == '{' || c == '}') {
      out += c;
    } else {
      out += '\\';
    }
    out += c;
    return 1;
  }
};

inline void AppendSarifText(std::string& out, std::string_view text, bool keep_line_feeds = false) {
  AppendEscaped(out, text, SarifTextMedium(keep_line_feeds));
}

inline std::string SarifText(std::string_view text, bool keep_line_feeds = false) {
  std::string out;
  out.reserve(text.size());
  AppendSarifText(out, text, keep_line_feeds);
  return out;
}

// --- URI references (SARIF artifact locations, Markdown link destinations) --------------------

// A relative path as a URI reference: every byte but the unreserved characters of RFC 3986 and
// `/` is percent-encoded, so that a space, `#`, `?`, `%`, `(`, `)` or `<` in a file name
// neither ends the link nor changes what it points to.
inline void AppendUriPath(std::string& out, std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : path) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
}

inline std::string UriPath(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  AppendUriPath(out, path);
  return out;
}

// --- Graphviz DOT, inside a double-quoted string ---------------------------------------------

// `"` and `\` are backslash-escaped: a lone `\` would start an escape such as `\N` (the node's
// name) or `\l` (a line break) in a label. `provgate graph` prints to CI logs: runner commands
// are broken as in a log line.
struct DotMedium {
  static constexpr AsciiSet special = MakeAsciiSet("\"\\#");
  static std::size_t Write(std::string& out, std::string_view rest) {
    if (rest.front() == '#') return WriteCommandHash(out, rest, "\\\\");
    out += '\\';
    out += rest.front();
    return 1;
  }
};

inline void AppendDot(std::string& out, std::string_view text) {
  AppendEscaped(out, text, DotMedium{});
}

inline std::string Dot(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendDot(out, text);
  return out;
}

// --- CSV cells (RFC 4180), for spreadsheets -------------------------------------------------

// A quoted cell: `"` is doubled; a line break or tab from the input is a visible escape like
// the other controls, so every record is one line. A spreadsheet reads a cell that begins with
// `=`, `+`, `-` or `@` (after spaces; or their full-width forms, which some read the same way)
// as a formula:
// such a cell begins with `'`, which spreadsheets show and never evaluate. A CSV printed to a
// CI log breaks runner commands as a log line does (every line begins with `"`).
struct CsvMedium {
  static constexpr AsciiSet special = MakeAsciiSet("\"#");
  static std::size_t Write(std::string& out, std::string_view rest) {
    if (rest.front() == '#') return WriteCommandHash(out, rest);
    out += "\"\"";
    return 1;
  }
};

// Whether a spreadsheet would read a cell that begins with `text` as a formula (after spaces,
// which some trim).
inline bool StartsLikeFormula(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  if (text.empty()) return false;
  char c = text.front();
  if (c == '=' || c == '+' || c == '-' || c == '@') return true;
  // U+FF0B, U+FF0D, U+FF1D and U+FF20 (full-width + - = @) in UTF-8.
  for (std::string_view wide : {"\xEF\xBC\x8B", "\xEF\xBC\x8D", "\xEF\xBC\x9D", "\xEF\xBC\xA0"}) {
    if (text.substr(0, 3) == wide) return true;
  }
  return false;
}

inline void AppendCsvCell(std::string& out, std::string_view text) {
  out += '"';
  if (StartsLikeFormula(text)) out += '\'';
  AppendEscaped(out, text, CsvMedium{});
  out += '"';
}

}  // namespace provgate::detail

#endif  // PROVGATE_COMMON_ESCAPE_H_
