// Loading signing and verification keys from PEM files or PEM text, with the checks that a
// key from a pull request or a secret store needs.
#ifndef PROVGATE_ATTEST_KEYS_H_
#define PROVGATE_ATTEST_KEYS_H_

#include <string>

#include "attest/dsse.h"
#include "provgate/attest.h"
#include "provgate/status.h"

namespace provgate::detail {

// Loads the private key in `path`. Refused (kIoError, with the reason) when the file cannot be
// read, is not a regular file, can be read or written by group or others, or does not hold a
// PKCS#8 PEM private key of a supported type. The key's bytes never appear in a message.
Status LoadPrivateKeyFile(const std::string& path, SigningKey& out);

// Loads the public key (SubjectPublicKeyInfo PEM) in `path`; kIoError with the reason.
Status LoadPublicKeyFile(const std::string& path, SigningKey& out);

// Loads the private key `key`: a file as LoadPrivateKeyFile does, or PEM text with the same
// checks but the file's mode (kIoError, naming the text by the key's name).
Status LoadPrivateKey(const KeySource& key, SigningKey& out);

// Loads the public key `key`: a file as LoadPublicKeyFile does, or PEM text.
Status LoadPublicKey(const KeySource& key, SigningKey& out);

}  // namespace provgate::detail

#endif  // PROVGATE_ATTEST_KEYS_H_
