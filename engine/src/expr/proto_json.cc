#include "expr/proto_json.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "common/base64.h"
#include "common/text_position.h"

namespace provgate::expr {
namespace {

nlohmann::ordered_json DoubleJson(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return d;
}

}  // namespace

nlohmann::ordered_json ToProtoJson(const Value& value) {
  using J = nlohmann::ordered_json;
  switch (value.kind()) {
    case Kind::kNull:
      return J{{"nullValue", nullptr}};
    case Kind::kBool:
      return J{{"boolValue", value.AsBool()}};
    case Kind::kInt:
      return J{{"int64Value", std::to_string(value.AsInt())}};
    case Kind::kUint:
      return J{{"uint64Value", std::to_string(value.AsUint())}};
    case Kind::kDouble:
      return J{{"doubleValue", DoubleJson(value.AsDouble())}};
    case Kind::kString:
      return J{{"stringValue", std::string(value.AsString())}};
    case Kind::kBytes:
      return J{{"bytesValue", detail::Base64Encode(value.AsString())}};
    case Kind::kList: {
      J values = J::array();
      for (const Value& v : value.AsList()) values.push_back(ToProtoJson(v));
      J list = J::object();
      if (!values.empty()) list["values"] = std::move(values);
      return J{{"listValue", std::move(list)}};
    }
    case Kind::kMap:
    case Kind::kObject: {
      J entries = J::array();
      if (value.kind() == Kind::kMap) {
        for (const auto& [k, v] : value.AsMap().entries) {
          entries.push_back(J{{"key", ToProtoJson(k)}, {"value", ToProtoJson(v)}});
        }
      } else {
        for (std::string_view name : value.object_type()->FieldNames(value.object())) {
          Value field;
          value.object_type()->Get(value.object(), name, field);
          entries.push_back(
              J{{"key", ToProtoJson(Value::BorrowedString(name))}, {"value", ToProtoJson(field)}});
        }
      }
      J map = J::object();
      if (!entries.empty()) map["entries"] = std::move(entries);
      return J{{"mapValue", std::move(map)}};
    }
    case Kind::kError:
      return J{{"error", std::string(value.ErrorMessage())}};
  }
  return nullptr;
}

bool FromProtoJson(const nlohmann::json& json, Value& out, std::string& error,
                   std::string& pointer) {
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
        if (!FromProtoJson(content[i], element, error, inner)) {
          pointer = "/values/" + std::to_string(i) + inner;
          return fail(error);
        }
        elements.push_back(std::move(element));
      }
    }
    out = Value::List(std::move(elements));
    return true;
  }
  if (kind == "mapValue") {
    if (!v.is_object()) return fail("mapValue must be an object {\"entries\": [...]}");
    MapData map;
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
        if (!FromProtoJson(entry["key"], key, error, inner)) {
          pointer = prefix + "/key" + inner;
          return fail(error);
        }
        Kind k = key.kind();
        if (k != Kind::kString && k != Kind::kInt && k != Kind::kUint && k != Kind::kBool) {
          pointer = prefix + "/key";
          return fail("map keys must be string, int, uint or bool");
        }
        if (!FromProtoJson(entry["value"], value, error, inner)) {
          pointer = prefix + "/value" + inner;
          return fail(error);
        }
        if (MapFind(map, key) != nullptr) {
          pointer = prefix + "/key";
          return fail("repeated map key");
        }
        map.entries.emplace_back(std::move(key), std::move(value));
      }
    }
    out = Value::Map(std::move(map));
    return true;
  }
  error = "unknown value kind '" + kind +
          "': expected nullValue, boolValue, int64Value, uint64Value, doubleValue, "
          "stringValue, bytesValue, listValue or mapValue";
  pointer = "/" + kind;
  return false;
}

}  // namespace provgate::expr
