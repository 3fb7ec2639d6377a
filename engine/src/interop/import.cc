// The import API (provgate/interop.h): reads the files, loads the pack's licence data, and
// hands the documents to the importer of their format.
#include <utility>

#include "common/safe_file.h"
#include "interop/import_formats.h"
#include "policy/rule_pack.h"
#include "provgate/interop.h"
#include "provgate/policy.h"

namespace provgate {

std::string_view ToString(ImportFormat format) {
  switch (format) {
    case ImportFormat::kHfCard:
      return "hf-card";
    case ImportFormat::kCroissant:
      return "croissant";
    case ImportFormat::kSpdx3:
      return "spdx3";
    case ImportFormat::kCycloneDx:
      return "cyclonedx";
  }
  return "unknown";
}

std::optional<ImportFormat> ParseImportFormat(std::string_view name) {
  for (ImportFormat format : {ImportFormat::kHfCard, ImportFormat::kCroissant, ImportFormat::kSpdx3,
                              ImportFormat::kCycloneDx}) {
    if (ToString(format) == name) return format;
  }
  return std::nullopt;
}

ImportResult ImportDocuments(ImportFormat format, const std::vector<ImportDocument>& documents,
                             const ImportOptions& options) {
  ImportResult result;
  try {
    // The built-in pack is loaded once for the process (LoadRulePack is thread-safe, and the
    // pack immutable).
    static const PackLoadResult builtin = LoadRulePack("");
    PackLoadResult pack = options.pack_dir.empty() ? builtin : LoadRulePack(options.pack_dir);
    if (!pack.ok()) {
      result.status =
          pack.status.ok()
              ? Status::InvalidArgument("the rule pack '" + options.pack_dir + "' has errors")
              : pack.status;
      result.diagnostics = pack.diagnostics;
      return result;
    }
    if (documents.empty()) {
      result.status = Status::InvalidArgument("no input file");
      return result;
    }
    detail::ImportBuilder builder(format, pack.pack->licenses);
    for (const ImportDocument& doc : documents) builder.AddInput(doc.name, doc.text);
    switch (format) {
      case ImportFormat::kHfCard:
        detail::ImportHfCards(documents, builder);
        break;
      case ImportFormat::kCroissant:
        detail::ImportCroissant(documents, builder);
        break;
      case ImportFormat::kSpdx3:
        detail::ImportSpdx3(documents, builder);
        break;
      case ImportFormat::kCycloneDx:
        detail::ImportCycloneDx(documents, builder);
        break;
    }
    builder.Finish(options, result);
  } catch (const std::bad_alloc&) {
    result = ImportResult();
    result.status = Status::IoError("not enough memory to import");
  } catch (const std::exception& e) {
    result = ImportResult();
    result.status = Status::Internal(std::string("import failed: ") + e.what());
  }
  return result;
}

ImportResult Import(ImportFormat format, const std::vector<std::string>& files,
                    const ImportOptions& options) {
  std::vector<ImportDocument> documents;
  for (const std::string& file : files) {
    ImportDocument doc;
    doc.name = file;
    std::string error;
    detail::OpenedFile opened = detail::OpenRegularFile(file, options.max_file_bytes);
    if (!opened.ok()) {
      ImportResult result;
      if (opened.problem == detail::OpenProblem::kMissing) {
        result.status = Status::NotFound(file + ": " + opened.error);
      } else if (opened.problem == detail::OpenProblem::kTooLarge ||
                 opened.problem == detail::OpenProblem::kNotRegular) {
        result.status = Status::InvalidArgument(file + ": " + opened.error);
      } else {
        result.status = Status::IoError(file + ": " + opened.error);
      }
      return result;
    }
    if (!detail::ReadAllFromFd(opened.fd.get(), options.max_file_bytes, doc.text, error)) {
      ImportResult result;
      result.status = Status::IoError(file + ": " + error);
      return result;
    }
    documents.push_back(std::move(doc));
  }
  return ImportDocuments(format, documents, options);
}

}  // namespace provgate
