// ImportBuilder's `provgate:` properties (see import_builder.h): each names a manifest field by
// its JSON pointer; its text is typed by the manifest schema, set at that pointer, and the
// manifest patched with them is read back by the manifest reader.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

#include "interop/import_builder.h"
#include "json/json_writer.h"
#include "manifest/writer.h"

namespace provgate::detail {
namespace {

// How a property's text is typed: the manifest schema's type of the field it names.
enum class PropertyType { kString, kInteger, kNumber, kBoolean };

// An array index as a JSON pointer writes it: digits, no leading zero.
bool IsIndex(std::string_view token) {
  if (token.empty() || token.size() > 9 || (token.size() > 1 && token[0] == '0')) return false;
  return std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The reference tokens of a JSON pointer written without its leading `/` (`stages/0/id`).
bool SplitPointer(std::string_view pointer, std::vector<std::string>& tokens) {
  tokens.clear();
  if (pointer.empty()) return false;
  std::string token;
  for (std::size_t i = 0; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      if (token.empty()) return false;
      tokens.push_back(std::move(token));
      token.clear();
    } else if (pointer[i] == '~') {
      if (i + 1 == pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')) {
        return false;
      }
      token += pointer[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      token += pointer[i];
    }
  }
  return true;
}

// The schema's type of the field at `tokens` in the model or in a source
// (schemas/manifest.schema.json); every field not listed is a string.
PropertyType FieldType(const std::vector<std::string>& tokens, bool model) {
  std::string pattern;
  for (const std::string& t : tokens) {
    if (!pattern.empty()) pattern += '/';
    pattern += IsIndex(t) ? std::string("#") : t;
  }
  if (model) {
    if (pattern == "stages/#/tokens" || pattern == "stages/#/sources/#/tokens") {
      return PropertyType::kInteger;
    }
    if (pattern == "stages/#/sources/#/epochs") return PropertyType::kNumber;
    if (pattern == "lineage/#/ledger") return PropertyType::kBoolean;
    return PropertyType::kString;
  }
  if (pattern == "size/tokens" || pattern == "size/bytes" || pattern == "size/documents" ||
      pattern == "files/#/bytes") {
    return PropertyType::kInteger;
  }
  if (pattern == "permission/grants/training" || pattern == "permission/grants/commercial" ||
      pattern == "permission/grants/closed_weights" ||
      pattern == "permission/survives_termination" || pattern == "acquisition/opt_outs_honored" ||
      pattern == "generated_by/#/terms_allow_training") {
    return PropertyType::kBoolean;
  }
  return PropertyType::kString;
}

// The property's text as a value of `type`; false with the reason when it is not one.
bool TypedValue(const std::string& text, PropertyType type, nlohmann::json& out,
                std::string& problem) {
  switch (type) {
    case PropertyType::kString:
      if (text == "[]") {
        out = nlohmann::json::array();
      } else if (text == "{}") {
        out = nlohmann::json::object();
      } else {
        out = text;
      }
      return true;
    case PropertyType::kInteger: {
      std::uint64_t n = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        problem = "the value '" + text + "' is not a non-negative integer";
        return false;
      }
      out = n;
      return true;
    }
    case PropertyType::kNumber: {
      double d = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
          !std::isfinite(d)) {
        problem = "the value '" + text + "' is not a number";
        return false;
      }
      out = d;
      return true;
    }
    case PropertyType::kBoolean:
      if (text != "true" && text != "false") {
        problem = "the value '" + text + "' is not true or false";
        return false;
      }
      out = text == "true";
      return true;
  }
  return false;
}

// Sets `value` at `tokens` below the object `root`, making the objects and lists on the way.
// A list grows one element at a time, so the properties of a list are numbered 0, 1, ...
// without gaps (a property cannot make a list of a billion empty elements).
bool SetAt(nlohmann::json& root, const std::vector<std::string>& tokens, nlohmann::json value,
           std::string& problem) {
  nlohmann::json* node = &root;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    nlohmann::json* child = nullptr;
    if (node->is_array()) {
      if (!IsIndex(token)) {
        problem = "'" + token + "' is not an index of a list";
        return false;
      }
      std::size_t index = std::stoul(token);
      if (index > node->size()) {
        problem = "the list index " + token +
                  " skips an element: a list's properties are numbered from 0 without gaps";
        return false;
      }
      if (index == node->size()) node->push_back(nullptr);
      child = &(*node)[index];
    } else if (node->is_object()) {
      child = &(*node)[token];
    } else {
      problem = "another property gives a value where this one names a field inside it";
      return false;
    }
    if (i + 1 == tokens.size()) {
      if (!child->is_null()) {
        problem = "the field is set twice";
        return false;
      }
      *child = std::move(value);
    } else if (child->is_null()) {
      *child = IsIndex(tokens[i + 1]) ? nlohmann::json::array() : nlohmann::json::object();
    }
    node = child;
  }
  return true;
}

