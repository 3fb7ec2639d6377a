// Partitions of a JSON Lines side file, judged apart and merged: the report of the whole
// manifest, byte for byte, whatever the partition size and the order of the partials; the
// lines given in memory instead of the file give the same partials; what does not fit is
// refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../test_files.h"
#include "provgate/check.h"
#include "provgate/policy.h"
#include "provgate/shard.h"

namespace provgate {
namespace {

namespace fs = std::filesystem;
using testing_support::ScratchDir;

const RulePack& DefaultPack() {
  static const PackLoadResult loaded = LoadRulePack("");
  EXPECT_TRUE(loaded.ok());
  return *loaded.pack;
}

std::string Json(const CheckResult& result) { return RenderJsonReport(result.report); }

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A manifest of 900 sources in a side file with blank lines, carriage returns, ids repeated
// far apart, stages whose sources are spread over the file and a stage naming an unknown
// source; with a released open checkpoint, for the profile that reads sources twice.
fs::path WriteManifest(ScratchDir& dir) {
  const char* bases[] = {
      R"("license": "MIT", "permission": {"basis": "license"})",
      R"("license": "CC-BY-4.0", "permission": {"basis": "license"})",
      R"("permission": {"basis": "none"})",
      R"("license": "CC-BY-SA-4.0", "permission": {"basis": "license"})",
      R"("permission": {"basis": "first-party"})",
      R"("permission": {"basis": "unknown"}, "acquisition": {"method": "piracy"})"};
  std::string lines;
  std::vector<std::string> stages[3];
  for (int i = 0; i < 900; ++i) {
    std::string id = "s" + std::to_string(i >= 800 && i % 25 == 0 ? i - 790 : i);
    lines += R"({"id": ")" + id + R"(", "kind": "web-crawl", )" + bases[i % 6] +
             (i % 4 == 0 ? R"(, "size": {"tokens": )" + std::to_string(100 + i) + "}" : "") +
             (i % 7 == 0 ? "}\r\n" : "}\n");
    if (i % 89 == 0) lines += "\n  \t\n";
    if (i % 13 != 3) stages[(i / 40) % 3].push_back(id);
  }
  dir.Write("sources.jsonl", lines);
  auto list = [](const std::vector<std::string>& ids) {
    std::string out;
    for (const std::string& id : ids) out += (out.empty() ? "\"" : ", \"") + id + "\"";
    return out;
  };
  return dir.Write("manifest.json", R"({"manifest_version": "1", "model": {"id": "lab/parts",
    "release": {"weights": "closed", "date": "2026-05-01"}, "stages": [
      {"id": "pre", "sources": [)" + list(stages[0]) +
                                        R"(],
       "checkpoint": {"id": "lab/parts-base", "weights": "open", "license": "MIT"}},
      {"id": "mid", "sources": [)" + list(stages[1]) +
                                        R"(, "ghost"]},
      {"id": "post", "sources": [)" + list(stages[2]) +
                                        R"(]}]},
    "sources": {"jsonl": "sources.jsonl"}})");
}

CheckOptions Options(const char* profile) {
  CheckOptions options;
  options.date = "2026-06-01";
  options.profile = profile;
  return options;
}

std::vector<std::string> Evaluate(const ManifestInput& input, const PartitionPlan& plan,
                                  const CheckOptions& options, bool from_text,
                                  const std::string& side_file) {
  std::optional<std::int64_t> stage;
  if (plan.two_pass) {
    std::int64_t last = -1;
    for (const Partition& p : plan.partitions) {
      PartitionFactsResult facts = PartitionFacts(input, p, DefaultPack(), options);
      EXPECT_TRUE(facts.ok());
      last = std::max(last, facts.last_unpermitted_stage);
    }
    stage = last;
  }
  std::vector<std::string> partials;
  for (const Partition& p : plan.partitions) {
    ShardResult shard =
        from_text ? EvaluatePartitionText(input, side_file.substr(p.begin, p.end - p.begin), p,
                                          DefaultPack(), options, stage)
                  : EvaluatePartition(input, p, DefaultPack(), options, stage);
    EXPECT_TRUE(shard.ok()) << shard.status.message()
                            << (shard.diagnostics.empty()
                                    ? ""
                                    : FormatDiagnostic(shard.diagnostics.front()));
    partials.push_back(shard.partial);
  }
  return partials;
}

TEST(PartitionTest, MergedPartitionsGiveTheWholeReport) {
  ScratchDir dir;
  ManifestInput input = ManifestInput::File(WriteManifest(dir).string());
  const std::string side_file = Slurp(fs::path(dir.path()) / "sources.jsonl");
  std::mt19937 shuffle(7);
  for (const char* profile : {"", "intermediate", "eu"}) {
    CheckOptions options = Options(profile);
    CheckResult whole = Check(input, DefaultPack(), options);
    ASSERT_EQ(whole.ExitCode(), 1) << profile;
    ASSERT_GT(whole.report.findings.size(), 300u);
    for (std::uint64_t bytes : {1ull, 997ull, 20000ull, 1ull << 40}) {
      SCOPED_TRACE(std::string(profile) + " " + std::to_string(bytes));
      PartitionPlan plan = PlanPartitions(input, bytes, DefaultPack(), options);
      ASSERT_TRUE(plan.ok());
      EXPECT_EQ(plan.two_pass, std::string(profile) == "intermediate");
      EXPECT_EQ(plan.sources.source_count, 900u);
      EXPECT_EQ(plan.sources.sha256, whole.report.sources_sha256.value_or(""));
      if (bytes == 1) {
        EXPECT_EQ(plan.partitions.size(), 900u);
      } else if (bytes == 1ull << 40) {
        EXPECT_EQ(plan.partitions.size(), 1u);
      }
      for (bool from_text : {false, true}) {
        std::vector<std::string> partials = Evaluate(input, plan, options, from_text, side_file);
        std::shuffle(partials.begin(), partials.end(), shuffle);
        CheckResult merged = MergePartitions(input, partials, plan.sources, DefaultPack(), options);
        ASSERT_EQ(merged.ExitCode(), 1)
            << (merged.diagnostics.empty() ? merged.status.message()
                                           : FormatDiagnostic(merged.diagnostics.front()));
        EXPECT_EQ(Json(merged), Json(whole));
      }
    }
  }
}

TEST(PartitionTest, PartialsThatDoNotCoverTheFileOnceAreRefused) {
  ScratchDir dir;
  ManifestInput input = ManifestInput::File(WriteManifest(dir).string());
  CheckOptions options = Options("");
  PartitionPlan plan = PlanPartitions(input, 5000, DefaultPack(), options);
  ASSERT_TRUE(plan.ok());
  ASSERT_GE(plan.partitions.size(), 3u);
  std::vector<std::string> partials = Evaluate(input, plan, options, false, "");
  auto refused = [&](std::vector<std::string> given, PartitionedSources sources,
                     const CheckOptions& with) {
    CheckResult merged = MergePartitions(input, given, sources, DefaultPack(), with);
    EXPECT_EQ(merged.ExitCode(), 2);
    return merged.diagnostics.empty() ? std::string() : merged.diagnostics.front().message;
  };
  std::vector<std::string> missing(partials.begin() + 1, partials.end());
  EXPECT_NE(refused(missing, plan.sources, options).find("source 0"), std::string::npos);
  std::vector<std::string> twice = partials;
  twice.push_back(partials[1]);
  EXPECT_NE(refused(twice, plan.sources, options).find("overlap"), std::string::npos);
  PartitionedSources more = plan.sources;
  more.source_count += 1;
  refused(partials, more, options);
  std::vector<std::string> damaged = partials;
  damaged[0][damaged[0].size() / 2] ^= 1;
  refused(damaged, plan.sources, options);
  refused(partials, plan.sources, Options("eu"));
  refused({}, plan.sources, options);
  // Partials of modulo shards are not partitions, and the other way round.
  ShardResult shard = EvaluateShard(input, {0, 1}, DefaultPack(), options);
  ASSERT_TRUE(shard.ok());
  refused({shard.partial}, plan.sources, options);
  EXPECT_EQ(MergeShards(input, {partials[0]}, DefaultPack(), options).ExitCode(), 2);
}

TEST(PartitionTest, BadPartitionsAndManifestsAreRefused) {
  ScratchDir dir;
  ManifestInput input = ManifestInput::File(WriteManifest(dir).string());
  CheckOptions options = Options("");
  // Not at a line's start.
  Partition middle;
  middle.begin = 5;
  middle.end = 400;
  middle.sources = 1;
  ShardResult shard = EvaluatePartition(input, middle, DefaultPack(), options);
  ASSERT_FALSE(shard.ok());
  ASSERT_FALSE(shard.diagnostics.empty());
  EXPECT_EQ(shard.diagnostics.front().code, "jsonl-range");
  // A count that is not the partition's.
  PartitionPlan plan = PlanPartitions(input, 1 << 20, DefaultPack(), options);
  ASSERT_TRUE(plan.ok());
  Partition wrong = plan.partitions.front();
  wrong.sources += 1;
  EXPECT_FALSE(EvaluatePartition(input, wrong, DefaultPack(), options).ok());
  // A profile that reads sources twice needs the facts first.
  ShardResult no_facts =
      EvaluatePartition(input, plan.partitions.front(), DefaultPack(), Options("intermediate"));
  EXPECT_EQ(no_facts.status.code(), Status::Code::kInvalidArgument);
  // Sources in an array have no side file to partition.
  ManifestInput array = ManifestInput::File(
      (fs::path(PROVGATE_SOURCE_DIR) / "examples/licensed-closed/manifest.json").string());
  PartitionPlan none = PlanPartitions(array, 1000, DefaultPack(), options);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.diagnostics.front().code, "partition");
  // A missing side file.
  ScratchDir other;
  ManifestInput missing = ManifestInput::File(
      other.Write("m.json", R"({"manifest_version": "1", "model": {"id": "a/b", "release":
        {"weights": "closed"}}, "sources": {"jsonl": "gone.jsonl"}})"));
  EXPECT_FALSE(PlanPartitions(missing, 1000, DefaultPack(), options).ok());
  // An invalid line is reported with the side file's line number, from any partition.
  other.Write("bad.jsonl",
              "{\"id\": \"a\", \"kind\": \"web-crawl\", \"permission\": "
              "{\"basis\": \"none\"}}\n\n{\"id\": \"b\", \"kind\": 3}\n");
  ManifestInput bad = ManifestInput::File(
      other.Write("bad.json", R"({"manifest_version": "1", "model": {"id": "a/b", "release":
        {"weights": "closed"}}, "sources": {"jsonl": "bad.jsonl"}})"));
  PartitionPlan bad_plan = PlanPartitions(bad, 1, DefaultPack(), options);
  ASSERT_TRUE(bad_plan.ok());
  ASSERT_EQ(bad_plan.partitions.size(), 2u);
  ShardResult second = EvaluatePartition(bad, bad_plan.partitions[1], DefaultPack(), options);
  ASSERT_FALSE(second.diagnostics.empty());
  EXPECT_EQ(second.diagnostics.front().line, 3u);
  EXPECT_EQ(second.diagnostics.front().pointer, "/sources/1/kind");
}

}  // namespace
}  // namespace provgate
