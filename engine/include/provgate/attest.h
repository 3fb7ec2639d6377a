// Signed compliance reports: keys, in-toto statements, DSSE envelopes, verification.
//
// A signed report is a DSSE envelope whose payload is an in-toto Statement v1 in RFC 8785
// canonical form. Its subjects are the manifest, its JSONL side file, and the files and
// contract evidence the manifest lists (names relative to the manifest's directory); its
// predicate is the JSON report, which names the tool version and the digest of the rule pack.
#ifndef PROVGATE_ATTEST_H_
#define PROVGATE_ATTEST_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "provgate/report.h"
#include "provgate/status.h"

namespace provgate {

/// in-toto Statement v1.
inline constexpr std::string_view kStatementType = "https://in-toto.io/Statement/v1";
/// The predicate type of provgate compliance reports; the version moves with report_version.
inline constexpr std::string_view kReportPredicateType =
    "https://provgate.dev/attestation/compliance-report/v1";
/// The DSSE payload type of in-toto statements.
inline constexpr std::string_view kInTotoPayloadType = "application/vnd.in-toto+json";

enum class KeyType { kEcdsaP256, kEd25519 };

struct KeygenResult {
  /// kInvalidArgument when something is at either path, a symlink (dangling or not)
  /// included: nothing is overwritten, and nothing is written through a symlink. kIoError when
  /// the files cannot be written.
  Status status;
  std::string key_id;  ///< OpenSSH-style "SHA256:..." fingerprint of the public key.
  std::string private_path;
  std::string public_path;
};

/// Writes a new key pair: `prefix.key` (PKCS#8 PEM, mode 0600, never overwritten) and
/// `prefix.pub` (SubjectPublicKeyInfo PEM), each created exclusively. The private key is never
/// returned or printed.
KeygenResult GenerateKeyFiles(const std::string& prefix, KeyType type);

/// The in-toto statement for `report`, canonical (RFC 8785): the bytes that are signed.
/// The report's `artifacts` become subjects after the manifest and its side file.
std::string RenderStatement(const Report& report);

struct SignResult {
  /// kIoError for a key file that cannot be read, is not a private key of a supported type,
  /// or can be read by other users.
  Status status;
  std::string envelope;  ///< The DSSE envelope JSON, ending in a newline.
  std::string key_id;    ///< The signing key's "SHA256:..." id.
};

/// Loads the private key in `key_path` as SignStatement would, and reports why it cannot sign:
/// unreadable, accessible to other users, or not a private key of a supported type (kIoError).
Status CheckPrivateKeyFile(const std::string& key_path);

/// A new DSSE envelope of `payload` (an in-toto statement), signed with the private key in the
/// PEM file `key_path`.
SignResult SignStatement(std::string_view payload, const std::string& key_path);

/// A Sigstore bundle v0.3 carrying `envelope` (which must have exactly one signature) with
/// its key id as the public-key hint and no transparency-log entry. kInvalidArgument otherwise.
Status RenderSigstoreBundle(std::string_view envelope, std::string& out);

struct VerifyOptions {
  /// Public keys (PEM files) whose signatures count.
  std::vector<std::string> key_paths;
  /// How many distinct keys of `key_paths` must have signed.
  int threshold = 1;
  /// When set, the statement's manifest subject must be the sha256 of this file's bytes.
  std::string manifest_path;
};

struct VerifyResult {
  enum class Outcome {
    kVerified,      ///< Exit 0.
    kFailed,        ///< Exit 1: signature, key, payload type, statement or manifest.
    kInvalidInput,  ///< Exit 2: the envelope is malformed, or the options are.
    kOperational,   ///< Exit 3: a key or manifest file cannot be read or used.
  };
  Outcome outcome = Outcome::kFailed;
  /// Why it failed, starting with the cause: "bad signature", "unknown key",
  /// "tampered payload", "wrong payload type", "not a compliance report", "duplicate key",
  /// "manifest mismatch", "threshold not met", "malformed envelope", "key file". A member
  /// name that appears twice in one object anywhere in the envelope makes it a malformed
  /// envelope; anywhere in the signed statement, a "duplicate key": JSON readers disagree on
  /// which of the two values counts, so the statement would say different things to different
  /// readers.
  std::string cause;
  struct Signer {
    std::string key_id;    ///< "SHA256:..." of the key that verified it.
    std::string key_path;  ///< The file it came from.
  };
  std::vector<Signer> signers;  ///< Distinct keys with a valid signature, in option order.
  /// Signatures that did not verify, each with its reason.
  std::vector<std::string> rejected;
  /// SHA-256 of the payload bytes: the canonical statement's digest.
  std::string payload_sha256;
  bool is_bundle = false;  ///< The input was a Sigstore bundle.
  /// The statement, when the signatures verified and it is a compliance report.
  std::string manifest_name;
  std::string manifest_sha256;
  std::string tool_version;
  std::string policy_name;
  std::string policy_version;
  std::string policy_profile;
  std::string policy_sha256;
  std::string model_id;
  std::string weights;
  std::string effective_weights;
  bool tainted = false;
  std::string taint_chain;
  std::string verdict;
  std::uint64_t findings = 0;
  std::uint64_t subjects = 0;

