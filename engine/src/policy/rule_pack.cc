// Loading a rule pack: from a directory, or the built-in default pack compiled into the
// binary. Runs the steps of rule_pack_loader.h over pack.yaml and the files it names.
#include "policy/rule_pack.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "policy/rule_pack_loader.h"
#include "policy/waivers.h"

namespace provgate {
namespace detail {
namespace {

// Rule files in the order pack.yaml lists them, each compiled; rule ids are unique.
void LoadRules(const YAML::Node& root, YamlFile& file, const PackFiles& files,
               const std::function<std::string(const std::string&)>& display, bool from_disk,
               RulePack& pack, std::vector<Diagnostic>& diagnostics) {
  YAML::Node rules = root["rules"];
  if (!rules.IsSequence()) {
    file.Error(rules.Mark(), "expected a list of rule files for rules");
    return;
  }
  std::set<std::string> ids;
  for (const auto& entry : rules) {
    if (!entry.IsScalar()) {
      file.Error(entry.Mark(), "expected a rule file path");
      continue;
    }
    std::string relative = entry.Scalar();
    auto rule_file = files.find(relative);
    if (rule_file == files.end()) {
      file.Error(entry.Mark(), "rule file '" + relative + "' not found in the pack");
      continue;
    }
    CompiledRule rule;
    if (!LoadRule(display(relative), relative, rule_file->second, pack.info, diagnostics, from_disk,
                  rule)) {
      continue;
    }
    if (rule.info.id == kWaiverRuleId) {
      // The findings of a waivers file carry it; a rule of the same id would be confused
      // with them in reports and in explain.
      file.Error(entry.Mark(), "rule id '" + rule.info.id +
                                   "' is reserved for the findings of waivers: choose another");
      continue;
    }
    if (!ids.insert(rule.info.id).second) {
      file.Error(entry.Mark(), "rule id '" + rule.info.id + "' is defined twice");
      continue;
    }
    pack.info.rules.push_back(rule.info);
    pack.rules.push_back(std::move(rule));
  }
}

PackLoadResult LoadFromFiles(const std::string& display_dir, const PackFiles& files,
                             bool from_disk) {
  PackLoadResult result;
  auto pack = std::make_shared<RulePack>();
  PackInfo& info = pack->info;
  info.sha256 = PackDigest(files);
  auto display = [&](const std::string& relative) {
    return (std::filesystem::path(display_dir) / relative).generic_string();
  };
  auto pack_file = files.find("pack.yaml");
  if (pack_file == files.end()) {
    result.diagnostics.push_back({Diagnostic::Severity::kError, "pack-missing",
                                  "the rule pack has no pack.yaml", display_dir, 0, 0, "", 0});
    return result;
  }
  YamlFile file(display("pack.yaml"), pack_file->second, result.diagnostics, from_disk);
  YAML::Node root;
  if (!file.Parse(root)) return result;
  file.CheckKeys(root, "pack.yaml",
                 {"name", "version", "description", "default_profile", "profiles", "parameters",
                  "reasons", "integrity_rule", "never_waived", "taint_carries", "rules", "spdx",
                  "licenses", "open_weights"},
                 {"name", "version", "profiles", "rules"});
  file.String(root, "name", info.name);
  file.String(root, "version", info.version);
  file.String(root, "description", info.description);
  LoadPackDeclarations(root, file, *pack);
  LoadLicenseData(root, file, files, display, pack->licenses, result.diagnostics);
  if (HasErrors(result.diagnostics)) return result;
  LoadRules(root, file, files, display, from_disk, *pack, result.diagnostics);
  CheckRuleDeclarations(root, file, info);
  SortDiagnostics(result.diagnostics);
  if (!HasErrors(result.diagnostics)) result.pack = std::move(pack);
  return result;
}

}  // namespace

const RulePack& BuiltinPack() {
  static const std::shared_ptr<const RulePack> kPack = [] {
    PackLoadResult loaded = LoadRulePack("");
    if (!loaded.ok()) {
      // The built-in pack is rules/default, which the tests load with every build.
      std::fputs("provgate: the built-in rule pack does not load\n", stderr);
      std::abort();
    }
    return loaded.pack;
  }();
  return *kPack;
}

}  // namespace detail

PackLoadResult LoadRulePack(const std::string& dir) {
  detail::PackFiles files;
  if (dir.empty()) {
    for (const auto& [path, content] : detail::BuiltinPackFiles()) {
      files[std::string(path)] = std::string(content);
    }
    return detail::LoadFromFiles("<builtin>", files, /*from_disk=*/false);
  }
  PackLoadResult result;
  if (!detail::ReadPackFiles(dir, files, result.diagnostics, result.status)) return result;
  return detail::LoadFromFiles(dir, files, /*from_disk=*/true);
}

const PackInfo& DescribePack(const RulePack& pack) { return pack.info; }

}  // namespace provgate
