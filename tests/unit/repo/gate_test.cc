// The repository gate's engine: glob patterns, .provgate.yaml, discovery, the dependencies of
// each manifest, selection by changed paths, and manifests no longer gated. The expectations
// follow docs/cli.md ("The repository gate") and the policy (a closed model distilled from a
// tainted teacher fails P3; one whose upstream manifest is gone fails P2 and counts as tainted).
#include "provgate/gate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../test_files.h"

namespace provgate {
namespace {

namespace fs = std::filesystem;
using testing_support::ScratchDir;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string Example(const std::string& relative) {
  return ReadFile(std::string(PROVGATE_SOURCE_DIR) + "/examples/" + relative);
}

TEST(GlobMatch, ComponentsAndDoubleStar) {
  EXPECT_TRUE(GlobMatch("**/manifest.json", "manifest.json"));
  EXPECT_TRUE(GlobMatch("**/manifest.json", "a/b/c/manifest.json"));
  EXPECT_FALSE(GlobMatch("**/manifest.json", "a/b/c/manifest.jsonl"));
  EXPECT_TRUE(GlobMatch("models/*/manifest.json", "models/x/manifest.json"));
  EXPECT_FALSE(GlobMatch("models/*/manifest.json", "models/x/y/manifest.json"));
  EXPECT_TRUE(GlobMatch("models/**/m?.json", "models/a/b/m1.json"));
  EXPECT_FALSE(GlobMatch("models/**/m?.json", "models/a/b/m12.json"));
  EXPECT_TRUE(GlobMatch("models/**", "models/a/b"));
  EXPECT_FALSE(GlobMatch("models/**", "other/a"));
  EXPECT_TRUE(GlobMatch("*.json", "a.json"));
  EXPECT_FALSE(GlobMatch("*.json", "dir/a.json"));  // * stays within a component.
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXXbYY"));
}

TEST(GlobMatch, ManyDoubleStarsStayCheap) {
  std::string pattern;
  for (int i = 0; i < 200; ++i) pattern += "**/";
  pattern += "x";
  std::string path;
  for (int i = 0; i < 200; ++i) path += "d/";
  path += "y";
  EXPECT_FALSE(GlobMatch(pattern, path));
  EXPECT_TRUE(GlobMatch(pattern, path.substr(0, path.size() - 1) + "x"));
}

TEST(GateConfig, ReadsEveryKey) {
  GateConfigResult r = ReadGateConfigText(
      "manifests:\n  - models/**/manifest.json\npolicy: policy\nprofile: eu\n"
      "params:\n  judge_propagates_taint: false\nwaivers: waivers.yaml\ntrust: [keys/a.pub]\n"
      "verify_files: true\nfail_on: warning\ndate: 2026-06-01\nwarn_expiring: 30\n"
      "new_only: true\nretired: [models/old/manifest.json]\n",
      ".provgate.yaml");
  ASSERT_TRUE(r.ok()) << (r.diagnostics.empty() ? "" : FormatDiagnostic(r.diagnostics[0]));
  EXPECT_EQ(r.config.manifests, std::vector<std::string>{"models/**/manifest.json"});
  EXPECT_EQ(r.config.policy, "policy");
  EXPECT_EQ(r.config.profile, "eu");
  ASSERT_EQ(r.config.params.size(), 1u);
  EXPECT_EQ(r.config.params[0].first, "judge_propagates_taint");
  EXPECT_EQ(r.config.params[0].second, "false");
  EXPECT_EQ(r.config.waivers, "waivers.yaml");
  EXPECT_EQ(r.config.trust, std::vector<std::string>{"keys/a.pub"});
  EXPECT_TRUE(r.config.verify_files);
  EXPECT_EQ(r.config.fail_on, FailOn::kWarning);
  EXPECT_EQ(r.config.date, "2026-06-01");
  EXPECT_EQ(r.config.warn_expiring, 30);
  EXPECT_TRUE(r.config.new_only);
  EXPECT_EQ(r.config.retired, std::vector<std::string>{"models/old/manifest.json"});
}

TEST(GateConfig, EmptyFileKeepsDefaults) {
  GateConfigResult r = ReadGateConfigText("# the repository's root\n", ".provgate.yaml");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config.manifests, std::vector<std::string>{"**/manifest.json"});
  EXPECT_EQ(r.config.warn_expiring, -1);
}

TEST(GateConfig, RefusesWhatCouldMislead) {
  struct Case {
    const char* text;
    const char* expected;  // In the message.
    unsigned line;
  };
  for (const Case& c : std::vector<Case>{
           {"manifest: [a]\n", "unknown key 'manifest'", 1},
           {"manifests: [a]\nmanifests: [b]\n", "duplicate key 'manifests'", 2},
           {"policy: ../elsewhere\n", "stay inside it", 1},
           {"waivers: /etc/passwd\n", "stay inside it", 1},
           {"manifests:\n  - ok/*.json\n  - ../x/*.json\n", "stay inside it", 3},
           {"fail_on: never\n", "error or warning", 1},
           {"date: 2026-02-30\n", "calendar date", 1},
           {"warn_expiring: -1\n", "from 0 to 3650", 1},
           {"warn_expiring: 1e3\n", "from 0 to 3650", 1},
           {"verify_files: yes\n", "true or false", 1},
           {"a: &x [1]\nb: *x\n", "alias", 2},
           {"manifests: []\n", "no pattern", 1},
           {"- a\n", "mapping", 1},
       }) {
    GateConfigResult r = ReadGateConfigText(c.text, ".provgate.yaml");
    ASSERT_FALSE(r.ok()) << c.text;
    ASSERT_FALSE(r.diagnostics.empty()) << c.text;
    const Diagnostic& d = r.diagnostics.front();
    EXPECT_NE(d.message.find(c.expected), std::string::npos) << c.text << ": " << d.message;
    EXPECT_EQ(d.line, c.line) << c.text << ": " << d.message;
    EXPECT_EQ(d.file, ".provgate.yaml");
  }
}

// A repository of two models: an open teacher trained on data without permission (compliant:
// it is open) and a closed student distilled from it (P3 through lineage).
class GateRepo : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("teacher/manifest.json", Example("lineage/open-base/manifest.json"));
    std::string student = Example("lineage/closed-distilled/manifest.json");
    std::size_t at = student.find("../open-base/manifest.json");
    student.replace(at, std::string("../open-base/manifest.json").size(),
                    "../teacher/manifest.json");
    dir_.Write("student/manifest.json", student);
    dir_.Write("README.md", "models\n");
  }

  GateResult Run(std::set<std::string> changed, const std::string& base_root = {}) {
    GateRequest request;
    request.root = dir_.path();
    GateConfigResult config = ReadGateConfig(dir_.path());
    EXPECT_TRUE(config.ok());
    request.config = config.config;
    request.config.date = "2026-06-01";
    if (!base_root.empty() || !changed.empty()) {
      request.base = "base";
      request.base_root = base_root;
      request.changed = std::move(changed);
    }
    return RunGate(request);
  }

  static const GateEntry* Find(const GateResult& r, const std::string& path) {
    for (const GateEntry& e : r.entries) {
      if (e.path == path) return &e;
    }
    return nullptr;
  }

  ScratchDir dir_;
};

