// Every rendering of a report whose ids, messages, waivers, licences and file names are
// hostile: no output may carry a raw control character, a line the input wrote, markup the
// input wrote, or a byte sequence that is not UTF-8.
#include "provgate/formats.h"

#include <gtest/gtest.h>

#include <cctype>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "provgate/check.h"
#include "provgate/diagnostic.h"
#include "provgate/policy.h"
#include "provgate/report.h"

namespace provgate {
namespace {

// A line a terminal would show as a verdict of its own.
constexpr char kForgedLine[] = "COMPLIANT  lab/model";

// Each carries one way to forge or hide output; a finding's subject, message and remedy all
// hold it.
const std::vector<std::string>& Hostile() {
  static const std::vector<std::string> strings = {
      "esc\x1b[2K\r\x1b[1;32mCOMPLIANT\x1b[0m",
      "cr\r" + std::string(kForgedLine),
      "lf\n" + std::string(kForgedLine) + "\n",
      std::string("nul\0x", 5),
      "ticks ``` `x` @here [link](https://evil.example) <img src=x onerror=alert(1)> ]]>",
      "bidi \xe2\x80\xae"
      "exe.txt",
      "sep \xe2\x80\xa8"
      "COMPLIANT \xe2\x80\xa9",
      "bad utf8 \xff\xfe\xc0\xaf",
      "::error file=forged.json,line=1::forged annotation",
      "##[error]legacy command",
      "quote \" apostrophe ' backslash \\ percent %25 comma , colon :",
      "xml forbidden \x01\x0b\xef\xbf\xbe",
  };
  return strings;
}

Report HostileReport() {
  Report report;
  report.tool_version = "0.1.0";
  report.manifest_path = "dir with space/m#1\x1b.json";
  report.policy_name = "pack\x1b[31m";
  report.policy_version = "1.0\n" + std::string(kForgedLine);
  report.policy_profile = "thread";
  report.model_id = "lab/model\n" + std::string(kForgedLine);
  report.weights = Weights::kClosed;
  report.effective_weights = "closed";
  report.tainted = true;
  report.taint_chain = "lab/model \xe2\x86\x90 distillation \xe2\x86\x90 up\x1b[0m\nCOMPLIANT";
  report.verdict = Verdict::kNonCompliant;
  auto waiver = std::make_shared<Waiver>();
  waiver->rule = "P9";
  waiver->reason = "approved\n" + std::string(kForgedLine) + " <b>@here</b>";
  waiver->approver = "jane@acme.example\x1b[8m";
  waiver->created = "2026-01-01";
  waiver->expires = "2026-12-31";
  waiver->ticket = "https://t.example/\x07";
  int n = 0;
  for (const std::string& text : Hostile()) {
    Finding f;
    f.rule = n % 3 == 0 ? "P1" : n % 3 == 1 ? "P9" : "P2";
    f.severity = n % 3 == 0 ? Severity::kError : n % 3 == 1 ? Severity::kWarning : Severity::kInfo;
    f.subject = text;
    f.reason = "reason-" + std::to_string(n);
    f.message = "source '" + text + "' is used without permission";
    f.remedy = "Remove '" + text + "'.";
    f.location.file = n % 2 == 0 ? report.manifest_path : "sources\n" + text + ".jsonl";
    f.location.pointer = "/sources/" + std::to_string(n) + "/" + text;
    f.location.line = static_cast<std::uint32_t>(n + 1);
    f.location.column = 3;
    if (n == 4) {
      f.waived = true;
      f.waiver = waiver;
    }
    report.findings.push_back(f);
    Obligation o;
    o.kind = "attribution";
    o.rule = "P7";
    o.subject = text;
    if (n % 2 == 1) o.title = "Title " + text;  // Without a title, the id begins its line.
    o.license = "CC-BY-4.0 " + text;
    o.uri = "https://example.org/" + text;
    report.obligations.push_back(o);
    // A duty stated in words, as licences and contracts give them.
    o.kind = n % 2 == 0 ? "display-notice" : "use-restrictions";
    o.text = "Built with " + text;
    report.obligations.push_back(o);
    SourceDecision d;
    d.id = text;
    if (n % 2 == 1) d.title = "Title " + text;  // Without a title, the id begins its line.
    d.permitted = n % 2 == 0;
    d.reason = n % 2 == 0 ? "" : "no-basis";
    d.detail = "because " + text;
    d.basis = "license";
    d.license = "=cmd|' /C calc'!A0 " + text;
    d.license_canonical = text;
    d.license_class = "permissive";
    d.stages = std::make_shared<const std::vector<std::string>>(
        std::vector<std::string>{text, "@" + text});
    if (!report.decisions) report.decisions.emplace();
    report.decisions->push_back(d);
    ++n;
  }
  report.fixed.push_back(report.findings.front());
  report.baseline_path = "base\x1b.json";
  report.summary.errors = 4;
  report.summary.warnings = 3;
  report.summary.infos = 4;
  report.summary.waived = 1;
  return report;
}

PackInfo HostilePack() {
  PackInfo pack;
  pack.name = "pack";
  for (const char* id : {"P1", "P2", "P9"}) {
    RuleInfo rule;
    rule.id = id;
    rule.title = std::string("Title of ") + id + " [link](https://evil.example) \x1b[1m";
    rule.description = "Checks\nthings {0} [x](1)\n";
    rule.remedy = "Do it.";
    rule.rationale = "Because \xe2\x80\xae.";
    pack.rules.push_back(rule);
  }
  return pack;
}

// The first byte of `text` that no rendering may write: a C0 control but `allowed`, DEL, or
// the start of a sequence that is not UTF-8 or is a C1 control, a separator or a format
// character. npos when there is none.
std::size_t FindUnsafe(const std::string& text, const std::string& allowed = "\n") {
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 || c == 0x7f) && allowed.find(static_cast<char>(c)) == std::string::npos) {
        return i;
      }
      ++i;
      continue;
    }
    std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (length == 0 || i + length > text.size()) return i;
    char32_t cp = c & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07);
    for (std::size_t k = 1; k < length; ++k) {
      unsigned char next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (next & 0x3F);
    }
    bool hidden = cp <= 0x9F || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
                  (cp >= 0x2066 && cp <= 0x2069) || (cp >= 0x200B && cp <= 0x200F) ||
                  cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF);
    if (hidden) return i;
    i += length;
  }
  return std::string::npos;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A line as GitHub's runner sees it: after leading white space.
