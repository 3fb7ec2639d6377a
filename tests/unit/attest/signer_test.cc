// Keys given as PEM text as well as files, and Signers: a key held outside the library (as in
// a KMS or an HSM) signs reports that verify; a signer that fails gives an error result.
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "../test_files.h"
#include "provgate/attest.h"
#include "provgate/check.h"

namespace provgate {
namespace {

using Outcome = VerifyResult::Outcome;

constexpr char kManifest[] = R"({
  "manifest_version": "1",
  "model": { "id": "lab/m-1", "release": { "weights": "closed" } },
  "sources": [
    { "id": "first-party", "kind": "first-party", "permission": { "basis": "first-party" } }
  ]
})";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string KeyTypeName(const testing::TestParamInfo<KeyType>& info) {
  return info.param == KeyType::kEd25519 ? "Ed25519" : "EcdsaP256";
}

// SHA-256 computed here, not by the library.
std::string Sha256(std::string_view bytes) {
  unsigned char digest[32];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string PemOf(EVP_PKEY* key, bool is_private) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (is_private) {
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  } else {
    PEM_write_bio_PUBKEY(bio, key);
  }
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  return pem;
}

// A signer whose private key lives only in this test, as a key in a KMS or an HSM does: the
// library is given its public key and its signatures, never the key. ECDSA signs the digest
// it is handed (as a KMS signs a prehashed message), Ed25519 the whole message.
class HeldKeySigner : public Signer {
 public:
  // With `raw_ecdsa`, ECDSA signatures are returned as r||s (what a PKCS#11 token gives)
  // instead of ASN.1 DER.
  explicit HeldKeySigner(KeyType type, bool raw_ecdsa = false)
      : type_(type), raw_ecdsa_(raw_ecdsa) {
    key_ = type == KeyType::kEd25519 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")
                                     : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  }
  ~HeldKeySigner() override { EVP_PKEY_free(key_); }
  HeldKeySigner(const HeldKeySigner&) = delete;
  HeldKeySigner& operator=(const HeldKeySigner&) = delete;

  bool ok() const { return key_ != nullptr; }
  std::string PublicKeyPem() const override { return PemOf(key_, false); }

  SignatureResult Sign(const SignatureRequest& request) override {
    ++calls_;
    requests_.push_back(
        {request.key_type, std::string(request.message), std::string(request.sha256)});
    SignatureResult result;
    result.signature =
        type_ == KeyType::kEd25519 ? SignMessage(request.message) : SignDigest(request.sha256);
    if (result.signature.empty()) result.status = Status::Internal("the test key cannot sign");
    return result;
  }

  int calls() const { return calls_; }
  struct Request {
    KeyType key_type;
    std::string message;
    std::string sha256;
  };
  const std::vector<Request>& requests() const { return requests_; }

 private:
  std::string SignMessage(std::string_view message) const {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t length = 0;
    std::string signature;
    const auto* data = reinterpret_cast<const unsigned char*>(message.data());
    if (EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key_) == 1 &&
        EVP_DigestSign(ctx, nullptr, &length, data, message.size()) == 1) {
      signature.resize(length);
      EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                     message.size());
      signature.resize(length);
    }
    EVP_MD_CTX_free(ctx);
    return signature;
  }

  std::string SignDigest(std::string_view digest) const {
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_pkey(nullptr, key_, nullptr);
    std::size_t length = 0;
    std::string der;
    const auto* data = reinterpret_cast<const unsigned char*>(digest.data());
    if (EVP_PKEY_sign_init(ctx) == 1 && EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
        EVP_PKEY_sign(ctx, nullptr, &length, data, digest.size()) == 1) {
      der.resize(length);
      EVP_PKEY_sign(ctx, reinterpret_cast<unsigned char*>(der.data()), &length, data,
                    digest.size());
      der.resize(length);
    }
    EVP_PKEY_CTX_free(ctx);
    if (!raw_ecdsa_ || der.empty()) return der;
    const auto* in = reinterpret_cast<const unsigned char*>(der.data());
    ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &in, static_cast<long>(der.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(sig);
    return raw;
  }

  KeyType type_;
  bool raw_ecdsa_;
  EVP_PKEY* key_ = nullptr;
  int calls_ = 0;
  std::vector<Request> requests_;
};

// A signer made of a public key and a function: for signers that fail.
class CallbackSigner : public Signer {
 public:
  using PublicKey = std::function<std::string()>;
  using SignFunction = std::function<SignatureResult(const SignatureRequest&)>;
  CallbackSigner(PublicKey public_key, SignFunction sign)
      : public_key_(std::move(public_key)), sign_(std::move(sign)) {}
  std::string PublicKeyPem() const override { return public_key_(); }
  SignatureResult Sign(const SignatureRequest& request) override {
    ++calls_;
    return sign_(request);
  }
  int calls() const { return calls_; }

