// The built-in operators and functions of the rule language (arithmetic, comparison,
// indexing, conversions, strings), with CEL's semantics and their costs charged.
#include "expr/functions.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "common/text_position.h"
#include "expr/program.h"

namespace provgate::expr {
namespace {

Value NoOverload(std::string_view function, std::span<const Value> args) {
  std::string message = "no such overload: " + std::string(function) + "(";
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i > 0) message += ", ";
    message += KindName(args[i].kind());
  }
  return Value::Error(message + ")");
}

// Saturating arithmetic for charges computed from sizes.
std::uint64_t MulCap(std::uint64_t a, std::uint64_t b) {
  return b != 0 && a > std::numeric_limits<std::uint64_t>::max() / b
             ? std::numeric_limits<std::uint64_t>::max()
             : a * b;
}

// A string quoted in an error message: long ones are cut (at a character boundary), so that
// an error never copies a large value.
std::string Shown(std::string_view s) {
  constexpr std::size_t kMaxShown = 64;
  if (s.size() <= kMaxShown) return std::string(s);
  std::size_t cut = kMaxShown;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "... (" + std::to_string(s.size()) + " bytes)";
}

bool IsNumber(const Value& v) {
  return v.kind() == Kind::kInt || v.kind() == Kind::kUint || v.kind() == Kind::kDouble;
}

Value Compare(Op op, std::span<const Value> args, Budget& budget) {
  const Value& a = args[0];
  const Value& b = args[1];
  int c;
  if (IsNumber(a) && IsNumber(b)) {
    c = CompareNumbers(a, b);
    if (c == 2) return Value::Bool(false);
  } else if (a.kind() == b.kind() && (a.kind() == Kind::kString || a.kind() == Kind::kBytes)) {
    if (!budget.Charge(std::min(a.AsString().size(), b.AsString().size()) / 16)) return Value();
    int r = a.AsString().compare(b.AsString());
    c = r < 0 ? -1 : (r > 0 ? 1 : 0);
  } else if (a.kind() == Kind::kBool && b.kind() == Kind::kBool) {
    c = static_cast<int>(a.AsBool()) - static_cast<int>(b.AsBool());
  } else {
    static constexpr std::string_view kNames[] = {"_<_", "_<=_", "_>_", "_>=_"};
    return NoOverload(kNames[static_cast<int>(op) - static_cast<int>(Op::kLt)], args);
  }
  switch (op) {
    case Op::kLt:
      return Value::Bool(c < 0);
    case Op::kLe:
      return Value::Bool(c <= 0);
    case Op::kGt:
      return Value::Bool(c > 0);
    default:
      return Value::Bool(c >= 0);
  }
}

Value Overflow() { return Value::Error("return error for overflow"); }

