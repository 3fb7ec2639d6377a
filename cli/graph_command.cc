// provgate graph MANIFEST: the lineage graph with each model's status, in DOT or JSON.
#include <memory>

#include "commands.h"
#include "output.h"
#include "provgate/check.h"
#include "shared_options.h"

namespace provgate::cli {
namespace {

struct GraphArgs {
  std::string manifest;
  PolicyArgs policy;
  std::string format = "dot";
  std::string output;
};

ExitCode RunGraph(const GraphArgs& args) {
  std::vector<std::string> inputs = {args.manifest};
  if (ExitCode refused = CheckOutputs({args.output}, inputs); refused != ExitCode::kCompliant) {
    return refused;
  }
  CheckResult result = Check(args.manifest, args.policy.ToCheckOptions());
  if (ExitCode code = ReportCheckProblems(result); Failed(code)) return code;
  AppendFilesRead(result, inputs);
  if (ExitCode refused = CheckOutputs({args.output}, inputs); refused != ExitCode::kCompliant) {
    return refused;
  }
  return WriteOutput(args.output, args.format == "dot" ? RenderGraphDot(result.graph)
                                                       : RenderGraphJson(result.graph));
}

}  // namespace

Command AddGraphCommand(CLI::App& root) {
  auto args = std::make_shared<GraphArgs>();
  CLI::App* command = AddCommand(
      root, "graph",
      "Prints the lineage graph, in DOT or JSON. It holds the model and every upstream model "
      "reached through lineage manifests, each with its status (weights, tainted, unverified, "
      "compliant) and its stages' permitted and unpermitted sources; edges that carry taint "
      "are red in DOT.",
      "Render DOT with Graphviz: provgate graph m.json | dot -Tsvg > lineage.svg\n"
      "Exit codes: 0 written, 2 invalid input or usage, 3 operational failure.");
  command->add_option("MANIFEST", args->manifest, "the training-data manifest (JSON)")->required();
  AddPolicyOptions(*command, args->policy, {.profile = true, .date = true});
  AddFormatOption(*command, args->format, {"dot", "json"}, "dot (Graphviz, default) or json");
  AddOutputOption(*command, args->output, "the graph");
  return {command, [args] { return RunGraph(*args); }};
}

}  // namespace provgate::cli
