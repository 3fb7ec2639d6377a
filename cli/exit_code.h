// The exit codes of docs/cli.md, the one value every command returns.
#ifndef PROVGATE_CLI_EXIT_CODE_H_
#define PROVGATE_CLI_EXIT_CODE_H_

namespace provgate::cli {

enum class ExitCode {
  kCompliant = 0,     // Compliant, valid, verified, written; also --help.
  kNonCompliant = 1,  // A failing finding, integrity errors, an evaluation error, not verified.
  kInvalid = 2,       // Invalid input or usage.
  kOperational = 3,   // I/O, a key file that cannot be used.
};

// The exit code an engine result reports as a number (CheckResult::ExitCode and the like, which
// follow the same table); anything outside it is an operational failure.
constexpr ExitCode FromEngineCode(int code) {
  switch (code) {
    case 0:
      return ExitCode::kCompliant;
    case 1:
      return ExitCode::kNonCompliant;
    case 2:
      return ExitCode::kInvalid;
    default:
      return ExitCode::kOperational;
  }
}

// True for invalid input or an operational failure: the run produced no verdict.
constexpr bool Failed(ExitCode code) {
  return code == ExitCode::kInvalid || code == ExitCode::kOperational;
}

// The exit code of a command that has written its output: the write's failure if it failed,
// else the verdict.
constexpr ExitCode AfterWrite(ExitCode write, ExitCode verdict) {
  return write == ExitCode::kCompliant ? verdict : write;
}

}  // namespace provgate::cli

#endif  // PROVGATE_CLI_EXIT_CODE_H_
