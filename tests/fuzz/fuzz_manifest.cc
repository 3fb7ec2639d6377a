// Fuzz target: arbitrary bytes as a manifest. The reader must return (diagnostics or a
// manifest), never crash or hang. Built with libFuzzer when PROVGATE_FUZZ is on; always built
// as a replay test over the committed corpus.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "provgate/check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path =
      "/tmp/provgate-fuzz-manifest-" + std::to_string(getpid()) + ".json";
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return 0;
  std::fwrite(data, 1, size, file);
  std::fclose(file);
  static const provgate::PackLoadResult pack = provgate::LoadRulePack("");
  provgate::CheckResult result = provgate::Check(path, *pack.pack, provgate::CheckOptions{});
  if (result.ExitCode() < 0 || result.ExitCode() > 3) __builtin_trap();
  return 0;
}
