// Verification of signed reports: the keys, the payload type, each signature and the
// threshold; then the statement and, when asked, the manifest it covers.
#include "attest/verify.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "attest/dsse.h"
#include "attest/envelope.h"
#include "attest/keys.h"
#include "attest/statement.h"
#include "common/safe_file.h"
#include "crypto/sha256.h"
#include "json/jcs.h"

namespace provgate {
namespace detail {
namespace {

using Outcome = VerifyResult::Outcome;

// The SHA-256 of the file at `path`, read in pieces (a manifest may be large); as
// ReadInputFile on failure.
bool HashInputFile(const std::string& path, std::string& digest, Outcome& outcome,
                   std::string& error) {
  OpenedFile file = OpenRegularFile(path);
  if (!file.ok()) {
    outcome = file.problem == OpenProblem::kSystem ? Outcome::kOperational : Outcome::kInvalidInput;
    error = "cannot read " + path + ": " + file.error;
    return false;
  }
  Sha256 hasher;
  std::string buffer(1 << 20, '\0');
  while (true) {
    ssize_t n = read(file.fd.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      outcome = Outcome::kOperational;
      error = "cannot read " + path + ": " + std::strerror(errno);
      return false;
    }
    if (n == 0) break;
    hasher.Update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
  }
  digest = hasher.HexDigest();
  return true;
}

// A key given to verify with.
struct TrustedKey {
  SigningKey key;
  std::string id;
  std::string name;  // Its path, or the name of PEM text.
};

// Why no signature counted, the cause first, once fewer than `threshold` keys signed.
std::string CauseOfFailure(const VerifyResult& result, int threshold, bool named_key_failed,
                           bool anonymous_failed, const std::string& payload) {
  std::string detail = result.rejected.empty() ? "" : ": " + result.rejected.front();
  if (!result.signers.empty()) {
    return "threshold not met: " + std::to_string(result.signers.size()) + " of the " +
           std::to_string(threshold) + " required keys signed" + detail;
  }
  if (!named_key_failed && !anonymous_failed) {
    return "unknown key: no signature is by a key given to verify with" + detail;
  }
  // provgate signs canonical JSON: a payload that is not canonical was altered after
  // signing. A canonical one may still have been altered; the signature cannot say which.
  std::string canonical;
  std::string ignored;
  if (!CanonicalizeJson(payload, canonical, ignored) || canonical != payload) {
    return "tampered payload: no signature matches it, and it is not the canonical JSON that "
           "was signed" +
           detail;
  }
  if (!named_key_failed) {
    // Without a keyid nothing tells a signature by another key from a damaged one.
    return "unknown key or bad signature: no given key verifies a signature that names no key" +
           detail;
  }
  return "bad signature: the payload or the signature was altered after signing" + detail;
}

}  // namespace

bool ReadInputFile(const std::string& path, std::uint64_t max_bytes, std::string& out,
                   Outcome& outcome, std::string& error) {
  OpenedFile file = OpenRegularFile(path, max_bytes);
  if (!file.ok()) {
    outcome = file.problem == OpenProblem::kSystem ? Outcome::kOperational : Outcome::kInvalidInput;
    error = "cannot read " + path + ": " + file.error;
    return false;
  }
  out.reserve(static_cast<std::size_t>(file.size));
  if (!ReadAllFromFd(file.fd.get(), static_cast<std::size_t>(max_bytes), out, error)) {
    outcome = Outcome::kOperational;
    error = "cannot read " + path + ": " + error;
    return false;
  }
  return true;
}

DsseVerification VerifyDsse(std::string_view text, const std::vector<KeySource>& key_sources,
                            int threshold, const std::vector<std::string>& payload_types) {
  DsseVerification verification;
  VerifyResult& result = verification.result;
  auto fail = [&](Outcome outcome, std::string cause) {
    result.outcome = outcome;
    result.cause = std::move(cause);
    result.signers.clear();
    return std::move(verification);
  };

  // The keys, each once (the same key given twice counts once).
  std::vector<TrustedKey> keys;
  for (const KeySource& source : key_sources) {
    SigningKey key;
    Status status = LoadPublicKey(source, key);
    if (!status.ok()) {
      return fail(Outcome::kOperational,
                  (source.is_file() ? "key file: " : "key: ") + status.message());
    }
    std::string id = key.KeyId();
    bool repeat = false;
    for (const auto& k : keys) repeat = repeat || k.id == id;
    if (!repeat) keys.push_back({std::move(key), std::move(id), source.name()});
  }
  if (keys.empty()) return fail(Outcome::kInvalidInput, "no key given to verify with");
  if (threshold < 1 || static_cast<std::size_t>(threshold) > keys.size()) {
    return fail(Outcome::kInvalidInput,
                "a threshold of " + std::to_string(threshold) + " needs at least " +
                    std::to_string(std::max(threshold, 1)) + " distinct keys; " +
                    std::to_string(keys.size()) + " given");
  }

  Envelope envelope;
  std::string error;
  envelope.keep_base64 = false;
  if (!ParseEnvelope(text, envelope, error)) {
    return fail(Outcome::kInvalidInput, "malformed envelope: " + error);
  }
  result.is_bundle = envelope.from_bundle;
  result.payload_sha256 = Sha256Hex(envelope.payload);
  if (std::find(payload_types.begin(), payload_types.end(), envelope.payload_type) ==
      payload_types.end()) {
    return fail(Outcome::kFailed, "wrong payload type: the envelope says '" +
                                      envelope.payload_type + "', expected '" +
                                      (payload_types.empty() ? "" : payload_types.front()) + "'");
  }

  // Each signature is checked against the key its keyid names, then against every other key:
  // keyid is an unauthenticated hint, and other tools write other kinds of ids.
  std::string pae = PreAuthEncoding(envelope.payload_type, envelope.payload);
  std::vector<bool> signed_by(keys.size(), false);
  bool named_key_failed = false;  // A signature failed under the key its keyid names.
  bool anonymous_failed = false;  // A signature without keyid verified under no key.
  for (std::size_t i = 0; i < envelope.signatures.size(); ++i) {
    const auto& sig = envelope.signatures[i];
    int named = -1;
    for (std::size_t k = 0; k < keys.size(); ++k) {
      if (!sig.keyid.empty() && keys[k].id == sig.keyid) named = static_cast<int>(k);
    }
    int verified = -1;
    if (named >= 0 && keys[named].key.Verify(pae, sig.sig)) verified = named;
    for (std::size_t k = 0; verified < 0 && k < keys.size(); ++k) {
      if (static_cast<int>(k) != named && keys[k].key.Verify(pae, sig.sig)) {
        verified = static_cast<int>(k);
      }
    }
    std::string label = "signature " + std::to_string(i + 1) +
                        (sig.keyid.empty() ? " (no key id)" : " (key " + sig.keyid + ")");
    if (verified >= 0) {
      signed_by[verified] = true;
    } else if (named >= 0 || sig.keyid.empty()) {
      (named >= 0 ? named_key_failed : anonymous_failed) = true;
      result.rejected.push_back(label + ": does not verify under " +
                                (named >= 0 ? keys[named].name : "any of the given keys"));
    } else {
      result.rejected.push_back(label + ": signed by a key that is not among the given keys");
    }
  }
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (signed_by[k]) result.signers.push_back({keys[k].id, keys[k].name});
  }
  if (result.signers.size() < static_cast<std::size_t>(threshold)) {
    return fail(Outcome::kFailed, CauseOfFailure(result, threshold, named_key_failed,
                                                 anonymous_failed, envelope.payload));
  }

