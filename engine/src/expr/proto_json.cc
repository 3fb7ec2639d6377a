#include "expr/proto_json.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_set>

#include "common/base64.h"
#include "common/text_position.h"
#include "expr/program.h"

namespace provgate::expr {
namespace {

nlohmann::ordered_json DoubleJson(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return d;
}

std::string TooDeepMessage() {
  return "value is nested more than " + std::to_string(kMaxValueDepth) + " levels deep";
}

bool TooDeep(nlohmann::ordered_json& out) {
  out = nlohmann::ordered_json::object();
  out["error"] = TooDeepMessage();
  return true;
}

// Lists and maps never nest deeper than kMaxValueDepth; objects (native facts) are held to
// the same depth here, so recursion is bounded.
bool Print(const Value& value, Budget& budget, std::uint32_t depth, nlohmann::ordered_json& out) {
  using J = nlohmann::ordered_json;
  if (!budget.Charge(1)) return false;
  // Members are moved into place, never built from initializer lists, which would copy each
  // subtree once per level above it.
  out = J::object();
  switch (value.kind()) {
    case Kind::kNull:
      out["nullValue"] = nullptr;
      return true;
    case Kind::kBool:
      out["boolValue"] = value.AsBool();
      return true;
    case Kind::kInt:
      out["int64Value"] = std::to_string(value.AsInt());
      return true;
    case Kind::kUint:
      out["uint64Value"] = std::to_string(value.AsUint());
      return true;
    case Kind::kDouble:
      out["doubleValue"] = DoubleJson(value.AsDouble());
      return true;
    case Kind::kString:
      if (!budget.Charge(value.AsString().size() / 16)) return false;
      out["stringValue"] = std::string(value.AsString());
      return true;
    case Kind::kBytes:
      if (!budget.Charge(value.AsString().size() / 8)) return false;
      out["bytesValue"] = detail::Base64Encode(value.AsString());
      return true;
    case Kind::kList: {
      if (depth >= kMaxValueDepth) return TooDeep(out);
      J values = J::array();
      for (const Value& v : value.AsList()) {
        J element;
        if (!Print(v, budget, depth + 1, element)) return false;
        values.push_back(std::move(element));
      }
      J list = J::object();
      if (!values.empty()) list["values"] = std::move(values);
      out["listValue"] = std::move(list);
      return true;
    }
    case Kind::kMap:
    case Kind::kObject: {
      if (depth >= kMaxValueDepth) return TooDeep(out);
      J entries = J::array();
      auto add = [&](const Value& k, const Value& v) {
        J entry = J::object();
        if (!Print(k, budget, depth + 1, entry["key"]) ||
            !Print(v, budget, depth + 1, entry["value"])) {
          return false;
        }
        entries.push_back(std::move(entry));
        return true;
      };
      if (value.kind() == Kind::kMap) {
        for (const auto& [k, v] : value.AsMap().entries) {
          if (!add(k, v)) return false;
        }
      } else {
        for (std::string_view name : value.object_type()->FieldNames(value.object())) {
          Value field;
          value.object_type()->Get(value.object(), name, field);
          if (!add(Value::BorrowedString(name), field)) return false;
        }
      }
      J map = J::object();
      if (!entries.empty()) map["entries"] = std::move(entries);
      out["mapValue"] = std::move(map);
      return true;
    }
    case Kind::kError:
      out["error"] = std::string(value.ErrorMessage());
      return true;
  }
  out = nullptr;
  return true;
}

}  // namespace

nlohmann::ordered_json ToProtoJson(const Value& value, Budget& budget) {
  nlohmann::ordered_json out;
  if (!Print(value, budget, 0, out)) {
    return nlohmann::ordered_json{{"error", "evaluation cost limit exceeded"}};
  }
  return out;
}

nlohmann::ordered_json ToProtoJson(const Value& value) {
  Budget budget(EvalOptions().cost_limit);
  return ToProtoJson(value, budget);
}

namespace {

// A map key as text, equal for keys that CEL's equality makes equal (1 and 1u).
std::string KeyText(const Value& key) {
  switch (key.kind()) {
    case Kind::kInt:
      return "n" + std::to_string(key.AsInt());
    case Kind::kUint:
      return "n" + std::to_string(key.AsUint());
    case Kind::kBool:
      return key.AsBool() ? "true" : "false";
    default:
      return "s" + std::string(key.AsString());
  }
}

bool Read(const nlohmann::json& json, Value& out, std::string& error, std::string& pointer,
          std::uint32_t depth) {
  if (!json.is_object() || json.size() != 1) {
    error = "expected an object with exactly one member such as {\"int64Value\": \"1\"}";
    return false;
  }
  const std::string& kind = json.begin().key();
  const nlohmann::json& v = json.begin().value();
  auto fail = [&](const std::string& message) {
    error = message;
    pointer = "/" + kind + pointer;
    return false;
  };
  if (kind == "nullValue") {
    out = Value::Null();
    return true;
  }
  if (kind == "boolValue") {
    if (!v.is_boolean()) return fail("boolValue must be true or false");
    out = Value::Bool(v.get<bool>());
    return true;
  }
  if (kind == "int64Value") {
    if (v.is_number_integer()) {
      if (v.is_number_unsigned() &&
          v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)) {
        return fail("int64Value out of range");
      }
      out = Value::Int(v.get<std::int64_t>());
      return true;
    }
    if (!v.is_string()) return fail("int64Value must be a decimal string");
    const std::string& s = v.get_ref<const std::string&>();
    std::int64_t i;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
    if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) {
      return fail("int64Value '" + s + "' is not a 64-bit integer");
    }
    out = Value::Int(i);
    return true;
  }
  if (kind == "uint64Value") {
    if (v.is_number_unsigned()) {
      out = Value::Uint(v.get<std::uint64_t>());
      return true;
    }
    if (!v.is_string()) return fail("uint64Value must be a decimal string");
    const std::string& s = v.get_ref<const std::string&>();
    std::uint64_t u;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), u);
    if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) {
      return fail("uint64Value '" + s + "' is not an unsigned 64-bit integer");
    }
    out = Value::Uint(u);
    return true;
  }
  if (kind == "doubleValue") {
    if (v.is_number()) {
      out = Value::Double(v.get<double>());
      return true;
    }
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      if (s == "NaN")
        out = Value::Double(std::numeric_limits<double>::quiet_NaN());
      else if (s == "Infinity")
        out = Value::Double(std::numeric_limits<double>::infinity());
      else if (s == "-Infinity")
        out = Value::Double(-std::numeric_limits<double>::infinity());
      else
        return fail("doubleValue must be a number, \"NaN\", \"Infinity\" or \"-Infinity\"");
      return true;
    }
    return fail("doubleValue must be a number");
  }
  if (kind == "stringValue") {
    if (!v.is_string()) return fail("stringValue must be a string");
    out = Value::String(v.get<std::string>());
    return true;
  }
  if (kind == "bytesValue") {
    std::string decoded;
    if (!v.is_string() || !detail::Base64Decode(v.get_ref<const std::string&>(), decoded)) {
      return fail("bytesValue must be a base64 string");
    }
    out = Value::Bytes(std::move(decoded));
    return true;
  }
  if ((kind == "listValue" || kind == "mapValue") && depth >= kMaxValueDepth) {
    return fail(TooDeepMessage());
  }
  if (kind == "listValue") {
    if (!v.is_object()) return fail("listValue must be an object {\"values\": [...]}");
    std::vector<Value> elements;
    for (const auto& [member, content] : v.items()) {
      if (member != "values" || !content.is_array()) {
        return fail("listValue has only the member \"values\", an array");
      }
      for (std::size_t i = 0; i < content.size(); ++i) {
        Value element;
        std::string inner;
        if (!Read(content[i], element, error, inner, depth + 1)) {
          pointer = "/values/" + std::to_string(i) + inner;
          return fail(error);
        }
        elements.push_back(std::move(element));
      }
    }
    out = Value::List(std::move(elements));
    if (out.is_error()) return fail(std::string(out.ErrorMessage()));
    return true;
  }
  if (kind == "mapValue") {
    if (!v.is_object()) return fail("mapValue must be an object {\"entries\": [...]}");
    MapData map;
    std::unordered_set<std::string> keys;  // A file's map may be large: no quadratic search.
    for (const auto& [member, content] : v.items()) {
      if (member != "entries" || !content.is_array()) {
        return fail("mapValue has only the member \"entries\", an array");
      }
      for (std::size_t i = 0; i < content.size(); ++i) {
        const auto& entry = content[i];
        std::string prefix = "/entries/" + std::to_string(i);
        if (!entry.is_object() || !entry.contains("key") || !entry.contains("value")) {
          pointer = prefix;
          return fail("a map entry is {\"key\": VALUE, \"value\": VALUE}");
        }
        Value key, value;
        std::string inner;
        if (!Read(entry["key"], key, error, inner, depth + 1)) {
          pointer = prefix + "/key" + inner;
          return fail(error);
        }
        Kind k = key.kind();
        if (k != Kind::kString && k != Kind::kInt && k != Kind::kUint && k != Kind::kBool) {
          pointer = prefix + "/key";
          return fail("map keys must be string, int, uint or bool");
        }
        if (!Read(entry["value"], value, error, inner, depth + 1)) {
          pointer = prefix + "/value" + inner;
          return fail(error);
        }
        if (!keys.insert(KeyText(key)).second) {
          pointer = prefix + "/key";
          return fail("repeated map key");
        }
        map.entries.emplace_back(std::move(key), std::move(value));
      }
    }
    out = Value::Map(std::move(map));
    if (out.is_error()) return fail(std::string(out.ErrorMessage()));
    return true;
  }
  error = "unknown value kind '" + kind +
          "': expected nullValue, boolValue, int64Value, uint64Value, doubleValue, "
          "stringValue, bytesValue, listValue or mapValue";
  pointer = "/" + kind;
  return false;
}

}  // namespace

bool FromProtoJson(const nlohmann::json& json, Value& out, std::string& error,
                   std::string& pointer) {
  return Read(json, out, error, pointer, 0);
}

}  // namespace provgate::expr
