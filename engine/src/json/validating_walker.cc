// The out-of-line parts of ValidatingWalker: reporting, syntax errors, scalars, and reading a
// value of any shape (see validating_walker.h).
#include "json/validating_walker.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "json/syntax_errors.h"

namespace provgate::detail {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

bool Digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Whether a scalar of the given type is well-formed JSON (SUCCESS), or why not. Checked on
// the raw token, by the grammar of RFC 8259: a number too large for any C++ type is still
// valid JSON.
error_code ScalarError(od::value& value, od::json_type type) {
  std::string_view token = TrimTrailingWhitespace(value.raw_json_token());
  switch (type) {
    case od::json_type::boolean:
      return token == "true" || token == "false" ? simdjson::SUCCESS : simdjson::T_ATOM_ERROR;
    case od::json_type::null:
      return token == "null" ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    case od::json_type::number:
      return IsJsonNumber(token) ? simdjson::SUCCESS : simdjson::NUMBER_ERROR;
    default:
      return simdjson::SUCCESS;
  }
}

}  // namespace

std::string_view JsonTypeName(od::json_type type) {
  switch (type) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "a value";
}

void ValidatingWalker::ErrorAtOffset(std::size_t offset, std::string code, std::string message,
                                     std::string pointer) {
  ++errors_;
  if (!sink_.Accepts()) return;
  LineColumn lc = locator_.Locate(offset);
  Diagnostic d;
  d.code = std::move(code);
  d.message = std::move(message);
  d.file = file_;
  d.line = lc.line + first_line_ - 1;
  d.column = lc.column;
  d.pointer = std::move(pointer);
  d.offset = offset;
  sink_.Add(std::move(d));
}

void ValidatingWalker::Error(const char* p, std::string code, std::string message) {
  ErrorAtOffset(OffsetOf(p), std::move(code), std::move(message),
                sink_.Accepts() ? path_.str() : std::string());
}

void ValidatingWalker::Syntax(error_code error, const char* where) {
  if (fatal_) return;
  fatal_ = true;
  // Where the parser stopped is closer to the problem than the start of the enclosing value.
  if (document_ != nullptr) {
    const char* current = nullptr;
    if (document_->current_location().get(current) == simdjson::SUCCESS && current > where) {
      where = current;
    } else if (error != simdjson::DEPTH_ERROR && where < text_.data() + text_.size()) {
      // At the end of the input: the document is truncated.
      if (document_->current_location().get(current) != simdjson::SUCCESS) {
        where = text_.data() + text_.size();
        while (where > text_.data() &&
               (where[-1] == '\n' || where[-1] == ' ' || where[-1] == '\r' || where[-1] == '\t')) {
          --where;
        }
      }
    }
  }
  ErrorAtOffset(OffsetOf(where), "json-syntax", SyntaxMessage(error),
                sink_.Accepts() ? path_.str() : std::string());
}

void ValidatingWalker::WrongType(od::value& value, const char* at, od::json_type type,
                                 std::string_view what, std::string_view what_prefix) {
  // A malformed literal or number (`tru`, `01`) is a syntax error, not a value of the wrong
  // type: the type only looked at its first character.
  if (error_code bad = ScalarError(value, type); bad != simdjson::SUCCESS) {
    Syntax(bad, at);
    return;
  }
  Error(at, "schema-type",
        "expected " + std::string(what_prefix) + std::string(what) + ", got " +
            std::string(JsonTypeName(type)));
}

bool ValidatingWalker::ReadBool(od::value& value, bool& out) {
  if (!Expect(value, od::json_type::boolean, "a boolean")) return false;
  const char* at = PositionOf(value);
  if (value.get_bool().get(out) != simdjson::SUCCESS) {
    Syntax(simdjson::T_ATOM_ERROR, at);
    return false;
  }
  return true;
}

bool ValidatingWalker::ReadCount(od::value& value, std::optional<std::uint64_t>& out) {
  const char* at = PositionOf(value);
  std::string_view token = TrimTrailingWhitespace(value.raw_json_token());
  // The usual count: up to 19 digits without a leading zero, which is a number, valid JSON,
  // and fits in 64 bits, read as it is.
  if (!token.empty() && token.size() <= 19 && (token[0] != '0' || token.size() == 1) &&
      Digits(token)) {
    std::uint64_t parsed = 0;
    for (char c : token) parsed = parsed * 10 + static_cast<std::uint64_t>(c - '0');
    out = parsed;
    return true;
  }
  if (!Expect(value, od::json_type::number, "a non-negative integer")) return false;
  bool negative = !token.empty() && token[0] == '-';
  auto too_large = [&] {
    Error(at, "schema-range", "integer " + Excerpt(token) + " is larger than 2^64-1");
    return false;
  };
  auto below_minimum = [&] {
    Error(at, "schema-minimum", "expected a non-negative integer, got " + Excerpt(token));
    return false;
  };
  double as_double = 0;
  if (auto error = value.get_double().get(as_double); error != simdjson::SUCCESS) {
    if (!IsJsonNumber(token)) {
      Syntax(simdjson::NUMBER_ERROR, at);
      return false;
    }
    // Well-formed, but beyond a double (1e400): an integer out of range, or a negative.
    return negative ? below_minimum() : too_large();
  }
  std::string_view digits = negative ? token.substr(1) : token;
  if (Digits(digits)) {
    if (negative) {
      if (digits.find_first_not_of('0') != std::string_view::npos) return below_minimum();
      out = 0;
      return true;
    }
    std::uint64_t parsed = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), parsed);
    if (ec != std::errc() || ptr != digits.data() + digits.size()) return too_large();
    out = parsed;
    return true;
  }
  if (std::floor(as_double) != as_double) {
    Error(at, "schema-type", "expected a non-negative integer, got " + Excerpt(token));
    return false;
  }
  if (as_double < 0) return below_minimum();
  if (as_double >= 18446744073709551616.0) return too_large();
  out = static_cast<std::uint64_t>(as_double);
  return true;
}

