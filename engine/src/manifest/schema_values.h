// Values of the manifest's schema as its tables read them (schema_readers.cc for the model and
// the root, source_readers.cc for sources): enumerations, dates, strings written in the memory
// of earlier ones, digests, and the place where an object's cross-field rules are reported.
#ifndef PROVGATE_MANIFEST_SCHEMA_VALUES_H_
#define PROVGATE_MANIFEST_SCHEMA_VALUES_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "json/object_table.h"
#include "json/validating_walker.h"
#include "manifest/enums.h"
#include "manifest/field_checks.h"
#include "manifest/rules.h"
#include "manifest/schema_readers.h"

namespace provgate::detail::schema {

using W = ValidatingWalker;
using V = ValidatingWalker::Value;

inline std::string JoinNames(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

template <typename E>
bool ReadEnum(W& w, V& value, E& out, std::string_view field) {
  const char* at = w.PositionOf(value);
  std::string_view text;
  if (!w.ViewString(value, text)) return false;
  auto parsed = ParseEnum<E>(text);
  if (!parsed) {
    w.Error(at, "schema-enum",
            "invalid " + std::string(field) + " '" + Excerpt(text) + "': expected one of " +
                JoinNames(EnumNames<E>()));
    return false;
  }
  out = *parsed;
  return true;
}

inline bool ReadDate(W& w, V& value, std::optional<std::string>& out, DateForm form) {
  const char* at = w.PositionOf(value);
  std::string_view text;
  if (!w.ViewString(value, text)) return false;
  if (auto problem = CheckDate(text, form)) {
    w.Error(at, std::string(problem->code), std::move(problem->message));
    return false;
  }
  out.emplace(text);
  return true;
}

// ValidatingWalker::ReadOptString, the string written in `spare`'s memory.
inline bool ReadOptString(W& w, V& value, std::optional<std::string>& out, std::size_t max_length,
                          std::string& spare) {
  const char* at = w.PositionOf(value);
  std::string_view view;
  if (!w.ViewString(value, view)) return false;
  if (!w.CheckMaxLength(at, view, max_length)) return false;
  out.emplace(std::move(spare)).assign(view.data(), view.size());
  return true;
}

// Sets `out` to the string read, valid or not.
inline bool ReadSha256(W& w, V& value, std::string& out) {
  const char* at = w.PositionOf(value);
  if (!w.ReadString(value, out)) return false;
  if (auto problem = CheckSha256(out)) {
    w.Error(at, std::string(problem->code), std::move(problem->message));
    return false;
  }
  return true;
}

// Places the violations of an object's cross-field rules at the object.
class WalkerRuleReport final : public RuleReport {
 public:
  WalkerRuleReport(W& walker, const char* object_at) : walker_(walker), object_at_(object_at) {}
  void Violation(std::string_view code, std::string message) override {
    walker_.Error(object_at_, std::string(code), std::move(message));
  }

 private:
  W& walker_;
  const char* object_at_;
};

// The tables' keys are read as fields, never as extensions (ForEachKnownField).
template <typename T, std::size_t N>
constexpr bool NoExtensionKey(const std::array<FieldReader<T>, N>& fields) {
  for (const FieldReader<T>& field : fields) {
    if (field.key.starts_with(kExtensionPrefix)) return false;
  }
  return true;
}

}  // namespace provgate::detail::schema

#endif  // PROVGATE_MANIFEST_SCHEMA_VALUES_H_
