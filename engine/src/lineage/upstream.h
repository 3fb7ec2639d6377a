// What is known about an upstream model of a lineage edge, and how it is found out.
#ifndef PROVGATE_LINEAGE_UPSTREAM_H_
#define PROVGATE_LINEAGE_UPSTREAM_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "provgate/lineage.h"

namespace provgate::detail {

struct UpstreamStatus {
  // ok: evaluated from its manifest, or established by a signed report that verifies under a
  // trusted key. unverified: nothing establishes it (no manifest, no verified signed report;
  // the ledger is not read yet). The others are P2 integrity errors; kLimit is a
  // lineage deeper than 64 models, wider than 10,000 entries, or reaching 100,000 models.
  enum class State { kOk, kUnverified, kMissing, kInvalid, kCycle, kIdMismatch, kLimit };
  State state = State::kUnverified;
  bool tainted = false;  // Established as tainted (only meaningful when kOk).
  std::string chain;     // Why it is tainted: "lab/base: used web without permission (no-basis)"
  std::string detail;    // For errors and unverified upstreams: what went wrong.
  // Every cause of its taint, heaviest first, with paths that start at the upstream model.
  std::vector<TaintCause> causes;
  std::uint64_t causes_omitted = 0;
};

std::string_view ToString(UpstreamStatus::State state);

// Evaluates the upstream manifest at `path` (already resolved against the referring manifest)
// for the model `expected_id`. Supplied by the check pipeline, which evaluates upstream
// manifests with the same policy, once each, and detects cycles.
using UpstreamResolver =
    std::function<UpstreamStatus(const std::string& path, const std::string& expected_id)>;

}  // namespace provgate::detail

#endif  // PROVGATE_LINEAGE_UPSTREAM_H_
