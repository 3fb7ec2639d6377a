// provgate: training-data provenance and licensing policy checks.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "command_line.h"
#include "commands.h"
#include "provgate/version.h"
#include "signals.h"

namespace provgate::cli {
namespace {

ExitCode Main(int argc, const char* const* argv) {
  CLI::App root(
      "Checks what a model was trained on against a licensing policy: whether it may be "
      "released as it is.",
      "provgate");
  ConfigureRoot(root);
  bool version = false;
  root.add_flag("--version", version, "print the version and exit");
  std::vector<Command> commands = {
      AddCheckCommand(root),       AddGateCommand(root),    AddValidateCommand(root),
      AddDiffCommand(root),        AddExplainCommand(root), AddNoticeCommand(root),
      AddGraphCommand(root),       AddKeygenCommand(root),  AddVerifyCommand(root),
      AddCountersignCommand(root), AddExprCommand(root),    AddImportCommand(root),
      AddExportCommand(root),
  };
  // `provgate help [COMMAND]` and `provgate version`, not listed.
  CLI::App* help = root.add_subcommand("help")->group("");
  std::string topic;
  help->add_option("COMMAND", topic);
  CLI::App* version_command = root.add_subcommand("version")->group("");
  if (std::optional<ExitCode> done = ParseCommandLine(root, argc, argv)) return *done;
  if (version || version_command->parsed()) {
    std::printf("provgate %s\n", Version());
    return ExitCode::kCompliant;
  }
  for (const Command& command : commands) {
    if (command.app->parsed()) return command.run();
  }
  if (help->parsed()) {
    const CLI::App* about = &root;
    for (const Command& command : commands) {
      if (command.app->get_name() == topic) about = command.app;
    }
    if (about == &root && !topic.empty()) {
      return UsageError("unknown command '" + topic + "' (see provgate --help)");
    }
    // Through the formatter: App::help would describe the command `help` itself.
    std::string name = about == &root ? "provgate" : "provgate " + about->get_name();
    std::fputs(root.get_formatter()->make_help(about, name, CLI::AppFormatMode::Normal).c_str(),
               stdout);
    return ExitCode::kCompliant;
  }
  // No command: the help, as a usage error.
  std::fputs(root.help().c_str(), stderr);
  return ExitCode::kInvalid;
}

}  // namespace
}  // namespace provgate::cli

int main(int argc, char** argv) {
  provgate::cli::InstallSignalCleanup();
  return static_cast<int>(provgate::cli::Main(argc, argv));
}
