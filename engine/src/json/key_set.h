// KeySet: the keys of one JSON object read so far, to refuse a repeated key.
#ifndef PROVGATE_JSON_KEY_SET_H_
#define PROVGATE_JSON_KEY_SET_H_

#include <array>
#include <cstddef>
#include <memory>
#include <set>
#include <string_view>

namespace provgate::detail {

// Objects usually have a few keys, compared in a small array as they come; an object with
// more (extensions can have any number) moves to an ordered set, so that n keys cost
// n log n comparisons whatever the keys are.
class KeySet {
 public:
  // False when `key` is already in the set. `key` must stay valid until Clear.
  bool Insert(std::string_view key) {
    if (large_ == nullptr) {
      for (std::size_t i = 0; i < count_; ++i) {
        if (small_[i] == key) return false;
      }
      if (count_ < kSmallSize) {
        small_[count_++] = key;
        return true;
      }
      large_ = std::make_unique<std::set<std::string_view>>(small_.begin(), small_.end());
    }
    return large_->insert(key).second;
  }
  void Clear() {
    count_ = 0;
    if (large_ != nullptr) large_.reset();
  }

 private:
  static constexpr std::size_t kSmallSize = 16;
  std::array<std::string_view, kSmallSize> small_;
  std::size_t count_ = 0;
  std::unique_ptr<std::set<std::string_view>> large_;
};

}  // namespace provgate::detail

#endif  // PROVGATE_JSON_KEY_SET_H_
