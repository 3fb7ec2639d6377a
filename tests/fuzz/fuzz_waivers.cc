// Fuzz target: arbitrary bytes as a waivers file, loaded and applied to an empty report.
// Invalid files are fine (diagnostics); crashes, hangs and unbounded memory are not.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "policy/waivers.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path =
      "/tmp/provgate-fuzz-waivers-" + std::to_string(getpid()) + ".yaml";
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return 0;
  std::fwrite(data, 1, size, file);
  std::fclose(file);
  std::vector<provgate::Diagnostic> diagnostics;
  auto waivers = provgate::detail::LoadWaivers(path, diagnostics);
  // The loader returns each waiver that has no problem of its own, also from a file with
  // errors elsewhere (Check then stops at the diagnostics and applies none). A returned waiver
  // is complete: every required field, dates in order, not P2, one per rule and subject.
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& waiver : waivers) {
    if (waiver->rule.empty() || waiver->subject.empty() || waiver->reason.empty() ||
        waiver->approver.empty() || waiver->created.size() != 10 || waiver->expires.size() != 10 ||
        waiver->expires < waiver->created || waiver->rule == "P2" ||
        !seen.emplace(waiver->rule, waiver->subject).second) {
      __builtin_trap();
    }
  }
  provgate::Report report;
  provgate::detail::ApplyWaivers(report, waivers, "2026-11-01");
  std::remove(path.c_str());
  return 0;
}
