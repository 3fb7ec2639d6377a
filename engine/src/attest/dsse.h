// The keys of DSSE signatures: ECDSA P-256 (SHA-256, DER signatures) or Ed25519, loaded from
// PEM and used through OpenSSL 3's EVP interface, and their OpenSSH-style key ids. With
// crypto/, the only place that includes OpenSSL.
#ifndef PROVGATE_ATTEST_DSSE_H_
#define PROVGATE_ATTEST_DSSE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

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

  // A new key pair of `type`; none when OpenSSL cannot make one (no entropy).
  static std::optional<SigningKey> Generate(Type type);
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

  // Signs `message`; the signature is DER for ECDSA, 64 raw bytes for Ed25519. Empty when
  // OpenSSL fails, or without a private key.
  std::string Sign(std::string_view message) const;
  bool Verify(std::string_view message, std::string_view signature) const;
  // ECDSA only: the same for a message given by its 32-byte SHA-256 digest, which is what an
  // ECDSA signature signs; empty or false for an Ed25519 key, which signs whole messages.
  std::string SignDigest(std::string_view sha256) const;
  bool VerifyDigest(std::string_view sha256, std::string_view signature) const;

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
  Type type_ = Type::kEcdsaP256;
  bool has_private_ = false;
};

// The 32 bytes of the SHA-256 digest of `bytes`.
std::string Sha256Digest(std::string_view bytes);

}  // namespace provgate::detail

#endif  // PROVGATE_ATTEST_DSSE_H_