std::string Trimmed(const std::string& line) {
  std::size_t start = line.find_first_not_of(" \t");
  return start == std::string::npos ? "" : line.substr(start);
}

void ExpectNoForgedLines(const std::string& out, const std::string& what) {
  std::vector<std::string> lines = Lines(out);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string line = Trimmed(lines[i]);
    EXPECT_NE(line.rfind("COMPLIANT", 0), 0u) << what << " line " << i << ": " << line;
    EXPECT_NE(line.rfind("::", 0), 0u) << what << " line " << i << ": " << line;
    EXPECT_EQ(line.find("##["), std::string::npos) << what << " line " << i << ": " << line;
  }
}

TEST(HostileReport, TextHasOnlyItsOwnLines) {
  Report report = HostileReport();
  std::string out = RenderTextReport(report);
  EXPECT_EQ(FindUnsafe(out), std::string::npos) << out;
  ExpectNoForgedLines(out, "text");
  EXPECT_EQ(Lines(out).front().rfind("NON-COMPLIANT  lab/model\\x0ACOMPLIANT", 0), 0u);
  // With colour, the only escapes are the report's own.
  TextOptions color;
  color.color = true;
  std::string painted = RenderTextReport(report, color);
  std::size_t escapes = 0;
  for (std::size_t at = painted.find('\x1b'); at != std::string::npos;
       at = painted.find('\x1b', at + 1)) {
    EXPECT_TRUE(painted.compare(at, 2, "\x1b[") == 0) << at;
    ++escapes;
  }
  // The verdict, three group headings and the rule of each finding: an opening and a reset.
  EXPECT_EQ(escapes, 2 * (1 + 3 + report.findings.size()));
  EXPECT_EQ(FindUnsafe(painted, "\n\x1b"), std::string::npos);
}

TEST(HostileReport, NoticeHasOnlyItsOwnLines) {
  std::string out = RenderNotice(HostileReport());
  EXPECT_EQ(FindUnsafe(out), std::string::npos) << out;
  ExpectNoForgedLines(out, "notice");
  EXPECT_NE(out.find("\n\\x3A:error file=forged.json"), std::string::npos) << out;
}

