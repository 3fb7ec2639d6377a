// The gate with a baseline and with early warnings: --new-only compares each selected
// manifest with its version at the base revision, so that only findings the change introduced
// fail; --warn-expiring turns a contract that ends soon into a warning. Expectations follow
// docs/cli.md ("The repository gate", "Baselines") and the policy (P1, P3).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../test_files.h"
#include "provgate/gate.h"

namespace provgate {
namespace {

using testing_support::ScratchDir;

std::string Example(const std::string& relative) {
  std::ifstream in(std::string(PROVGATE_SOURCE_DIR) + "/examples/" + relative, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A closed student distilled from an open teacher trained without permission: P3 at the base
// already.
void WriteModels(const ScratchDir& dir, bool pirated_source_in_student) {
  dir.Write("teacher/manifest.json", Example("lineage/open-base/manifest.json"));
  nlohmann::json student = nlohmann::json::parse(Example("lineage/closed-distilled/manifest.json"));
  student["model"]["lineage"][0]["manifest"] = "../teacher/manifest.json";
  if (pirated_source_in_student) {
    student["sources"].push_back({{"id", "shadow"},
                                  {"kind", "books"},
                                  {"acquisition", {{"method", "piracy"}}},
                                  {"permission", {{"basis", "none"}}},
                                  {"size", {{"tokens", 1000}}},
                                  {"digest", {{"sha256", std::string(64, 'a')}}}});
    student["model"]["stages"][1]["sources"].push_back("shadow");
  }
  dir.Write("student/manifest.json", student.dump(2) + "\n");
}

GateResult RunWithBase(const ScratchDir& head, const ScratchDir& base, bool new_only) {
  GateRequest request;
  request.root = head.path();
  request.config.date = "2026-06-01";
  request.config.new_only = new_only;
  request.base = "base";
  request.base_root = base.path();
  request.changed = {"student/manifest.json"};
  return RunGate(request);
}

const GateEntry& Student(const GateResult& r) {
  for (const GateEntry& e : r.entries) {
    if (e.path == "student/manifest.json") return e;
  }
  ADD_FAILURE() << "the student is not gated";
  static const GateEntry none;
  return none;
}

TEST(GateBaseline, AFindingTheBaseHadDoesNotFailWithNewOnly) {
  ScratchDir base, head;
  WriteModels(base, false);
  WriteModels(head, false);
  GateResult all = RunWithBase(head, base, false);
  ASSERT_TRUE(all.status.ok()) << all.status.message();
  EXPECT_TRUE(Student(all).selected);
  EXPECT_EQ(Student(all).exit_code, 1) << "P3 fails without a baseline";
  GateResult fresh = RunWithBase(head, base, true);
  EXPECT_TRUE(fresh.new_only);
  EXPECT_EQ(Student(fresh).exit_code, 0) << "the P3 finding is unchanged since the base";
  EXPECT_EQ(fresh.ExitCode(), 0);
  bool unchanged_p3 = false;
  for (const Finding& f : Student(fresh).result.report.findings) {
    unchanged_p3 |= f.rule == "P3" && f.baseline == BaselineStatus::kUnchanged;
  }
  EXPECT_TRUE(unchanged_p3);
}

TEST(GateBaseline, ANewFindingFailsWithNewOnly) {
  ScratchDir base, head;
  WriteModels(base, false);
  WriteModels(head, true);
  GateResult r = RunWithBase(head, base, true);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(Student(r).exit_code, 1);
  EXPECT_EQ(r.ExitCode(), 1);
  bool new_p1 = false;
  for (const Finding& f : Student(r).result.report.findings) {
    new_p1 |= f.rule == "P1" && f.subject == "shadow" && f.baseline == BaselineStatus::kNew;
  }
  EXPECT_TRUE(new_p1) << "a pirated source added to a closed model is a new P1 error";
}

TEST(GateBaseline, WithoutABaseNewOnlyChangesNothing) {
  ScratchDir head;
  WriteModels(head, false);
  GateRequest request;
  request.root = head.path();
  request.config.new_only = true;
  GateResult r = RunGate(request);
  EXPECT_FALSE(r.new_only);
  EXPECT_EQ(r.ExitCode(), 1);
}

// Editing the gate's own settings re-checks every manifest and is called out for review: the
// rule pack, .provgate.yaml and the waivers can relax the policy itself.
TEST(GateSettings, AChangedSettingIsCalledOutAndSelectsEverything) {
  ScratchDir base, head;
  WriteModels(base, false);
  WriteModels(head, false);
  head.Write(".provgate.yaml", "waivers: waivers.yaml\n");
  head.Write("waivers.yaml", "version: 1\nwaivers: []\n");
  head.Write("README.md", "models\n");
  GateRequest request;
  request.root = head.path();
  GateConfigResult config = ReadGateConfig(head.path());
  ASSERT_TRUE(config.ok());
  request.config = config.config;
  request.base = "base";
  request.base_root = base.path();
  request.changed = {"waivers.yaml", "README.md"};
  GateResult r = RunGate(request);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.settings_changed, std::vector<std::string>{"waivers.yaml"});
  for (const GateEntry& e : r.entries) EXPECT_TRUE(e.selected) << e.path;
  EXPECT_NE(RenderGateMarkdown(r).find("Settings changed"), std::string::npos);
  EXPECT_NE(RenderGateGithub(r).find("::warning title=provgate gate settings changed::"),
            std::string::npos);
  request.changed = {"README.md"};
  GateResult unrelated = RunGate(request);
  EXPECT_TRUE(unrelated.settings_changed.empty());
  EXPECT_EQ(RenderGateMarkdown(unrelated).find("Settings changed"), std::string::npos);
}

// A repository is hostile input: symbolic links out of it are refused, never followed.
TEST(GateHostile, AManifestLinkedOutOfTheRepositoryIsRefused) {
  ScratchDir outside, head;
  outside.Write("manifest.json", Example("licensed-closed/manifest.json"));
  head.Write("a/manifest.json", Example("licensed-closed/manifest.json"));
  std::filesystem::create_directories(head.path() + "/b");
  std::filesystem::create_symlink(outside.path() + "/manifest.json",
                                  head.path() + "/b/manifest.json");
  GateRequest request;
  request.root = head.path();
  GateResult r = RunGate(request);
  ASSERT_EQ(r.entries.size(), 2u);
  EXPECT_EQ(r.entries[0].exit_code, 0);
  EXPECT_EQ(r.entries[1].path, "b/manifest.json");
  EXPECT_EQ(r.entries[1].exit_code, 2);
  ASSERT_FALSE(r.entries[1].result.diagnostics.empty());
  EXPECT_NE(r.entries[1].result.diagnostics[0].message.find("outside the repository"),
            std::string::npos);
  EXPECT_TRUE(r.entries[1].result.report.model_id.empty()) << "nothing outside was read";
  EXPECT_EQ(r.ExitCode(), 2);
}

TEST(GateHostile, SettingsLinkedOutOfTheRepositoryAreRefused) {
  ScratchDir outside, head;
  outside.Write("settings.yaml", "manifests: [\"**/*.json\"]\n");
  std::filesystem::create_symlink(outside.path() + "/settings.yaml",
                                  head.path() + "/.provgate.yaml");
  GateConfigResult r = ReadGateConfig(head.path());
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.status.ok()) << "invalid input, not an operational failure";
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].file, ".provgate.yaml");
  EXPECT_NE(r.diagnostics[0].message.find("leaves"), std::string::npos) << r.diagnostics[0].message;
}

