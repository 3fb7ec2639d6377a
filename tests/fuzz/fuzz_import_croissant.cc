// Fuzz target: arbitrary bytes through the croissant importer (see fuzz_import.h).
#include "fuzz_import.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return FuzzImport(provgate::ImportFormat::kCroissant, "/README.md", data, size);
}
