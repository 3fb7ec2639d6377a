// CycloneDX 1.6 JSON (ML-BOM): the machine-learning-model component is the model (the BOM's
// subject, metadata.component, when it is one); components of type `data`, and the datasets a
// model card describes inline, are the sources; the model components the model depends on are
// its lineage; the `provgate:` properties (as `provgate export cyclonedx` writes them) set the
// fields they name. bom-refs are local to their BOM. The mapping is docs/interop.md's table.
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "interop/import_formats.h"

namespace provgate::detail {
namespace {

std::string StringField(const JsonNode& node, std::string_view key) {
  const JsonNode* v = node.Find(key);
  return v != nullptr && v->is_string() ? v->text : std::string();
}

// A component of one of the documents.
struct Component {
  const JsonNode* node = nullptr;
  const std::string* file = nullptr;
  std::string type;
  std::string ref;  // `file#bom-ref`, or empty
};

class CycloneDxReader {
 public:
  explicit CycloneDxReader(ImportBuilder& b) : b_(b) {}

  void Add(const ImportDocument& doc, const JsonNode& root) {
    const JsonNode* format = root.Find("bomFormat");
    if (format == nullptr || !format->is_string() || format->text != "CycloneDX") {
      b_.Error(OriginOf(doc.name, format != nullptr ? *format : root), "cyclonedx-format",
               "not a CycloneDX BOM: its bomFormat is not \"CycloneDX\"");
      return;
    }
    const JsonNode* version = root.Find("specVersion");
    if (version == nullptr || !version->is_string() || version->text.rfind("1.", 0) != 0 ||
        version->text.size() < 3 ||
        version->text.find_first_not_of("0123456789", 2) != std::string::npos) {
      b_.Error(OriginOf(doc.name, version != nullptr ? *version : root), "cyclonedx-version",
               "a CycloneDX BOM states its specVersion, 1.x (read as 1.6)");
      return;
    }
    for (const auto& [key, value] : root.members) {
      if (key == "bomFormat" || key == "specVersion" || key == "serialNumber" || key == "version" ||
          key == "$schema" || key == "metadata" || key == "components" || key == "dependencies") {
        continue;
      }
      b_.Unmapped(OriginOf(doc.name, value), key,
                  "not a fact of provenance or licensing that the manifest records");
    }
    if (const JsonNode* metadata = root.Find("metadata"); metadata != nullptr) {
      if (!metadata->is_object()) {
        b_.Error(OriginOf(doc.name, *metadata), "cyclonedx-metadata", "metadata is an object");
        return;
      }
      if (const JsonNode* subject = metadata->Find("component"); subject != nullptr) {
        std::size_t before = components_.size();
        AddComponent(doc, *subject);
        if (components_.size() > before) subjects_.push_back(before);
      }
    }
    if (const JsonNode* list = root.Find("components"); list != nullptr) {
      AddComponents(doc, *list);
    }
    if (const JsonNode* dependencies = root.Find("dependencies"); dependencies != nullptr) {
      if (!dependencies->is_array()) {
        b_.Error(OriginOf(doc.name, *dependencies), "cyclonedx-dependencies",
                 "dependencies is a list");
        return;
      }
      for (const JsonNode& d : dependencies->elements) {
        const JsonNode* ref = d.Find("ref");
        const JsonNode* on = d.Find("dependsOn");
        if (!d.is_object() || ref == nullptr || !ref->is_string() ||
            (on != nullptr && !on->is_array())) {
          b_.Error(OriginOf(doc.name, d), "cyclonedx-dependencies",
                   "a dependency is an object with a ref and a list dependsOn");
          return;
        }
        if (on == nullptr) continue;
        for (const JsonNode& target : on->elements) {
          if (!target.is_string()) {
            b_.Error(OriginOf(doc.name, target), "cyclonedx-dependencies",
                     "dependsOn lists bom-refs (strings)");
            return;
          }
          depends_[doc.name + "#" + ref->text].push_back(doc.name + "#" + target.text);
        }
      }
    }
  }

