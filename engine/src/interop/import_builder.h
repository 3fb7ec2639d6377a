// ImportBuilder: the manifest an importer fills in, with where every value came from, what
// could not be mapped, and the problems found. Shared by the importers of every format.
#ifndef PROVGATE_INTEROP_IMPORT_BUILDER_H_
#define PROVGATE_INTEROP_IMPORT_BUILDER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "json/json_tree.h"
#include "license/classifier.h"
#include "policy/yaml_tree.h"
#include "provgate/interop.h"

namespace provgate::detail {

// Where a value of the input is: its file, line and column, and its JSON pointer in the
// document (for YAML front matter, in the front matter).
struct Origin {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string pointer;
};

Origin OriginOf(const std::string& file, const JsonNode& node);
// `line_offset`: lines of the file before the YAML text (a card's `---` line).
Origin OriginOf(const std::string& file, const YamlTreeNode& node, std::uint32_t line_offset);

// A licence as the manifest writes it, and how it was obtained from the text.
struct LicenseMapping {
  std::string value;
  // Empty when `value` is the text as written; else what was done ("pack alias odc-by →
  // ODC-By-1.0", "SPDX licence URL").
  std::string note;
};

class ImportBuilder {
 public:
  ImportBuilder(ImportFormat format, const LicenseClassifier& licenses)
      : format_(format), licenses_(licenses) {}

  Manifest& manifest() { return manifest_; }
  const Manifest& manifest() const { return manifest_; }

  // Adds a source with `id`, or returns the index of the source that has it.
  std::size_t SourceIndex(const std::string& id, bool* created = nullptr);
  // Adds a source with `id` even when another source has it: a repeated id, which the check
  // reports as a finding of its own (two datasets of one BOM with the same name).
  std::size_t AddSource(const std::string& id);
  // True when a source with `id` exists.
  bool HasSource(const std::string& id) const;

  // Records where the model's field `key` (`id`, `release/license`, `lineage/0/relation`)
  // came from; `written` is the value as the input wrote it when the manifest writes it
  // differently, `note` how it was mapped.
  void ModelField(const std::string& key, const Origin& origin, std::string written = {},
                  std::string note = {});
  void SourceField(std::size_t source, const std::string& key, const Origin& origin,
                   std::string written = {}, std::string note = {});
  // Records that the input does not state the model's or a source's field `key`, and what the
  // manifest writes instead.
  void ModelNotStated(const std::string& key, std::string note);
  void SourceNotStated(std::size_t source, const std::string& key, std::string note);
  // True when the source's field `key` has a recorded origin.
  bool SourceHas(std::size_t source, const std::string& key) const;

  // Appends an object of strings to the source's extension `key` (`x-creators`,
  // `x-distribution`, `x-collection`): what the input says that the manifest has no field for
  // but a reviewer needs, kept beside the source. The checker ignores extensions.
  using ExtensionObject = std::vector<std::pair<std::string, std::string>>;
  void SourceExtension(std::size_t source, const std::string& key, ExtensionObject object);
  // The same beside the model (`x-model-card`).
  void ModelExtension(const std::string& key, ExtensionObject object);