TEST_F(GateRepo, WithoutBaseEveryManifestIsChecked) {
  GateResult r = Run({});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  ASSERT_EQ(r.entries.size(), 2u);
  const GateEntry* student = Find(r, "student/manifest.json");
  const GateEntry* teacher = Find(r, "teacher/manifest.json");
  ASSERT_TRUE(student && teacher);
  EXPECT_TRUE(student->selected && teacher->selected);
  EXPECT_EQ(teacher->exit_code, 0);  // Open weights make unpermitted data acceptable.
  EXPECT_EQ(student->exit_code, 1);  // Closed, distilled from a tainted teacher: P3.
  EXPECT_EQ(r.ExitCode(), 1);
  // The student depends on the teacher's manifest through lineage.
  EXPECT_NE(std::find(student->dependencies.begin(), student->dependencies.end(),
                      "teacher/manifest.json"),
            student->dependencies.end());
  EXPECT_NE(std::find(student->dependencies.begin(), student->dependencies.end(), "student/"),
            student->dependencies.end());
}

TEST_F(GateRepo, ChangedTeacherSelectsTheDownstreamStudent) {
  GateResult r = Run({"teacher/manifest.json"}, dir_.path());
  const GateEntry* student = Find(r, "student/manifest.json");
  ASSERT_TRUE(student);
  EXPECT_TRUE(student->selected);
  EXPECT_EQ(student->selected_because, std::vector<std::string>{"teacher/manifest.json"});
  EXPECT_EQ(r.ExitCode(), 1);
}