  void Map() {
    std::vector<std::size_t> models;
    std::vector<std::size_t> datasets;
    for (std::size_t i = 0; i < components_.size(); ++i) {
      if (components_[i].type == "machine-learning-model") models.push_back(i);
      if (components_[i].type == "data") datasets.push_back(i);
    }
    if (models.empty() && datasets.empty()) {
      b_.Error({first_file_, 1, 1, ""}, "import-no-ai",
               "the CycloneDX BOMs describe neither a model (a component of type "
               "machine-learning-model) nor a dataset (type data): an ordinary software SBOM");
      return;
    }
    // The model: the BOM's subject when it is a model; else the first model component that no
    // other model component depends on (a base model is a dependency of the model).
    std::size_t model = kNone;
    for (std::size_t s : subjects_) {
      if (components_[s].type == "machine-learning-model" && model == kNone) model = s;
    }
    for (std::size_t i : models) {
      if (model != kNone) break;
      bool dependency = false;
      for (std::size_t other : models)
        dependency = dependency || (other != i && DependsOn(other, i));
      if (!dependency) model = i;
    }
    if (model == kNone && !models.empty()) model = models[0];
    std::set<std::size_t> upstream;
    if (model != kNone) {
      for (std::size_t other : models) {
        if (other != model && DependsOn(model, other)) upstream.insert(other);
      }
      MapModel(model, upstream);
    }
    for (std::size_t other : models) {
      if (other == model || upstream.count(other) != 0) continue;
      const Component& c = components_[other];
      b_.Unmapped(
          OriginOf(*c.file, *c.node), "machine-learning-model " + StringField(*c.node, "name"),
          "another model, not a dependency of '" + StringField(*components_[model].node, "name") +
              "': a manifest describes one model");
    }
    for (std::size_t i : datasets) MapDataComponent(i, model);
    if (model != kNone) {
      for (const JsonNode* d : InlineDatasets(model))
        MapInlineDataset(*components_[model].file, *d);
    }
  }

  std::string first_file_;

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  void AddComponents(const ImportDocument& doc, const JsonNode& list) {
    if (!list.is_array()) {
      b_.Error(OriginOf(doc.name, list), "cyclonedx-components", "components is a list");
      return;
    }
    for (const JsonNode& c : list.elements) AddComponent(doc, c);
  }

  void AddComponent(const ImportDocument& doc, const JsonNode& node) {
    const JsonNode* type = node.Find("type");
    if (!node.is_object() || type == nullptr || !type->is_string()) {
      b_.Error(OriginOf(doc.name, node), "cyclonedx-component",
               "a component is an object with a type");
      return;
    }
    Component c;
    c.node = &node;
    c.file = &doc.name;
    c.type = type->text;
    if (const JsonNode* ref = node.Find("bom-ref"); ref != nullptr && ref->is_string()) {
      c.ref = doc.name + "#" + ref->text;
      auto [it, inserted] = refs_.emplace(c.ref, components_.size());
      if (!inserted) {
        b_.Error(OriginOf(doc.name, *ref), "cyclonedx-duplicate-ref",
                 "the bom-ref '" + ref->text + "' names two components");
        return;
      }
    }
    components_.push_back(std::move(c));
    // Components nest (an assembly's parts).
    if (const JsonNode* nested = node.Find("components"); nested != nullptr) {
      AddComponents(doc, *nested);
    }
  }

  bool DependsOn(std::size_t from, std::size_t to) const {
    const std::string& a = components_[from].ref;
    const std::string& b = components_[to].ref;
    if (a.empty() || b.empty()) return false;
    auto it = depends_.find(a);
    if (it == depends_.end()) return false;
    for (const std::string& target : it->second) {
      if (target == b) return true;
    }
    return false;
  }

  const JsonNode* ModelDatasets(std::size_t model) const {
    const JsonNode* card = components_[model].node->Find("modelCard");
    const JsonNode* parameters = card != nullptr ? card->Find("modelParameters") : nullptr;
    const JsonNode* datasets = parameters != nullptr ? parameters->Find("datasets") : nullptr;
    return datasets != nullptr && datasets->is_array() ? datasets : nullptr;
  }