 private:
  PublicKey public_key_;
  SignFunction sign_;
  int calls_ = 0;
};

class SignerTest : public testing::TestWithParam<KeyType> {
 protected:
  void SetUp() override {
    for (const char* name : {"lab", "auditor"}) {
      KeygenResult keys = GenerateKeyFiles(dir_.path() + "/" + name, GetParam());
      ASSERT_TRUE(keys.status.ok()) << keys.status.message();
      key_ids_[name] = keys.key_id;
    }
    manifest_ = dir_.Write("model.json", kManifest);
    CheckOptions options;
    options.date = "2026-01-01";
    CheckResult result = Check(manifest_, options);
    ASSERT_EQ(result.ExitCode(), 0);
    payload_ = RenderStatement(result.report);
  }
  std::string Key(const std::string& name) const { return dir_.path() + "/" + name + ".key"; }
  std::string Pub(const std::string& name) const { return dir_.path() + "/" + name + ".pub"; }
  // The lab's key, loaded from its PEM text.
  std::unique_ptr<Signer> LabFromText() const {
    SignerResult loaded = LoadSigner(KeySource::Pem(ReadAll(Key("lab")), "vault:lab"));
    EXPECT_TRUE(loaded.status.ok()) << loaded.status.message();
    return std::move(loaded.signer);
  }
  std::string Envelope(Signer& signer) const {
    SignResult signed_report = SignStatement(payload_, signer);
    EXPECT_TRUE(signed_report.status.ok()) << signed_report.status.message();
    return signed_report.envelope;
  }

  testing_support::ScratchDir dir_;
  std::map<std::string, std::string> key_ids_;
  std::string manifest_;
  std::string payload_;
};

INSTANTIATE_TEST_SUITE_P(Keys, SignerTest, testing::Values(KeyType::kEcdsaP256, KeyType::kEd25519),
                         KeyTypeName);

TEST_P(SignerTest, KeysFromTextAndFromFilesSignAndVerifyAlike) {
  SignerResult from_file = LoadSigner(KeySource::File(Key("lab")));
  ASSERT_TRUE(from_file.status.ok()) << from_file.status.message();
  std::unique_ptr<Signer> from_text = LabFromText();
  ASSERT_NE(from_text, nullptr);

  SignResult by_file = SignStatement(payload_, *from_file.signer);
  SignResult by_text = SignStatement(payload_, *from_text);
  SignResult by_path = SignStatement(payload_, Key("lab"));
  for (const SignResult* r : {&by_file, &by_text, &by_path}) {
    ASSERT_TRUE(r->status.ok()) << r->status.message();
    EXPECT_EQ(r->key_id, key_ids_["lab"]);
  }
  if (GetParam() == KeyType::kEd25519) {
    // Ed25519 signatures are deterministic: the envelopes are the same bytes.
    EXPECT_EQ(by_text.envelope, by_file.envelope);
    EXPECT_EQ(by_path.envelope, by_file.envelope);
  }

  // Each envelope verifies, with the public key as a file or as text, to the same result:
  // the text is named by the path here so that even the JSON rendering is the same.
  VerifyOptions with_file;
  with_file.key_paths = {Pub("lab")};
  with_file.manifest_path = manifest_;
  VerifyOptions with_text;
  with_text.keys = {KeySource::Pem(ReadAll(Pub("lab")), Pub("lab"))};
  with_text.manifest_path = manifest_;
  std::string expected = RenderVerifyJson(VerifyEnvelope(by_file.envelope, with_file));
  for (const SignResult* r : {&by_file, &by_text, &by_path}) {
    VerifyResult file_result = VerifyEnvelope(r->envelope, with_file);
    VerifyResult text_result = VerifyEnvelope(r->envelope, with_text);
    EXPECT_EQ(file_result.outcome, Outcome::kVerified) << file_result.cause;
    EXPECT_EQ(RenderVerifyJson(file_result), expected);
    EXPECT_EQ(RenderVerifyJson(text_result), expected);
  }
  VerifyResult verified = VerifyEnvelope(by_text.envelope, with_file);
  ASSERT_EQ(verified.signers.size(), 1u);
  EXPECT_EQ(verified.signers[0].key_id, key_ids_["lab"]);
  EXPECT_EQ(verified.verdict, "compliant");

  // A key given as text is named by its name in results.
  with_text.keys = {KeySource::Pem(ReadAll(Pub("lab")), "vault:lab.pub")};
  VerifyResult named = VerifyEnvelope(by_file.envelope, with_text);
  ASSERT_EQ(named.signers.size(), 1u);
  EXPECT_EQ(named.signers[0].key_path, "vault:lab.pub");

  // Files and text count together towards the threshold, and one key given both ways once.
  CountersignResult countersigned = Countersign(by_file.envelope, Key("auditor"), with_file);
  ASSERT_EQ(countersigned.ExitCode(), 0) << countersigned.status.message();
  VerifyOptions both;
  both.key_paths = {Pub("lab")};
  both.keys = {KeySource::Pem(ReadAll(Pub("lab")), "again"),
               KeySource::Pem(ReadAll(Pub("auditor")), "auditor")};
  both.threshold = 2;
  VerifyResult two = VerifyEnvelope(countersigned.envelope, both);
  EXPECT_EQ(two.outcome, Outcome::kVerified) << two.cause;
  ASSERT_EQ(two.signers.size(), 2u);
  EXPECT_EQ(two.signers[0].key_path, Pub("lab"));
  EXPECT_EQ(two.signers[1].key_path, "auditor");
  both.threshold = 3;
  EXPECT_EQ(VerifyEnvelope(countersigned.envelope, both).outcome, Outcome::kInvalidInput);
}

