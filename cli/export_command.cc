// provgate export FORMAT MANIFEST: the manifest and its report as SPDX 3 or CycloneDX.
#include "commands.h"
#include "output.h"
#include "provgate/export_formats.h"
#include "shared_options.h"

namespace provgate::cli {
namespace {

struct ExportArgs {
  std::string format;
  std::string manifest;
  PolicyArgs policy;
  std::string output;
  std::string namespace_iri;
};

ExitCode RunExport(const ExportArgs& args) {
  CheckOptions options = args.policy.ToCheckOptions();
  std::vector<std::string> inputs = {args.manifest, options.waivers_path};
  inputs.insert(inputs.end(), options.trusted_keys.begin(), options.trusted_keys.end());
  if (ExitCode refused = CheckOutputs({args.output}, inputs); refused != ExitCode::kCompliant) {
    return refused;
  }
  PackLoadResult loaded;
  if (ExitCode code = LoadPackOrReport(options.policy_dir, loaded); code != ExitCode::kCompliant) {
    return code;
  }
  ExportOptions export_options;
  export_options.namespace_iri = args.namespace_iri;
  ExportFormat format = args.format == "spdx3" ? ExportFormat::kSpdx3 : ExportFormat::kCycloneDx;
  ExportResult& result =
      KeepUntilExit(ExportManifest(format, args.manifest, *loaded.pack, options, export_options));
  PrintDiagnostics(result.diagnostics);
  if (!result.status.ok()) {
    PrintError(result.status.message());
    Status::Code code = result.status.code();
    return code == Status::Code::kNotFound || code == Status::Code::kInvalidArgument
               ? ExitCode::kInvalid
               : ExitCode::kOperational;
  }
  if (HasErrors(result.diagnostics)) return ExitCode::kInvalid;
  // The files the check read beyond the manifest (the side file, upstream manifests) are
  // known now: none of them may be the output.
  AppendFilesRead(result.check, inputs);
  if (ExitCode refused = CheckOutputs({args.output}, inputs); refused != ExitCode::kCompliant) {
    return refused;
  }
  return WriteOutput(args.output, result.document);
}

constexpr CommandText kExportText = {
    .name = "export",
    .description =
        "Writes the manifest and its report as an SPDX 3 or CycloneDX document. The report's "
        "verdict, findings and obligations go with the manifest into an SPDX 3.0.1 JSON-LD "
        "document (AI and Dataset profiles) or a CycloneDX 1.6 ML-BOM.",
    .footer =
        "The document's creation date is --date, else the manifest's release date, else the "
        "date the check recorded, else 1970-01-01: the output never depends on the clock "
        "alone.\n"
        "Exit codes: 0 written, whatever the verdict (the verdict is in the document), 2 "
        "invalid input or usage, 3 operational failure.",
};

void DeclareExport(CLI::App& command, ExportArgs& args) {
  WithChoices(
      command
          .add_option(
              "FORMAT", args.format,
              "the document's format: spdx3 (SPDX 3.0.1 JSON-LD) or cyclonedx (CycloneDX 1.6 JSON)")
          ->required(),
      {"spdx3", "cyclonedx"});
  AddManifestArgument(command, args.manifest);
  AddPolicyOptions(command, args.policy,
                   {.profile = true,
                    .params = true,
                    .date = true,
                    .waivers = true,
                    .trust = true,
                    .fail_on = false,
                    .root = true});
  AddOutputOption(command, args.output, "the document");
  command
      .add_option("--namespace", args.namespace_iri,
                  "spdx3: the IRI the element ids start with (default: urn:provgate:<manifest "
                  "sha256>)")
      ->type_name("IRI")
      ->group("Output");
}

}  // namespace

Command AddExportCommand(CLI::App& root) {
  return AddCommand(root, kExportText, DeclareExport, RunExport);
}

}  // namespace provgate::cli
