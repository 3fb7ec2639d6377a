// A program outside the provgate tree that uses the installed engine.
#include <provgate/provgate.h>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  provgate::CheckResult result = provgate::Check(argv[1], provgate::CheckOptions{});
  for (const auto& d : result.diagnostics) std::cerr << provgate::FormatDiagnostic(d) << "\n";
  std::cout << "provgate " << provgate::Version() << " verdict "
            << provgate::ToString(result.report.verdict) << "\n";
  return result.ExitCode();
}
