// Hugging Face cards: the YAML front matter of a model's or a dataset's README.md
// (huggingface.co/docs/hub/model-cards, /datasets-cards). A model card gives the model (its
// licence, base models and their relation, the datasets it names); each dataset card gives
// one source. The mapping is docs/interop.md's table.
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <string>
#include <string_view>

#include "interop/import_formats.h"

namespace provgate::detail {
namespace {

constexpr std::string_view kModelKeys[] = {"base_model",   "base_model_relation", "datasets",
                                           "library_name", "pipeline_tag",        "model-index",
                                           "model_name"};
constexpr std::string_view kDatasetKeys[] = {
    "dataset_info",      "configs",         "task_categories",  "size_categories",
    "source_datasets",   "pretty_name",     "task_ids",         "annotations_creators",
    "language_creators", "multilinguality", "paperswithcode_id"};

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

// A card's YAML front matter: the text between a first line `---` and the next line `---`
// (or `...`), with the number of lines before it.
struct FrontMatter {
  std::string_view yaml;
  std::uint32_t line_offset = 1;
};

bool FindFrontMatter(std::string_view text, FrontMatter& out, std::uint32_t& error_line) {
  auto line_end = [&](std::size_t from) {
    std::size_t nl = text.find('\n', from);
    return nl == std::string_view::npos ? text.size() : nl;
  };
  auto line_at = [&](std::size_t from, std::size_t end) {
    std::string_view line = text.substr(from, end - from);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    return line;
  };
  std::size_t first_end = line_end(0);
  if (line_at(0, first_end) != "---") {
    error_line = 1;
    return false;
  }
  std::size_t start = first_end < text.size() ? first_end + 1 : text.size();
  std::size_t pos = start;
  std::uint32_t line = 2;
  while (pos < text.size()) {
    std::size_t end = line_end(pos);
    std::string_view l = line_at(pos, end);
    if (l == "---" || l == "...") {
      out.yaml = text.substr(start, pos - start);
      out.line_offset = 1;
      return true;
    }
    pos = end + 1;
    ++line;
  }
  error_line = line - 1;
  return false;
}

// The card's id from its directory: `datasets--owner--name` or `owner--name` (the Hub's cache
// layout) as `owner/name`, another name as it is.
std::string IdFromPath(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().filename().string();
  for (std::string_view prefix : {"datasets--", "models--"}) {
    if (dir.rfind(prefix, 0) == 0) dir.erase(0, prefix.size());
  }
  std::string id;
  for (std::size_t i = 0; i < dir.size(); ++i) {
    if (dir.compare(i, 2, "--") == 0) {
      id += '/';
      ++i;
    } else {
      id += dir[i];
    }
  }
  return id;
}

class CardReader {
 public:
  CardReader(const ImportDocument& doc, const YamlTreeNode& root, std::uint32_t offset,
             ImportBuilder& b)
      : doc_(doc), root_(root), offset_(offset), b_(b) {}

  Origin At(const YamlTreeNode& node) const { return OriginOf(doc_.name, node, offset_); }

  // A string, or a list of strings. False (with an error) for anything else.
  bool Strings(const YamlTreeNode& node, std::string_view field, std::vector<std::string>& out) {
    if (node.is_scalar()) {
      out.push_back(node.scalar);
      return true;
    }
    if (node.is_sequence()) {
      for (const YamlTreeNode& item : node.sequence) {
        if (!item.is_scalar()) {
          b_.Error(At(item), "hf-card-type",
                   "expected a string in '" + std::string(field) + "', got a " +
                       (item.is_mapping()    ? "mapping"
                        : item.is_sequence() ? "list"
                                             : "null"));
          return false;
        }
        out.push_back(item.scalar);
      }
      return true;
    }
    if (node.kind == YamlTreeNode::Kind::kNull) return true;
    b_.Error(
        At(node), "hf-card-type",
        "expected a string or a list of strings for '" + std::string(field) + "', got a mapping");
    return false;
  }