// Merges `overlay` into `target`: objects member by member, anything else (a list, a value)
// replaced whole.
void MergeInto(nlohmann::json& target, const nlohmann::json& overlay) {
  for (auto it = overlay.begin(); it != overlay.end(); ++it) {
    auto found = target.find(it.key());
    if (it.value().is_object() && found != target.end() && found->is_object()) {
      MergeInto(*found, it.value());
    } else {
      target[it.key()] = it.value();
    }
  }
}

// The pointers (without the leading `/`) of the lists in `overlay`, outermost only.
void ListsOf(const nlohmann::json& overlay, const std::string& pointer,
             std::vector<std::string>& out) {
  if (overlay.is_array()) {
    out.push_back(pointer);
    return;
  }
  if (!overlay.is_object()) return;
  for (auto it = overlay.begin(); it != overlay.end(); ++it) {
    ListsOf(it.value(), pointer.empty() ? it.key() : pointer + "/" + it.key(), out);
  }
}

bool UnderOrAt(const std::string& key, const std::string& pointer) {
  return key == pointer || (key.size() > pointer.size() && key[pointer.size()] == '/' &&
                            key.compare(0, pointer.size(), pointer) == 0);
}

}  // namespace

bool ImportBuilder::PropertyPointer(std::string_view name, std::string& pointer) {
  constexpr std::string_view kPrefix = "provgate:";
  pointer.clear();
  if (name.substr(0, kPrefix.size()) != kPrefix) return false;
  std::string_view rest = name.substr(kPrefix.size());
  for (std::string_view ignored : {"report", "finding", "obligation", "decision", "upstream"}) {
    if (rest.substr(0, ignored.size()) == ignored &&
        (rest.size() == ignored.size() || rest[ignored.size()] == '/')) {
      return true;
    }
  }
  pointer = std::string(rest);
  return true;
}

void ImportBuilder::ModelProperty(const std::string& pointer, const std::string& value,
                                  const Origin& origin) {
  model_properties_.push_back({pointer, value, origin});
}

void ImportBuilder::SourceProperty(std::size_t source, const std::string& pointer,
                                   const std::string& value, const Origin& origin) {
  source_properties_[source].push_back({pointer, value, origin});
}

