// provgate diff BASE HEAD: the findings new, fixed and unchanged between two manifest versions.
#include <memory>

#include "baseline.h"
#include "commands.h"
#include "manifest_source.h"
#include "output.h"
#include "provgate/check.h"
#include "provgate/formats.h"
#include "provgate/policy.h"
#include "shared_options.h"

namespace provgate::cli {
namespace {

struct DiffArgs {
  std::string base;
  std::string head;
  PolicyArgs policy;
  std::string format = "text";
  std::string output;
};

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

// The text form: a header with the counts, then the new, fixed and unchanged findings.
std::string RenderDiffText(const ManifestSource& base_source, const ManifestSource& head_source,
                           const Report& base, const Report& head) {
  std::string added, unchanged, fixed;
  std::size_t n_added = 0, n_unchanged = 0;
  for (const Finding& f : head.findings) {
    if (f.baseline == BaselineStatus::kNew) {
      added += Line(f);
      ++n_added;
    } else {
      unchanged += Line(f);
      ++n_unchanged;
    }
  }
  for (const Finding& f : head.fixed) fixed += Line(f);
  std::string out = "provgate diff " + EscapeTerminalText(base_source.display()) + " -> " +
                    EscapeTerminalText(head_source.display()) + " (" +
                    EscapeTerminalText(head.model_id) + ")\n  " + std::to_string(n_added) +
                    " new, " + std::to_string(head.fixed.size()) + " fixed, " +
                    std::to_string(n_unchanged) + " unchanged; HEAD is " +
                    (head.compliant() ? "compliant" : "non-compliant") + ", BASE was " +
                    (base.compliant() ? "compliant" : "non-compliant") + "\n";
  if (!added.empty()) out += "\nNew\n" + added;
  if (!fixed.empty()) out += "\nFixed\n" + fixed;
  if (!unchanged.empty()) out += "\nUnchanged\n" + unchanged;
  return out;
}

ExitCode RunDiff(const DiffArgs& args) {
  FailOn fail_on = args.policy.FailOnLevel();
  CheckOptions options = args.policy.ToCheckOptions();  // The waivers apply to HEAD only.
  PackLoadResult loaded;
  if (ExitCode code = LoadPackOrReport(options.policy_dir, loaded); code != ExitCode::kCompliant) {
    return code;
  }
  ManifestSource base_source, head_source;
  for (auto [source, spec] :
       {std::pair{&base_source, &args.base}, std::pair{&head_source, &args.head}}) {
    std::string error;
    if (!source->Open(*spec, error)) return UsageError(error);
  }
  std::vector<std::string> inputs = {base_source.path(), head_source.path(), args.policy.waivers};
  if (ExitCode refused = CheckOutputs({args.output}, inputs); refused != ExitCode::kCompliant) {
    return refused;
  }
  CheckResult base;
  if (ExitCode code = CheckBaseline(base_source, *loaded.pack, options, base); Failed(code)) {
    return code;
  }
  options.root = head_source.root();
  CheckResult head = Check(head_source.path(), *loaded.pack, options);
  if (ExitCode code = ReportCheckProblems(head, fail_on); Failed(code)) return code;
  AppendFilesRead(base, inputs);
  AppendFilesRead(head, inputs);
  if (ExitCode refused = CheckOutputs({args.output}, inputs); refused != ExitCode::kCompliant) {
    return refused;
  }
  for (Finding& f : head.report.findings) f.location.file = head_source.Display(f.location.file);
  CompareWithCheckedBaseline(base, base_source, head.report);
  ExitCode code = FromEngineCode(head.ExitCode(fail_on, /*new_only=*/true));

  if (args.format == "json") {
    return AfterWrite(WriteOutputStreaming(args.output,
                                           [&](const std::function<void(std::string_view)>& sink) {
                                             WriteJsonReport(head.report, sink);
                                           }),
                      code);
  }
  if (args.format == "markdown") {
    return AfterWrite(WriteOutput(args.output, RenderMarkdownReport(head.report)), code);
  }
  return AfterWrite(
      WriteOutput(args.output, RenderDiffText(base_source, head_source, base.report, head.report)),
      code);
}

constexpr CommandText kDiffText = {
    .name = "diff",
    .description =
        "Reports the findings that are new in HEAD, fixed in HEAD and unchanged. Both versions "
        "are checked with the same policy, and findings are compared by rule and subject, not "
        "by line: moving a source in the file changes nothing, and a finding that became more "
        "severe counts as new.",
    .footer =
        "Exit codes: 0 no new failing finding, 1 HEAD has new failing findings, 2 invalid input "
        "or usage, 3 operational failure.",
};

void DeclareDiff(CLI::App& command, DiffArgs& args) {
  const char* version =
      "a file, or git:REV:PATH (PATH relative to the repository root, or ./PATH relative to "
      "the current directory)";
  command.add_option("BASE", args.base, std::string("the earlier version: ") + version)->required();
  command.add_option("HEAD", args.head, std::string("the version under review: ") + version)
      ->required();
  AddPolicyOptions(command, args.policy,
                   {.profile = true, .date = true, .waivers = true, .fail_on = true});
  AddFormatOption(command, args.format, {"text", "json", "markdown"},
                  "text (default), json (the HEAD report with each finding marked new or "
                  "unchanged, and the fixed ones) or markdown (a pull-request comment)");
  AddOutputOption(command, args.output, "the comparison");
}

}  // namespace

Command AddDiffCommand(CLI::App& root) { return AddCommand(root, kDiffText, DeclareDiff, RunDiff); }

}  // namespace provgate::cli
