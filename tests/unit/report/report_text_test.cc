// The text report at real size and its header, from the contract of docs/cli.md ("CI
// formats", the text report's header) and of `validate` (docs/cli.md, "Commands"): many
// findings of one rule and reason are one entry, errors come first, sizes are said as the
// sources state them, and validate never reads as a verdict on the model.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "provgate/report.h"

namespace provgate {
namespace {

Finding MakeFinding(std::string rule, Severity severity, std::string subject, std::string reason) {
  Finding f;
  f.rule = std::move(rule);
  f.severity = severity;
  f.reason = std::move(reason);
  f.message = "source '" + subject + "' has a problem of kind " + f.reason;
  f.remedy = "Fix '" + subject + "'.";
  f.subject = std::move(subject);
  f.location.file = "manifest.json";
  f.location.line = 10;
  f.location.column = 5;
  f.location.pointer = "/sources/" + f.subject;
  return f;
}

// 67 sources without a digest (P9 warnings, reported in rule order before nothing else), and
// one pirated source (a P1 error): the report as `check` sorts it (by rule, then subject).
Report TransparencyAndPiracy() {
  Report report;
  report.model_id = "lab/model";
  report.policy_name = "pack";
  report.policy_version = "1";
  report.policy_profile = "thread";
  report.effective_weights = "closed";
  report.verdict = Verdict::kNonCompliant;
  report.findings.push_back(MakeFinding("P1", Severity::kError, "shadow-books", "pirated"));
  for (int i = 0; i < 67; ++i) {
    char id[16];
    std::snprintf(id, sizeof(id), "crawl-%02d", i);
    report.findings.push_back(MakeFinding("P9", Severity::kWarning, id, "missing-digest"));
  }
  report.summary.errors = 1;
  report.summary.warnings = 67;
  report.summary.sources = 68;
  report.summary.tokens = 5000;
  return report;
}

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST(TextReport, ManyFindingsOfOneRuleAndReasonAreOneEntry) {
  std::string out = RenderTextReport(TransparencyAndPiracy());
  // The error is listed whole, before any warning.
  std::size_t error = out.find("  P1 [pirated] shadow-books\n    at manifest.json:10:5");
  std::size_t warnings = out.find("\nWarnings\n");
  ASSERT_NE(error, std::string::npos) << out;
  ASSERT_NE(warnings, std::string::npos) << out;
  EXPECT_LT(out.find("\nErrors\n"), error);
  EXPECT_LT(error, warnings);
  // The 67 warnings: one entry with the count and the first five subjects in report order.
  EXPECT_NE(out.find("  P9 [missing-digest] 67 findings, first five: crawl-00, crawl-01, "
                     "crawl-02, crawl-03, crawl-04\n    first at manifest.json:10:5"),
            std::string::npos)
      << out;
  EXPECT_EQ(Count(out, "crawl-05"), 0u) << out;
  EXPECT_EQ(Count(out, "[missing-digest]"), 1u) << out;
  // The first one's message and fix stand for the group, and the JSON lists every finding.
  EXPECT_EQ(Count(out, "has a problem of kind missing-digest"), 1u);
  EXPECT_NE(out.find("--format json lists every finding"), std::string::npos);
}

TEST(TextReport, FiveOfAKindAreListedSixAreGrouped) {
  Report report = TransparencyAndPiracy();
  report.findings.resize(1 + 5);  // The error and five warnings.
  std::string five = RenderTextReport(report);
  EXPECT_EQ(Count(five, "[missing-digest]"), 5u) << five;
  EXPECT_EQ(five.find("findings"), std::string::npos) << five;
  EXPECT_EQ(five.find("lists every finding"), std::string::npos) << five;

  report = TransparencyAndPiracy();
  report.findings.resize(1 + 6);
  std::string six = RenderTextReport(report);
  EXPECT_NE(six.find("P9 [missing-digest] 6 findings, first five: crawl-00, crawl-01, "
                     "crawl-02, crawl-03, crawl-04\n"),
            std::string::npos)
      << six;
  EXPECT_EQ(six.find("crawl-05"), std::string::npos) << six;

  // With another threshold: four of a kind, all named.
  TextOptions three;
  three.group_above = 3;
  report = TransparencyAndPiracy();
  report.findings.resize(1 + 4);
  std::string four = RenderTextReport(report, three);
  EXPECT_NE(four.find("P9 [missing-digest] 4 findings: crawl-00, crawl-01, crawl-02, "
                      "crawl-03\n"),
            std::string::npos)
      << four;

  // Another reason of the same rule is a group of its own; so is another severity.
  report = TransparencyAndPiracy();
  report.findings.resize(1 + 6);
  report.findings.push_back(MakeFinding("P9", Severity::kWarning, "z-size", "missing-size"));
  report.findings.push_back(MakeFinding("P9", Severity::kInfo, "z-info", "missing-digest"));
  std::string mixed = RenderTextReport(report);
  EXPECT_NE(mixed.find("  P9 [missing-size] z-size\n"), std::string::npos) << mixed;
  EXPECT_NE(mixed.find("  P9 [missing-digest] z-info\n"), std::string::npos) << mixed;

  // 0 never groups.
  TextOptions options;
  options.group_above = 0;
  std::string all = RenderTextReport(TransparencyAndPiracy(), options);
  EXPECT_EQ(Count(all, "[missing-digest]"), 67u);
}

TEST(TextReport, ManyObligationsOfOneKindAndLicenceAreOneLine) {
  Report report = TransparencyAndPiracy();
  for (int i = 0; i < 8; ++i) {
    Obligation o;
    o.kind = "attribution";
    o.rule = "P7";
    o.subject = "crawl-0" + std::to_string(i);
    o.license = i < 7 ? "MIT" : "CC-BY-4.0";
    o.uri = "https://crawl.example/" + std::to_string(i);
    report.obligations.push_back(o);
  }
  std::string out = RenderTextReport(report);
  EXPECT_NE(out.find("\n  P7 attribution (MIT): 7 subjects, first five: crawl-00, crawl-01, "
                     "crawl-02, crawl-03, crawl-04\n  P7 attribution: crawl-07 (CC-BY-4.0) "
                     "https://crawl.example/7\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("https://crawl.example/0"), std::string::npos) << out;
}

TEST(TextReport, WaivedFindingsAreNotGroupedWithUnwaivedOnes) {
  Report report = TransparencyAndPiracy();
  report.findings.resize(1 + 10);
  for (std::size_t i = 1; i < 5; ++i) report.findings[i].waived = true;
  std::string out = RenderTextReport(report);
  // Four waived and six unwaived: the six are a group, the four are listed.
  EXPECT_EQ(Count(out, "[missing-digest]"), 5u) << out;
  EXPECT_EQ(Count(out, "(waived)"), 4u) << out;
  EXPECT_NE(out.find("P9 [missing-digest] 6 findings, first five: crawl-04, crawl-05, "),
            std::string::npos)
      << out;
}

TEST(TextReport, HeaderSaysTheSizeTheSourcesState) {
  Report report = TransparencyAndPiracy();
  report.summary.tokens = 0;
  report.summary.bytes = 0;
  std::string none = RenderTextReport(report);
  EXPECT_NE(none.find("68 sources, 0 stages, size unknown\n"), std::string::npos) << none;
  EXPECT_EQ(none.find("0 tokens"), std::string::npos) << none;
  EXPECT_NE(none.find("0 of 68 sources used without permission\n"), std::string::npos) << none;

  report.summary.bytes = 1234567;
  std::string bytes = RenderTextReport(report);
  EXPECT_NE(bytes.find("68 sources, 0 stages, 1,234,567 bytes\n"), std::string::npos) << bytes;
  EXPECT_EQ(bytes.find("tokens"), std::string::npos) << bytes;

  report.summary.tokens = 5000;
  report.summary.tokens_unpermitted = 1000;
  std::string both = RenderTextReport(report);
  EXPECT_NE(both.find("5,000 tokens and 1,234,567 bytes\n"), std::string::npos) << both;
  EXPECT_NE(both.find("used without permission (1,000 tokens)"), std::string::npos) << both;

  report.summary.bytes = 0;
  std::string tokens = RenderTextReport(report);
  EXPECT_NE(tokens.find("68 sources, 0 stages, 5,000 tokens\n"), std::string::npos) << tokens;
}

TEST(TextReport, ValidationSaysWellFormedAndGivesNoVerdictOnTheModel) {
  Report report;
  report.model_id = "lab/model";
  report.effective_weights = "closed";
  report.tainted = true;
  report.taint_chain = "lab/model: used books without permission (pirated)";
  report.summary.unpermitted = 1;
  report.summary.sources = 2;
  report.verdict = Verdict::kCompliant;  // The integrity rule found nothing.
  TextOptions options;
  options.validation = true;
  std::string out = RenderTextReport(report, options);
  EXPECT_EQ(out.rfind("WELL-FORMED  lab/model\n", 0), 0u) << out;
  EXPECT_NE(out.find("the policy was not evaluated"), std::string::npos) << out;
  for (const char* verdict : {"VALID", "COMPLIANT", "tainted", "without permission", "taint:"}) {
    EXPECT_EQ(out.find(verdict), std::string::npos) << verdict << "\n" << out;
  }
  report.verdict = Verdict::kNonCompliant;
  report.findings.push_back(MakeFinding("P2", Severity::kError, "a", "duplicate-id"));
  out = RenderTextReport(report, options);
  EXPECT_EQ(out.rfind("INTEGRITY ERRORS  lab/model\n", 0), 0u) << out;
  EXPECT_EQ(out.find("tainted"), std::string::npos) << out;
}

}  // namespace
}  // namespace provgate