  // The datasets a model card describes in place (objects without a `ref`).
  std::vector<const JsonNode*> InlineDatasets(std::size_t model) const {
    std::vector<const JsonNode*> out;
    if (const JsonNode* datasets = ModelDatasets(model); datasets != nullptr) {
      for (const JsonNode& d : datasets->elements) {
        if (d.is_object() && d.Find("ref") == nullptr) out.push_back(&d);
      }
    }
    return out;
  }

  // A licence list as one licence text: an `expression` as written; a `license` by its SPDX
  // `id`, else its `name`, else its `url`. Several entries: joined with AND (CycloneDX does not
  // say whether they apply together or as a choice; AND asks the most of a use), noted.
  bool Licenses(const std::string& file, const JsonNode& list, LicenseMapping& mapping,
                Origin& origin) {
    if (!list.is_array()) {
      b_.Unmapped(OriginOf(file, list), "licenses", "not a list of licences");
      return false;
    }
    std::vector<std::string> texts;
    std::vector<std::string> notes;
    for (const JsonNode& entry : list.elements) {
      std::string text;
      const JsonNode* at = &entry;
      if (const JsonNode* e = entry.Find("expression"); e != nullptr && e->is_string()) {
        text = e->text;
        at = e;
      } else if (const JsonNode* l = entry.Find("license"); l != nullptr && l->is_object()) {
        for (const char* key : {"id", "name", "url"}) {
          if (const JsonNode* v = l->Find(key);
              v != nullptr && v->is_string() && !v->text.empty()) {
            text = v->text;
            at = v;
            break;
          }
        }
      }
      if (text.empty()) {
        b_.Unmapped(OriginOf(file, entry), "licenses",
                    "a licence with no expression, id, name or url");
        continue;
      }
      LicenseMapping m = b_.NormalizeLicense(text);
      if (texts.empty()) origin = OriginOf(file, *at);
      if (!m.note.empty()) notes.push_back(m.note);
      if (m.value != text) notes.push_back("written '" + text + "'");
      texts.push_back(m.value);
    }
    if (texts.empty()) return false;
    if (texts.size() > 1) origin = OriginOf(file, list);
    mapping = ImportBuilder::CombineLicenses(texts, std::move(notes), "CycloneDX");
    return true;
  }

  // The `provgate:` properties of a component, handed to `set`; other properties are listed as
  // not mapped.
  template <typename Set>
  void Properties(const std::string& file, const JsonNode& list, Set set) {
    if (!list.is_array()) {
      b_.Unmapped(OriginOf(file, list), "properties", "not a list of properties");
      return;
    }
    for (const JsonNode& p : list.elements) {
      const JsonNode* name = p.Find("name");
      if (!b_.ProvgateProperty(file, p, name, p.Find("value"), "", set)) {
        b_.Unmapped(OriginOf(file, p),
                    "property " + (name != nullptr && name->is_string() ? name->text : ""),
                    "not a fact of provenance or licensing that the manifest records");
      }
    }
  }

  // Notes of a model card kept beside the model (`x-model-card`): its approach, task and
  // considerations, strings only.
  void CardNotes(const std::string& file, const JsonNode& node, const std::string& field) {
    if (node.is_string()) {
      b_.ModelExtension("x-model-card",
                        {{"field", field}, {"text", node.text}, {"pointer", node.pointer}});
    } else if (node.is_array()) {
      for (const JsonNode& e : node.elements) CardNotes(file, e, field);
    } else if (node.is_object()) {
      for (const auto& [key, value] : node.members) CardNotes(file, value, field + "/" + key);
    }
  }