Value Arithmetic(Op op, std::span<const Value> args, Budget& budget) {
  const Value& a = args[0];
  const Value& b = args[1];
  static constexpr std::string_view kNames[] = {"_+_", "_-_", "_*_", "_/_", "_%_"};
  std::string_view name = kNames[static_cast<int>(op)];
  if (a.kind() != b.kind()) return NoOverload(name, args);
  switch (a.kind()) {
    case Kind::kInt: {
      std::int64_t x = a.AsInt(), y = b.AsInt(), r = 0;
      switch (op) {
        case Op::kAdd:
          if (__builtin_add_overflow(x, y, &r)) return Overflow();
          return Value::Int(r);
        case Op::kSub:
          if (__builtin_sub_overflow(x, y, &r)) return Overflow();
          return Value::Int(r);
        case Op::kMul:
          if (__builtin_mul_overflow(x, y, &r)) return Overflow();
          return Value::Int(r);
        case Op::kDiv:
          if (y == 0) return Value::Error("division by zero");
          if (x == INT64_MIN && y == -1) return Overflow();
          return Value::Int(x / y);
        default:
          if (y == 0) return Value::Error("modulus by zero");
          if (x == INT64_MIN && y == -1) return Overflow();
          return Value::Int(x % y);
      }
    }
    case Kind::kUint: {
      std::uint64_t x = a.AsUint(), y = b.AsUint(), r = 0;
      switch (op) {
        case Op::kAdd:
          if (__builtin_add_overflow(x, y, &r)) return Overflow();
          return Value::Uint(r);
        case Op::kSub:
          if (__builtin_sub_overflow(x, y, &r)) return Overflow();
          return Value::Uint(r);
        case Op::kMul:
          if (__builtin_mul_overflow(x, y, &r)) return Overflow();
          return Value::Uint(r);
        case Op::kDiv:
          if (y == 0) return Value::Error("division by zero");
          return Value::Uint(x / y);
        default:
          if (y == 0) return Value::Error("modulus by zero");
          return Value::Uint(x % y);
      }
    }
    case Kind::kDouble: {
      double x = a.AsDouble(), y = b.AsDouble();
      switch (op) {
        case Op::kAdd:
          return Value::Double(x + y);
        case Op::kSub:
          return Value::Double(x - y);
        case Op::kMul:
          return Value::Double(x * y);
        case Op::kDiv:
          return Value::Double(x / y);
        default:
          return NoOverload(name, args);
      }
    }
    case Kind::kString:
    case Kind::kBytes: {
      if (op != Op::kAdd) return NoOverload(name, args);
      // Checked before anything is allocated.
      if (a.Size() + b.AsString().size() > budget.max_value_size()) return ValueTooLarge(budget);
      if (!budget.Charge((a.AsString().size() + b.AsString().size()) / 16)) return Value();
      std::string joined;
      joined.reserve(a.AsString().size() + b.AsString().size());
      joined.append(a.AsString());
      joined.append(b.AsString());
      return a.kind() == Kind::kString ? Value::String(std::move(joined))
                                       : Value::Bytes(std::move(joined));
    }
    case Kind::kList: {
      if (op != Op::kAdd) return NoOverload(name, args);
      if (a.Size() + b.Size() - 1 > budget.max_value_size()) return ValueTooLarge(budget);
      if (!budget.Charge(a.AsList().size() + b.AsList().size())) return Value();
      std::vector<Value> joined;
      joined.reserve(a.AsList().size() + b.AsList().size());
      joined.insert(joined.end(), a.AsList().begin(), a.AsList().end());
      joined.insert(joined.end(), b.AsList().begin(), b.AsList().end());
      return Value::List(std::move(joined));
    }
    default:
      return NoOverload(name, args);
  }
}

Value Index(std::span<const Value> args, Budget& budget) {
  const Value& container = args[0];
  const Value& key = args[1];
  if (container.kind() == Kind::kList) {
    std::int64_t index;
    if (key.kind() == Kind::kInt) {
      index = key.AsInt();
    } else if (key.kind() == Kind::kUint) {
      if (key.AsUint() > static_cast<std::uint64_t>(INT64_MAX)) {
        return Value::Error("index out of range: " + std::to_string(key.AsUint()));
      }
      index = static_cast<std::int64_t>(key.AsUint());
    } else if (key.kind() == Kind::kDouble) {
      double d = key.AsDouble();
      if (std::floor(d) != d || d < -9.2e18 || d > 9.2e18) {
        return Value::Error("unsupported index value: " + FormatDouble(d));
      }
      index = static_cast<std::int64_t>(d);
    } else {
      return NoOverload("_[_]", args);
    }
    const auto& list = container.AsList();
    if (index < 0 || static_cast<std::uint64_t>(index) >= list.size()) {
      return Value::Error("index out of range: " + std::to_string(index));
    }
    return list[static_cast<std::size_t>(index)];
  }
  if (container.kind() == Kind::kMap) {
    const Value* found = MapFind(container.AsMap(), key, budget);
    if (found == nullptr) {
      std::string shown = key.kind() == Kind::kString ? Shown(key.AsString())
                          : key.kind() == Kind::kInt  ? std::to_string(key.AsInt())
                          : key.kind() == Kind::kUint ? std::to_string(key.AsUint())
                                                      : std::string(KindName(key.kind()));
      return Value::Error("no such key: " + shown);
    }
    return *found;
  }
  if (container.kind() == Kind::kObject && key.kind() == Kind::kString) {
    return SelectField(container, key.AsString(), budget);
  }
  return NoOverload("_[_]", args);
}

Value In(std::span<const Value> args, Budget& budget) {
  const Value& element = args[0];
  const Value& container = args[1];
  if (container.kind() == Kind::kList) {
    for (const Value& v : container.AsList()) {
      if (Equal(v, element, budget)) return Value::Bool(true);
      if (budget.exhausted()) break;
    }
    return Value::Bool(false);
  }
  if (container.kind() == Kind::kMap) {
    return Value::Bool(MapFind(container.AsMap(), element, budget) != nullptr);
  }
  return NoOverload("@in", args);
}

