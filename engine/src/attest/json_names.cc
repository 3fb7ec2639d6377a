// Member names of signed JSON: pointer segments, and names that appear twice in one object.
#include "attest/json_names.h"

#include <algorithm>
#include <array>
#include <vector>

#include "json/pointer_path.h"

namespace provgate::detail {

namespace dom = simdjson::dom;

// `key` as one RFC 6901 pointer segment, with its '/'.
std::string PointerSegment(std::string_view key) {
  std::string out;
  AppendPointerKey(out, key);
  return out;
}

// Depth is bounded by the parser (1024 levels); names are compared pairwise in small objects
// and sorted in large ones, so that no object costs more than n log n.
bool FindRepeatedName(dom::element element, std::string& pointer) {
  dom::object object;
  dom::array array;
  if (element.get_object().get(object) == simdjson::SUCCESS) {
    constexpr std::size_t kPairwise = 16;
    std::array<std::string_view, kPairwise> first;  // No allocation for objects this small.
    std::vector<std::string_view> all;
    std::size_t count = 0;
    for (dom::key_value_pair field : object) {
      if (count < kPairwise) {
        for (std::size_t i = 0; i < count; ++i) {
          if (first[i] == field.key) {
            pointer = PointerSegment(field.key);
            return true;
          }
        }
        first[count] = field.key;
      } else {
        if (all.empty()) all.assign(first.begin(), first.end());
        all.push_back(field.key);
      }
      ++count;
    }
    if (!all.empty()) {
      std::sort(all.begin(), all.end());
      auto repeated = std::adjacent_find(all.begin(), all.end());
      if (repeated != all.end()) {
        pointer = PointerSegment(*repeated);
        return true;
      }
    }
    for (dom::key_value_pair field : object) {
      if (FindRepeatedName(field.value, pointer)) {
        pointer = PointerSegment(field.key) + pointer;
        return true;
      }
    }
  } else if (element.get_array().get(array) == simdjson::SUCCESS) {
    std::size_t index = 0;
    for (dom::element item : array) {
      if (FindRepeatedName(item, pointer)) {
        pointer = "/" + std::to_string(index) + pointer;
        return true;
      }
      ++index;
    }
  }
  return false;
}

}  // namespace provgate::detail
