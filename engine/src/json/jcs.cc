// RFC 8785 canonical JSON text from JSON text or a parsed value (see jcs.h).
#include "json/jcs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

namespace provgate::detail {
namespace {

// UTF-16 code units of a UTF-8 string (input already validated by the JSON parser).
std::u16string Utf16(std::string_view s) {
  std::u16string out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp;
    std::size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else {
      cp = c & 0x07;
      len = 4;
    }
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xD800 + (cp >> 10));
      out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  return out;
}

void WriteString(const std::string& s, std::string& out) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

bool Write(const nlohmann::json& value, std::string& out, std::string& error) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      out += "null";
      return true;
    case nlohmann::json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return true;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: {
      double d = value.get<double>();
      if (!std::isfinite(d)) {
        error = "a number is not finite";
        return false;
      }
      out += FormatEcmaScriptNumber(d);
      return true;
    }
    case nlohmann::json::value_t::string:
      WriteString(value.get_ref<const std::string&>(), out);
      return true;
    case nlohmann::json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& element : value) {
        if (!first) out += ',';
        first = false;
        if (!Write(element, out, error)) return false;
      }
      out += ']';
      return true;
    }
    case nlohmann::json::value_t::object: {
      std::vector<std::pair<std::u16string, const nlohmann::json*>> members;
      std::vector<const std::string*> names;
      for (auto it = value.begin(); it != value.end(); ++it) {
        members.emplace_back(Utf16(it.key()), &it.value());
        names.push_back(&it.key());
      }
      std::vector<std::size_t> order(members.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(),
                [&](std::size_t a, std::size_t b) { return members[a].first < members[b].first; });
      out += '{';
      bool first = true;
      for (std::size_t i : order) {
        if (!first) out += ',';
        first = false;
        WriteString(*names[i], out);
        out += ':';
        if (!Write(*members[i].second, out, error)) return false;
      }
      out += '}';
      return true;
    }
    default:
      error = "unsupported JSON value";
      return false;
  }
}

}  // namespace

bool Utf16Less(std::string_view a, std::string_view b) {
  bool ascii = std::all_of(a.begin(), a.end(), [](char c) { return (c & 0x80) == 0; }) &&
               std::all_of(b.begin(), b.end(), [](char c) { return (c & 0x80) == 0; });
  return ascii ? a < b : Utf16(a) < Utf16(b);
}

std::string FormatEcmaScriptNumber(double value) {
  if (value == 0) return "0";  // Also -0.
  std::string out;
  if (value < 0) {
    out += '-';
    value = -value;
  }
  // Shortest digits and exponent: value = 0.DIGITS x 10^n.
  char buffer[64];
  auto result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  std::string sci(buffer, result.ptr);
  std::size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits += c;
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int n = std::stoi(sci.substr(e + 1)) + 1;
  int k = static_cast<int>(digits.size());
  if (k <= n && n <= 21) {
    out += digits + std::string(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n)) + "." +
           digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0." + std::string(static_cast<std::size_t>(-n), '0') + digits;
  } else {
    out += digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += "e";
    out += n - 1 >= 0 ? "+" : "-";
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

bool CanonicalizeJson(std::string_view json, std::string& out, std::string& error) {
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(json);
  } catch (const nlohmann::json::parse_error& e) {
    error = e.what();
    return false;
  }
  return CanonicalizeValue(value, out, error);
}

bool CanonicalizeValue(const nlohmann::json& value, std::string& out, std::string& error) {
  out.clear();
  return Write(value, out, error);
}

}  // namespace provgate::detail
