// `export`: a manifest and its report as an SPDX 3.0.1 document or a CycloneDX 1.6 ML-BOM.
#ifndef PROVGATE_EXPORT_FORMATS_H_
#define PROVGATE_EXPORT_FORMATS_H_

#include <string>
#include <string_view>
#include <vector>

#include "provgate/check.h"
#include "provgate/diagnostic.h"
#include "provgate/export.h"
#include "provgate/manifest.h"
#include "provgate/policy.h"
#include "provgate/report.h"
#include "provgate/status.h"

namespace provgate {

/// The formats a manifest and its report can be exported to.
enum class ExportFormat {
  kSpdx3,      ///< SPDX 3.0.1 JSON-LD, AI and Dataset profiles.
  kCycloneDx,  ///< CycloneDX 1.6 JSON, an ML-BOM.
};

/// "spdx3" or "cyclonedx".
PROVGATE_API std::string_view ToString(ExportFormat format);

/// How a document is written.
struct ExportOptions {
  /// The date the document says it was created (SPDX `creationInfo.created`, CycloneDX
  /// `metadata.timestamp` and the annotations' timestamps), YYYY-MM-DD, written as midnight
  /// UTC. Empty: ExportManifest takes the date of the check (CheckOptions::date), else the
  /// manifest's release date, else the report's `check_date`; with none of them the document
  /// says 1970-01-01 (docs/interop.md, Export). The clock is never read here.
  std::string created;
  /// The IRI the SPDX element ids start with (`<namespace>/model`, `<namespace>/source/0`,
  /// ...); empty: `urn:provgate:<manifest sha256>`. CycloneDX does not use it.
  std::string namespace_iri;
};

/// A document written by an exporter, or why there is none.
struct ExportResult {
  /// Operational failure (the manifest could not be read): exit code 3.
  Status status;
  /// Invalid input (the manifest, the rule pack, the options): exit code 2.
  std::vector<Diagnostic> diagnostics;
  /// The document (JSON text ending with a line feed); empty when there are errors.
  std::string document;
  /// The check the document reports (ExportManifest only): its report, its diagnostics and
  /// the files it read.
  CheckResult check;

  bool ok() const { return status.ok() && !HasErrors(diagnostics) && !document.empty(); }
};

/// Writes `manifest` and `report` (the report of a check of that manifest: verdict, findings,
/// obligations, the decision table when collected) as an SPDX 3.0.1 JSON-LD document: the
/// model an `ai_AIPackage`, each source a `dataset_DatasetPackage`, upstream models more
/// `ai_AIPackage`s, stages and lineage `Relationship`s, licences
/// `simplelicensing_LicenseExpression`s, the verdict, findings and obligations `Annotation`s,
/// and every manifest field without an SPDX property in a `extension_CdxPropertiesExtension`
/// (docs/interop.md, Export, has the mapping). Deterministic: the same input gives the same
/// bytes. Never throws; an ExportOptions value that is not valid is a diagnostic.
PROVGATE_API ExportResult ExportSpdx3(const Manifest& manifest, const Report& report,
                                      const ExportOptions& options);

/// The same as a CycloneDX 1.6 ML-BOM: the model the `machine-learning-model` component of
/// the metadata with its model card, each source a `data` component, upstream models more
/// `machine-learning-model` components, `dependencies` from the model to the sources and
/// upstream models, the verdict, findings and obligations as properties of the metadata
/// (findings also as annotations), and every manifest field without a CycloneDX field as a
/// property.
PROVGATE_API ExportResult ExportCycloneDx(const Manifest& manifest, const Report& report,
                                          const ExportOptions& options);

/// Checks the manifest at `manifest_path` with `pack` and `check_options` (the decision table
/// is always collected) and writes it with its report in `format`. A manifest that is invalid
/// input gives its diagnostics and no document; a verdict of any kind gives a document.
/// Never throws.
///
/// Example:
///   provgate::PackLoadResult pack = provgate::LoadRulePack("");
///   provgate::ExportResult result = provgate::ExportManifest(
///       provgate::ExportFormat::kCycloneDx, "model.json", *pack.pack, {}, {});
///   if (result.ok()) std::fputs(result.document.c_str(), stdout);
PROVGATE_API ExportResult ExportManifest(ExportFormat format, const std::string& manifest_path,
                                         const RulePack& pack, const CheckOptions& check_options,
                                         const ExportOptions& options);

}  // namespace provgate

#endif  // PROVGATE_EXPORT_FORMATS_H_
