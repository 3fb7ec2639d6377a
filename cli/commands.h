// The provgate commands. Each adds its subcommand and options to the command line; its run
// function makes one engine call, renders the result and returns the exit code.
#ifndef PROVGATE_CLI_COMMANDS_H_
#define PROVGATE_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>

#include "command_line.h"

namespace provgate::cli {

Command AddCheckCommand(CLI::App& root);
Command AddValidateCommand(CLI::App& root);
Command AddDiffCommand(CLI::App& root);
Command AddExplainCommand(CLI::App& root);
Command AddNoticeCommand(CLI::App& root);
Command AddGraphCommand(CLI::App& root);
Command AddKeygenCommand(CLI::App& root);
Command AddVerifyCommand(CLI::App& root);
Command AddCountersignCommand(CLI::App& root);
Command AddExprCommand(CLI::App& root);
Command AddGateCommand(CLI::App& root);
Command AddExportCommand(CLI::App& root);
Command AddImportCommand(CLI::App& root);

}  // namespace provgate::cli

#endif  // PROVGATE_CLI_COMMANDS_H_
