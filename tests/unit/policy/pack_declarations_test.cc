// What a pack declares to the engine (integrity_rule, never_waived, taint_carries, profile
// capabilities), how each is validated when the pack loads, and what the engine does with it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../test_files.h"
#include "policy/rule_pack.h"
#include "policy/waivers.h"
#include "provgate/check.h"
#include "provgate/policy.h"

namespace provgate {
namespace {

using testing_support::ScratchDir;

constexpr char kRule[] = R"(id: I1
title: Integrity
severity: error
description: Every stage reference names a source.
rule:
  match:
    - subject: stage-reference
      condition: "!ref.exists"
      message: "stage '{{ref.stage}}' names no source '{{ref.source}}'"
)";

constexpr char kOtherRule[] = R"(id: T1
title: Taint
severity: error
description: No tainted upstream.
rule:
  match:
    - subject: lineage
      condition: edge.propagates && edge.upstream_unverified
      message: "{{edge.model}} carries taint"
)";

// A pack whose pack.yaml holds `declarations` after its profiles and parameters.
std::string PackYaml(const std::string& declarations) {
  return "name: team\nversion: \"1\"\nprofiles:\n  - name: strict\n  - name: lax\n"
         "parameters:\n  - name: judges\n    type: bool\n    default: \"true\"\n"
         "  - name: limit\n    type: int\n    default: \"5\"\n" +
         declarations + "rules:\n  - rules/I1.yaml\n  - rules/T1.yaml\n";
}

struct Loaded {
  PackLoadResult result;
  std::vector<std::string> errors;  // Rendered, from pack.yaml on.
};

Loaded LoadPack(ScratchDir& dir, const std::string& declarations) {
  dir.Write("pack.yaml", PackYaml(declarations));
  dir.Write("rules/I1.yaml", kRule);
  dir.Write("rules/T1.yaml", kOtherRule);
  Loaded loaded;
  loaded.result = LoadRulePack(dir.path());
  for (const auto& d : loaded.result.diagnostics) {
    std::string text = FormatDiagnostic(d);
    loaded.errors.push_back(text.substr(text.find("pack.yaml")));
  }
  return loaded;
}

TEST(PackDeclarations, AreReadAndExposed) {
  ScratchDir dir;
  Loaded loaded = LoadPack(dir,
                           "integrity_rule: I1\nnever_waived: [I1, T1]\n"
                           "taint_carries: \"params.judges || relation != 'judge'\"\n");
  ASSERT_TRUE(loaded.result.ok()) << ::testing::PrintToString(loaded.errors);
  const PackInfo& info = DescribePack(*loaded.result.pack);
  EXPECT_EQ(info.integrity_rule, "I1");
  EXPECT_EQ(info.never_waived, (std::vector<std::string>{"I1", "T1"}));
  EXPECT_EQ(info.taint_carries, "params.judges || relation != 'judge'");
  ASSERT_NE(info.FindProfile("lax"), nullptr);
  EXPECT_FALSE(info.FindProfile("lax")->intermediate_facts);
  EXPECT_EQ(info.FindProfile("none"), nullptr);
}

TEST(PackDeclarations, NeverWaivedDefaultsToTheIntegrityRule) {
  ScratchDir dir;
  Loaded loaded = LoadPack(dir, "integrity_rule: I1\n");
  ASSERT_TRUE(loaded.result.ok()) << ::testing::PrintToString(loaded.errors);
  EXPECT_EQ(DescribePack(*loaded.result.pack).never_waived, std::vector<std::string>{"I1"});
  ScratchDir none;
  loaded = LoadPack(none, "");
  ASSERT_TRUE(loaded.result.ok());
  EXPECT_TRUE(DescribePack(*loaded.result.pack).never_waived.empty());
  EXPECT_TRUE(DescribePack(*loaded.result.pack).integrity_rule.empty());
}

TEST(PackDeclarations, ProblemsAreReportedAtTheirPosition) {
  struct Case {
    std::string declarations;
    std::string error;
  };
  // Line 13 is the first line after the parameters.
  const std::vector<Case> cases = {
      {"integrity_rule: P2\n",
       "pack.yaml:13:17: error: integrity_rule 'P2' is not a rule of the pack"},
      {"never_waived: [I1, X9]\n",
       "pack.yaml:13:15: error: never_waived names 'X9', which is not a rule of the pack"},
      {"never_waived: I1\n",
       "pack.yaml:13:15: error: expected a list of strings for 'never_waived'"},
      {"taint_carries: \"relation == \"\n",
       "pack.yaml:13:29: error: in taint_carries: unexpected end of expression"},
      {"taint_carries: \"source.used\"\n",
       "pack.yaml:13:16: error: unknown variable 'source' in taint_carries: available here are "
       "params, profile, relation"},
      {"taint_carries: \"params.limit\"\n",
       "pack.yaml:13:16: error: taint_carries gives a int for relation 'fine-tune' in profile "
       "'strict': expected true or false"},
      {"taint_carries: \"params.nothing\"\n",
       "pack.yaml:13:16: error: taint_carries gives an error (no such key: nothing) for relation "
       "'fine-tune' in profile 'strict': expected true or false"},
  };
  for (const Case& c : cases) {
    ScratchDir dir;
    Loaded loaded = LoadPack(dir, c.declarations);
    EXPECT_FALSE(loaded.result.ok()) << c.declarations;
    EXPECT_EQ(loaded.errors, std::vector<std::string>{c.error}) << c.declarations;
  }
}

