// Signed compliance reports: keys, in-toto statements, DSSE envelopes, verification.
//
// A signed report is a DSSE envelope whose payload is an in-toto Statement v1 in RFC 8785
// canonical form. Its subjects are the manifest, its JSONL side file, and the files and
// contract evidence the manifest lists (names relative to the manifest's directory); its
// predicate is the JSON report, which names the tool version and the digest of the rule pack.
#ifndef PROVGATE_ATTEST_H_
#define PROVGATE_ATTEST_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "provgate/export.h"
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
[[nodiscard]] PROVGATE_API KeygenResult GenerateKeyFiles(const std::string& prefix, KeyType type);

/// The in-toto statement for `report`, canonical (RFC 8785): the bytes that are signed.
/// The report's `artifacts` become subjects after the manifest and its side file.
[[nodiscard]] PROVGATE_API std::string RenderStatement(const Report& report);

/// A key given as a PEM file or as PEM text held in memory (from a secret store, an
/// environment variable, a pipeline's configuration).
///
/// A file is read when the key is used: it must be a regular file of at most 64 KiB, opened
/// without blocking, and a private key file must not be accessible to group or others. PEM text
/// is bounded the same way; no mode applies to it. The text of a private key is the caller's to
/// wipe: provgate wipes only its own copies.
///
///     VerifyOptions options;
///     options.keys.push_back(KeySource::Pem(std::getenv("LAB_PUBLIC_KEY"), "lab"));
class KeySource {
 public:
  /// The PEM file at `path`; messages and results name the key by its path.
  static KeySource File(std::string path) { return KeySource(true, std::move(path), {}); }
  /// The PEM text `pem`; messages and results name the key `name` (as they would a path), so
  /// give each key its own.
  static KeySource Pem(std::string pem, std::string name = "PEM key") {
    return KeySource(false, std::move(name), std::move(pem));
  }

  bool is_file() const { return is_file_; }
  /// The path of a file, or the name given to PEM text.
  const std::string& name() const { return name_; }
  /// The PEM text; empty for a file.
  const std::string& pem() const { return pem_; }

 private:
  KeySource(bool is_file, std::string name, std::string pem)
      : is_file_(is_file), name_(std::move(name)), pem_(std::move(pem)) {}
  bool is_file_;
  std::string name_;
  std::string pem_;
};

/// Whether `key` is a public key that verification can use (SubjectPublicKeyInfo PEM of an
/// ECDSA P-256 or Ed25519 key); kIoError with the reason otherwise, as VerifyEnvelope would
/// give it. The key is read and discarded.
[[nodiscard]] PROVGATE_API Status CheckPublicKey(const KeySource& key);

/// What a Signer is asked to sign: the DSSE pre-authentication encoding of a statement, and
/// for ECDSA its SHA-256 digest.
struct SignatureRequest {
  /// The type of the signer's public key (PublicKeyPem).
  KeyType key_type = KeyType::kEcdsaP256;
  /// The bytes the signature covers, whatever the type. A report of hundreds of megabytes
  /// makes a message as large; it is valid until Sign returns.
  std::string_view message;
  /// For kEcdsaP256, the 32 bytes of SHA-256(message): what a KMS or an HSM signs as a
  /// prehashed digest (AWS KMS with MessageType DIGEST, Google Cloud KMS `digest.sha256`,
  /// PKCS#11 CKM_ECDSA), so that the message never leaves the process. Empty for kEd25519:
  /// Ed25519 (pure, RFC 8032) signs the whole message and has no prehashed form that DSSE
  /// verifiers accept, so an Ed25519 KMS key is given `message` (AWS KMS MessageType RAW,
  /// Google Cloud KMS `data`).
  std::string_view sha256;
};

/// A signature made by a Signer, or why it could not be made.
struct SignatureResult {
  /// Anything but kOk: the signature could not be made (the KMS refused, the HSM is gone);
  /// the message is passed on to the caller of SignStatement or Countersign.
  Status status;
  /// For kEcdsaP256, an ASN.1 DER ECDSA-Sig-Value (what AWS and Google Cloud KMS return; a
  /// PKCS#11 token returns r||s, which the signer converts); for kEd25519, the 64 bytes of
  /// RFC 8032.
  std::string signature;
};

