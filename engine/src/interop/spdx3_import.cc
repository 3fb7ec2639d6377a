// SPDX 3.0.1 JSON-LD (AI and Dataset profiles): the elements of every input document's
// @graph, merged by spdxId, so that a dataset document referenced by the model's document is
// read with it. The AI package is the model; dataset packages are the sources; licences come
// from hasConcludedLicense (else hasDeclaredLicense) relationships; lineage from the
// relationships between AI packages; the `provgate:` properties of an
// extension_CdxPropertiesExtension (as `provgate export spdx3` writes them) set the fields they
// name. The mapping is docs/interop.md's table.
#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "interop/import_formats.h"

namespace provgate::detail {
namespace {

struct Element {
  const JsonNode* node = nullptr;
  const std::string* file = nullptr;
};

std::string StringField(const JsonNode& node, std::string_view key) {
  const JsonNode* v = node.Find(key);
  return v != nullptr && v->is_string() ? v->text : std::string();
}

// The strings of a value that is one string or a list of them.
std::vector<const JsonNode*> StringItems(const JsonNode* node) {
  std::vector<const JsonNode*> out;
  if (node == nullptr) return out;
  if (node->is_string()) out.push_back(node);
  if (node->is_array()) {
    for (const JsonNode& e : node->elements) {
      if (e.is_string()) out.push_back(&e);
    }
  }
  return out;
}

class Spdx3Reader {
 public:
  explicit Spdx3Reader(ImportBuilder& b) : b_(b) {}

  void Add(const ImportDocument& doc, const JsonNode& root) {
    const JsonNode* context = root.Find("@context");
    bool spdx = false;
    for (const JsonNode* c : StringItems(context)) {
      if (c->text.find("spdx.org/rdf/3.0") != std::string::npos) spdx = true;
    }
    if (!spdx) {
      b_.Error(OriginOf(doc.name, context != nullptr ? *context : root), "spdx3-context",
               "not an SPDX 3 JSON-LD document: its @context is not "
               "https://spdx.org/rdf/3.0.1/spdx-context.jsonld");
      return;
    }
    const JsonNode* graph = root.Find("@graph");
    if (graph == nullptr || !graph->is_array()) {
      b_.Error(OriginOf(doc.name, graph != nullptr ? *graph : root), "spdx3-graph",
               "an SPDX 3 document lists its elements in an array @graph");
      return;
    }
    for (const JsonNode& e : graph->elements) {
      if (!e.is_object() || StringField(e, "type").empty()) {
        b_.Error(OriginOf(doc.name, e), "spdx3-element",
                 "an element must be an object with a type");
        return;
      }
      std::string type = StringField(e, "type");
      std::string id = StringField(e, "spdxId");
      if (id.empty()) id = StringField(e, "@id");
      // A blank node (`_:creationinfo`) is local to its document.
      if (id.rfind("_:", 0) == 0) id = doc.name + "#" + id;
      if (type == "Relationship" || type == "LifecycleScopedRelationship") {
        relationships_.push_back({&e, &doc.name});
      } else if (!id.empty()) {
        auto [it, inserted] = elements_.emplace(id, Element{&e, &doc.name});
        if (inserted) order_.push_back(id);
        if (!inserted && it->second.node != &e) {
          b_.Error(OriginOf(doc.name, e), "spdx3-duplicate",
                   "element '" + id + "' is defined twice (also in " + *it->second.file + ")");
          return;
        }
      }
    }
  }

