// provgate validate MANIFEST: schema and integrity (P2) only.
#include <memory>

#include "commands.h"
#include "output.h"
#include "provgate/check.h"
#include "shared_options.h"

namespace provgate::cli {
namespace {

struct ValidateArgs {
  std::string manifest;
  std::string format = "text";
};

ExitCode RunValidate(const ValidateArgs& args) {
  CheckOptions options;
  options.integrity_only = true;
  CheckResult result = Check(args.manifest, options);
  ExitCode code = ReportCheckProblems(result);
  if (Failed(code)) return code;
  if (args.format == "json") {
    return AfterWrite(WriteOutput("", RenderJsonReport(result.report)), code);
  }
  TextOptions text_options;
  text_options.color = UseColor();
  text_options.validation = true;
  return AfterWrite(WriteOutput("", RenderTextReport(result.report, text_options)), code);
}

constexpr CommandText kValidateText = {
    .name = "validate",
    .description =
        "Checks the manifest against the schema and the integrity rule (P2) only, without the "
        "policy.",
    .footer =
        "Exit codes: 0 valid, 1 integrity errors, 2 invalid input or usage, 3 operational "
        "failure.",
};

void DeclareValidate(CLI::App& command, ValidateArgs& args) {
  AddManifestArgument(command, args.manifest);
  AddFormatOption(command, args.format, {"text", "json"}, "text (default) or json");
}

}  // namespace

Command AddValidateCommand(CLI::App& root) {
  return AddCommand(root, kValidateText, DeclareValidate, RunValidate);
}

}  // namespace provgate::cli
