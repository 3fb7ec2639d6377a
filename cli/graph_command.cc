#include <cstdio>

#include "commands.h"
#include "flags.h"
#include "output.h"
#include "provgate/check.h"

namespace provgate::cli {

int RunGraph(const std::vector<std::string>& args) {
  Flags flags({"--policy", "--profile", "--format", "--output", "--date"}, {"--help", "-h"});
  std::string error;
  if (!flags.Parse(args, error)) return UsageError(error);
  if (flags.Has("--help") || flags.Has("-h")) {
    std::fputs(
        "usage: provgate graph MANIFEST [--format dot|json] [--policy DIR] [--profile NAME]\n"
        "                      [--output FILE]\n"
        "\n"
        "Prints the lineage graph: the model and every upstream model reached through\n"
        "lineage manifests, each with its status (weights, tainted, unverified, compliant) and\n"
        "its stages' permitted and unpermitted sources; edges that carry taint are red in DOT.\n"
        "Render DOT with Graphviz: provgate graph m.json | dot -Tsvg > lineage.svg\n"
        "Exit codes: 0 written, 2 invalid input or usage, 3 operational failure.\n",
        stdout);
    return 0;
  }
  if (flags.positionals().size() != 1) return UsageError("graph takes exactly one MANIFEST");
  std::string format = flags.Get("--format").value_or("dot");
  if (format != "dot" && format != "json") {
    return UsageError("unknown format '" + format + "': expected dot or json");
  }
  CheckOptions options;
  options.policy_dir = flags.Get("--policy").value_or("");
  options.profile = flags.Get("--profile").value_or("");
  options.date = flags.Get("--date").value_or("");
  std::string output = flags.Get("--output").value_or("");
  std::vector<std::string> inputs = {flags.positionals().front()};
  if (int refused = CheckOutputs({output}, inputs); refused != 0) return refused;
  CheckResult result = Check(flags.positionals().front(), options);
  int code = ReportCheckProblems(result);
  if (code >= 2) return code;
  AppendFilesRead(result, inputs);
  if (int refused = CheckOutputs({output}, inputs); refused != 0) return refused;
  return WriteOutput(
      output, format == "dot" ? RenderGraphDot(result.graph) : RenderGraphJson(result.graph));
}

}  // namespace provgate::cli
