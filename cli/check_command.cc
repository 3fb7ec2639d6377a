#include <cstdio>

#include "commands.h"
#include "flags.h"
#include "manifest_source.h"
#include "output.h"
#include "provgate/attest.h"
#include "provgate/check.h"
#include "provgate/formats.h"
#include "provgate/policy.h"

namespace provgate::cli {
namespace {

constexpr char kHelp[] =
    "usage: provgate check MANIFEST [options]\n"
    "\n"
    "Validates the manifest, evaluates it against the policy and prints or writes the report.\n"
    "\n"
    "Options:\n"
    "  --policy PATH          rule pack directory (default: the built-in default pack)\n"
    "  --profile NAME         thread (default), intermediate or eu\n"
    "  --format FORMAT        text, json, sarif, junit, github (workflow annotations) or\n"
    "                         markdown (default: text on a terminal, json otherwise)\n"
    "  --output FILE          write the report to FILE (nothing is written on exit 2 or 3)\n"
    "  --fail-on error|warning  what fails the check (default: error)\n"
    "  --verify-files         hash files[] and contract evidence on disk against their sha256\n"
    "  --param NAME=VALUE     override a pack parameter (repeatable), e.g.\n"
    "                         --param judge_propagates_taint=false\n"
    "  --date YYYY-MM-DD      date contracts must cover when the release has no date\n"
    "                         (default: today, recorded in the report when it mattered)\n"
    "  --sign KEY             write a DSSE envelope (an in-toto statement of the JSON report,\n"
    "                         signed with the private key KEY) instead of the report\n"
    "  --bundle FILE          with --sign: also write a Sigstore bundle v0.3 to FILE\n"
    "  --trust PUB            a public key trusted to sign upstream reports named by\n"
    "                         lineage attestation entries (repeatable)\n"
    "  --waivers FILE         accepted exceptions (YAML): waived findings stay in the report\n"
    "                         but do not fail; expired waivers are errors\n"
    "  --baseline BASE        mark findings new or unchanged against another version of the\n"
    "                         manifest (a file, or git:REV:PATH) and list the fixed ones\n"
    "  --new-only             with --baseline: only new findings fail the check\n"
    "  --root DIR             upstream manifests and signed reports named by lineage must lie\n"
    "                         beneath DIR (default: the repository holding the manifest, the\n"
    "                         nearest directory above it with .git or .provgate.yaml)\n"
    "  --source-root DIR      paths in sarif, github and markdown output are relative to DIR\n"
    "                         (default: the current directory; run from the repository root)\n"
    "  --link-base URL        markdown: link findings to URL + path + #L<line>\n"
    "\n"
    "Exit codes: 0 compliant, 1 non-compliant, 2 invalid input or usage, 3 operational "
    "failure.\n";

}  // namespace

int RunCheck(const std::vector<std::string>& args) {
  Flags flags({"--policy", "--profile", "--format", "--output", "--fail-on", "--date", "--param",
               "--sign", "--bundle", "--trust", "--waivers", "--ledger", "--baseline",
               "--source-root", "--link-base", "--root"},
              {"--help", "-h", "--verify-files", "--new-only"});
  std::string error;
  if (!flags.Parse(args, error)) return UsageError(error);
  if (flags.Has("--help") || flags.Has("-h")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  for (const char* later : {"--ledger"}) {
    if (flags.Has(later)) {
      return UsageError(std::string(later) + " is not supported by this version of provgate");
    }
  }
  if (flags.positionals().size() != 1) {
    return UsageError("check takes exactly one MANIFEST (see provgate check --help)");
  }
  std::string output = flags.Get("--output").value_or("");
  std::string sign_key = flags.Get("--sign").value_or("");
  std::string bundle = flags.Get("--bundle").value_or("");
  if (flags.Has("--sign") && sign_key.empty()) return UsageError("--sign takes a private key file");
  if (flags.Has("--bundle") && sign_key.empty()) {
    return UsageError("--bundle needs --sign KEY: the bundle carries the signed report");
  }
  if (!sign_key.empty() && flags.Has("--format") && flags.Get("--format") != "json") {
    return UsageError("--sign signs the JSON report; --format " + *flags.Get("--format") +
                      " cannot be signed");
  }
  std::string format =
      !sign_key.empty()
          ? "json"
          : flags.Get("--format").value_or(output.empty() && StdoutIsTerminal() ? "text" : "json");
  if (format != "text" && format != "json" && format != "sarif" && format != "junit" &&
      format != "github" && format != "markdown") {
    return UsageError("unknown format '" + format +
                      "': expected text, json, sarif, junit, github or markdown");
  }
  if (flags.Has("--new-only") && !flags.Has("--baseline")) {
    return UsageError("--new-only needs --baseline BASE: new is relative to a baseline");
  }
  FailOn fail_on = FailOn::kError;
  if (!ParseFailOn(flags.Get("--fail-on"), fail_on)) {
    return UsageError("--fail-on takes error or warning, not '" + *flags.Get("--fail-on") + "'");
  }

  CheckOptions options;
  options.policy_dir = flags.Get("--policy").value_or("");
  options.profile = flags.Get("--profile").value_or("");
  options.date = flags.Get("--date").value_or("");
  options.verify_files = flags.Has("--verify-files");
  options.trusted_keys = flags.GetAll("--trust");
  options.collect_artifacts = !sign_key.empty();
  options.waivers_path = flags.Get("--waivers").value_or("");
  options.root = flags.Get("--root").value_or("");
  bool new_only = flags.Has("--new-only");
  FormatOptions format_options;
  format_options.source_root = flags.Get("--source-root").value_or("");
  format_options.link_base = flags.Get("--link-base").value_or("");
  format_options.fail_on = fail_on;
  format_options.new_only = new_only;
  for (const std::string& param : flags.GetAll("--param")) {
    std::size_t eq = param.find('=');
    if (eq == std::string::npos || eq == 0) {
      return UsageError("--param takes NAME=VALUE, not '" + param + "'");
    }
    options.params.emplace_back(param.substr(0, eq), param.substr(eq + 1));
  }
  if (!options.date.empty() &&
      (options.date.size() != 10 || options.date[4] != '-' || options.date[7] != '-')) {
    return UsageError("--date takes YYYY-MM-DD, not '" + options.date + "'");
  }
  if (!sign_key.empty()) {
    // A key that cannot sign is found before the check runs, not after.
    Status key = CheckPrivateKeyFile(sign_key);
    if (!key.ok()) {
      PrintError(key.message());
      return 3;
    }
  }
  const std::string& manifest = flags.positionals().front();
  std::vector<std::string> inputs = {manifest, options.waivers_path, sign_key};
  inputs.insert(inputs.end(), options.trusted_keys.begin(), options.trusted_keys.end());
  if (auto baseline = flags.Get("--baseline"); baseline && baseline->rfind("git:", 0) != 0) {
    inputs.push_back(*baseline);
  }
  if (int refused = CheckOutputs({output, bundle}, inputs); refused != 0) return refused;
  PackLoadResult loaded;
  if (int code = LoadPackOrReport(options.policy_dir, loaded); code != 0) return code;
  CheckResult& result = KeepUntilExit(Check(manifest, *loaded.pack, options));
  int code = ReportCheckProblems(result, fail_on);
  if (code >= 2) return code;
  // The files the check read beyond those named on the command line (the side file, upstream
  // manifests) are known now.
  AppendFilesRead(result, inputs);
  if (int refused = CheckOutputs({output, bundle}, inputs); refused != 0) return refused;
  if (auto baseline = flags.Get("--baseline")) {
    // The baseline is checked with the same pack and options, without waivers: a waiver
    // belongs to the version under review.
    ManifestSource source;
    std::string source_error;
    if (!source.Open(*baseline, source_error)) {
      PrintError("--baseline " + source_error);
      return 2;
    }
    CheckOptions base_options = options;
    base_options.waivers_path.clear();
    base_options.collect_artifacts = false;
    if (!source.root().empty()) base_options.root = source.root();
    CheckResult base = Check(source.path(), *loaded.pack, base_options);
    if (int base_code = base.ExitCode(); base_code >= 2) {
      PrintError("the baseline " + *baseline + " cannot be checked:");
      ReportCheckProblems(base, fail_on);
      return base_code;
    }
    for (Finding& f : base.report.findings) f.location.file = source.Display(f.location.file);
    CompareWithBaseline(result.report, base.report, source.display());
    code = result.ExitCode(fail_on, new_only);
  }

  if (!sign_key.empty()) {
    SignResult signed_report = SignStatement(RenderStatement(result.report), sign_key);
    if (!signed_report.status.ok()) {
      PrintError(signed_report.status.message());
      return 3;
    }
    if (!bundle.empty()) {
      std::string text;
      Status status = RenderSigstoreBundle(signed_report.envelope, text);
      if (!status.ok()) {
        PrintError(status.message());
        return 3;
      }
      if (int write_code = WriteOutput(bundle, text); write_code != 0) return write_code;
    }
    int write_code = WriteOutput(output, signed_report.envelope);
    return write_code != 0 ? write_code : code;
  }

  // JSON reports are streamed: a report of hundreds of megabytes never sits in memory whole.
  int write_code = 0;
  if (format == "json") {
    write_code =
        WriteOutputStreaming(output, [&](const std::function<void(std::string_view)>& sink) {
          WriteJsonReport(result.report, sink);
        });
  } else if (format == "sarif") {
    write_code = WriteOutput(
        output, RenderSarifReport(result.report, DescribePack(*loaded.pack), format_options));
  } else if (format == "junit") {
    write_code = WriteOutput(
        output, RenderJunitReport(result.report, DescribePack(*loaded.pack), format_options));
  } else if (format == "github") {
    write_code = WriteOutput(output, RenderGithubAnnotations(result.report, format_options));
  } else if (format == "markdown") {
    write_code = WriteOutput(output, RenderMarkdownReport(result.report, format_options));
  } else {
    write_code = WriteOutput(
        output, RenderTextReport(result.report, TextOptions{output.empty() && UseColor()}));
  }
  return write_code != 0 ? write_code : code;
}

}  // namespace provgate::cli
