// The decision table of docs/cli.md ("The decision table"): each source's decision as
// docs/policy.md decides it, collected only when asked, and its CSV (RFC 4180, no cell a
// spreadsheet would read as a formula).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../test_files.h"
#include "provgate/check.h"
#include "provgate/policy.h"
#include "provgate/report.h"

namespace provgate {
namespace {

using testing_support::ScratchDir;

const RulePack& DefaultPack() {
  static const PackLoadResult loaded = LoadRulePack("");
  EXPECT_TRUE(loaded.ok());
  return *loaded.pack;
}

// A closed, commercial model; each source is one row of the permission table.
constexpr char kManifest[] = R"({
  "manifest_version": "1",
  "model": {"id": "lab/model", "release": {"weights": "closed", "deployment": "commercial",
            "date": "2026-05-01"},
            "stages": [{"id": "pre", "sources": ["mit", "sa", "pirated", "crawl"]},
                       {"id": "sft", "sources": ["nc", "sa"]}]},
  "sources": [
    {"id": "mit", "kind": "code", "license": "mit", "permission": {"basis": "license"},
     "size": {"tokens": 100}},
    {"id": "sa", "title": "Wiki", "kind": "encyclopedic", "license": "cc-by-sa-4.0",
     "permission": {"basis": "license"}, "size": {"bytes": 50}},
    {"id": "pirated", "kind": "books", "license": "CC-BY-4.0",
     "permission": {"basis": "license"}, "acquisition": {"method": "piracy"}},
    {"id": "crawl", "kind": "web-crawl", "permission": {"basis": "none"},
     "size": {"tokens": 7, "bytes": 9}},
    {"id": "nc", "kind": "other", "license": "CC-BY-NC-4.0", "permission": {"basis": "license"}},
    {"id": "own", "kind": "first-party", "permission": {"basis": "first-party"}}
  ]})";

CheckResult CheckText(const std::string& text, CheckOptions options) {
  ScratchDir dir;
  options.date = "2026-06-01";
  return Check(dir.Write("manifest.json", text), DefaultPack(), options);
}

std::vector<std::string> Stages(const SourceDecision& d) {
  return d.stages ? *d.stages : std::vector<std::string>{"(null)"};
}

