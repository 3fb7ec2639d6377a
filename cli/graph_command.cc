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
  bool dot = args.format == "dot";
  return CheckAndWrite(args.manifest, args.policy.ToCheckOptions(), args.output,
                       [dot](const CheckResult& result) {
                         return dot ? RenderGraphDot(result.graph) : RenderGraphJson(result.graph);
                       });
}

constexpr CommandText kGraphText = {
    .name = "graph",
    .description =
        "Prints the lineage graph, in DOT or JSON. It holds the model and every upstream model "
        "reached through lineage manifests, each with its status (weights, tainted, unverified, "
        "compliant) and its stages' permitted and unpermitted sources; edges that carry taint "
        "are red in DOT.",
    .footer =
        "Render DOT with Graphviz: provgate graph m.json | dot -Tsvg > lineage.svg\n"
        "Exit codes: 0 written, 2 invalid input or usage, 3 operational failure.",
};

void DeclareGraph(CLI::App& command, GraphArgs& args) {
  AddManifestArgument(command, args.manifest);
  AddPolicyOptions(command, args.policy, {.profile = true, .date = true});
  AddFormatOption(command, args.format, {"dot", "json"}, "dot (Graphviz, default) or json");
  AddOutputOption(command, args.output, "the graph");
}

}  // namespace

Command AddGraphCommand(CLI::App& root) {
  return AddCommand(root, kGraphText, DeclareGraph, RunGraph);
}

}  // namespace provgate::cli