TEST(PackDeclarations, ProfileCapabilitiesAreTrueOrFalse) {
  ScratchDir dir;
  dir.Write("pack.yaml",
            "name: team\nversion: \"1\"\nprofiles:\n  - name: a\n    intermediate_facts: yes\n"
            "  - name: b\n    statutory_exception: true\nrules:\n  - rules/I1.yaml\n");
  dir.Write("rules/I1.yaml", kRule);
  PackLoadResult result = LoadRulePack(dir.path());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  std::string text = FormatDiagnostic(result.diagnostics[0]);
  EXPECT_EQ(text.substr(text.find("pack.yaml")),
            "pack.yaml:5:25: error: 'intermediate_facts' must be true or false");
}

TEST(PackDeclarations, TheWaiverRuleIdIsReserved) {
  ScratchDir dir;
  dir.Write("pack.yaml",
            "name: team\nversion: \"1\"\nprofiles:\n  - name: a\nrules:\n  - w.yaml\n");
  std::string rule = kRule;
  dir.Write("w.yaml", "id: waiver" + rule.substr(rule.find('\n')));
  PackLoadResult result = LoadRulePack(dir.path());
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_NE(result.diagnostics[0].message.find("rule id 'waiver' is reserved"), std::string::npos);
}

TEST(PackDeclarations, TheDefaultPackDeclaresWhatItsRulesNeed) {
  PackLoadResult result = LoadRulePack("");
  ASSERT_TRUE(result.ok());
  const PackInfo& info = DescribePack(*result.pack);
  EXPECT_EQ(info.integrity_rule, "P2");
  EXPECT_EQ(info.never_waived, std::vector<std::string>{"P2"});
  ASSERT_NE(info.FindProfile("intermediate"), nullptr);
  EXPECT_TRUE(info.FindProfile("intermediate")->intermediate_facts);
  EXPECT_FALSE(info.FindProfile("thread")->intermediate_facts);
  EXPECT_TRUE(info.FindProfile("eu")->statutory_exception);
  EXPECT_FALSE(info.FindProfile("thread")->statutory_exception);
  // Judges pass taint on only while judge_propagates_taint is true; other relations always.
  expr::Value profile = expr::Value::String("thread");
  expr::MapData off;
  off.entries.emplace_back(expr::Value::String("judge_propagates_taint"), expr::Value::Bool(false));
  expr::Value params_off = expr::Value::Map(std::move(off));
  const RulePack& pack = *result.pack;
  EXPECT_TRUE(detail::CarriesTaint(pack, Relation::kJudge, profile, pack.params, 1000));
  EXPECT_FALSE(detail::CarriesTaint(pack, Relation::kJudge, profile, params_off, 1000));
  EXPECT_FALSE(detail::CarriesTaint(pack, Relation::kRewardModel, profile, params_off, 1000));
  EXPECT_TRUE(detail::CarriesTaint(pack, Relation::kDistillation, profile, params_off, 1000));
  // An expression that cannot decide fails closed: the relation carries taint.
  EXPECT_TRUE(detail::CarriesTaint(pack, Relation::kJudge, profile, expr::Value::Bool(true), 1000));
}

TEST(PackDeclarations, ValidateRunsTheDeclaredIntegrityRule) {
  ScratchDir dir;
  std::string manifest =
      dir.Write("m.json",
                R"({"manifest_version": "1", "model": {"id": "m", "release": {"weights": "closed"},
          "stages": [{"id": "s", "sources": ["nowhere"]}],
          "lineage": [{"relation": "fine-tune", "model": "base"}]},
          "sources": [{"id": "a", "kind": "first-party", "permission": {"basis": "first-party"}}]})");
  ScratchDir with;
  ASSERT_TRUE(LoadPack(with, "integrity_rule: I1\n").result.ok());
  CheckOptions options;
  options.policy_dir = with.path();
  options.integrity_only = true;
  CheckResult result = Check(manifest, options);
  ASSERT_EQ(result.report.findings.size(), 1u);
  EXPECT_EQ(result.report.findings[0].rule, "I1");
  // Without integrity_only, T1 runs too.
  options.integrity_only = false;
  EXPECT_EQ(Check(manifest, options).report.findings.size(), 2u);
  // A pack that declares no integrity rule cannot validate.
  ScratchDir without;
  ASSERT_TRUE(LoadPack(without, "").result.ok());
  options.policy_dir = without.path();
  options.integrity_only = true;
  result = Check(manifest, options);
  EXPECT_EQ(result.ExitCode(), 2);
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].message,
            "the pack team declares no integrity_rule: it cannot validate a manifest");
}