TEST(HostileReport, CsvHasOneLinePerSourceAndNoFormula) {
  Report report = HostileReport();
  std::string csv = RenderDecisionsCsv(report);
  EXPECT_EQ(FindUnsafe(csv, "\r\n"), std::string::npos) << csv;
  ExpectNoForgedLines(csv, "csv");
  // Records end with CRLF, and no other line break appears.
  std::vector<std::string> records;
  for (std::size_t start = 0; start < csv.size();) {
    std::size_t end = csv.find("\r\n", start);
    ASSERT_NE(end, std::string::npos);
    records.push_back(csv.substr(start, end - start));
    start = end + 2;
  }
  ASSERT_EQ(records.size(), report.decisions->size() + 1);
  for (const std::string& record : records) {
    EXPECT_EQ(record.find_first_of("\r\n"), std::string::npos) << record;
  }
  // Every text cell is quoted and none begins with what a spreadsheet reads as a formula:
  // after a separator, a cell opens with a quote, and after that quote comes no = + - @.
  for (std::size_t i = 1; i < records.size(); ++i) {
    const std::string& r = records[i];
    bool quoted = false;
    for (std::size_t k = 0; k < r.size(); ++k) {
      if (r[k] == '"') {
        if (!quoted) {
          EXPECT_EQ(std::string("=+-@").find(r[k + 1]), std::string::npos) << r;
          quoted = true;
        } else if (k + 1 < r.size() && r[k + 1] == '"') {
          ++k;  // A doubled quote inside the cell.
        } else {
          quoted = false;
        }
      }
    }
    EXPECT_FALSE(quoted) << r;
  }
}

TEST(HostileReport, TerminalEscapingIsPublic) {
  EXPECT_EQ(EscapeTerminalText("a\x1b"
                               "b\nc"),
            "a\\x1Bb\\x0Ac");
  EXPECT_EQ(EscapeTerminalLines("a\x1b"
                                "b\n::c"),
            "a\\x1Bb\n\\x3A:c");
}

TEST(HostileReport, DiagnosticsAreOneSafeLine) {
  Diagnostic d;
  d.file = "::error::m\x1b.json";
  d.line = 3;
  d.column = 4;
  d.message = "duplicate id 'a\nCOMPLIANT\r\xe2\x80\xae'";
  d.pointer = "/sources/0/id\x1b";
  std::string out = FormatDiagnostic(d);
  EXPECT_EQ(out,
            "\\x3A:error::m\\x1B.json:3:4: error: duplicate id 'a\\x0ACOMPLIANT\\x0D"
            "\\u202E' (at /sources/0/id\\x1B)");
  EXPECT_EQ(FindUnsafe(out, ""), std::string::npos);
}

// The text of a Markdown line outside its code spans, as CommonMark reads them: a run of N
// backticks not escaped by a backslash opens a span that the next run of exactly N closes; a
// run with no such closing run is literal. A backslash-escaped character is literal text, not
// markup: it is replaced by a space.
std::string OutsideCodeSpans(const std::string& line) {
  std::string outside;
  for (std::size_t i = 0; i < line.size();) {
    if (line[i] == '\\' && i + 1 < line.size() &&
        std::ispunct(static_cast<unsigned char>(line[i + 1]))) {
      outside += ' ';
      i += 2;
      continue;
    }
    if (line[i] != '`') {
      outside += line[i++];
      continue;
    }
    std::size_t run_end = line.find_first_not_of('`', i);
    if (run_end == std::string::npos) run_end = line.size();
    std::size_t length = run_end - i;
    std::size_t close = std::string::npos;
    for (std::size_t k = run_end; k < line.size();) {
      if (line[k] != '`') {
        ++k;
        continue;
      }
      std::size_t end = line.find_first_not_of('`', k);
      if (end == std::string::npos) end = line.size();
      if (end - k == length) {
        close = end;
        break;
      }
      k = end;
    }
    if (close == std::string::npos) {
      outside.append(line, i, length);
      i = run_end;
    } else {
      outside += ' ';
      i = close;
    }
  }
  return outside;
}