TEST_P(SignerTest, IdentifySignerGivesTheKeyIdAndAlgorithm) {
  std::unique_ptr<Signer> lab = LabFromText();
  ASSERT_NE(lab, nullptr);
  SignerIdentity identity = IdentifySigner(*lab);
  ASSERT_TRUE(identity.status.ok()) << identity.status.message();
  EXPECT_EQ(identity.key_id, key_ids_["lab"]);
  EXPECT_EQ(identity.key_type, GetParam());
}

TEST_P(SignerTest, AKeyHeldOutsideTheLibrarySignsABundleThatVerifies) {
  HeldKeySigner held(GetParam());
  ASSERT_TRUE(held.ok());
  SignResult signed_report = SignStatement(payload_, held);
  ASSERT_TRUE(signed_report.status.ok()) << signed_report.status.message();
  EXPECT_EQ(held.calls(), 1);

  // The request: the DSSE pre-authentication encoding, and for ECDSA its SHA-256 digest.
  ASSERT_EQ(held.requests().size(), 1u);
  const HeldKeySigner::Request& request = held.requests()[0];
  std::string pae =
      "DSSEv1 28 application/vnd.in-toto+json " + std::to_string(payload_.size()) + " " + payload_;
  EXPECT_EQ(request.key_type, GetParam());
  EXPECT_EQ(request.message, pae);
  EXPECT_EQ(request.sha256, GetParam() == KeyType::kEcdsaP256 ? Sha256(pae) : "");

  SignerIdentity identity = IdentifySigner(held);
  ASSERT_TRUE(identity.status.ok()) << identity.status.message();
  EXPECT_EQ(signed_report.key_id, identity.key_id);
  EXPECT_EQ(identity.key_type, GetParam());

  BundleResult bundle = RenderSigstoreBundle(signed_report.envelope);
  ASSERT_TRUE(bundle.status.ok()) << bundle.status.message();
  VerifyOptions options;
  options.keys = {KeySource::Pem(held.PublicKeyPem(), "kms")};
  options.manifest_path = manifest_;
  for (const std::string& text : {signed_report.envelope, bundle.bundle}) {
    VerifyResult result = VerifyEnvelope(text, options);
    EXPECT_EQ(result.outcome, Outcome::kVerified) << result.cause;
    ASSERT_EQ(result.signers.size(), 1u);
    EXPECT_EQ(result.signers[0].key_id, identity.key_id);
    EXPECT_EQ(result.signers[0].key_path, "kms");
  }

  // `provgate verify` accepts the bundle too.
  std::string bundle_path = dir_.Write("report.sigstore.json", bundle.bundle);
  std::string pub_path = dir_.Write("kms.pub", held.PublicKeyPem());
  std::string command = std::string(PROVGATE_BINARY) + " verify '" + bundle_path + "' --key '" +
                        pub_path + "' --manifest '" + manifest_ + "' --format json";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof(buffer), pipe)) output.append(buffer, n);
  int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << output;
  nlohmann::json shown = nlohmann::json::parse(output, nullptr, false);
  EXPECT_EQ(shown["verified"], true) << output;
  EXPECT_EQ(shown["bundle"], true) << output;
  EXPECT_EQ(shown["signers"][0]["key_id"], identity.key_id) << output;

  // A report signed in process is countersigned by the held key, and both count.
  std::unique_ptr<Signer> lab = LabFromText();
  ASSERT_NE(lab, nullptr);
  VerifyOptions lab_only;
  lab_only.keys = {KeySource::Pem(ReadAll(Pub("lab")), "lab")};
  CountersignResult countersigned = Countersign(Envelope(*lab), held, lab_only);
  ASSERT_EQ(countersigned.ExitCode(), 0) << countersigned.status.message();
  EXPECT_EQ(countersigned.key_id, identity.key_id);
  VerifyOptions both = lab_only;
  both.keys.push_back(KeySource::Pem(held.PublicKeyPem(), "kms"));
  both.threshold = 2;
  VerifyResult two = VerifyEnvelope(countersigned.envelope, both);
  EXPECT_EQ(two.outcome, Outcome::kVerified) << two.cause;
  // The held key has signed now: it is not asked again.
  int calls = held.calls();
  CountersignResult again = Countersign(countersigned.envelope, held, lab_only);
  EXPECT_EQ(again.status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(held.calls(), calls);
}

