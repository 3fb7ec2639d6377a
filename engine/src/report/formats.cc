// GitHub workflow commands and Markdown renderings of a report, and the comparison with a
// baseline.
#include "provgate/formats.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/escape.h"
#include "report/format_common.h"

namespace provgate {

using detail::RelativePaths;

std::string RenderGithubAnnotations(const Report& report, const FormatOptions& options) {
  RelativePaths paths(options.source_root);
  std::string out;
  for (const Finding& f : report.findings) {
    // Waived findings, and with --new-only those the baseline already had, do not fail the
    // gate: they are notices, not errors on the diff.
    bool settled = f.waived || (options.new_only && f.baseline == BaselineStatus::kUnchanged);
    std::string_view command = settled                            ? "notice"
                               : f.severity == Severity::kError   ? "error"
                               : f.severity == Severity::kWarning ? "warning"
                                                                  : "notice";
    out += "::";
    out += command;
    out += " file=";
    detail::AppendGithubProperty(out, paths.Of(f.location.file));
    if (f.location.line > 0) {
      out +=
          ",line=" + std::to_string(f.location.line) + ",col=" + std::to_string(f.location.column);
    }
    out += ",title=";
    detail::AppendGithubProperty(out, f.rule);
    if (!f.reason.empty()) {
      out += ' ';
      detail::AppendGithubProperty(out, f.reason);
    }
    out += ' ';
    detail::AppendGithubProperty(out, f.subject);
    out += f.waived ? " (waived)" : f.baseline == BaselineStatus::kUnchanged ? " (unchanged)" : "";
    out += "::";
    detail::AppendGithubMessage(out, f.message);
    if (!f.remedy.empty()) {
      out += "%0AFix: ";  // A line break of the annotation's own.
      detail::AppendGithubMessage(out, f.remedy);
    }
    out += '\n';
  }
  const auto& s = report.summary;
  auto count = [](std::uint64_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  out += "provgate: " + std::string(report.compliant() ? "compliant" : "non-compliant") + ": " +
         detail::TerminalText(report.model_id) + ": " + count(s.errors, "error") + ", " +
         count(s.warnings, "warning") + ", " + std::to_string(s.infos) + " info, " +
         std::to_string(s.waived) + " waived\n";
  return out;
}

std::string RenderMarkdownReport(const Report& report, const FormatOptions& options) {
  constexpr std::size_t kMaxListed = 50;
  // Strings from the input are written as code spans (ids, subjects, paths, URIs) or as
  // escaped text (messages, reasons, the pack's names), never as Markdown of their own.
  using detail::MarkdownCode;
  using detail::MarkdownText;
  RelativePaths paths(options.source_root);
  const auto& s = report.summary;
  std::string out =
      "### provgate: " + std::string(report.compliant() ? "compliant" : "**non-compliant**") +
      " — " + MarkdownCode(report.model_id) + "\n\n";
  out += "| errors | warnings | info | waived | sources | without permission | weights |\n";
  out += "|---:|---:|---:|---:|---:|---:|---|\n";
  out += "| " + std::to_string(s.errors) + " | " + std::to_string(s.warnings) + " | " +
         std::to_string(s.infos) + " | " + std::to_string(s.waived) + " | " +
         std::to_string(s.sources) + " | " + std::to_string(s.unpermitted) + " | " +
         std::string(ToString(report.weights)) +
         (report.effective_weights != ToString(report.weights)
              ? " (counted as " + MarkdownText(report.effective_weights) + ")"
              : "") +
         " |\n\n";
  if (!report.taint_chain.empty()) out += "Taint: " + MarkdownText(report.taint_chain) + "\n\n";
  auto link = [&](const Finding& f) {
    const std::string& path = paths.Of(f.location.file);
    std::string text = path + (f.location.line > 0 ? ":" + std::to_string(f.location.line) + ":" +
                                                         std::to_string(f.location.column)
                                                   : "");
    if (options.link_base.empty() || f.location.line == 0) return MarkdownCode(text);
    return "[" + MarkdownText(text) + "](" + options.link_base + detail::UriPath(path) + "#L" +
           std::to_string(f.location.line) + ")";
  };
  auto rule = [](const std::string& id) { return "**" + MarkdownText(id) + "**"; };
  auto item = [&](const Finding& f) {
    std::string line = "- " + rule(f.rule) + " " + MarkdownCode(f.subject) +
                       (f.reason.empty() ? "" : " (" + MarkdownText(f.reason) + ")") + " at " +
                       link(f) + ": " + MarkdownText(f.message);
    if (f.baseline == BaselineStatus::kNew) line += " *(new)*";
    if (!f.remedy.empty()) line += "<br>Fix: " + MarkdownText(f.remedy);
    return line + "\n";
  };
  struct Section {
    const char* title;
    Severity severity;
    bool folded;
  };
  for (const Section& section :
       {Section{"Errors", Severity::kError, false}, Section{"Warnings", Severity::kWarning, true},
        Section{"Info", Severity::kInfo, true}}) {
    std::vector<const Finding*> listed;
    for (const Finding& f : report.findings) {
      if (f.severity == section.severity && !f.waived) listed.push_back(&f);
    }
    if (listed.empty()) continue;
    std::string body;
    for (std::size_t i = 0; i < listed.size() && i < kMaxListed; ++i) body += item(*listed[i]);
    if (listed.size() > kMaxListed) {
      body +=
          "- … and " + std::to_string(listed.size() - kMaxListed) + " more (see the full report)\n";
    }
    if (section.folded) {
      out += "<details><summary>" + std::string(section.title) + " (" +
             std::to_string(listed.size()) + ")</summary>\n\n" + body + "\n</details>\n\n";
    } else {
      out += "**" + std::string(section.title) + "**\n\n" + body + "\n";
    }
  }
  std::string waived;
  for (const Finding& f : report.findings) {
    if (!f.waived || !f.waiver) continue;
    waived += "- " + rule(f.rule) + " " + MarkdownCode(f.subject) + ": " +
              MarkdownText(f.waiver->reason) + " (" + MarkdownText(f.waiver->approver) +
              ", until " + MarkdownText(f.waiver->expires) + ")\n";
  }
  if (!waived.empty()) {
    out += "<details><summary>Waived (" + std::to_string(s.waived) + ")</summary>\n\n" + waived +
           "\n</details>\n\n";
  }
  if (!report.fixed.empty()) {
    out += "<details><summary>Fixed since the baseline (" + std::to_string(report.fixed.size()) +
           ")</summary>\n\n";
    for (const Finding& f : report.fixed) {
      out += "- " + rule(f.rule) + " " + MarkdownCode(f.subject) + ": " + MarkdownText(f.message) +
             "\n";
    }
    out += "\n</details>\n\n";
  }
  if (!report.obligations.empty()) {
    out += "<details><summary>Obligations (" + std::to_string(report.obligations.size()) +
           ")</summary>\n\n";
    for (std::size_t i = 0; i < report.obligations.size() && i < kMaxListed; ++i) {
      const Obligation& o = report.obligations[i];
      out += "- " + MarkdownText(o.kind) + ": " + MarkdownCode(o.subject) +
             (o.license.empty() ? "" : " (" + MarkdownText(o.license) + ")") +
             (o.uri.empty() ? "" : " " + MarkdownCode(o.uri)) + "\n";
    }
    if (report.obligations.size() > kMaxListed) {
      out += "- … and " + std::to_string(report.obligations.size() - kMaxListed) + " more\n";
    }
    out += "\n</details>\n\n";
  }
  out += "<sub>policy " + MarkdownText(report.policy_name) + " " +
         MarkdownText(report.policy_version) + ", profile " + MarkdownText(report.policy_profile) +
         "; provgate " + MarkdownText(report.tool_version) + "</sub>\n";
  return out;
}

void CompareWithBaseline(Report& head, const Report& base, const std::string& base_path) {
  auto rank = [](Severity s) {
    return s == Severity::kError ? 2 : s == Severity::kWarning ? 1 : 0;
  };
  // The highest severity the base had for each (rule, subject).
  std::map<std::pair<std::string, std::string>, int> before;
  for (const Finding& f : base.findings) {
    if (f.waived) continue;
    int& r = before.try_emplace({f.rule, f.subject}, -1).first->second;
    r = std::max(r, rank(f.severity));
  }
  std::set<std::pair<std::string, std::string>> now;
  for (Finding& f : head.findings) {
    auto it = before.find({f.rule, f.subject});
    f.baseline = it != before.end() && it->second >= rank(f.severity) ? BaselineStatus::kUnchanged
                                                                      : BaselineStatus::kNew;
    now.insert({f.rule, f.subject});
  }
  head.baseline_path = base_path;
  head.fixed.clear();
  for (const Finding& f : base.findings) {
    if (!f.waived && now.count({f.rule, f.subject}) == 0) head.fixed.push_back(f);
  }
}

}  // namespace provgate
