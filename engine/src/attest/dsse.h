// DSSE envelopes signed with ECDSA P-256 (SHA-256, DER signatures) or Ed25519 keys, through
// OpenSSL 3's EVP interface. The only place, with crypto/, that includes OpenSSL.
#ifndef PROVGATE_ATTEST_DSSE_H_
#define PROVGATE_ATTEST_DSSE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/base64.h"

namespace provgate::detail {

// A private or public key loaded from PEM.
class SigningKey {
 public:
  enum class Type { kEcdsaP256, kEd25519 };
  // An empty key, to be filled by FromPem; it cannot sign or verify.
  SigningKey();
  ~SigningKey();
  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;

  // A new key pair of `type`.
  static SigningKey Generate(Type type);
  // Loads a PEM private key (PKCS#8) or public key (SubjectPublicKeyInfo). Returns false with
  // `error` set when the text is not such a key of a supported type.
  static bool FromPem(std::string_view pem, bool is_private, SigningKey& out, std::string& error);

  std::string PrivatePem() const;
  std::string PublicPem() const;
  Type type() const { return type_; }
  bool has_private() const { return has_private_; }
  // The OpenSSH-style fingerprint, "SHA256:" and unpadded base64 of the SHA-256 of the
  // key's SSH public key blob; what other DSSE verifiers accept as keyid.
  std::string KeyId() const;

  // Signs `message`; the signature is DER for ECDSA, 64 raw bytes for Ed25519.
  std::string Sign(std::string_view message) const;
  bool Verify(std::string_view message, std::string_view signature) const;

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
  Type type_ = Type::kEcdsaP256;
  bool has_private_ = false;
};

// DSSE pre-authentication encoding: "DSSEv1 <len(type)> <type> <len(body)> <body>".
std::string PreAuthEncoding(std::string_view payload_type, std::string_view payload);

}  // namespace provgate::detail

#endif  // PROVGATE_ATTEST_DSSE_H_
