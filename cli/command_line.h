// The command line: one CLI::App with a subcommand per command, and how its usage errors are
// reported. The options several commands share are in shared_options.h.
#ifndef PROVGATE_CLI_COMMAND_LINE_H_
#define PROVGATE_CLI_COMMAND_LINE_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exit_code.h"

namespace provgate::cli {

// A command: its subcommand, and what runs it once the command line has been parsed (its
// options are bound to storage the function holds).
struct Command {
  CLI::App* app = nullptr;
  std::function<ExitCode()> run;
};

// Sets up `root`, the `provgate` app: the help layout and -h/--help that every command
// inherits, at most one command per run, and the options' defaults (a single-valued option
// given twice takes the last value). Call before adding commands.
void ConfigureRoot(CLI::App& root);

// What a command's help says besides its arguments and options.
struct CommandText {
  const char* name;
  // Printed above the options; its first sentence also stands in the list of commands.
  const char* description;
  // Printed below the options; ends with the command's exit codes.
  const char* footer;
};

// Adds the command `text.name` to `root`. `declare` adds its arguments and options, bound to
// the fields of an `Args`, which `run` receives once the command line has been parsed.
template <typename Args>
Command AddCommand(CLI::App& root, const CommandText& text, void (*declare)(CLI::App&, Args&),
                   ExitCode (*run)(const Args&)) {
  auto args = std::make_shared<Args>();
  CLI::App* command = root.add_subcommand(text.name, text.description);
  command->footer(text.footer);
  declare(*command, *args);
  return {command, [args, run] { return run(*args); }};
}

// Parses the command line into `root`. Returns nothing when a command is to run; otherwise
// what to exit with after doing what was asked: the help of the command named (kCompliant), or
// a usage error printed as `provgate: error: MESSAGE (see provgate COMMAND --help)` (kInvalid).
std::optional<ExitCode> ParseCommandLine(CLI::App& root, int argc, const char* const* argv);

// Prints `provgate: error: MESSAGE` (escaped as PrintError does) and returns kInvalid.
ExitCode UsageError(std::string_view message);

// The arguments of `command` that CLI11 left unparsed because they begin with '-' although no
// option has such a name ("--1", "-(1)"), for a command whose argument may begin with '-' (an
// expression) and that therefore allows extras (CLI::App::allow_extras). Appends them to
// `arguments` and returns kCompliant; an argument shaped like an option name ("--colour", "-x") is
// a usage error (kInvalid, printed). Arguments after "--" are always arguments.
ExitCode TakeArgumentsNotOptions(const CLI::App& command, std::vector<std::string>& arguments);

}  // namespace provgate::cli

#endif  // PROVGATE_CLI_COMMAND_LINE_H_
