#include "policy/rule_pack.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

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

TEST(RulePack, AliasesAreRefusedWhereTheyAreUsed) {
  auto errors = Load(
      "id: R1\ntitle: &t Test\nseverity: error\ndescription: *t\nrule:\n"
      "  match:\n    - subject: model\n      condition: 'true'\n      message: m\n");
  ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  EXPECT_EQ(errors[0].substr(0, 15), "R1.yaml:4:14: e");
  EXPECT_NE(errors[0].find("a YAML alias (*name)"), std::string::npos);
  EXPECT_NE(errors[0].find("(at /description)"), std::string::npos);
}

// Nine levels of ten aliases each stand for 10^9 strings: refused at the first alias, before
// anything expands.
TEST(RulePack, AnAliasBombIsRefusedBeforeItExpands) {
  std::string rule = Rule("    - subject: model\n      condition: 'true'\n      message: m\n");
  rule += "x-l0: &l0 [" + std::string(1000, 'x') + "]\n";
  for (int level = 1; level < 10; ++level) {
    std::string prev = "*l" + std::to_string(level - 1);
    rule += "x-l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) rule += (i ? ", " : "") + prev;
    rule += "]\n";
  }
  rule += "references: *l9\n";
  auto errors = Load(rule);
  ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  EXPECT_NE(errors[0].find("a YAML alias"), std::string::npos);
  EXPECT_NE(errors[0].find("(at /x-l1/0)"), std::string::npos);
}

TEST(RulePack, RepeatedKeysAreRefusedAtTheSecondOccurrence) {
  auto errors = Load(Rule("    - subject: model\n      condition: 'true'\n      message: m\n") +
                     "title: Other\n");
  ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  EXPECT_EQ(errors[0],
            "R1.yaml:10:1: error: duplicate key 'title': the mapping has it at line 2 already (at "
            "/title)");
  // Inside extensions too, and whatever the quoting.
  errors =
      Load(Rule("    - subject: model\n      condition: 'true'\n      message: m\n"
                "      x-meta: {owner: a, \"owner\": b}\n"));
  ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  EXPECT_NE(errors[0].find("R1.yaml:10:26: error: duplicate key 'owner'"), std::string::npos)
      << errors[0];
  EXPECT_NE(errors[0].find("(at /rule/match/0/x-meta/owner)"), std::string::npos) << errors[0];
}

TEST(RulePack, RepeatedKeysInThePacksJsonDataAreRefused) {
  ScratchDir dir;
  dir.Write("pack.yaml", std::string(kPack) + "spdx: data/spdx.json\n");
  dir.Write("rules/R1.yaml",
            Rule("    - subject: model\n      condition: 'true'\n      message: m\n"));
  dir.Write("data/spdx.json",
            "{\"licenses\": {\"MIT\": {\"name\": \"MIT License\", \"osi\": true},\n"
            "              \"MIT\": {\"name\": \"Other\", \"osi\": false}},\n"
            " \"exceptions\": {}}\n");
  PackLoadResult result = LoadRulePack(dir.path());
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  std::string error = FormatDiagnostic(result.diagnostics[0]);
  EXPECT_EQ(error.substr(error.find("spdx.json")),
            "spdx.json:2:15: error: duplicate key 'MIT': the mapping has it at line 1 already (at "
            "/licenses/MIT)");
}

// An alias must lead to a licence the pack knows: a typo in the data must not quietly turn a
// card's tag into an unknown licence.
TEST(RulePack, LicenceAliasesMustNameAKnownLicence) {
  ScratchDir dir;
  dir.Write("pack.yaml", std::string(kPack) + "licenses: data/licenses.yaml\n");
  dir.Write("rules/R1.yaml",
            Rule("    - subject: model\n      condition: 'true'\n      message: m\n"));
  dir.Write("data/licenses.yaml",
            "licenses:\n  - { id: MIT, class: permissive }\n"
            "aliases:\n  mit-license: MIT\n  odc-by: ODC-By-1.0\n  bad: [MIT]\n");
  PackLoadResult result = LoadRulePack(dir.path());
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.diagnostics.size(), 2u);
  EXPECT_NE(FormatDiagnostic(result.diagnostics[0])
                .find("licenses.yaml:5:11: error: the alias 'odc-by' names 'ODC-By-1.0', which "
                      "is neither on the SPDX list nor classified"),
            std::string::npos)
      << FormatDiagnostic(result.diagnostics[0]);
  EXPECT_NE(
      FormatDiagnostic(result.diagnostics[1]).find("licenses.yaml:6:8: error: the alias 'bad'"),
      std::string::npos)
      << FormatDiagnostic(result.diagnostics[1]);
}

