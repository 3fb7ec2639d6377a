// ImportBuilder (see import_builder.h).
#include "interop/import_builder.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <utility>

#include "crypto/sha256.h"
#include "json/json_writer.h"
#include "license/expression.h"
#include "manifest/writer.h"

namespace provgate::detail {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  });
  return out;
}

std::string Trim(std::string_view text) {
  std::size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  std::size_t e = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(b, e - b + 1));
}

// The path segments of an http(s) URL after its host, lower-cased, without empty segments.
bool UrlParts(std::string_view url, std::string& host, std::vector<std::string>& segments) {
  std::string lower = Lower(url);
  std::string_view rest = lower;
  if (rest.rfind("https://", 0) == 0) {
    rest.remove_prefix(8);
  } else if (rest.rfind("http://", 0) == 0) {
    rest.remove_prefix(7);
  } else {
    return false;
  }
  std::size_t cut = rest.find_first_of("?#");
  if (cut != std::string_view::npos) rest = rest.substr(0, cut);
  std::size_t slash = rest.find('/');
  host = std::string(rest.substr(0, slash));
  if (host.rfind("www.", 0) == 0) host.erase(0, 4);
  segments.clear();
  if (slash == std::string_view::npos) return true;
  rest.remove_prefix(slash + 1);
  while (!rest.empty()) {
    std::size_t next = rest.find('/');
    std::string_view segment = rest.substr(0, next);
    if (!segment.empty()) segments.emplace_back(segment);
    if (next == std::string_view::npos) break;
    rest.remove_prefix(next + 1);
  }
  return true;
}

void CanonicalizeIds(const LicenseClassifier& licenses, LicenseExpression& node) {
  if (node.kind == LicenseExpression::Kind::kLicense ||
      node.kind == LicenseExpression::Kind::kRef) {
    node.id = licenses.CanonicalId(node.id);
    if (node.kind == LicenseExpression::Kind::kLicense && node.id.rfind("LicenseRef-", 0) == 0) {
      node.kind = LicenseExpression::Kind::kRef;
      node.or_later = false;
    }
  }
  for (LicenseExpression& child : node.children) CanonicalizeIds(licenses, child);
}

nlohmann::json FieldJson(const std::string& key, const std::string& file, std::uint32_t line,
                         std::uint32_t column, const std::string& pointer, bool not_stated,
                         const std::string& written, const std::string& note) {
  (void)key;
  nlohmann::json out = nlohmann::json::object();
  if (not_stated) {
    out["stated"] = false;
  } else {
    out["file"] = file;
    if (line != 0) {
      out["line"] = line;
      out["column"] = column;
    }
    if (!pointer.empty() || line == 0) out["pointer"] = pointer;
  }
  if (!written.empty()) out["written"] = written;
  if (!note.empty()) out["note"] = note;
  return out;
}

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

Origin OriginOf(const std::string& file, const JsonNode& node) {
  return {file, node.line, node.column, node.pointer};
}

Origin OriginOf(const std::string& file, const YamlTreeNode& node, std::uint32_t line_offset) {
  return {file, node.line == 0 ? 0 : node.line + line_offset, node.column, node.pointer};
}

std::size_t ImportBuilder::SourceIndex(const std::string& id, bool* created) {
  for (std::size_t i = 0; i < manifest_.sources.size(); ++i) {
    if (manifest_.sources[i].id == id) {
      if (created != nullptr) *created = false;
      return i;
    }
  }
  if (created != nullptr) *created = true;
  return AddSource(id);
}

std::size_t ImportBuilder::AddSource(const std::string& id) {
  Source source;
  source.id = id;
  source.index = manifest_.sources.size();
  manifest_.sources.push_back(std::move(source));
  source_fields_.emplace_back();
  source_extensions_.emplace_back();
  source_properties_.emplace_back();
  return manifest_.sources.size() - 1;
}

bool ImportBuilder::HasSource(const std::string& id) const {
  return std::any_of(manifest_.sources.begin(), manifest_.sources.end(),
                     [&](const Source& s) { return s.id == id; });
}

void ImportBuilder::Record(Fields& fields, const std::string& key, FieldRecord record) {
  fields[key] = std::move(record);
}

void ImportBuilder::ModelField(const std::string& key, const Origin& origin, std::string written,
                               std::string note) {
  Record(model_fields_, key, {origin, false, std::move(written), std::move(note)});
}

