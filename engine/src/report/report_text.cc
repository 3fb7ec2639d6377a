#include <string>

#include "common/escape.h"
#include "provgate/report.h"

namespace provgate {
namespace {

std::string Plural(std::uint64_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

std::string WithThousands(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

std::string EscapeTerminalText(std::string_view text) { return detail::TerminalText(text); }

std::string EscapeTerminalLines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  detail::AppendTerminalLines(out, text);
  return out;
}

std::string RenderTextReport(const Report& report, const TextOptions& options) {
  auto paint = [&](std::string_view code, const std::string& text) {
    return options.color ? "\033[" + std::string(code) + "m" + text + "\033[0m" : text;
  };
  // Every string from the input (the manifest, the pack, the waivers, file names) is written
  // through `safe` or `add`: one line, nothing a terminal or a CI runner would act on.
  auto safe = [](std::string_view text) { return detail::TerminalText(text); };
  std::string out;
  auto add = [&](std::string_view text) { detail::AppendTerminalText(out, text); };
  if (options.validation) {
    out += report.compliant() ? paint("1;32", "VALID") : paint("1;31", "INVALID");
  } else {
    out += report.compliant() ? paint("1;32", "COMPLIANT") : paint("1;31", "NON-COMPLIANT");
  }
  out += "  " + safe(report.model_id) + "\n";
  const auto& s = report.summary;
  out += "  " + Plural(s.errors, "error") + ", " + Plural(s.warnings, "warning") + ", " +
         std::to_string(s.infos) + " info" +
         (s.waived > 0 ? ", " + std::to_string(s.waived) + " waived" : "") + "; " +
         Plural(s.sources, "source") + ", " + Plural(s.stages, "stage") + ", " +
         WithThousands(s.tokens) + " tokens\n";
  out += "  " + std::to_string(s.unpermitted) + " of " + std::to_string(s.sources) +
         " sources used without permission (" + WithThousands(s.tokens_unpermitted) + " tokens)" +
         (report.tainted ? "; the model is tainted" : "") + "\n";
  out += "  weights " + std::string(ToString(report.weights)) + " (counted as " +
         safe(report.effective_weights) + "); policy " + safe(report.policy_name) + " " +
         safe(report.policy_version) + ", profile " + safe(report.policy_profile) + "\n";
  if (!report.taint_chain.empty()) out += "  taint: " + safe(report.taint_chain) + "\n";
  if (!report.check_date.empty()) {
    out += "  no release date: contracts checked against " + safe(report.check_date) + "\n";
  }

  struct Group {
    Severity severity;
    std::string_view title;
    std::string_view color;
  };
  const Group groups[] = {{Severity::kError, "Errors", "1;31"},
                          {Severity::kWarning, "Warnings", "1;33"},
                          {Severity::kInfo, "Info", "1;36"}};
  for (const Group& group : groups) {
    bool header = false;
    for (const Finding& f : report.findings) {
      if (f.severity != group.severity) continue;
      if (!header) {
        out += "\n" + paint(group.color, std::string(group.title)) + "\n";
        header = true;
      }
      // Appended in place: a report of many findings makes no string per field.
      out += "  ";
      if (options.color) out += "\033[1m";
      add(f.rule);
      if (options.color) out += "\033[0m";
      if (!f.reason.empty()) {
        out += " [";
        add(f.reason);
        out += ']';
      }
      out += ' ';
      add(f.subject);
      if (f.waived) out += " (waived)";
      if (f.baseline == BaselineStatus::kNew) out += " (new)";
      out += "\n    at ";
      add(f.location.file);
      if (f.location.line > 0) {
        out += ':';
        out += std::to_string(f.location.line);
        out += ':';
        out += std::to_string(f.location.column);
      }
      if (!f.location.pointer.empty()) {
        out += " (";
        add(f.location.pointer);
        out += ')';
      }
      out += "\n    ";
      add(f.message);
      out += '\n';
      if (!f.remedy.empty()) {
        out += "    fix: ";
        add(f.remedy);
        out += '\n';
      }
      if (f.waiver) {
        out += "    waived by ";
        add(f.waiver->approver);
        out += " until ";
        add(f.waiver->expires);
        out += ": ";
        add(f.waiver->reason);
        if (!f.waiver->ticket.empty()) {
          out += " (";
          add(f.waiver->ticket);
          out += ')';
        }
        out += '\n';
      }
    }
  }
  if (!report.baseline_path.empty()) {
    std::size_t added = 0;
    for (const Finding& f : report.findings) added += f.baseline == BaselineStatus::kNew;
    out += "\nAgainst the baseline " + safe(report.baseline_path) + ": " + std::to_string(added) +
           " new, " + std::to_string(report.fixed.size()) + " fixed, " +
           std::to_string(report.findings.size() - added) + " unchanged\n";
    for (const Finding& f : report.fixed) {
      out += "  fixed: " + safe(f.rule) + (f.reason.empty() ? "" : " [" + safe(f.reason) + "]") +
             " " + safe(f.subject) + ": " + safe(f.message) + "\n";
    }
  }
  if (!report.obligations.empty()) {
    out += "\nObligations\n";
    for (const Obligation& o : report.obligations) {
      out += "  " + safe(o.rule) + " " + safe(o.kind) + ": " + safe(o.subject);
      if (!o.license.empty()) out += " (" + safe(o.license) + ")";
      if (!o.uri.empty()) out += " " + safe(o.uri);
      out += "\n";
    }
  }
  if (report.findings.empty()) out += "\nNo findings.\n";
  return out;
}

std::string RenderNotice(const Report& report) {
  // A NOTICE is read in terminals and CI logs as well as in files: the same escaping.
  auto safe = [](std::string_view text) { return detail::TerminalText(text); };
  std::string out = "NOTICE\n\n" + safe(report.model_id) +
                    " was trained on the following material, used under the licences shown.\n";
  std::size_t count = 0;
  for (const Obligation& o : report.obligations) {
    if (o.kind != "attribution") continue;
    ++count;
    out += "\n" +
           (o.title.empty() ? safe(o.subject) : safe(o.title) + " (" + safe(o.subject) + ")") +
           "\n";
    if (!o.uri.empty()) out += "  Source: " + safe(o.uri) + "\n";
    out += "  License: " + safe(o.license) + "\n";
  }
  if (count == 0) out += "\nNo source requires attribution.\n";
  return out;
}

}  // namespace provgate