  // The licence of the card (`license`, with `license_name` and `license_link` for `other`),
  // as the manifest writes it, with its provenance note.
  bool License(std::optional<std::string>& value, std::string& written, std::string& note,
               const YamlTreeNode*& at) {
    at = root_.Find("license");
    if (at == nullptr) return true;
    std::vector<std::string> ids;
    if (!Strings(*at, "license", ids)) return false;
    if (ids.empty()) return true;
    std::string joined;
    for (const std::string& id : ids) {
      if (!joined.empty()) joined += " AND ";
      joined += id;
    }
    written = ids.size() == 1 ? ids[0] : joined;
    if (ids.size() > 1) note = "a list of licences: each applies to the data (AND)";
    if (ids.size() == 1 && LowerAscii(ids[0]) == "other") {
      std::string name;
      std::string link;
      if (const YamlTreeNode* n = root_.Find("license_name"); n != nullptr && n->is_scalar()) {
        name = n->scalar;
      }
      if (const YamlTreeNode* n = root_.Find("license_link"); n != nullptr && n->is_scalar()) {
        link = n->scalar;
      }
      if (!name.empty()) {
        LicenseMapping named = b_.NormalizeLicense(name);
        if (!named.note.empty()) {
          value = named.value;
          note = "license: other, license_name '" + name + "': " + named.note;
          if (!link.empty()) note += "; license_link " + link;
          return true;
        }
      }
      value = ids[0];
      note = "license: other";
      if (!name.empty()) note += ", license_name '" + name + "'";
      if (!link.empty()) note += ", license_link " + link;
      note += ": no licence id";
      return true;
    }
    LicenseMapping mapped = b_.NormalizeLicense(joined);
    value = mapped.value;
    if (!mapped.note.empty()) note = note.empty() ? mapped.note : note + "; " + mapped.note;
    if (value == written) written.clear();
    return true;
  }

  void UnmappedRest(const std::vector<std::string_view>& mapped, std::string_view why) {
    for (const auto& [key, value] : root_.mapping) {
      if (std::find(mapped.begin(), mapped.end(), key) != mapped.end()) continue;
      b_.Unmapped(At(value), key, std::string(why));
    }
  }

