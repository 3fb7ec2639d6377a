// FieldIndex: the keys of an object's table of fields, each found with one probe of an index
// computed when the program is compiled, and compared without a call to memcmp.
#ifndef PROVGATE_JSON_FIELD_INDEX_H_
#define PROVGATE_JSON_FIELD_INDEX_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace provgate::detail {

// Whether the `n` bytes at `a` and `b` are equal. Reads no byte outside them, with word loads
// in place of a call to memcmp for the short keys of a table.
inline bool SameBytes(const char* a, const char* b, std::size_t n) {
  if (n >= 8) {
    std::uint64_t x;
    std::uint64_t y;
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      std::memcpy(&x, a + i, 8);
      std::memcpy(&y, b + i, 8);
      if (x != y) return false;
    }
    std::memcpy(&x, a + n - 8, 8);
    std::memcpy(&y, b + n - 8, 8);
    return x == y;
  }
  if (n >= 4) {
    std::uint32_t x0, y0, x1, y1;
    std::memcpy(&x0, a, 4);
    std::memcpy(&y0, b, 4);
    std::memcpy(&x1, a + n - 4, 4);
    std::memcpy(&y1, b + n - 4, 4);
    return x0 == y0 && x1 == y1;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// The keys of one table, found with one probe: a key's length and its first, middle and last
// bytes, multiplied by a constant chosen at compile time so that no two keys of the table
// share a slot, pick the only key it can be, which is then compared whole. A table whose keys
// no constant separates (two keys alike in those four) is searched key by key instead.
template <std::size_t N>
class FieldIndex {
 public:
  static_assert(N < 64, "a slot holds a field number below 64");

  // `fields`: entries with a `key` (a std::string_view), such as a table's FieldReaders.
  template <typename Field>
  constexpr explicit FieldIndex(const std::array<Field, N>& fields) {
    for (std::size_t i = 0; i < N; ++i) keys_[i] = fields[i].key;
    for (std::uint32_t attempt = 0; attempt < 4096; ++attempt) {
      multiplier_ = 0x9E3779B1u + 2 * attempt;
      if (Separates()) {
        perfect_ = true;
        return;
      }
    }
  }

  // The field number of `key`, or -1 when the table does not have it.
  int Find(std::string_view key) const {
    if (!perfect_) {
      for (std::size_t i = 0; i < N; ++i) {
        if (keys_[i] == key) return static_cast<int>(i);
      }
      return -1;
    }
    if (key.empty()) return -1;
    int i = slots_[Slot(key)];
    if (i < 0 || keys_[i].size() != key.size()) return -1;
    return SameBytes(keys_[i].data(), key.data(), key.size()) ? i : -1;
  }

 private:
  static constexpr std::size_t kSlotBits = 6;

  constexpr std::size_t Slot(std::string_view key) const {
    std::uint32_t word = static_cast<std::uint32_t>(key.size() & 0xFF) |
                         static_cast<std::uint32_t>(static_cast<unsigned char>(key[0])) << 8 |
                         static_cast<std::uint32_t>(static_cast<unsigned char>(key[key.size() / 2]))
                             << 16 |
                         static_cast<std::uint32_t>(static_cast<unsigned char>(key.back())) << 24;
    return static_cast<std::size_t>((word * multiplier_) >> (32 - kSlotBits));
  }

  // Fills the slots with the current multiplier; false when two keys (or an empty key)
  // would share one.
  constexpr bool Separates() {
    for (auto& slot : slots_) slot = -1;
    for (std::size_t i = 0; i < N; ++i) {
      if (keys_[i].empty()) return false;
      std::size_t slot = Slot(keys_[i]);
      if (slots_[slot] >= 0) return false;
      slots_[slot] = static_cast<std::int8_t>(i);
    }
    return true;
  }

  std::array<std::string_view, N> keys_{};
  std::array<std::int8_t, std::size_t{1} << kSlotBits> slots_{};
  std::uint32_t multiplier_ = 0;
  bool perfect_ = false;
};

}  // namespace provgate::detail

#endif  // PROVGATE_JSON_FIELD_INDEX_H_
