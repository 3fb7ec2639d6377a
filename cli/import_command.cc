// provgate import FORMAT FILE...: a manifest from Hugging Face cards, Croissant, SPDX 3 or
// CycloneDX metadata.
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "output.h"
#include "provgate/interop.h"
#include "provgate/report.h"
#include "shared_options.h"

namespace provgate::cli {
namespace {

struct ImportArgs {
  std::string format;
  std::vector<std::string> files;
  std::string output;
  std::string model;
  std::string weights;
  PolicyArgs policy;
};

ExitCode RunImport(const ImportArgs& args) {
  std::optional<ImportFormat> format = ParseImportFormat(args.format);
  if (!format) return UsageError("unknown format '" + args.format + "'");
  if (ExitCode refused = CheckOutputs({args.output}, args.files); refused != ExitCode::kCompliant) {
    return refused;
  }
  ImportOptions options;
  options.model_id = args.model;
  options.pack_dir = args.policy.policy_dir;
  if (args.weights == "open") options.weights = Weights::kOpen;
  if (args.weights == "closed") options.weights = Weights::kClosed;
  if (args.weights == "unreleased") options.weights = Weights::kUnreleased;
  ImportResult result = Import(*format, args.files, options);
  PrintDiagnostics(result.diagnostics);
  if (!result.status.ok()) {
    PrintError(result.status.message());
    return result.status.code() == Status::Code::kNotFound ||
                   result.status.code() == Status::Code::kInvalidArgument
               ? ExitCode::kInvalid
               : ExitCode::kOperational;
  }
  if (!result.ok()) return ExitCode::kInvalid;
  for (const UnmappedField& u : result.unmapped) {
    std::string where = u.file;
    if (u.line != 0) where += ":" + std::to_string(u.line) + ":" + std::to_string(u.column);
    std::string text = where + ": not mapped: " + u.field + ": " + u.reason;
    if (!u.pointer.empty() && u.line == 0) text += " (at " + u.pointer + ")";
    std::fprintf(stderr, "%s\n", EscapeTerminalText(text).c_str());
  }
  return WriteOutput(args.output, result.manifest_json);
}

constexpr CommandText kImportText = {
    .name = "import",
    .description =
        "Writes a manifest from Hugging Face cards, Croissant, SPDX 3 or CycloneDX metadata. "
        "The formats: hf-card (a model's or dataset's README.md with YAML front matter), "
        "croissant (MLCommons Croissant 0.8 to 1.1), spdx3 (SPDX 3.0.1 JSON-LD, AI and Dataset "
        "profiles) and cyclonedx (CycloneDX 1.6; not implemented yet). Several files combine into "
        "one manifest; what they do not state is "
        "written as unknown, every value records where it came from (x-provenance), and what "
        "could not be mapped is listed on standard error.",
    .footer =
        "Exit codes: 0 written, 2 invalid input (in its own format, or describing neither a "
        "model nor a dataset) or usage, 3 operational failure.",
};

void DeclareImport(CLI::App& command, ImportArgs& args) {
  WithChoices(command.add_option("FORMAT", args.format, "the input format")->required(),
              {"hf-card", "croissant", "spdx3", "cyclonedx"});
  command.add_option("FILE", args.files, "the input files")->required();
  AddOutputOption(command, args.output, "the manifest");
  command.add_option("--model", args.model,
                     "the model's id, when no input names the model (dataset cards, Croissant)");
  WithChoices(command.add_option("--weights", args.weights,
                                 "how the weights are released (the formats do not say; "
                                 "default: closed, which needs permission for every source)"),
              {"open", "closed", "unreleased"});
  AddPolicyOptions(command, args.policy, {});
}

}  // namespace

Command AddImportCommand(CLI::App& root) {
  return AddCommand(root, kImportText, DeclareImport, RunImport);
}

}  // namespace provgate::cli