  const ImportDocument& doc_;
  const YamlTreeNode& root_;
  std::uint32_t offset_;
  ImportBuilder& b_;
};

struct Card {
  const ImportDocument* doc = nullptr;
  YamlTreeNode root;
  std::uint32_t offset = 1;
  bool is_model = false;
};

Relation RelationOf(std::string_view relation, bool& known) {
  known = true;
  if (relation == "adapter") return Relation::kAdapter;
  if (relation == "merge") return Relation::kMerge;
  if (relation == "quantized") return Relation::kQuantization;
  if (relation == "finetune") return Relation::kFineTune;
  known = false;
  return Relation::kFineTune;
}

void ReadModelCard(const Card& card, ImportBuilder& b, std::vector<std::string>& dataset_ids,
                   std::vector<Origin>& dataset_origins) {
  CardReader r(*card.doc, card.root, card.offset, b);
  Model& model = b.manifest().header.model;
  for (std::string_view key : {"model_name"}) {
    if (const YamlTreeNode* n = card.root.Find(key);
        n != nullptr && n->is_scalar() && !n->scalar.empty()) {
      model.id = n->scalar;
      b.ModelField("id", r.At(*n));
    }
  }
  if (model.id.empty()) {
    if (const YamlTreeNode* index = card.root.Find("model-index");
        index != nullptr && index->is_sequence() && !index->sequence.empty()) {
      if (const YamlTreeNode* name = index->sequence[0].Find("name");
          name != nullptr && name->is_scalar() && !name->scalar.empty()) {
        model.id = name->scalar;
        b.ModelField("id", r.At(*name), {}, "model-index/0/name");
      }
    }
  }
  std::optional<std::string> license;
  std::string written;
  std::string note;
  const YamlTreeNode* license_at = nullptr;
  if (!r.License(license, written, note, license_at)) return;
  if (license) {
    model.release.license = license;
    b.ModelField("release/license", r.At(*license_at), written, note);
  }
  // Base models and their relation.
  std::vector<std::string> bases;
  const YamlTreeNode* base = card.root.Find("base_model");
  if (base != nullptr && !r.Strings(*base, "base_model", bases)) return;
  const YamlTreeNode* relation_node = card.root.Find("base_model_relation");
  std::string relation_text;
  if (relation_node != nullptr) {
    if (!relation_node->is_scalar()) {
      b.Error(r.At(*relation_node), "hf-card-type", "expected a string for 'base_model_relation'");
      return;
    }
    relation_text = relation_node->scalar;
  }
  bool known = false;
  Relation relation = RelationOf(relation_text, known);
  if (relation_node != nullptr && !known) {
    b.Error(r.At(*relation_node), "hf-card-value",
            "unknown base_model_relation '" + relation_text +
                "': expected adapter, merge, quantized or finetune");
    return;
  }
  for (std::size_t i = 0; i < bases.size(); ++i) {
    LineageEntry entry;
    entry.model = bases[i];
    const YamlTreeNode& at = base->is_sequence() ? base->sequence[i] : *base;
    std::string key = "lineage/" + std::to_string(model.lineage.size());
    b.ModelField(key + "/model", r.At(at));
    if (relation_node != nullptr) {
      entry.relation = relation;
      b.ModelField(key + "/relation", r.At(*relation_node), relation_text,
                   "base_model_relation " + relation_text);
    } else if (bases.size() > 1) {
      entry.relation = Relation::kMerge;
      b.ModelNotStated(key + "/relation",
                       "no base_model_relation: several base models are read as a merge, as "
                       "the Hub does");
    } else {
      entry.relation = Relation::kFineTune;
      b.ModelNotStated(key + "/relation",
                       "no base_model_relation: written fine-tune, the relation the Hub assumes "
                       "unless the repository's files show an adapter or a quantization");
    }
    model.lineage.push_back(std::move(entry));
  }
  // Datasets named by the card: sources, whose facts come from their own cards.
  if (const YamlTreeNode* datasets = card.root.Find("datasets"); datasets != nullptr) {
    std::vector<std::string> ids;
    if (!r.Strings(*datasets, "datasets", ids)) return;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      if (ids[i].empty()) continue;
      dataset_ids.push_back(ids[i]);
      dataset_origins.push_back(r.At(datasets->is_sequence() ? datasets->sequence[i] : *datasets));
    }
  }
  r.UnmappedRest({"model_name", "license", "license_name", "license_link", "base_model",
                  "base_model_relation", "datasets"},
                 "not a fact of provenance or licensing that the manifest records");
}

// Adds up `num_examples` of the splits, when each split states it.
bool SumExamples(const YamlTreeNode& splits, std::uint64_t& total) {
  if (!splits.is_sequence() || splits.sequence.empty()) return false;
  total = 0;
  for (const YamlTreeNode& split : splits.sequence) {
    const YamlTreeNode* n = split.Find("num_examples");
    std::uint64_t count = 0;
    if (n == nullptr || !n->is_scalar() || !n->plain) return false;
    auto [p, ec] = std::from_chars(n->scalar.data(), n->scalar.data() + n->scalar.size(), count);
    if (ec != std::errc() || p != n->scalar.data() + n->scalar.size()) return false;
    if (total > UINT64_MAX - count) return false;
    total += count;
  }
  return true;
}

bool ParseCount(const YamlTreeNode& n, std::uint64_t& out) {
  if (!n.is_scalar() || !n.plain || n.scalar.empty()) return false;
  auto [p, ec] = std::from_chars(n.scalar.data(), n.scalar.data() + n.scalar.size(), out);
  return ec == std::errc() && p == n.scalar.data() + n.scalar.size();
}

void ReadDatasetCard(const Card& card, const std::string& id, const std::string& id_note,
                     ImportBuilder& b) {
  CardReader r(*card.doc, card.root, card.offset, b);
  bool created = false;
  std::size_t index = b.SourceIndex(id, &created);
  Source& source = b.manifest().sources[index];
  b.SourceField(index, "id", {card.doc->name, 0, 0, ""}, {}, id_note);
  if (const YamlTreeNode* n = card.root.Find("pretty_name"); n != nullptr && n->is_scalar()) {
    source.title = n->scalar;
    b.SourceField(index, "title", r.At(*n));
  }
  std::optional<std::string> license;
  std::string written;
  std::string note;
  const YamlTreeNode* license_at = nullptr;
  if (!r.License(license, written, note, license_at)) return;
  if (license) {
    source.license = license;
    b.SourceField(index, "license", r.At(*license_at), written, note);
    if (LowerAscii(*license) == "unknown") {
      source.permission.basis = Basis::kUnknown;
      b.SourceField(index, "permission/basis", r.At(*license_at), {},
                    "the card says its licence is unknown: no basis");
    } else {
      source.permission.basis = Basis::kLicense;
      b.SourceField(index, "permission/basis", r.At(*license_at), {},
                    "the card offers the data under this licence: basis license (whether it "
                    "covers the content or only the compilation is not said)");
    }
  } else {
    b.SourceNotStated(index, "license", "the card states no licence");
    b.SourceNotStated(index, "permission/basis", "no licence stated: basis unknown");
  }
  // Sizes, from dataset_info (one configuration; several may overlap and are not added).
  if (const YamlTreeNode* info = card.root.Find("dataset_info"); info != nullptr) {
    if (info->is_mapping()) {
      if (const YamlTreeNode* n = info->Find("dataset_size"); n != nullptr) {
        std::uint64_t bytes = 0;
        if (ParseCount(*n, bytes)) {
          if (!source.size) source.size.emplace();
          source.size->bytes = bytes;
          b.SourceField(index, "size/bytes", r.At(*n), {},
                        "dataset_info.dataset_size: bytes of the prepared data");
        } else {
          b.Unmapped(r.At(*n), "dataset_info.dataset_size", "not a whole number of bytes");
        }
      }
      if (const YamlTreeNode* splits = info->Find("splits"); splits != nullptr) {
        std::uint64_t examples = 0;
        if (SumExamples(*splits, examples)) {
          if (!source.size) source.size.emplace();
          source.size->documents = examples;
          b.SourceField(index, "size/documents", r.At(*splits), {},
                        "the num_examples of the splits, added up: examples counted as "
                        "documents");
        } else {
          b.Unmapped(r.At(*splits), "dataset_info.splits",
                     "a split does not state num_examples as a whole number");
        }
      }
    } else {
      b.Unmapped(r.At(*info), "dataset_info",
                 "several configurations, which may overlap: their sizes are not added up");
    }
  }
  if (!source.size) b.SourceNotStated(index, "size", "the card states no size");
  // What the card says of how the content was made.
  std::vector<std::string> creators;
  if (const YamlTreeNode* n = card.root.Find("language_creators"); n != nullptr) {
    if (!r.Strings(*n, "language_creators", creators)) return;
    bool machine =
        std::find(creators.begin(), creators.end(), "machine-generated") != creators.end();
    b.Unmapped(r.At(*n), "language_creators",
               machine ? "machine-generated text, but the card does not name the generating "
                         "model or program: kind stays 'other'; add kind and generated_by"
                       : "the manifest's kind is not derived from who wrote the text");
  }
  b.SourceNotStated(index, "kind", "the card does not say what kind of data this is: 'other'");
  b.SourceNotStated(index, "acquisition", "the card does not say how the data was acquired");
  b.SourceNotStated(index, "digest", "the card states no content digest");
  r.UnmappedRest({"pretty_name", "license", "license_name", "license_link", "dataset_info",
                  "language_creators"},
                 "not a fact of provenance or licensing that the manifest records");
}

}  // namespace

