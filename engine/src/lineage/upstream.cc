#include "lineage/upstream.h"

namespace provgate::detail {

std::string_view ToString(UpstreamStatus::State state) {
  switch (state) {
    case UpstreamStatus::State::kOk:
      return "ok";
    case UpstreamStatus::State::kUnverified:
      return "unverified";
    case UpstreamStatus::State::kMissing:
      return "missing";
    case UpstreamStatus::State::kInvalid:
      return "invalid";
    case UpstreamStatus::State::kCycle:
      return "cycle";
    case UpstreamStatus::State::kIdMismatch:
      return "id-mismatch";
    case UpstreamStatus::State::kLimit:
      return "limit";
  }
  return "unverified";
}

}  // namespace provgate::detail