TEST_F(GateRepo, UnrelatedChangeSelectsNothing) {
  GateResult r = Run({"README.md"}, dir_.path());
  for (const GateEntry& e : r.entries) EXPECT_FALSE(e.selected) << e.path;
  EXPECT_EQ(r.ExitCode(), 0);
}

TEST_F(GateRepo, EvidenceBesideTheManifestSelectsIt) {
  GateResult r = Run({"student/contracts/deal.pdf"}, dir_.path());
  EXPECT_TRUE(Find(r, "student/manifest.json")->selected);
  EXPECT_FALSE(Find(r, "teacher/manifest.json")->selected);
}

TEST_F(GateRepo, DeletedUpstreamLeavesTheStudentUnverified) {
  ScratchDir base;
  base.Write("teacher/manifest.json", ReadFile(dir_.path() + "/teacher/manifest.json"));
  base.Write("student/manifest.json", ReadFile(dir_.path() + "/student/manifest.json"));
  fs::remove(dir_.path() + "/teacher/manifest.json");
  GateResult r = Run({"teacher/manifest.json"}, base.path());
  const GateEntry* student = Find(r, "student/manifest.json");
  ASSERT_TRUE(student);
  EXPECT_TRUE(student->selected);
  EXPECT_EQ(student->exit_code, 1);
  // Policy P2: lineage manifests exist. The upstream that nothing establishes any more also
  // counts as tainted, as an unverified one does under P4.
  bool missing = false;
  for (const Finding& f : student->result.report.findings) {
    missing |=
        f.rule == "P2" && f.reason == "missing-lineage-manifest" && f.subject == "lab/open-base";
  }
  EXPECT_TRUE(missing) << "a downstream model whose upstream manifest is gone fails";
  EXPECT_TRUE(student->result.report.tainted);
  // The teacher itself is reported: removed, and no manifest declares its model.
  ASSERT_EQ(r.ungated.size(), 1u);
  EXPECT_EQ(r.ungated[0].path, "teacher/manifest.json");
  EXPECT_EQ(r.ungated[0].status, "removed");
  EXPECT_TRUE(r.ungated[0].fails);
}

TEST_F(GateRepo, ManifestOutsideThePatternsIsUngated) {
  ScratchDir base;
  base.Write("teacher/manifest.json", ReadFile(dir_.path() + "/teacher/manifest.json"));
  base.Write("student/manifest.json", ReadFile(dir_.path() + "/student/manifest.json"));
  dir_.Write(".provgate.yaml", "manifests: [teacher/manifest.json]\n");
  GateResult r = Run({".provgate.yaml"}, base.path());
  ASSERT_EQ(r.entries.size(), 1u);
  ASSERT_EQ(r.ungated.size(), 1u);
  EXPECT_EQ(r.ungated[0].path, "student/manifest.json");
  EXPECT_EQ(r.ungated[0].status, "ungated");
  EXPECT_EQ(r.ExitCode(), 1);
}