void ImportBuilder::SourceField(std::size_t source, const std::string& key, const Origin& origin,
                                std::string written, std::string note) {
  Record(source_fields_[source], key, {origin, false, std::move(written), std::move(note)});
}

void ImportBuilder::ModelNotStated(const std::string& key, std::string note) {
  Record(model_fields_, key, {{}, true, {}, std::move(note)});
}

void ImportBuilder::SourceNotStated(std::size_t source, const std::string& key, std::string note) {
  Record(source_fields_[source], key, {{}, true, {}, std::move(note)});
}

bool ImportBuilder::SourceHas(std::size_t source, const std::string& key) const {
  auto it = source_fields_[source].find(key);
  return it != source_fields_[source].end() && !it->second.not_stated;
}

void ImportBuilder::SourceExtension(std::size_t source, const std::string& key,
                                    ExtensionObject object) {
  source_extensions_[source][key].push_back(std::move(object));
}

void ImportBuilder::ModelExtension(const std::string& key, ExtensionObject object) {
  model_extensions_[key].push_back(std::move(object));
}

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

void ImportBuilder::Unmapped(const Origin& origin, std::string field, std::string reason) {
  UnmappedField u;
  u.file = origin.file;
  u.line = origin.line;
  u.column = origin.column;
  u.pointer = origin.pointer;
  u.field = std::move(field);
  u.reason = std::move(reason);
  unmapped_.push_back(std::move(u));
}

void ImportBuilder::Error(const Origin& origin, std::string code, std::string message) {
  Diagnostic d;
  d.code = std::move(code);
  d.message = std::move(message);
  d.file = origin.file;
  d.line = origin.line;
  d.column = origin.column;
  d.pointer = origin.pointer;
  diagnostics_.push_back(std::move(d));
}

LicenseMapping ImportBuilder::NormalizeLicense(std::string_view written) const {
  std::string text = Trim(written);
  if (text.empty()) return {std::string(written), {}};
  std::string host;
  std::vector<std::string> parts;
  if (UrlParts(text, host, parts)) {
    auto known = [&](const std::string& id) -> std::string {
      if (licenses_.FindSpdx(id) != nullptr) return licenses_.CanonicalId(id);
      std::string canonical = licenses_.CanonicalId(id);
      if (canonical != id) return canonical;  // An alias, or a classified id.
      return {};
    };
    std::string id;
    std::string how;
    if (host == "spdx.org" && parts.size() == 2 && parts[0] == "licenses") {
      std::string name = parts[1];
      for (const char* ext : {".html", ".json"}) {
        std::string_view e(ext);
        if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) {
          name.resize(name.size() - e.size());
        }
      }
      id = known(name);
      how = "the SPDX licence list's page of " + id;
    } else if (host == "creativecommons.org" && parts.size() >= 3 && parts[0] == "licenses") {
      std::string elements = parts[1];
      std::string upper;
      for (char c : elements) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
      id = known("CC-" + upper + "-" + parts[2]);
      how = "the Creative Commons deed of " + id;
    } else if (host == "creativecommons.org" && parts.size() >= 3 && parts[0] == "publicdomain" &&
               parts[1] == "zero") {
      id = known("CC0-" + parts[2]);
      how = "the Creative Commons deed of " + id;
    } else if ((host == "choosealicense.com" || host == "opensource.org") && parts.size() == 2 &&
               parts[0] == "licenses") {
      id = known(parts[1]);
      how = host + "'s page of " + id;
    }
    if (!id.empty()) return {id, "licence URL: " + how};
  }
  LicenseExpression expression;
  LicenseParseError error;
  if (!ParseLicenseExpression(text, expression, error)) {
    // A terms-of-use URL, a licence's name in words: no SPDX expression, so no licence the
    // check can judge. The text stays in the provenance (`written`).
    return {"NOASSERTION", "not an SPDX licence expression, so unknown to the check"};
  }
  CanonicalizeIds(licenses_, expression);
  std::string canonical = expression.ToString();
  if (canonical == written) return {canonical, {}};
  if (Lower(canonical) == Lower(text)) {
    return {canonical, "licence id in its canonical spelling"};
  }
  return {canonical, "licence ids mapped through the pack's licence data (SPDX list, aliases)"};
}

void ImportBuilder::AddInput(const std::string& name, std::string_view text) {
  inputs_.emplace_back(name, Sha256Hex(text));
}

