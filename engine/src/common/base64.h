// Base64 (RFC 4648): the standard alphabet with padding when encoding; the standard and
// URL-safe alphabets, padded or not, when decoding.
#ifndef PROVGATE_COMMON_BASE64_H_
#define PROVGATE_COMMON_BASE64_H_

#include <string>
#include <string_view>

namespace provgate::detail {

std::string Base64Encode(std::string_view bytes);
// False on a character outside both alphabets, or data after padding.
bool Base64Decode(std::string_view text, std::string& out);

}  // namespace provgate::detail

#endif  // PROVGATE_COMMON_BASE64_H_