bool ParseInt64(std::string_view s, std::int64_t& out) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size() && !s.empty();
}

bool ParseUint64(std::string_view s, std::uint64_t& out) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (!s.empty() && s[0] == '-') return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size() && !s.empty();
}

Value ToInt(std::span<const Value> args, Budget& budget) {
  const Value& v = args[0];
  switch (v.kind()) {
    case Kind::kInt:
      return v;
    case Kind::kUint:
      if (v.AsUint() > static_cast<std::uint64_t>(INT64_MAX))
        return Value::Error("range error converting " + std::to_string(v.AsUint()) + " to int");
      return Value::Int(static_cast<std::int64_t>(v.AsUint()));
    case Kind::kDouble: {
      double d = v.AsDouble();
      if (std::isnan(d) || d <= -9223372036854775809.0 || d >= 9223372036854775808.0) {
        return Value::Error("range error converting " + FormatDouble(d) + " to int");
      }
      return Value::Int(static_cast<std::int64_t>(d));
    }
    case Kind::kString: {
      std::int64_t out;
      if (!budget.Charge(v.AsString().size() / 16)) return Value();
      if (!ParseInt64(v.AsString(), out)) {
        return Value::Error("cannot convert '" + Shown(v.AsString()) + "' to int");
      }
      return Value::Int(out);
    }
    default:
      return NoOverload("int", args);
  }
}

Value ToUint(std::span<const Value> args, Budget& budget) {
  const Value& v = args[0];
  switch (v.kind()) {
    case Kind::kUint:
      return v;
    case Kind::kInt:
      if (v.AsInt() < 0)
        return Value::Error("range error converting " + std::to_string(v.AsInt()) + " to uint");
      return Value::Uint(static_cast<std::uint64_t>(v.AsInt()));
    case Kind::kDouble: {
      double d = v.AsDouble();
      if (std::isnan(d) || d <= -1.0 || d >= 18446744073709551616.0) {
        return Value::Error("range error converting " + FormatDouble(d) + " to uint");
      }
      return Value::Uint(static_cast<std::uint64_t>(d));
    }
    case Kind::kString: {
      std::uint64_t out;
      if (!budget.Charge(v.AsString().size() / 16)) return Value();
      if (!ParseUint64(v.AsString(), out)) {
        return Value::Error("cannot convert '" + Shown(v.AsString()) + "' to uint");
      }
      return Value::Uint(out);
    }
    default:
      return NoOverload("uint", args);
  }
}

Value ToDouble(std::span<const Value> args, Budget& budget) {
  const Value& v = args[0];
  switch (v.kind()) {
    case Kind::kDouble:
      return v;
    case Kind::kInt:
      return Value::Double(static_cast<double>(v.AsInt()));
    case Kind::kUint:
      return Value::Double(static_cast<double>(v.AsUint()));
    case Kind::kString: {
      std::string_view text = v.AsString();
      if (!budget.Charge(text.size() / 16)) return Value();
      if (text == "NaN") return Value::Double(std::numeric_limits<double>::quiet_NaN());
      if (text == "Infinity" || text == "+Infinity" || text == "inf" || text == "+inf") {
        return Value::Double(std::numeric_limits<double>::infinity());
      }
      if (text == "-Infinity" || text == "-inf") {
        return Value::Double(-std::numeric_limits<double>::infinity());
      }
      double out = 0;
      std::string_view s = text;
      if (!s.empty() && s[0] == '+') s.remove_prefix(1);
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (s.empty() || ptr != s.data() + s.size() ||
          (ec != std::errc() && ec != std::errc::result_out_of_range)) {
        return Value::Error("cannot convert '" + Shown(text) + "' to double");
      }
      return Value::Double(out);
    }
    default:
      return NoOverload("double", args);
  }
}

