#include "lineage/walk.h"

#include <algorithm>
#include <filesystem>
#include <tuple>

namespace provgate::detail {
namespace {

using State = UpstreamStatus::State;

// Manifests are identified by their canonical path, however the lineage entries spell it.
std::string CanonicalKey(const std::string& path) {
  std::error_code ec;
  std::string key = std::filesystem::weakly_canonical(path, ec).string();
  return ec ? path : key;
}

}  // namespace

LineageWalk::LineageWalk(const std::string& manifest_path) {
  stack_.push_back(CanonicalKey(manifest_path));
}

UpstreamStatus LineageWalk::ResolveManifest(const std::string& path, const std::string& expected_id,
                                            int depth, const EvaluateManifest& evaluate) {
  UpstreamStatus status;
  std::string key = CanonicalKey(path);
  std::string referrer = stack_.back();
  auto on_stack = std::find(stack_.begin(), stack_.end(), key);
  if (on_stack != stack_.end()) {
    // Every manifest from `key` to the referrer lies on the cycle.
    in_cycle_.insert(on_stack, stack_.end());
    status.state = State::kCycle;
    status.detail = "the lineage leads back to " + path;
    return status;
  }
  auto found = done_.find(key);
  if (found == done_.end()) {
    if (depth >= kMaxDepth) {
      status.state = State::kLimit;
      status.detail = "the lineage is deeper than " + std::to_string(kMaxDepth) + " models";
      return status;
    }
    if (done_.size() >= kMaxModels) {
      status.state = State::kLimit;
      status.detail = "the lineage reaches more than " + std::to_string(kMaxModels) + " models";
      return status;
    }
    stack_.push_back(key);
    UpstreamEvaluation upstream = evaluate(path, depth + 1);
    stack_.pop_back();
    if (!upstream.valid) {
      status.state = State::kInvalid;
      status.detail = upstream.problem;
    } else {
      status.state = State::kOk;
      status.tainted = upstream.tainted;
      status.chain = upstream.taint_chain;
      status.causes = std::move(upstream.taint_causes);
      status.causes_omitted = upstream.taint_causes_omitted;
      status.detail = upstream.model_id;  // The id it declares, compared below.
    }
    found = done_.emplace(key, status).first;
  }
  status = found->second;
  if (in_cycle_.count(key) != 0 && in_cycle_.count(referrer) != 0) {
    status.state = State::kCycle;
    status.detail = "the lineage from " + path + " leads back to this manifest";
    return status;
  }
  if (status.state == State::kOk && status.detail != expected_id) {
    status.state = State::kIdMismatch;
    status.detail = "the manifest " + path + " describes model '" + status.detail + "', not '" +
                    expected_id + "'";
  }
  return status;
}

UpstreamStatus LineageWalk::ResolveAttestation(const std::string& path,
                                               const std::string& expected_id, bool any_trusted_key,
                                               const VerifyReport& verify) {
  UpstreamStatus status;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    status.detail = "its signed report " + path + " does not exist";
    return status;
  }
  if (!any_trusted_key) {
    status.detail = "its signed report " + path + " is not verified: no key is trusted (--trust)";
    return status;
  }
  VerifiedUpstream verified = verify(path);
  if (!verified.verified) {
    status.detail = "its signed report " + path + " does not verify: " + verified.cause;
    return status;
  }
  if (verified.model_id != expected_id) {
    status.state = State::kIdMismatch;
    status.detail = "the signed report " + path + " is about model '" + verified.model_id +
                    "', not '" + expected_id + "'";
    return status;
  }
  status.state = State::kOk;
  status.tainted = verified.tainted;
  status.chain = !verified.taint_chain.empty()
                     ? verified.taint_chain
                     : verified.model_id + ": tainted according to its signed report";
  if (verified.tainted) {
    // A signed report states the taint and its first cause, not every cause.
    TaintCause cause;
    cause.path = verified.model_id;
    cause.model = verified.model_id;
    cause.reason = "tainted-upstream";
    cause.detail = "according to its signed report: " + status.chain;
    status.causes.push_back(std::move(cause));
  }
  LineageGraph::Node node;
  node.id = verified.model_id;
  node.weights = verified.weights;
  node.effective_weights = verified.effective_weights;
  node.tainted = verified.tainted;
  node.compliant = verified.compliant;
  attested_.emplace(node.id, std::move(node));
  return status;
}

void LineageWalk::AddModel(LineageGraph::Node node, const std::vector<LineageGraph::Edge>& edges) {
  ++graph_.manifests_evaluated;
  if (graph_nodes_.insert(node.id).second) graph_.nodes.push_back(std::move(node));
  for (const auto& edge : edges) {
    graph_.edges.push_back(edge);
    auto attested = attested_.find(edge.upstream);
    if (edge.status == "ok" && attested != attested_.end() &&
        graph_nodes_.insert(edge.upstream).second) {
      graph_.nodes.push_back(attested->second);
    }
    if (edge.status != "ok" && graph_nodes_.insert(edge.upstream).second) {
      LineageGraph::Node unverified;
      unverified.id = edge.upstream;
      unverified.unverified = true;
      unverified.tainted = true;
      graph_.nodes.push_back(std::move(unverified));
    }
  }
}

LineageGraph LineageWalk::TakeGraph(const std::string& root_model_id) {
  std::stable_sort(graph_.nodes.begin(), graph_.nodes.end(),
                   [&](const LineageGraph::Node& a, const LineageGraph::Node& b) {
                     bool a_root = a.id == root_model_id;
                     bool b_root = b.id == root_model_id;
                     if (a_root != b_root) return a_root;
                     return a.id < b.id;
                   });
  std::sort(graph_.edges.begin(), graph_.edges.end(),
            [](const LineageGraph::Edge& a, const LineageGraph::Edge& b) {
              return std::tie(a.downstream, a.upstream, a.relation) <
                     std::tie(b.downstream, b.upstream, b.relation);
            });
  return std::move(graph_);
}

void LineageWalk::NoteFile(const std::string& path) {
  if (path.empty()) return;
  std::lock_guard<std::mutex> lock(files_mutex_);
  if (files_seen_.insert(path).second) files_.push_back(path);
}

std::vector<std::string> LineageWalk::TakeFiles() {
  std::lock_guard<std::mutex> lock(files_mutex_);
  files_seen_.clear();
  return std::move(files_);
}

}  // namespace provgate::detail