  void MapModel(std::size_t index, const std::set<std::size_t>& upstream) {
    const Component& c = components_[index];
    const std::string& file = *c.file;
    const JsonNode& node = *c.node;
    Model& model = b_.manifest().header.model;
    if (const JsonNode* name = node.Find("name");
        name != nullptr && name->is_string() && !name->text.empty()) {
      model.id = name->text;
      b_.ModelField("id", OriginOf(file, *name), {}, "the machine-learning-model component's name");
    }
    for (const char* who : {"manufacturer", "supplier"}) {
      const JsonNode* party = node.Find(who);
      const JsonNode* name = party != nullptr ? party->Find("name") : nullptr;
      if (name != nullptr && name->is_string() && !name->text.empty()) {
        model.organization = name->text;
        b_.ModelField("organization", OriginOf(file, *name), {}, std::string(who) + ".name");
        break;
      }
    }
    if (const JsonNode* licenses = node.Find("licenses"); licenses != nullptr) {
      LicenseMapping m;
      Origin origin;
      if (Licenses(file, *licenses, m, origin)) {
        model.release.license = m.value;
        b_.ModelField("release/license", origin, {}, m.note);
      }
    }
    std::set<std::string> named;  // bom-refs the model card names as datasets
    if (const JsonNode* card = node.Find("modelCard"); card != nullptr && card->is_object()) {
      for (const auto& [key, value] : card->members) {
        if (key == "bom-ref") continue;
        if (key == "modelParameters" && value.is_object()) {
          for (const auto& [pkey, pvalue] : value.members) {
            if (pkey == "datasets" && pvalue.is_array()) {
              for (const JsonNode& d : pvalue.elements) {
                const JsonNode* ref = d.Find("ref");
                if (ref == nullptr) continue;  // Described in place: a source of its own.
                if (!ref->is_string() || refs_.count(file + "#" + ref->text) == 0) {
                  b_.Unmapped(OriginOf(file, d), "modelCard/modelParameters/datasets",
                              "a reference to no component of the BOM");
                  continue;
                }
                named.insert(file + "#" + ref->text);
              }
            } else if (pkey == "approach" || pkey == "task") {
              CardNotes(file, pvalue, pkey);
            } else {
              b_.Unmapped(OriginOf(file, pvalue), "modelCard/modelParameters/" + pkey,
                          "not a fact of provenance or licensing that the manifest records");
            }
          }
        } else if (key == "considerations") {
          CardNotes(file, value, key);
        } else {
          b_.Unmapped(OriginOf(file, value), "modelCard/" + key,
                      "not a fact of provenance or licensing that the manifest records");
        }
      }
    }
    named_datasets_ = std::move(named);
    for (std::size_t other : upstream) {
      const Component& up = components_[other];
      std::string name = StringField(*up.node, "name");
      LineageEntry entry;
      entry.model = name.empty() ? up.ref.substr(up.file->size() + 1) : name;
      entry.relation = Relation::kFineTune;
      std::string key = "lineage/" + std::to_string(model.lineage.size());
      b_.ModelField(key + "/model", OriginOf(*up.file, *up.node), {},
                    "a machine-learning-model component the model depends on");
      b_.ModelNotStated(key + "/relation",
                        "CycloneDX says dependsOn, not how the model was derived: written "
                        "fine-tune");
      model.lineage.push_back(std::move(entry));
    }
    for (const auto& [key, value] : node.members) {
      if (key == "type" || key == "bom-ref" || key == "name" || key == "manufacturer" ||
          key == "supplier" || key == "licenses" || key == "modelCard") {
        continue;
      }
      if (key == "properties") {
        Properties(file, value,
                   [&](const std::string& pointer, const std::string& text, const Origin& origin) {
                     b_.ModelProperty(pointer, text, origin);
                   });
        continue;
      }
      b_.Unmapped(OriginOf(file, value), key,
                  "not a fact of provenance or licensing that the manifest records");
    }
  }

  // A new source named `id`. Two datasets with one name are two sources with one id, which
  // the check reports as a finding: said in the id's provenance note (`repeated`).
  std::size_t NewSource(const std::string& id, std::string& repeated) {
    repeated = b_.HasSource(id) ? "; another dataset has the same name: a repeated source id" : "";
    return b_.AddSource(id);
  }