void ImportHfCards(const std::vector<ImportDocument>& documents, ImportBuilder& b) {
  std::vector<Card> cards;
  cards.reserve(documents.size());
  for (const ImportDocument& doc : documents) {
    Card card;
    card.doc = &doc;
    FrontMatter front;
    std::uint32_t error_line = 1;
    if (!FindFrontMatter(doc.text, front, error_line)) {
      b.Error({doc.name, error_line, 1, ""}, "hf-card-front-matter",
              error_line == 1 ? "a card starts with its YAML front matter: a line '---'"
                              : "the YAML front matter is not closed by a line '---'");
      continue;
    }
    card.offset = front.line_offset;
    YamlTreeProblem problem;
    if (!ParseYamlTree(front.yaml, kMaxImportNodes, kMaxImportDepth, card.root, problem)) {
      b.Error({doc.name, problem.line == 0 ? 0 : problem.line + card.offset, problem.column,
               problem.pointer},
              "hf-card-yaml", "invalid YAML front matter: " + problem.message);
      continue;
    }
    if (!card.root.is_mapping()) {
      b.Error({doc.name, 2, 1, ""}, "hf-card-yaml", "the front matter is not a YAML mapping");
      continue;
    }
    bool model = false;
    bool dataset = false;
    for (std::string_view key : kModelKeys) model = model || card.root.Find(key) != nullptr;
    for (std::string_view key : kDatasetKeys) dataset = dataset || card.root.Find(key) != nullptr;
    if (model == dataset) {
      b.Error({doc.name, 1, 1, ""}, "hf-card-kind",
              model ? "the card has fields of both a model card and a dataset card"
                    : "cannot tell a model card from a dataset card: it has no base_model, "
                      "datasets, library_name, pipeline_tag or model-index (model) and no "
                      "dataset_info, configs, task_categories, size_categories, "
                      "source_datasets or pretty_name (dataset)");
      continue;
    }
    card.is_model = model;
    cards.push_back(std::move(card));
  }
  if (b.HasError()) return;
  std::size_t models = 0;
  for (const Card& card : cards) models += card.is_model ? 1 : 0;
  if (models > 1) {
    const Card* second = nullptr;
    std::size_t seen = 0;
    for (const Card& card : cards) {
      if (card.is_model && ++seen == 2) second = &card;
    }
    b.Error({second->doc->name, 1, 1, ""}, "hf-card-models",
            "a manifest describes one model: only one model card may be imported at a time");
    return;
  }
  std::vector<std::string> named;
  std::vector<Origin> named_at;
  for (const Card& card : cards) {
    if (card.is_model) ReadModelCard(card, b, named, named_at);
  }
  // The model card's datasets first, in its order; then each dataset card, matched to one of
  // them by its directory's name.
  for (std::size_t i = 0; i < named.size(); ++i) {
    std::size_t index = b.SourceIndex(named[i]);
    b.SourceField(index, "id", named_at[i], {}, "named in the model card's datasets");
  }
  for (const Card& card : cards) {
    if (card.is_model) continue;
    std::string from_path = IdFromPath(card.doc->name);
    std::string id;
    std::string note;
    for (const std::string& name : named) {
      std::string last = name.substr(name.rfind('/') + 1);
      if (LowerAscii(name) == LowerAscii(from_path) || LowerAscii(last) == LowerAscii(from_path)) {
        id = name;
        note = "the model card's dataset '" + name + "', matched by the card's directory";
        break;
      }
    }
    if (id.empty()) {
      id = from_path.empty() ? std::string("unknown") : from_path;
      note = from_path.empty() ? "the card's directory gives no name: 'unknown'"
                               : "the name of the card's directory";
    }
    ReadDatasetCard(card, id, note, b);
  }
  // Datasets the model card names without a card: nothing is known of them.
  for (std::size_t i = 0; i < b.manifest().sources.size(); ++i) {
    if (!b.SourceHas(i, "license") && !b.SourceHas(i, "permission/basis")) {
      b.SourceNotStated(i, "license", "no card of this dataset was imported: licence unknown");
      b.SourceNotStated(i, "permission/basis", "no card of this dataset: basis unknown");
      b.SourceNotStated(i, "kind", "no card of this dataset: 'other'");
    }
  }
  if (b.manifest().sources.empty() && models == 0) {
    b.Error({documents.empty() ? std::string("<input>") : documents[0].name, 1, 1, ""},
            "import-empty", "the input describes neither a model nor a dataset");
  }
}

}  // namespace provgate::detail
