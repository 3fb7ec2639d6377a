// Ranking, carrying and describing the causes of a model's taint (see taint_causes.h).
#include "policy/taint_causes.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

namespace provgate::detail {

void RankTaintCauses(std::vector<TaintCause>& causes, std::uint64_t& omitted) {
  std::stable_sort(causes.begin(), causes.end(), [](const TaintCause& a, const TaintCause& b) {
    return std::tie(b.tokens, b.sources, a.path, a.reason) <
           std::tie(a.tokens, a.sources, b.path, b.reason);
  });
  if (causes.size() > kMaxTaintCauses) {
    omitted += causes.size() - kMaxTaintCauses;
    causes.resize(kMaxTaintCauses);
  }
}

std::vector<TaintCause> CausesThrough(const std::vector<TaintCause>& upstream,
                                      const std::string& downstream, const std::string& relation) {
  std::vector<TaintCause> out = upstream;
  std::string prefix = downstream + " \u2190 " + relation + " \u2190 ";
  for (TaintCause& cause : out) cause.path = prefix + cause.path;
  return out;
}

std::string ShortCount(std::uint64_t n) {
  struct Unit {
    std::uint64_t size;
    const char* suffix;
  };
  for (Unit unit : {Unit{1'000'000'000'000ULL, "T"}, Unit{1'000'000'000ULL, "B"},
                    Unit{1'000'000ULL, "M"}, Unit{1'000ULL, "k"}}) {
    if (n < unit.size) continue;
    double value = static_cast<double>(n) / static_cast<double>(unit.size);
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), value < 100 ? "%.1f%s" : "%.0f%s", value, unit.suffix);
    std::string text = buffer;
    // 15.0T reads 15T.
    std::size_t point = text.find(".0");
    if (point != std::string::npos && point + 2 == text.size() - 1) text.erase(point, 2);
    return text;
  }
  return std::to_string(n);
}

std::string DescribeTaintCause(const TaintCause& cause) {
  if (cause.sources == 0) {
    return cause.path + ": " +
           (cause.reason == "unverified-upstream" ? std::string("unverified") : cause.reason) +
           (cause.detail.empty() ? "" : " (" + cause.detail + ")");
  }
  std::string text = cause.path + ": " + std::to_string(cause.sources) +
                     (cause.sources == 1 ? " source" : " sources") + " without permission (" +
                     cause.reason + ")";
  if (cause.tokens > 0) text += ", " + ShortCount(cause.tokens) + " tokens";
  if (!cause.examples.empty()) {
    text += ": ";
    for (std::size_t i = 0; i < cause.examples.size(); ++i) {
      text += (i == 0 ? "" : ", ") + cause.examples[i];
    }
    if (cause.sources > cause.examples.size()) text += ", \u2026";
  }
  return text;
}

std::string DescribeTaintCauses(const std::vector<TaintCause>& causes, std::uint64_t omitted,
                                std::size_t shown) {
  std::string text;
  std::size_t n = std::min(shown, causes.size());
  for (std::size_t i = 0; i < n; ++i) text += (i == 0 ? "" : "; ") + DescribeTaintCause(causes[i]);
  std::uint64_t more = omitted + (causes.size() - n);
  if (more > 0) text += "; and " + std::to_string(more) + " more";
  return text;
}

}  // namespace provgate::detail
