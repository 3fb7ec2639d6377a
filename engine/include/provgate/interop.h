// Importing the metadata other tools write (Hugging Face cards, MLCommons Croissant, SPDX 3,
// CycloneDX ML-BOMs) as a provgate manifest.
#ifndef PROVGATE_INTEROP_H_
#define PROVGATE_INTEROP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "provgate/diagnostic.h"
#include "provgate/export.h"
#include "provgate/manifest.h"
#include "provgate/status.h"

namespace provgate {

/// The formats `Import` reads.
enum class ImportFormat {
  kHfCard,     ///< `hf-card`: a Hugging Face model or dataset card (README.md, YAML front matter).
  kCroissant,  ///< `croissant`: MLCommons Croissant 0.8, 1.0 or 1.1 JSON-LD, with RAI terms.
  kSpdx3,      ///< `spdx3`: an SPDX 3.0.1 JSON-LD document (AI and Dataset profiles).
  kCycloneDx,  ///< `cyclonedx`: a CycloneDX 1.6 JSON BOM with machine-learning components.
};

/// The command-line name of a format (`hf-card`, `croissant`, `spdx3`, `cyclonedx`).
PROVGATE_API std::string_view ToString(ImportFormat format);
/// The format named `name`, as ToString spells it; nothing for another name.
PROVGATE_API std::optional<ImportFormat> ParseImportFormat(std::string_view name);

/// One input document held in memory.
struct ImportDocument {
  /// The name diagnostics and provenance give it (a path as the user wrote it).
  std::string name;
  std::string text;
};

/// What the caller knows that the formats do not say.
struct ImportOptions {
  /// The model's id when no input names a model (dataset cards, Croissant files, an SBOM of
  /// datasets). Empty: the model id is written `unknown`, and the provenance says so.
  std::string model_id;
  /// How the model's weights are released. None of the formats says so; unset, the manifest
  /// says `closed`, the release whose check asks the most (every source needs permission),
  /// and the provenance says that it was not stated.
  std::optional<Weights> weights;
  /// The rule pack whose licence data (SPDX list, aliases such as `llama3.1`) normalises
  /// licence ids; empty: the built-in default pack.
  std::string pack_dir;
  /// Largest input file read, in bytes.
  std::uint64_t max_file_bytes = std::uint64_t{64} << 20;
};

/// A value of the input that has no place in the manifest, or that could not be mapped.
struct UnmappedField {
  std::string file;
  std::uint32_t line = 0;  ///< 1-based; 0 when the format has no lines (positions by pointer)
  std::uint32_t column = 0;
  std::string pointer;  ///< JSON pointer of the value in its document (YAML: in the front matter)
  std::string field;    ///< The field's name in the input's format (`rai:dataBiases`, `tags`)
  std::string reason;   ///< Why it is not in the manifest
};

/// What an import produced.
struct ImportResult {
  /// Operational failure (an input cannot be read, the pack cannot be loaded).
  Status status;
  /// Input invalid in its own format, or describing neither a model nor a dataset; sorted by
  /// position. With any error, `manifest_json` is empty.
  std::vector<Diagnostic> diagnostics;
  /// The manifest, typed.
  Manifest manifest;
  /// The manifest as JSON (indented), with the `x-provenance` of every imported value in the
  /// object that holds it and an `x-import` summary at the top (docs/interop.md).
  std::string manifest_json;
  /// What could not be mapped, field by field, in input order.
  std::vector<UnmappedField> unmapped;

  bool ok() const { return status.ok() && !HasErrors(diagnostics); }
};

/// Reads `files` in `format` and combines them into one manifest. Never throws.
///
/// Several files combine: a model card with the cards of the datasets it names, an SPDX
/// document with the dataset documents its elements reference. Nothing is invented: a fact
/// the input does not state is written as unknown (`permission.basis: unknown`, no licence,
/// no size) so that a check reports it, and `x-provenance` says so. Files are read as regular
/// files only (never blocking on a FIFO), each at most `options.max_file_bytes`.
///
/// Example:
///   provgate::ImportResult result = provgate::Import(
///       provgate::ImportFormat::kHfCard, {"model/README.md", "c4/README.md"}, {});
///   if (!result.ok()) { for (auto& d : result.diagnostics) puts(FormatDiagnostic(d).c_str()); }
PROVGATE_API ImportResult Import(ImportFormat format, const std::vector<std::string>& files,
                                 const ImportOptions& options);

/// Import of documents held in memory: the same result as Import of files with these names
/// and contents.
PROVGATE_API ImportResult ImportDocuments(ImportFormat format,
                                          const std::vector<ImportDocument>& documents,
                                          const ImportOptions& options);

}  // namespace provgate

#endif  // PROVGATE_INTEROP_H_
