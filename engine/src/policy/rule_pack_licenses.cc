// Reading the licence data a pack names: the SPDX licence and exception lists (JSON), the
// classification of licences (YAML) and the open-weights class (YAML).
#include <nlohmann/json.hpp>

#include "policy/rule_pack_loader.h"

namespace provgate::detail {

// The data files pack.yaml names: `spdx` (the SPDX lists, JSON), `licenses` (classification,
// YAML) and `open_weights` (YAML). A pack without them classifies every licence as unknown.
void LoadLicenseData(const YAML::Node& root, YamlFile& pack_file, const PackFiles& files,
                     const std::function<std::string(const std::string&)>& display,
                     LicenseClassifier& classifier, std::vector<Diagnostic>& diagnostics) {
  auto find = [&](const char* key) -> const std::string* {
    YAML::Node node = root[key];
    if (!node) return nullptr;
    auto it = files.find(node.Scalar());
    if (it == files.end()) {
      pack_file.Error(node.Mark(),
                      std::string(key) + " file '" + node.Scalar() + "' not found in the pack");
      return nullptr;
    }
    return &it->second;
  };
  if (const std::string* spdx = find("spdx")) {
    std::string name = display(root["spdx"].Scalar());
    // nlohmann/json keeps the last of two equal keys; the check refuses them first.
    YamlFile spdx_file(name, *spdx, diagnostics, pack_file.from_disk());
    if (!spdx_file.CheckStructure()) return;
    try {
      nlohmann::json data = nlohmann::json::parse(*spdx);
      for (const auto& [id, entry] : data.at("licenses").items()) {
        classifier.AddSpdxLicense({id, entry.value("name", id), entry.value("osi", false),
                                   entry.value("fsf", false), entry.value("deprecated", false)});
      }
      for (const auto& [id, entry] : data.at("exceptions").items()) {
        classifier.AddSpdxException(id, entry.value("deprecated", false));
      }
    } catch (const nlohmann::json::exception& e) {
      diagnostics.push_back({Diagnostic::Severity::kError, "rule-pack",
                             std::string("invalid SPDX data: ") + e.what(), name, 0, 0, "", 0});
    }
  }
  if (const std::string* licenses = find("licenses")) {
    YamlFile file(display(root["licenses"].Scalar()), *licenses, diagnostics,
                  pack_file.from_disk());
    YAML::Node data;
    if (file.Parse(data) && file.CheckKeys(data, "the licence classification",
                                           {"licenses", "aliases", "models"}, {"licenses"})) {
      for (const auto& entry : data["licenses"]) {
        if (!file.CheckKeys(entry, "a licence entry",
                            {"id", "pattern", "class", "attribution", "share_alike", "note",
                             "outputs_training", "conditions"},
                            {"class"})) {
          continue;
        }
        ClassificationRule rule;
        file.String(entry, "id", rule.id);
        file.String(entry, "pattern", rule.pattern);
        if (rule.id.empty() == rule.pattern.empty()) {
          file.Error(entry.Mark(), "a licence entry has exactly one of id and pattern");
          continue;
        }
        auto license_class = ParseLicenseClass(entry["class"].Scalar());
        if (!license_class) {
          file.Error(entry["class"].Mark(),
                     "unknown class '" + entry["class"].Scalar() +
                         "': expected public-domain, permissive, weak-copyleft, copyleft, "
                         "share-alike, non-commercial, no-derivatives, proprietary or unknown");
          continue;
        }
        rule.license_class = *license_class;
        for (const char* flag : {"attribution", "share_alike"}) {
          YAML::Node value = entry[flag];
          if (!value) continue;
          if (value.Scalar() != "true" && value.Scalar() != "false") {
            file.Error(value.Mark(), std::string(flag) + " must be true or false");
            continue;
          }
          (std::string(flag) == "attribution" ? rule.attribution : rule.share_alike) =
              value.Scalar() == "true";
        }
        if (YAML::Node outputs = entry["outputs_training"]) {
          if (outputs.Scalar() == "allowed") {
            rule.outputs_training = OutputsTraining::kAllowed;
          } else if (outputs.Scalar() == "forbidden") {
            rule.outputs_training = OutputsTraining::kForbidden;
          } else {
            file.Error(outputs.Mark(), "outputs_training must be allowed or forbidden");
          }
        }
        if (YAML::Node conditions = entry["conditions"]) {
          if (!conditions.IsSequence()) {
            file.Error(conditions.Mark(), "conditions must be a list");
          } else {
            for (const auto& item : conditions) {
              if (!file.CheckKeys(item, "a licence condition", {"kind", "text", "uri"}, {"kind"})) {
                continue;
              }
              LicenseCondition condition;
              file.String(item, "kind", condition.kind);
              file.String(item, "text", condition.text);
              file.String(item, "uri", condition.uri);
              bool needs_text =
                  condition.kind == "name-prefix" || condition.kind == "display-notice";
              if (!needs_text && condition.kind != "use-restrictions") {
                file.Error(item["kind"].Mark(),
                           "unknown condition kind '" + condition.kind +
                               "': expected name-prefix, display-notice or use-restrictions");
              } else if (needs_text && condition.text.empty()) {
                file.Error(item.Mark(), "a " + condition.kind + " condition needs its text");
              } else if (!needs_text && condition.uri.empty()) {
                file.Error(item.Mark(),
                           "a use-restrictions condition needs the uri of the "
                           "restrictions");
              } else {
                rule.conditions.push_back(std::move(condition));
              }
            }
          }
        }
        classifier.AddRule(std::move(rule));
      }
      // Identifiers as people copy them from dataset and model cards, each mapped to a licence
      // id the SPDX list or the classification knows.
      if (YAML::Node aliases = data["aliases"]) {
        if (!aliases.IsMap()) {
          file.Error(aliases.Mark(), "aliases must be a mapping of identifier to licence id");
        } else {
          for (const auto& alias : aliases) {
            const std::string& name = alias.first.Scalar();
            const std::string& id = alias.second.Scalar();
            if (!alias.second.IsScalar() || id.empty()) {
              file.Error(alias.second.Mark(), "the alias '" + name + "' must name a licence id");
            } else if (classifier.FindSpdx(id) == nullptr &&
                       classifier.Classify(id, nullptr, nullptr) == LicenseClass::kUnknown) {
              file.Error(alias.second.Mark(), "the alias '" + name + "' names '" + id +
                                                  "', which is neither on the SPDX list nor "
                                                  "classified");
            } else {
              classifier.AddAlias(name, classifier.CanonicalId(id));
            }
          }
        }
      }
      // The terms the outputs of well-known models come under, for checking what a manifest
      // claims about them (generated_by.terms_allow_training).
      if (YAML::Node models = data["models"]) {
        if (!models.IsSequence()) {
          file.Error(models.Mark(), "models must be a list");
        } else {
          for (const auto& entry : models) {
            if (!file.CheckKeys(entry, "a model entry", {"id", "pattern", "license", "note"},
                                {"license"})) {
              continue;
            }
            ModelTerms terms;
            file.String(entry, "id", terms.id);
            file.String(entry, "pattern", terms.pattern);
            file.String(entry, "license", terms.license);
            if (terms.id.empty() == terms.pattern.empty()) {
              file.Error(entry.Mark(), "a model entry has exactly one of id and pattern");
            } else if (classifier.FindRule(terms.license) == nullptr) {
              file.Error(entry["license"].Mark(), "the model entry names licence '" +
                                                      terms.license + "', which is not classified");
            } else {
              terms.license = classifier.CanonicalId(terms.license);
              classifier.AddModelTerms(std::move(terms));
            }
          }
        }
      }
    }
  }
  if (const std::string* open_weights = find("open_weights")) {
    YamlFile file(display(root["open_weights"].Scalar()), *open_weights, diagnostics,
                  pack_file.from_disk());
    YAML::Node data;
    if (file.Parse(data) && file.CheckKeys(data, "the open-weights class",
                                           {"osi_approved", "include", "exclude"}, {})) {
      std::string osi;
      file.String(data, "osi_approved", osi);
      classifier.SetOpenWeights(osi == "true", file.StringList(data, "include"),
                                file.StringList(data, "exclude"));
    }
  }
}

}  // namespace provgate::detail
