// The repository gate: each gated manifest checked once, the files its verdict depends on,
// the manifests a change affects, and the manifests the base gated that are gated no more.
#include "provgate/gate.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <utility>

#include "policy/waivers.h"
#include "provgate/manifest.h"

namespace provgate {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxReasonsListed = 20;

// Paths of the repository: relative ones as the checks see them (joined to the root unless
// the root is the current directory), and back.
class Repository {
 public:
  explicit Repository(const std::string& root)
      : root_(root.empty() ? "." : root),
        canonical_root_(fs::weakly_canonical(fs::absolute(root_), ec_)) {}

  // The path a check is given for the repository-relative `relative`.
  std::string Path(const std::string& relative) const {
    return root_ == "." ? relative : (fs::path(root_) / relative).lexically_normal().string();
  }

  // `path` (as a check resolved it) relative to the root; empty when it is outside.
  std::string Relative(const std::string& path) const {
    fs::path p = fs::path(path).lexically_normal();
    fs::path rel = root_ == "." && p.is_relative() ? p : p.lexically_relative(fs::path(root_));
    if (rel.empty() || *rel.begin() == "..") {
      // An absolute path of a relative root (or the other way round).
      std::error_code ec;
      rel = fs::absolute(p, ec).lexically_normal().lexically_relative(
          fs::absolute(root_, ec).lexically_normal());
      if (ec || rel.empty() || *rel.begin() == "..") return {};
    }
    return rel.generic_string();
  }

  // Where the repository-relative `relative` leads through symbolic links, relative to the
  // root; empty when that is the same path or outside the root.
  std::string Target(const std::string& relative) const {
    std::error_code ec;
    fs::path resolved = fs::weakly_canonical(fs::absolute(fs::path(root_) / relative), ec);
    if (ec) return {};
    fs::path rel = resolved.lexically_relative(canonical_root_);
    if (rel.empty() || *rel.begin() == "..") return {};
    std::string target = rel.generic_string();
    return target == relative ? std::string() : target;
  }

  // True when `relative`, through any symbolic links, stays beneath the root.
  bool Inside(const std::string& relative) const {
    std::error_code ec;
    fs::path resolved = fs::weakly_canonical(fs::absolute(fs::path(root_) / relative), ec);
    if (ec) return false;
    fs::path rel = resolved.lexically_relative(canonical_root_);
    return !rel.empty() && *rel.begin() != "..";
  }

  bool Exists(const std::string& relative) const {
    std::error_code ec;
    return fs::exists(fs::symlink_status(fs::path(root_) / relative, ec));
  }

