// provgate check MANIFEST: validate, evaluate against the policy, report.
#include <memory>

#include "baseline.h"
#include "commands.h"
#include "manifest_source.h"
#include "output.h"
#include "provgate/attest.h"
#include "provgate/check.h"
#include "provgate/formats.h"
#include "provgate/policy.h"
#include "shared_options.h"

namespace provgate::cli {
namespace {

struct CheckArgs {
  std::string manifest;
  PolicyArgs policy;
  bool verify_files = false;
  std::string format;  // Empty: text on a terminal without --output, json otherwise.
  std::string output;
  std::string source_root;
  std::string link_base;
  std::string sign_key;
  std::string bundle;
  std::string baseline;
  bool new_only = false;
  bool decisions = false;            // --decisions: the decision table in the JSON report.
  std::size_t group_above = 5;       // --group: text groups more findings of one kind.
  std::vector<std::string> reports;  // --report FORMAT=FILE
  int warn_expiring = -1;
  std::string ledger;  // Reserved: rejected.
  // Options whose presence matters even with an empty value.
  const CLI::Option* sign_option = nullptr;
  const CLI::Option* baseline_option = nullptr;
  const CLI::Option* ledger_option = nullptr;
};

// Writes the signed report (and the Sigstore bundle) instead of the report.
ExitCode WriteSignedReport(const CheckArgs& args, const Report& report, ExitCode verdict) {
  SignResult signed_report = SignStatement(RenderStatement(report), args.sign_key);
  if (!signed_report.status.ok()) {
    PrintError(signed_report.status.message());
    return ExitCode::kOperational;
  }
  if (!args.bundle.empty()) {
    BundleResult bundle = RenderSigstoreBundle(signed_report.envelope);
    if (!bundle.status.ok()) {
      PrintError(bundle.status.message());
      return ExitCode::kOperational;
    }
    if (ExitCode written = WriteOutput(args.bundle, bundle.bundle);
        written != ExitCode::kCompliant) {
      return written;
    }
  }
  return AfterWrite(WriteOutput(args.output, signed_report.envelope), verdict);
}

// Writes `report` in `format` to `output` (standard output when empty).
ExitCode WriteFormat(const CheckArgs& args, const std::string& format, const std::string& output,
                     const Report& report, const RulePack& pack) {
  FormatOptions options;
  options.source_root = args.source_root;
  options.link_base = args.link_base;
  options.fail_on = args.policy.FailOnLevel();
  options.new_only = args.new_only;
  ExitCode written = ExitCode::kCompliant;
  if (format == "json") {
    // Streamed: a report of hundreds of megabytes never sits in memory whole.
    written = WriteOutputStreaming(output, [&](const std::function<void(std::string_view)>& sink) {
      WriteJsonReport(report, sink);
    });
  } else if (format == "csv") {
    written = WriteOutputStreaming(output, [&](const std::function<void(std::string_view)>& sink) {
      WriteDecisionsCsv(report, sink);
    });
  } else if (format == "sarif") {
    written = WriteOutput(output, RenderSarifReport(report, DescribePack(pack), options));
  } else if (format == "junit") {
    written = WriteOutput(output, RenderJunitReport(report, DescribePack(pack), options));
  } else if (format == "github") {
    written = WriteOutput(output, RenderGithubAnnotations(report, options));
  } else if (format == "markdown") {
    written = WriteOutput(output, RenderMarkdownReport(report, options));
  } else {
    TextOptions text;
    text.color = output.empty() && UseColor();
    text.group_above = args.group_above;
    written = WriteOutput(output, RenderTextReport(report, text));
  }
  return written;
}

// Writes every --report; kCompliant when all were written.
ExitCode WriteExtraReports(const CheckArgs& args, const Report& report, const RulePack& pack) {
  for (const ReportSpec& r : SplitReportSpecs(args.reports)) {
    if (ExitCode written = WriteFormat(args, r.format, r.path, report, pack);
        written != ExitCode::kCompliant) {
      return written;
    }
  }
  return ExitCode::kCompliant;
}

ExitCode RunCheck(const CheckArgs& args) {
  if (args.ledger_option->count() > 0) {
    return UsageError("--ledger is not supported by this version of provgate");
  }
  if (args.sign_option->count() > 0 && args.sign_key.empty()) {
    return UsageError("--sign takes a private key file");
  }
  bool sign = !args.sign_key.empty();
  if (sign && !args.format.empty() && args.format != "json") {
    return UsageError("--sign signs the JSON report; --format " + args.format +
                      " cannot be signed");
  }
  std::string format = args.format;
  if (sign) {
    format = "json";
  } else if (format.empty()) {
    format = args.output.empty() && StdoutIsTerminal() ? "text" : "json";
  }
  CheckOptions options = args.policy.ToCheckOptions();
  options.verify_files = args.verify_files;
  options.warn_expiring_days = args.warn_expiring;
  options.collect_artifacts = sign;
  // The decision table is collected only when an output shows it: it costs memory per source.
  options.collect_decisions = args.decisions || format == "csv";
  for (const ReportSpec& r : SplitReportSpecs(args.reports)) {
    options.collect_decisions = options.collect_decisions || r.format == "csv";
  }
  FailOn fail_on = args.policy.FailOnLevel();
  if (sign) {
    // A key that cannot sign is found before the check runs, not after.
    Status key = CheckPrivateKeyFile(args.sign_key);
    if (!key.ok()) {
      PrintError(key.message());
      return ExitCode::kOperational;
    }
  }
  std::vector<std::string> inputs = {args.manifest, options.waivers_path, args.sign_key};
  inputs.insert(inputs.end(), options.trusted_keys.begin(), options.trusted_keys.end());
  bool baseline = args.baseline_option->count() > 0;
  if (baseline && args.baseline.rfind("git:", 0) != 0) inputs.push_back(args.baseline);
  std::vector<std::string> outputs = {args.output, args.bundle};
  for (const ReportSpec& r : SplitReportSpecs(args.reports)) {
    outputs.push_back(r.path);
  }
  if (ExitCode refused = CheckOutputs(outputs, inputs); refused != ExitCode::kCompliant) {
    return refused;
  }
  PackLoadResult loaded;
  if (ExitCode code = LoadPackOrReport(options.policy_dir, loaded); code != ExitCode::kCompliant) {
    return code;
  }
  CheckResult& result = KeepUntilExit(Check(args.manifest, *loaded.pack, options));
  ExitCode code = ReportCheckProblems(result, fail_on);
  if (Failed(code)) return code;
  // The files the check read beyond those named on the command line (the side file, upstream
  // manifests) are known now.
  AppendFilesRead(result, inputs);
  if (ExitCode refused = CheckOutputs(outputs, inputs); refused != ExitCode::kCompliant) {
    return refused;
  }
  if (baseline) {
    ManifestSource source;
    std::string error;
    if (!source.Open(args.baseline, error)) return UsageError("--baseline " + error);
    CheckResult base;
    if (ExitCode base_code = CheckBaseline(source, *loaded.pack, options, base);
        Failed(base_code)) {
      return base_code;
    }
    CompareWithCheckedBaseline(base, source, result.report);
    code = FromEngineCode(result.ExitCode(fail_on, args.new_only));
  }
  if (ExitCode written = WriteExtraReports(args, result.report, *loaded.pack);
      written != ExitCode::kCompliant) {
    return written;
  }
  if (sign) return WriteSignedReport(args, result.report, code);
  return AfterWrite(WriteFormat(args, format, args.output, result.report, *loaded.pack), code);
}

constexpr CommandText kCheckText = {
    .name = "check",
    .description =
        "Validates the manifest, evaluates it against the policy and prints or writes the report.",
    .footer =
        "Exit codes: 0 compliant, 1 non-compliant, 2 invalid input or usage, 3 operational "
        "failure.",
};

void DeclareCheck(CLI::App& command, CheckArgs& args) {
  AddManifestArgument(command, args.manifest);
  AddPolicyOptions(command, args.policy,
                   {.profile = true,
                    .params = true,
                    .date = true,
                    .waivers = true,
                    .trust = true,
                    .fail_on = true,
                    .root = true});
  AddVerifyFilesOption(command, args.verify_files);
  AddWarnExpiringOption(command, args.warn_expiring);
  AddFormatOption(command, args.format,
                  {"text", "json", "sarif", "junit", "github", "markdown", "csv"},
                  "sarif for code scanning, junit for CI test views, github for workflow "
                  "annotations, markdown for a pull-request comment, csv for the decision "
                  "table (one line per source); default: text on a terminal without --output, "
                  "json otherwise");
  AddOutputOption(command, args.output, "the report");
  AddReportOption(command, args.reports,
                  {"text", "json", "sarif", "junit", "github", "markdown", "csv"});
  command
      .add_flag("--decisions", args.decisions,
                "add the decision table (every source: permitted, reason, licence as written "
                "and canonical, class, size, stages) to the JSON report as \"decisions\"")
      ->group("Output");
  command
      .add_option("--group", args.group_above,
                  "text: more than N findings of one rule, reason and severity are one entry "
                  "(default 5; 0 lists every finding)")
      ->type_name("N")
      ->group("Output");
  command
      .add_option("--source-root", args.source_root,
                  "paths in sarif, github and markdown output are relative to DIR (default: "
                  "the current directory; run from the repository root)")
      ->type_name("DIR")
      ->group("Output");
  command
      .add_option("--link-base", args.link_base,
                  "markdown: link each finding to URL + path + #L<line>")
      ->type_name("URL")
      ->group("Output");
  args.sign_option =
      command
          .add_option("--sign", args.sign_key,
                      "write a signed report instead of the report: a DSSE envelope of the "
                      "in-toto statement of the JSON report, signed with the private key KEY "
                      "(checked before the check runs); --format may only be json")
          ->type_name("KEY")
          ->group("Signing");
  command
      .add_option("--bundle", args.bundle,
                  "also write the signed report as a Sigstore bundle v0.3 to FILE")
      ->type_name("FILE")
      ->group("Signing")
      ->needs(command.get_option("--sign"));
  args.baseline_option =
      command
          .add_option("--baseline", args.baseline,
                      "mark findings new or unchanged against another version of the "
                      "manifest (a file, or git:REV:PATH) and list the fixed ones")
          ->type_name("BASE")
          ->group("Baseline");
  command
      .add_flag("--new-only", args.new_only,
                "only new findings fail the check (new is relative to --baseline)")
      ->group("Baseline")
      ->needs(command.get_option("--baseline"));
  // Reserved for the ledger: accepted by the parser so that it can be refused by name.
  args.ledger_option = command.add_option("--ledger", args.ledger)->group("");
}

}  // namespace

Command AddCheckCommand(CLI::App& root) {
  return AddCommand(root, kCheckText, DeclareCheck, RunCheck);
}

}  // namespace provgate::cli