/// Makes the signatures of signed reports, wherever the private key is: in this process (a
/// PEM file or PEM text: LoadSigner), or in a KMS or an HSM that signs without ever handing
/// the key out. provgate needs from a signer only its public key and one signature per
/// envelope.
///
/// provgate computes the key id and the key type from the public key (a signer cannot claim
/// another key's id), and checks every signature under the public key before writing it: a
/// signature by another key, or in another format, is an error (kInternal), never an envelope
/// that does not verify. Exceptions thrown by a signer are caught and reported as kInternal.
/// Sign is called on the caller's thread, at most once per SignStatement or Countersign, and
/// no reference to the signer is kept after the call returns; a signer that is used from
/// several threads at once must be safe for that itself.
///
///     class KmsSigner : public Signer {
///      public:
///       std::string PublicKeyPem() const override { return public_pem_; }  // Fetched once.
///       SignatureResult Sign(const SignatureRequest& request) override {
///         return kms_.SignDigest(key_name_, request.sha256);  // DER, for an ECDSA key.
///       }
///       ...
///     };
class PROVGATE_API Signer {
 public:
  virtual ~Signer();
  /// The signer's public key, SubjectPublicKeyInfo PEM, of an ECDSA P-256 or Ed25519 key. A
  /// KMS signer fetches it once (AWS KMS GetPublicKey returns DER: wrap it in PEM armour).
  virtual std::string PublicKeyPem() const = 0;
  /// Signs `request`: see SignatureRequest for what to sign for each key type.
  virtual SignatureResult Sign(const SignatureRequest& request) = 0;
};

/// Who a Signer signs as, or why it cannot sign.
struct SignerIdentity {
  /// kInternal when the signer's public key is not a PEM public key of a supported type, or
  /// PublicKeyPem threw.
  Status status;
  std::string key_id;                      ///< "SHA256:..." of the public key, as in envelopes.
  KeyType key_type = KeyType::kEcdsaP256;  ///< The signature algorithm.
};

/// The key id and the algorithm of `signer`, computed from its public key: what a pipeline
/// checks (and logs) before a long check, as CheckPrivateKeyFile does for a key file. Does not
/// call Sign.
[[nodiscard]] PROVGATE_API SignerIdentity IdentifySigner(const Signer& signer);

/// A Signer holding a private key in this process, or why there is none.
struct SignerResult {
  /// kIoError for a key that cannot be read, is not a private key of a supported type (PKCS#8
  /// PEM, ECDSA P-256 or Ed25519, no passphrase), or is a file accessible to other users.
  Status status;
  std::unique_ptr<Signer> signer;  ///< Set when status is kOk.
};

/// Loads the private key `key` (a PEM file, or PEM text) into a Signer that the caller owns.
/// The key stays in this process's memory until the signer is destroyed; provgate's copies of
/// the PEM text are wiped. The signer may be used from several threads at once.
///
///     SignerResult loaded = LoadSigner(KeySource::Pem(secret_store.Get("lab-key"), "lab"));
///     if (!loaded.status.ok()) return Fail(loaded.status.message());  // Never quotes the key.
///     SignResult r = SignStatement(RenderStatement(report), *loaded.signer);
[[nodiscard]] PROVGATE_API SignerResult LoadSigner(const KeySource& key);

struct SignResult {
  /// kIoError for a key file that cannot be read, is not a private key of a supported type,
  /// or can be read by other users; a Signer's status when it cannot sign; kInternal for a
  /// Signer whose public key is not a supported key, or whose signature does not verify under
  /// it.
  Status status;
  std::string envelope;  ///< The DSSE envelope JSON, ending in a newline.
  std::string key_id;    ///< The signing key's "SHA256:..." id.
};

/// Loads the private key in `key_path` as SignStatement would, and reports why it cannot sign:
/// unreadable, accessible to other users, or not a private key of a supported type (kIoError).
[[nodiscard]] PROVGATE_API Status CheckPrivateKeyFile(const std::string& key_path);

/// A new DSSE envelope of `payload` (an in-toto statement), signed by `signer`.
///
///     SignResult r = SignStatement(RenderStatement(report), kms_signer);
///     if (r.status.ok()) Write(r.envelope);
[[nodiscard]] PROVGATE_API SignResult SignStatement(std::string_view payload, Signer& signer);

/// A new DSSE envelope of `payload`, signed with the private key in the PEM file `key_path`.
[[nodiscard]] PROVGATE_API SignResult SignStatement(std::string_view payload,
                                                    const std::string& key_path);

/// A Sigstore bundle, or why `envelope` cannot be one.
struct BundleResult {
  /// kInvalidArgument for a malformed envelope, or one without exactly one signature.
  Status status;
  std::string bundle;  ///< The bundle JSON, ending in a newline.
};

/// A Sigstore bundle v0.3 carrying `envelope` (which must have exactly one signature) with
/// its key id as the public-key hint and no transparency-log entry.
[[nodiscard]] PROVGATE_API BundleResult RenderSigstoreBundle(std::string_view envelope);

struct VerifyOptions {
  /// Public keys (PEM files) whose signatures count.
  std::vector<std::string> key_paths;
  /// More public keys, as files or PEM text; they count after those of `key_paths`, in order.
  std::vector<KeySource> keys;
  /// How many distinct keys of `key_paths` and `keys` must have signed.
  int threshold = 1;
  /// When set, the statement's manifest subject must be the sha256 of this file's bytes.
  std::string manifest_path;
};