TEST_F(GateRepo, MovedManifestIsFoundByItsModel) {
  ScratchDir base;
  base.Write("teacher/manifest.json", ReadFile(dir_.path() + "/teacher/manifest.json"));
  base.Write("old/manifest.json", ReadFile(dir_.path() + "/teacher/manifest.json"));
  fs::remove_all(dir_.path() + "/student");
  GateResult r = Run({"old/manifest.json"}, base.path());
  ASSERT_EQ(r.ungated.size(), 1u);
  EXPECT_EQ(r.ungated[0].status, "moved");
  EXPECT_FALSE(r.ungated[0].fails);
}

TEST_F(GateRepo, RetiredManifestDoesNotFail) {
  ScratchDir base;
  base.Write("teacher/manifest.json", ReadFile(dir_.path() + "/teacher/manifest.json"));
  base.Write("gone/manifest.json", "{}");
  dir_.Write(".provgate.yaml", "retired: [gone/manifest.json]\n");
  fs::remove_all(dir_.path() + "/student");
  GateResult r = Run({"gone/manifest.json"}, base.path());
  ASSERT_EQ(r.ungated.size(), 1u);
  EXPECT_EQ(r.ungated[0].status, "retired");
  EXPECT_EQ(r.ExitCode(), 0);
}

TEST_F(GateRepo, SymlinkedManifestDependsOnItsTarget) {
  dir_.Write("shared/real.json", ReadFile(dir_.path() + "/teacher/manifest.json"));
  fs::remove(dir_.path() + "/teacher/manifest.json");
  fs::create_symlink("../shared/real.json", dir_.path() + "/teacher/manifest.json");
  GateResult r = Run({"shared/real.json"}, dir_.path());
  const GateEntry* teacher = Find(r, "teacher/manifest.json");
  ASSERT_TRUE(teacher);
  EXPECT_TRUE(teacher->selected);
}

// docs/cli.md: upstream manifests count with their directories. An upstream outside the
// patterns (not gated itself) whose side file a change breaks must still select the model
// downstream: the check lists an upstream's side file only when it could read the upstream.
TEST_F(GateRepo, BrokenUpstreamSideFileSelectsTheDownstream) {
  std::string teacher = Example("jsonl-sources/manifest.json");
  teacher.replace(teacher.find("example/code-assist-1b"),
                  std::string("example/code-assist-1b").size(), "lab/open-base");
  fs::remove(dir_.path() + "/teacher/manifest.json");
  dir_.Write("teacher/model.json", teacher);
  dir_.Write("teacher/sources.jsonl", "{\"id\": \"repo-0001\",\n");
  std::string student = ReadFile(dir_.path() + "/student/manifest.json");
  student.replace(student.find("../teacher/manifest.json"),
                  std::string("../teacher/manifest.json").size(), "../teacher/model.json");
  dir_.Write("student/manifest.json", student);
  GateResult r = Run({"teacher/sources.jsonl"}, dir_.path());
  ASSERT_EQ(r.entries.size(), 1u);  // The teacher is not gated: no pattern matches it.
  const GateEntry* s = Find(r, "student/manifest.json");
  ASSERT_TRUE(s);
  EXPECT_NE(std::find(s->dependencies.begin(), s->dependencies.end(), "teacher/"),
            s->dependencies.end());
  EXPECT_TRUE(s->selected);
  EXPECT_EQ(s->selected_because, std::vector<std::string>{"teacher/sources.jsonl"});
  EXPECT_EQ(s->exit_code, 1);  // The upstream cannot be established.
  EXPECT_EQ(r.ExitCode(), 1);
}

