// The texts of `provgate explain`: a rule, a reason code, and the facts rule expressions
// can read (listed from the tables that bind them).
#include <algorithm>

#include "policy/facts.h"
#include "policy/rule_pack.h"
#include "policy/waivers.h"

namespace provgate {
namespace {

// Indents `text` by two spaces and wraps it at 90 columns, keeping its line breaks.
std::string Indent(const std::string& text) {
  constexpr std::size_t kWidth = 88;
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    std::string current = "  ";
    std::size_t pos = 0;
    while (pos < line.size()) {
      std::size_t space = line.find(' ', pos);
      if (space == std::string_view::npos) space = line.size();
      std::string_view word = line.substr(pos, space - pos);
      if (current.size() > 2 && current.size() + 1 + word.size() > kWidth) {
        out += current + "\n";
        current = "  ";
      }
      if (current.size() > 2) current += ' ';
      current += word;
      pos = space + 1;
    }
    if (current.size() > 2 || end < text.size()) out += current + "\n";
    if (end >= text.size()) break;
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string ExplainRule(const RulePack& pack, const std::string& rule_id) {
  for (const auto& rule : pack.rules) {
    const RuleInfo& r = rule.info;
    if (r.id != rule_id) continue;
    std::string out = r.id + ": " + r.title + "\n";
    out += "Severity: " + std::string(ToString(r.severity));
    out += "    Profiles: ";
    if (r.profiles.empty()) {
      out += "all";
    } else {
      for (std::size_t i = 0; i < r.profiles.size(); ++i) out += (i ? ", " : "") + r.profiles[i];
    }
    out += "\n\nWhat it checks:\n" + Indent(r.description);
    if (!r.rationale.empty()) out += "\nWhy:\n" + Indent(r.rationale);
    if (!r.remedy.empty()) out += "\nHow to satisfy it:\n" + Indent(r.remedy);
    if (!r.reasons.empty()) {
      out += "\nReason codes:\n";
      for (const auto& code : r.reasons) {
        for (const auto& reason : pack.info.reasons) {
          if (reason.code == code) out += "  " + code + ": " + reason.title + "\n";
        }
      }
    }
    if (!r.references.empty()) {
      out += "\nReferences:\n";
      for (const auto& ref : r.references) out += "  " + ref + "\n";
    }
    out +=
        "\nDefined in " + r.file + " of pack " + pack.info.name + " " + pack.info.version + ".\n";
    return out;
  }
  if (rule_id == detail::kWaiverRuleId) {
    // Not a rule of any pack: the findings of check --waivers.
    const RuleInfo r = detail::WaiverRuleInfo(pack.info);
    std::string out = r.id + ": " + r.title + "\n\nWhat it checks:\n" + Indent(r.description) +
                      "\nWhy:\n" + Indent(r.rationale) + "\nHow to satisfy it:\n" +
                      Indent(r.remedy) + "\nReason codes:\n";
    for (const auto& reason : detail::WaiverReasons()) {
      out += "  " + reason.code + ": " + reason.title + "\n";
    }
    return out + "\nReported for the waivers file given to check --waivers (docs/cli.md).\n";
  }
  return "";
}

std::string ExplainReason(const RulePack& pack, const std::string& reason_code) {
  for (const auto& reason : pack.info.reasons) {
    if (reason.code != reason_code) continue;
    std::string out = reason.code + ": " + reason.title + "\n\n" + Indent(reason.description);
    if (!reason.remedy.empty()) out += "\nHow to resolve it:\n" + Indent(reason.remedy);
    std::string rules;
    for (const auto& rule : pack.info.rules) {
      if (std::find(rule.reasons.begin(), rule.reasons.end(), reason.code) != rule.reasons.end()) {
        rules += (rules.empty() ? "" : ", ") + rule.id;
      }
    }
    if (!rules.empty()) out += "\nReported by: " + rules + "\n";
    return out;
  }
  for (const auto& reason : detail::WaiverReasons()) {
    if (reason.code != reason_code) continue;
    return reason.code + ": " + reason.title + "\n\n" + Indent(reason.description) +
           "\nHow to resolve it:\n" + Indent(reason.remedy) +
           "\nReported by: " + std::string(detail::kWaiverRuleId) + "\n";
  }
  return "";
}

std::string ExplainFacts() {
  std::string out = "Facts available to rule expressions:\n";
  for (const detail::FactBinding& binding : detail::FactBindings()) {
    out += "\n" + std::string(binding.name);
    out += binding.always_bound ? " (always bound)"
                                : " (subject: " + std::string(binding.subject_name) + ")";
    out += "\n";
    for (const detail::FactListing& fact : detail::ListFacts(binding)) {
      out += "  " + fact.path + " (" + fact.type + "): " + fact.description + "\n";
    }
  }
  return out;
}

}  // namespace provgate
