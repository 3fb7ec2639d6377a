// What the importers' fuzz targets share: arbitrary bytes through one importer
// (provgate::ImportDocuments). Input up to a NUL byte is one document; what follows each NUL is
// another, so that documents combine. Invalid input is fine (diagnostics); a crash, a hang or
// unbounded memory is not, and a manifest the importer writes must read back as a valid
// manifest.
#ifndef PROVGATE_TESTS_FUZZ_FUZZ_IMPORT_H_
#define PROVGATE_TESTS_FUZZ_FUZZ_IMPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "provgate/interop.h"
#include "provgate/manifest.h"

// Imports the documents in `data` as `format`, naming them d0`suffix`, d1`suffix`, ...
inline int FuzzImport(provgate::ImportFormat format, const char* suffix, const std::uint8_t* data,
                      std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<provgate::ImportDocument> documents;
  std::size_t start = 0;
  while (documents.size() < 4) {
    std::size_t nul = bytes.find('\0', start);
    provgate::ImportDocument doc;
    doc.name = "d" + std::to_string(documents.size()) + suffix;
    doc.text = std::string(bytes.substr(start, nul == std::string_view::npos ? nul : nul - start));
    documents.push_back(std::move(doc));
    if (nul == std::string_view::npos) break;
    start = nul + 1;
  }
  provgate::ImportResult result = provgate::ImportDocuments(format, documents, {});
  if (result.ok()) {
    if (result.manifest_json.empty()) __builtin_trap();
    provgate::Manifest manifest;
    provgate::ReadResult read =
        provgate::LoadManifestText(result.manifest_json, "m.json", "", manifest);
    if (!read.ok()) __builtin_trap();
  } else if (result.status.ok() && result.diagnostics.empty()) {
    __builtin_trap();  // A refusal says why.
  }
  return 0;
}

#endif  // PROVGATE_TESTS_FUZZ_FUZZ_IMPORT_H_
