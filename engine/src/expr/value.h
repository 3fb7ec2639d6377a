// Values of the rule expression language (a subset of CEL) and the interface through which
// native facts are exposed to expressions without being copied.
#ifndef PROVGATE_EXPR_VALUE_H_
#define PROVGATE_EXPR_VALUE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace provgate::expr {

// Limits that keep every value small enough to compare, print and destroy without deep
// recursion or unbounded work (rules/README.md, "Limits").
//
// Lists and maps nest at most this many levels: Value::List and Value::Map return an error
// for anything deeper, so no value anywhere is deeper, and the functions that walk values
// recursively (equality, printing, destruction) never recurse further than this.
inline constexpr std::uint32_t kMaxValueDepth = 100;
// The default bound on Value::Size() of what an evaluation builds (EvalOptions).
inline constexpr std::uint64_t kDefaultMaxValueSize = 1'000'000;

enum class Kind : std::uint8_t {
  kNull,
  kBool,
  kInt,
  kUint,
  kDouble,
  kString,
  kBytes,
  kList,
  kMap,
  kObject,
  kError
};

std::string_view KindName(Kind kind);

class Value;
class ObjectType;

// The work an evaluation may still do, shared by everything that works on its values. Every
// node visited, every element compared, copied or printed, and every 16 bytes of string work
// is charged; once the budget is spent, operations stop early and the evaluation ends with a
// cost error. `max_value_size` bounds the values an evaluation builds (see Value::Size()).
class Budget {
 public:
  explicit Budget(std::uint64_t cost_limit, std::uint64_t max_value_size = kDefaultMaxValueSize)
      : remaining_(cost_limit), max_value_size_(max_value_size) {}

  // Charges `units`; returns false, and stays exhausted, when the budget does not cover them.
  bool Charge(std::uint64_t units) {
    if (units > remaining_) {
      remaining_ = 0;
      exhausted_ = true;
      return false;
    }
    remaining_ -= units;
    return true;
  }
  bool exhausted() const { return exhausted_; }
  // Whether Charge(units) would succeed; charges nothing.
  bool Covers(std::uint64_t units) const { return units <= remaining_; }
  std::uint64_t max_value_size() const { return max_value_size_; }

 private:
  std::uint64_t remaining_;
  std::uint64_t max_value_size_;
  bool exhausted_ = false;
};

struct MapData {
  std::vector<std::pair<Value, Value>> entries;  // Insertion order; keys are unique.
};

// A CEL value. Scalars are held inline; strings may borrow their bytes from facts that
// outlive the evaluation (no copy on the hot path) or own them; lists and maps are shared and
// immutable; errors carry their message. Copying a Value never copies the payload.
//
// Lists and maps know their depth and size when they are made, so limits are checked in
// constant time and without walking shared parts again.
class Value {
 public:
  Value() = default;

  static Value Null() { return Value(); }
  static Value Bool(bool b);
  static Value Int(std::int64_t i);
  static Value Uint(std::uint64_t u);
  static Value Double(double d);
  static Value String(std::string s);
  // Borrows `s`: the caller guarantees the bytes outlive every use of the value.
  static Value BorrowedString(std::string_view s);
  static Value Bytes(std::string s);
  // A list or map of the given elements. Returns an error value instead when the result would
  // nest more than kMaxValueDepth levels.
  static Value List(std::vector<Value> elements);
  static Value Map(MapData map);
  // Borrows `object`, described by `type`.
  static Value Object(const ObjectType* type, const void* object);
  static Value Error(std::string message);

  Kind kind() const { return kind_; }
  bool is_error() const { return kind_ == Kind::kError; }
  bool AsBool() const { return b_; }
  std::int64_t AsInt() const { return i_; }
  std::uint64_t AsUint() const { return u_; }
  double AsDouble() const { return d_; }
  std::string_view AsString() const { return {static_cast<const char*>(ptr_), len_}; }
  const std::vector<Value>& AsList() const { return *static_cast<const std::vector<Value>*>(ptr_); }
  const MapData& AsMap() const { return *static_cast<const MapData*>(ptr_); }
  const ObjectType* object_type() const { return object_type_; }
  const void* object() const { return ptr_; }
  std::string_view ErrorMessage() const { return AsString(); }

