// Table-driven reading of JSON objects: an object's schema written as a table of its fields
// (key, whether it is required, how its value is read into the typed result), and one loop
// that reads any object against its table. Unknown, repeated and missing keys are reported
// by the loop, in the order of the table, so that each table mirrors a schema's `properties`
// and `required`. A key is found in its table with one probe of an index computed when the
// program is compiled (json/field_index).
#ifndef PROVGATE_JSON_OBJECT_TABLE_H_
#define PROVGATE_JSON_OBJECT_TABLE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "json/field_index.h"
#include "json/validating_walker.h"

namespace provgate::detail {

// One field of an object that is read into a `T`.
template <typename T>
struct FieldReader {
  std::string_view key;
  bool required;
  void (*read)(ValidatingWalker& walker, ValidatingWalker::Value& value, T& out);
};

// What reading one object found besides its fields' values.
struct ObjectRead {
  // An object, read to its end (false when it is another type or malformed).
  bool ok = false;
  // The object's position (its opening brace), for diagnostics about the whole object.
  const char* at = nullptr;
  // Bit i: the table's field i was given.
  std::uint32_t present = 0;

  bool Has(std::size_t field) const { return ((present >> field) & 1u) != 0; }
};

// Reads the fields of the object `value` ("an object for `what`") into `out`, each with its
// entry of the table `kFields` (a `constexpr std::array<FieldReader<T>, N>`). Does not report
// missing fields: see ReportMissing.
template <const auto& kFields, typename T>
ObjectRead ReadFields(ValidatingWalker& walker, ValidatingWalker::Value& value,
                      std::string_view what, T& out) {
  constexpr std::size_t kCount = std::tuple_size_v<std::remove_cvref_t<decltype(kFields)>>;
  static_assert(kCount <= 32, "ObjectRead::present has 32 bits");
  static constexpr FieldIndex<kCount> kIndex(kFields);
  ObjectRead read;
  read.ok = walker.ForEachKnownField(
      value, what, [](std::string_view key) { return kIndex.Find(key); },
      [&](int field, ValidatingWalker::Value& field_value) {
        kFields[static_cast<std::size_t>(field)].read(walker, field_value, out);
      },
      read.present, &read.at);
  return read;
}

// Reports each required field of the table `kFields` that `read` did not find, in the
// table's order. Nothing is reported for an object that could not be read.
template <const auto& kFields>
void ReportMissing(ValidatingWalker& walker, const ObjectRead& read) {
  constexpr std::uint32_t kRequired = [] {
    std::uint32_t bits = 0;
    for (std::size_t i = 0; i < kFields.size(); ++i) {
      if (kFields[i].required) bits |= std::uint32_t{1} << i;
    }
    return bits;
  }();
  if ((read.present & kRequired) == kRequired || !read.ok || walker.fatal()) return;
  for (std::size_t i = 0; i < kFields.size(); ++i) {
    if (kFields[i].required && !read.Has(i)) walker.Missing(read.at, kFields[i].key);
  }
}

// ReadFields, then ReportMissing.
template <const auto& kFields, typename T>
ObjectRead ReadObject(ValidatingWalker& walker, ValidatingWalker::Value& value,
                      std::string_view what, T& out) {
  ObjectRead read = ReadFields<kFields>(walker, value, what, out);
  ReportMissing<kFields>(walker, read);
  return read;
}

}  // namespace provgate::detail

#endif  // PROVGATE_JSON_OBJECT_TABLE_H_
