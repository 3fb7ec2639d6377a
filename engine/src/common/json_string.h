// What a JSON string cannot hold as it is, found eight bytes at a time. Shared by the manifest
// reader (strings read in place until an escape) and the JSON writer (text copied until a byte
// must be escaped).
#ifndef PROVGATE_COMMON_JSON_STRING_H_
#define PROVGATE_COMMON_JSON_STRING_H_

#include <cstdint>
#include <cstring>

namespace provgate::detail {

/// The first byte in [p, end) that is a quote, a backslash or a control character (below
/// 0x20); `end` when there is none. Bytes of 0x80 and above (UTF-8) are plain.
inline const char* FindJsonStringSpecial(const char* p, const char* end) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  while (end - p >= 8) {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    std::uint64_t quote = x ^ (kOnes * '"');
    std::uint64_t slash = x ^ (kOnes * '\\');
    // A high bit is set in the lane of each byte below 0x20, equal to a quote or equal to a
    // backslash, and possibly in lanes above such a byte (a borrow), which the byte-by-byte
    // loop below passes over; bytes of 0x80 and above are never flagged.
    std::uint64_t special =
        ((x - kOnes * 0x20) | (quote - kOnes) | (slash - kOnes)) & ~(x & kHigh) & kHigh;
    if (special != 0) break;
    p += 8;
  }
  while (p < end && *p != '"' && *p != '\\' && static_cast<unsigned char>(*p) >= 0x20) ++p;
  return p;
}

}  // namespace provgate::detail

#endif  // PROVGATE_COMMON_JSON_STRING_H_
