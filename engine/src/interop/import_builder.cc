// ImportBuilder (see import_builder.h).
#include "interop/import_builder.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "crypto/sha256.h"
#include "interop/import_formats.h"
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

LicenseMapping ImportBuilder::CombineLicenses(const std::vector<std::string>& licenses,
                                              std::vector<std::string> notes,
                                              std::string_view format) {
  LicenseMapping mapping;
  if (licenses.size() == 1) {
    mapping.value = licenses[0];
  } else if (std::find(licenses.begin(), licenses.end(), "NOASSERTION") != licenses.end()) {
    mapping.value = "NOASSERTION";
  } else {
    for (const std::string& license : licenses) {
      if (!mapping.value.empty()) mapping.value += " AND ";
      mapping.value += license.find(' ') != std::string::npos ? "(" + license + ")" : license;
    }
  }
  if (licenses.size() > 1) {
    notes.push_back("several licences listed; " + std::string(format) +
                    " does not say whether they apply together or as a choice: written as all "
                    "of them (AND)");
  }
  for (const std::string& note : notes) {
    if (!mapping.note.empty()) mapping.note += "; ";
    mapping.note += note;
  }
  return mapping;
}

bool ImportBuilder::ParseJson(const ImportDocument& doc, JsonNode& root) {
  std::vector<Diagnostic> problems;
  JsonTreeLimits limits;
  limits.max_depth = kMaxImportDepth;
  limits.max_nodes = kMaxImportNodes;
  if (ParseJsonTree(doc.text, doc.name, limits, root, problems)) return true;
  for (Diagnostic& d : problems) Error({d.file, d.line, d.column, d.pointer}, d.code, d.message);
  return false;
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