 private:
  std::error_code ec_;
  std::string root_;
  fs::path canonical_root_;
};

// Adds `path` and, when it leads elsewhere through symbolic links, its target.
void AddDependency(const Repository& repo, const std::string& relative,
                   std::vector<std::string>& out) {
  if (relative.empty()) return;
  out.push_back(relative);
  if (std::string target = repo.Target(relative); !target.empty()) out.push_back(target);
}

// The directory of a repository-relative file as a dependency: "dir/", or "./" for the root,
// which stands for the whole tree.
std::string DirectoryOf(const std::string& relative) {
  std::string dir = fs::path(relative).parent_path().generic_string();
  return dir.empty() ? std::string("./") : dir + "/";
}

// Adds the directory `dir` ("dir/" or "./") and, when it leads elsewhere through symbolic
// links, its target: a change is reported at the path git knows, the target's.
void AddDirectory(const Repository& repo, const std::string& dir, std::vector<std::string>& out) {
  out.push_back(dir);
  if (dir == "./") return;
  if (std::string target = repo.Target(dir.substr(0, dir.size() - 1)); !target.empty()) {
    out.push_back(target + "/");
  }
}

// A path of the settings (relative to the root, or as given on the command line) relative to
// the root, without a trailing slash ("." for the root); empty when it lies outside the
// repository.
std::string SettingsPath(const Repository& repo, const std::string& configured) {
  std::string relative = repo.Relative(repo.Path(configured));
  while (relative.size() > 1 && relative.back() == '/') relative.pop_back();
  return relative;
}

// True when the changed path `changed` touches the dependency `dependency`: the same file, a
// file beneath a dependency directory (ending in '/'; "./" is the whole tree), or a directory
// or symbolic link on the dependency's path.
bool Touches(const std::string& changed, const std::string& dependency) {
  if (changed == dependency || dependency == "./") return true;
  if (!dependency.empty() && dependency.back() == '/') {
    return changed.compare(0, dependency.size(), dependency) == 0 || changed + "/" == dependency;
  }
  return dependency.size() > changed.size() &&
         dependency.compare(0, changed.size(), changed) == 0 && dependency[changed.size()] == '/';
}

class HeaderOnly : public ManifestVisitor {
 public:
  void OnHeader(const ManifestHeader& header) override { model_id = header.model.id; }
  void OnSource(const Source&) override {}
  std::string model_id;
};

// The model a manifest declares; empty when it cannot be read.
std::string ModelIdOf(const std::string& path) {
  HeaderOnly header;
  ReadOptions options;
  options.hash_on_thread = false;
  ReadResult read = ReadManifest(path, header, options);
  return read.ok() ? header.model_id : std::string();
}

CheckOptions OptionsFor(const GateRequest& request, const Repository& repo) {
  const GateConfig& c = request.config;
  CheckOptions options;
  options.profile = c.profile;
  options.params = c.params;
  options.date = c.date;
  options.verify_files = c.verify_files;
  options.warn_expiring_days = c.warn_expiring;
  options.max_threads = request.max_threads;
  options.root = request.root.empty() ? "." : request.root;
  if (!c.waivers.empty()) options.waivers_path = repo.Path(c.waivers);
  for (const std::string& key : c.trust) options.trusted_keys.push_back(repo.Path(key));
  return options;
}

// True when the check's dependency `file` is the waivers file or a trusted key, which the
// settings already list, not a file of the lineage.
bool IsSharedInput(const std::string& file, const CheckOptions& options) {
  return file == options.waivers_path ||
         std::find(options.trusted_keys.begin(), options.trusted_keys.end(), file) !=
             options.trusted_keys.end();
}

// The files every manifest's verdict depends on: the settings, the pack, waivers and keys.
std::vector<std::string> SharedDependencies(const GateConfig& config, const Repository& repo) {
  std::vector<std::string> shared;
  AddDependency(repo, ".provgate.yaml", shared);
  if (!config.policy.empty()) {
    // A pack outside the repository is no change a pull request makes.
    const std::string policy = SettingsPath(repo, config.policy);
    if (!policy.empty()) AddDirectory(repo, policy == "." ? "./" : policy + "/", shared);
  }
  if (!config.waivers.empty()) AddDependency(repo, SettingsPath(repo, config.waivers), shared);
  for (const std::string& key : config.trust) {
    AddDependency(repo, SettingsPath(repo, key), shared);
  }
  return shared;
}

// True when the changed path touches one of `dependencies`.
bool TouchesAny(const std::string& changed, const std::vector<std::string>& dependencies) {
  return std::any_of(dependencies.begin(), dependencies.end(),
                     [&](const std::string& d) { return Touches(changed, d); });
}

void Select(GateEntry& entry, const std::set<std::string>& changed) {
  for (const std::string& path : changed) {
    if (!TouchesAny(path, entry.dependencies)) continue;
    entry.selected = true;
    if (entry.selected_because.size() < kMaxReasonsListed) entry.selected_because.push_back(path);
  }
}

// The manifests the base gated that the working tree does not.
void FindUngated(const GateRequest& request, const Repository& repo,
                 const std::vector<GateEntry>& entries, GateResult& result) {
  GateConfigResult base_config = ReadGateConfig(request.base_root);
  // A base whose settings cannot be read gated what the defaults gate.
  GateConfig base = base_config.ok() ? base_config.config : GateConfig{};
  DiscoverResult base_manifests = DiscoverManifests(request.base_root, base);
  if (!base_manifests.status.ok()) {
    result.status = Status::IoError("the base revision " + request.base + ": " +
                                    base_manifests.status.message());
    return;
  }
  std::set<std::string> gated;
  std::map<std::string, std::vector<std::string>> by_model;  // model id -> gated manifests
  for (const GateEntry& e : entries) {
    gated.insert(e.path);
    if (e.result.status.ok() && !HasErrors(e.result.diagnostics)) {
      by_model[e.result.report.model_id].push_back(e.path);
    }
  }
  const std::set<std::string> base_gated(base_manifests.manifests.begin(),
                                         base_manifests.manifests.end());
  // Where a model gone from `path` is gated now: a manifest the base did not gate, or one that
  // declared the same model there. A manifest the base gated as another model's does not take
  // this one over (that would let a change move a model out of the gate by renaming another).
  auto moved_to = [&](const std::string& model, std::string& refused) -> std::string {
    auto found = model.empty() ? by_model.end() : by_model.find(model);
    if (found == by_model.end()) return {};
    for (const std::string& candidate : found->second) {
      if (base_gated.count(candidate) == 0) return candidate;
      std::string before = ModelIdOf((fs::path(request.base_root) / candidate).string());
      if (before == model) return candidate;
      if (refused.empty()) {
        refused =
            candidate + ", which declares its model now, is what the base revision gated as " +
            (before.empty() ? std::string("a manifest it could not read") : "the model " + before);
      }
    }
    return {};
  };
  const auto& retired = request.config.retired;
  for (const std::string& path : base_manifests.manifests) {
    if (gated.count(path) != 0) continue;
    UngatedManifest u;
    u.path = path;
    if (repo.Exists(path)) {
      u.status = "ungated";
      u.detail = "the base revision " + request.base +
                 " gated this manifest and no pattern under manifests: of " +
                 (request.config.path.empty() ? std::string("the defaults (no .provgate.yaml)")
                                              : request.config.path) +
                 " matches it now";
      u.fails = true;
    } else if (std::find(retired.begin(), retired.end(), path) != retired.end()) {
      u.status = "retired";
      u.detail = "removed, and listed under retired: in " + request.config.path;
    } else {
      std::string model = ModelIdOf((fs::path(request.base_root) / path).string());
      std::string refused;
      if (std::string moved = moved_to(model, refused); !moved.empty()) {
        u.status = "moved";
        u.detail = "the model " + model + " is gated at " + moved;
      } else {
        u.status = "removed";
        u.detail =
            "the base revision " + request.base + " gated this manifest" +
            (model.empty() ? std::string() : " of the model " + model) + "; it is gone and " +
            (refused.empty() ? std::string("no gated manifest declares its model") : refused) +
            " (list it under retired: in .provgate.yaml if it was removed on purpose)";
        u.fails = true;
      }
    }
    result.ungated.push_back(std::move(u));
  }
}

// With --new-only: compares the entry's findings with its version in the base revision, so
// that only new findings fail. A version that cannot be checked is no baseline: every finding
// counts.
void CompareWithBase(const GateRequest& request, const RulePack& pack, CheckOptions options,
                     GateEntry& entry) {
  fs::path base_path = fs::path(request.base_root) / entry.path;
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(base_path, ec))) return;
  options.waivers_path.clear();  // A waiver belongs to the version under review.
  options.root = request.base_root;
  options.verify_files = false;
  options.warn_expiring_days = -1;
  CheckResult base = Check(base_path.string(), pack, options);
  if (base.ExitCode() >= 2) return;
  CompareWithBaseline(entry.result.report, base.report, request.base + ":" + entry.path);
  entry.exit_code = entry.result.ExitCode(request.config.fail_on, /*new_only=*/true);
}