  int ExitCode() const;
};

/// The verification result as JSON, for programs and CI: `verified`, `cause` (empty when
/// verified), the signers and the rejected signatures, and what the statement says (model,
/// verdict, manifest, policy, tool). Members the statement did not get to are empty.
std::string RenderVerifyJson(const VerifyResult& result);

/// Verifies a DSSE envelope (or a Sigstore bundle carrying one) of a provgate report.
VerifyResult VerifyEnvelope(std::string_view envelope, const VerifyOptions& options);

/// The largest envelope or bundle file read (1 GiB): a report of a million findings is a
/// few hundred megabytes.
inline constexpr std::uint64_t kMaxEnvelopeBytes = std::uint64_t{1} << 30;

/// Reads the file at `path` and verifies it. The file is opened without blocking (a FIFO or a
/// device is refused) and must be a regular file of at most kMaxEnvelopeBytes: otherwise, and
/// when it does not exist, kInvalidInput; any other failure to read it is kOperational.
VerifyResult VerifyEnvelopeFile(const std::string& path, const VerifyOptions& options);

/// What countersigning did: the signed report was verified first, and signed only if it
/// verified.
struct CountersignResult {
  /// The envelope as it was given, verified as VerifyEnvelope does with the options given:
  /// enough of the earlier signatures by the given keys, and a provgate compliance report
  /// without duplicate keys. Unless this verified, nothing was signed.
  VerifyResult existing;
  /// The signing, once `existing` verified: kInvalidArgument for a Sigstore bundle (it carries
  /// one signature) or an envelope that the key has already signed (a signature that verifies
  /// under it, whatever its keyid says); kIoError for a key file that cannot be used.
  Status status;
  std::string envelope;  ///< The envelope with the new signature last, ending in a newline.
  std::string key_id;    ///< The new signature's key id.

  /// 0 signed; otherwise the exit code of `existing` (1 it does not verify, 2 malformed, 3 a
  /// key or file cannot be read), or 2 (kInvalidArgument) or 3 for `status`.
  int ExitCode() const;
};

/// Adds a signature by the private key in `key_path` to the signed report `envelope`, after
/// verifying it with `verify` (public keys, threshold and optionally the manifest): an auditor
/// countersigns only a report that its signers' keys verify. The payload and the earlier
/// signatures are kept byte for byte.
///
///     VerifyOptions lab;
///     lab.key_paths = {"lab.pub"};
///     CountersignResult r = Countersign(text, "auditor.key", lab);
///     if (r.ExitCode() == 0) Write(r.envelope);
CountersignResult Countersign(std::string_view envelope, const std::string& key_path,
                              const VerifyOptions& verify);

/// Reads the envelope at `path` as VerifyEnvelopeFile does, and countersigns it.
CountersignResult CountersignFile(const std::string& path, const std::string& key_path,
                                  const VerifyOptions& verify);

}  // namespace provgate

#endif  // PROVGATE_ATTEST_H_
