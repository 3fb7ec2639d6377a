// What a JSON string cannot hold as it is, found sixteen bytes at a time with SSE2 (eight
// without it). Shared by the manifest reader (strings and keys read in place until an escape)
// and the JSON writer (text copied until a byte must be escaped).
#ifndef PROVGATE_COMMON_JSON_STRING_H_
#define PROVGATE_COMMON_JSON_STRING_H_

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace provgate::detail {

/// The first byte in [p, end) that is a quote, a backslash or a control character (below
/// 0x20); `end` when there is none. Bytes of 0x80 and above (UTF-8) are plain.
inline const char* FindJsonStringSpecial(const char* p, const char* end) {
#if defined(__SSE2__)
  {
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i control = _mm_set1_epi8(0x1F);
    while (end - p >= 16) {
      __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      // A byte is at most 0x1F (unsigned) when the smaller of it and 0x1F is itself.
      __m128i special =
          _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                       _mm_cmpeq_epi8(_mm_min_epu8(x, control), x));
      if (int mask = _mm_movemask_epi8(special); mask != 0) return p + __builtin_ctz(mask);
      p += 16;
    }
  }
#endif
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

/// The first quote or backslash in [p, end), `end` when there is none: where an object's key
/// ends, or needs unescaping.
inline const char* FindQuoteOrBackslash(const char* p, const char* end) {
#if defined(__SSE2__)
  while (end - p >= 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hit =
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
    if (int mask = _mm_movemask_epi8(hit); mask != 0) return p + __builtin_ctz(mask);
    p += 16;
  }
#endif
  while (p < end && *p != '"' && *p != '\\') ++p;
  return p;
}

}  // namespace provgate::detail

#endif  // PROVGATE_COMMON_JSON_STRING_H_
