// MLCommons Croissant (0.8, 1.0, 1.1): a JSON-LD document whose root is a schema.org Dataset,
// with Croissant's and the RAI vocabulary's terms. Keys are read as the IRIs the document's
// own @context makes of them, so the versions' different contexts (0.8's `ml:` prefix, 1.0's
// `cr:` and `rai:`, 1.1's `prov:`) read alike. Each file gives one source; the mapping is
// docs/interop.md's table.
#include <charconv>
#include <map>
#include <string>
#include <string_view>

#include "interop/import_formats.h"

namespace provgate::detail {
namespace {

constexpr std::string_view kSchema = "https://schema.org/";
constexpr std::string_view kCroissant = "http://mlcommons.org/croissant/";
constexpr std::string_view kCroissant08 = "http://mlcommons.org/schema/";
constexpr std::string_view kRai = "http://mlcommons.org/croissant/RAI/";

// Terms as a JSON-LD processor expands them with a document's @context: the terms it
// defines, `prefix:suffix` with its prefixes, and @vocab for the rest. schema.org's http and
// https forms are the same vocabulary.
class Context {
 public:
  void Read(const JsonNode* context) {
    if (context == nullptr || !context->is_object()) return;
    for (const auto& [key, value] : context->members) {
      if (key == "@vocab" && value.is_string()) {
        vocab_ = value.text;
      } else if (value.is_string()) {
        terms_[key] = value.text;
      } else if (value.is_object()) {
        if (const JsonNode* id = value.Find("@id"); id != nullptr && id->is_string()) {
          terms_[key] = id->text;
        }
      }
    }
  }

  // The IRI of `key` (a term, a compact IRI or an IRI), schema.org's normalised to https.
  std::string Expand(std::string_view key, int depth = 0) const {
    if (key.empty() || key[0] == '@') return std::string(key);
    std::string out;
    if (auto it = terms_.find(std::string(key)); it != terms_.end() && depth < 4) {
      out = it->second == key ? std::string(key) : Expand(it->second, depth + 1);
    } else if (std::size_t colon = key.find(':'); colon != std::string_view::npos) {
      std::string prefix(key.substr(0, colon));
      std::string_view suffix = key.substr(colon + 1);
      if (suffix.rfind("//", 0) == 0) {
        out = std::string(key);  // Already an IRI.
      } else if (auto p = terms_.find(prefix); p != terms_.end()) {
        out = p->second + std::string(suffix);
      } else {
        out = std::string(key);
      }
    } else {
      out = vocab_ + std::string(key);
    }
    if (out.rfind("http://schema.org/", 0) == 0) out.replace(0, 18, kSchema);
    return out;
  }

