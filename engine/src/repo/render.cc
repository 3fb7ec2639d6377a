// The renderings of a gate run: every format from the one evaluation of each manifest, with
// the selected manifests in path order and the manifests no longer gated.
#include <filesystem>

#include "common/escape.h"
#include "json/json_writer.h"
#include "provgate/gate.h"
#include "report/format_common.h"

namespace provgate {
namespace {

bool Checked(const GateEntry& e) {
  return e.result.status.ok() && !HasErrors(e.result.diagnostics);
}

std::vector<const GateEntry*> Selected(const GateResult& gate) {
  std::vector<const GateEntry*> out;
  for (const GateEntry& e : gate.entries) {
    if (e.selected) out.push_back(&e);
  }
  return out;
}

// A manifest's problems as lines: its operational failure or its diagnostics.
std::vector<std::string> Problems(const GateEntry& e) {
  std::vector<std::string> lines;
  if (!e.result.status.ok()) lines.push_back(e.result.status.message());
  for (const Diagnostic& d : e.result.diagnostics) lines.push_back(FormatDiagnostic(d));
  return lines;
}

std::string_view RunVerdict(int exit_code) {
  switch (exit_code) {
    case 0:
      return "compliant";
    case 1:
      return "non-compliant";
    case 2:
      return "invalid";
    default:
      return "failed";
  }
}

FormatOptions ForEntries(const GateResult& gate, FormatOptions options) {
  options.fail_on = gate.fail_on;
  options.new_only = gate.new_only;
  return options;
}

// The gate's own results: manifests that cannot be checked, and those no longer gated.
std::vector<detail::GateProblem> GateProblems(const GateResult& gate) {
  std::vector<detail::GateProblem> problems;
  for (const GateEntry* e : Selected(gate)) {
    if (Checked(*e)) continue;
    detail::GateProblem p;
    p.file = e->path;
    p.subject = e->path;
    p.reason = e->exit_code == 2 ? "invalid-input" : "not-checked";
    if (!e->result.diagnostics.empty()) {
      const Diagnostic& d = e->result.diagnostics.front();
      p.file = d.file.empty() ? e->path : d.file;
      p.line = d.line;
      p.column = d.column;
    }
    std::vector<std::string> lines = Problems(*e);
    p.message = "the manifest " + e->path + " cannot be checked: " +
                (lines.empty() ? std::string("unknown problem") : lines.front()) +
                (lines.size() > 1 ? " (and " + std::to_string(lines.size() - 1) + " more)" : "");
    problems.push_back(std::move(p));
  }
  for (const UngatedManifest& u : gate.ungated) {
    if (!u.fails) continue;
    problems.push_back(
        {u.path, 0, 0, u.path, u.status, u.path + " is " + u.status + ": " + u.detail});
  }
  return problems;
}

std::string Count(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// One line: the verdict and the counts of the run.
// The sentence that calls out a change of the gate's own settings, or empty.
std::string SettingsChanged(const GateResult& gate) {
  if (gate.settings_changed.empty()) return {};
  std::string paths;
  for (const std::string& p : gate.settings_changed) paths += (paths.empty() ? "" : ", ") + p;
  return "this change edits the gate's settings (" + paths +
         "): every manifest was checked again, and the policy itself changed, which needs the "
         "review of the settings' owners";
}

std::string SummaryLine(const GateResult& gate) {
  std::vector<const GateEntry*> selected = Selected(gate);
  std::size_t failing = 0;
  for (const GateEntry* e : selected) failing += e->exit_code != 0 ? 1 : 0;
  std::size_t ungated = 0;
  for (const UngatedManifest& u : gate.ungated) ungated += u.fails ? 1 : 0;
  std::string line = "provgate gate: " + std::string(RunVerdict(gate.ExitCode())) + ": " +
                     Count(selected.size(), "manifest") + " checked of " +
                     std::to_string(gate.entries.size()) + " gated, " + std::to_string(failing) +
                     " failing";
  if (ungated > 0) line += ", " + std::to_string(ungated) + " no longer gated";
  if (!gate.base.empty()) line += " (changes since " + EscapeTerminalText(gate.base) + ")";
  return line;
}

}  // namespace

void WriteGateJson(const GateResult& gate, const std::function<void(std::string_view)>& sink) {
  std::string buffer;
  detail::JsonWriter out(buffer, &sink, std::size_t{1} << 20);
  std::vector<const GateEntry*> selected = Selected(gate);
  out.BeginObject();
  out.Key("gate");
  out.BeginObject();
  if (gate.base.empty()) {
    out.Key("base");
    out.Null();
  } else {
    out.Member("base", gate.base);
  }
  out.Member("exit_code", static_cast<std::uint64_t>(gate.ExitCode()));
  out.Member("verdict", RunVerdict(gate.ExitCode()));
  out.Member("gated", static_cast<std::uint64_t>(gate.entries.size()));
  out.Member("checked", static_cast<std::uint64_t>(selected.size()));
  std::uint64_t failing = 0;
  for (const GateEntry* e : selected) failing += e->exit_code != 0 ? 1 : 0;
  out.Member("failing", failing);
  out.Key("settings_changed");
  out.BeginArray();
  for (const std::string& p : gate.settings_changed) out.String(p);
  out.EndArray();
  out.EndObject();
  out.Key("manifests");
  out.BeginArray();
  for (const GateEntry* e : selected) {
    out.BeginObject();
    out.Member("path", e->path);
    out.Key("selected_because");
    out.BeginArray();
    for (const std::string& p : e->selected_because) out.String(p);
    out.EndArray();
    out.Key("dependencies");
    out.BeginArray();
    for (const std::string& p : e->dependencies) out.String(p);
    out.EndArray();
    out.Member("exit_code", static_cast<std::uint64_t>(e->exit_code));
    if (Checked(*e)) {
      out.Key("report");
      detail::WriteReport(e->result.report, out);
    } else {
      out.Key("problems");
      out.BeginArray();
      for (const std::string& line : Problems(*e)) out.String(line);
      out.EndArray();
    }
    out.EndObject();
  }
  out.EndArray();
  out.Key("ungated");
  out.BeginArray();
  for (const UngatedManifest& u : gate.ungated) {
    out.BeginObject();
    out.Member("path", u.path);
    out.Member("status", u.status);
    out.Member("detail", u.detail);
    out.Member("fails", u.fails);
    out.EndObject();
  }
  out.EndArray();
  out.EndObject();
  out.Raw("\n");
  out.Flush();
}

std::string RenderGateSarif(const GateResult& gate, const FormatOptions& options) {
  detail::SarifLog log;
  for (const GateEntry* e : Selected(gate)) {
    if (Checked(*e)) log.reports.push_back(&e->result.report);
  }
  log.problems = GateProblems(gate);
  log.automation_id = "provgate/gate/";
  log.compliant = gate.ExitCode() == 0;
  return detail::RenderSarifLog(log, DescribePack(*gate.pack), ForEntries(gate, options));
}

std::string RenderGateJunit(const GateResult& gate, const FormatOptions& options) {
  using detail::Xml;
  detail::JunitCounts counts;
  std::string suites;
  FormatOptions entry_options = ForEntries(gate, options);
  for (const GateEntry* e : Selected(gate)) {
    if (Checked(*e)) {
      suites += detail::JunitSuites(e->result.report, DescribePack(*gate.pack), entry_options,
                                    e->path + ": ", counts);
    }
  }
  std::vector<detail::GateProblem> problems = GateProblems(gate);
  if (!problems.empty()) {
    std::string cases;
    for (const detail::GateProblem& p : problems) {
      cases += "    <testcase classname=\"provgate.gate\" name=\"" + Xml(p.subject) + "\" file=\"" +
               Xml(p.file) + "\" line=\"" + std::to_string(p.line) +
               "\">\n      <failure type=\"error\" message=\"" + Xml(p.message) + "\">" +
               Xml(p.message) + "\n</failure>\n    </testcase>\n";
    }
    counts.tests += problems.size();
    counts.failures += problems.size();
    suites += "  <testsuite name=\"provgate gate\" tests=\"" + std::to_string(problems.size()) +
              "\" failures=\"" + std::to_string(problems.size()) +
              "\" errors=\"0\" skipped=\"0\">\n" + cases + "  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"provgate gate\" tests=\"" +
         std::to_string(counts.tests) + "\" failures=\"" + std::to_string(counts.failures) +
         "\" errors=\"0\" skipped=\"" + std::to_string(counts.skipped) + "\">\n" + suites +
         "</testsuites>\n";
}

std::string RenderGateGithub(const GateResult& gate, const FormatOptions& options) {
  std::string out;
  FormatOptions entry_options = ForEntries(gate, options);
  for (const GateEntry* e : Selected(gate)) {
    if (Checked(*e)) out += RenderGithubAnnotations(e->result.report, entry_options);
  }
  for (const detail::GateProblem& p : GateProblems(gate)) {
    out += "::error file=";
    detail::AppendGithubProperty(out, p.file);
    if (p.line > 0) {
      out += ",line=" + std::to_string(p.line) + ",col=" + std::to_string(p.column);
    }
    out += ",title=provgate gate ";
    detail::AppendGithubProperty(out, p.reason);
    out += "::";
    detail::AppendGithubMessage(out, p.message);
    out += '\n';
  }
  if (std::string settings = SettingsChanged(gate); !settings.empty()) {
    out += "::warning title=provgate gate settings changed::";
    detail::AppendGithubMessage(out, settings);
    out += '\n';
  }
  return out + SummaryLine(gate) + "\n";
}

std::string RenderGateMarkdown(const GateResult& gate, const FormatOptions& options) {
  using detail::MarkdownCode;
  using detail::MarkdownText;
  std::vector<const GateEntry*> selected = Selected(gate);
  const int code = gate.ExitCode();
  std::string out = std::string(kGateMarker) + "\n";
  out += "## provgate gate: " +
         std::string(code == 0 ? "compliant" : "**" + std::string(RunVerdict(code)) + "**") +
         "\n\n";
  if (!gate.base.empty()) out += "Changes since " + MarkdownCode(gate.base) + ". ";
  out += Count(selected.size(), "manifest") + " checked of " + std::to_string(gate.entries.size()) +
         " gated.\n\n";
  if (std::string settings = SettingsChanged(gate); !settings.empty()) {
    out += "> **Settings changed:** " + MarkdownText(settings) + ".\n\n";
  }
  if (!selected.empty()) {
    out += "| manifest | model | verdict | errors | warnings | waived |\n";
    out += "|---|---|---|---:|---:|---:|\n";
    for (const GateEntry* e : selected) {
      if (Checked(*e)) {
        const Report& r = e->result.report;
        out += "| " + MarkdownCode(e->path) + " | " + MarkdownCode(r.model_id) + " | " +
               std::string(RunVerdict(e->exit_code)) + " | " + std::to_string(r.summary.errors) +
               " | " + std::to_string(r.summary.warnings) + " | " +
               std::to_string(r.summary.waived) + " |\n";
      } else {
        out += "| " + MarkdownCode(e->path) + " | | " + std::string(RunVerdict(e->exit_code)) +
               " | | | |\n";
      }
    }
    out += "\n";
  }
  std::vector<detail::GateProblem> problems = GateProblems(gate);
  if (!problems.empty()) {
    out += "**Not checked, or no longer gated**\n\n";
    for (const detail::GateProblem& p : problems) {
      out += "- " + MarkdownCode(p.subject) + " (" + MarkdownText(p.reason) +
             "): " + MarkdownText(p.message) + "\n";
    }
    out += "\n";
  }
  for (const UngatedManifest& u : gate.ungated) {
    if (u.fails) continue;
    out += "- " + MarkdownCode(u.path) + " " + MarkdownText(u.status) + ": " +
           MarkdownText(u.detail) + "\n";
  }
  FormatOptions entry_options = ForEntries(gate, options);
  for (const GateEntry* e : selected) {
    if (!Checked(*e) || e->exit_code == 0) continue;
    out += "\n---\n\n" + MarkdownCode(e->path) + "\n\n" +
           RenderMarkdownReport(e->result.report, entry_options);
  }
  return out;
}

std::string RenderGateText(const GateResult& gate, bool color) {
  std::string out;
  for (const GateEntry* e : Selected(gate)) {
    out += "== " + EscapeTerminalText(e->path);
    if (!e->selected_because.empty()) {
      out += " (changed: " + EscapeTerminalText(e->selected_because.front()) +
             (e->selected_because.size() > 1
                  ? " and " + std::to_string(e->selected_because.size() - 1) + " more"
                  : "") +
             ")";
    }
    out += "\n";
    if (Checked(*e)) {
      out += RenderTextReport(e->result.report, TextOptions{color});
    } else {
      for (const std::string& line : Problems(*e)) out += EscapeTerminalText(line) + "\n";
    }
    out += "\n";
  }
  for (const UngatedManifest& u : gate.ungated) {
    out +=
        EscapeTerminalText(u.path) + ": " + u.status + ": " + EscapeTerminalText(u.detail) + "\n";
  }
  if (std::string settings = SettingsChanged(gate); !settings.empty()) {
    out += "warning: " + EscapeTerminalText(settings) + "\n";
  }
  return out + SummaryLine(gate) + "\n";
}

}  // namespace provgate
