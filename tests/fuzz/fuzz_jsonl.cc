// Fuzz target: arbitrary bytes as the JSON Lines side file of a manifest
// (`"sources": {"jsonl": "sources.jsonl"}`), read in the streaming pass and checked with the
// built-in pack. The manifest names stages and lineage so that the side file's sources are
// cross-referenced. Invalid lines are fine (diagnostics naming the side file); crashes, hangs
// and unbounded memory are not.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "fuzz_files.h"
#include "provgate/check.h"
#include "provgate/diagnostic.h"
#include "provgate/policy.h"

namespace {

constexpr char kManifest[] = R"({"manifest_version": "1",
 "model": {"id": "lab/m", "release": {"weights": "closed", "date": "2026-09-01"},
  "stages": [{"id": "pre", "sources": ["a", "b"]}, {"id": "sft", "sources": ["c"]}],
  "lineage": [{"relation": "synthetic-data", "model": "vendor/g"}]},
 "sources": {"jsonl": "sources.jsonl"}})";

using provgate::fuzzing::WriteFile;

struct Scratch {
  std::string dir;
  std::string manifest;
  std::string side_file;
  Scratch() {
    dir = provgate::fuzzing::MakeScratchDir("jsonl");
    manifest = dir + "/manifest.json";
    side_file = dir + "/sources.jsonl";
    WriteFile(manifest, kManifest);
  }
  ~Scratch() {
    unlink(manifest.c_str());
    unlink(side_file.c_str());
    rmdir(dir.c_str());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Scratch scratch;
  static const provgate::PackLoadResult pack = provgate::LoadRulePack("");
  WriteFile(scratch.side_file, std::string_view(reinterpret_cast<const char*>(data), size));
  provgate::CheckOptions options;
  options.date = "2026-11-01";
  provgate::CheckResult result = provgate::Check(scratch.manifest, *pack.pack, options);
  const int exit_code = result.ExitCode();
  if (exit_code < 0 || exit_code > 3) __builtin_trap();
  // Invalid input is reported with its position, in the side file or the manifest.
  if (exit_code == 2 && result.status.ok()) {
    if (result.diagnostics.empty()) __builtin_trap();
    for (const provgate::Diagnostic& diagnostic : result.diagnostics) {
      if (diagnostic.file.empty()) __builtin_trap();
    }
  }
  return 0;
}