 private:
  std::map<std::string, std::string> terms_;
  std::string vocab_ = std::string(kSchema);
};

// The Croissant term `name` in its vocabulary's IRIs (`schema:`, `cr:`, `rai:`).
bool Is(const std::string& iri, std::string_view vocabulary, std::string_view name) {
  return iri.size() == vocabulary.size() + name.size() &&
         iri.compare(0, vocabulary.size(), vocabulary) == 0 &&
         iri.compare(vocabulary.size(), name.size(), name) == 0;
}
bool IsCroissant(const std::string& iri, std::string_view name) {
  return Is(iri, kCroissant, name) || Is(iri, kCroissant08, name) || Is(iri, kSchema, name);
}

// A value's text: a string, or the @id or name of an object.
std::string TextOf(const JsonNode& node, const Context& context) {
  if (node.is_string()) return node.text;
  if (node.is_object()) {
    for (const auto& [key, value] : node.members) {
      std::string iri = context.Expand(key);
      if ((key == "@id" || Is(iri, kSchema, "url")) && value.is_string()) return value.text;
    }
    for (const auto& [key, value] : node.members) {
      if (Is(context.Expand(key), kSchema, "name") && value.is_string()) return value.text;
    }
  }
  return {};
}

// The elements of a value that may be one value or a list.
std::vector<const JsonNode*> Items(const JsonNode& node) {
  std::vector<const JsonNode*> out;
  if (node.is_array()) {
    for (const JsonNode& e : node.elements) out.push_back(&e);
  } else {
    out.push_back(&node);
  }
  return out;
}

// A content size in bytes: a number, or a number followed by `B` or `bytes`. Sizes in larger
// units (`1.2 GB`) are rounded by whoever wrote them, and are not read as byte counts.
bool ExactBytes(const JsonNode& node, std::uint64_t& out) {
  std::string_view text = node.text;
  if (node.type != JsonNode::Type::kNumber && !node.is_string()) return false;
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  for (std::string_view unit : {"bytes", "B"}) {
    if (text.size() > unit.size() && text.substr(text.size() - unit.size()) == unit) {
      text.remove_suffix(unit.size());
      while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
      break;
    }
  }
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && p == text.data() + text.size();
}

bool TypeIs(const JsonNode& node, const Context& context, std::string_view name) {
  const JsonNode* type = node.Find("@type");
  if (type == nullptr) return false;
  for (const JsonNode* t : Items(*type)) {
    if (t->is_string() && IsCroissant(context.Expand(t->text), name)) return true;
  }
  return false;
}

void ReadDataset(const ImportDocument& doc, const JsonNode& root, const Context& context,
                 ImportBuilder& b) {
  auto at = [&](const JsonNode& n) { return OriginOf(doc.name, n); };
  const JsonNode* name = nullptr;
  const JsonNode* url = nullptr;
  const JsonNode* license = nullptr;
  const JsonNode* distribution = nullptr;
  const JsonNode* conforms = nullptr;
  std::vector<std::pair<std::string, const JsonNode*>> rest;
  for (const auto& [key, value] : root.members) {
    std::string iri = context.Expand(key);
    if (key == "@context" || key == "@type" || key == "@id") continue;
    if (Is(iri, kSchema, "name")) {
      name = &value;
    } else if (Is(iri, kSchema, "url")) {
      url = &value;
    } else if (Is(iri, kSchema, "license")) {
      license = &value;
    } else if (Is(iri, kSchema, "distribution")) {
      distribution = &value;
    } else if (key == "conformsTo" || iri == "http://purl.org/dc/terms/conformsTo") {
      conforms = &value;
    } else {
      rest.emplace_back(key, &value);
    }
  }
  std::string version = "0.8";
  if (conforms != nullptr) {
    for (const JsonNode* c : Items(*conforms)) {
      if (c->is_string() && c->text.rfind(kCroissant, 0) == 0) {
        version = c->text.substr(kCroissant.size());
      }
    }
  }
  if (name == nullptr || !name->is_string() || name->text.empty()) {
    b.Error(name != nullptr ? at(*name) : at(root), "croissant-name",
            "the Croissant dataset has no name (schema.org name, required by Croissant)");
    return;
  }
  bool created = false;
  std::size_t index = b.SourceIndex(name->text, &created);
  if (!created) {
    b.Error(at(*name), "import-duplicate",
            "another input already describes a dataset named '" + name->text + "'");
    return;
  }
  Source& source = b.manifest().sources[index];
  b.SourceField(index, "id", at(*name), {}, "the dataset's name (Croissant " + version + ")");
  if (url != nullptr) {
    std::string text = TextOf(*url, context);
    if (!text.empty()) {
      source.uri = text;
      b.SourceField(index, "uri", at(*url));
    }
  }
  // Licence: one or several (each applies: AND).
  if (license != nullptr) {
    std::vector<std::string> ids;
    std::vector<std::string> texts;
    for (const JsonNode* item : Items(*license)) {
      std::string text = TextOf(*item, context);
      texts.push_back(text);
      if (text.empty()) {
        b.Unmapped(at(*item), "license", "a licence that is neither text nor a URL");
        continue;
      }
      LicenseMapping m = b.NormalizeLicense(text);
      ids.push_back(m.value);
      if (!m.note.empty() || Items(*license).size() > 1) {
        b.SourceField(index, "license", at(*license), text, m.note);
      }
    }
    if (!ids.empty()) {
      std::string joined;
      for (const std::string& id : ids) joined += (joined.empty() ? "" : " AND ") + id;
      source.license = joined;
      if (!b.SourceHas(index, "license")) b.SourceField(index, "license", at(*license));
      if (ids.size() > 1) {
        b.SourceField(index, "license", at(*license), {},
                      "several licences: each applies to the data (AND)");
      }
      // Said to be unknown, as opposed to stated in a form that is no licence id.
      bool unknown = texts.size() == 1 && (texts[0] == "unknown" || texts[0] == "NOASSERTION");
      source.permission.basis = unknown ? Basis::kUnknown : Basis::kLicense;
      b.SourceField(index, "permission/basis", at(*license), {},
                    unknown ? "the licence is said to be unknown: no basis"
                            : "the dataset is offered under this licence: basis license "
                              "(whether it covers the content or only the compilation is not "
                              "said)");
    }
  }
  if (!source.license) {
    b.SourceNotStated(index, "license", "no licence stated");
    b.SourceNotStated(index, "permission/basis", "no licence stated: basis unknown");
  }
  // Distribution: sizes added up when every top-level file states its bytes exactly; every
  // file kept in x-distribution with its digests.
  if (distribution != nullptr) {
    std::uint64_t total = 0;
    bool exact = true;
    std::size_t files = 0;
    for (const JsonNode* item : Items(*distribution)) {
      if (!item->is_object()) {
        b.Error(at(*item), "croissant-type", "a distribution entry must be an object");
        return;
      }
      ImportBuilder::ExtensionObject entry;
      entry.emplace_back("pointer", item->pointer);
      bool file_object = TypeIs(*item, context, "FileObject");
      bool contained = false;
      const JsonNode* size = nullptr;
      for (const auto& [key, value] : item->members) {
        std::string iri = context.Expand(key);
        if (Is(iri, kSchema, "contentUrl") || Is(iri, kSchema, "contentSize") ||
            IsCroissant(iri, "sha256") || IsCroissant(iri, "md5") ||
            Is(iri, kSchema, "encodingFormat") || Is(iri, kSchema, "name") ||
            IsCroissant(iri, "includes")) {
          if (value.is_string() || value.type == JsonNode::Type::kNumber) {
            entry.emplace_back(key, value.text);
          }
        }
        if (Is(iri, kSchema, "contentSize")) size = &value;
        if (IsCroissant(iri, "containedIn")) contained = true;
      }
      if (const JsonNode* type = item->Find("@type"); type != nullptr && type->is_string()) {
        entry.emplace_back("@type", type->text);
      }
      b.SourceExtension(index, "x-distribution", std::move(entry));
      if (!file_object || contained) continue;
      ++files;
      std::uint64_t bytes = 0;
      if (size == nullptr || !ExactBytes(*size, bytes) || total > UINT64_MAX - bytes) {
        exact = false;
      } else {
        total += bytes;
      }
    }
    if (files > 0 && exact) {
      source.size.emplace();
      source.size->bytes = total;
      b.SourceField(index, "size/bytes", at(*distribution), {},
                    "the contentSize of the top-level files, added up");
    } else if (files > 0) {
      b.Unmapped(at(*distribution), "distribution.contentSize",
                 "some file does not state its size in bytes: no size");
    }
    b.SourceNotStated(index, "digest",
                      "the files' digests (x-distribution) are of the downloads, not of the "
                      "content listing digest.sha256 is defined over");
  }
  if (!source.size) b.SourceNotStated(index, "size", "no size in bytes stated");
  // Creators, collection (RAI), and what else the document says.
  std::vector<std::string> collection_types;
  const JsonNode* collection_type_at = nullptr;
  for (const auto& [key, value] : rest) {
    std::string iri = context.Expand(key);
    if (Is(iri, kSchema, "creator") || Is(iri, kSchema, "publisher")) {
      for (const JsonNode* item : Items(*value)) {
        ImportBuilder::ExtensionObject creator;
        creator.emplace_back("role", Is(iri, kSchema, "creator") ? "creator" : "publisher");
        std::string text = TextOf(*item, context);
        if (item->is_object()) {
          for (const auto& [k, v] : item->members) {
            std::string kiri = context.Expand(k);
            if ((Is(kiri, kSchema, "name") || Is(kiri, kSchema, "url") || k == "@type") &&
                v.is_string()) {
              creator.emplace_back(k, v.text);
            }
          }
        } else if (!text.empty()) {
          creator.emplace_back("name", text);
        }
        creator.emplace_back("pointer", item->pointer);
        b.SourceExtension(index, "x-creators", std::move(creator));
      }
      continue;
    }
    if (iri.rfind(kRai, 0) == 0) {
      std::string term = iri.substr(kRai.size());
      if (term == "dataCollection" || term == "dataCollectionType" ||
          term == "dataCollectionRawData" || term == "dataCollectionMissingData" ||
          term == "dataCollectionTimeframe" || term == "dataManipulationProtocol" ||
          term == "dataPreprocessingProtocol" || term == "dataAnnotationProtocol" ||
          term == "dataAnnotationPlatform" || term == "machineAnnotationTools") {
        for (const JsonNode* item : Items(*value)) {
          if (!item->is_string()) continue;
          b.SourceExtension(
              index, "x-collection",
              {{"field", "rai:" + term}, {"text", item->text}, {"pointer", item->pointer}});
          if (term == "dataCollectionType") collection_types.push_back(item->text);
        }
        if (term == "dataCollectionType") collection_type_at = value;
        continue;
      }
      b.Unmapped(at(*value), key, "a responsible-AI statement the manifest has no field for");
      continue;
    }
    b.Unmapped(at(*value), key, "not a fact of provenance or licensing that the manifest records");
  }
  // Acquisition: only a collection that was web scraping alone is a crawl.
  bool all_scraping = !collection_types.empty();
  for (const std::string& type : collection_types) {
    std::string lower;
    for (char c : type) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    if (lower != "web scraping") all_scraping = false;
  }
  if (all_scraping) {
    source.acquisition.emplace();
    source.acquisition->method = AcquisitionMethod::kCrawl;
    b.SourceField(index, "acquisition/method", at(*collection_type_at), "Web Scraping",
                  "rai:dataCollectionType");
  } else {
    if (collection_type_at != nullptr) {
      b.Unmapped(at(*collection_type_at), "rai:dataCollectionType",
                 "not one acquisition method of the manifest (kept in x-collection)");
    }
    b.SourceNotStated(index, "acquisition/method", "not stated as one method");
  }
  b.SourceNotStated(index, "kind", "Croissant does not say what kind of data this is: 'other'");
}

}  // namespace

void ImportCroissant(const std::vector<ImportDocument>& documents, ImportBuilder& b) {
  for (const ImportDocument& doc : documents) {
    JsonNode root;
    if (!b.ParseJson(doc, root)) continue;
    if (!root.is_object()) {
      b.Error(OriginOf(doc.name, root), "croissant-type",
              "a Croissant document is a JSON-LD object, not " +
                  std::string(JsonNodeTypeName(root.type)));
      continue;
    }
    Context context;
    context.Read(root.Find("@context"));
    const JsonNode* type = root.Find("@type");
    if (type == nullptr) {
      b.Error(OriginOf(doc.name, root), "croissant-no-dataset",
              "no dataset: the document's root has no @type (a Croissant file describes a "
              "schema.org Dataset)");
      continue;
    }
    if (!TypeIs(root, context, "Dataset")) {
      b.Error(OriginOf(doc.name, *type), "croissant-type",
              "the JSON-LD document is of type '" + TextOf(*type, context) +
                  "', not a schema.org Dataset: not a Croissant dataset");
      continue;
    }
    ReadDataset(doc, root, context, b);
  }
}

}  // namespace provgate::detail