TEST(Decisions, EachSourceAsThePermissionTableDecides) {
  CheckOptions options;
  options.collect_decisions = true;
  CheckResult result = CheckText(kManifest, options);
  ASSERT_EQ(result.ExitCode(), 1);
  ASSERT_TRUE(result.report.decisions.has_value());
  const std::vector<SourceDecision>& d = *result.report.decisions;
  ASSERT_EQ(d.size(), 6u);
  // Manifest order.
  EXPECT_EQ(d[0].id, "mit");
  EXPECT_EQ(d[5].id, "own");

  // A licence written in another case is shown as written and in its canonical spelling.
  EXPECT_TRUE(d[0].permitted);
  EXPECT_EQ(d[0].reason, "");
  EXPECT_EQ(d[0].license, "mit");
  EXPECT_EQ(d[0].license_canonical, "MIT");
  EXPECT_EQ(d[0].license_class, "permissive");
  EXPECT_EQ(d[0].basis, "license");
  EXPECT_EQ(d[0].tokens, std::optional<std::uint64_t>(100));
  EXPECT_FALSE(d[0].bytes.has_value());
  EXPECT_EQ(Stages(d[0]), std::vector<std::string>{"pre"});

  EXPECT_TRUE(d[1].permitted);
  EXPECT_EQ(d[1].title, "Wiki");
  EXPECT_EQ(d[1].license_canonical, "CC-BY-SA-4.0");
  EXPECT_EQ(d[1].license_class, "share-alike");
  EXPECT_FALSE(d[1].tokens.has_value());
  EXPECT_EQ(d[1].bytes, std::optional<std::uint64_t>(50));
  EXPECT_EQ(Stages(d[1]), (std::vector<std::string>{"pre", "sft"}));

  // Piracy overrides the licence.
  EXPECT_FALSE(d[2].permitted);
  EXPECT_EQ(d[2].reason, "pirated");
  EXPECT_EQ(d[2].license, "CC-BY-4.0");

  // Being readable is not permission; a source without a licence has the class none.
  EXPECT_FALSE(d[3].permitted);
  EXPECT_EQ(d[3].reason, "no-basis");
  EXPECT_EQ(d[3].basis, "none");
  EXPECT_EQ(d[3].license, "");
  EXPECT_EQ(d[3].license_canonical, "");
  EXPECT_EQ(d[3].license_class, "none");

  // A non-commercial licence for a commercial deployment.
  EXPECT_FALSE(d[4].permitted);
  EXPECT_EQ(d[4].reason, "non-commercial");
  EXPECT_EQ(d[4].license_class, "non-commercial");
  EXPECT_EQ(Stages(d[4]), std::vector<std::string>{"sft"});

  // First-party data is permitted; no stage names this source.
  EXPECT_TRUE(d[5].permitted);
  EXPECT_EQ(d[5].basis, "first-party");
  EXPECT_TRUE(Stages(d[5]).empty());
  for (const SourceDecision& decision : d) EXPECT_FALSE(decision.detail.empty()) << decision.id;

  // The JSON report carries the same, in the documented members.
  nlohmann::json json = nlohmann::json::parse(RenderJsonReport(result.report));
  ASSERT_EQ(json["decisions"].size(), 6u);
  nlohmann::json expected = nlohmann::json::parse(R"({"id": "sa", "title": "Wiki",
      "permitted": true, "basis": "license", "license": "cc-by-sa-4.0",
      "license_canonical": "CC-BY-SA-4.0", "license_class": "share-alike", "bytes": 50,
      "stages": ["pre", "sft"]})");
  expected["detail"] = d[1].detail.str();
  EXPECT_EQ(json["decisions"][1], expected);
  EXPECT_EQ(json["decisions"][2]["reason"], "pirated");
  EXPECT_FALSE(json["decisions"][0].contains("reason"));
}

TEST(Decisions, NotCollectedUnlessAsked) {
  CheckResult result = CheckText(kManifest, {});
  ASSERT_EQ(result.ExitCode(), 1);
  EXPECT_FALSE(result.report.decisions.has_value());
  EXPECT_FALSE(nlohmann::json::parse(RenderJsonReport(result.report)).contains("decisions"));
  // The CSV of a report without decisions is its header.
  EXPECT_EQ(RenderDecisionsCsv(result.report),
            "id,title,permitted,reason,detail,basis,license,license_canonical,license_class,"
            "tokens,bytes,stages\r\n");
}

// Profile eu: a crawl relying on the text-and-data-mining exception is opt-out-ignored both
// when the manifest says opt-outs were ignored and when it is silent; the explanation says
// which.
TEST(Decisions, OptOutsIgnoredOrUnstated) {
  std::string manifest = R"({"manifest_version": "1",
    "model": {"id": "lab/eu", "release": {"weights": "closed", "date": "2026-05-01"}},
    "sources": [
      {"id": "ignored", "kind": "web-crawl", "permission": {"basis": "statutory-exception"},
       "acquisition": {"method": "crawl", "opt_outs_honored": false}},
      {"id": "silent", "kind": "web-crawl", "permission": {"basis": "statutory-exception"},
       "acquisition": {"method": "crawl"}},
      {"id": "honoured", "kind": "web-crawl", "permission": {"basis": "statutory-exception"},
       "acquisition": {"method": "crawl", "opt_outs_honored": true}}]})";
  CheckOptions options;
  options.profile = "eu";
  options.collect_decisions = true;
  CheckResult result = CheckText(manifest, options);
  ASSERT_EQ(result.ExitCode(), 1);
  const std::vector<SourceDecision>& d = *result.report.decisions;
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].reason, "opt-out-ignored");
  EXPECT_NE(d[0].detail.view().find("says they were ignored"), std::string_view::npos)
      << d[0].detail;
  EXPECT_EQ(d[0].detail.view().find("does not say"), std::string_view::npos) << d[0].detail;
  EXPECT_EQ(d[1].reason, "opt-out-ignored");
  EXPECT_NE(d[1].detail.view().find("does not say"), std::string_view::npos) << d[1].detail;
  EXPECT_TRUE(d[2].permitted);
  // The finding's message carries the same explanation.
  bool found = false;
  for (const Finding& f : result.report.findings) {
    if (f.subject != "ignored" || f.reason != "opt-out-ignored") continue;
    found = true;
    EXPECT_NE(f.message.view().find("says they were ignored"), std::string_view::npos) << f.message;
  }
  EXPECT_TRUE(found);
}