  // A dataset's `contents.url`, `classification`, `governance` and `sensitiveData`.
  // `inline_dataset`: the object is a model card's dataset, whose name and description are the
  // source's id and title.
  void MapData(std::size_t index, const std::string& file, const JsonNode& data,
               bool inline_dataset) {
    for (const auto& [key, value] : data.members) {
      if (key == "type" || key == "bom-ref" || key == "name") continue;
      if (inline_dataset && key == "description") continue;
      if (key == "contents" && value.is_object()) {
        const JsonNode* url = value.Find("url");
        if (url != nullptr && url->is_string() && !url->text.empty() &&
            !b_.SourceHas(index, "uri")) {
          b_.manifest().sources[index].uri = url->text;
          b_.SourceField(index, "uri", OriginOf(file, *url), {}, "data contents.url");
        } else {
          b_.Unmapped(OriginOf(file, value), "data/contents",
                      "contents without a url, or a second one (the source has one uri)");
        }
        continue;
      }
      if (key == "classification" && value.is_string()) {
        b_.SourceExtension(index, "x-data-governance",
                           {{"field", key}, {"text", value.text}, {"pointer", value.pointer}});
        continue;
      }
      if (key == "sensitiveData" && value.is_array()) {
        for (const JsonNode& s : value.elements) {
          if (s.is_string()) {
            b_.SourceExtension(index, "x-data-governance",
                               {{"field", key}, {"text", s.text}, {"pointer", s.pointer}});
          }
        }
        continue;
      }
      if (key == "governance" && value.is_object()) {
        // Owners, stewards and custodians: organisations or contacts, by name.
        for (const auto& [role, parties] : value.members) {
          if (!parties.is_array()) continue;
          for (const JsonNode& party : parties.elements) {
            for (const char* kind : {"organization", "contact"}) {
              const JsonNode* who = party.Find(kind);
              const JsonNode* name = who != nullptr ? who->Find("name") : nullptr;
              if (name != nullptr && name->is_string()) {
                b_.SourceExtension(index, "x-data-governance",
                                   {{"field", "governance/" + role},
                                    {"text", name->text},
                                    {"pointer", name->pointer}});
              }
            }
          }
        }
        continue;
      }
      b_.Unmapped(OriginOf(file, value), "data/" + key,
                  "not a fact of provenance or licensing that the manifest records");
    }
  }

  void Unstated(std::size_t index) {
    Source& source = b_.manifest().sources[index];
    if (!b_.SourceHas(index, "license")) {
      b_.SourceNotStated(index, "license", "no licenses");
      b_.SourceNotStated(index, "permission/basis", "no licence: basis unknown");
    }
    if (!source.size) b_.SourceNotStated(index, "size", "CycloneDX states no size");
    b_.SourceNotStated(index, "digest",
                       "hashes (x-distribution) are of the component's download, not of the "
                       "content listing digest.sha256 is defined over");
    b_.SourceNotStated(index, "kind", "CycloneDX's data types say the form, not the kind: 'other'");
  }

  void MapLicense(std::size_t index, const std::string& file, const JsonNode& list) {
    LicenseMapping m;
    Origin origin;
    if (!Licenses(file, list, m, origin)) return;
    Source& source = b_.manifest().sources[index];
    source.license = m.value;
    b_.SourceField(index, "license", origin, {}, m.note);
    bool unknown = m.value == "NOASSERTION";
    source.permission.basis = unknown ? Basis::kUnknown : Basis::kLicense;
    b_.SourceField(index, "permission/basis", origin, {},
                   unknown ? "NOASSERTION: no basis" : "the dataset's licence: basis license");
  }

