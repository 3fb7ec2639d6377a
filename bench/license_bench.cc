// Licence expressions parsed and classified per second, without and with the per-check cache
// that large manifests rely on (a million sources usually share a few dozen licences).
//
//   provgate_license_bench [ITERATIONS]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "policy/permission.h"
#include "policy/rule_pack.h"

int main(int argc, char** argv) {
  long iterations = argc > 1 ? std::atol(argv[1]) : 1000000;
  provgate::PackLoadResult pack = provgate::LoadRulePack("");
  if (!pack.ok()) return 1;
  const provgate::detail::LicenseClassifier& classifier = pack.pack->licenses;
  const std::vector<std::string> expressions = {"MIT",
                                                "Apache-2.0",
                                                "CC-BY-4.0",
                                                "CC-BY-SA-4.0",
                                                "CC-BY-NC-4.0",
                                                "GPL-3.0-or-later",
                                                "MIT OR Apache-2.0",
                                                "(MIT OR Apache-2.0) AND BSD-3-Clause",
                                                "GPL-2.0-only WITH Classpath-exception-2.0",
                                                "CC-BY-NC-SA-3.0-IGO OR CC-BY-4.0",
                                                "LicenseRef-forum-data-agreement",
                                                "NOASSERTION",
                                                "LGPL-2.1+ AND MIT",
                                                "CDLA-Permissive-2.0",
                                                "ODbL-1.0",
                                                "LicenseRef-OpenRAIL-M"};
  using Clock = std::chrono::steady_clock;
  long checksum = 0;
  auto start = Clock::now();
  for (long i = 0; i < iterations; ++i) {
    checksum += classifier.Evaluate(expressions[i % expressions.size()], true).permitted;
  }
  double uncached = std::chrono::duration<double>(Clock::now() - start).count();

  provgate::detail::ModelUse use;
  use.effective_weights = "closed";
  // The settings of a profile without the statutory exception.
  provgate::detail::PermissionResolver resolver(classifier, provgate::detail::PermissionProfile{},
                                                use);
  start = Clock::now();
  for (long i = 0; i < iterations; ++i) {
    checksum += resolver.License(expressions[i % expressions.size()]).permitted;
  }
  double cached = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("%ld evaluations of %zu distinct expressions (checksum %ld)\n", iterations,
              expressions.size(), checksum);
  std::printf("| mode | per second |\n|---|---|\n");
  std::printf("| parse and classify every time | %.0f |\n", iterations / uncached);
  std::printf("| with the per-check cache | %.0f |\n", iterations / cached);
  return 0;
}