  void Map() {
    std::vector<std::string> models;
    std::vector<std::string> datasets;
    for (const std::string& id : order_) {
      const Element& e = elements_.at(id);
      std::string type = StringField(*e.node, "type");
      if (type == "ai_AIPackage") models.push_back(id);
      if (type == "dataset_DatasetPackage") datasets.push_back(id);
    }
    if (models.empty() && datasets.empty()) {
      b_.Error({first_file_, 1, 1, ""}, "import-no-ai",
               "the SPDX documents describe neither a model (ai_AIPackage) nor a dataset "
               "(dataset_DatasetPackage): an ordinary software SBOM");
      return;
    }
    // The model: the AI package no other AI package descends from in these documents (a
    // base model's package is its ancestor); the first in document order among several.
    std::string model_id;
    // The document's root element, when it is an AI package, is the model it describes.
    for (const std::string& id : order_) {
      const JsonNode& node = *elements_.at(id).node;
      if (StringField(node, "type") != "SpdxDocument" || !model_id.empty()) continue;
      for (const JsonNode* root : StringItems(node.Find("rootElement"))) {
        if (std::find(models.begin(), models.end(), root->text) != models.end()) {
          model_id = root->text;
          break;
        }
      }
    }
    for (const std::string& id : models) {
      if (!model_id.empty()) break;
      if (!IsUpstreamOfAnother(id, models)) {
        model_id = id;
        break;
      }
    }
    if (model_id.empty() && !models.empty()) model_id = models[0];
    if (!model_id.empty()) MapModel(model_id, models);
    for (const std::string& id : models) {
      if (id == model_id || Upstream(id, model_id)) continue;
      const Element& e = elements_.at(id);
      b_.Unmapped(At(e, *e.node), "ai_AIPackage " + StringField(*e.node, "name"),
                  "another model, not upstream of '" +
                      StringField(*elements_.at(model_id).node, "name") +
                      "': a manifest describes one model");
    }
    for (const std::string& id : datasets) MapDataset(id, model_id);
  }

  std::string first_file_;

 private:
  Origin At(const Element& e, const JsonNode& node) const { return OriginOf(*e.file, node); }

  // The `provgate:` properties of an element's `extension` list, handed to `set` (pointer,
  // value, origin); other extensions and properties are listed as not mapped.
  void ReadExtensions(
      const Element& e, const JsonNode& extensions,
      const std::function<void(const std::string&, const std::string&, const Origin&)>& set) {
    if (!extensions.is_array()) {
      b_.Unmapped(At(e, extensions), "extension", "not a list of extensions");
      return;
    }
    for (const JsonNode& extension : extensions.elements) {
      const JsonNode* entries = extension.Find("extension_cdxProperty");
      if (!extension.is_object() ||
          StringField(extension, "type") != "extension_CdxPropertiesExtension" ||
          entries == nullptr || !entries->is_array()) {
        b_.Unmapped(At(e, extension), "extension",
                    "an extension other than a list of CycloneDX properties");
        continue;
      }
      for (const JsonNode& entry : entries->elements) {
        const JsonNode* name = entry.Find("extension_cdxPropName");
        if (!b_.ProvgateProperty(*e.file, entry, name, entry.Find("extension_cdxPropValue"),
                                 "extension_cdxPropValue", set)) {
          b_.Unmapped(At(e, entry),
                      name != nullptr && name->is_string() ? name->text : "extension_cdxProperty",
                      "a property provgate does not define");
        }
      }
    }
  }

  // `ancestor` is upstream of `descendant` when a relationship says so.
  bool Upstream(const std::string& ancestor, const std::string& descendant) const {
    for (const Element& r : relationships_) {
      std::string type = StringField(*r.node, "relationshipType");
      std::string from = StringField(*r.node, "from");
      for (const JsonNode* to : StringItems(r.node->Find("to"))) {
        if ((type == "ancestorOf" && from == ancestor && to->text == descendant) ||
            (type == "descendantOf" && from == descendant && to->text == ancestor)) {
          return true;
        }
      }
    }
    return false;
  }
  bool IsUpstreamOfAnother(const std::string& id, const std::vector<std::string>& models) const {
    for (const std::string& other : models) {
      if (other != id && Upstream(id, other)) return true;
    }
    return false;
  }

  // The licence of an element: concluded, else declared.
  bool LicenseOf(const std::string& id, std::string& value, std::string& note,
                 Origin& origin) const {
    for (const char* type : {"hasConcludedLicense", "hasDeclaredLicense"}) {
      for (const Element& r : relationships_) {
        if (StringField(*r.node, "relationshipType") != type ||
            StringField(*r.node, "from") != id) {
          continue;
        }
        for (const JsonNode* to : StringItems(r.node->Find("to"))) {
          std::string text;
          auto it = elements_.find(to->text);
          if (it != elements_.end()) {
            text = StringField(*it->second.node, "simplelicensing_licenseExpression");
          }
          constexpr std::string_view kListed = "https://spdx.org/licenses/";
          if (text.empty() && to->text.rfind(kListed, 0) == 0) {
            text = to->text.substr(kListed.size());
          }
          if (text.empty()) {
            if (it != elements_.end() &&
                StringField(*it->second.node, "type") == "expandedlicensing_CustomLicense") {
              b_.Unmapped(OriginOf(*r.file, *to), type,
                          "a custom licence given by its text, with no id: write its id "
                          "(LicenseRef-...) as the licence");
            }
            continue;
          }
          LicenseMapping m = b_.NormalizeLicense(text);
          value = m.value;
          note = std::string(type) + (m.note.empty() ? "" : "; " + m.note);
          origin = OriginOf(*r.file, *to);
          return true;
        }
      }
    }
    return false;
  }