// Each manifest is checked against the whole waivers file, so each reports the waivers that
// match none of its findings as unused. A waiver another manifest of the run uses is not
// unused: those findings are dropped, and the counts and exit codes follow.
void ForgetWaiversUsedElsewhere(std::vector<GateEntry>& entries, FailOn fail_on) {
  auto key = [](const Location& l) { return std::make_pair(l.line, l.column); };
  std::set<std::pair<std::uint32_t, std::uint32_t>> used;
  for (const GateEntry& e : entries) {
    for (const Finding& f : e.result.report.findings) {
      if (f.waived && f.waiver) used.insert(key(f.waiver->location));
    }
  }
  for (GateEntry& e : entries) {
    auto& findings = e.result.report.findings;
    auto unused_elsewhere = [&](const Finding& f) {
      return f.rule == detail::kWaiverRuleId && f.reason == "waiver-unused" &&
             used.count(key(f.location)) != 0;
    };
    if (std::none_of(findings.begin(), findings.end(), unused_elsewhere)) continue;
    findings.erase(std::remove_if(findings.begin(), findings.end(), unused_elsewhere),
                   findings.end());
    detail::RecountFindings(e.result.report);
    e.exit_code = e.result.ExitCode(fail_on);
  }
}

}  // namespace

int GateResult::ExitCode() const {
  if (!status.ok()) return 3;
  if (HasErrors(diagnostics)) return 2;
  int worst = 0;
  for (const GateEntry& e : entries) {
    if (e.selected) worst = std::max(worst, e.exit_code);
  }
  for (const UngatedManifest& u : ungated) {
    if (u.fails) worst = std::max(worst, 1);
  }
  return worst;
}

