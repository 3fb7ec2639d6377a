#include "policy/rule_pack.h"

#include <gtest/gtest.h>

#include "../test_files.h"
#include "provgate/policy.h"

namespace provgate {
namespace {

using testing_support::ScratchDir;

constexpr char kPack[] = R"(name: test-pack
version: "1"
profiles:
  - name: thread
reasons:
  - code: bad
    title: Bad
    description: Something is bad.
rules:
  - rules/R1.yaml
)";

std::string Rule(const std::string& match) {
  return "id: R1\ntitle: Test\nseverity: error\ndescription: Tests.\nrule:\n  match:\n" + match;
}

std::vector<std::string> Load(const std::string& rule) {
  ScratchDir dir;
  dir.Write("pack.yaml", kPack);
  dir.Write("rules/R1.yaml", rule);
  PackLoadResult result = LoadRulePack(dir.path());
  std::vector<std::string> out;
  for (const auto& d : result.diagnostics) {
    std::string text = FormatDiagnostic(d);
    out.push_back(text.substr(text.find("R1.yaml")));
  }
  if (out.empty() && !result.ok()) out.push_back("failed without diagnostics");
  return out;
}

TEST(RulePack, BuiltinPackLoadsAndNamesItsRules) {
  PackLoadResult result = LoadRulePack("");
  ASSERT_TRUE(result.ok());
  const PackInfo& info = DescribePack(*result.pack);
  EXPECT_EQ(info.name, "provgate-default");
  EXPECT_EQ(info.default_profile, "thread");
  std::vector<std::string> ids;
  for (const auto& r : info.rules) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9"}));
  EXPECT_GT(result.pack->licenses.spdx_license_count(), 700u);
  EXPECT_GT(result.pack->licenses.rule_count(), 50u);
  EXPECT_EQ(info.sha256.size(), 64u);
}

TEST(RulePack, BuiltinPackIsTheSameAsRulesDefault) {
  PackLoadResult builtin = LoadRulePack("");
  PackLoadResult on_disk = LoadRulePack(std::string(PROVGATE_SOURCE_DIR) + "/rules/default");
  ASSERT_TRUE(builtin.ok());
  ASSERT_TRUE(on_disk.ok());
  EXPECT_EQ(DescribePack(*builtin.pack).sha256, DescribePack(*on_disk.pack).sha256);
}

TEST(RulePack, ValidRuleLoads) {
  EXPECT_EQ(Load(Rule("    - subject: source\n      condition: \"!source.used\"\n"
                      "      reason: bad\n      message: \"x {{source.id}}\"\n")),
            std::vector<std::string>{});
}

TEST(RulePack, ExpressionErrorsPointIntoTheFile) {
  auto errors =
      Load(Rule("    - subject: source\n      condition: \"source.id == \"\n"
                "      message: m\n"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0], "R1.yaml:8:32: error: in condition: unexpected end of expression");
}

TEST(RulePack, BlockScalarExpressionErrorsPointAtTheLine) {
  auto errors =
      Load(Rule("    - subject: model\n      condition: |\n        model.id == 'x' &&\n"
                "          (1 +\n      message: m\n"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].substr(0, 11), "R1.yaml:11:");
}

TEST(RulePack, UnknownVariablesAreCaughtAtLoad) {
  auto errors =
      Load(Rule("    - subject: model\n      condition: source.used\n      message: m\n"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("unknown variable 'source' in condition"), std::string::npos);
  EXPECT_EQ(errors[0].substr(0, 12), "R1.yaml:8:18");
}

TEST(RulePack, UnknownKeysSubjectsSeveritiesAndReasonsAreErrors) {
  auto errors = Load(
      Rule("    - subject: planet\n      condition: 'true'\n      message: m\n"
           "    - subject: model\n      condition: 'true'\n      message: m\n"
           "      severity: fatal\n      reason: nope\n"
           "    - subject: model\n      condition: 'true'\n      message: m\n      colour: red\n"));
  ASSERT_EQ(errors.size(), 4u) << ::testing::PrintToString(errors);
  EXPECT_NE(errors[0].find("unknown subject 'planet'"), std::string::npos);
  EXPECT_NE(errors[1].find("severity must be error, warning or info"), std::string::npos);
  EXPECT_NE(errors[2].find("reason code 'nope' is not defined"), std::string::npos);
  EXPECT_NE(errors[3].find("unknown key 'colour'"), std::string::npos);
}

TEST(RulePack, MalformedYamlIsReportedWithPosition) {
  auto errors = Load("id: R1\ntitle: [unclosed\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find("invalid YAML"), std::string::npos);
  EXPECT_EQ(errors[0].substr(0, 9), "R1.yaml:3");
}

TEST(RulePack, MissingDirectoryIsAnError) {
  PackLoadResult result = LoadRulePack("/nonexistent/provgate-pack");
  EXPECT_FALSE(result.ok());
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_EQ(result.diagnostics[0].code, "pack-missing");
}

TEST(RulePack, ExplainsRulesAndReasons) {
  PackLoadResult result = LoadRulePack("");
  ASSERT_TRUE(result.ok());
  std::string p2 = ExplainRule(*result.pack, "P2");
  EXPECT_NE(p2.find("P2: Manifest integrity"), std::string::npos);
  EXPECT_NE(p2.find("What it checks"), std::string::npos);
  EXPECT_NE(p2.find("unused-source"), std::string::npos);
  EXPECT_EQ(ExplainRule(*result.pack, "P99"), "");
  std::string reason = ExplainReason(*result.pack, "duplicate-id");
  EXPECT_NE(reason.find("Reported by: P2"), std::string::npos);
  EXPECT_EQ(ExplainReason(*result.pack, "no-such-reason"), "");
}

}  // namespace
}  // namespace provgate

namespace provgate {
namespace {

// Every reason code the permission table can produce is explained by the default pack, so
// `provgate explain --reason CODE` works for each one P1 reports.
TEST(RulePack, EveryPermissionReasonIsExplained) {
  PackLoadResult result = LoadRulePack("");
  ASSERT_TRUE(result.ok());
  for (const char* code :
       {"pirated", "terms-forbid-training", "no-basis", "unknown-license", "non-commercial",
        "no-derivatives", "proprietary-license", "contract-no-evidence", "contract-scope",
        "contract-expired", "statutory-not-permission", "opt-out-ignored"}) {
    EXPECT_NE(ExplainReason(*result.pack, code), "") << code;
  }
}

}  // namespace
}  // namespace provgate
