// The report for people at a terminal: the verdict, the summary, findings by severity with
// many of one kind grouped, waivers, the baseline's comparison and the obligations.
#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "common/escape.h"
#include "policy/taint_causes.h"
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

// How much data the sources state: tokens, bytes, both, or neither.
std::string SizeText(const Report::Summary& s) {
  if (s.tokens > 0 && s.bytes > 0) {
    return WithThousands(s.tokens) + " tokens and " + WithThousands(s.bytes) + " bytes";
  }
  if (s.tokens > 0) return WithThousands(s.tokens) + " tokens";
  if (s.bytes > 0) return WithThousands(s.bytes) + " bytes";
  return "size unknown";
}

// Findings that are listed together when there are many: one rule, reason and severity, in
// the same waiver and baseline state.
using GroupKey = std::tuple<std::string_view, std::string_view, bool, BaselineStatus>;

GroupKey KeyOf(const Finding& f) { return {f.rule, f.reason, f.waived, f.baseline}; }

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
  const auto& s = report.summary;
  if (options.validation) {
    // validate runs the schema and the integrity rule only: whether the manifest is
    // well-formed, never a verdict on the model.
    out += report.compliant() ? paint("1;32", "WELL-FORMED") : paint("1;31", "INTEGRITY ERRORS");
    out += "  " + safe(report.model_id) + "\n";
    out +=
        "  schema and integrity checks only; the policy was not evaluated (provgate check "
        "gives the verdict)\n";
  } else {
    out += report.compliant() ? paint("1;32", "COMPLIANT") : paint("1;31", "NON-COMPLIANT");
    out += "  " + safe(report.model_id) + "\n";
  }
  out += "  " + Plural(s.errors, "error") + ", " + Plural(s.warnings, "warning") + ", " +
         std::to_string(s.infos) + " info" +
         (s.waived > 0 ? ", " + std::to_string(s.waived) + " waived" : "") + "; " +
         Plural(s.sources, "source") + ", " + Plural(s.stages, "stage") + ", " + SizeText(s) + "\n";
  if (!options.validation) {
    out += "  " + std::to_string(s.unpermitted) + " of " + std::to_string(s.sources) +
           " sources used without permission" +
           (s.tokens > 0 ? " (" + WithThousands(s.tokens_unpermitted) + " tokens)" : "") +
           (report.tainted ? "; the model is tainted" : "") + "\n";
  }
  out += "  weights " + std::string(ToString(report.weights)) + " (counted as " +
         safe(report.effective_weights) + "); policy " + safe(report.policy_name) + " " +
         safe(report.policy_version) + ", profile " + safe(report.policy_profile) + "\n";
  if (!options.validation && !report.taint_causes.empty()) {
    // The heaviest causes first, so that terabytes of unpermitted data are not hidden behind
    // the first source in the manifest.
    out += "  taint, heaviest causes first:\n";
    constexpr std::size_t kShown = 3;
    std::size_t shown = std::min(kShown, report.taint_causes.size());
    for (std::size_t i = 0; i < shown; ++i) {
      out += "    " + safe(detail::DescribeTaintCause(report.taint_causes[i])) + "\n";
    }
    std::uint64_t more = report.taint_causes_omitted + (report.taint_causes.size() - shown);
    if (more > 0) out += "    and " + std::to_string(more) + " more (the JSON report lists them)\n";
  } else if (!options.validation && !report.taint_chain.empty()) {
    out += "  taint: " + safe(report.taint_chain) + "\n";
  }
  if (!report.check_date.empty()) {
    out += "  no release date: contracts checked against " + safe(report.check_date) + "\n";
  }

  // Findings of one kind beyond the threshold are one entry: how many, and the first five.
  std::map<std::pair<Severity, GroupKey>, std::size_t> group_sizes;
  if (options.group_above > 0) {
    for (const Finding& f : report.findings) ++group_sizes[{f.severity, KeyOf(f)}];
  }
  auto grouped = [&](const Finding& f) {
    auto it = group_sizes.find({f.severity, KeyOf(f)});
    return it != group_sizes.end() && it->second > options.group_above ? it->second : 0;
  };
  bool any_group = false;
  auto add_place = [&](const Finding& f) {
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
  };
  auto add_title = [&](const Finding& f) {
    out += "  ";
    if (options.color) out += "\033[1m";
    add(f.rule);
    if (options.color) out += "\033[0m";
    if (!f.reason.empty()) {
      out += " [";
      add(f.reason);
      out += ']';
    }
  };
  // The group of `first`, which is its first finding: count, (first five) subjects, and the
  // first one's place, message and fix as an example.
  auto add_group = [&](const Finding& first, std::size_t size) {
    any_group = true;
    add_title(first);
    out += ' ' + std::to_string(size) + " findings";
    if (first.waived) out += " (waived)";
    if (first.baseline == BaselineStatus::kNew) out += " (new)";
    out += size > 5 ? ", first five: " : ": ";
    std::size_t shown = 0;
    for (const Finding& f : report.findings) {
      if (shown == 5) break;
      if (f.severity != first.severity || KeyOf(f) != KeyOf(first)) continue;
      if (shown++ > 0) out += ", ";
      add(f.subject);
    }
    out += "\n    first at ";
    add_place(first);
    out += "\n    ";
    add(first.message);
    out += '\n';
    if (!first.remedy.empty()) {
      out += "    fix: ";
      add(first.remedy);
      out += '\n';
    }
  };

  struct Section {
    Severity severity;
    std::string_view title;
    std::string_view color;
  };
  const Section sections[] = {{Severity::kError, "Errors", "1;31"},
                              {Severity::kWarning, "Warnings", "1;33"},
                              {Severity::kInfo, "Info", "1;36"}};
  for (const Section& section : sections) {
    bool header = false;
    std::map<GroupKey, bool> group_written;
    for (const Finding& f : report.findings) {
      if (f.severity != section.severity) continue;
      if (!header) {
        out += "\n" + paint(section.color, std::string(section.title)) + "\n";
        header = true;
      }
      if (std::size_t size = grouped(f); size > 0) {
        if (!group_written[KeyOf(f)]) add_group(f, size);
        group_written[KeyOf(f)] = true;
        continue;
      }
      // Appended in place: a report of many findings makes no string per field.
      add_title(f);
      out += ' ';
      add(f.subject);
      if (f.waived) out += " (waived)";
      if (f.baseline == BaselineStatus::kNew) out += " (new)";
      out += "\n    at ";
      add_place(f);
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
  if (any_group) {
    out += "\nMore than " + std::to_string(options.group_above) +
           " findings of one rule and reason are shown as one entry; --format json lists "
           "every finding.\n";
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
    // Many of one rule, kind, licence and text are one line, as findings are.
    using DutyKey =
        std::tuple<std::string_view, std::string_view, std::string_view, std::string_view>;
    auto key_of = [](const Obligation& o) -> DutyKey {
      return {o.rule, o.kind, o.license, o.text};
    };
    std::map<DutyKey, std::vector<const Obligation*>> duties;
    if (options.group_above > 0) {
      for (const Obligation& o : report.obligations) duties[key_of(o)].push_back(&o);
    }
    for (const Obligation& o : report.obligations) {
      auto it = duties.find(key_of(o));
      if (it != duties.end() && it->second.size() > options.group_above) {
        if (it->second.front() != &o) continue;
        const std::vector<const Obligation*>& all = it->second;
        out += "  " + safe(o.rule) + " " + safe(o.kind);
        if (!o.license.empty()) out += " (" + safe(o.license) + ")";
        if (!o.text.empty()) out += " \"" + safe(o.text) + "\"";
        out += ": " + std::to_string(all.size()) + " subjects" +
               (all.size() > 5 ? ", first five: " : ": ");
        for (std::size_t i = 0; i < all.size() && i < 5; ++i) {
          out += (i > 0 ? ", " : "") + safe(all[i]->subject);
        }
        out += "\n";
        continue;
      }
      out += "  " + safe(o.rule) + " " + safe(o.kind) + ": " + safe(o.subject);
      if (!o.license.empty()) out += " (" + safe(o.license) + ")";
      if (!o.uri.empty()) out += " " + safe(o.uri);
      if (!o.text.empty()) out += ": \"" + safe(o.text) + "\"";
      out += "\n";
    }
  }
  if (report.findings.empty()) out += "\nNo findings.\n";
  return out;
}

}  // namespace provgate