bool ImportBuilder::ApplyProperties() {
  bool any = !model_properties_.empty();
  for (const Properties& p : source_properties_) any = any || !p.empty();
  if (!any) return true;
  bool valid = true;
  auto overlay_of = [&](const Properties& properties, bool model) {
    nlohmann::json overlay = nlohmann::json::object();
    for (const PropertyValue& p : properties) {
      std::vector<std::string> tokens;
      std::string problem;
      nlohmann::json value;
      if (!SplitPointer(p.pointer, tokens)) {
        problem = "'" + p.pointer + "' is not the JSON pointer of a field";
      } else if (TypedValue(p.value, FieldType(tokens, model), value, problem)) {
        SetAt(overlay, tokens, std::move(value), problem);
      }
      if (!problem.empty()) {
        Error(p.origin, "import-property", "property 'provgate:" + p.pointer + "': " + problem);
        valid = false;
      }
    }
    return overlay;
  };
  nlohmann::json model_overlay = overlay_of(model_properties_, true);
  std::vector<nlohmann::json> source_overlays;
  for (const Properties& p : source_properties_) source_overlays.push_back(overlay_of(p, false));
  if (!valid) return false;

  std::string canonical;
  {
    JsonWriter w(canonical, JsonWriter::Canonical{});
    WriteManifest(w, manifest_.header, &manifest_.sources);
  }
  nlohmann::json doc = nlohmann::json::parse(canonical);
  MergeInto(doc["model"], model_overlay);
  nlohmann::json& sources = doc["sources"];
  for (std::size_t i = 0; i < source_overlays.size() && i < sources.size(); ++i) {
    MergeInto(sources[i], source_overlays[i]);
  }
  // Open weights need a licence; none stated is NOASSERTION (as Finish writes it).
  nlohmann::json& release = doc["model"]["release"];
  if (release.is_object() && release.value("weights", "") == "open" &&
      !release.contains("license")) {
    release["license"] = "NOASSERTION";
    ModelNotStated("release/license", "no licence of the weights is stated: NOASSERTION");
  }
  Manifest patched;
  ReadResult read = LoadManifestText(doc.dump(), "<import>", "", patched);
  if (!read.ok()) {
    // Each problem at the property that set the field it is about (or set a field inside it).
    auto origin_of = [&](const std::string& pointer) -> Origin {
      const Origin* fallback = nullptr;
      auto match = [&](const Properties& properties, const std::string& prefix) -> const Origin* {
        for (const PropertyValue& p : properties) {
          std::string full = prefix + p.pointer;
          if (fallback == nullptr) fallback = &p.origin;
          if (UnderOrAt(full, pointer) || UnderOrAt(pointer, full)) return &p.origin;
        }
        return nullptr;
      };
      if (const Origin* o = match(model_properties_, "/model/")) return *o;
      for (std::size_t i = 0; i < source_properties_.size(); ++i) {
        if (const Origin* o = match(source_properties_[i], "/sources/" + std::to_string(i) + "/")) {
          return *o;
        }
      }
      return fallback != nullptr ? *fallback : Origin{};
    };
    if (!read.status.ok()) {
      Error(
          origin_of(""), "import-property",
          "the provgate: properties make a manifest that cannot be read: " + read.status.message());
    }
    for (const Diagnostic& d : read.diagnostics) {
      if (d.severity != Severity::kError) continue;
      Error(origin_of(d.pointer), "import-property",
            "the provgate: properties make an invalid manifest" +
                (d.pointer.empty() ? "" : " at " + d.pointer) + ": " + d.message);
    }
    return false;
  }
  manifest_ = std::move(patched);

  // Where each field now comes from: the property; what the format's fields said of a list
  // the properties rebuilt no longer applies.
  auto record = [](Fields& fields, const Properties& properties, const nlohmann::json& overlay) {
    std::vector<std::string> lists;
    ListsOf(overlay, "", lists);
    for (auto it = fields.begin(); it != fields.end();) {
      bool stale = false;
      for (const std::string& list : lists) stale = stale || UnderOrAt(it->first, list);
      for (const PropertyValue& p : properties) {
        stale = stale || (it->second.not_stated &&
                          (UnderOrAt(it->first, p.pointer) || UnderOrAt(p.pointer, it->first)));
      }
      it = stale ? fields.erase(it) : std::next(it);
    }
    for (const PropertyValue& p : properties) {
      fields[p.pointer] = {p.origin, false, {}, "provgate:" + p.pointer + " property"};
    }
  };
  record(model_fields_, model_properties_, model_overlay);
  for (std::size_t i = 0; i < source_properties_.size(); ++i) {
    record(source_fields_[i], source_properties_[i], source_overlays[i]);
  }
  return true;
}

}  // namespace provgate::detail