void ImportBuilder::Finish(const ImportOptions& options, ImportResult& result) {
  Model& model = manifest_.header.model;
  manifest_.header.manifest_version = "1";
  if (model.id.empty()) {
    if (!options.model_id.empty()) {
      model.id = options.model_id;
      ModelField("id", {"<options>", 0, 0, ""}, {}, "given by the caller (--model)");
    } else {
      model.id = "unknown";
      ModelNotStated("id", "no input names a model: written 'unknown' (name it with --model)");
    }
  }
  if (options.weights) {
    model.release.weights = *options.weights;
    ModelField("release/weights", {"<options>", 0, 0, ""}, {}, "given by the caller (--weights)");
  } else {
    model.release.weights = Weights::kClosed;
    ModelNotStated("release/weights",
                   "the input does not say how the weights are released: written 'closed', the "
                   "release for which every source needs permission (state it with --weights)");
  }
  for (std::size_t i = 0; i < manifest_.sources.size(); ++i) {
    manifest_.sources[i].index = i;
  }
  if (!HasErrors(diagnostics_) && ApplyProperties()) {
    Model& patched = manifest_.header.model;
    if (patched.release.weights == Weights::kOpen && !patched.release.license) {
      patched.release.license = "NOASSERTION";
      ModelNotStated("release/license", "no licence of the weights is stated: NOASSERTION");
    }
    for (std::size_t i = 0; i < manifest_.sources.size(); ++i) {
      manifest_.sources[i].index = i;
    }
  }
  SortDiagnostics(diagnostics_);
  result.diagnostics = diagnostics_;
  result.unmapped = unmapped_;
  if (HasErrors(diagnostics_)) return;
  std::vector<Diagnostic> invalid = ValidateManifest(manifest_);
  if (HasErrors(invalid)) {
    // A value the format allows but the manifest does not (an id too long): the input's.
    for (Diagnostic& d : invalid) {
      d.code = "import-" + d.code;
      d.message = "the imported manifest would be invalid: " + d.message;
    }
    result.diagnostics.insert(result.diagnostics.end(), invalid.begin(), invalid.end());
    return;
  }
  result.manifest = manifest_;
  result.manifest_json = Render();
}

std::string ImportBuilder::Render() const {
  std::string canonical;
  {
    JsonWriter w(canonical, JsonWriter::Canonical{});
    WriteManifest(w, manifest_.header, &manifest_.sources);
  }
  nlohmann::json doc = nlohmann::json::parse(canonical);
  auto provenance = [](const Fields& fields) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, r] : fields) {
      out[key] = FieldJson(key, r.origin.file, r.origin.line, r.origin.column, r.origin.pointer,
                           r.not_stated, r.written, r.note);
    }
    return out;
  };
  if (!model_fields_.empty()) doc["model"]["x-provenance"] = provenance(model_fields_);
  auto extension_list = [](const std::vector<ExtensionObject>& objects) {
    nlohmann::json list = nlohmann::json::array();
    for (const ExtensionObject& object : objects) {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& [name, value] : object) o[name] = value;
      list.push_back(std::move(o));
    }
    return list;
  };
  for (const auto& [key, objects] : model_extensions_) doc["model"][key] = extension_list(objects);
  nlohmann::json& sources = doc["sources"];
  for (std::size_t i = 0; i < source_fields_.size() && i < sources.size(); ++i) {
    if (!source_fields_[i].empty()) sources[i]["x-provenance"] = provenance(source_fields_[i]);
    for (const auto& [key, objects] : source_extensions_[i]) {
      sources[i][key] = extension_list(objects);
    }
  }
  nlohmann::json import = nlohmann::json::object();
  import["format"] = std::string(ToString(format_));
  nlohmann::json files = nlohmann::json::array();
  for (const auto& [name, sha256] : inputs_) {
    files.push_back({{"file", name}, {"sha256", sha256}});
  }
  import["inputs"] = files;
  nlohmann::json unmapped = nlohmann::json::array();
  for (const UnmappedField& u : unmapped_) {
    nlohmann::json entry = {{"file", u.file}, {"field", u.field}, {"reason", u.reason}};
    if (u.line != 0) {
      entry["line"] = u.line;
      entry["column"] = u.column;
    }
    if (!u.pointer.empty()) entry["pointer"] = u.pointer;
    unmapped.push_back(std::move(entry));
  }
  import["unmapped"] = unmapped;
  doc["x-import"] = import;
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace provgate::detail
