#include <cstdio>

#include "commands.h"
#include "flags.h"
#include "manifest_source.h"
#include "output.h"
#include "provgate/check.h"
#include "provgate/formats.h"
#include "provgate/policy.h"

namespace provgate::cli {
namespace {

constexpr char kHelp[] =
    "usage: provgate diff BASE HEAD [options]\n"
    "\n"
    "Checks two versions of a manifest with the same policy and reports the findings that are\n"
    "new in HEAD, fixed in HEAD, and unchanged. BASE and HEAD are files or git:REV:PATH\n"
    "(PATH relative to the repository root, or ./PATH relative to the current directory).\n"
    "Findings are compared by rule and subject, not by line: moving a source in the file\n"
    "changes nothing, and a finding that became more severe counts as new.\n"
    "\n"
    "Options:\n"
    "  --format text|json|markdown  text (default), the HEAD report with each finding marked\n"
    "                         new or unchanged and the fixed ones (json), or a pull-request\n"
    "                         comment (markdown)\n"
    "  --output FILE          write to FILE (nothing is written on exit 2 or 3)\n"
    "  --policy DIR, --profile NAME, --date YYYY-MM-DD, --waivers FILE (applied to HEAD)\n"
    "  --fail-on error|warning  which new findings fail (default: error)\n"
    "\n"
    "Exit codes: 0 no new failing finding, 1 HEAD has new failing findings, 2 invalid input\n"
    "or usage, 3 operational failure.\n";

std::string Line(const Finding& f) {
  std::string where = f.location.file;
  if (f.location.line > 0) {
    where += ":" + std::to_string(f.location.line) + ":" + std::to_string(f.location.column);
  }
  return "  " + EscapeTerminalText(f.rule) +
         (f.reason.empty() ? "" : " [" + EscapeTerminalText(f.reason) + "]") + " " +
         EscapeTerminalText(f.subject) + " (" + std::string(ToString(f.severity)) +
         (f.waived ? ", waived" : "") + ") at " + EscapeTerminalText(where) + "\n    " +
         EscapeTerminalText(f.message) + "\n";
}

}  // namespace

int RunDiff(const std::vector<std::string>& args) {
  Flags flags({"--format", "--output", "--policy", "--profile", "--date", "--waivers", "--fail-on"},
              {"--help", "-h"});
  std::string error;
  if (!flags.Parse(args, error)) return UsageError(error);
  if (flags.Has("--help") || flags.Has("-h")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  if (flags.positionals().size() != 2) {
    return UsageError("diff takes BASE and HEAD (see provgate diff --help)");
  }
  std::string format = flags.Get("--format").value_or("text");
  if (format != "text" && format != "json" && format != "markdown") {
    return UsageError("unknown format '" + format + "': expected text, json or markdown");
  }
  FailOn fail_on = FailOn::kError;
  if (!ParseFailOn(flags.Get("--fail-on"), fail_on)) {
    return UsageError("--fail-on takes error or warning, not '" + *flags.Get("--fail-on") + "'");
  }
  CheckOptions options;
  options.policy_dir = flags.Get("--policy").value_or("");
  options.profile = flags.Get("--profile").value_or("");
  options.date = flags.Get("--date").value_or("");

  PackLoadResult loaded;
  if (int code = LoadPackOrReport(options.policy_dir, loaded); code != 0) return code;
  ManifestSource base_source, head_source;
  for (auto [source, spec] : {std::pair{&base_source, flags.positionals()[0]},
                              std::pair{&head_source, flags.positionals()[1]}}) {
    if (!source->Open(spec, error)) {
      PrintError(error);
      return 2;
    }
  }
  std::string output = flags.Get("--output").value_or("");
  std::vector<std::string> inputs = {base_source.path(), head_source.path(),
                                     flags.Get("--waivers").value_or("")};
  if (int refused = CheckOutputs({output}, inputs); refused != 0) return refused;
  options.root = base_source.root();
  CheckResult base = Check(base_source.path(), *loaded.pack, options);
  if (int code = ReportCheckProblems(base, fail_on); code >= 2) return code;
  options.waivers_path = flags.Get("--waivers").value_or("");
  options.root = head_source.root();
  CheckResult head = Check(head_source.path(), *loaded.pack, options);
  if (int code = ReportCheckProblems(head, fail_on); code >= 2) return code;
  AppendFilesRead(base, inputs);
  AppendFilesRead(head, inputs);
  if (int refused = CheckOutputs({output}, inputs); refused != 0) return refused;
  for (Finding& f : base.report.findings) f.location.file = base_source.Display(f.location.file);
  for (Finding& f : head.report.findings) f.location.file = head_source.Display(f.location.file);
  CompareWithBaseline(head.report, base.report, base_source.display());
  int code = head.ExitCode(fail_on, /*new_only=*/true);

  if (format == "json") {
    int write_code =
        WriteOutputStreaming(output, [&](const std::function<void(std::string_view)>& sink) {
          WriteJsonReport(head.report, sink);
        });
    return write_code != 0 ? write_code : code;
  }
  if (format == "markdown") {
    int write_code = WriteOutput(output, RenderMarkdownReport(head.report));
    return write_code != 0 ? write_code : code;
  }
  std::string added, unchanged, fixed;
  std::size_t n_added = 0, n_unchanged = 0;
  for (const Finding& f : head.report.findings) {
    if (f.baseline == BaselineStatus::kNew) {
      added += Line(f);
      ++n_added;
    } else {
      unchanged += Line(f);
      ++n_unchanged;
    }
  }
  for (const Finding& f : head.report.fixed) fixed += Line(f);
  std::string out = "provgate diff " + EscapeTerminalText(base_source.display()) + " -> " +
                    EscapeTerminalText(head_source.display()) + " (" +
                    EscapeTerminalText(head.report.model_id) + ")\n  " + std::to_string(n_added) +
                    " new, " + std::to_string(head.report.fixed.size()) + " fixed, " +
                    std::to_string(n_unchanged) + " unchanged; HEAD is " +
                    (head.report.compliant ? "compliant" : "non-compliant") + ", BASE was " +
                    (base.report.compliant ? "compliant" : "non-compliant") + "\n";
  if (!added.empty()) out += "\nNew\n" + added;
  if (!fixed.empty()) out += "\nFixed\n" + fixed;
  if (!unchanged.empty()) out += "\nUnchanged\n" + unchanged;
  int write_code = WriteOutput(output, out);
  return write_code != 0 ? write_code : code;
}

}  // namespace provgate::cli
