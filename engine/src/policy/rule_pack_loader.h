// The steps of loading a rule pack, each in a file of its own: reading the pack's directory
// (rule_pack_files.cc), pack.yaml's declarations (rule_pack_declarations.cc), the licence data
// (rule_pack_licenses.cc) and the rule files (rule_pack_rules.cc). rule_pack.cc runs them.
#ifndef PROVGATE_POLICY_RULE_PACK_LOADER_H_
#define PROVGATE_POLICY_RULE_PACK_LOADER_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "policy/rule_pack.h"
#include "policy/rule_pack_yaml.h"
#include "provgate/diagnostic.h"
#include "provgate/status.h"

namespace provgate::detail {

// The files of a pack: relative path -> contents.
using PackFiles = std::map<std::string, std::string>;

// Reads every regular file beneath `dir` into `files`, within the pack's bounds. Problems
// with the pack's files are diagnostics; an I/O failure sets `status`. False on either.
bool ReadPackFiles(const std::string& dir, PackFiles& files, std::vector<Diagnostic>& diagnostics,
                   Status& status);

// The digest of every file of the pack, paths and contents (PackInfo::sha256).
std::string PackDigest(const PackFiles& files);

// Reads pack.yaml's profiles, default profile, parameters, reasons and the declarations the
// engine asks of a pack (integrity_rule, never_waived, taint_carries), before the rules.
void LoadPackDeclarations(const YAML::Node& root, YamlFile& file, RulePack& pack);

// After the rules are loaded: integrity_rule and never_waived must name rules of the pack.
void CheckRuleDeclarations(const YAML::Node& root, YamlFile& file, PackInfo& info);

// Reads the data files pack.yaml names: the SPDX lists, the licence classes and the
// open-weights class. `display` turns a path in the pack into the path shown in diagnostics.
void LoadLicenseData(const YAML::Node& root, YamlFile& pack_file, const PackFiles& files,
                     const std::function<std::string(const std::string&)>& display,
                     LicenseClassifier& classifier, std::vector<Diagnostic>& diagnostics);

// Reads and compiles the rule file `text` (`relative` to the pack, shown as `display`):
// every expression and template, each checked for the variables its subject binds.
bool LoadRule(const std::string& display, const std::string& relative, const std::string& text,
              const PackInfo& pack, std::vector<Diagnostic>& diagnostics, bool from_disk,
              CompiledRule& rule);

}  // namespace provgate::detail

#endif  // PROVGATE_POLICY_RULE_PACK_LOADER_H_
