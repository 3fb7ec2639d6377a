#include "command_line.h"

#include <cctype>
#include <cstdio>
#include <memory>

#include "help_formatter.h"
#include "output.h"

namespace provgate::cli {
namespace {

constexpr char kHelpFlag[] = "-h,--help";
constexpr char kHelpDescription[] = "print this help and exit";

// True for an argument that has the shape of an option name, "-x..." or "--x..." with a
// letter: an unknown one is a mistake, not an argument. "-1", "--1" and "-(" are arguments.
bool LooksLikeOption(const std::string& argument) {
  std::size_t dashes = argument.rfind("--", 0) == 0 ? 2 : argument.rfind('-', 0) == 0 ? 1 : 0;
  return dashes > 0 && argument.size() > dashes &&
         std::isalpha(static_cast<unsigned char>(argument[dashes])) != 0;
}

// What CLI11 left unparsed in `app`, without the "--" markers it keeps there.
std::vector<std::string> Unparsed(const CLI::App& app) {
  std::vector<std::string> unparsed;
  for (std::string& argument : app.remaining()) {
    if (argument != "--") unparsed.push_back(std::move(argument));
  }
  return unparsed;
}

// The command the command line names (the last one CLI11 parsed), or `root` when none.
const CLI::App& NamedCommand(const CLI::App& root) {
  std::vector<CLI::App*> parsed = root.get_subcommands();
  return parsed.empty() ? root : *parsed.back();
}

std::string HelpHint(const CLI::App& command) {
  return command.get_parent() == nullptr ? "provgate --help"
                                         : "provgate " + command.get_name() + " --help";
}

// Says what CLI11 could not place: an unknown command or option, or an argument too many.
std::string DescribeExtras(const CLI::App& root, const CLI::App& command) {
  // A command's own leftovers come first; the root's are what followed a "--" after the
  // command's last argument.
  std::vector<std::string> unparsed = Unparsed(command);
  if (unparsed.empty()) unparsed = Unparsed(root);
  if (unparsed.empty()) return "unexpected arguments";
  const std::string& first = unparsed.front();
  if (LooksLikeOption(first)) return "unknown option '" + first + "'";
  if (&command == &root) return "unknown command '" + first + "'";
  return "unexpected argument '" + first + "'";
}

// The arguments after the program's name, in the reverse order CLI11 parses them from, with an
// empty value given as `--name=` split into `--name` and "": CLI11 would take the argument
// after `--name=` for its value.
std::vector<std::string> ArgumentsForParser(int argc, const char* const* argv) {
  std::vector<std::string> arguments;
  bool after_marker = false;
  for (int i = 1; i < argc; ++i) {
    std::string argument = argv[i];
    after_marker = after_marker || argument == "--";
    if (!after_marker && LooksLikeOption(argument) && argument.rfind("--", 0) == 0 &&
        argument.find('=') == argument.size() - 1) {
      argument.pop_back();
      arguments.push_back(std::move(argument));
      arguments.emplace_back();
    } else {
      arguments.push_back(std::move(argument));
    }
  }
  return {arguments.rbegin(), arguments.rend()};
}

}  // namespace

void ConfigureRoot(CLI::App& root) {
  root.formatter(std::make_shared<HelpFormatter>());
  root.set_help_flag(kHelpFlag, kHelpDescription);
  root.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  // One command per run: a later argument that happens to be a command's name ("check") is an
  // argument of the first.
  root.require_subcommand(0, 1);
  root.footer(
      "Run 'provgate COMMAND --help' for a command's options.\n"
      "Exit codes: 0 compliant, 1 non-compliant, 2 invalid input or usage, 3 operational "
      "failure.");
}

std::optional<ExitCode> ParseCommandLine(CLI::App& root, int argc, const char* const* argv) {
  try {
    root.parse(ArgumentsForParser(argc, argv));
  } catch (const CLI::CallForHelp&) {
    std::fputs(root.help().c_str(), stdout);
    return ExitCode::kCompliant;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(root.help().c_str(), stdout);
    return ExitCode::kCompliant;
  } catch (const CLI::ExtrasError&) {
    const CLI::App& command = NamedCommand(root);
    PrintError(DescribeExtras(root, command) + " (see " + HelpHint(command) + ")");
    return ExitCode::kInvalid;
  } catch (const CLI::ParseError& error) {
    PrintError(std::string(error.what()) + " (see " + HelpHint(NamedCommand(root)) + ")");
    return ExitCode::kInvalid;
  }
  return std::nullopt;
}

ExitCode UsageError(std::string_view message) {
  PrintError(message);
  return ExitCode::kInvalid;
}

ExitCode TakeArgumentsNotOptions(const CLI::App& command, std::vector<std::string>& arguments) {
  bool after_marker = false;
  for (const std::string& argument : command.remaining()) {
    if (argument == "--") {
      after_marker = true;
    } else if (!after_marker && LooksLikeOption(argument)) {
      return UsageError("unknown option '" + argument + "' (see " + HelpHint(command) + ")");
    } else {
      arguments.push_back(argument);
    }
  }
  return ExitCode::kCompliant;
}

}  // namespace provgate::cli
