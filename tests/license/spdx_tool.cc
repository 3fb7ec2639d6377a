// Reads SPDX expressions, one per line, and prints for each "ok<TAB>canonical" or
// "error<TAB>column<TAB>message": the interface the cross-check test drives.
#include <iostream>
#include <string>

#include "license/expression.h"

int main() {
  std::string line;
  while (std::getline(std::cin, line)) {
    provgate::detail::LicenseExpression expression;
    provgate::detail::LicenseParseError error;
    if (provgate::detail::ParseLicenseExpression(line, expression, error)) {
      std::cout << "ok\t" << expression.ToString() << "\n";
    } else {
      std::cout << "error\t" << error.column << "\t" << error.message << "\n";
    }
  }
  return 0;
}