Value ToString(std::span<const Value> args, Budget& budget) {
  const Value& v = args[0];
  switch (v.kind()) {
    case Kind::kString:
      return v;
    case Kind::kInt:
      return Value::String(std::to_string(v.AsInt()));
    case Kind::kUint:
      return Value::String(std::to_string(v.AsUint()));
    case Kind::kDouble:
      return Value::String(FormatDouble(v.AsDouble()));
    case Kind::kBool:
      return Value::String(v.AsBool() ? "true" : "false");
    case Kind::kBytes:
      if (!budget.Charge(v.AsString().size() / 16)) return Value();
      if (detail::FindInvalidUtf8(v.AsString()) != std::string_view::npos) {
        return Value::Error("invalid UTF-8 in bytes, cannot convert to string");
      }
      return Value::String(std::string(v.AsString()));
    default:
      return NoOverload("string", args);
  }
}

// bool(): the spellings CEL accepts (those of Go's strconv.ParseBool).
Value ToBool(std::span<const Value> args) {
  const Value& v = args[0];
  if (v.kind() == Kind::kBool) return v;
  if (v.kind() != Kind::kString) return NoOverload("bool", args);
  std::string_view s = v.AsString();
  if (s == "1" || s == "t" || s == "true" || s == "TRUE" || s == "True") return Value::Bool(true);
  if (s == "0" || s == "f" || s == "false" || s == "FALSE" || s == "False") {
    return Value::Bool(false);
  }
  return Value::Error("type conversion error: cannot convert '" + Shown(s) + "' to bool");
}

// bytes(): a string's UTF-8 encoding.
Value ToBytes(std::span<const Value> args, Budget& budget) {
  const Value& v = args[0];
  if (v.kind() == Kind::kBytes) return v;
  if (v.kind() != Kind::kString) return NoOverload("bytes", args);
  if (!budget.Charge(v.AsString().size() / 16)) return Value();
  return Value::Bytes(std::string(v.AsString()));
}

}  // namespace

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  // Shortest round-trip digits, laid out like Go's %g: exponent form when the decimal
  // exponent is below -4 or at least 21, plain digits otherwise.
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), d, std::chars_format::scientific);
  std::string sci(buffer, result.ptr);
  std::size_t e = sci.find('e');
  std::string mantissa = sci.substr(0, e);
  int exponent = std::stoi(sci.substr(e + 1));
  bool negative = mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits += c;
  }
  std::string out = negative ? "-" : "";
  if (exponent < -4 || exponent >= 21) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp[16];
    std::snprintf(exp, sizeof(exp), "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    return out + exp;
  }
  if (exponent < 0) {
    return out + "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
  }
  std::size_t int_digits = static_cast<std::size_t>(exponent) + 1;
  if (digits.size() <= int_digits) {
    return out + digits + std::string(int_digits - digits.size(), '0');
  }
  return out + digits.substr(0, int_digits) + "." + digits.substr(int_digits);
}

Value ValueTooLarge(const Budget& budget) {
  return Value::Error("value size limit exceeded: the result would hold more than " +
                      std::to_string(budget.max_value_size()) + " elements and bytes");
}

Value SelectField(const Value& operand, std::string_view field, Budget& budget) {
  if (operand.kind() == Kind::kMap) {
    const Value* found = MapFind(operand.AsMap(), Value::BorrowedString(field), budget);
    if (found == nullptr) return Value::Error("no such key: " + std::string(field));
    return *found;
  }
  if (operand.kind() == Kind::kObject) {
    Value out;
    switch (operand.object_type()->Get(operand.object(), field, out)) {
      case ObjectType::Field::kPresent:
        return out;
      case ObjectType::Field::kAbsent:
        return Value::Error("no such key: " + std::string(field) + " (not set on this " +
                            std::string(operand.object_type()->name()) +
                            "; test with has() first)");
      case ObjectType::Field::kUnknown:
        return Value::Error("no such field '" + std::string(field) + "' on " +
                            std::string(operand.object_type()->name()));
    }
  }
  return Value::Error("type '" + std::string(KindName(operand.kind())) +
                      "' does not support field selection");
}

Value HasField(const Value& operand, std::string_view field, Budget& budget) {
  if (operand.kind() == Kind::kMap) {
    return Value::Bool(MapFind(operand.AsMap(), Value::BorrowedString(field), budget) != nullptr);
  }
  if (operand.kind() == Kind::kObject) {
    Value out;
    switch (operand.object_type()->Get(operand.object(), field, out)) {
      case ObjectType::Field::kPresent:
        return Value::Bool(true);
      case ObjectType::Field::kAbsent:
        return Value::Bool(false);
      case ObjectType::Field::kUnknown:
        return Value::Error("no such field '" + std::string(field) + "' on " +
                            std::string(operand.object_type()->name()));
    }
  }
  return Value::Error("has() does not support type '" + std::string(KindName(operand.kind())) +
                      "'");
}

