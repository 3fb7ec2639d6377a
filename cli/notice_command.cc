#include <cstdio>

#include "commands.h"
#include "flags.h"
#include "output.h"
#include "provgate/check.h"

namespace provgate::cli {

int RunNotice(const std::vector<std::string>& args) {
  Flags flags({"--policy", "--profile", "--output"}, {"--help", "-h"});
  std::string error;
  if (!flags.Parse(args, error)) return UsageError(error);
  if (flags.Has("--help") || flags.Has("-h")) {
    std::fputs(
        "usage: provgate notice MANIFEST [--policy DIR] [--profile NAME] [--output FILE]\n"
        "\n"
        "Writes the attribution NOTICE text for a model: every source whose licence requires\n"
        "attribution (P7), with its title, origin and licence. Exit codes: 0 written,\n"
        "2 invalid input or usage, 3 operational failure; the verdict does not matter here.\n",
        stdout);
    return 0;
  }
  if (flags.positionals().size() != 1) return UsageError("notice takes exactly one MANIFEST");
  CheckOptions options;
  options.policy_dir = flags.Get("--policy").value_or("");
  options.profile = flags.Get("--profile").value_or("");
  std::string output = flags.Get("--output").value_or("");
  std::vector<std::string> inputs = {flags.positionals().front()};
  if (int refused = CheckOutputs({output}, inputs); refused != 0) return refused;
  CheckResult result = Check(flags.positionals().front(), options);
  int code = ReportCheckProblems(result);
  if (code >= 2) return code;
  AppendFilesRead(result, inputs);
  if (int refused = CheckOutputs({output}, inputs); refused != 0) return refused;
  return WriteOutput(output, RenderNotice(result.report));
}

}  // namespace provgate::cli
