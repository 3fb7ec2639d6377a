// Countersigning: a signature added to a signed report that verifies, with its payload and
// earlier signatures kept byte for byte.
#include <string>
#include <utility>

#include "attest/envelope.h"
#include "attest/sign.h"
#include "attest/verify.h"
#include "provgate/attest.h"

namespace provgate {
namespace {

// Verifies `text` with `verify` and reads it into `envelope`. False, with `result` saying
// why, when it does not verify or cannot take another signature. A countersignature vouches
// for the signatures before it, so nothing is signed that `verify` would not accept.
bool ReadVerified(std::string_view text, const VerifyOptions& verify, CountersignResult& result,
                  detail::Envelope& envelope) {
  result.existing = VerifyEnvelope(text, verify);
  if (result.existing.outcome != VerifyResult::Outcome::kVerified) return false;
  if (result.existing.is_bundle) {
    result.status = Status::InvalidArgument(
        "countersign takes a DSSE envelope; a Sigstore bundle carries exactly one signature");
    return false;
  }
  std::string error;
  if (!detail::ParseEnvelope(text, envelope, error)) {
    // VerifyEnvelope has parsed the same text.
    result.status = Status::Internal("malformed envelope: " + error);
    return false;
  }
  return true;
}

// Adds the signature of `signer` to `envelope` and writes it into `result`, unless the
// signer's key has signed it already.
void AddSignature(detail::Envelope& envelope, Signer& signer, CountersignResult& result) {
  detail::SignerKey key = detail::ReadSignerKey(signer);
  if (!key.status.ok()) {
    result.status = std::move(key.status);
    return;
  }
  result.key_id = key.key.KeyId();
  // Whether this key signed already is decided by the signatures, not by their key ids.
  std::string pae = detail::PreAuthEncoding(envelope.payload_type, envelope.payload);
  for (std::size_t i = 0; i < envelope.signatures.size(); ++i) {
    if (key.key.Verify(pae, envelope.signatures[i].sig)) {
      result.status =
          Status::InvalidArgument("the envelope is already signed by key " + result.key_id +
                                  " (signature " + std::to_string(i + 1) + ")");
      return;
    }
  }
  detail::MadeSignature made = detail::MakeSignature(signer, key.key, pae);
  if (!made.status.ok()) {
    result.status = std::move(made.status);
    return;
  }
  envelope.signatures.push_back(std::move(made.signature));
  result.envelope = detail::SerializeEnvelope(envelope);
}

template <typename Key>
CountersignResult CountersignFileWith(const std::string& path, Key& key,
                                      const VerifyOptions& verify) {
  std::string text;
  CountersignResult result;
  if (!detail::ReadInputFile(path, kMaxEnvelopeBytes, text, result.existing.outcome,
                             result.existing.cause)) {
    return result;
  }
  return Countersign(text, key, verify);
}

}  // namespace

int CountersignResult::ExitCode() const {
  if (existing.outcome != VerifyResult::Outcome::kVerified) return existing.ExitCode();
  if (status.ok()) return 0;
  return status.code() == Status::Code::kInvalidArgument || status.code() == Status::Code::kNotFound
             ? 2
             : 3;
}

CountersignResult Countersign(std::string_view text, Signer& signer, const VerifyOptions& verify) {
  CountersignResult result;
  detail::Envelope envelope;
  if (ReadVerified(text, verify, result, envelope)) AddSignature(envelope, signer, result);
  return result;
}

CountersignResult Countersign(std::string_view text, const std::string& key_path,
                              const VerifyOptions& verify) {
  CountersignResult result;
  detail::Envelope envelope;
  if (!ReadVerified(text, verify, result, envelope)) return result;
  // The private key is read only for a report that verifies.
  SignerResult loaded = LoadSigner(KeySource::File(key_path));
  if (!loaded.status.ok()) {
    result.status = std::move(loaded.status);
    return result;
  }
  AddSignature(envelope, *loaded.signer, result);
  return result;
}

CountersignResult CountersignFile(const std::string& path, Signer& signer,
                                  const VerifyOptions& verify) {
  return CountersignFileWith(path, signer, verify);
}

CountersignResult CountersignFile(const std::string& path, const std::string& key_path,
                                  const VerifyOptions& verify) {
  return CountersignFileWith(path, key_path, verify);
}

}  // namespace provgate
