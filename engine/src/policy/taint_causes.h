// The causes of a model's taint: ranked heaviest first, carried up the lineage with their
// path, and put in words for messages.
#ifndef PROVGATE_POLICY_TAINT_CAUSES_H_
#define PROVGATE_POLICY_TAINT_CAUSES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "provgate/report.h"

namespace provgate::detail {

// Causes kept per model; the rest are counted.
inline constexpr std::size_t kMaxTaintCauses = 50;

// Sorts causes heaviest first: by tokens, then by sources, then by path and reason (so that
// equal weights keep one order), and keeps the first kMaxTaintCauses, adding the number
// dropped to `omitted`.
void RankTaintCauses(std::vector<TaintCause>& causes, std::uint64_t& omitted);

// The causes of an upstream model as seen from the model that uses it through `relation`:
// each path gains "downstream ← relation ← " in front.
std::vector<TaintCause> CausesThrough(const std::vector<TaintCause>& upstream,
                                      const std::string& downstream, const std::string& relation);

// One cause in words: "meta/llama: 2 sources without permission (no-basis), 15.6T tokens:
// web-2023, forums".
std::string DescribeTaintCause(const TaintCause& cause);

// The first `shown` causes in words, joined with "; ", then "and N more" for the rest
// (`omitted` counts causes already dropped).
std::string DescribeTaintCauses(const std::vector<TaintCause>& causes, std::uint64_t omitted,
                                std::size_t shown = 3);

// A count of tokens as people read it: 15.6T, 480B, 2.3M, 12k, or the number below 1,000.
std::string ShortCount(std::uint64_t n);

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_TAINT_CAUSES_H_
