// What the CI renderings share (format_common.h).
#include "report/format_common.h"

#include <algorithm>

#include "crypto/sha256.h"
#include "policy/waivers.h"

namespace provgate::detail {

RelativePaths::RelativePaths(const std::string& root) {
  std::error_code ec;
  base_ = (root.empty() ? std::filesystem::current_path(ec) : std::filesystem::absolute(root, ec))
              .lexically_normal();
}

const std::string& RelativePaths::Of(const std::string& path) {
  auto [it, inserted] = cache_.try_emplace(path);
  if (inserted) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path p = fs::absolute(path, ec).lexically_normal();
    fs::path rel = p.lexically_relative(base_);
    it->second = ec || rel.empty() || *rel.begin() == ".." ? fs::path(path).generic_string()
                                                           : rel.generic_string();
  }
  return it->second;
}

bool FailsGate(const Finding& f, const FormatOptions& options) {
  return provgate::FailsGate(f, GateOptions{options.fail_on, options.new_only});
}

std::string Fingerprint(const Finding& f) {
  return Sha256Hex(f.rule + '\0' + f.subject + '\0' + f.reason);
}

std::string PascalCase(const std::string& title) {
  std::string out;
  bool upper = true;
  for (char c : title) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return out;
}

std::string_view SarifLevel(Severity s) {
  return s == Severity::kError ? "error" : s == Severity::kWarning ? "warning" : "note";
}

std::vector<const RuleInfo*> ReportRules(const std::vector<const Report*>& reports,
                                         const PackInfo& pack, RuleInfo& waiver_rule) {
  std::vector<const RuleInfo*> rules;
  for (const RuleInfo& r : pack.rules) rules.push_back(&r);
  auto is_waiver = [](const auto& x) { return x.rule == kWaiverRuleId; };
  bool in_pack = std::any_of(pack.rules.begin(), pack.rules.end(),
                             [](const RuleInfo& r) { return r.id == kWaiverRuleId; });
  bool any = std::any_of(reports.begin(), reports.end(), [&](const Report* report) {
    return std::any_of(report->findings.begin(), report->findings.end(), is_waiver);
  });
  if (!in_pack && any) {
    waiver_rule = WaiverRuleInfo(pack);  // From the waivers file, not the pack.
    rules.push_back(&waiver_rule);
  }
  return rules;
}

std::string Where(const Finding& f, RelativePaths& paths) {
  std::string where = paths.Of(f.location.file);
  if (f.location.line > 0) {
    where += ":" + std::to_string(f.location.line) + ":" + std::to_string(f.location.column);
  }
  return where;
}

}  // namespace provgate::detail