// One waivers file serves every manifest: a waiver that one manifest uses is not "unused" in
// the others (with --fail-on warning the daily run would fail on every used waiver).
TEST(GateWaivers, AWaiverUsedByOneManifestIsNotUnusedInTheOthers) {
  ScratchDir head;
  WriteModels(head, true);  // The student uses the pirated source 'shadow': P1 error.
  head.Write("other/manifest.json", Example("licensed-closed/manifest.json"));
  const std::string waiver =
      "  - rule: P1\n    subject: shadow\n    reason: Licence signed, evidence being filed.\n"
      "    approver: legal@example.org\n    created: 2026-05-01\n    expires: 2026-12-31\n";
  const std::string stale =
      "  - rule: P1\n    subject: gone\n    reason: A source removed since.\n"
      "    approver: legal@example.org\n    created: 2026-05-01\n    expires: 2026-12-31\n";
  head.Write("waivers.yaml", "version: 1\nwaivers:\n" + waiver + stale);
  GateRequest request;
  request.root = head.path();
  request.config.date = "2026-06-01";
  request.config.waivers = "waivers.yaml";
  request.config.fail_on = FailOn::kWarning;
  GateResult r = RunGate(request);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  ASSERT_EQ(r.entries.size(), 3u);
  for (const GateEntry& e : r.entries) {
    std::vector<std::string> unused;
    for (const Finding& f : e.result.report.findings) {
      if (f.reason == "waiver-unused") unused.push_back(f.subject);
    }
    // The stale waiver matches nothing anywhere: still reported, by every manifest.
    EXPECT_EQ(unused, std::vector<std::string>{"P1/gone"}) << e.path;
    EXPECT_EQ(e.result.report.summary.warnings >= 1, true) << e.path;
  }
  // Only the stale waiver is left to fail the run with --fail-on warning.
  head.Write("waivers.yaml", "version: 1\nwaivers:\n" + waiver);
  GateResult clean = RunGate(request);
  for (const GateEntry& e : clean.entries) {
    for (const Finding& f : e.result.report.findings) {
      EXPECT_NE(f.reason, "waiver-unused") << e.path;
    }
  }
  EXPECT_EQ(clean.ExitCode(), 1) << "the teacher's and student's P3/P1 findings still count";
}

// A contract without a release date is checked on the date of the check; ending on 2026-06-30,
// it is a warning within 30 days of it and nothing 60 days before.
TEST(GateWarnExpiring, AContractEndingSoonIsAWarning) {
  ScratchDir head;
  nlohmann::json m = nlohmann::json::parse(R"({
    "manifest_version": "1",
    "model": {"id": "test/model", "release": {"weights": "closed"}},
    "sources": [{
      "id": "deal", "kind": "social",
      "permission": {
        "basis": "contract",
        "evidence": [{"uri": "deal.pdf", "sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}],
        "grants": {"training": true, "commercial": true, "closed_weights": true},
        "valid_from": "2024-01-01", "valid_until": "2026-06-30"},
      "size": {"tokens": 1000},
      "digest": {"sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}}]
  })");
  head.Write("m/manifest.json", m.dump(2));
  head.Write("m/deal.pdf", "foo");
  for (const auto& [date, expiring] :
       std::vector<std::pair<std::string, bool>>{{"2026-06-15", true}, {"2026-05-01", false}}) {
    GateRequest request;
    request.root = head.path();
    request.config.date = date;
    request.config.warn_expiring = 30;
    request.config.fail_on = FailOn::kWarning;
    GateResult r = RunGate(request);
    ASSERT_EQ(r.entries.size(), 1u);
    bool warned = false;
    for (const Finding& f : r.entries[0].result.report.findings) {
      warned |= f.reason == "contract-expiring" && f.severity == Severity::kWarning;
    }
    EXPECT_EQ(warned, expiring) << date;
    EXPECT_EQ(r.ExitCode(), expiring ? 1 : 0) << date << ": --fail-on warning";
  }
}

}  // namespace
}  // namespace provgate