TEST_P(SignerTest, CountersignAsksTheSignerOnlyForAReportThatVerifies) {
  HeldKeySigner held(GetParam());
  ASSERT_TRUE(held.ok());
  std::unique_ptr<Signer> lab = LabFromText();
  ASSERT_NE(lab, nullptr);
  std::string envelope = Envelope(*lab);
  VerifyOptions stranger;
  stranger.key_paths = {Pub("auditor")};
  CountersignResult result = Countersign(envelope, held, stranger);
  EXPECT_EQ(result.existing.outcome, Outcome::kFailed);
  EXPECT_EQ(result.ExitCode(), 1);
  EXPECT_TRUE(result.envelope.empty());
  EXPECT_EQ(held.calls(), 0);
}

TEST_P(SignerTest, ASignerThatFailsGivesAnErrorResult) {
  HeldKeySigner held(GetParam());
  ASSERT_TRUE(held.ok());
  std::string public_pem = held.PublicKeyPem();
  auto with_public_key = [&] { return public_pem; };
  auto expect_error = [&](Signer& signer, Status::Code code, const std::string& text) {
    SignResult result;
    EXPECT_NO_THROW(result = SignStatement(payload_, signer));
    EXPECT_EQ(result.status.code(), code) << result.status.message();
    EXPECT_NE(result.status.message().find(text), std::string::npos) << result.status.message();
    EXPECT_TRUE(result.envelope.empty());
  };

  // The KMS refuses: its status is passed on.
  CallbackSigner refused(with_public_key, [](const SignatureRequest&) {
    SignatureResult result;
    result.status = Status::IoError("KMS: AccessDeniedException");
    return result;
  });
  expect_error(refused, Status::Code::kIoError, "KMS: AccessDeniedException");
  EXPECT_EQ(refused.calls(), 1);

  // A signer that throws: caught, never passed on.
  CallbackSigner throws(with_public_key, [](const SignatureRequest&) -> SignatureResult {
    throw std::runtime_error("the HSM was removed");
  });
  expect_error(throws, Status::Code::kInternal, "the HSM was removed");
  CallbackSigner throws_other(with_public_key,
                              [](const SignatureRequest&) -> SignatureResult { throw 42; });
  expect_error(throws_other, Status::Code::kInternal, "the signer failed");

  // A signature that does not verify under the signer's public key is never written: none at
  // all, one by another key, or one of the wrong form.
  CallbackSigner empty(with_public_key, [](const SignatureRequest&) { return SignatureResult{}; });
  expect_error(empty, Status::Code::kInternal, "does not verify");
  HeldKeySigner other(GetParam());
  ASSERT_TRUE(other.ok());
  CallbackSigner by_other_key(with_public_key,
                              [&](const SignatureRequest& request) { return other.Sign(request); });
  expect_error(by_other_key, Status::Code::kInternal, "does not verify");
  if (GetParam() == KeyType::kEcdsaP256) {
    HeldKeySigner raw(KeyType::kEcdsaP256, /*raw_ecdsa=*/true);
    ASSERT_TRUE(raw.ok());
    expect_error(raw, Status::Code::kInternal, "ASN.1 DER");
  }

  // A public key that is not one: Sign is never called.
  int signed_count = 0;
  auto count = [&](const SignatureRequest&) {
    ++signed_count;
    return SignatureResult{};
  };
  CallbackSigner no_key([] { return std::string("not a key"); }, count);
  expect_error(no_key, Status::Code::kInternal, "the signer's public key: not a PEM public key");
  CallbackSigner key_throws([]() -> std::string { throw std::runtime_error("no network"); }, count);
  expect_error(key_throws, Status::Code::kInternal, "no network");
  EXPECT_EQ(IdentifySigner(key_throws).status.code(), Status::Code::kInternal);
  EXPECT_EQ(IdentifySigner(no_key).status.code(), Status::Code::kInternal);
  EXPECT_EQ(signed_count, 0);

  // Countersigning with a signer that fails: the report verified, nothing is written, exit 3.
  std::unique_ptr<Signer> lab = LabFromText();
  ASSERT_NE(lab, nullptr);
  VerifyOptions options;
  options.key_paths = {Pub("lab")};
  CountersignResult countersigned;
  EXPECT_NO_THROW(countersigned = Countersign(Envelope(*lab), throws, options));
  EXPECT_EQ(countersigned.existing.outcome, Outcome::kVerified);
  EXPECT_EQ(countersigned.status.code(), Status::Code::kInternal);
  EXPECT_TRUE(countersigned.envelope.empty());
  EXPECT_EQ(countersigned.ExitCode(), 3);
}