  std::string AgentName(const JsonNode* ref) const {
    for (const JsonNode* a : StringItems(ref)) {
      auto it = elements_.find(a->text);
      if (it != elements_.end()) {
        std::string name = StringField(*it->second.node, "name");
        if (!name.empty()) return name;
      }
      return a->text;
    }
    return {};
  }

  void MapModel(const std::string& id, const std::vector<std::string>& models) {
    const Element& e = elements_.at(id);
    Model& model = b_.manifest().header.model;
    const JsonNode* name = e.node->Find("name");
    if (name != nullptr && name->is_string() && !name->text.empty()) {
      model.id = name->text;
      b_.ModelField("id", At(e, *name), {}, "the ai_AIPackage's name");
    }
    if (const JsonNode* supplier = e.node->Find("suppliedBy"); supplier != nullptr) {
      std::string who = AgentName(supplier);
      if (!who.empty()) {
        model.organization = who;
        b_.ModelField("organization", At(e, *supplier), {}, "suppliedBy");
      }
    }
    if (const JsonNode* released = e.node->Find("releaseTime");
        released != nullptr && released->is_string() && released->text.size() >= 10) {
      model.release.date = released->text.substr(0, 10);
      b_.ModelField("release/date", At(e, *released), released->text, "releaseTime, its date");
    }
    std::string license;
    std::string note;
    Origin origin;
    if (LicenseOf(id, license, note, origin)) {
      model.release.license = license;
      b_.ModelField("release/license", origin, {}, note);
    }
    for (const std::string& other : models) {
      if (other == id || !Upstream(other, id)) continue;
      const Element& up = elements_.at(other);
      LineageEntry entry;
      entry.model = StringField(*up.node, "name").empty() ? other : StringField(*up.node, "name");
      entry.relation = Relation::kFineTune;
      std::string key = "lineage/" + std::to_string(model.lineage.size());
      b_.ModelField(key + "/model", At(up, *up.node), {},
                    "an ai_AIPackage the model descends from");
      b_.ModelNotStated(key + "/relation",
                        "SPDX says ancestorOf/descendantOf, not how the model was derived: "
                        "written fine-tune");
      model.lineage.push_back(std::move(entry));
    }
    for (const auto& [key, value] : e.node->members) {
      if (key == "type" || key == "spdxId" || key == "name" || key == "suppliedBy" ||
          key == "releaseTime" || key == "creationInfo") {
        continue;
      }
      if (key == "extension") {
        ReadExtensions(e, value,
                       [&](const std::string& pointer, const std::string& text,
                           const Origin& origin) { b_.ModelProperty(pointer, text, origin); });
        continue;
      }
      b_.Unmapped(At(e, value), key,
                  "not a fact of provenance or licensing that the manifest records");
    }
  }

