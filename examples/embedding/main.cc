// Embedding provgate in a pipeline: a manifest checked from memory, the same sources streamed
// through a session, and the manifest checked in four shards merged back together.
//
// Usage: provgate_embedding_example [DIR]
// DIR is where relative paths resolve (default: the current directory). Exits 0 when all
// three ways agree, 1 when they do not, 2 when the input is invalid.
#include <cstdio>
#include <string>
#include <vector>

#include "provgate/provgate.h"

namespace {

// A model trained on three sources: one licensed, one crawled without permission, one of the
// lab's own data.
provgate::Manifest BuildManifest() {
  provgate::Manifest manifest;
  manifest.header.manifest_version = "1";
  manifest.header.model.id = "example-lab/assistant-7b";
  manifest.header.model.release.weights = provgate::Weights::kClosed;
  manifest.header.model.release.date = "2026-09-01";

  provgate::Source wiki;
  wiki.id = "wiki-2025";
  wiki.kind = provgate::SourceKind::kEncyclopedic;
  wiki.license = "CC-BY-SA-4.0";
  wiki.permission.basis = provgate::Basis::kLicense;
  wiki.size = provgate::Size{1'000'000, std::nullopt, std::nullopt};

  provgate::Source crawl;
  crawl.id = "forum-crawl";
  crawl.kind = provgate::SourceKind::kWebCrawl;
  crawl.permission.basis = provgate::Basis::kNone;
  crawl.size = provgate::Size{5'000'000, std::nullopt, std::nullopt};

  provgate::Source own;
  own.id = "annotations";
  own.kind = provgate::SourceKind::kFirstParty;
  own.permission.basis = provgate::Basis::kFirstParty;
  own.size = provgate::Size{20'000, std::nullopt, std::nullopt};

  manifest.sources = {wiki, crawl, own};
  return manifest;
}

void PrintDiagnostics(const std::vector<provgate::Diagnostic>& diagnostics, const char* where) {
  for (const provgate::Diagnostic& d : diagnostics) {
    std::fprintf(stderr, "%s: %s\n", where, provgate::FormatDiagnostic(d).c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : ".";
  provgate::PackLoadResult pack = provgate::LoadRulePack("");  // The built-in default pack.
  if (!pack.ok()) {
    PrintDiagnostics(pack.diagnostics, "pack");
    return 2;
  }
  provgate::CheckOptions options;
  options.date = "2026-06-01";  // Reports that do not depend on the day they are made.

  // 1. The whole manifest, built in code and checked from memory.
  const provgate::Manifest manifest = BuildManifest();
  provgate::CheckResult whole = provgate::Check(
      provgate::ManifestInput::Typed(manifest, "assistant.json", dir), *pack.pack, options);
  if (whole.ExitCode() >= 2) {
    PrintDiagnostics(whole.diagnostics, "check");
    return 2;
  }
  const std::string expected = provgate::RenderJsonReport(whole.report);
  std::printf("check: %s, %zu findings\n", std::string(ToString(whole.report.verdict)).c_str(),
              whole.report.findings.size());

  // 2. The same sources streamed through a session, as a loader discovers them.
  provgate::CheckSession session(*pack.pack, options, manifest.header, "assistant.json", dir);
  for (const provgate::Source& source : manifest.sources) session.Add(source);
  provgate::CheckResult streamed = session.Finish();
  const bool session_agrees = provgate::RenderJsonReport(streamed.report) == expected;
  std::printf("session: %s\n", session_agrees ? "same report" : "DIFFERENT report");

  // 3. Four shards, evaluated independently (they could run on four machines), merged in
  // reverse order.
  const provgate::ManifestInput input =
      provgate::ManifestInput::Typed(manifest, "assistant.json", dir);
  std::vector<std::string> partials;
  for (std::uint64_t i = 0; i < 4; ++i) {
    provgate::ShardResult shard = provgate::EvaluateShard(input, {i, 4}, *pack.pack, options);
    if (!shard.ok()) {
      PrintDiagnostics(shard.diagnostics, "shard");
      return 2;
    }
    partials.insert(partials.begin(), std::move(shard.partial));
  }
  provgate::CheckResult merged = provgate::MergeShards(input, partials, *pack.pack, options);
  const bool shards_agree = provgate::RenderJsonReport(merged.report) == expected;
  std::printf("shards: %s\n", shards_agree ? "same report" : "DIFFERENT report");

  // The crawl without permission makes this closed-weight model non-compliant (P1).
  const bool verdict_expected = whole.report.verdict == provgate::Verdict::kNonCompliant;
  return session_agrees && shards_agree && verdict_expected ? 0 : 1;
}
