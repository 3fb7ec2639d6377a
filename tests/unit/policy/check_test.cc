#include "provgate/check.h"

#include <gtest/gtest.h>

#include "../test_files.h"

namespace provgate {
namespace {

using testing_support::ScratchDir;

constexpr char kClean[] = R"({"manifest_version": "1",
  "model": {"id": "m", "release": {"weights": "closed"},
            "stages": [{"id": "s", "sources": ["a"]}]},
  "sources": [{"id": "a", "kind": "first-party", "permission": {"basis": "first-party"},
               "size": {"tokens": 10},
               "digest": {"sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}}]})";

TEST(Check, CleanManifestIsCompliant) {
  ScratchDir dir;
  CheckResult result = Check(dir.Write("m.json", kClean), CheckOptions{});
  EXPECT_EQ(result.ExitCode(), 0);
  EXPECT_TRUE(result.report.compliant);
  EXPECT_TRUE(result.report.findings.empty());
  EXPECT_EQ(result.report.summary.tokens, 10u);
}

TEST(Check, WarningsFailOnlyWithFailOnWarning) {
  ScratchDir dir;
  std::string manifest = kClean;
  manifest.replace(manifest.find("\"size\": {\"tokens\": 10},"), 24, "");
  CheckResult result = Check(dir.Write("m.json", manifest), CheckOptions{});
  ASSERT_EQ(result.report.findings.size(), 1u);
  EXPECT_EQ(result.report.findings[0].rule, "P9");
  EXPECT_EQ(result.report.findings[0].reason, "missing-size");
  EXPECT_EQ(result.ExitCode(FailOn::kError), 0);
  EXPECT_EQ(result.ExitCode(FailOn::kWarning), 1);
}

TEST(Check, ReportIsByteIdenticalAcrossRuns) {
  ScratchDir dir;
  std::string path = dir.Write("m.json", kClean);
  std::string first = RenderJsonReport(Check(path, CheckOptions{}).report);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(RenderJsonReport(Check(path, CheckOptions{}).report), first);
}

TEST(Check, UnknownProfileIsInvalidInput) {
  ScratchDir dir;
  CheckOptions options;
  options.profile = "moon";
  CheckResult result = Check(dir.Write("m.json", kClean), options);
  EXPECT_EQ(result.ExitCode(), 2);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_NE(result.diagnostics[0].message.find("thread, intermediate, eu"), std::string::npos);
}

TEST(Check, IntegrityOnlyRunsP2Alone) {
  ScratchDir dir;
  std::string manifest = kClean;
  manifest.replace(manifest.find("\"size\": {\"tokens\": 10},"), 24, "");
  CheckOptions options;
  options.integrity_only = true;
  CheckResult result = Check(dir.Write("m.json", manifest), options);
  EXPECT_TRUE(result.report.findings.empty());
}

TEST(Check, RuleEvaluationErrorsFailClosed) {
  ScratchDir dir;
  dir.Write("pack/pack.yaml",
            "name: p\nversion: '1'\nprofiles: [{name: thread}]\nrules: [r.yaml]\n");
  dir.Write("pack/r.yaml",
            "id: R\ntitle: t\nseverity: warning\ndescription: d\nrule:\n  match:\n"
            "    - subject: source\n      condition: source.size.tokens > 0u\n      message: m\n");
  std::string manifest = kClean;
  manifest.replace(manifest.find("\"size\": {\"tokens\": 10},"), 24, "");
  CheckOptions options;
  options.policy_dir = dir.path() + "/pack";
  CheckResult result = Check(dir.Write("m.json", manifest), options);
  ASSERT_EQ(result.report.findings.size(), 1u);
  EXPECT_EQ(result.report.findings[0].severity, Severity::kError);
  EXPECT_EQ(result.report.findings[0].reason, "rule-error");
  EXPECT_NE(result.report.findings[0].message.find("no such key: size"), std::string::npos);
  EXPECT_EQ(result.ExitCode(), 1);
}

}  // namespace
}  // namespace provgate