  // Levels of lists and maps: 0 for anything else, 1 for a list of scalars.
  std::uint32_t Depth() const { return depth_; }
  // How much the value holds, counting a shared part as often as it is reachable: 1 for the
  // value itself, plus one per byte of a string or bytes, plus the sizes of a list's elements
  // or of a map's keys and values. What equality and printing may have to walk.
  std::uint64_t Size() const {
    switch (kind_) {
      case Kind::kString:
      case Kind::kBytes:
        return 1 + len_;
      case Kind::kList:
      case Kind::kMap:
        return len_;
      default:
        return 1;
    }
  }

 private:
  Kind kind_ = Kind::kNull;
  std::uint32_t depth_ = 0;  // Lists and maps.
  union {
    bool b_;
    std::int64_t i_ = 0;
    std::uint64_t u_;
    double d_;
  };
  const void* ptr_ = nullptr;
  std::size_t len_ = 0;  // Strings: length in bytes; lists and maps: Size().
  const ObjectType* object_type_ = nullptr;
  std::shared_ptr<const void> owner_;
};

// How a native structure is seen from expressions: as a read-only message whose fields can be
// selected, tested with has(), and listed.
class ObjectType {
 public:
  virtual ~ObjectType() = default;
  virtual std::string_view name() const = 0;
  enum class Field { kPresent, kAbsent, kUnknown };
  // Looks up `field`; sets `out` when present.
  virtual Field Get(const void* object, std::string_view field, Value& out) const = 0;
  // Names of the fields present on `object`, in a stable order.
  virtual std::vector<std::string_view> FieldNames(const void* object) const = 0;

  // Fields by position, for expressions bound ahead of evaluation (Program::Bind). A type
  // that numbers its fields returns a field's position, or -1 for a name it does not have;
  // GetAt(object, FieldIndex(name), out) must then answer exactly as Get(object, name, out).
  // FieldType gives the type of the objects a field holds, when there is one.
  virtual int FieldIndex(std::string_view /*field*/) const { return -1; }
  virtual Field GetAt(const void* /*object*/, int /*index*/, Value& /*out*/) const {
    return Field::kUnknown;
  }
  virtual const ObjectType* FieldType(int /*index*/) const { return nullptr; }
};

// Scalars and objects are made inline: every node of every condition makes one.
inline Value Value::Bool(bool b) {
  Value v;
  v.kind_ = Kind::kBool;
  v.b_ = b;
  return v;
}
inline Value Value::Int(std::int64_t i) {
  Value v;
  v.kind_ = Kind::kInt;
  v.i_ = i;
  return v;
}
inline Value Value::Uint(std::uint64_t u) {
  Value v;
  v.kind_ = Kind::kUint;
  v.u_ = u;
  return v;
}
inline Value Value::Object(const ObjectType* type, const void* object) {
  Value v;
  v.kind_ = Kind::kObject;
  v.object_type_ = type;
  v.ptr_ = object;
  return v;
}

// Three-way comparison of two numbers (int, uint or double): -1, 0 or 1, or 2 when either is
// NaN. Integers compare exactly with each other; an integer compares with a double as the
// nearest double, as CEL's reference implementations and its conformance tests do (so
// 9223372036854775807 equals 9223372036854775808.0, the double it rounds to).
int CompareNumbers(const Value& a, const Value& b);

// Equality per CEL: numbers compare by value across int, uint and double; values of
// different kinds are unequal. Charges `budget` for every pair of values compared and for the
// bytes of strings; when it runs out, returns false with the budget exhausted.
bool Equal(const Value& a, const Value& b, Budget& budget);

// Finds `key` in a map (numeric keys match across int and uint); nullptr when absent (or when
// `budget` runs out, which leaves it exhausted).
const Value* MapFind(const MapData& map, const Value& key, Budget& budget);

}  // namespace provgate::expr

#endif  // PROVGATE_EXPR_VALUE_H_
