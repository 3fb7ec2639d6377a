// The export entry points: options checked, the document written by its format's writer;
// ExportManifest checks the manifest first and reads it once more as typed data.
#include "interop/export_common.h"
#include "interop/export_cyclonedx.h"
#include "interop/export_spdx3.h"
#include "provgate/export_formats.h"

namespace provgate {
namespace {

ExportResult Run(const Manifest& manifest, const Report& report, const ExportOptions& options,
                 std::string (*write)(const Manifest&, const Report&, const ExportOptions&)) {
  ExportResult result;
  detail::ValidateExportOptions(options, result.diagnostics);
  if (HasErrors(result.diagnostics)) return result;
  try {
    result.document = write(manifest, report, options);
  } catch (const std::exception& e) {
    // Only allocation can throw here; no exception crosses the API.
    result.document.clear();
    result.status = Status::Internal(std::string("cannot write the document: ") + e.what());
  }
  return result;
}

}  // namespace

std::string_view ToString(ExportFormat format) {
  switch (format) {
    case ExportFormat::kSpdx3:
      return "spdx3";
    case ExportFormat::kCycloneDx:
      return "cyclonedx";
  }
  return "unknown";
}

ExportResult ExportSpdx3(const Manifest& manifest, const Report& report,
                         const ExportOptions& options) {
  return Run(manifest, report, options, detail::WriteSpdx3);
}

ExportResult ExportCycloneDx(const Manifest& manifest, const Report& report,
                             const ExportOptions& options) {
  return Run(manifest, report, options, detail::WriteCycloneDx);
}

ExportResult ExportManifest(ExportFormat format, const std::string& manifest_path,
                            const RulePack& pack, const CheckOptions& check_options,
                            const ExportOptions& options) {
  ExportResult result;
  detail::ValidateExportOptions(options, result.diagnostics);
  if (HasErrors(result.diagnostics)) return result;
  CheckOptions with_decisions = check_options;
  // Each source's decision goes into the document beside its facts.
  with_decisions.collect_decisions = true;
  result.check = Check(manifest_path, pack, with_decisions);
  result.status = result.check.status;
  result.diagnostics = result.check.diagnostics;
  if (!result.status.ok() || HasErrors(result.diagnostics)) return result;
  Manifest manifest;
  ReadResult read = LoadManifest(manifest_path, manifest, check_options.read);
  if (!read.status.ok()) {
    result.status = read.status;
    return result;
  }
  const Report& report = result.check.report;
  // The check read these same bytes: a manifest replaced in between is not exported with the
  // report of another.
  if (!read.ok() || read.manifest_sha256 != report.manifest_sha256 ||
      (report.sources_sha256 && read.sources_sha256 != *report.sources_sha256)) {
    result.status = Status::IoError(manifest_path + ": the manifest changed while it was read");
    return result;
  }
  ExportOptions chosen = options;
  if (chosen.created.empty()) {
    // The date the check judged contracts at when it was given, else the release date, else
    // the date the report recorded; never the clock of its own accord.
    if (!check_options.date.empty()) {
      chosen.created = check_options.date;
    } else if (manifest.header.model.release.date) {
      chosen.created = *manifest.header.model.release.date;
    } else {
      chosen.created = report.check_date;
    }
  }
  ExportResult written = format == ExportFormat::kSpdx3 ? ExportSpdx3(manifest, report, chosen)
                                                        : ExportCycloneDx(manifest, report, chosen);
  result.status = written.status;
  result.diagnostics.insert(result.diagnostics.end(), written.diagnostics.begin(),
                            written.diagnostics.end());
  result.document = std::move(written.document);
  return result;
}

}  // namespace provgate
