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

struct MapData {
  std::vector<std::pair<Value, Value>> entries;  // Insertion order; keys are unique.
};

// A CEL value. Scalars are held inline; strings may borrow their bytes from facts that
// outlive the evaluation (no copy on the hot path) or own them; lists and maps are shared and
// immutable; errors carry their message. Copying a Value never copies the payload.
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

 private:
  Kind kind_ = Kind::kNull;
  union {
    bool b_;
    std::int64_t i_ = 0;
    std::uint64_t u_;
    double d_;
  };
  const void* ptr_ = nullptr;
  std::size_t len_ = 0;
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
};

// Equality per CEL: numbers compare by value across int, uint and double; values of
// different kinds are unequal.
bool Equal(const Value& a, const Value& b);

// Finds `key` in a map (numeric keys match across int and uint); nullptr when absent.
const Value* MapFind(const MapData& map, const Value& key);

}  // namespace provgate::expr

#endif  // PROVGATE_EXPR_VALUE_H_