TEST(RulePack, KeysMustBeScalarsAndFilesHoldOneDocument) {
  auto errors = Load("id: R1\n? [a, b]\n: c\n");
  ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  EXPECT_NE(errors[0].find("a sequence as a mapping key"), std::string::npos);
  errors = Load(Rule("    - subject: model\n      condition: 'true'\n      message: m\n") +
                "---\nid: R2\n");
  ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  EXPECT_NE(errors[0].find("a second YAML document"), std::string::npos);
}

TEST(RulePack, TreesBeyondTheLimitsAreRefused) {
  std::string rule = Rule("    - subject: model\n      condition: 'true'\n      message: m\n");
  std::string list = "references:\n";
  for (int i = 0; i < 100000; ++i) list += "- r\n";
  auto errors = Load(rule + list);
  ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  EXPECT_NE(errors[0].find("more than 100000 YAML nodes"), std::string::npos);
  errors = Load(rule + "x-deep: " + std::string(100, '[') + std::string(100, ']') + "\n");
  ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  EXPECT_NE(errors[0].find("deeper than 64 levels"), std::string::npos);
}

std::string ValidRule() {
  return Rule("    - subject: model\n      condition: 'true'\n      message: m\n");
}

TEST(RulePack, FilesAreNotFollowedOutOfThePackDirectory) {
  ScratchDir dir;
  dir.Write("outside/secret.yaml", ValidRule());
  dir.Write("pack/pack.yaml", kPack);
  std::filesystem::create_directories(dir.path() + "/pack/rules");
  std::filesystem::create_symlink(dir.path() + "/outside/secret.yaml",
                                  dir.path() + "/pack/rules/R1.yaml");
  PackLoadResult result = LoadRulePack(dir.path() + "/pack");
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_NE(result.diagnostics[0].message.find("leaves the rule pack directory"),
            std::string::npos);
  EXPECT_NE(result.diagnostics[0].file.find("rules/R1.yaml"), std::string::npos);
  // A symlink within the pack is read like the file it names.
  dir.Write("pack/shared/R1.yaml", ValidRule());
  std::filesystem::remove(dir.path() + "/pack/rules/R1.yaml");
  std::filesystem::create_symlink("../shared/R1.yaml", dir.path() + "/pack/rules/R1.yaml");
  result = LoadRulePack(dir.path() + "/pack");
  EXPECT_TRUE(result.ok()) << ::testing::PrintToString(result.diagnostics.size());
}

TEST(RulePack, AFifoInThePackIsPassedOverWithoutBlocking) {
  ScratchDir dir;
  dir.Write("pack.yaml", kPack);
  dir.Write("rules/R1.yaml", ValidRule());
  std::string fifo = dir.path() + "/notes.txt";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  PackLoadResult result = LoadRulePack(dir.path());
  EXPECT_TRUE(result.ok());
  // A symlink to a device is passed over as well.
  std::filesystem::remove(fifo);
  ScratchDir other;
  other.Write("pack.yaml", kPack);
  other.Write("rules/R1.yaml", ValidRule());
  std::filesystem::create_symlink("/dev/zero", other.path() + "/zero");
  result = LoadRulePack(other.path());
  // /dev/zero is outside the pack: refused before it is opened.
  EXPECT_FALSE(result.ok());
}

TEST(RulePack, OversizedFilesAreRefused) {
  ScratchDir dir;
  dir.Write("pack.yaml", kPack);
  dir.Write("rules/R1.yaml", ValidRule());
  std::string big = dir.Write("data/big.bin", "");
  ASSERT_EQ(truncate(big.c_str(), (4 << 20) + 1), 0);
  PackLoadResult result = LoadRulePack(dir.path());
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_NE(result.diagnostics[0].message.find("larger than 4 MiB"), std::string::npos)
      << result.diagnostics[0].message;
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
