// Running a program (git, tar) without a shell, its output captured.
#ifndef PROVGATE_CLI_PROCESS_H_
#define PROVGATE_CLI_PROCESS_H_

#include <string>
#include <vector>

namespace provgate::cli {

// Runs `argv` (no shell; argv[0] is looked up on PATH) with standard input from /dev/null and
// returns its exit status, or -1 when it cannot be run or is killed. Its standard output goes
// to `out` when given (discarded otherwise); the first 64 KiB of its standard error go to
// `err`.
int RunProcess(const std::vector<std::string>& argv, std::string* out, std::string& err);

}  // namespace provgate::cli

#endif  // PROVGATE_CLI_PROCESS_H_