TEST(HostileReport, MarkdownIsOnlyItsOwnMarkup) {
  Report report = HostileReport();
  FormatOptions options;
  options.link_base = "https://github.com/o/r/blob/abc/";
  std::string out = RenderMarkdownReport(report, options);
  EXPECT_EQ(FindUnsafe(out), std::string::npos) << out;
  // Every line is one the report starts: the heading, the table, a list item, a fold.
  for (const std::string& line : Lines(out)) {
    bool own = line.empty() || line.rfind("### provgate", 0) == 0 || line.rfind("|", 0) == 0 ||
               line.rfind("- ", 0) == 0 || line.rfind("Taint: ", 0) == 0 ||
               line.rfind("**", 0) == 0 || line.rfind("<details>", 0) == 0 ||
               line == "</details>" || line.rfind("<sub>policy ", 0) == 0;
    EXPECT_TRUE(own) << line;
  }
  // No markup from the input outside the code spans that hold ids: no tag, link, bare URL or
  // mention.
  for (const std::string& line : Lines(out)) {
    std::string outside = OutsideCodeSpans(line);
    EXPECT_EQ(outside.find("<img"), std::string::npos) << line;
    EXPECT_EQ(outside.find("<b>"), std::string::npos) << line;
    EXPECT_EQ(outside.find("](https://evil"), std::string::npos) << line;
    EXPECT_EQ(outside.find("https://evil"), std::string::npos) << line;
    EXPECT_EQ(outside.find("www."), std::string::npos) << line;
    EXPECT_EQ(outside.find('@'), std::string::npos) << line;
  }
  // Subjects are code spans that close where they should.
  EXPECT_NE(out.find("````ticks ``` `x` @here [link](https://evil.example) <img src=x "
                     "onerror=alert(1)> ]]>````"),
            std::string::npos)
      << out;
  // Links to lines have the path percent-encoded.
  EXPECT_NE(out.find("](https://github.com/o/r/blob/abc/dir%20with%20space/m%231%1B.json#L1)"),
            std::string::npos)
      << out;
}

TEST(HostileReport, JunitHasNoForbiddenCharacterAndNoMarkup) {
  Report report = HostileReport();
  std::string out = RenderJunitReport(report, HostilePack());
  EXPECT_EQ(FindUnsafe(out), std::string::npos) << out;
  ExpectNoForgedLines(out, "junit");
  EXPECT_EQ(out.find("<img"), std::string::npos);
  EXPECT_EQ(out.find("]]>"), std::string::npos);
  // One test case per rule and subject, one failure per failing test case: the structure the
  // renderer wrote, and none the input added.
  std::size_t cases = 0, failures = 0;
  for (std::size_t at = out.find("<testcase "); at != std::string::npos;
       at = out.find("<testcase ", at + 1)) {
    ++cases;
  }
  for (std::size_t at = out.find("<failure "); at != std::string::npos;
       at = out.find("<failure ", at + 1)) {
    ++failures;
  }
  EXPECT_EQ(cases, report.findings.size());
  EXPECT_EQ(failures, 4u);
  // Attribute values hold no quote, and no line break at all.
  for (const std::string& line : Lines(out)) {
    std::size_t quotes = 0;
    for (char c : line) quotes += c == '"';
    EXPECT_EQ(quotes % 2, 0u) << line;
  }
}

TEST(HostileReport, GithubAnnotationsAreOneCommandPerFinding) {
  Report report = HostileReport();
  std::string out = RenderGithubAnnotations(report);
  EXPECT_EQ(FindUnsafe(out), std::string::npos) << out;
  std::vector<std::string> lines = Lines(out);
  ASSERT_EQ(lines.size(), report.findings.size() + 1);
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    const std::string& line = lines[i];
    ASSERT_EQ(line.rfind("::", 0), 0u) << line;
    EXPECT_EQ(line.find("##["), std::string::npos) << line;
    // `::command properties::message`, where the properties are the four the renderer writes.
    std::size_t space = line.find(' ');
    std::size_t end = line.find("::", 2);
    ASSERT_NE(space, std::string::npos);
    ASSERT_NE(end, std::string::npos);
    std::string command = line.substr(2, space - 2);
    EXPECT_TRUE(command == "error" || command == "warning" || command == "notice") << line;
    std::string properties = line.substr(space + 1, end - space - 1);
    std::vector<std::string> names;
    std::size_t start = 0;
    while (start <= properties.size()) {
      std::size_t comma = properties.find(',', start);
      std::string property = properties.substr(start, comma - start);
      names.push_back(property.substr(0, property.find('=')));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    EXPECT_EQ(names, (std::vector<std::string>{"file", "line", "col", "title"})) << line;
    // The runner decodes %0A in the message: only the renderer's own "Fix:" line break is there.
    std::string message = line.substr(end + 2);
    std::size_t breaks = 0;
    for (std::size_t at = message.find("%0A"); at != std::string::npos;
         at = message.find("%0A", at + 1)) {
      ++breaks;
    }
    EXPECT_EQ(breaks, 1u) << line;
    EXPECT_EQ(message.find("%0D"), std::string::npos) << line;
  }
  EXPECT_EQ(lines.back().rfind("provgate: non-compliant: lab/model\\x0ACOMPLIANT", 0), 0u);
}

