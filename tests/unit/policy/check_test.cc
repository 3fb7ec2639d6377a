#include "provgate/check.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "../test_files.h"
#include "provgate/policy.h"

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
  EXPECT_TRUE(result.report.compliant());
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
  // A manifest that breaks P1 (a source without a basis in a closed model), P2 (a stage names
  // a source that does not exist; a source no stage uses) and P9 (no size, no digest).
  constexpr char kBroken[] = R"({"manifest_version": "1",
    "model": {"id": "m", "release": {"weights": "closed"},
              "stages": [{"id": "s", "sources": ["a", "ghost"]}]},
    "sources": [{"id": "a", "kind": "web-crawl", "permission": {"basis": "none"}},
                {"id": "b", "kind": "first-party", "permission": {"basis": "first-party"}}]})";
  ScratchDir dir;
  std::string path = dir.Write("m.json", kBroken);

  auto rules_and_reasons = [](const CheckResult& result) {
    std::multimap<std::string, std::string> found;
    for (const Finding& finding : result.report.findings)
      found.emplace(finding.rule + " " + finding.subject, finding.reason);
    return found;
  };

  // The whole pack sees every clause the manifest breaks.
  CheckResult full = Check(path, CheckOptions{});
  std::multimap<std::string, std::string> all = rules_and_reasons(full);
  EXPECT_EQ(all.count("P1 a"), 1u);
  EXPECT_EQ(all.count("P9 a"), 2u);
  EXPECT_EQ(all.count("P9 b"), 2u);

  // Integrity only: exactly P2's findings, and nothing of the other clauses.
  CheckOptions options;
  options.integrity_only = true;
  CheckResult result = Check(path, options);
  std::multimap<std::string, std::string> expected = {{"P2 ghost", "unknown-source"},
                                                      {"P2 b", "unused-source"}};
  EXPECT_EQ(rules_and_reasons(result), expected);
  EXPECT_EQ(result.ExitCode(), 1);
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
  EXPECT_NE(result.report.findings[0].message.view().find("no such key: size"), std::string::npos);
  EXPECT_EQ(result.ExitCode(), 1);
}

// A check whose condition the check's own facts make false is decided once, before any
// source, and not evaluated for each: the source's part of the condition below would exceed the
// cost limit (a rule-error) if it were evaluated, but `&& false` is false whatever that part
// gives. A check the model does not decide is still evaluated per source.
TEST(Check, ChecksTheModelMakesFalseAreNotEvaluatedPerSource) {
  ScratchDir dir;
  dir.Write("pack/pack.yaml",
            "name: p\nversion: '1'\nprofiles: [{name: thread}]\nrules: [r.yaml]\n");
  const std::string costly =
      "(source.id == 'a' ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].exists(x, x == 11) : false)";
  dir.Write("pack/r.yaml",
            "id: R\ntitle: t\nseverity: warning\ndescription: d\nrule:\n  match:\n"
            "    - subject: source\n      condition: \"" +
                costly +
                " && model.effective_weights == 'open'\"\n      message: never\n"
                "    - subject: source\n      condition: \"" +
                costly + " || model.effective_weights == 'open'\"\n      message: costly\n");
  CheckOptions options;
  options.policy_dir = dir.path() + "/pack";
  options.cost_limit = 30;
  CheckResult result = Check(dir.Write("m.json", kClean), options);
  ASSERT_EQ(result.report.findings.size(), 1u);
  EXPECT_EQ(result.report.findings[0].reason, "rule-error");
  EXPECT_NE(result.report.findings[0].message.view().find("cost limit"), std::string::npos)
      << result.report.findings[0].message.view();
}

std::string ChainManifest(int i, int next) {
  std::string lineage = next < 0 ? ""
                                 : R"(, "lineage": [{"relation": "fine-tune", "model": "lab/m)" +
                                       std::to_string(next) + R"(", "manifest": "m)" +
                                       std::to_string(next) + R"(.json"}])";
  return R"({"manifest_version": "1", "model": {"id": "lab/m)" + std::to_string(i) +
         R"(", "release": {"weights": "open", "license": "MIT"})" + lineage +
         R"(}, "sources": [{"id": "s", "kind": "first-party", "permission": {"basis": "first-party"},
         "size": {"tokens": 1}, "digest": {"sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}}]})";
}

TEST(CheckLineage, DepthIsLimitedWithAClearError) {
  ScratchDir dir;
  for (int i = 0; i < 70; ++i)
    dir.Write("m" + std::to_string(i) + ".json", ChainManifest(i, i + 1 < 70 ? i + 1 : -1));
  CheckResult result = Check(dir.path() + "/m0.json", CheckOptions{});
  ASSERT_LT(result.ExitCode(), 2);
  EXPECT_TRUE(result.report.tainted);
  EXPECT_NE(result.report.taint_chain.find("deeper than 64 models"), std::string::npos)
      << result.report.taint_chain;
  // Every model reached is in the graph once; the one past the limit is unverified.
  EXPECT_EQ(result.graph.nodes.size(), 66u);
}