// A model gone from its manifest is "moved" only to a manifest that was not another model's
// at the base: renaming another gated manifest's model must not take a failing one out of
// the gate.
TEST_F(GateRepo, ManifestOfAnotherModelIsNoPlaceToMoveTo) {
  ScratchDir base;
  base.Write("teacher/manifest.json", ReadFile(dir_.path() + "/teacher/manifest.json"));
  base.Write("student/manifest.json", ReadFile(dir_.path() + "/student/manifest.json"));
  std::string clean = Example("lineage/clean-teacher/manifest.json");
  base.Write("clean/manifest.json", clean);
  // The working tree: the student is gone, and the clean teacher now claims its model id.
  fs::remove_all(dir_.path() + "/student");
  clean.replace(clean.find("lab/clean-teacher"), std::string("lab/clean-teacher").size(),
                "lab/closed-pro");
  dir_.Write("clean/manifest.json", clean);
  GateResult r = Run({"student/manifest.json", "clean/manifest.json"}, base.path());
  ASSERT_EQ(r.ungated.size(), 1u);
  EXPECT_EQ(r.ungated[0].path, "student/manifest.json");
  EXPECT_EQ(r.ungated[0].status, "removed");
  EXPECT_TRUE(r.ungated[0].fails);
  EXPECT_NE(r.ungated[0].detail.find("clean/manifest.json"), std::string::npos)
      << r.ungated[0].detail;
  EXPECT_EQ(r.ExitCode(), 1);
}

// The pack directory is a dependency however the settings spell it, repository-relative.
TEST_F(GateRepo, PackDirectoryIsOneRepositoryRelativeDependency) {
  fs::copy(std::string(PROVGATE_SOURCE_DIR) + "/rules/default", dir_.path() + "/policy",
           fs::copy_options::recursive);
  for (const std::string spelling : {"policy", "policy/", "./policy", "policy/./"}) {
    GateRequest request;
    request.root = dir_.path();
    request.config.policy = spelling;
    request.config.date = "2026-06-01";
    request.base = "base";
    request.base_root = dir_.path();
    request.changed = {"policy/rules/P1.yaml"};
    GateResult r = RunGate(request);
    ASSERT_TRUE(r.status.ok()) << spelling << ": " << r.status.message();
    const GateEntry* teacher = Find(r, "teacher/manifest.json");
    ASSERT_TRUE(teacher) << spelling;
    EXPECT_TRUE(teacher->selected) << spelling;
    for (const std::string& d : teacher->dependencies) {
      EXPECT_TRUE(d.find("policy") == std::string::npos || d == "policy/") << spelling << ": " << d;
    }
  }
}

TEST_F(GateRepo, InvalidManifestIsExitTwoAndNamed) {
  dir_.Write("broken/manifest.json", "{\"manifest_version\": \"1\",");
  GateResult r = Run({"broken/manifest.json"}, dir_.path());
  const GateEntry* broken = Find(r, "broken/manifest.json");
  ASSERT_TRUE(broken);
  EXPECT_TRUE(broken->selected);
  EXPECT_EQ(broken->exit_code, 2);
  EXPECT_EQ(r.ExitCode(), 2);
}

TEST_F(GateRepo, EveryFormatComesFromTheOneRun) {
  GateResult r = Run({});
  std::string json;
  WriteGateJson(r, [&](std::string_view piece) { json.append(piece); });
  EXPECT_NE(json.find("\"path\": \"student/manifest.json\""), std::string::npos);
  EXPECT_NE(json.find("\"exit_code\": 1"), std::string::npos);
  FormatOptions options;
  options.source_root = dir_.path();
  std::string sarif = RenderGateSarif(r, options);
  // One log, one run, results located in both manifests' files.
  EXPECT_EQ(sarif.find("\"runs\""), sarif.rfind("\"runs\""));
  EXPECT_EQ(sarif.find("\"tool\""), sarif.rfind("\"tool\""));
  EXPECT_NE(sarif.find("\"uri\": \"student/manifest.json\""), std::string::npos);
  EXPECT_NE(sarif.find("\"uri\": \"teacher/manifest.json\""), std::string::npos);
  std::string markdown = RenderGateMarkdown(r, options);
  EXPECT_EQ(markdown.rfind(std::string(kGateMarker), 0), 0u);
  std::string junit = RenderGateJunit(r, options);
  EXPECT_NE(junit.find("student/manifest.json: P3"), std::string::npos);
}

}  // namespace
}  // namespace provgate
