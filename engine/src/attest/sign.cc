// Signing: the Signer interface, the Signer of a private key held in this process, and new
// DSSE envelopes signed by a Signer.
#include "attest/sign.h"

#include <exception>
#include <memory>
#include <string>
#include <utility>

#include "attest/keys.h"
#include "common/base64.h"

namespace provgate {

Signer::~Signer() = default;

namespace detail {
namespace {

// A signer's public key is a SubjectPublicKeyInfo PEM of a few hundred bytes; the bound keeps
// a faulty signer from handing OpenSSL an unbounded text.
constexpr std::size_t kMaxPublicKeyPem = 64 * 1024;

KeyType TypeOf(const SigningKey& key) {
  return key.type() == SigningKey::Type::kEd25519 ? KeyType::kEd25519 : KeyType::kEcdsaP256;
}

// A private key held in this process. ECDSA signs the digest the request carries, as a KMS
// would, so the message is hashed once.
class InProcessSigner final : public Signer {
 public:
  explicit InProcessSigner(SigningKey key) : key_(std::move(key)) {}

  std::string PublicKeyPem() const override { return key_.PublicPem(); }

  SignatureResult Sign(const SignatureRequest& request) override {
    SignatureResult result;
    result.signature = request.key_type == KeyType::kEcdsaP256 ? key_.SignDigest(request.sha256)
                                                               : key_.Sign(request.message);
    if (result.signature.empty()) result.status = Status::Internal("OpenSSL cannot sign");
    return result;
  }

 private:
  SigningKey key_;
};

// What an exception thrown by a signer says, for a Status.
std::string Describe(const std::exception_ptr& thrown) {
  try {
    std::rethrow_exception(thrown);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

}  // namespace

SignerKey ReadSignerKey(const Signer& signer) {
  SignerKey result;
  std::string pem;
  try {
    pem = signer.PublicKeyPem();
  } catch (...) {
    result.status = Status::Internal("the signer cannot give its public key: " +
                                     Describe(std::current_exception()));
    return result;
  }
  std::string error = "larger than 64 KiB";
  if (pem.size() > kMaxPublicKeyPem || !SigningKey::FromPem(pem, false, result.key, error)) {
    result.status = Status::Internal("the signer's public key: " + error);
  }
  return result;
}

MadeSignature MakeSignature(Signer& signer, const SigningKey& key, std::string_view pae) {
  MadeSignature made;
  SignatureRequest request;
  request.key_type = TypeOf(key);
  request.message = pae;
  std::string digest;
  if (request.key_type == KeyType::kEcdsaP256) {
    digest = Sha256Digest(pae);
    request.sha256 = digest;
  }
  SignatureResult signed_pae;
  try {
    signed_pae = signer.Sign(request);
  } catch (...) {
    made.status = Status::Internal("the signer failed: " + Describe(std::current_exception()));
    return made;
  }
  if (!signed_pae.status.ok()) {
    made.status = std::move(signed_pae.status);
    return made;
  }
  std::string key_id = key.KeyId();
  bool verifies = request.key_type == KeyType::kEcdsaP256
                      ? key.VerifyDigest(digest, signed_pae.signature)
                      : key.Verify(pae, signed_pae.signature);
  if (!verifies) {
    made.status = Status::Internal(
        "the signer's signature does not verify under its public key " + key_id +
        (request.key_type == KeyType::kEcdsaP256 ? " (an ECDSA signature must be ASN.1 DER)" : ""));
    return made;
  }
  made.signature.keyid = std::move(key_id);
  made.signature.sig_b64 = Base64Encode(signed_pae.signature);
  made.signature.sig = std::move(signed_pae.signature);
  return made;
}

}  // namespace detail

SignerIdentity IdentifySigner(const Signer& signer) {
  SignerIdentity identity;
  detail::SignerKey key = detail::ReadSignerKey(signer);
  identity.status = std::move(key.status);
  if (!identity.status.ok()) return identity;
  identity.key_id = key.key.KeyId();
  identity.key_type = detail::TypeOf(key.key);
  return identity;
}

SignerResult LoadSigner(const KeySource& key) {
  SignerResult result;
  detail::SigningKey loaded;
  result.status = detail::LoadPrivateKey(key, loaded);
  if (result.status.ok())
    result.signer = std::make_unique<detail::InProcessSigner>(std::move(loaded));
  return result;
}

Status CheckPrivateKeyFile(const std::string& key_path) {
  detail::SigningKey key;
  return detail::LoadPrivateKeyFile(key_path, key);
}

SignResult SignStatement(std::string_view payload, Signer& signer) {
  SignResult result;
  detail::SignerKey key = detail::ReadSignerKey(signer);
  if (!key.status.ok()) {
    result.status = std::move(key.status);
    return result;
  }
  detail::Envelope envelope;
  envelope.payload_type = std::string(kInTotoPayloadType);
  detail::MadeSignature made = detail::MakeSignature(
      signer, key.key, detail::PreAuthEncoding(envelope.payload_type, payload));
  if (!made.status.ok()) {
    result.status = std::move(made.status);
    return result;
  }
  result.key_id = made.signature.keyid;
  envelope.signatures.push_back(std::move(made.signature));
  envelope.payload_b64 = detail::Base64Encode(payload);
  result.envelope = detail::SerializeEnvelope(envelope);
  return result;
}

SignResult SignStatement(std::string_view payload, const std::string& key_path) {
  SignerResult loaded = LoadSigner(KeySource::File(key_path));
  if (!loaded.status.ok()) {
    SignResult result;
    result.status = std::move(loaded.status);
    return result;
  }
  return SignStatement(payload, *loaded.signer);
}

}  // namespace provgate
