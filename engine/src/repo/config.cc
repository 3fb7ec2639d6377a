// The gate's settings: `.provgate.yaml` at a repository's root, read as hostile input (a pull
// request controls it), every problem at its line and column.
#include <cerrno>
#include <charconv>
#include <filesystem>

#include "common/date.h"
#include "common/safe_file.h"
#include "policy/rule_pack_yaml.h"
#include "provgate/gate.h"

namespace provgate {
namespace {

constexpr std::size_t kMaxConfigBytes = 1 << 20;
constexpr std::string_view kConfigName = ".provgate.yaml";

// A path in the settings must stay inside the repository: relative, with no `..` component.
bool InsideRoot(const std::string& path) {
  if (path.empty() || path.front() == '/') return false;
  for (const auto& part : std::filesystem::path(path)) {
    if (part == "..") return false;
  }
  return true;
}

class ConfigReader {
 public:
  ConfigReader(const std::string& text, const std::string& name, GateConfigResult& out)
      : text_(text), file_(name, text, out.diagnostics, /*from_disk=*/true), out_(out) {}

  void Read() {
    YAML::Node root;
    if (!file_.CheckStructure()) return;
    try {
      root = YAML::Load(text_);
    } catch (const YAML::Exception& e) {
      file_.Error(e.mark, "invalid YAML: " + e.msg);
      return;
    }
    // An empty file marks the repository's root and keeps every default.
    if (root.IsNull()) return;
    if (!root.IsMap()) {
      file_.Error(root.Mark(), "expected a mapping at the top of the file");
      return;
    }
    if (!file_.CheckKeys(root, "the gate's settings",
                         {"manifests", "retired", "policy", "profile", "params", "waivers", "trust",
                          "verify_files", "fail_on", "date", "warn_expiring", "new_only"},
                         {})) {
      return;
    }
    GateConfig& c = out_.config;
    if (root["manifests"]) {
      c.manifests = Paths(root, "manifests", /*patterns=*/true);
      if (c.manifests.empty() && root["manifests"].IsSequence()) {
        file_.Error(root["manifests"].Mark(), "'manifests' lists no pattern", "/manifests");
      }
    }
    c.retired = Paths(root, "retired", false);
    OnePath(root, "policy", c.policy);
    OnePath(root, "waivers", c.waivers);
    c.trust = Paths(root, "trust", false);
    file_.String(root, "profile", c.profile);
    file_.Flag(root, "verify_files", c.verify_files);
    file_.Flag(root, "new_only", c.new_only);
    if (std::string fail_on; file_.String(root, "fail_on", fail_on)) {
      if (fail_on == "error") {
        c.fail_on = FailOn::kError;
      } else if (fail_on == "warning") {
        c.fail_on = FailOn::kWarning;
      } else {
        file_.Error(root["fail_on"].Mark(), "'fail_on' must be error or warning", "/fail_on");
      }
    }
    if (file_.String(root, "date", c.date) && !detail::IsCalendarDate(c.date)) {
      file_.Error(root["date"].Mark(), "'date' must be a calendar date, YYYY-MM-DD", "/date");
    }
    if (YAML::Node days = root["warn_expiring"]) {
      int value = -1;
      const std::string& text = days.IsScalar() ? days.Scalar() : std::string();
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (!days.IsScalar() || text.empty() || ec != std::errc() ||
          end != text.data() + text.size() || value < 0 || value > 3650) {
        file_.Error(days.Mark(), "'warn_expiring' must be a number of days from 0 to 3650",
                    "/warn_expiring");
      } else {
        c.warn_expiring = value;
      }
    }
    if (YAML::Node params = root["params"]) {
      if (!params.IsMap()) {
        file_.Error(params.Mark(), "expected a mapping of parameter names to values for 'params'",
                    "/params");
      } else {
        for (const auto& entry : params) {
          if (!entry.second.IsScalar()) {
            file_.Error(entry.second.Mark(), "a parameter's value must be a scalar",
                        "/params/" + entry.first.Scalar());
            continue;
          }
          c.params.emplace_back(entry.first.Scalar(), entry.second.Scalar());
        }
      }
    }
  }

 private:
  std::vector<std::string> Paths(const YAML::Node& root, std::string_view key, bool patterns) {
    std::vector<std::string> list = file_.StringList(root, key);
    std::vector<std::string> kept;
    YAML::Node node = root[std::string(key)];
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!InsideRoot(list[i])) {
        file_.Error(node[i].Mark(),
                    std::string(patterns ? "a pattern" : "a path") +
                        " must be relative to the repository root and stay inside it: '" + list[i] +
                        "'",
                    "/" + std::string(key) + "/" + std::to_string(i));
        continue;
      }
      kept.push_back(std::filesystem::path(list[i]).lexically_normal().generic_string());
    }
    return kept;
  }

  void OnePath(const YAML::Node& root, std::string_view key, std::string& out) {
    std::string value;
    if (!file_.String(root, key, value)) return;
    if (!InsideRoot(value)) {
      file_.Error(
          root[std::string(key)].Mark(),
          "'" + std::string(key) + "' must be relative to the repository root and stay inside it",
          "/" + std::string(key));
      return;
    }
    out = std::filesystem::path(value).lexically_normal().generic_string();
  }

  const std::string& text_;
  detail::YamlFile file_;
  GateConfigResult& out_;
};

}  // namespace

GateConfigResult ReadGateConfigText(const std::string& text, const std::string& name) {
  GateConfigResult result;
  result.config.path = name;
  ConfigReader reader(text, name, result);
  reader.Read();
  for (Diagnostic& d : result.diagnostics) d.code = "gate-config";
  return result;
}

GateConfigResult ReadGateConfig(const std::string& root) {
  std::filesystem::path path = std::filesystem::path(root.empty() ? "." : root) / kConfigName;
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::symlink_status(path, ec))) {
    return GateConfigResult{};
  }
  // Read beneath the root: a symbolic link that leads out of the repository is refused.
  detail::OpenedFile file = detail::OpenRegularFileBeneath(
      root.empty() ? "." : root, std::string(kConfigName), kMaxConfigBytes);
  std::string text;
  std::string error = file.error;
  if (!file.ok() || !detail::ReadAllFromFd(file.fd.get(), kMaxConfigBytes, text, error)) {
    GateConfigResult result;
    if (file.problem == detail::OpenProblem::kEscapes ||
        file.problem == detail::OpenProblem::kNotRegular ||
        file.problem == detail::OpenProblem::kTooLarge) {
      Diagnostic d;
      d.file = std::string(kConfigName);
      d.code = "gate-config";
      d.message = "cannot be read as the gate's settings: " + error;
      result.diagnostics.push_back(std::move(d));
    } else {
      result.status = Status::IoError(std::string(kConfigName) + ": " + error);
    }
    return result;
  }
  return ReadGateConfigText(text, std::string(kConfigName));
}

}  // namespace provgate
