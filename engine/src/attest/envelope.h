// DSSE envelope verification below the statement level: keys, payload types, signatures and
// the threshold.
#ifndef PROVGATE_ATTEST_ENVELOPE_H_
#define PROVGATE_ATTEST_ENVELOPE_H_

#include <string>
#include <string_view>
#include <vector>

#include "provgate/attest.h"

namespace provgate::detail {

// Verifies the signatures of the DSSE envelope (or Sigstore bundle) `text`: its payload type
// must be one of `payload_types`, and at least `threshold` distinct keys of `key_paths` (PEM
// public keys) must have signed its pre-authentication encoding. On success `payload` holds
// the decoded payload and the result lists the signers; the statement is not looked at.
VerifyResult VerifyDsse(std::string_view text, const std::vector<std::string>& key_paths,
                        int threshold, const std::vector<std::string>& payload_types,
                        std::string& payload);

}  // namespace provgate::detail

#endif  // PROVGATE_ATTEST_ENVELOPE_H_
