#include "expr/value.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace provgate::expr {

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kNull:
      return "null_type";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kUint:
      return "uint";
    case Kind::kDouble:
      return "double";
    case Kind::kString:
      return "string";
    case Kind::kBytes:
      return "bytes";
    case Kind::kList:
      return "list";
    case Kind::kMap:
      return "map";
    case Kind::kObject:
      return "object";
    case Kind::kError:
      return "error";
  }
  return "unknown";
}

Value Value::Double(double d) {
  Value v;
  v.kind_ = Kind::kDouble;
  v.d_ = d;
  return v;
}
Value Value::String(std::string s) {
  Value v;
  auto owned = std::make_shared<const std::string>(std::move(s));
  v.kind_ = Kind::kString;
  v.ptr_ = owned->data();
  v.len_ = owned->size();
  v.owner_ = std::move(owned);
  return v;
}
Value Value::BorrowedString(std::string_view s) {
  Value v;
  v.kind_ = Kind::kString;
  v.ptr_ = s.data();
  v.len_ = s.size();
  return v;
}
Value Value::Bytes(std::string s) {
  Value v = String(std::move(s));
  v.kind_ = Kind::kBytes;
  return v;
}
namespace {

// Sizes saturate far below overflow: whatever exceeds a limit is refused anyway.
constexpr std::uint64_t kSizeCap = std::uint64_t{1} << 62;

std::uint64_t AddSize(std::uint64_t a, std::uint64_t b) {
  return a >= kSizeCap - b ? kSizeCap : a + b;
}

Value TooDeep() {
  return Value::Error("value is nested more than " + std::to_string(kMaxValueDepth) +
                      " levels deep");
}

}  // namespace

Value Value::List(std::vector<Value> elements) {
  std::uint32_t depth = 0;
  std::uint64_t size = 1;
  for (const Value& element : elements) {
    depth = std::max(depth, element.depth_);
    size = AddSize(size, element.Size());
  }
  if (depth >= kMaxValueDepth) return TooDeep();
  Value v;
  auto owned = std::make_shared<const std::vector<Value>>(std::move(elements));
  v.kind_ = Kind::kList;
  v.depth_ = depth + 1;
  v.len_ = size;
  v.ptr_ = owned.get();
  v.owner_ = std::move(owned);
  return v;
}
Value Value::Map(MapData map) {
  std::uint32_t depth = 0;
  std::uint64_t size = 1;
  for (const auto& [key, value] : map.entries) {
    depth = std::max({depth, key.depth_, value.depth_});
    size = AddSize(size, AddSize(key.Size(), value.Size()));
  }
  if (depth >= kMaxValueDepth) return TooDeep();
  Value v;
  auto owned = std::make_shared<const MapData>(std::move(map));
  v.kind_ = Kind::kMap;
  v.depth_ = depth + 1;
  v.len_ = size;
  v.ptr_ = owned.get();
  v.owner_ = std::move(owned);
  return v;
}
Value Value::Error(std::string message) {
  Value v = String(std::move(message));
  v.kind_ = Kind::kError;
  return v;
}

namespace {

bool IsNumber(Kind k) { return k == Kind::kInt || k == Kind::kUint || k == Kind::kDouble; }

int Order(auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); }

}  // namespace

int CompareNumbers(const Value& a, const Value& b) {
  if (a.kind() == Kind::kDouble || b.kind() == Kind::kDouble) {
    auto as_double = [](const Value& v) {
      return v.kind() == Kind::kDouble ? v.AsDouble()
             : v.kind() == Kind::kInt  ? static_cast<double>(v.AsInt())
                                       : static_cast<double>(v.AsUint());
    };
    double x = as_double(a);
    double y = as_double(b);
    if (std::isnan(x) || std::isnan(y)) return 2;
    return Order(x, y);
  }
  if (a.kind() == b.kind()) {
    return a.kind() == Kind::kInt ? Order(a.AsInt(), b.AsInt()) : Order(a.AsUint(), b.AsUint());
  }
  if (a.kind() == Kind::kInt) {
    return a.AsInt() < 0 ? -1 : Order(static_cast<std::uint64_t>(a.AsInt()), b.AsUint());
  }
  return b.AsInt() < 0 ? 1 : Order(a.AsUint(), static_cast<std::uint64_t>(b.AsInt()));
}

bool Equal(const Value& a, const Value& b, Budget& budget) {
  if (!budget.Charge(1)) return false;
  if (IsNumber(a.kind()) && IsNumber(b.kind())) return CompareNumbers(a, b) == 0;
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return a.AsBool() == b.AsBool();
    case Kind::kString:
    case Kind::kBytes:
      if (a.AsString().size() != b.AsString().size()) return false;
      return budget.Charge(a.AsString().size() / 16) && a.AsString() == b.AsString();
    case Kind::kList: {
      // Recursion is bounded by kMaxValueDepth; the work by the budget.
      const auto& x = a.AsList();
      const auto& y = b.AsList();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!Equal(x[i], y[i], budget)) return false;
      }
      return true;
    }
    case Kind::kMap: {
      const auto& x = a.AsMap();
      const auto& y = b.AsMap();
      if (x.entries.size() != y.entries.size()) return false;
      for (const auto& [key, value] : x.entries) {
        const Value* other = MapFind(y, key, budget);
        if (other == nullptr || !Equal(value, *other, budget)) return false;
      }
      return true;
    }
    case Kind::kObject:
      return a.object_type() == b.object_type() && a.object() == b.object();
    default:
      return false;
  }
}

const Value* MapFind(const MapData& map, const Value& key, Budget& budget) {
  for (const auto& entry : map.entries) {
    if (Equal(entry.first, key, budget)) return &entry.second;
    if (budget.exhausted()) return nullptr;
  }
  return nullptr;
}

}  // namespace provgate::expr
