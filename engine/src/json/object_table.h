// Table-driven reading of JSON objects: an object's schema written as a table of its fields
// (key, whether it is required, how its value is read into the typed result), and one loop
// that reads any object against its table. Unknown, repeated and missing keys are reported
// by the loop, in the order of the table, so that each table mirrors a schema's `properties`
// and `required`.
#ifndef PROVGATE_JSON_OBJECT_TABLE_H_
#define PROVGATE_JSON_OBJECT_TABLE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

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
// table entry. Does not report missing fields: see ReportMissing.
template <typename T, std::size_t N>
ObjectRead ReadFields(ValidatingWalker& walker, ValidatingWalker::Value& value,
                      std::string_view what, const std::array<FieldReader<T>, N>& fields, T& out) {
  static_assert(N <= 32, "ObjectRead::present has 32 bits");
  ObjectRead read;
  read.ok = walker.ForEachField(
      value, what,
      [&](std::string_view key, ValidatingWalker::Value& field_value) {
        for (std::size_t i = 0; i < N; ++i) {
          if (fields[i].key == key) {
            read.present |= std::uint32_t{1} << i;
            fields[i].read(walker, field_value, out);
            return true;
          }
        }
        return false;
      },
      &read.at);
  return read;
}

// Reports each required field of the table that `read` did not find, in the table's order.
// Nothing is reported for an object that could not be read.
template <typename T, std::size_t N>
void ReportMissing(ValidatingWalker& walker, const ObjectRead& read,
                   const std::array<FieldReader<T>, N>& fields) {
  if (!read.ok || walker.fatal()) return;
  for (std::size_t i = 0; i < N; ++i) {
    if (fields[i].required && !read.Has(i)) walker.Missing(read.at, fields[i].key);
  }
}

// ReadFields, then ReportMissing.
template <typename T, std::size_t N>
ObjectRead ReadObject(ValidatingWalker& walker, ValidatingWalker::Value& value,
                      std::string_view what, const std::array<FieldReader<T>, N>& fields, T& out) {
  ObjectRead read = ReadFields(walker, value, what, fields, out);
  ReportMissing(walker, read, fields);
  return read;
}

}  // namespace provgate::detail

#endif  // PROVGATE_JSON_OBJECT_TABLE_H_