  void MapDataset(const std::string& id, const std::string& model_id) {
    const Element& e = elements_.at(id);
    const JsonNode* name = e.node->Find("name");
    std::string source_id =
        name != nullptr && name->is_string() && !name->text.empty() ? name->text : id;
    // Two packages with one name are two sources with one id, which the check reports.
    bool repeated = b_.HasSource(source_id);
    std::size_t index = b_.AddSource(source_id);
    Source& source = b_.manifest().sources[index];
    bool trained = false;
    for (const Element& r : relationships_) {
      if (StringField(*r.node, "relationshipType") != "trainedOn") continue;
      for (const JsonNode* to : StringItems(r.node->Find("to"))) {
        if (to->text == id && (model_id.empty() || StringField(*r.node, "from") == model_id)) {
          trained = true;
        }
      }
    }
    b_.SourceField(index, "id", At(e, name != nullptr ? *name : *e.node), {},
                   std::string(trained ? "a dataset_DatasetPackage the model is trainedOn"
                                       : "a dataset_DatasetPackage of the documents; no trainedOn "
                                         "relationship of the model names it") +
                       (repeated ? "; another dataset package has the same name: a repeated "
                                   "source id"
                                 : ""));
    if (const JsonNode* uri = e.node->Find("software_downloadLocation");
        uri != nullptr && uri->is_string()) {
      source.uri = uri->text;
      b_.SourceField(index, "uri", At(e, *uri));
    }
    std::string license;
    std::string note;
    Origin origin;
    if (LicenseOf(id, license, note, origin)) {
      source.license = license;
      b_.SourceField(index, "license", origin, {}, note);
      bool unknown = license == "NOASSERTION";
      source.permission.basis = unknown ? Basis::kUnknown : Basis::kLicense;
      b_.SourceField(index, "permission/basis", origin, {},
                     unknown ? "NOASSERTION: no basis" : "the dataset's licence: basis license");
    } else {
      b_.SourceNotStated(index, "license", "no hasConcludedLicense or hasDeclaredLicense");
      b_.SourceNotStated(index, "permission/basis", "no licence: basis unknown");
    }
    for (const auto& [key, value] : e.node->members) {
      if (key == "type" || key == "spdxId" || key == "name" || key == "creationInfo" ||
          key == "software_downloadLocation") {
        continue;
      }
      if (key == "dataset_datasetSize" && value.type == JsonNode::Type::kNumber) {
        std::uint64_t bytes = 0;
        auto [p, ec] =
            std::from_chars(value.text.data(), value.text.data() + value.text.size(), bytes);
        if (ec == std::errc() && p == value.text.data() + value.text.size()) {
          source.size.emplace();
          source.size->bytes = bytes;
          b_.SourceField(index, "size/bytes", At(e, value), {}, "dataset_datasetSize (bytes)");
          continue;
        }
      }
      if (key == "description" && value.is_string() && !value.text.empty()) {
        source.title = value.text;
        b_.SourceField(index, "title", At(e, value));
        continue;
      }
      if (key == "extension") {
        ReadExtensions(
            e, value,
            [&](const std::string& pointer, const std::string& text, const Origin& origin) {
              b_.SourceProperty(index, pointer, text, origin);
            });
        continue;
      }
      if (key == "dataset_dataCollectionProcess" && value.is_string()) {
        b_.SourceExtension(index, "x-collection",
                           {{"field", key}, {"text", value.text}, {"pointer", value.pointer}});
        continue;
      }
      if ((key == "originatedBy" || key == "suppliedBy") && !StringItems(&value).empty()) {
        for (const JsonNode* a : StringItems(&value)) {
          b_.SourceExtension(index, "x-creators",
                             {{"role", key}, {"name", AgentName(a)}, {"pointer", a->pointer}});
        }
        continue;
      }
      if (key == "verifiedUsing" && value.is_array()) {
        for (const JsonNode& h : value.elements) {
          if (!h.is_object()) continue;
          b_.SourceExtension(index, "x-distribution",
                             {{"algorithm", StringField(h, "algorithm")},
                              {"hashValue", StringField(h, "hashValue")},
                              {"pointer", h.pointer}});
        }
        continue;
      }
      b_.Unmapped(At(e, value), key,
                  "not a fact of provenance or licensing that the manifest records");
    }
    if (!source.size) b_.SourceNotStated(index, "size", "no dataset_datasetSize");
    b_.SourceNotStated(index, "digest",
                       "verifiedUsing hashes (x-distribution) are of the package, not of the "
                       "content listing digest.sha256 is defined over");
    b_.SourceNotStated(index, "kind",
                       "SPDX's dataset types say the modality, not the kind: 'other'");
  }

  ImportBuilder& b_;
  std::map<std::string, Element> elements_;
  std::vector<Element> relationships_;
  std::vector<std::string> order_;  // Element ids in document order.
};

}  // namespace

void ImportSpdx3(const std::vector<ImportDocument>& documents, ImportBuilder& b) {
  std::vector<JsonNode> roots(documents.size());
  Spdx3Reader reader(b);
  if (!documents.empty()) reader.first_file_ = documents[0].name;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    const ImportDocument& doc = documents[i];
    if (!b.ParseJson(doc, roots[i])) continue;
    if (!roots[i].is_object()) {
      b.Error(OriginOf(doc.name, roots[i]), "spdx3-type", "an SPDX 3 document is a JSON-LD object");
      continue;
    }
    reader.Add(doc, roots[i]);
  }
  if (b.HasError()) return;
  reader.Map();
}

}  // namespace provgate::detail
