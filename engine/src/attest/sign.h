// Signatures made by a Signer: its public key read and checked, and each signature checked
// under that key before it is written into an envelope.
#ifndef PROVGATE_ATTEST_SIGN_H_
#define PROVGATE_ATTEST_SIGN_H_

#include <string_view>

#include "attest/dsse.h"
#include "attest/envelope.h"
#include "provgate/attest.h"
#include "provgate/status.h"

namespace provgate::detail {

// The public key of a Signer, parsed.
struct SignerKey {
  // kInternal when PublicKeyPem throws or gives no supported public key.
  Status status;
  SigningKey key;
};

SignerKey ReadSignerKey(const Signer& signer);

// A signature of `pae` (a DSSE pre-authentication encoding) by `signer`, whose public key is
// `key`.
struct MadeSignature {
  // The signer's status when it cannot sign; kInternal when it throws, or when its signature
  // does not verify under `key`: nothing is written that would not verify.
  Status status;
  Envelope::Signature signature;  // keyid, sig and sig_b64 set.
};

MadeSignature MakeSignature(Signer& signer, const SigningKey& key, std::string_view pae);

}  // namespace provgate::detail

#endif  // PROVGATE_ATTEST_SIGN_H_