  verification.payload = std::move(envelope.payload);
  result.outcome = Outcome::kVerified;
  return verification;
}

}  // namespace detail

int VerifyResult::ExitCode() const {
  switch (outcome) {
    case Outcome::kVerified:
      return 0;
    case Outcome::kFailed:
      return 1;
    case Outcome::kInvalidInput:
      return 2;
    case Outcome::kOperational:
      return 3;
  }
  return 3;
}

VerifyResult VerifyEnvelope(std::string_view text, const VerifyOptions& options) {
  using Outcome = VerifyResult::Outcome;
  std::vector<KeySource> keys;
  keys.reserve(options.key_paths.size() + options.keys.size());
  for (const std::string& path : options.key_paths) keys.push_back(KeySource::File(path));
  keys.insert(keys.end(), options.keys.begin(), options.keys.end());
  detail::DsseVerification verification =
      detail::VerifyDsse(text, keys, options.threshold, {std::string(kInTotoPayloadType)});
  VerifyResult& result = verification.result;
  if (result.outcome != Outcome::kVerified) return std::move(result);
  auto fail = [&](Outcome outcome, std::string cause) {
    result.outcome = outcome;
    result.cause = std::move(cause);
    result.signers.clear();
    return std::move(result);
  };

  // The statement: an in-toto Statement v1 whose predicate is a provgate report, with no
  // member name twice in an object.
  if (std::string cause = detail::ReadStatement(verification.payload, result); !cause.empty()) {
    return fail(Outcome::kFailed, cause);
  }

  if (!options.manifest_path.empty()) {
    std::string digest;
    std::string error;
    Outcome problem = Outcome::kOperational;
    if (!detail::HashInputFile(options.manifest_path, digest, problem, error)) {
      return fail(problem, error);
    }
    if (digest != result.manifest_sha256) {
      return fail(Outcome::kFailed, "manifest mismatch: " + options.manifest_path + " has sha256 " +
                                        digest + "; the report covers " + result.manifest_name +
                                        " with sha256 " + result.manifest_sha256);
    }
  }
  result.outcome = Outcome::kVerified;
  return std::move(result);
}

VerifyResult VerifyEnvelopeFile(const std::string& path, const VerifyOptions& options) {
  std::string text;
  VerifyResult result;
  if (!detail::ReadInputFile(path, kMaxEnvelopeBytes, text, result.outcome, result.cause)) {
    return result;
  }
  return VerifyEnvelope(text, options);
}

}  // namespace provgate