struct PROVGATE_API VerifyResult {
  enum class Outcome {
    kVerified,      ///< Exit 0.
    kFailed,        ///< Exit 1: signature, key, payload type, statement or manifest.
    kInvalidInput,  ///< Exit 2: the envelope is malformed, or the options are.
    kOperational,   ///< Exit 3: a key or manifest file cannot be read or used.
  };
  Outcome outcome = Outcome::kFailed;
  /// Why it failed, starting with the cause: "bad signature", "unknown key",
  /// "tampered payload", "wrong payload type", "not a compliance report", "duplicate key",
  /// "manifest mismatch", "threshold not met", "malformed envelope", "key file" (a key given
  /// as a file), "key" (a key given as PEM text). A member name that appears twice in one
  /// object anywhere in the envelope makes it a malformed envelope; anywhere in the signed
  /// statement, a "duplicate key": JSON readers disagree on which of the two values counts, so
  /// the statement would say different things to different readers.
  std::string cause;
  struct Signer {
    std::string key_id;    ///< "SHA256:..." of the key that verified it.
    std::string key_path;  ///< The file it came from, or the name of a key given as text.
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

  [[nodiscard]] int ExitCode() const;
};

/// The verification result as JSON, for programs and CI: `verified`, `cause` (empty when
/// verified), the signers and the rejected signatures, and what the statement says (model,
/// verdict, manifest, policy, tool). Members the statement did not get to are empty.
[[nodiscard]] PROVGATE_API std::string RenderVerifyJson(const VerifyResult& result);

/// Verifies a DSSE envelope (or a Sigstore bundle carrying one) of a provgate report.
///
///     VerifyOptions options;
///     options.keys = {KeySource::Pem(lab_public_pem, "lab")};
///     VerifyResult r = VerifyEnvelope(text, options);
///     if (r.ExitCode() == 0) Use(r.verdict);
[[nodiscard]] PROVGATE_API VerifyResult VerifyEnvelope(std::string_view envelope,
                                                       const VerifyOptions& options);

/// The largest envelope or bundle file read (1 GiB): a report of a million findings is a
/// few hundred megabytes.
inline constexpr std::uint64_t kMaxEnvelopeBytes = std::uint64_t{1} << 30;

/// Reads the file at `path` and verifies it. The file is opened without blocking (a FIFO or a
/// device is refused) and must be a regular file of at most kMaxEnvelopeBytes: otherwise, and
/// when it does not exist, kInvalidInput; any other failure to read it is kOperational.
[[nodiscard]] PROVGATE_API VerifyResult VerifyEnvelopeFile(const std::string& path,
                                                           const VerifyOptions& options);

/// What countersigning did: the signed report was verified first, and signed only if it
/// verified.
struct PROVGATE_API CountersignResult {
  /// The envelope as it was given, verified as VerifyEnvelope does with the options given:
  /// enough of the earlier signatures by the given keys, and a provgate compliance report
  /// without duplicate keys. Unless this verified, nothing was signed.
  VerifyResult existing;
  /// The signing, once `existing` verified: kInvalidArgument for a Sigstore bundle (it carries
  /// one signature) or an envelope that the key has already signed (a signature that verifies
  /// under it, whatever its keyid says); kIoError for a key file that cannot be used; as
  /// SignResult::status for a Signer.
  Status status;
  std::string envelope;  ///< The envelope with the new signature last, ending in a newline.
  std::string key_id;    ///< The new signature's key id.

  /// 0 signed; otherwise the exit code of `existing` (1 it does not verify, 2 malformed, 3 a
  /// key or file cannot be read), or 2 (kInvalidArgument) or 3 for `status`.
  [[nodiscard]] int ExitCode() const;
};

/// Adds a signature by `signer` to the signed report `envelope`, after verifying it with
/// `verify` (public keys, threshold and optionally the manifest): an auditor countersigns only
/// a report that its signers' keys verify. The payload and the earlier signatures are kept
/// byte for byte; `signer` is not called unless the report verifies.
///
///     VerifyOptions lab;
///     lab.key_paths = {"lab.pub"};
///     CountersignResult r = Countersign(text, auditor_signer, lab);
///     if (r.ExitCode() == 0) Write(r.envelope);
[[nodiscard]] PROVGATE_API CountersignResult Countersign(std::string_view envelope, Signer& signer,
                                                         const VerifyOptions& verify);

/// The same with the private key in `key_path`, which is read only if the report verifies.
[[nodiscard]] PROVGATE_API CountersignResult Countersign(std::string_view envelope,
                                                         const std::string& key_path,
                                                         const VerifyOptions& verify);

/// Reads the envelope at `path` as VerifyEnvelopeFile does, and countersigns it.
[[nodiscard]] PROVGATE_API CountersignResult CountersignFile(const std::string& path,
                                                             Signer& signer,
                                                             const VerifyOptions& verify);

/// Reads the envelope at `path` as VerifyEnvelopeFile does, and countersigns it with the
/// private key in `key_path`.
[[nodiscard]] PROVGATE_API CountersignResult CountersignFile(const std::string& path,
                                                             const std::string& key_path,
                                                             const VerifyOptions& verify);

}  // namespace provgate

#endif  // PROVGATE_ATTEST_H_
