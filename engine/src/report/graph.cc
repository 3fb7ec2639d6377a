// Renderings of the lineage graph.
#include <vector>

#include "common/escape.h"
#include "json/json_writer.h"
#include "provgate/lineage.h"

namespace provgate {
std::string RenderGraphDot(const LineageGraph& graph) {
  std::string out =
      "digraph lineage {\n"
      "  rankdir=BT;\n"
      "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];\n"
      "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (const auto& node : graph.nodes) {
    // Lines of the label; each is escaped (detail::Dot: quotes, backslashes and every control
    // character), then joined with DOT's line break.
    std::vector<std::string> lines = {node.id};
    std::string color;
    if (node.unverified) {
      lines.push_back("unverified");
      color = "#e0e0e0";
    } else {
      lines.push_back(node.weights +
                      (node.effective_weights != node.weights
                           ? " (counts as " + node.effective_weights + ")"
                           : "") +
                      " weights, " + (node.tainted ? "tainted" : "clean") + ", " +
                      (node.compliant ? "compliant" : "non-compliant"));
      for (const auto& stage : node.stages) {
        std::string line = stage.id + ": " + std::to_string(stage.permitted) + " permitted";
        if (stage.unpermitted > 0) {
          line += ", " + std::to_string(stage.unpermitted) + " unpermitted (";
          for (std::size_t i = 0; i < stage.unpermitted_examples.size(); ++i) {
            line += (i ? ", " : "") + stage.unpermitted_examples[i];
          }
          if (stage.unpermitted > stage.unpermitted_examples.size()) line += ", ...";
          line += ")";
        }
        lines.push_back(std::move(line));
      }
      color = !node.compliant ? "#f4b6b6" : node.tainted ? "#fde6a8" : "#c8e6c9";
    }
    std::string label;
    for (std::size_t i = 0; i < lines.size(); ++i)
      label += (i ? "\\n" : "") + detail::Dot(lines[i]);
    out += "  \"" + detail::Dot(node.id) + "\" [label=\"" + label + "\", fillcolor=\"" + color +
           "\"];\n";
  }
  for (const auto& edge : graph.edges) {
    std::string label = edge.relation + (edge.status != "ok" ? " (" + edge.status + ")" : "");
    out += "  \"" + detail::Dot(edge.downstream) + "\" -> \"" + detail::Dot(edge.upstream) +
           "\" [label=\"" + detail::Dot(label) + "\"" +
           (edge.carries_taint ? ", color=\"#c62828\", fontcolor=\"#c62828\", penwidth=2" : "") +
           "];\n";
  }
  out += "}\n";
  return out;
}

std::string RenderGraphJson(const LineageGraph& graph) {
  std::string out;
  detail::JsonWriter w(out);
  w.BeginObject();
  w.Key("nodes");
  w.BeginArray();
  for (const auto& node : graph.nodes) {
    w.BeginObject();
    w.Member("id", node.id);
    if (!node.manifest.empty()) w.Member("manifest", node.manifest);
    if (!node.unverified) {
      w.Member("weights", node.weights);
      w.Member("effective_weights", node.effective_weights);
    }
    w.Member("tainted", node.tainted);
    w.Member("unverified", node.unverified);
    if (!node.unverified) w.Member("compliant", node.compliant);
    w.Key("stages");
    w.BeginArray();
    for (const auto& stage : node.stages) {
      w.BeginObject();
      w.Member("id", stage.id);
      w.Member("permitted", stage.permitted);
      w.Member("unpermitted", stage.unpermitted);
      w.Key("unpermitted_examples");
      w.BeginArray();
      for (const auto& id : stage.unpermitted_examples) w.String(id);
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("edges");
  w.BeginArray();
  for (const auto& edge : graph.edges) {
    w.BeginObject();
    w.Member("downstream", edge.downstream);
    w.Member("upstream", edge.upstream);
    w.Member("relation", edge.relation);
    w.Member("status", edge.status);
    w.Member("carries_taint", edge.carries_taint);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.Raw("\n");
  return out;
}

}  // namespace provgate
