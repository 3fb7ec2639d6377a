// Writing command output: to stdout, or atomically to a file so that a failed run never
// leaves a half-written report behind.
#ifndef PROVGATE_CLI_OUTPUT_H_
#define PROVGATE_CLI_OUTPUT_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "provgate/check.h"
#include "provgate/diagnostic.h"

namespace provgate::cli {

// Writes `content` to `path` (stdout when empty). Returns 0, or 3 after printing the error.
int WriteOutput(const std::string& path, const std::string& content);

// Like WriteOutput, for content produced in pieces: `produce` is called with a sink that
// appends each piece to the destination.
int WriteOutputStreaming(
    const std::string& path,
    const std::function<void(const std::function<void(std::string_view)>&)>& produce);

// Prints a check's diagnostics and operational error to stderr; returns its exit code.
int ReportCheckProblems(const CheckResult& result, FailOn fail_on = FailOn::kError);

// Prints diagnostics to stderr, one per line.
void PrintDiagnostics(const std::vector<Diagnostic>& diagnostics);

// True when stdout is a terminal.
bool StdoutIsTerminal();

// True when colour may be used on stdout (a terminal, and NO_COLOR unset).
bool UseColor();

}  // namespace provgate::cli

#endif  // PROVGATE_CLI_OUTPUT_H_
