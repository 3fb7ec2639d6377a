// Scratch files for fuzz targets that need a manifest or pack on disk.
#ifndef PROVGATE_TESTS_FUZZ_FUZZ_FILES_H_
#define PROVGATE_TESTS_FUZZ_FUZZ_FILES_H_

#include <stdlib.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace provgate::fuzzing {

// Writes `content` to `path`; the scratch directory must be writable.
inline void WriteFile(const std::string& path, std::string_view content) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) __builtin_trap();
  std::fwrite(content.data(), 1, content.size(), file);
  std::fclose(file);
}

// A new directory /tmp/provgate-fuzz-<name>-XXXXXX.
inline std::string MakeScratchDir(std::string_view name) {
  std::string pattern = "/tmp/provgate-fuzz-" + std::string(name) + "-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) __builtin_trap();
  return pattern;
}

}  // namespace provgate::fuzzing

#endif  // PROVGATE_TESTS_FUZZ_FUZZ_FILES_H_
