// The importers of each format, over the shared ImportBuilder (interop/import.cc dispatches).
#ifndef PROVGATE_INTEROP_IMPORT_FORMATS_H_
#define PROVGATE_INTEROP_IMPORT_FORMATS_H_

#include <vector>

#include "interop/import_builder.h"
#include "provgate/interop.h"

namespace provgate::detail {

// Hugging Face model and dataset cards (interop/hf_card.cc).
void ImportHfCards(const std::vector<ImportDocument>& documents, ImportBuilder& builder);
// MLCommons Croissant (interop/croissant.cc).
void ImportCroissant(const std::vector<ImportDocument>& documents, ImportBuilder& builder);
// SPDX 3.0.1 JSON-LD (interop/spdx3_import.cc).
void ImportSpdx3(const std::vector<ImportDocument>& documents, ImportBuilder& builder);
// CycloneDX 1.6 JSON (interop/cyclonedx_import.cc).
void ImportCycloneDx(const std::vector<ImportDocument>& documents, ImportBuilder& builder);

// Limits of the trees the importers read.
inline constexpr std::size_t kMaxImportNodes = 1'000'000;
inline constexpr std::size_t kMaxImportDepth = 64;

}  // namespace provgate::detail

#endif  // PROVGATE_INTEROP_IMPORT_FORMATS_H_