  void MapDataComponent(std::size_t component, std::size_t model) {
    const Component& c = components_[component];
    const std::string& file = *c.file;
    const JsonNode& node = *c.node;
    const JsonNode* name = node.Find("name");
    std::string id = name != nullptr && name->is_string() && !name->text.empty()
                         ? name->text
                         : (c.ref.empty() ? std::string() : c.ref.substr(file.size() + 1));
    if (id.empty()) {
      b_.Error(OriginOf(file, node), "cyclonedx-component", "a data component has no name");
      return;
    }
    std::string repeated;
    std::size_t index = NewSource(id, repeated);
    bool named = named_datasets_.count(c.ref) != 0;
    bool dependency = model != kNone && DependsOn(model, component);
    b_.SourceField(index, "id", OriginOf(file, name != nullptr ? *name : node), {},
                   std::string(named        ? "a data component the model card names as a dataset"
                               : dependency ? "a data component the model depends on"
                                            : "a data component of the BOM; neither the model "
                                              "card nor the model's dependencies name it") +
                       repeated);
    for (const auto& [key, value] : node.members) {
      if (key == "type" || key == "bom-ref" || key == "name") continue;
      if (key == "description" && value.is_string() && !value.text.empty()) {
        b_.manifest().sources[index].title = value.text;
        b_.SourceField(index, "title", OriginOf(file, value));
        continue;
      }
      if (key == "licenses") {
        MapLicense(index, file, value);
        continue;
      }
      if (key == "data" && value.is_array()) {
        for (const JsonNode& d : value.elements) {
          if (d.is_object()) MapData(index, file, d, false);
        }
        continue;
      }
      if (key == "hashes" && value.is_array()) {
        for (const JsonNode& h : value.elements) {
          if (!h.is_object()) continue;
          b_.SourceExtension(index, "x-distribution",
                             {{"algorithm", StringField(h, "alg")},
                              {"hashValue", StringField(h, "content")},
                              {"pointer", h.pointer}});
        }
        continue;
      }
      if ((key == "manufacturer" || key == "supplier") && value.is_object()) {
        std::string who = StringField(value, "name");
        if (!who.empty()) {
          b_.SourceExtension(index, "x-creators",
                             {{"role", key}, {"name", who}, {"pointer", value.pointer}});
          continue;
        }
      }
      if ((key == "publisher" || key == "author") && value.is_string()) {
        b_.SourceExtension(index, "x-creators",
                           {{"role", key}, {"name", value.text}, {"pointer", value.pointer}});
        continue;
      }
      if (key == "properties") {
        Properties(file, value,
                   [&](const std::string& pointer, const std::string& text, const Origin& origin) {
                     b_.SourceProperty(index, pointer, text, origin);
                   });
        continue;
      }
      b_.Unmapped(OriginOf(file, value), key,
                  "not a fact of provenance or licensing that the manifest records");
    }
    Unstated(index);
  }

  void MapInlineDataset(const std::string& file, const JsonNode& d) {
    const JsonNode* name = d.Find("name");
    if (name == nullptr || !name->is_string() || name->text.empty()) {
      b_.Unmapped(OriginOf(file, d), "modelCard/modelParameters/datasets",
                  "a dataset described in place without a name");
      return;
    }
    std::string repeated;
    std::size_t index = NewSource(name->text, repeated);
    b_.SourceField(index, "id", OriginOf(file, *name), {},
                   "a dataset the model card describes in place" + repeated);
    if (const JsonNode* description = d.Find("description");
        description != nullptr && description->is_string() && !description->text.empty()) {
      b_.manifest().sources[index].title = description->text;
      b_.SourceField(index, "title", OriginOf(file, *description));
    }
    MapData(index, file, d, true);
    Unstated(index);
  }

  ImportBuilder& b_;
  std::vector<Component> components_;
  std::vector<std::size_t> subjects_;  // metadata.component of each BOM
  std::map<std::string, std::size_t> refs_;
  std::map<std::string, std::vector<std::string>> depends_;
  std::set<std::string> named_datasets_;
};

}  // namespace

void ImportCycloneDx(const std::vector<ImportDocument>& documents, ImportBuilder& b) {
  std::vector<JsonNode> roots(documents.size());
  CycloneDxReader reader(b);
  if (!documents.empty()) reader.first_file_ = documents[0].name;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    const ImportDocument& doc = documents[i];
    if (!b.ParseJson(doc, roots[i])) continue;
    if (!roots[i].is_object()) {
      b.Error(OriginOf(doc.name, roots[i]), "cyclonedx-type", "a CycloneDX BOM is a JSON object");
      continue;
    }
    reader.Add(doc, roots[i]);
  }
  if (b.HasError()) return;
  reader.Map();
}

}  // namespace provgate::detail
