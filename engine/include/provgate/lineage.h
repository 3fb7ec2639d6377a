// Lineage: the models a checked model descends from, as the check established them, and the
// graph's renderings.
#ifndef PROVGATE_LINEAGE_H_
#define PROVGATE_LINEAGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "provgate/export.h"

namespace provgate {

/// The lineage graph of a check: the model, every upstream model reached, and the edges.
struct LineageGraph {
  struct Stage {
    std::string id;  ///< "(all)" for a manifest without stages.
    std::uint64_t permitted = 0;
    std::uint64_t unpermitted = 0;
    std::vector<std::string> unpermitted_examples;  ///< Up to five source ids.
  };
  struct Node {
    std::string id;
    std::string manifest;           ///< Path of its manifest; empty for an unestablished model.
    std::string weights;            ///< open, closed, unreleased; empty when unknown.
    std::string effective_weights;  ///< After P5.
    bool tainted = false;
    bool unverified = false;  ///< Nothing establishes it.
    bool compliant = false;
    std::vector<Stage> stages;
  };
  struct Edge {
    std::string downstream;  ///< Model id.
    std::string upstream;    ///< Model id.
    std::string relation;
    std::string status;  ///< ok, unverified, missing, invalid, cycle, id-mismatch, limit
    bool carries_taint = false;
  };
  std::vector<Node> nodes;  ///< The checked model first, then upstream models by id.
  std::vector<Edge> edges;
  /// How many manifests the check evaluated: each upstream manifest counts once, however many
  /// paths reach it (profile intermediate reads each twice, counted once).
  std::uint64_t manifests_evaluated = 0;
};

/// One cause of a model's taint: the sources of one model that it or an upstream model used
/// without permission for one reason, or an upstream model that nothing establishes.
struct TaintCause {
  /// The lineage from the checked model to `model`, e.g. `acme/closed ← distillation ←
  /// meta/llama`; the checked model's id for its own sources.
  std::string path;
  std::string model;   ///< The model whose sources, or whose status, it is.
  std::string reason;  ///< A reason code (no-basis, pirated, ...), or unverified-upstream.
  std::uint64_t sources = 0;
  std::uint64_t tokens = 0;           ///< Of the sources that state their size in tokens.
  std::vector<std::string> examples;  ///< Up to three source ids, by position.
  std::string detail;                 ///< For an unverified upstream: why.
};

/// The graph in Graphviz DOT: nodes coloured by status, taint-carrying edges in red.
PROVGATE_API std::string RenderGraphDot(const LineageGraph& graph);
/// The graph as JSON: {"nodes": [...], "edges": [...]}.
PROVGATE_API std::string RenderGraphJson(const LineageGraph& graph);

}  // namespace provgate

#endif  // PROVGATE_LINEAGE_H_
