// The tables that expose native structures to rule expressions. Each field of a table has a
// name, a type and a description, which `provgate explain --facts` lists, and a getter, which
// binds it: the listing and the binding are the same table, so they cannot differ.
#ifndef PROVGATE_POLICY_FACTS_TABLE_H_
#define PROVGATE_POLICY_FACTS_TABLE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "expr/value.h"

namespace provgate::detail {

class FactTable;

// A field as `explain --facts` lists it.
struct FactField {
  std::string_view name;
  std::string_view type;  // bool, int, uint, string, list of string, or an object's type
  std::string_view description;
  // The fields of an object, or of each object of a list; null for other values.
  const FactTable* nested = nullptr;
};

// An object type of the rule language whose fields are described.
class FactTable : public expr::ObjectType {
 public:
  virtual std::vector<FactField> Fields() const = 0;
};

// A FactTable over a native type T: one getter per field.
template <typename T>
class TableType final : public FactTable {
 public:
  struct FieldDef {
    std::string_view name;
    std::string_view type;
    std::string_view description;
    Field (*get)(const T& object, expr::Value& out);
    const FactTable& (*nested)() = nullptr;
  };
  TableType(std::string_view name, std::vector<FieldDef> fields)
      : name_(name), fields_(std::move(fields)) {
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      buckets_[Bucket(fields_[i].name)].push_back(static_cast<std::uint8_t>(i));
    }
  }

  std::string_view name() const override { return name_; }
  // Every field access of every rule on every source comes here: the name's length and end
  // bytes pick a bucket, which nearly always holds the one field to compare with.
  Field Get(const void* object, std::string_view field, expr::Value& out) const override {
    if (field.empty()) return Field::kUnknown;
    for (std::uint8_t i : buckets_[Bucket(field)]) {
      if (fields_[i].name == field) return fields_[i].get(*static_cast<const T*>(object), out);
    }
    return Field::kUnknown;
  }
  // Rule programs are bound to these positions when the pack is compiled (Program::Bind), so
  // that evaluating them does not look fields up by name.
  int FieldIndex(std::string_view field) const override {
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      if (fields_[i].name == field) return static_cast<int>(i);
    }
    return -1;
  }
  Field GetAt(const void* object, int index, expr::Value& out) const override {
    if (index < 0 || static_cast<std::size_t>(index) >= fields_.size()) return Field::kUnknown;
    return fields_[static_cast<std::size_t>(index)].get(*static_cast<const T*>(object), out);
  }
  const expr::ObjectType* FieldType(int index) const override {
    if (index < 0 || static_cast<std::size_t>(index) >= fields_.size()) return nullptr;
    const auto& def = fields_[static_cast<std::size_t>(index)];
    // A list of objects has no fields to select; only an object-valued field has a type.
    if (def.nested == nullptr || def.type.substr(0, 8) == "list of ") return nullptr;
    return &def.nested();
  }
  std::vector<std::string_view> FieldNames(const void* object) const override {
    std::vector<std::string_view> names;
    expr::Value ignored;
    for (const auto& def : fields_) {
      if (def.get(*static_cast<const T*>(object), ignored) == Field::kPresent) {
        names.push_back(def.name);
      }
    }
    return names;
  }
  std::vector<FactField> Fields() const override {
    std::vector<FactField> fields;
    for (const auto& def : fields_) {
      fields.push_back({def.name, def.type, def.description, def.nested ? &def.nested() : nullptr});
    }
    return fields;
  }

 private:
  static std::size_t Bucket(std::string_view name) {
    auto first = static_cast<unsigned char>(name.front());
    auto last = static_cast<unsigned char>(name.back());
    return (name.size() * 31 + first * 7 + last) % kBuckets;
  }
  static constexpr std::size_t kBuckets = 64;

  std::string_view name_;
  std::vector<FieldDef> fields_;
  std::array<std::vector<std::uint8_t>, kBuckets> buckets_;
};

// Getters' helpers: each sets `out` and says whether the field is present.
using FactPresence = expr::ObjectType::Field;

inline FactPresence Str(std::string_view s, expr::Value& out) {
  out = expr::Value::BorrowedString(s);
  return FactPresence::kPresent;
}
inline FactPresence OptStr(const std::optional<std::string>& s, expr::Value& out) {
  if (!s) return FactPresence::kAbsent;
  out = expr::Value::BorrowedString(*s);
  return FactPresence::kPresent;
}
inline FactPresence Bool(bool b, expr::Value& out) {
  out = expr::Value::Bool(b);
  return FactPresence::kPresent;
}
inline FactPresence Uint(std::uint64_t n, expr::Value& out) {
  out = expr::Value::Uint(n);
  return FactPresence::kPresent;
}
inline FactPresence Count(const std::optional<std::uint64_t>& n, expr::Value& out) {
  if (!n) return FactPresence::kAbsent;
  return Uint(*n, out);
}
template <typename T>
FactPresence Object(const expr::ObjectType& type, const T* object, expr::Value& out) {
  if (object == nullptr) return FactPresence::kAbsent;
  out = expr::Value::Object(&type, object);
  return FactPresence::kPresent;
}
template <typename T>
expr::Value ObjectList(const expr::ObjectType& type, const std::vector<T>& items) {
  std::vector<expr::Value> values;
  values.reserve(items.size());
  for (const T& item : items) values.push_back(expr::Value::Object(&type, &item));
  return expr::Value::List(std::move(values));
}
// A list of objects, absent when empty.
template <typename T>
FactPresence NonEmptyList(const expr::ObjectType& type, const std::vector<T>& items,
                          expr::Value& out) {
  if (items.empty()) return FactPresence::kAbsent;
  out = ObjectList(type, items);
  return FactPresence::kPresent;
}

// The manifest's own structures (facts_manifest.cc), as the computed views embed them.
const FactTable& ReleaseFacts();
const FactTable& CheckpointFacts();
const FactTable& PermissionFacts();
const FactTable& AcquisitionFacts();
const FactTable& GeneratedByFacts();
const FactTable& SizeFacts();
const FactTable& DigestFacts();  // Over a Source: its digest.sha256.
const FactTable& FileFacts();
const FactTable& StageDataFacts();
const FactTable& LineageDataFacts();
// The computed views of sources and of the model (facts.cc).
const FactTable& SourceViewFacts();
const FactTable& ModelViewFacts();

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_FACTS_TABLE_H_
