// Keys for signed compliance reports.
#ifndef PROVGATE_ATTEST_H_
#define PROVGATE_ATTEST_H_

#include <string>

#include "provgate/status.h"

namespace provgate {

enum class KeyType { kEcdsaP256, kEd25519 };

struct KeygenResult {
  Status status;       ///< kInvalidArgument when a file exists (nothing is overwritten).
  std::string key_id;  ///< OpenSSH-style "SHA256:..." fingerprint of the public key.
  std::string private_path;
  std::string public_path;
};

/// Writes a new key pair: `prefix.key` (PKCS#8 PEM, mode 0600, never overwritten) and
/// `prefix.pub` (SubjectPublicKeyInfo PEM). The private key is never returned or printed.
KeygenResult GenerateKeyFiles(const std::string& prefix, KeyType type);

}  // namespace provgate

#endif  // PROVGATE_ATTEST_H_