TEST(CheckLineage, FanOutIsLimitedWithAClearError) {
  ScratchDir dir;
  std::string lineage;
  for (int i = 0; i < 10001; ++i) {
    lineage += std::string(i ? "," : "") + R"({"relation": "merge", "model": "vendor/m)" +
               std::to_string(i) + R"("})";
  }
  dir.Write("wide.json", R"({"manifest_version": "1", "model": {"id": "lab/wide",
    "release": {"weights": "open", "license": "MIT"}, "lineage": [)" +
                             lineage + R"(]},
    "sources": []})");
  CheckResult result = Check(dir.path() + "/wide.json", CheckOptions{});
  ASSERT_LT(result.ExitCode(), 2);
  int limit = 0;
  for (const Finding& f : result.report.findings) {
    if (f.reason == "lineage-limit") {
      ++limit;
      EXPECT_EQ(f.subject, "vendor/m10000");
      EXPECT_NE(f.message.view().find("more than 10000 lineage entries"), std::string::npos);
    }
  }
  EXPECT_EQ(limit, 1);
}

TEST(CheckLineage, ASharedUpstreamIsEvaluatedOnce) {
  ScratchDir dir;
  dir.Write("base.json", ChainManifest(9, -1));
  for (int i = 0; i < 3; ++i) {
    std::string m = ChainManifest(i, 9);
    m.replace(m.find("m9.json"), 7, "base.json");
    dir.Write("m" + std::to_string(i) + ".json", m);
  }
  dir.Write(
      "root.json",
      R"({"manifest_version": "1", "model": {"id": "lab/root", "release": {"weights": "closed"},
    "lineage": [{"relation": "merge", "model": "lab/m0", "manifest": "m0.json"},
                {"relation": "merge", "model": "lab/m1", "manifest": "m1.json"},
                {"relation": "merge", "model": "lab/m2", "manifest": "m2.json"}]},
    "sources": []})");
  CheckResult result = Check(dir.path() + "/root.json", CheckOptions{});
  ASSERT_EQ(result.ExitCode(), 0) << RenderTextReport(result.report);
  EXPECT_EQ(result.graph.nodes.size(), 5u);
  EXPECT_EQ(result.graph.edges.size(), 6u);
  EXPECT_EQ(result.graph.manifests_evaluated, 5u);  // base.json once, not three times
  EXPECT_EQ(result.graph.nodes.front().id, "lab/root");
}

