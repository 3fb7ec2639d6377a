// Member names in signed JSON, read with simdjson's DOM parser: their JSON pointer segments,
// and the refusal of a name that appears twice in one object, which JSON readers disagree on.
#ifndef PROVGATE_ATTEST_JSON_NAMES_H_
#define PROVGATE_ATTEST_JSON_NAMES_H_

#include <simdjson.h>

#include <string>
#include <string_view>

namespace provgate::detail {

// A JSON pointer segment for the member name `key` (RFC 6901: `~` is `~0`, `/` is `~1`).
std::string PointerSegment(std::string_view key);

// Finds a member name that appears twice in one object, anywhere in `element`, and sets
// `pointer` to the second occurrence. simdjson keeps both members and answers lookups with
// the first; Python's json and jq take the last: a signed text with a repeated name says one
// thing to provgate and another to them, so it is refused wherever the name is.
bool FindRepeatedName(simdjson::dom::element element, std::string& pointer);

}  // namespace provgate::detail

#endif  // PROVGATE_ATTEST_JSON_NAMES_H_