Value ApplyOp(Op op, std::span<const Value> args, const re2::RE2* regex, Budget& budget) {
  switch (op) {
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
    case Op::kDiv:
    case Op::kMod:
      return Arithmetic(op, args, budget);
    case Op::kNeg: {
      const Value& v = args[0];
      if (v.kind() == Kind::kInt) {
        if (v.AsInt() == INT64_MIN) return Overflow();
        return Value::Int(-v.AsInt());
      }
      if (v.kind() == Kind::kDouble) return Value::Double(-v.AsDouble());
      return NoOverload("-_", args);
    }
    case Op::kEq:
      return Value::Bool(Equal(args[0], args[1], budget));
    case Op::kNe:
      return Value::Bool(!Equal(args[0], args[1], budget));
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
      return Compare(op, args, budget);
    case Op::kIn:
      return In(args, budget);
    case Op::kIndex:
      return Index(args, budget);
    case Op::kSize: {
      const Value& v = args[0];
      switch (v.kind()) {
        case Kind::kString:
          if (!budget.Charge(v.AsString().size() / 16)) return Value();
          return Value::Int(static_cast<std::int64_t>(detail::CountCodePoints(v.AsString())));
        case Kind::kBytes:
          return Value::Int(static_cast<std::int64_t>(v.AsString().size()));
        case Kind::kList:
          return Value::Int(static_cast<std::int64_t>(v.AsList().size()));
        case Kind::kMap:
          return Value::Int(static_cast<std::int64_t>(v.AsMap().entries.size()));
        default:
          return NoOverload("size", args);
      }
    }
    case Op::kContains:
    case Op::kStartsWith:
    case Op::kEndsWith: {
      if (args[0].kind() != Kind::kString || args[1].kind() != Kind::kString) {
        return NoOverload(op == Op::kContains     ? "contains"
                          : op == Op::kStartsWith ? "startsWith"
                                                  : "endsWith",
                          args);
      }
      std::string_view s = args[0].AsString();
      std::string_view t = args[1].AsString();
      if (op == Op::kContains) {
        // The search compares up to |t| bytes at each of |s| positions: charged for that worst
        // case, which for a short needle is the scan of `s`.
        std::uint64_t compared = std::min(s.size(), t.size());
        if (!budget.Charge(MulCap(s.size() / 16 + 1, compared / 16 + 1))) return Value();
        return Value::Bool(s.find(t) != std::string_view::npos);
      }
      if (!budget.Charge(std::min(s.size(), t.size()) / 16)) return Value();
      if (op == Op::kStartsWith) return Value::Bool(s.substr(0, t.size()) == t);
      return Value::Bool(s.size() >= t.size() && s.substr(s.size() - t.size()) == t);
    }
    case Op::kMatches: {
      if (args[0].kind() != Kind::kString || args[1].kind() != Kind::kString) {
        return NoOverload("matches", args);
      }
      // RE2 runs in time linear in the text, times the size of the compiled pattern when its
      // automaton does not fit in memory: charged for the latter.
      std::string_view s = args[0].AsString();
      auto match = [&](const re2::RE2& pattern) {
        std::uint64_t program = static_cast<std::uint64_t>(std::max(pattern.ProgramSize(), 0));
        if (!budget.Charge(MulCap(s.size() / 16 + 1, program / 64 + 1))) return Value();
        return Value::Bool(re2::RE2::PartialMatch(s, pattern));
      };
      if (regex != nullptr) return match(*regex);
      if (!budget.Charge(args[1].AsString().size())) return Value();
      re2::RE2 compiled(std::string(args[1].AsString()), re2::RE2::Quiet);
      if (!compiled.ok()) return Value::Error("invalid regular expression: " + compiled.error());
      return match(compiled);
    }
    case Op::kToInt:
      return ToInt(args, budget);
    case Op::kToUint:
      return ToUint(args, budget);
    case Op::kToDouble:
      return ToDouble(args, budget);
    case Op::kToString:
      return ToString(args, budget);
    case Op::kToBool:
      return ToBool(args);
    case Op::kToBytes:
      return ToBytes(args, budget);
  }
  return Value::Error("unknown operator");
}

}  // namespace provgate::expr