bool ValidatingWalker::ReadNonNegativeNumber(od::value& value, std::optional<double>& out) {
  const char* at = PositionOf(value);
  if (!Expect(value, od::json_type::number, "a non-negative number")) return false;
  std::string_view token = TrimTrailingWhitespace(value.raw_json_token());
  double number = 0;
  if (auto error = value.get_double().get(number); error != simdjson::SUCCESS) {
    if (!IsJsonNumber(token)) {
      Syntax(simdjson::NUMBER_ERROR, at);
      return false;
    }
    Error(at, "json-number-range", "number " + Excerpt(token) + " is out of the range of a double");
    return false;
  }
  if (number < 0) {
    Error(at, "schema-minimum", "expected a non-negative number, got " + Excerpt(token));
    return false;
  }
  out = number;
  return true;
}

void ValidatingWalker::ConsumeAny(od::value& value, std::size_t depth) {
  const char* at = PositionOf(value);
  if (depth_ + depth >= max_depth_ + uncounted_) {
    if (!fatal_) {
      fatal_ = true;
      ErrorAtOffset(OffsetOf(at), "json-depth",
                    "JSON nesting is deeper than " + std::to_string(max_depth_) + " levels",
                    path_.str());
    }
    return;
  }
  od::json_type type;
  if (auto error = value.type().get(type); error != simdjson::SUCCESS) {
    Syntax(error, at);
    return;
  }
  switch (type) {
    case od::json_type::object: {
      KeySet& seen = KeysAtLevel(depth_ + depth);
      seen.Clear();
      VisitMembers(value, at, [&](const char* key_at, std::string_view key, od::value& child) {
        if (!seen.Insert(key)) DuplicateKey(key_at, key);
        ConsumeAny(child, depth + 1);
      });
      return;
    }
    case od::json_type::array: {
      od::array array;
      if (auto error = value.get_array().get(array); error != simdjson::SUCCESS) {
        Syntax(error, at);
        return;
      }
      std::size_t index = 0;
      for (auto element_result : array) {
        od::value element;
        if (auto error = element_result.get(element); error != simdjson::SUCCESS) {
          Syntax(error, at);
          return;
        }
        PointerPath::Scope scope(path_, index++);
        ConsumeAny(element, depth + 1);
        if (fatal_) return;
      }
      return;
    }
    case od::json_type::number: {
      double d;
      if (auto error = value.get_double().get(d); error != simdjson::SUCCESS) {
        std::string_view token = TrimTrailingWhitespace(value.raw_json_token());
        if (error == simdjson::NUMBER_ERROR && IsJsonNumber(token)) {
          // Well-formed JSON, but no double holds it: I-JSON (RFC 7493) asks for numbers
          // within IEEE 754 double precision, and so does provgate.
          Error(at, "json-number-range",
                "number " + Excerpt(token) +
                    " is out of range: a JSON number must be within the range of a double "
                    "(about 1.8e308)");
        } else {
          Syntax(error, at);
        }
      }
      return;
    }
    case od::json_type::string: {
      std::string_view s;
      if (auto error = value.get_string().get(s); error != simdjson::SUCCESS) Syntax(error, at);
      return;
    }
    case od::json_type::boolean: {
      bool b;
      if (value.get_bool().get(b) != simdjson::SUCCESS) Syntax(simdjson::T_ATOM_ERROR, at);
      return;
    }
    case od::json_type::null: {
      bool is_null = false;
      if (value.is_null().get(is_null) != simdjson::SUCCESS || !is_null) {
        Syntax(simdjson::N_ATOM_ERROR, at);
      }
      return;
    }
  }
}

void ValidatingWalker::DuplicateKey(const char* key_at, std::string_view key) {
  Error(key_at, "json-duplicate-key", "duplicate key '" + Excerpt(key) + "'");
}

void ValidatingWalker::UnknownField(const char* key_at, std::string_view key,
                                    std::string_view what) {
  std::string message = "unknown field '" + Excerpt(key) + "' in " + std::string(what);
  if (!extension_prefix_.empty()) {
    message += " (extensions must be named " + std::string(extension_prefix_) + "*)";
  }
  Error(key_at, "schema-unknown-field", std::move(message));
}

void ValidatingWalker::Missing(const char* object_at, std::string_view field,
                               std::string_view why) {
  std::string message = "missing required field '" + std::string(field) + "'";
  if (!why.empty()) message += " " + std::string(why);
  Error(object_at, "schema-required", std::move(message));
}

}  // namespace provgate::detail
