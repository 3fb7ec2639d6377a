#include <cstdio>

#include "commands.h"
#include "flags.h"
#include "output.h"
#include "provgate/check.h"

namespace provgate::cli {

int RunValidate(const std::vector<std::string>& args) {
  Flags flags({"--format"}, {"--help", "-h"});
  std::string error;
  if (!flags.Parse(args, error)) return UsageError(error);
  if (flags.Has("--help") || flags.Has("-h")) {
    std::fputs(
        "usage: provgate validate MANIFEST [--format text|json]\n"
        "\n"
        "Checks the manifest against the schema and the integrity rule (P2) only.\n"
        "Exit codes: 0 valid, 1 integrity errors, 2 invalid input, 3 operational failure.\n",
        stdout);
    return 0;
  }
  if (flags.positionals().size() != 1) return UsageError("validate takes exactly one MANIFEST");
  std::string format = flags.Get("--format").value_or("text");
  if (format != "text" && format != "json") {
    return UsageError("unknown format '" + format + "': expected text or json");
  }
  CheckOptions options;
  options.integrity_only = true;
  CheckResult result = Check(flags.positionals().front(), options);
  int code = ReportCheckProblems(result);
  if (code >= 2) return code;
  if (format == "json") return WriteOutput("", RenderJsonReport(result.report)) || code;
  TextOptions text_options;
  text_options.color = UseColor();
  text_options.validation = true;
  std::string text = RenderTextReport(result.report, text_options);
  return WriteOutput("", text) || code;
}

}  // namespace provgate::cli