// Permission answers are cached by basis and licence expression, and sources are evaluated on
// a second thread in large manifests. Neither may change what a source gets: every source of a
// large, shuffled mixture must get exactly the findings and obligations it gets alone.
TEST(Check, EverySourceOfAMixtureIsJudgedAsIfAlone) {
  const std::vector<std::string> kinds = {
      R"("kind": "books", "permission": {"basis": "license"}, "license": "CC-BY-4.0")",
      R"("kind": "books", "permission": {"basis": "license"}, "license": "CC-BY-NC-4.0")",
      R"("kind": "books", "permission": {"basis": "license"}, "license": "CC-BY-NC-4.0",
         "acquisition": {"method": "piracy"})",
      R"("kind": "books", "permission": {"basis": "first-party"}, "license": "CC-BY-NC-4.0")",
      R"("kind": "books", "permission": {"basis": "none"}, "license": "MIT")",
      R"("kind": "books", "permission": {"basis": "none"})",
      R"("kind": "synthetic", "permission": {"basis": "license"}, "license": "MIT",
         "generated_by": {"model": "vendor/teacher", "terms_allow_training": false})",
      R"("kind": "synthetic", "permission": {"basis": "license"}, "license": "MIT",
         "generated_by": {"model": "vendor/other", "terms_allow_training": false})",
      R"("kind": "books", "permission": {"basis": "unknown"}, "acquisition": {"method": "piracy"})",
      R"("kind": "code", "permission": {"basis": "license"}, "license": "LicenseRef-in-house")",
      R"("kind": "code", "permission": {"basis": "license"}, "license": "MIT OR GPL-3.0-only")",
      R"("kind": "books", "permission": {"basis": "public-domain"}, "license": "MIT")",
      R"("kind": "news", "permission": {"basis": "contract", "evidence": [{"uri":
         "https://deals.example/forum.pdf", "sha256":
         "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}], "grants":
         {"training": true, "closed_weights": true, "commercial": true},
         "valid_until": "2026-06-30"})",
      R"("kind": "news", "permission": {"basis": "contract", "evidence": [{"uri":
         "https://deals.example/forum.pdf", "sha256":
         "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}], "grants":
         {"training": true, "closed_weights": true, "commercial": true}})",
      R"("kind": "web-crawl", "permission": {"basis": "statutory-exception"})",
  };
  auto manifest = [](const std::string& sources) {
    return R"({"manifest_version": "1", "model": {"id": "m", "release": {"weights": "closed",
              "deployment": "commercial", "date": "2026-09-01"}}, "sources": [)" +
           sources + "]}";
  };
  auto source = [&](const std::string& id, std::size_t kind) {
    return R"({"id": ")" + id + R"(", )" + kinds[kind] + "}";
  };
  // What each source gets, with its id written as ID.
  auto outcomes = [](const Report& report) {
    std::map<std::string, std::vector<std::string>> by_subject;
    auto generic = [](std::string text, const std::string& id) {
      for (std::size_t at = text.find(id); at != std::string::npos; at = text.find(id, at)) {
        text.replace(at, id.size(), "ID");
      }
      return text;
    };
    for (const Finding& f : report.findings) {
      by_subject[f.subject].push_back(f.rule + "/" + std::string(ToString(f.severity)) + "/" +
                                      f.reason + "/" +
                                      generic(f.message.str(), "'" + f.subject + "'") + "/" +
                                      generic(f.remedy.str(), "'" + f.subject + "'"));
    }
    for (const Obligation& o : report.obligations) {
      by_subject[o.subject].push_back(o.kind + "/" + o.rule + "/" + o.license.str() + "/" +
                                      o.uri.str());
    }
    return by_subject;
  };
  ScratchDir dir;
  std::vector<std::vector<std::string>> alone(kinds.size());
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    CheckResult result = Check(dir.Write("alone.json", manifest(source("x", k))), CheckOptions{});
    ASSERT_LT(result.ExitCode(), 2) << k;
    alone[k] = outcomes(result.report)["x"];
  }
  std::string sources;
  std::vector<std::size_t> kind_of;
  for (std::size_t i = 0; i < 3000; ++i) {
    std::size_t k = (i * 7919 + i / 13) % kinds.size();
    kind_of.push_back(k);
    sources += (i ? "," : "") + source("s" + std::to_string(i), k);
  }
  CheckResult mixture = Check(dir.Write("mixture.json", manifest(sources)), CheckOptions{});
  ASSERT_EQ(mixture.ExitCode(), 1);
  auto got = outcomes(mixture.report);
  for (std::size_t i = 0; i < kind_of.size(); ++i) {
    EXPECT_EQ(got["s" + std::to_string(i)], alone[kind_of[i]]) << "source s" << i;
  }
}

// One loaded pack serves checks on several threads at once (a pipeline checking many
// manifests), each of which may use threads of its own: the reports equal those of checks
// made one after the other.
TEST(Check, ChecksOnSeveralThreadsShareOnePack) {
  PackLoadResult loaded = LoadRulePack("");
  ASSERT_TRUE(loaded.ok());
  ScratchDir dir;
  std::vector<std::string> paths;
  for (int m = 0; m < 4; ++m) {
    std::string sources;
    for (int i = 0; i < 1500; ++i) {
      const char* licence =
          (i + m) % 3 == 0 ? "CC-BY-NC-4.0" : (i % 3 == 1 ? "MIT" : "CC-BY-SA-4.0");
      sources += std::string(i ? "," : "") + R"({"id": "s)" + std::to_string(i) +
                 R"(", "kind": "code", "permission": {"basis": "license"}, "license": ")" +
                 licence + "\"}";
    }
    paths.push_back(
        dir.Write("m" + std::to_string(m) + ".json",
                  R"({"manifest_version": "1", "model": {"id": "m)" + std::to_string(m) +
                      R"(", "release": {"weights": "closed", "deployment": "commercial"}},
                                  "sources": [)" +
                      sources + "]}"));
  }
  CheckOptions options;
  options.date = "2026-11-27";
  std::vector<std::string> serial;
  for (const auto& path : paths)
    serial.push_back(RenderJsonReport(Check(path, *loaded.pack, options).report));
  std::vector<std::string> parallel(paths.size());
  std::vector<std::thread> threads;
  for (std::size_t m = 0; m < paths.size(); ++m) {
    threads.emplace_back(
        [&, m] { parallel[m] = RenderJsonReport(Check(paths[m], *loaded.pack, options).report); });
  }
  for (auto& t : threads) t.join();
  for (std::size_t m = 0; m < paths.size(); ++m) {
    EXPECT_EQ(parallel[m], serial[m]) << paths[m];
    EXPECT_NE(serial[m].find("\"non-commercial\""), std::string::npos);
  }
}

}  // namespace
}  // namespace provgate
