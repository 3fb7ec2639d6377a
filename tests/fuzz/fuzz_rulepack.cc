// Fuzz target: arbitrary bytes as a rule pack. The input is split at its first NUL byte: the
// part before it is the rule file `r.yaml`; the part after it, when there is one, replaces the
// pack's `pack.yaml` (which otherwise lists r.yaml, two profiles, a parameter of each type and
// small licence data files). The pack is loaded with LoadRulePack and, when it loads, checks a
// fixed manifest that gives every subject kind something to range over. Invalid packs are fine
// (diagnostics); crashes, hangs and unbounded memory are not.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_files.h"
#include "provgate/check.h"
#include "provgate/policy.h"
#include "provgate/report.h"

namespace {

constexpr char kPack[] = R"(name: fuzz
version: "1"
default_profile: thread
profiles:
  - name: thread
  - name: eu
parameters:
  - {name: flag, type: bool, default: "true"}
  - {name: limit, type: int, default: "3"}
  - {name: label, type: string, default: "x"}
reasons:
  - {code: r1, title: One, description: d, remedy: m}
  - {code: r2, title: Two, description: d}
spdx: spdx.json
licenses: licenses.yaml
open_weights: open-weights.yaml
rules: [r.yaml]
)";

constexpr char kSpdx[] = R"({"licenses": {
  "MIT": {"name": "MIT License", "osi": true},
  "Apache-2.0": {"name": "Apache License 2.0", "osi": true},
  "GPL-3.0-only": {"name": "GNU GPL v3.0 only", "osi": true, "fsf": true},
  "CC-BY-4.0": {"name": "Creative Commons Attribution 4.0"},
  "CC-BY-NC-4.0": {"name": "Creative Commons Attribution Non Commercial 4.0"}},
 "exceptions": {"Classpath-exception-2.0": {}}})";

constexpr char kLicenses[] = R"(licenses:
  - {id: MIT, class: permissive, attribution: true}
  - {id: Apache-2.0, class: permissive, attribution: true}
  - {pattern: "GPL-*", class: copyleft, attribution: true, share_alike: true}
  - {pattern: "CC-BY-NC-*", class: non-commercial, attribution: true}
  - {pattern: "CC-BY-*", class: permissive, attribution: true}
)";

constexpr char kOpenWeights[] = "osi_approved: true\ninclude: [CC0-1.0]\nexclude: []\n";

// Sources of several kinds and bases, stages (one naming a missing source), a repeated source
// id, a checkpoint, and lineage entries that cannot be established.
constexpr char kManifest[] = R"({"manifest_version": "1",
 "model": {"id": "lab/m", "release": {"weights": "open", "license": "MIT", "date": "2026-09-01"},
  "stages": [{"id": "pre", "sources": ["web", "books", "ghost"],
              "checkpoint": {"id": "lab/m-base", "weights": "open", "license": "MIT"}},
             {"id": "sft", "sources": ["gen", "deal"]}],
  "lineage": [{"relation": "distillation", "model": "vendor/t", "stage": "pre"},
              {"relation": "judge", "model": "vendor/j", "ledger": true}]},
 "sources": [
  {"id": "web", "kind": "web-crawl", "license": "CC-BY-NC-4.0 OR MIT",
   "permission": {"basis": "license"}, "acquisition": {"method": "crawl", "opt_outs_honored": false},
   "size": {"tokens": 5, "bytes": 20}, "uri": "https://example.org/"},
  {"id": "books", "kind": "books", "permission": {"basis": "none"},
   "acquisition": {"method": "piracy"}, "digest": {"sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}},
  {"id": "gen", "kind": "synthetic", "permission": {"basis": "first-party"},
   "generated_by": {"model": "vendor/g", "terms_allow_training": false}},
  {"id": "deal", "kind": "licensed-corpus", "license": "GPL-3.0-only WITH Classpath-exception-2.0",
   "permission": {"basis": "contract", "evidence": [{"uri": "https://x/", "sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"}],
                  "grants": {"training": true}, "valid_until": "2025-01-01"}},
  {"id": "deal", "kind": "other", "permission": {"basis": "statutory-exception"}},
  {"id": "unused", "kind": "first-party", "permission": {"basis": "consent"}, "size": {"documents": 1}}]})";

using provgate::fuzzing::WriteFile;

struct Scratch {
  std::string dir;
  std::string pack;
  std::string manifest;
  Scratch() {
    dir = provgate::fuzzing::MakeScratchDir("rulepack");
    pack = dir + "/pack";
    manifest = dir + "/manifest.json";
    if (mkdir(pack.c_str(), 0700) != 0) __builtin_trap();
    WriteFile(pack + "/spdx.json", kSpdx);
    WriteFile(pack + "/licenses.yaml", kLicenses);
    WriteFile(pack + "/open-weights.yaml", kOpenWeights);
    WriteFile(manifest, kManifest);
  }
  ~Scratch() {
    for (const char* name :
         {"pack.yaml", "r.yaml", "spdx.json", "licenses.yaml", "open-weights.yaml"}) {
      unlink((pack + "/" + name).c_str());
    }
    rmdir(pack.c_str());
    unlink(manifest.c_str());
    rmdir(dir.c_str());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Scratch scratch;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t nul = input.find('\0');
  WriteFile(scratch.pack + "/r.yaml", input.substr(0, nul));
  WriteFile(scratch.pack + "/pack.yaml",
            nul == std::string_view::npos ? std::string_view(kPack) : input.substr(nul + 1));

  provgate::PackLoadResult loaded = provgate::LoadRulePack(scratch.pack);
  // A pack is returned exactly when it loaded without errors, and a failure says why.
  if (loaded.ok() !=
      (loaded.pack != nullptr && loaded.status.ok() && !provgate::HasErrors(loaded.diagnostics))) {
    __builtin_trap();
  }
  if (!loaded.ok()) {
    if (loaded.status.ok() && loaded.diagnostics.empty()) __builtin_trap();
    return 0;
  }
  const provgate::PackInfo& info = provgate::DescribePack(*loaded.pack);
  for (const provgate::RuleInfo& rule : info.rules) provgate::ExplainRule(*loaded.pack, rule.id);
  for (const provgate::ReasonInfo& reason : info.reasons) {
    provgate::ExplainReason(*loaded.pack, reason.code);
  }
  provgate::CheckOptions options;
  options.date = "2026-11-01";
  options.cost_limit = 20'000;
  for (const provgate::ProfileInfo& profile : info.profiles) {
    options.profile = profile.name;
    provgate::CheckResult result = provgate::Check(scratch.manifest, *loaded.pack, options);
    if (result.ExitCode() < 0 || result.ExitCode() > 3) __builtin_trap();
    provgate::RenderJsonReport(result.report);
  }
  return 0;
}