  // A property named `provgate:<pointer>`, as provgate's exporters write a manifest field that
  // the format has no field for (docs/interop.md, *Properties*). True when `name` is one: then
  // `pointer` is the field's JSON pointer inside the model or source object, or empty for the
  // properties an import ignores (`provgate:report/...`, `finding/`, `obligation/`,
  // `decision/`, `upstream/`: the exported check's results, which a new check recomputes).
  static bool PropertyPointer(std::string_view name, std::string& pointer);
  // One property entry of a document, its `name` and `value` nodes (either may be missing):
  // false when it is not one of provgate's properties, for the caller to list as not mapped.
  // One of provgate's is handed to `set(pointer, text, origin)`, or ignored when it is the
  // exported report's, or an error when it has no text (`value_field` names the value's key
  // in the message when not empty).
  template <typename Set>
  bool ProvgateProperty(const std::string& file, const JsonNode& entry, const JsonNode* name,
                        const JsonNode* value, std::string_view value_field, Set&& set) {
    std::string pointer;
    if (name == nullptr || !name->is_string() || !PropertyPointer(name->text, pointer)) {
      return false;
    }
    if (pointer.empty()) return true;  // The exported report: a new check recomputes it.
    if (value == nullptr || !value->is_string()) {
      Error(OriginOf(file, value != nullptr ? *value : entry), "import-property",
            "property '" + name->text + "' has no text value" +
                (value_field.empty() ? std::string() : " (" + std::string(value_field) + ")"));
      return true;
    }
    set(pointer, value->text, OriginOf(file, *value));
    return true;
  }
  // Sets the model's or a source's field at `pointer` to `value` (the property's text, typed by
  // the manifest schema: integers for sizes and tokens, a number for epochs, booleans, `[]`
  // and `{}` for empty lists and objects, else a string) when the manifest is finished. A
  // property decides over what the format's own fields said: a list it names is rebuilt from
  // the properties alone.
  void ModelProperty(const std::string& pointer, const std::string& value, const Origin& origin);
  void SourceProperty(std::size_t source, const std::string& pointer, const std::string& value,
                      const Origin& origin);

  void Unmapped(const Origin& origin, std::string field, std::string reason);
  void Error(const Origin& origin, std::string code, std::string message);
  bool HasError() const { return HasErrors(diagnostics_); }

  // The licence text as the manifest writes it: each id of an SPDX expression in its
  // canonical spelling (an SPDX id in the SPDX list's case, a pack alias such as `llama3.1`
  // as the id it stands for), an SPDX or Creative Commons licence URL as its id; another
  // expression (`other`) kept as written; text that is no SPDX expression (a terms-of-use URL,
  // a name in words) NOASSERTION, the caller keeping the text in the provenance.
  LicenseMapping NormalizeLicense(std::string_view written) const;
  // Several licences listed for one thing, each already normalized, as one licence: the one,
  // or all of them joined with AND (NOASSERTION when one is unknown), with a note that
  // `format` does not say whether they apply together or as a choice; `notes` (how each was
  // normalized) join the mapping's note.
  static LicenseMapping CombineLicenses(const std::vector<std::string>& licenses,
                                        std::vector<std::string> notes, std::string_view format);

  // Parses `doc` as JSON within the import limits (kMaxImportDepth, kMaxImportNodes) into
  // `root`; false with the parser's problems recorded as errors.
  bool ParseJson(const ImportDocument& doc, JsonNode& root);

  // Records an input file and its SHA-256 for `x-import`.
  void AddInput(const std::string& name, std::string_view text);

  // Completes the manifest (the model id and weights when no input gave them, the stages'
  // references) and writes it. Sets `result` (manifest, JSON, unmapped, diagnostics).
  void Finish(const ImportOptions& options, ImportResult& result);

 private:
  struct FieldRecord {
    Origin origin;
    bool not_stated = false;
    std::string written;
    std::string note;
  };
  using Fields = std::map<std::string, FieldRecord>;
  struct PropertyValue {
    std::string pointer;
    std::string value;
    Origin origin;
  };
  using Properties = std::vector<PropertyValue>;
  static void Record(Fields& fields, const std::string& key, FieldRecord record);
  // Applies the properties to the manifest (written, patched and read back); false with
  // diagnostics when they make it invalid.
  bool ApplyProperties();
  std::string Render() const;

  ImportFormat format_;
  const LicenseClassifier& licenses_;
  Manifest manifest_;
  Fields model_fields_;
  std::vector<Fields> source_fields_;
  std::vector<std::map<std::string, std::vector<ExtensionObject>>> source_extensions_;
  std::map<std::string, std::vector<ExtensionObject>> model_extensions_;
  Properties model_properties_;
  std::vector<Properties> source_properties_;
  std::vector<std::pair<std::string, std::string>> inputs_;  // name, sha256
  std::vector<UnmappedField> unmapped_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace provgate::detail

#endif  // PROVGATE_INTEROP_IMPORT_BUILDER_H_
