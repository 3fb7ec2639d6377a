// The lineage of one check: upstream manifests evaluated once each however many paths reach
// them, cycles, limits, models established by signed reports, and the graph of it all.
#ifndef PROVGATE_LINEAGE_WALK_H_
#define PROVGATE_LINEAGE_WALK_H_

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "lineage/upstream.h"
#include "provgate/lineage.h"

namespace provgate::detail {

// What evaluating an upstream manifest found.
struct UpstreamEvaluation {
  bool valid = false;    // False: the manifest is invalid input (or unreadable).
  std::string problem;   // When not valid: the first diagnostic, or the failure.
  std::string model_id;  // The model it describes.
  bool tainted = false;
  std::string taint_chain;
  std::vector<TaintCause> taint_causes;
  std::uint64_t taint_causes_omitted = 0;
};

// What verifying a signed upstream report found.
struct VerifiedUpstream {
  bool verified = false;
  std::string cause;  // Why it does not verify.
  std::string model_id;
  std::string weights;
  std::string effective_weights;
  bool tainted = false;
  std::string taint_chain;
  bool compliant = false;
};

class LineageWalk {
 public:
  static constexpr int kMaxDepth = 64;
  static constexpr std::size_t kMaxModels = 100000;

  // Evaluates a manifest (path, depth) with the check's pack and options.
  using EvaluateManifest = std::function<UpstreamEvaluation(const std::string& path, int depth)>;
  // Verifies a signed report against the trusted keys.
  using VerifyReport = std::function<VerifiedUpstream(const std::string& path)>;

  // Starts the walk at the checked manifest, which is on the path too: an upstream that
  // leads back to it closes a cycle.
  explicit LineageWalk(const std::string& manifest_path);

  // The status of the upstream model `expected_id` whose manifest is at `path`, referred to
  // from a manifest at `depth`: evaluated (once) through `evaluate`, or a cycle, a limit, or
  // an id that does not match.
  UpstreamStatus ResolveManifest(const std::string& path, const std::string& expected_id, int depth,
                                 const EvaluateManifest& evaluate);

  // The status of the upstream model `expected_id` named by the signed report at `path`:
  // established when it verifies under a trusted key (`any_trusted_key`) and describes that
  // model; unverified otherwise, with the cause.
  UpstreamStatus ResolveAttestation(const std::string& path, const std::string& expected_id,
                                    bool any_trusted_key, const VerifyReport& verify);

  // Adds a model that a manifest established, with its edges; upstream models that nothing
  // establishes appear as unverified nodes.
  void AddModel(LineageGraph::Node node, const std::vector<LineageGraph::Edge>& edges);

  // The graph: the checked model first, then upstream models by id; edges sorted.
  LineageGraph TakeGraph(const std::string& root_model_id);

  // Records a file the check read or tried to read (a manifest, its side file, an upstream
  // manifest or signed report, whether or not it exists): what the verdict depends on. Safe to
  // call from any thread.
  void NoteFile(const std::string& path);
  // The files noted, in the order first noted, each once.
  std::vector<std::string> TakeFiles();

 private:
  std::map<std::string, UpstreamStatus> done_;  // canonical path -> status
  std::vector<std::string> stack_;              // manifests being evaluated, outermost first
  std::set<std::string> in_cycle_;              // manifests found on a cycle
  LineageGraph graph_;
  std::set<std::string> graph_nodes_;  // model ids already in the graph
  // Upstream models established by a verified signed report, by model id.
  std::map<std::string, LineageGraph::Node> attested_;
  std::mutex files_mutex_;
  std::vector<std::string> files_;
  std::set<std::string> files_seen_;
};

}  // namespace provgate::detail

#endif  // PROVGATE_LINEAGE_WALK_H_
