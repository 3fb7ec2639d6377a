// Fuzz target: arbitrary bytes as a waivers file, loaded and applied to an empty report.
// Invalid files are fine (diagnostics); crashes, hangs and unbounded memory are not.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
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
  // Waivers are only returned from a file without errors.
  if (!waivers.empty() && provgate::HasErrors(diagnostics)) __builtin_trap();
  provgate::Report report;
  provgate::detail::ApplyWaivers(report, waivers, "2026-11-01");
  std::remove(path.c_str());
  return 0;
}
