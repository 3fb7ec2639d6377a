// provgate gate: every training manifest of a repository whose verdict a change may affect,
// checked once each, with every format rendered from that one evaluation.
#include <unistd.h>

#include <vector>

#include "commands.h"
#include "git_revision.h"
#include "output.h"
#include "provgate/gate.h"
#include "shared_options.h"

namespace provgate::cli {
namespace {

const std::vector<std::string> kFormats = {"text", "json", "sarif", "junit", "github", "markdown"};

struct GateArgs {
  std::string repo = ".";
  std::string base;
  PolicyArgs policy;
  bool verify_files = false;
  bool new_only = false;
  int warn_expiring = -1;
  std::string format = "text";
  std::vector<std::string> reports;
  std::string link_base;
  const CLI::App* command = nullptr;

  bool Given(const char* option) const { return command->get_option(option)->count() > 0; }
};

// The settings of .provgate.yaml with the options given on the command line over them. Paths
// given on the command line are taken as given; the repository-relative ones of the file are
// joined to the root by the engine.
GateConfig Settings(const GateArgs& args, GateConfig config) {
  const PolicyArgs& p = args.policy;
  if (args.Given("--policy")) config.policy = p.policy_dir;
  if (args.Given("--profile")) config.profile = p.profile;
  if (args.Given("--date")) config.date = p.date;
  if (args.Given("--waivers")) config.waivers = p.waivers;
  if (args.Given("--trust")) config.trust = p.trusted_keys;
  if (args.Given("--fail-on")) config.fail_on = p.FailOnLevel();
  if (args.Given("--param")) config.params = p.ToCheckOptions().params;
  if (args.verify_files) config.verify_files = true;
  if (args.new_only) config.new_only = true;
  if (args.Given("--warn-expiring")) config.warn_expiring = args.warn_expiring;
  return config;
}

std::string Render(const std::string& format, const GateResult& gate, const FormatOptions& options,
                   bool color) {
  if (format == "json") {
    std::string out;
    WriteGateJson(gate, [&](std::string_view piece) { out.append(piece); });
    return out;
  }
  if (format == "sarif") return RenderGateSarif(gate, options);
  if (format == "junit") return RenderGateJunit(gate, options);
  if (format == "github") return RenderGateGithub(gate, options);
  if (format == "markdown") return RenderGateMarkdown(gate, options);
  return RenderGateText(gate, color);
}

ExitCode RunGateCommand(const GateArgs& args) {
  std::vector<ReportSpec> reports = SplitReportSpecs(args.reports);
  std::vector<std::string> outputs;
  for (const ReportSpec& r : reports) outputs.push_back(r.path);
  GateConfigResult config = ReadGateConfig(args.repo);
  if (!config.status.ok()) {
    PrintError(config.status.message());
    return ExitCode::kOperational;
  }
  if (!config.ok()) {
    PrintDiagnostics(config.diagnostics);
    return ExitCode::kInvalid;
  }
  GateRequest request;
  request.root = args.repo;
  request.config = Settings(args, config.config);
  // Paths from the command line are relative to the current directory; the engine joins the
  // settings' paths to the root. Made repository-relative here when they lie inside it, and
  // absolute when they do not.
  auto from_command_line = [&](std::string& path) {
    if (path.empty() || args.repo == ".") return;
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(path, ec).lexically_normal();
    if (ec) return;
    std::filesystem::path rel =
        absolute.lexically_relative(std::filesystem::absolute(args.repo, ec).lexically_normal());
    path = !ec && !rel.empty() && *rel.begin() != ".." ? rel.generic_string()
                                                       : absolute.generic_string();
  };
  if (args.Given("--policy")) from_command_line(request.config.policy);
  if (args.Given("--waivers")) from_command_line(request.config.waivers);
  if (args.Given("--trust")) {
    for (std::string& key : request.config.trust) from_command_line(key);
  }
  if (ExitCode refused = CheckOutputs(outputs, {}); refused != ExitCode::kCompliant) {
    return refused;
  }
  GitRevision base;
  if (!args.base.empty()) {
    std::string error;
    if (ExitCode opened = base.Open(args.repo, args.base, error); opened != ExitCode::kCompliant) {
      PrintError("--base: " + error);
      return opened;
    }
    request.base = args.base;
    request.base_root = base.tree();
    request.changed = base.changed();
  }
  request.files = WorkingTreeFiles(args.repo);
  GateResult gate = RunGate(request);
  if (!gate.status.ok() || HasErrors(gate.diagnostics)) {
    PrintDiagnostics(gate.diagnostics);
    if (!gate.status.ok()) PrintError(gate.status.message());
    return FromEngineCode(gate.ExitCode());
  }
  // A manifest that cannot be checked is part of the result; its problems also go to stderr.
  for (const GateEntry& e : gate.entries) {
    if (!e.selected) continue;
    if (!e.result.status.ok()) PrintFileError(e.path, e.result.status.message());
    PrintDiagnostics(e.result.diagnostics);
  }
  FormatOptions options;
  options.source_root = args.repo;
  options.link_base = args.link_base;
  const ExitCode verdict = FromEngineCode(gate.ExitCode());
  // Report files are written as check --output writes them: not at all when a manifest could
  // not be checked (exit 2 or 3 of the whole run). Standard output still shows the problems.
  if (verdict == ExitCode::kInvalid || verdict == ExitCode::kOperational) {
    std::erase_if(reports, [](const ReportSpec& r) { return !r.path.empty(); });
  }
  for (const ReportSpec& r : reports) {
    if (ExitCode written = WriteOutput(r.path, Render(r.format, gate, options, false));
        written != ExitCode::kCompliant) {
      return written;
    }
  }
  return AfterWrite(WriteOutput("", Render(args.format, gate, options, UseColor())), verdict);
}

constexpr CommandText kGateText = {
    .name = "gate",
    .description =
        "Checks every training manifest of the repository whose verdict a change may affect "
        "(with --base: every manifest with a changed dependency, and the models downstream of "
        "one), reports manifests the base gated that are gated no more, and renders every "
        "format from one evaluation.",
    .footer =
        "Exit codes: the worst over the run: 0 compliant, 1 non-compliant or a manifest no "
        "longer gated, 2 invalid input or usage, 3 operational failure.",
};

void DeclareGate(CLI::App& command, GateArgs& args) {
  args.command = &command;
  command.add_option("--repo", args.repo, "the repository root (default: the current directory)")
      ->type_name("DIR")
      ->group("Repository");
  command
      .add_option("--base", args.base,
                  "check only the manifests whose dependencies differ between REV and the "
                  "working tree, and report those REV gated that are gated no more")
      ->type_name("REV")
      ->group("Repository");
  AddPolicyOptions(command, args.policy,
                   {.profile = true,
                    .params = true,
                    .date = true,
                    .waivers = true,
                    .trust = true,
                    .fail_on = true,
                    .root = false});
  AddVerifyFilesOption(command, args.verify_files);
  AddWarnExpiringOption(command, args.warn_expiring);
  command
      .add_flag("--new-only", args.new_only,
                "with --base: only findings the manifest's version at REV did not have fail")
      ->group("Baseline");
  AddFormatOption(command, args.format, kFormats,
                  "what standard output gets (default text); --report writes more");
  AddReportOption(command, args.reports, kFormats);
  command
      .add_option("--link-base", args.link_base,
                  "markdown: link each finding to URL + path + #L<line>")
      ->type_name("URL")
      ->group("Output");
}

}  // namespace

Command AddGateCommand(CLI::App& root) {
  return AddCommand(root, kGateText, DeclareGate, RunGateCommand);
}

}  // namespace provgate::cli
