// RFC 8785 JSON Canonicalization Scheme: the byte form whose digest identifies a JSON value.
#ifndef PROVGATE_JSON_JCS_H_
#define PROVGATE_JSON_JCS_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace provgate::detail {

// Canonicalizes the JSON text `json`: object members sorted by the UTF-16 code units of their
// names, no white space, strings with the minimal escapes, numbers as ECMAScript prints
// them. Returns false with `error` set for invalid JSON or a number that is not finite.
bool CanonicalizeJson(std::string_view json, std::string& out, std::string& error);

// The same for a parsed value.
bool CanonicalizeValue(const nlohmann::json& value, std::string& out, std::string& error);

// Whether member name `a` sorts before `b` in RFC 8785: by UTF-16 code units (byte order for
// ASCII names, which most are).
bool Utf16Less(std::string_view a, std::string_view b);

// ECMAScript Number::toString for a finite double (the shortest round-trip digits).
std::string FormatEcmaScriptNumber(double value);

}  // namespace provgate::detail

#endif  // PROVGATE_JSON_JCS_H_
