// Reads licence ids, one per line, and prints for each "id<TAB>class<TAB>attribution" as a
// rule pack's licence data classifies it: the interface the SPDX coverage test drives.
// Usage: provgate_license_class_tool [PACK_DIR]; without PACK_DIR, the built-in pack.
#include <iostream>
#include <string>

#include "license/classifier.h"
#include "policy/rule_pack.h"
#include "provgate/diagnostic.h"

int main(int argc, char** argv) {
  if (argc > 2) {
    std::cerr << "usage: provgate_license_class_tool [PACK_DIR] < ids\n";
    return 2;
  }
  const provgate::PackLoadResult loaded = provgate::LoadRulePack(argc == 2 ? argv[1] : "");
  if (!loaded.ok()) {
    std::cerr << "the rule pack does not load: " << loaded.status.message() << "\n";
    for (const auto& diagnostic : loaded.diagnostics) {
      std::cerr << provgate::FormatDiagnostic(diagnostic) << "\n";
    }
    return 2;
  }
  const provgate::detail::LicenseClassifier& classifier = loaded.pack->licenses;
  std::string id;
  while (std::getline(std::cin, id)) {
    bool attribution = false;
    bool share_alike = false;
    provgate::detail::LicenseClass license_class =
        classifier.Classify(id, &attribution, &share_alike);
    std::cout << id << "\t" << provgate::detail::ToString(license_class) << "\t"
              << (attribution ? "attribution" : "-") << "\n";
  }
  return 0;
}
