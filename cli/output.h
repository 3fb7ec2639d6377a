// Writing command output: to stdout, or atomically to a file so that a failed run never
// leaves a half-written report behind.
#ifndef PROVGATE_CLI_OUTPUT_H_
#define PROVGATE_CLI_OUTPUT_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "exit_code.h"
#include "provgate/check.h"
#include "provgate/diagnostic.h"
#include "provgate/policy.h"

namespace provgate::cli {

// Checks, before any work is done, that every one of `outputs` can be written without harm:
// stdout ("-" or empty), a path that does not exist yet or a regular file (replaced
// atomically; through a symlink, the file it points to), or a character device or FIFO
// (written to directly, e.g. /dev/null). A directory, a block device, a socket or a dangling
// symlink is refused, and so is an output that is the same file as one of `inputs` or as
// another output. Returns kCompliant, or kInvalid after printing the problem.
ExitCode CheckOutputs(const std::vector<std::string>& outputs,
                      const std::vector<std::string>& inputs);

// Checks `manifest` and writes `render(result)` to `output` (as WriteOutput does), for the
// commands whose output is rendered from a check and whose exit code is not its verdict
// (notice, graph). `output` is refused before the check when it is the manifest, and after it
// when it is a file the check read. Returns kCompliant when written; the problems of the check
// or the output are printed.
ExitCode CheckAndWrite(const std::string& manifest, const CheckOptions& options,
                       const std::string& output,
                       const std::function<std::string(const CheckResult&)>& render);

// Appends to `files` the files a check read: the manifest, its JSON Lines side file, and the
// manifests of its lineage.
void AppendFilesRead(const CheckResult& result, std::vector<std::string>& files);

// Writes `content` to `path` (stdout when empty), as CheckOutputs describes: a regular file
// through a temporary file beside it, renamed over it at the end (removed if a signal ends the
// process first), a device or FIFO directly. Returns kCompliant, or kOperational after printing
// the error.
ExitCode WriteOutput(const std::string& path, const std::string& content);

// Like WriteOutput, for content produced in pieces: `produce` is called with a sink that
// appends each piece to the destination.
ExitCode WriteOutputStreaming(
    const std::string& path,
    const std::function<void(const std::function<void(std::string_view)>&)>& produce);

// Moves `value` into storage that is never freed, and returns it. For the large results of a
// command (a report of a million findings): the process's exit returns their memory to the
// system at once, where freeing them one by one would take a noticeable part of the run. The
// storage stays reachable, so leak checkers do not count it as a leak.
std::vector<std::shared_ptr<void>>& KeptUntilExit();
template <typename T>
T& KeepUntilExit(T value) {
  auto kept = std::make_shared<T>(std::move(value));
  KeptUntilExit().push_back(kept);
  return *kept;
}

// Prints a check's diagnostics and operational error to stderr; returns its exit code.
ExitCode ReportCheckProblems(const CheckResult& result, FailOn fail_on = FailOn::kError);

// Loads the rule pack in `dir` (empty: the built-in pack). On failure prints why and returns
// the exit code (kInvalid for a bad pack, kOperational when it cannot be read); kCompliant when
// `out` holds the pack.
ExitCode LoadPackOrReport(const std::string& dir, PackLoadResult& out);

// Prints "provgate: error: MESSAGE" to stderr, with what would act on a terminal or a CI log
// escaped (EscapeTerminalText): messages quote paths, ids and arguments.
void PrintError(std::string_view message);
// Prints "PATH: error: MESSAGE" to stderr, escaped the same way.
void PrintFileError(std::string_view path, std::string_view message);

// Prints diagnostics to stderr, one per line.
void PrintDiagnostics(const std::vector<Diagnostic>& diagnostics);

// True when stdout is a terminal.
bool StdoutIsTerminal();

// True when colour may be used on stdout (a terminal, and NO_COLOR unset).
bool UseColor();

}  // namespace provgate::cli

#endif  // PROVGATE_CLI_OUTPUT_H_
