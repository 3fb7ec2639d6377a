// Verification of signed reports below the statement: the keys, the payload type, each
// signature and the threshold; and reading the files that verification is given.
#ifndef PROVGATE_ATTEST_VERIFY_H_
#define PROVGATE_ATTEST_VERIFY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "provgate/attest.h"

namespace provgate::detail {

struct DsseVerification {
  VerifyResult result;
  std::string payload;  // The decoded payload, once the signatures verified.
};

// Verifies the signatures of the DSSE envelope (or Sigstore bundle) `text`: its payload type
// must be one of `payload_types`, and at least `threshold` distinct keys of `keys` (public
// keys) must have signed its pre-authentication encoding. The result lists the signers; the
// statement is not looked at.
DsseVerification VerifyDsse(std::string_view text, const std::vector<KeySource>& keys,
                            int threshold, const std::vector<std::string>& payload_types);

// Reads the file at `path` whole, for verification: opened without blocking, a regular file
// of at most `max_bytes`. On failure `outcome` says whose fault it is: a file that does not
// exist, is not a regular file or is too large is invalid input; anything else is operational.
bool ReadInputFile(const std::string& path, std::uint64_t max_bytes, std::string& out,
                   VerifyResult::Outcome& outcome, std::string& error);

}  // namespace provgate::detail

#endif  // PROVGATE_ATTEST_VERIFY_H_