TEST(HostileReport, SarifMessagesFormNoLinksAndShowTheControls) {
  Report report = HostileReport();
  std::string out = RenderSarifReport(report, HostilePack());
  nlohmann::json sarif = nlohmann::json::parse(out);  // Valid JSON, so valid UTF-8.
  const auto& run = sarif["runs"][0];
  auto no_link = [](const std::string& text) {
    // Every bracket and brace the input had is escaped: `\[`, `\]`, `{{`, `}}`.
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\\') {
        ++i;
        continue;
      }
      if (text[i] == '[' || text[i] == ']') return false;
      if (text[i] == '{' || text[i] == '}') {
        if (i + 1 >= text.size() || text[i + 1] != text[i]) return false;
        ++i;
      }
    }
    return true;
  };
  for (const auto& rule : run["tool"]["driver"]["rules"]) {
    for (const char* key : {"shortDescription", "fullDescription", "help"}) {
      std::string text = rule[key]["text"];
      EXPECT_EQ(FindUnsafe(text), std::string::npos) << text;
      EXPECT_TRUE(no_link(text)) << text;
    }
  }
  ASSERT_EQ(run["results"].size(), report.findings.size());
  // The remedy as the JSON report has it (bytes that are not UTF-8 become U+FFFD in both).
  nlohmann::json json = nlohmann::json::parse(RenderJsonReport(report));
  for (std::size_t i = 0; i < run["results"].size(); ++i) {
    const auto& result = run["results"][i];
    std::string text = result["message"]["text"];
    EXPECT_EQ(FindUnsafe(text, ""), std::string::npos) << text;
    EXPECT_TRUE(no_link(text)) << text;
    // The message says what is wrong; the fix is a property of its own.
    EXPECT_EQ(text.find("Fix:"), std::string::npos) << text;
    EXPECT_EQ(text.find("Remove '"), std::string::npos) << text;
    EXPECT_EQ(result["properties"]["remedy"], json["findings"][i]["remedy"]);
    std::string uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    EXPECT_EQ(uri.find_first_of(" #\n\x1b%<>"), uri.find('%')) << uri;  // Percent-encoded.
    EXPECT_EQ(uri.find(' '), std::string::npos) << uri;
    if (result.contains("suppressions")) {
      std::string why = result["suppressions"][0]["justification"];
      EXPECT_EQ(FindUnsafe(why, ""), std::string::npos) << why;
    }
  }
  EXPECT_EQ(run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "dir%20with%20space/m%231%1B.json");
}

TEST(HostileReport, DotStringsStayInTheirQuotes) {
  LineageGraph graph;
  LineageGraph::Node node;
  node.id = "lab/model\"];\n  evil [label=\"x";
  node.weights = "closed";
  node.effective_weights = "closed\\";
  node.compliant = false;
  LineageGraph::Stage stage;
  stage.id = "pre\\N\\l";
  stage.unpermitted = 2;
  stage.unpermitted_examples = Hostile();
  node.stages.push_back(stage);
  graph.nodes.push_back(node);
  LineageGraph::Node up;
  up.id = "up\\";
  up.unverified = true;
  graph.nodes.push_back(up);
  graph.edges.push_back({node.id, up.id, "distillation\n}", "unverified\x1b", true});
  std::string out = RenderGraphDot(graph);
  EXPECT_EQ(FindUnsafe(out), std::string::npos) << out;
  // The renderer's lines, and no other: a header of four, a node each, an edge, the brace.
  std::vector<std::string> lines = Lines(out);
  ASSERT_EQ(lines.size(), 4u + 2 + 1 + 1) << out;
  // Outside quoted strings only the renderer's text; inside, every `"` and `\` escaped.
  for (std::size_t i = 4; i < lines.size() - 1; ++i) {
    const std::string& line = lines[i];
    std::string outside;
    bool quoted = false;
    for (std::size_t k = 0; k < line.size(); ++k) {
      if (quoted && line[k] == '\\') {
        ASSERT_LT(k + 1, line.size()) << line;
        ++k;
        continue;
      }
      if (line[k] == '"') {
        quoted = !quoted;
        continue;
      }
      if (!quoted) outside += line[k];
    }
    EXPECT_FALSE(quoted) << line;
    EXPECT_TRUE(outside == "   [label=, fillcolor=];" || outside ==
                                                             "   ->  [label=, color=, "
                                                             "fontcolor=, penwidth=2];")
        << outside;
  }
}

}  // namespace
}  // namespace provgate