TEST(PackDeclarations, TaintCarriesDecidesEdgePropagates) {
  ScratchDir dir;
  std::string manifest =
      dir.Write("m.json",
                R"({"manifest_version": "1", "model": {"id": "m", "release": {"weights": "closed"},
          "lineage": [{"relation": "judge", "model": "grader"},
                      {"relation": "fine-tune", "model": "base"}]},
          "sources": []})");
  ScratchDir pack;
  ASSERT_TRUE(
      LoadPack(pack, "taint_carries: \"params.judges || relation != 'judge'\"\n").result.ok());
  CheckOptions options;
  options.policy_dir = pack.path();
  auto subjects = [&] {
    std::vector<std::string> out;
    for (const Finding& f : Check(manifest, options).report.findings) {
      if (f.rule == "T1") out.push_back(f.subject);
    }
    return out;
  };
  EXPECT_EQ(subjects(), (std::vector<std::string>{"base", "grader"}));
  options.params = {{"judges", "false"}};
  EXPECT_EQ(subjects(), (std::vector<std::string>{"base"}));
}

TEST(ParamValues, TheWholeTextIsTheValue) {
  using detail::ParseParamValue;
  ASSERT_TRUE(ParseParamValue("int", "42"));
  EXPECT_EQ(ParseParamValue("int", "42")->AsInt(), 42);
  EXPECT_EQ(ParseParamValue("int", "-7")->AsInt(), -7);
  EXPECT_EQ(ParseParamValue("int", "9223372036854775807")->AsInt(), INT64_MAX);
  EXPECT_EQ(ParseParamValue("int", "-9223372036854775808")->AsInt(), INT64_MIN);
  for (const char* text :
       {"", "-", "--1", "1-2", "+3", " 3", "3 ", "0x10", "1e3", "9223372036854775808",
        "99999999999999999999", "-99999999999999999999", "3.0"}) {
    EXPECT_FALSE(ParseParamValue("int", text)) << text;
  }
  EXPECT_TRUE(ParseParamValue("bool", "false"));
  EXPECT_FALSE(ParseParamValue("bool", "False"));
  EXPECT_FALSE(ParseParamValue("bool", "1"));
  EXPECT_EQ(ParseParamValue("string", "")->AsString(), "");
  EXPECT_FALSE(ParseParamValue("double", "1"));
}

TEST(ParamValues, AnIntThatIsNotOneIsAUsageError) {
  ScratchDir dir;
  std::string manifest = dir.Write(
      "m.json", R"({"manifest_version": "1", "model": {"id": "m", "release": {"weights": "closed"}},
                    "sources": []})");
  ScratchDir pack;
  ASSERT_TRUE(LoadPack(pack, "").result.ok());
  CheckOptions options;
  options.policy_dir = pack.path();
  for (const char* text : {"-", "99999999999999999999", "1-2"}) {
    options.params = {{"limit", text}};
    CheckResult result = Check(manifest, options);
    EXPECT_EQ(result.ExitCode(), 2) << text;
    ASSERT_EQ(result.diagnostics.size(), 1u) << text;
    EXPECT_EQ(result.diagnostics[0].message,
              "parameter 'limit' takes an int (decimal, within 64 bits), not '" +
                  std::string(text) + "'");
  }
  options.params = {{"limit", "-3"}};
  EXPECT_EQ(Check(manifest, options).ExitCode(), 0);
}

TEST(PackDeclarations, WaiversOfNeverWaivedRulesAreRefused) {
  ScratchDir pack_dir;
  Loaded loaded = LoadPack(pack_dir, "integrity_rule: I1\nnever_waived: [T1, I1]\n");
  ASSERT_TRUE(loaded.result.ok());
  const PackInfo& info = DescribePack(*loaded.result.pack);
  std::string waivers =
      "waivers:\n"
      "  - {rule: T1, subject: base, reason: r, approver: j, created: 2026-01-01, expires: "
      "2026-02-01}\n"
      "  - {rule: I1, subject: s, reason: r, approver: j, created: 2026-01-01, expires: "
      "2026-02-01}\n";
  std::vector<Diagnostic> diagnostics;
  EXPECT_TRUE(detail::ReadWaivers(waivers, "team waivers", info, diagnostics).empty());
  ASSERT_EQ(diagnostics.size(), 2u);
  EXPECT_EQ(FormatDiagnostic(diagnostics[0]),
            "team waivers:2:12: error: T1 findings cannot be waived: the rule pack team declares "
            "the rule never_waived (at /waivers/0/rule)");
  EXPECT_EQ(FormatDiagnostic(diagnostics[1]),
            "team waivers:3:12: error: I1 integrity errors cannot be waived: correct the manifest "
            "instead (at /waivers/1/rule)");
  // The default pack's integrity rule stays unwaivable, a custom pack's other rules do not.
  diagnostics.clear();
  EXPECT_EQ(detail::ReadWaivers(waivers, "w", LoadRulePack("").pack->info, diagnostics).size(), 2u);
  EXPECT_TRUE(diagnostics.empty());
  EXPECT_NE(detail::WaiverRuleInfo(info).description.find(
                "T1 findings and I1 integrity errors cannot be waived."),
            std::string::npos);
}

}  // namespace
}  // namespace provgate
