// Fuzz target: arbitrary bytes as a signed report (DSSE envelope or Sigstore bundle), through
// verification with an ECDSA and an Ed25519 key, countersigning and bundle rendering. Invalid
// input is fine; crashes, hangs and unbounded memory are not, and nothing unsigned verifies.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "provgate/attest.h"

namespace {

struct Keys {
  std::string dir;
  std::string ecdsa;
  std::string ed25519;
  Keys() {
    char pattern[] = "/tmp/provgate-fuzz-XXXXXX";
    dir = mkdtemp(pattern);
    (void)provgate::GenerateKeyFiles(dir + "/ecdsa", provgate::KeyType::kEcdsaP256);
    (void)provgate::GenerateKeyFiles(dir + "/ed25519", provgate::KeyType::kEd25519);
    ecdsa = dir + "/ecdsa";
    ed25519 = dir + "/ed25519";
  }
  ~Keys() {
    for (const char* suffix : {".key", ".pub"}) {
      unlink((ecdsa + suffix).c_str());
      unlink((ed25519 + suffix).c_str());
    }
    rmdir(dir.c_str());
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Keys keys;
  std::string text(reinterpret_cast<const char*>(data), size);
  provgate::VerifyOptions options;
  options.key_paths = {keys.ecdsa + ".pub", keys.ed25519 + ".pub"};
  provgate::VerifyResult result = provgate::VerifyEnvelope(text, options);
  // The keys were made just now: no input can carry a valid signature by them.
  if (result.outcome == provgate::VerifyResult::Outcome::kVerified) __builtin_trap();
  // Countersigning verifies first, with the same keys: nothing unsigned is countersigned.
  provgate::CountersignResult countersigned =
      provgate::Countersign(text, keys.ed25519 + ".key", options);
  if (countersigned.ExitCode() == 0) __builtin_trap();
  (void)provgate::RenderSigstoreBundle(text);
  return 0;
}
