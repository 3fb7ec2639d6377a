// The library's entry points agree with each other: a manifest checked from a file, from its
// text, as a typed manifest, through a session and in shards gives the same report.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../test_files.h"
#include "api/check_plan.h"
#include "policy/rule_pack.h"
#include "provgate/check.h"
#include "provgate/policy.h"
#include "provgate/session.h"
#include "provgate/shard.h"

namespace provgate {
namespace {

namespace fs = std::filesystem;
using testing_support::ScratchDir;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const RulePack& DefaultPack() {
  static const PackLoadResult loaded = LoadRulePack("");
  EXPECT_TRUE(loaded.ok());
  return *loaded.pack;
}

// Manifests with every kind of finding the examples and golden cases hold, with and without
// stages, lineage, JSONL side files and waivers-free profiles.
std::vector<fs::path> Manifests() {
  std::vector<fs::path> out;
  const fs::path root(PROVGATE_SOURCE_DIR);
  for (const auto& entry : fs::directory_iterator(root / "examples")) {
    if (fs::exists(entry.path() / "manifest.json")) out.push_back(entry.path() / "manifest.json");
  }
  for (const char* name :
       {"p2-duplicate-source-id", "p2-unknown-source", "p2-unused-source",
        "permission-table-closed", "permission-table-open", "profile-intermediate",
        "lineage-three-hop", "jsonl-side-file", "p9-transparency"}) {
    fs::path dir = root / "tests/golden/cases" / name;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() == ".json" && entry.path().filename() != "expected.json") {
        out.push_back(entry.path());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

CheckOptions FixedDate(std::string profile = "") {
  CheckOptions options;
  options.date = "2026-06-01";
  options.profile = std::move(profile);
  return options;
}

std::string Json(const CheckResult& result) { return RenderJsonReport(result.report); }

TEST(ManifestInputTest, TextReadsAsTheFileWithTheSameBytes) {
  for (const fs::path& path : Manifests()) {
    SCOPED_TRACE(path.string());
    CheckResult file = Check(ManifestInput::File(path.string()), DefaultPack(), FixedDate());
    // Named as the file is, so that locations and paths read alike.
    CheckResult text =
        Check(ManifestInput::Text(Slurp(path), path.string(), ""), DefaultPack(), FixedDate());
    ASSERT_EQ(file.ExitCode(), text.ExitCode());
    if (file.ExitCode() >= 2) continue;
    EXPECT_EQ(Json(file), Json(text));
  }
}

TEST(ManifestInputTest, InvalidTextGivesTheFilesDiagnostics) {
  ScratchDir dir;
  const std::string bad = R"({"manifest_version": "1", "model": {"id": "m"}, "sources": [1]})";
  std::string path = dir.Write("m.json", bad);
  CheckResult file = Check(ManifestInput::File(path), DefaultPack(), FixedDate());
  CheckResult text = Check(ManifestInput::Text(bad, path, "/"), DefaultPack(), FixedDate());
  EXPECT_EQ(file.ExitCode(), 2);
  ASSERT_EQ(file.diagnostics.size(), text.diagnostics.size());
  for (std::size_t i = 0; i < file.diagnostics.size(); ++i) {
    EXPECT_EQ(FormatDiagnostic(file.diagnostics[i]), FormatDiagnostic(text.diagnostics[i]));
  }
  EXPECT_EQ(text.report.verdict, Verdict::kUnknown);
  EXPECT_FALSE(text.report.compliant());
}

TEST(ManifestInputTest, TypedManifestGetsTheSameFindings) {
  for (const fs::path& path : Manifests()) {
    SCOPED_TRACE(path.string());
    Manifest manifest;
    if (!LoadManifest(path.string(), manifest).ok() || manifest.header.sources_jsonl) continue;
    CheckResult file = Check(ManifestInput::File(path.string()), DefaultPack(), FixedDate());
    CheckResult typed = Check(ManifestInput::Typed(manifest, "m.json", path.parent_path()),
                              DefaultPack(), FixedDate());
    ASSERT_EQ(file.ExitCode(), typed.ExitCode())
        << (typed.diagnostics.empty() ? "" : FormatDiagnostic(typed.diagnostics[0]));
    ASSERT_EQ(file.report.findings.size(), typed.report.findings.size());
    for (std::size_t i = 0; i < file.report.findings.size(); ++i) {
      const Finding& a = file.report.findings[i];
      const Finding& b = typed.report.findings[i];
      EXPECT_EQ(a.rule + a.subject + a.message.str(), b.rule + b.subject + b.message.str());
      EXPECT_EQ(a.location.pointer, b.location.pointer);
    }
    EXPECT_EQ(file.report.verdict, typed.report.verdict);
  }
}

TEST(ManifestInputTest, InvalidTypedManifestIsReportedWithPointers) {
  Manifest manifest;
  manifest.header.manifest_version = "1";
  manifest.header.model.id = "lab/m";
  manifest.header.model.release.weights = Weights::kOpen;  // Open weights need a licence.
  Source source;
  source.id = "";
  source.kind = SourceKind::kSynthetic;  // Synthetic sources name their generator.
  source.permission.basis = Basis::kFirstParty;
  manifest.sources.push_back(source);
  CheckResult result =
      Check(ManifestInput::Typed(manifest, "built.json", "."), DefaultPack(), FixedDate());
  EXPECT_EQ(result.ExitCode(), 2);
  std::vector<std::string> pointers;
  for (const Diagnostic& d : result.diagnostics) pointers.push_back(d.pointer);
  EXPECT_NE(std::find(pointers.begin(), pointers.end(), "/sources/0/id"), pointers.end());
  EXPECT_FALSE(result.report.compliant());
}

// Runs `manifest` through a session in batches of `batch` and returns the result.
CheckResult ThroughSession(const Manifest& manifest, const std::string& base, std::size_t batch,
                           const CheckOptions& options) {
  CheckSession session(DefaultPack(), options, manifest.header, "m.json", base);
  for (std::size_t i = 0; i < manifest.sources.size(); i += batch) {
    std::size_t n = std::min(batch, manifest.sources.size() - i);
    session.Add(manifest.sources.data() + i, n);
  }
  EXPECT_EQ(session.size(), manifest.sources.size());
  return session.Finish();
}

TEST(CheckSessionTest, SameReportAsTheTypedManifest) {
  for (const fs::path& path : Manifests()) {
    SCOPED_TRACE(path.string());
    Manifest manifest;
    if (!LoadManifest(path.string(), manifest).ok() || manifest.header.sources_jsonl) continue;
    for (const char* profile : {"", "intermediate"}) {
      CheckOptions options = FixedDate(profile);
      CheckResult typed = Check(ManifestInput::Typed(manifest, "m.json", path.parent_path()),
                                DefaultPack(), options);
      for (std::size_t batch : {std::size_t{1}, std::size_t{3}, std::size_t{1000}}) {
        CheckResult session = ThroughSession(manifest, path.parent_path(), batch, options);
        ASSERT_EQ(typed.ExitCode(), session.ExitCode());
        EXPECT_EQ(Json(typed), Json(session)) << profile << " batch " << batch;
      }
    }
  }
}

TEST(CheckSessionTest, InvalidSourceIsReportedAtItsPosition) {
  Manifest manifest;
  manifest.header.manifest_version = "1";
  manifest.header.model.id = "lab/m";
  CheckSession session(DefaultPack(), FixedDate(), manifest.header);
  Source good;
  good.id = "a";
  good.kind = SourceKind::kFirstParty;
  good.permission.basis = Basis::kFirstParty;
  session.Add(good);
  EXPECT_TRUE(session.ok());
  Source bad = good;
  bad.id = "b";
  bad.digest_sha256 = "not hex";
  session.Add(good);
  session.Add(bad);
  EXPECT_FALSE(session.ok());
  bool found = false;
  for (const Diagnostic& d : session.diagnostics()) {
    found = found || d.pointer.rfind("/sources/2/digest", 0) == 0;
  }
  EXPECT_TRUE(found);
  CheckResult result = session.Finish();
  EXPECT_EQ(result.ExitCode(), 2);
  EXPECT_EQ(result.report.verdict, Verdict::kUnknown);
  EXPECT_EQ(session.Finish().ExitCode(), 2);  // Finished twice: refused, not a crash.
}

TEST(CheckSessionTest, UnknownProfileIsAUsageError) {
  ManifestHeader header;
  header.manifest_version = "1";
  header.model.id = "lab/m";
  CheckSession session(DefaultPack(), FixedDate("no-such-profile"), header);
  EXPECT_FALSE(session.ok());
  Source source;
  source.id = "a";
  session.Add(source);  // Counted, not judged: the session cannot evaluate.
  EXPECT_EQ(session.size(), 1u);
  ASSERT_EQ(session.diagnostics().size(), 1u);
  EXPECT_EQ(session.diagnostics()[0].code, "usage");
  CheckResult result = session.Finish();
  EXPECT_EQ(result.ExitCode(), 2);
  EXPECT_FALSE(result.report.compliant());
}

std::vector<std::string> Shards(const ManifestInput& input, std::uint64_t count,
                                const CheckOptions& options) {
  std::vector<std::string> partials;
  for (std::uint64_t i = 0; i < count; ++i) {
    ShardResult shard = EvaluateShard(input, {i, count}, DefaultPack(), options);
    EXPECT_TRUE(shard.ok());
    partials.push_back(std::move(shard.partial));
  }
  return partials;
}

TEST(ShardTest, MergedShardsGiveTheWholeReportInAnyOrder) {
  for (const fs::path& path : Manifests()) {
    SCOPED_TRACE(path.string());
    ManifestInput input = ManifestInput::File(path.string());
    for (const char* profile : {"", "intermediate", "eu"}) {
      CheckOptions options = FixedDate(profile);
      CheckResult whole = Check(input, DefaultPack(), options);
      if (whole.ExitCode() >= 2) continue;
      for (std::uint64_t count : {1u, 2u, 3u, 4u, 7u}) {
        std::vector<std::string> partials = Shards(input, count, options);
        std::reverse(partials.begin(), partials.end());
        CheckResult merged = MergeShards(input, partials, DefaultPack(), options);
        ASSERT_EQ(whole.ExitCode(), merged.ExitCode()) << profile << " " << count;
        EXPECT_EQ(Json(whole), Json(merged)) << profile << " " << count;
      }
    }
  }
}

// A manifest of 600 sources with every kind of outcome: licences with and without
// attribution, no basis, contracts, statutory exceptions, repeated ids, sources no stage names
// and a stage naming an unknown source.
std::string MixedManifest() {
  const char* bases[] = {
      R"("license": "MIT", "permission": {"basis": "license"})",
      R"("license": "CC-BY-4.0", "permission": {"basis": "license"})",
      R"("permission": {"basis": "none"})",
      R"("permission": {"basis": "contract", "grants": {"training": true, "commercial": true,
         "closed_weights": true}, "evidence": [{"uri": "deal.pdf", "sha256":
         "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}]})",
      R"("permission": {"basis": "statutory-exception"})",
      R"("license": "GPL-3.0-only", "permission": {"basis": "license"})",
      R"("permission": {"basis": "unknown"})"};
  std::string sources;
  std::string pre;
  std::string sft;
  for (int i = 0; i < 600; ++i) {
    std::string id = "s" + std::to_string(i % 97 == 5 ? 5 : i);  // Some ids repeat.
    if (!sources.empty()) sources += ",\n";
    sources += R"({"id": ")" + id + R"(", "kind": "web-crawl", )" + bases[i % 7] +
               (i % 3 == 0 ? R"(, "size": {"tokens": )" + std::to_string(1000 + i) + "}" : "") +
               "}";
    if (i % 11 == 4) continue;  // Named by no stage.
    std::string& stage = i < 400 ? pre : sft;
    if (!stage.empty()) stage += ", ";
    stage += "\"" + id + "\"";
  }
  return R"({"manifest_version": "1", "model": {"id": "lab/mixed", "release": {"weights":
    "closed", "date": "2026-05-01"}, "stages": [{"id": "pre", "sources": [)" +
         pre + R"(, "ghost"]}, {"id": "sft", "sources": [)" + sft +
         R"(], "checkpoint": {"id": "lab/mixed-base", "weights": "open", "license": "MIT"}}]},
    "sources": [)" +
         sources + "]}";
}

TEST(ShardTest, ManySourcesWithManyFindingsMergeExactly) {
  ScratchDir dir;
  ManifestInput input = ManifestInput::File(dir.Write("mixed.json", MixedManifest()));
  for (const char* profile : {"", "intermediate", "eu"}) {
    CheckOptions options = FixedDate(profile);
    CheckResult whole = Check(input, DefaultPack(), options);
    ASSERT_EQ(whole.ExitCode(), 1)
        << (whole.diagnostics.empty() ? "" : FormatDiagnostic(whole.diagnostics.front()));
    ASSERT_GT(whole.report.findings.size(), 600u);
    for (std::uint64_t count : {2u, 5u, 16u}) {
      std::vector<std::string> partials = Shards(input, count, options);
      std::rotate(partials.begin(), partials.begin() + 1, partials.end());
      CheckResult merged = MergeShards(input, partials, DefaultPack(), options);
      EXPECT_EQ(Json(whole), Json(merged)) << profile << " " << count;
    }
    Manifest manifest;
    ASSERT_TRUE(LoadManifest(input.name(), manifest).ok());
    CheckResult typed =
        Check(ManifestInput::Typed(manifest, "m.json", dir.path()), DefaultPack(), options);
    CheckResult session = ThroughSession(manifest, dir.path(), 64, options);
    EXPECT_EQ(Json(typed), Json(session)) << profile;
    EXPECT_EQ(typed.report.findings.size(), whole.report.findings.size());
  }
}

// The decision table is the same however the sources are judged: pipelined or on one thread,
// in shards merged in any order, or through a session; and it has one row per source, in
// manifest order.
TEST(ShardTest, DecisionsAreTheSameEveryWay) {
  ScratchDir dir;
  std::string sources;
  for (int i = 0; i < 3000; ++i) {
    if (!sources.empty()) sources += ",\n";
    sources += R"({"id": "s)" + std::to_string(i) + R"(", "kind": "web-crawl", )" +
               (i % 3 == 0   ? R"("license": "MIT", "permission": {"basis": "license"})"
                : i % 3 == 1 ? R"("permission": {"basis": "none"}, "size": {"bytes": 5})"
                             : R"("license": "CC-BY-NC-4.0", "permission": {"basis": "license"},
                                  "size": {"tokens": 9})") +
               "}";
  }
  ManifestInput input = ManifestInput::File(
      dir.Write("many.json", R"({"manifest_version": "1", "model": {"id": "lab/many", "release":
        {"weights": "closed", "date": "2026-05-01"}}, "sources": [)" +
                                 sources + "]}"));
  CheckOptions options = FixedDate();
  options.collect_decisions = true;
  CheckResult whole = Check(input, DefaultPack(), options);
  ASSERT_EQ(whole.ExitCode(), 1);
  ASSERT_TRUE(whole.report.decisions.has_value());
  ASSERT_EQ(whole.report.decisions->size(), 3000u);
  for (std::size_t i = 0; i < 3000; ++i) {
    const SourceDecision& d = (*whole.report.decisions)[i];
    ASSERT_EQ(d.id, "s" + std::to_string(i));
    EXPECT_EQ(d.permitted, i % 3 == 0) << i;
    EXPECT_EQ(d.reason, i % 3 == 0 ? "" : i % 3 == 1 ? "no-basis" : "non-commercial") << i;
  }
  CheckOptions one = options;
  one.max_threads = 1;
  EXPECT_EQ(Json(whole), Json(Check(input, DefaultPack(), one)));
  for (std::uint64_t count : {2u, 5u}) {
    std::vector<std::string> partials = Shards(input, count, options);
    std::reverse(partials.begin(), partials.end());
    EXPECT_EQ(Json(whole), Json(MergeShards(input, partials, DefaultPack(), options))) << count;
  }
  Manifest manifest;
  ASSERT_TRUE(LoadManifest(input.name(), manifest).ok());
  CheckResult typed =
      Check(ManifestInput::Typed(manifest, "m.json", dir.path()), DefaultPack(), options);
  EXPECT_EQ(Json(typed), Json(ThroughSession(manifest, dir.path(), 700, options)));
  // Shards made without the table do not merge into a check that asks for it.
  std::vector<std::string> without = Shards(input, 2, FixedDate());
  EXPECT_EQ(MergeShards(input, without, DefaultPack(), options).ExitCode(), 2);
}

TEST(ShardTest, PartialsThatDoNotMakeOneSplitAreRefused) {
  const fs::path path = fs::path(PROVGATE_SOURCE_DIR) / "examples/forum-data-deal/manifest.json";
  const fs::path other = fs::path(PROVGATE_SOURCE_DIR) / "examples/licensed-closed/manifest.json";
  ManifestInput input = ManifestInput::File(path.string());
  CheckOptions options = FixedDate();
  std::vector<std::string> three = Shards(input, 3, options);
  auto code = [&](const std::vector<std::string>& partials, const CheckOptions& o) {
    CheckResult merged = MergeShards(input, partials, DefaultPack(), o);
    if (merged.ExitCode() >= 2) {
      EXPECT_EQ(merged.report.verdict, Verdict::kUnknown);
    }
    return std::make_pair(merged.ExitCode(), merged.diagnostics.empty()
                                                 ? std::string()
                                                 : merged.diagnostics.front().code);
  };
  using Outcome = std::pair<int, std::string>;
  EXPECT_EQ(code({three[0], three[1]}, options), Outcome(2, "shard"));            // Missing.
  EXPECT_EQ(code({three[0], three[1], three[1]}, options), Outcome(2, "shard"));  // Twice.
  EXPECT_EQ(code({}, options), Outcome(2, "shard"));
  std::string corrupt = three[2];
  corrupt[corrupt.size() / 2] ^= 0x40;
  EXPECT_EQ(code({three[0], three[1], corrupt}, options).first, 2);
  EXPECT_EQ(code({three[0], three[1], three[2].substr(0, 20)}, options), Outcome(2, "shard"));
  CheckOptions other_date = options;
  other_date.date = "2026-06-02";
  EXPECT_EQ(code(three, other_date), Outcome(2, "shard"));
  std::vector<std::string> foreign = Shards(ManifestInput::File(other.string()), 3, options);
  EXPECT_EQ(code({three[0], foreign[1], three[2]}, options), Outcome(2, "shard"));
  std::vector<std::string> two = Shards(input, 2, options);
  EXPECT_EQ(code({three[0], two[1], three[2]}, options), Outcome(2, "shard"));
  // The same three merge.
  EXPECT_EQ(code(three, options).first, Check(input, DefaultPack(), options).ExitCode());
  EXPECT_LT(code(three, options).first, 2);
}

TEST(ShardTest, ShardThatDoesNotExistIsRefused) {
  ManifestInput input = ManifestInput::File(
      (fs::path(PROVGATE_SOURCE_DIR) / "examples/forum-data-deal/manifest.json").string());
  for (ShardSpec spec : {ShardSpec{0, 0}, ShardSpec{3, 3}, ShardSpec{~0ull, 2}}) {
    ShardResult shard = EvaluateShard(input, spec, DefaultPack(), FixedDate());
    EXPECT_FALSE(shard.ok());
    EXPECT_EQ(shard.status.code(), Status::Code::kInvalidArgument);
    EXPECT_TRUE(shard.partial.empty());
  }
}

TEST(CheckOptionsTest, OneThreadGivesTheSameReport) {
  for (const fs::path& path : Manifests()) {
    SCOPED_TRACE(path.string());
    CheckOptions options = FixedDate();
    CheckResult many = Check(ManifestInput::File(path.string()), DefaultPack(), options);
    options.max_threads = 1;
    CheckResult one = Check(ManifestInput::File(path.string()), DefaultPack(), options);
    EXPECT_EQ(many.ExitCode(), one.ExitCode());
    EXPECT_EQ(Json(many), Json(one));
  }
}

TEST(CheckOptionsTest, WaiversAndKeysAsTextActAsTheirFiles) {
  const fs::path cases = fs::path(PROVGATE_SOURCE_DIR) / "tests/golden/cases";
  // Waivers.
  CheckOptions from_file;
  from_file.date = "2026-11-01";
  from_file.waivers_path = (cases / "waivers/valid.yaml").string();
  CheckOptions from_text = from_file;
  from_text.waivers_path.clear();
  from_text.waivers_text = Slurp(cases / "waivers/valid.yaml");
  from_text.waivers_name = from_file.waivers_path;
  const std::string manifest = (cases / "waivers/manifest.json").string();
  CheckResult a = Check(manifest, DefaultPack(), from_file);
  CheckResult b = Check(manifest, DefaultPack(), from_text);
  EXPECT_EQ(a.ExitCode(), 0);
  EXPECT_GT(a.report.summary.waived, 0u);
  EXPECT_EQ(Json(a), Json(b));
  from_text.waivers_text = "waivers: [{rule: P1}]";
  EXPECT_EQ(Check(manifest, DefaultPack(), from_text).ExitCode(), 2);

  // Trusted keys.
  CheckOptions key_file = FixedDate();
  key_file.trusted_keys = {(cases / "lineage-attestation/keys/lab.pub").string()};
  CheckOptions key_text = FixedDate();
  // Named as the file, since messages name the key that failed.
  key_text.trusted_key_sources = {
      KeySource::Pem(Slurp(cases / "lineage-attestation/keys/lab.pub"), key_file.trusted_keys[0])};
  const std::string lineage = (cases / "lineage-attestation/manifest.json").string();
  CheckResult c = Check(lineage, DefaultPack(), key_file);
  CheckResult d = Check(lineage, DefaultPack(), key_text);
  EXPECT_EQ(c.ExitCode(), d.ExitCode());
  EXPECT_EQ(Json(c), Json(d));
  EXPECT_NE(Json(c), Json(Check(lineage, DefaultPack(), FixedDate())));  // The key matters.
  key_text.trusted_key_sources = {KeySource::Pem("not a key", "bad")};
  EXPECT_EQ(Check(lineage, DefaultPack(), key_text).ExitCode(), 3);
}

TEST(ParameterTest, IntegersAreDecimalAndWhole) {
  EXPECT_EQ(detail::ParseParamValue("int", "42")->AsInt(), 42);
  EXPECT_EQ(detail::ParseParamValue("int", "-7")->AsInt(), -7);
  EXPECT_EQ(detail::ParseParamValue("int", "9223372036854775807")->AsInt(), INT64_MAX);
  for (const char* bad : {"", "-", "+1", "1-2", " 1", "1 ", "0x10", "99999999999999999999",
                          "-9223372036854775809", "1e3"}) {
    EXPECT_FALSE(detail::ParseParamValue("int", bad).has_value()) << bad;
  }
  EXPECT_TRUE(detail::ParseParamValue("bool", "true")->AsBool());
  EXPECT_FALSE(detail::ParseParamValue("bool", "True").has_value());
  EXPECT_EQ(detail::ParseParamValue("string", "")->AsString(), "");
}

TEST(ParameterTest, AnOverrideThatIsNotItsTypeIsAUsageError) {
  CheckOptions options = FixedDate();
  options.params = {{"judge_propagates_taint", "yes"}};
  const fs::path path = fs::path(PROVGATE_SOURCE_DIR) / "examples/forum-data-deal/manifest.json";
  CheckResult result = Check(path.string(), DefaultPack(), options);
  EXPECT_EQ(result.ExitCode(), 2);
  EXPECT_EQ(result.report.verdict, Verdict::kUnknown);
}

}  // namespace
}  // namespace provgate