GateResult RunGate(const GateRequest& request) {
  GateResult result;
  result.base = request.base;
  result.fail_on = request.config.fail_on;
  result.new_only = request.config.new_only && !request.base.empty();
  const Repository repo(request.root);
  PackLoadResult loaded = LoadRulePack(
      request.config.policy.empty() ? std::string() : repo.Path(request.config.policy));
  if (!loaded.ok()) {
    result.status = loaded.status;
    result.diagnostics = std::move(loaded.diagnostics);
    return result;
  }
  result.pack = loaded.pack;
  DiscoverResult found = request.files
                             ? MatchManifests(request.root, *request.files, request.config)
                             : DiscoverManifests(request.root, request.config);
  if (!found.status.ok()) {
    result.status = found.status;
    return result;
  }
  const CheckOptions options = OptionsFor(request, repo);
  const std::vector<std::string> shared = SharedDependencies(request.config, repo);
  if (!request.base.empty()) {
    for (const std::string& path : request.changed) {
      if (TouchesAny(path, shared)) result.settings_changed.push_back(path);
    }
  }
  for (const std::string& path : found.manifests) {
    GateEntry entry;
    entry.path = path;
    if (repo.Inside(path)) {
      entry.result = Check(repo.Path(path), *result.pack, options);
    } else {
      // A manifest that is a symbolic link out of the repository: nothing outside is read.
      Diagnostic d;
      d.file = path;
      d.code = "gate-outside";
      d.message = "the manifest is a symbolic link that leads outside the repository";
      entry.result.diagnostics.push_back(std::move(d));
    }
    entry.exit_code = entry.result.ExitCode(request.config.fail_on);
    AddDependency(repo, path, entry.dependencies);
    entry.dependencies.push_back(DirectoryOf(path));
    for (const std::string& file : entry.result.dependencies) {
      const std::string relative = repo.Relative(file);
      AddDependency(repo, relative, entry.dependencies);
      // Every upstream manifest and signed report with its directory: an upstream's side file
      // is listed only when the upstream could be read, and a side file that breaks it must
      // still select the models downstream.
      if (relative.empty() || IsSharedInput(file, options)) continue;
      AddDirectory(repo, DirectoryOf(relative), entry.dependencies);
    }
    entry.dependencies.insert(entry.dependencies.end(), shared.begin(), shared.end());
    std::sort(entry.dependencies.begin(), entry.dependencies.end());
    entry.dependencies.erase(std::unique(entry.dependencies.begin(), entry.dependencies.end()),
                             entry.dependencies.end());
    if (request.base.empty()) {
      entry.selected = true;
    } else {
      Select(entry, request.changed);
    }
    result.entries.push_back(std::move(entry));
  }
  // One waivers file serves every manifest: a waiver is unused only when no manifest uses it.
  ForgetWaiversUsedElsewhere(result.entries, request.config.fail_on);
  if (result.new_only) {
    for (GateEntry& entry : result.entries) {
      if (entry.selected && entry.exit_code <= 1) {
        CompareWithBase(request, *result.pack, options, entry);
      }
    }
  }
  if (!request.base.empty() && !request.base_root.empty()) {
    FindUngated(request, repo, result.entries, result);
  }
  return result;
}

}  // namespace provgate