TEST(KeyText, MalformedPemGivesAClearErrorThatNamesTheKeyAndNotItsText) {
  testing_support::ScratchDir dir;
  ASSERT_TRUE(GenerateKeyFiles(dir.path() + "/k", KeyType::kEcdsaP256).status.ok());
  std::string private_pem = ReadAll(dir.path() + "/k.key");
  std::string public_pem = ReadAll(dir.path() + "/k.pub");

  struct Case {
    std::string pem;
    std::string message;  // How the status message starts.
  };
  EVP_PKEY* p384 = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
  ASSERT_NE(p384, nullptr);
  std::string p384_pem = PemOf(p384, true);
  EVP_PKEY_free(p384);
  const std::string kNotPrivate =
      "vault:lab: not a PEM private key (passphrase-protected keys are not supported)";
  for (const Case& c : std::vector<Case>{
           {"", kNotPrivate},
           {"secret-looking text", kNotPrivate},
           {"-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWxvb2tpbmc=\n-----END PRIVATE KEY-----\n",
            kNotPrivate},
           {private_pem.substr(0, private_pem.size() / 2), kNotPrivate},
           {public_pem, "vault:lab holds a public key; signing needs the private key"},
           {p384_pem, "vault:lab: an EC key must be on P-256"},
           {std::string(64 * 1024 + 1, 'A'), "vault:lab is not a key: larger than 64 KiB"},
       }) {
    SCOPED_TRACE(c.pem.substr(0, 40));
    SignerResult loaded;
    EXPECT_NO_THROW(loaded = LoadSigner(KeySource::Pem(c.pem, "vault:lab")));
    EXPECT_EQ(loaded.status.code(), Status::Code::kIoError);
    EXPECT_EQ(loaded.status.message(), c.message);
    EXPECT_EQ(loaded.signer, nullptr);
  }
  // The message never quotes the text it was given.
  SignerResult secret = LoadSigner(KeySource::Pem("s3cr3t-n0t-a-key", "vault:lab"));
  EXPECT_EQ(secret.status.message().find("s3cr3t"), std::string::npos);

  // Public keys given as text: the same checks, with the name in the cause.
  VerifyOptions options;
  options.keys = {KeySource::Pem("not a key", "vault:lab.pub")};
  VerifyResult result = VerifyEnvelope("{}", options);
  EXPECT_EQ(result.outcome, Outcome::kOperational);
  EXPECT_EQ(result.cause, "key: vault:lab.pub: not a PEM public key");
  EXPECT_EQ(result.ExitCode(), 3);
  Status check = CheckPublicKey(options.keys[0]);
  EXPECT_EQ(check.code(), Status::Code::kIoError);
  EXPECT_EQ(check.message(), "vault:lab.pub: not a PEM public key");
  options.keys = {KeySource::Pem(private_pem, "vault:lab")};
  result = VerifyEnvelope("{}", options);
  EXPECT_EQ(result.cause, "key: vault:lab holds a private key; verification takes the public key");
  EXPECT_EQ(result.cause.find("BEGIN"), std::string::npos);
  EXPECT_TRUE(CheckPublicKey(KeySource::Pem(public_pem, "lab")).ok());
  EXPECT_TRUE(CheckPublicKey(KeySource::File(dir.path() + "/k.pub")).ok());
  EXPECT_EQ(CheckPublicKey(KeySource::File(dir.path() + "/absent.pub")).code(),
            Status::Code::kIoError);
}

}  // namespace
}  // namespace provgate