SourceDecision Row(std::string id, std::string title) {
  SourceDecision d;
  d.id = std::move(id);
  d.title = std::move(title);
  d.basis = "license";
  d.detail = "why";
  d.license_class = "none";
  d.stages =
      std::make_shared<const std::vector<std::string>>(std::vector<std::string>{"pre", "=sft"});
  return d;
}

TEST(DecisionsCsv, QuotedAndNeverAFormula) {
  Report report;
  report.decisions.emplace();
  SourceDecision plain = Row("plain", "A \"quoted\" title, with a comma");
  plain.permitted = true;
  plain.tokens = 12;
  plain.license = "MIT";
  plain.license_canonical = "MIT";
  plain.license_class = "permissive";
  report.decisions->push_back(plain);
  SourceDecision formula = Row("=HYPERLINK(\"https://evil.example\",\"x\")", "+1");
  formula.reason = "no-basis";
  formula.bytes = 0;
  report.decisions->push_back(formula);
  report.decisions->push_back(Row("-2", "@SUM(A1)"));
  report.decisions->push_back(Row("  =1",
                                  "\xef\xbc\x9d"
                                  "1"));  // Spaces, full-width '='.
  report.decisions->push_back(Row("line\nbreak\r\ttab", "##[error]x"));
  std::string csv = RenderDecisionsCsv(report);
  const std::string kHeader =
      "id,title,permitted,reason,detail,basis,license,license_canonical,license_class,tokens,"
      "bytes,stages\r\n";
  EXPECT_EQ(csv,
            kHeader +
                "\"plain\",\"A \"\"quoted\"\" title, with a comma\",true,\"\",\"why\",\"license\","
                "\"MIT\",\"MIT\",\"permissive\",12,,\"pre;=sft\"\r\n"
                "\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\",\"'+1\",false,"
                "\"no-basis\",\"why\",\"license\",\"\",\"\",\"none\",,0,\"pre;=sft\"\r\n"
                "\"'-2\",\"'@SUM(A1)\",false,\"\",\"why\",\"license\",\"\",\"\",\"none\",,,"
                "\"pre;=sft\"\r\n"
                "\"'  =1\",\"'\xef\xbc\x9d"
                "1\",false,\"\",\"why\",\"license\",\"\",\"\",\"none\",,,\"pre;=sft\"\r\n"
                "\"line\\x0Abreak\\x0D\\x09tab\",\"#\\x23[error]x\",false,\"\",\"why\","
                "\"license\",\"\",\"\",\"none\",,,\"pre;=sft\"\r\n");
}

TEST(DecisionsCsv, StreamsInPieces) {
  Report report;
  report.decisions.emplace();
  for (int i = 0; i < 20000; ++i) report.decisions->push_back(Row("s" + std::to_string(i), ""));
  std::vector<std::size_t> pieces;
  std::string joined;
  WriteDecisionsCsv(report, [&](std::string_view piece) {
    pieces.push_back(piece.size());
    joined.append(piece);
  });
  EXPECT_EQ(joined, RenderDecisionsCsv(report));
  EXPECT_GT(pieces.size(), 1u);
  for (std::size_t size : pieces) EXPECT_LT(size, (std::size_t{1} << 20) + 4096);
}

}  // namespace
}  // namespace provgate
