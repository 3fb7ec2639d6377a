// CEL values in their proto3 JSON form (google.api.expr Value): how `provgate expr` prints
// results and reads bindings.
#ifndef PROVGATE_EXPR_PROTO_JSON_H_
#define PROVGATE_EXPR_PROTO_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "expr/value.h"

namespace provgate::expr {

// {"int64Value": "1"}, {"listValue": {"values": [...]}}, ... Objects print as maps. Charges
// `budget` for every value printed and for the bytes of strings; when it runs out, returns
// {"error": "evaluation cost limit exceeded"} with the budget exhausted.
nlohmann::ordered_json ToProtoJson(const Value& value, Budget& budget);
// The same with a budget of the default cost limit.
nlohmann::ordered_json ToProtoJson(const Value& value);

// Reads one proto3 JSON value. On failure returns false and sets `error` and `pointer` (the
// JSON pointer, relative to `json`, of the offending member). Lists and maps nest at most
// kMaxValueDepth levels.
bool FromProtoJson(const nlohmann::json& json, Value& out, std::string& error,
                   std::string& pointer);

}  // namespace provgate::expr

#endif  // PROVGATE_EXPR_PROTO_JSON_H_
