// Signed reports: sign, countersign, verify, and every way verification must fail.
#include "attest/envelope.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../test_files.h"
#include "attest/dsse.h"
#include "attest/verify.h"
#include "common/base64.h"
#include "json/jcs.h"
#include "provgate/attest.h"
#include "provgate/check.h"

namespace provgate {
namespace {

using nlohmann::json;
using Outcome = VerifyResult::Outcome;

constexpr char kManifest[] = R"({
  "manifest_version": "1",
  "model": { "id": "lab/m-1", "release": { "weights": "closed" } },
  "sources": [
    { "id": "first-party", "kind": "first-party",
      "permission": { "basis": "first-party" },
      "files": [ { "path": "data/a.txt",
                   "sha256": "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" } ] },
    { "id": "forum", "kind": "social", "license": "LicenseRef-Forum-Deal",
      "permission": { "basis": "contract",
        "evidence": [ { "uri": "contracts/forum.pdf",
                        "sha256": "486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7" } ],
        "grants": { "training": true, "commercial": true, "closed_weights": true } } }
  ]
})";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class SignedReportTest : public testing::TestWithParam<KeyType> {
 protected:
  void SetUp() override {
    manifest_ = dir_.Write("model.json", kManifest);
    for (const char* name : {"lab", "auditor", "regulator", "stranger"}) {
      KeygenResult keys = GenerateKeyFiles(dir_.path() + "/" + name, GetParam());
      ASSERT_TRUE(keys.status.ok()) << keys.status.message();
    }
    CheckOptions options;
    options.collect_artifacts = true;
    options.date = "2026-01-01";
    CheckResult result = Check(manifest_, options);
    ASSERT_LT(result.ExitCode(), 2);
    payload_ = RenderStatement(result.report);
    SignResult signed_report = SignStatement(payload_, Key("lab"));
    ASSERT_TRUE(signed_report.status.ok()) << signed_report.status.message();
    envelope_ = signed_report.envelope;
  }
  std::string Key(const std::string& name) const { return dir_.path() + "/" + name + ".key"; }
  std::string Pub(const std::string& name) const { return dir_.path() + "/" + name + ".pub"; }
  VerifyResult Verify(const std::string& envelope, std::vector<std::string> keys, int threshold = 1,
                      const std::string& manifest = "") const {
    VerifyOptions options;
    for (const auto& k : keys) options.key_paths.push_back(Pub(k));
    options.threshold = threshold;
    options.manifest_path = manifest;
    return VerifyEnvelope(envelope, options);
  }
  // `envelope` countersigned by `signer` after verifying it with the public keys `keys`.
  CountersignResult Countersigned(const std::string& envelope, const std::string& signer,
                                  std::vector<std::string> keys = {"lab"},
                                  int threshold = 1) const {
    VerifyOptions options;
    for (const auto& k : keys) options.key_paths.push_back(Pub(k));
    options.threshold = threshold;
    return Countersign(envelope, Key(signer), options);
  }
  // The envelope with its decoded payload, payload type or first signature replaced.
  static std::string With(const std::string& envelope, const std::string& member,
                          const std::string& bytes) {
    json doc = json::parse(envelope);
    if (member == "payload") doc["payload"] = detail::Base64Encode(bytes);
    if (member == "payloadType") doc["payloadType"] = bytes;
    if (member == "sig") doc["signatures"][0]["sig"] = detail::Base64Encode(bytes);
    return doc.dump();
  }
  static std::string Decoded(const std::string& envelope, const std::string& member) {
    json doc = json::parse(envelope);
    std::string text = member == "sig" ? doc["signatures"][0]["sig"].get<std::string>()
                                       : doc[member].get<std::string>();
    if (member == "payloadType") return text;
    std::string out;
    detail::Base64Decode(text, out);
    return out;
  }

  testing_support::ScratchDir dir_;
  std::string manifest_;
  std::string payload_;
  std::string envelope_;
};

TEST_P(SignedReportTest, RoundTripCarriesTheReportAndItsSubjects) {
  VerifyResult result = Verify(envelope_, {"lab"}, 1, manifest_);
  ASSERT_EQ(result.outcome, Outcome::kVerified) << result.cause;
  EXPECT_EQ(result.ExitCode(), 0);
  EXPECT_EQ(result.model_id, "lab/m-1");
  EXPECT_EQ(result.verdict, "compliant");
  EXPECT_EQ(result.manifest_name, "model.json");
  ASSERT_EQ(result.signers.size(), 1u);
  EXPECT_EQ(result.signers[0].key_path, Pub("lab"));

  json statement = json::parse(payload_);
  EXPECT_EQ(statement["_type"], kStatementType);
  EXPECT_EQ(statement["predicateType"], kReportPredicateType);
  ASSERT_EQ(statement["subject"].size(), 3u);
  EXPECT_EQ(statement["subject"][0]["name"], "model.json");
  EXPECT_EQ(statement["subject"][1]["name"], "data/a.txt");
  EXPECT_EQ(statement["subject"][2]["name"], "contracts/forum.pdf");
  EXPECT_EQ(statement["predicate"]["report_version"], "1");
  EXPECT_FALSE(statement["predicate"]["policy"]["sha256"].get<std::string>().empty());
  EXPECT_FALSE(statement["predicate"]["tool"]["version"].get<std::string>().empty());

  // The payload is canonical JSON: its digest identifies the report.
  std::string canonical;
  std::string error;
  ASSERT_TRUE(detail::CanonicalizeJson(payload_, canonical, error));
  EXPECT_EQ(canonical, payload_);
  // The envelope uses standard padded base64 and the in-toto payload type.
  json doc = json::parse(envelope_);
  EXPECT_EQ(doc["payloadType"], "application/vnd.in-toto+json");
  EXPECT_EQ(doc["payload"].get<std::string>().size() % 4, 0u);
  EXPECT_EQ(doc["signatures"][0]["keyid"].get<std::string>().rfind("SHA256:", 0), 0u);
}

TEST_P(SignedReportTest, EverySingleByteChangeOfThePayloadFails) {
  for (std::size_t i = 0; i < payload_.size(); ++i) {
    std::string changed = payload_;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    VerifyResult result = Verify(With(envelope_, "payload", changed), {"lab"});
    ASSERT_EQ(result.outcome, Outcome::kFailed) << "byte " << i;
    ASSERT_TRUE(result.cause.rfind("tampered payload", 0) == 0 ||
                result.cause.rfind("bad signature", 0) == 0)
        << result.cause;
  }
  // Appending or removing a byte fails too.
  EXPECT_EQ(Verify(With(envelope_, "payload", payload_ + " "), {"lab"}).outcome, Outcome::kFailed);
  EXPECT_EQ(Verify(With(envelope_, "payload", payload_.substr(1)), {"lab"}).outcome,
            Outcome::kFailed);
}

TEST_P(SignedReportTest, EverySingleByteChangeOfThePayloadTypeFails) {
  std::string type(kInTotoPayloadType);
  for (std::size_t i = 0; i < type.size(); ++i) {
    std::string changed = type;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    VerifyResult result = Verify(With(envelope_, "payloadType", changed), {"lab"});
    ASSERT_EQ(result.outcome, Outcome::kFailed) << "byte " << i;
    ASSERT_EQ(result.cause.rfind("wrong payload type", 0), 0u) << result.cause;
  }
}

TEST_P(SignedReportTest, EverySingleByteChangeOfTheSignatureFails) {
  std::string sig = Decoded(envelope_, "sig");
  for (std::size_t i = 0; i < sig.size(); ++i) {
    for (int bit : {0x01, 0x80}) {
      std::string changed = sig;
      changed[i] = static_cast<char>(changed[i] ^ bit);
      VerifyResult result = Verify(With(envelope_, "sig", changed), {"lab"});
      ASSERT_EQ(result.outcome, Outcome::kFailed) << "byte " << i;
      ASSERT_EQ(result.cause.rfind("bad signature", 0), 0u) << result.cause;
    }
  }
}

TEST_P(SignedReportTest, WrongKeyIsAnUnknownKey) {
  VerifyResult result = Verify(envelope_, {"stranger"});
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_EQ(result.cause.rfind("unknown key", 0), 0u) << result.cause;
  EXPECT_TRUE(result.signers.empty());
}

TEST_P(SignedReportTest, SignatureMovedFromAnotherEnvelopeFails) {
  // The same key signed another statement; its signature does not carry over.
  std::string other_payload = payload_;
  other_payload.replace(other_payload.find("lab/m-1"), 7, "lab/m-2");
  SignResult other = SignStatement(other_payload, Key("lab"));
  ASSERT_TRUE(other.status.ok());
  std::string moved = With(envelope_, "sig", Decoded(other.envelope, "sig"));
  VerifyResult result = Verify(moved, {"lab"});
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_EQ(result.cause.rfind("bad signature", 0), 0u) << result.cause;
}

TEST_P(SignedReportTest, ManifestChangedAfterSigningIsAMismatch) {
  ASSERT_EQ(Verify(envelope_, {"lab"}, 1, manifest_).outcome, Outcome::kVerified);
  std::string changed = kManifest;
  changed.replace(changed.find("lab/m-1"), 7, "lab/m-9");
  dir_.Write("model.json", changed);
  VerifyResult result = Verify(envelope_, {"lab"}, 1, manifest_);
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_EQ(result.cause.rfind("manifest mismatch", 0), 0u) << result.cause;
  EXPECT_EQ(Verify(envelope_, {"lab"}, 1, dir_.path() + "/absent.json").outcome,
            Outcome::kInvalidInput);
  EXPECT_EQ(Verify(envelope_, {"lab"}, 1, dir_.path()).outcome, Outcome::kInvalidInput);
}

TEST_P(SignedReportTest, ThresholdCountsDistinctTrustedKeys) {
  CountersignResult two = Countersigned(envelope_, "auditor");
  ASSERT_EQ(two.ExitCode(), 0) << two.existing.cause << two.status.message();
  CountersignResult three = Countersigned(two.envelope, "regulator", {"lab", "auditor"}, 2);
  ASSERT_EQ(three.ExitCode(), 0) << three.existing.cause << three.status.message();
  // Countersigning keeps the payload and the first signature byte for byte.
  EXPECT_EQ(json::parse(three.envelope)["payload"], json::parse(envelope_)["payload"]);
  EXPECT_EQ(json::parse(three.envelope)["signatures"][0], json::parse(envelope_)["signatures"][0]);

  std::vector<std::string> all = {"lab", "auditor", "regulator"};
  for (int threshold = 1; threshold <= 3; ++threshold) {
    VerifyResult result = Verify(three.envelope, all, threshold);
    EXPECT_EQ(result.outcome, Outcome::kVerified) << threshold << ": " << result.cause;
    EXPECT_EQ(result.signers.size(), 3u);
  }
  // Two signatures do not meet a threshold of three.
  VerifyResult short_one = Verify(two.envelope, all, 3);
  EXPECT_EQ(short_one.outcome, Outcome::kFailed);
  EXPECT_EQ(short_one.cause.rfind("threshold not met: 2 of the 3", 0), 0u) << short_one.cause;
  // A signature by a key that is not trusted does not count.
  VerifyResult untrusted = Verify(three.envelope, {"lab", "stranger"}, 2);
  EXPECT_EQ(untrusted.outcome, Outcome::kFailed);
  // The same key given twice is one key: a threshold of two cannot be met with it.
  EXPECT_EQ(Verify(three.envelope, {"lab", "lab"}, 2).outcome, Outcome::kInvalidInput);
  // A threshold larger than the keys given is a usage error.
  EXPECT_EQ(Verify(three.envelope, {"lab"}, 2).outcome, Outcome::kInvalidInput);
  // The same key cannot sign twice.
  CountersignResult again = Countersigned(two.envelope, "auditor");
  EXPECT_EQ(again.status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(again.ExitCode(), 2);
}

TEST_P(SignedReportTest, AcceptsUrlSafeUnpaddedBase64AndBundles) {
  json doc = json::parse(envelope_);
  auto url_safe = [](std::string text) {
    for (char& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
    while (!text.empty() && text.back() == '=') text.pop_back();
    return text;
  };
  doc["payload"] = url_safe(doc["payload"]);
  doc["signatures"][0]["sig"] = url_safe(doc["signatures"][0]["sig"]);
  EXPECT_EQ(Verify(doc.dump(), {"lab"}).outcome, Outcome::kVerified);

  BundleResult rendered = RenderSigstoreBundle(envelope_);
  ASSERT_TRUE(rendered.status.ok()) << rendered.status.message();
  const std::string& bundle = rendered.bundle;
  json b = json::parse(bundle);
  EXPECT_EQ(b["mediaType"], "application/vnd.dev.sigstore.bundle.v0.3+json");
  EXPECT_EQ(b["verificationMaterial"]["publicKey"]["hint"],
            json::parse(envelope_)["signatures"][0]["keyid"]);
  EXPECT_TRUE(b["verificationMaterial"]["tlogEntries"].empty());
  VerifyResult result = Verify(bundle, {"lab"}, 1, manifest_);
  EXPECT_EQ(result.outcome, Outcome::kVerified) << result.cause;
  EXPECT_TRUE(result.is_bundle);
  // A bundle carries one signature: it is not countersigned, and an envelope with two
  // signatures is not made a bundle.
  CountersignResult of_bundle = Countersigned(bundle, "auditor");
  EXPECT_EQ(of_bundle.existing.outcome, Outcome::kVerified) << of_bundle.existing.cause;
  EXPECT_EQ(of_bundle.status.code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(of_bundle.ExitCode(), 2);
  CountersignResult two = Countersigned(envelope_, "auditor");
  BundleResult of_two = RenderSigstoreBundle(two.envelope);
  EXPECT_EQ(of_two.status.code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(of_two.bundle.empty());
}

TEST_P(SignedReportTest, OtherStatementsAreNotComplianceReports) {
  SignResult other = SignStatement(R"({"_type":"https://in-toto.io/Statement/v1"})", Key("lab"));
  ASSERT_TRUE(other.status.ok());
  VerifyResult result = Verify(other.envelope, {"lab"});
  EXPECT_EQ(result.outcome, Outcome::kFailed);
  EXPECT_EQ(result.cause.rfind("not a compliance report", 0), 0u) << result.cause;
}

// The attack countersign must not fall for: a report changed after the lab signed it. Signed
// by the auditor anyway, it would verify with both keys given and a threshold of one.
TEST_P(SignedReportTest, CountersignVerifiesTheReportBeforeSigningIt) {
  std::string tampered_payload = payload_;
  tampered_payload.replace(tampered_payload.find("\"verdict\":\"compliant\""), 21,
                           "\"verdict\":\"compliant\",\"x\":1");
  std::string tampered = With(envelope_, "payload", tampered_payload);
  CountersignResult result = Countersigned(tampered, "auditor");
  EXPECT_EQ(result.existing.outcome, Outcome::kFailed);
  EXPECT_EQ(result.ExitCode(), 1);
  EXPECT_TRUE(result.envelope.empty());
  EXPECT_TRUE(result.key_id.empty()) << "the private key was used";
  EXPECT_TRUE(result.existing.cause.rfind("tampered payload", 0) == 0 ||
              result.existing.cause.rfind("bad signature", 0) == 0)
      << result.existing.cause;

  // Keys that did not sign it, a threshold the signatures do not meet, a manifest the report
  // does not cover: nothing is signed either.
  CountersignResult stranger = Countersigned(envelope_, "auditor", {"stranger"});
  EXPECT_EQ(stranger.ExitCode(), 1);
  EXPECT_EQ(stranger.existing.cause.rfind("unknown key", 0), 0u) << stranger.existing.cause;
  CountersignResult threshold = Countersigned(envelope_, "auditor", {"lab", "regulator"}, 2);
  EXPECT_EQ(threshold.ExitCode(), 1);
  EXPECT_EQ(threshold.existing.cause.rfind("threshold not met", 0), 0u);
  VerifyOptions other_manifest;
  other_manifest.key_paths = {Pub("lab")};
  other_manifest.manifest_path = dir_.Write("other.json", "{}");
  CountersignResult mismatch = Countersign(envelope_, Key("auditor"), other_manifest);
  EXPECT_EQ(mismatch.ExitCode(), 1);
  EXPECT_EQ(mismatch.existing.cause.rfind("manifest mismatch", 0), 0u);
  // No key at all is a usage error, not a countersignature.
  CountersignResult no_key = Countersign(envelope_, Key("auditor"), VerifyOptions{});
  EXPECT_EQ(no_key.ExitCode(), 2);
  EXPECT_TRUE(no_key.envelope.empty());

  // What countersign signs must be a provgate report under the in-toto payload type.
  SignResult statement =
      SignStatement(R"({"_type":"https://in-toto.io/Statement/v1"})", Key("lab"));
  CountersignResult other = Countersigned(statement.envelope, "auditor");
  EXPECT_EQ(other.ExitCode(), 1);
  EXPECT_EQ(other.existing.cause.rfind("not a compliance report", 0), 0u);
  std::string predicate = payload_;
  predicate.replace(predicate.find(kReportPredicateType), kReportPredicateType.size(),
                    "https://example.org/other/v1");
  CountersignResult other_predicate =
      Countersigned(SignStatement(predicate, Key("lab")).envelope, "auditor");
  EXPECT_EQ(other_predicate.ExitCode(), 1);
  EXPECT_NE(other_predicate.existing.cause.find("predicateType"), std::string::npos);
  // A signature over another payload type does not carry over, and that type is refused.
  json retyped = json::parse(envelope_);
  retyped["payloadType"] = "application/json";
  CountersignResult wrong_type = Countersigned(retyped.dump(), "auditor");
  EXPECT_EQ(wrong_type.ExitCode(), 1);
  EXPECT_EQ(wrong_type.existing.cause.rfind("wrong payload type", 0), 0u);

  // The untampered report is countersigned, and verifies with both keys and a threshold of 2.
  CountersignResult good = Countersigned(envelope_, "auditor");
  ASSERT_EQ(good.ExitCode(), 0) << good.existing.cause << good.status.message();
  EXPECT_EQ(Verify(good.envelope, {"lab", "auditor"}, 2).outcome, Outcome::kVerified);
}

// Whether the key signed already is decided by the signatures: a keyid is only a hint, and a
// signature with none (or another tool's) is still this key's.
TEST_P(SignedReportTest, CountersignRecognisesItsKeyWithoutTheKeyId) {
  CountersignResult two = Countersigned(envelope_, "auditor");
  ASSERT_EQ(two.ExitCode(), 0);
  json doc = json::parse(two.envelope);
  doc["signatures"][1].erase("keyid");
  CountersignResult again = Countersigned(doc.dump(), "auditor");
  EXPECT_EQ(again.ExitCode(), 2);
  EXPECT_NE(again.status.message().find("already signed"), std::string::npos);
  doc["signatures"][1]["keyid"] = "someone-else";
  EXPECT_EQ(Countersigned(doc.dump(), "auditor").ExitCode(), 2);
}

// A member twice in one object: simdjson (and so provgate, before) reads the first, Python's
// json and jq read the last. Validly signed, such a statement says "compliant" to one reader
// and "non-compliant" to another; it is refused wherever the repeated name is.
TEST_P(SignedReportTest, StatementsWithARepeatedMemberAreRefused) {
  ASSERT_NE(payload_.find("\"verdict\":\"compliant\""), std::string::npos);
  struct Case {
    std::string from, to, pointer;
  };
  std::string big = "\"x-big\":{";
  for (int i = 0; i < 40; ++i) big += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  big += "\"k7\":0},\"verdict\"";
  for (const Case& c : std::vector<Case>{
           {"\"verdict\":\"compliant\"", "\"verdict\":\"non-compliant\",\"verdict\":\"compliant\"",
            "/predicate/verdict"},
           {"\"verdict\":\"compliant\"", "\"verdict\":\"compliant\",\"verd\\u0069ct\":\"x\"",
            "/predicate/verdict"},
           {"\"name\":\"provgate\"", "\"name\":\"provgate\",\"name\":\"other\"",
            "/predicate/tool/name"},
           {"\"_type\":", "\"predicateType\":\"x\",\"_type\":", "/predicateType"},
           {"\"digest\":{\"sha256\":", "\"digest\":{\"sha256\":\"0\",\"sha256\":",
            "/subject/0/digest/sha256"},
           {"\"verdict\"", big, "/predicate/x-big/k7"},
       }) {
    std::string payload = payload_;
    std::size_t at = payload.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    payload.replace(at, c.from.size(), c.to);
    SignResult signed_payload = SignStatement(payload, Key("lab"));
    ASSERT_TRUE(signed_payload.status.ok());
    VerifyResult result = Verify(signed_payload.envelope, {"lab"});
    EXPECT_EQ(result.outcome, Outcome::kFailed) << c.to;
    EXPECT_EQ(result.ExitCode(), 1);
    EXPECT_EQ(result.cause.rfind(
                  "duplicate key: the signed statement has the member " + c.pointer + " twice", 0),
              0u)
        << result.cause;
    EXPECT_TRUE(result.signers.empty());
    CountersignResult countersigned = Countersigned(signed_payload.envelope, "auditor");
    EXPECT_EQ(countersigned.ExitCode(), 1);
    EXPECT_EQ(countersigned.existing.cause.rfind("duplicate key", 0), 0u);
  }
}

// The same in the envelope or the bundle around the statement: malformed, at its pointer.
TEST_P(SignedReportTest, EnvelopesWithARepeatedMemberAreMalformed) {
  BundleResult rendered = RenderSigstoreBundle(envelope_);
  ASSERT_TRUE(rendered.status.ok()) << rendered.status.message();
  const std::string& bundle = rendered.bundle;
  struct Case {
    std::string text, from, to, pointer;
  };
  json doc = json::parse(envelope_);
  std::string compact = doc.dump();
  std::string sig = doc["signatures"][0]["sig"];
  std::string compact_bundle = json::parse(bundle).dump();
  for (const Case& c : std::vector<Case>{
           {compact, "{\"payload\"", "{\"payloadType\":\"x\",\"payload\"", "/payloadType"},
           {compact, "\"sig\":", "\"sig\":\"" + sig + "\",\"sig\":", "/signatures/0/sig"},
           {compact, "\"keyid\":", "\"keyid\":\"a\",\"keyid\":", "/signatures/0/keyid"},
           {compact_bundle, "\"tlogEntries\":", "\"tlogEntries\":[],\"tlogEntries\":",
            "/verificationMaterial/tlogEntries"},
           {compact_bundle, "\"mediaType\":", "\"mediaType\":\"x\",\"mediaType\":", "/mediaType"},
       }) {
    std::string text = c.text;
    std::size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, c.from.size(), c.to);
    VerifyResult result = Verify(text, {"lab"});
    EXPECT_EQ(result.outcome, Outcome::kInvalidInput) << text;
    EXPECT_EQ(
        result.cause.rfind("malformed envelope: " + c.pointer + ": the member appears twice", 0),
        0u)
        << result.cause;
    EXPECT_EQ(Countersigned(text, "auditor").ExitCode(), 2);
  }
}

INSTANTIATE_TEST_SUITE_P(Keys, SignedReportTest,
                         testing::Values(KeyType::kEcdsaP256, KeyType::kEd25519),
                         [](const auto& info) {
                           return info.param == KeyType::kEd25519 ? "Ed25519" : "EcdsaP256";
                         });

TEST(SignedReport, MalformedEnvelopesAreInvalidInputWithThePointer) {
  testing_support::ScratchDir dir;
  ASSERT_TRUE(GenerateKeyFiles(dir.path() + "/k", KeyType::kEd25519).status.ok());
  VerifyOptions options;
  options.key_paths = {dir.path() + "/k.pub"};
  struct Case {
    const char* text;
    const char* cause;
  };
  for (const Case& c : std::vector<Case>{
           {"", "malformed envelope: not JSON"},
           {"[]", "malformed envelope: expected a JSON object"},
           {R"({"payload":"e30="})", "malformed envelope: /payloadType: missing"},
           {R"({"payloadType":1,"payload":"e30="})", "malformed envelope: /payloadType: expected"},
           {R"({"payloadType":"t","payload":"*"})",
            "malformed envelope: /payload: expected base64"},
           {R"({"payloadType":"t","payload":"e30="})", "malformed envelope: /signatures: expected"},
           {R"({"payloadType":"t","payload":"e30=","signatures":[]})",
            "malformed envelope: /signatures: expected a non-empty array"},
           {R"({"payloadType":"t","payload":"e30=","signatures":[{"keyid":"x"}]})",
            "malformed envelope: /signatures/0/sig: missing"},
           {R"({"payloadType":"t","payload":"e30=","signatures":[{"sig":"!!"}]})",
            "malformed envelope: /signatures/0/sig: expected a base64 signature"},
           {R"({"mediaType":"x"})", "malformed envelope: /mediaType: expected"},
       }) {
    VerifyResult result = VerifyEnvelope(c.text, options);
    EXPECT_EQ(result.outcome, Outcome::kInvalidInput) << c.text;
    EXPECT_EQ(result.cause.rfind(c.cause, 0), 0u) << c.text << " -> " << result.cause;
  }
}

TEST(SignedReport, KeyFilesAreCheckedBeforeUse) {
  testing_support::ScratchDir dir;
  ASSERT_TRUE(GenerateKeyFiles(dir.path() + "/k", KeyType::kEcdsaP256).status.ok());
  std::string key = dir.path() + "/k.key";
  EXPECT_TRUE(CheckPrivateKeyFile(key).ok());
  // Readable by others: refused, and the message says how to fix it.
  ASSERT_EQ(chmod(key.c_str(), 0644), 0);
  Status loose = CheckPrivateKeyFile(key);
  EXPECT_EQ(loose.code(), Status::Code::kIoError);
  EXPECT_NE(loose.message().find("chmod 600"), std::string::npos) << loose.message();
  EXPECT_EQ(SignStatement("{}", key).status.code(), Status::Code::kIoError);
  ASSERT_EQ(chmod(key.c_str(), 0600), 0);
  // A public key is not a signing key, and a private key is not a verification key.
  EXPECT_NE(CheckPrivateKeyFile(dir.path() + "/k.pub").message().find("public key"),
            std::string::npos);
  VerifyOptions options;
  options.key_paths = {key};
  EXPECT_EQ(VerifyEnvelope("{}", options).outcome, Outcome::kOperational);
  EXPECT_EQ(CheckPrivateKeyFile(dir.path() + "/absent.key").code(), Status::Code::kIoError);
  // Not a key at all; the message never echoes the file's content.
  std::string junk = dir.Write("junk.key", "secret-looking text");
  ASSERT_EQ(chmod(junk.c_str(), 0600), 0);
  Status status = CheckPrivateKeyFile(junk);
  EXPECT_EQ(status.code(), Status::Code::kIoError);
  EXPECT_EQ(status.message().find("secret-looking"), std::string::npos);
}

// The DSSE specification's test vectors (tests/data/dsse), with Ed25519 keys from RFC 8032.
TEST(SignedReport, DsseSpecificationVectors) {
  json vectors = json::parse(ReadAll(std::string(PROVGATE_TEST_DATA) + "/data/dsse/vectors.json"));
  testing_support::ScratchDir dir;
  std::map<std::string, std::string> key_files;
  for (const auto& [name, key] : vectors["keys"].items()) {
    // SubjectPublicKeyInfo of an Ed25519 key: a fixed DER prefix, then the 32 key bytes.
    std::string der("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12);
    std::string hex = key["public"];
    for (std::size_t i = 0; i < hex.size(); i += 2) {
      der += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    }
    key_files[name] =
        dir.Write(name + ".pub", "-----BEGIN PUBLIC KEY-----\n" + detail::Base64Encode(der) +
                                     "\n-----END PUBLIC KEY-----\n");
  }
  int checked = 0;
  for (const auto& v : vectors["vectors"]) {
    SCOPED_TRACE(v["id"].get<std::string>());
    std::vector<KeySource> keys;
    for (const auto& name : v["trustedKeys"]) {
      keys.push_back(KeySource::File(key_files[name.get<std::string>()]));
    }
    std::vector<std::string> types = v["supportedPayloadTypes"];
    VerifyResult result =
        detail::VerifyDsse(v["envelope"].dump(), keys, v["threshold"].get<int>(), types).result;
    EXPECT_EQ(result.outcome == Outcome::kVerified, v["expect"] == "accept") << result.cause;
    // The pre-authentication encoding the vector states.
    std::string decoded;
    detail::Base64Decode(v["envelope"]["payload"].get<std::string>(), decoded);
    std::string pae_hex;
    static const char* kHex = "0123456789abcdef";
    std::string type = v["id"] == "payload-type-swapped"
                           ? std::string(kInTotoPayloadType)
                           : v["envelope"]["payloadType"].get<std::string>();
    for (unsigned char c : detail::PreAuthEncoding(type, decoded)) {
      pae_hex += kHex[c >> 4];
      pae_hex += kHex[c & 15];
    }
    EXPECT_EQ(pae_hex, v["pae"]);
    ++checked;
  }
  EXPECT_EQ(checked, 9);
}

}  // namespace
}  // namespace provgate

namespace provgate {
namespace {

// The statement is written straight in canonical form; it must be exactly what RFC 8785
// canonicalization of the same statement built as a document gives, for every example (and
// for counts beyond 2^53, which become the nearest double).
TEST(SignedReport, StatementIsTheCanonicalFormOfTheReport) {
  std::vector<std::string> manifests;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(PROVGATE_SOURCE_DIR) + "/examples")) {
    std::string path = (entry.path() / "manifest.json").string();
    if (std::filesystem::exists(path)) manifests.push_back(path);
  }
  testing_support::ScratchDir dir;
  manifests.push_back(dir.Write("big.json", R"({"manifest_version": "1",
    "model": {"id": "m/\u00e9t\u00e9", "release": {"weights": "closed"}},
    "sources": [{"id": "a\u00fc\"\\", "kind": "code", "permission": {"basis": "first-party"},
                 "size": {"tokens": 18446744073709551615}},
                {"id": "b", "kind": "code", "permission": {"basis": "first-party"},
                 "size": {"tokens": 9007199254740993}}]})"));
  ASSERT_GE(manifests.size(), 10u);
  for (const std::string& path : manifests) {
    SCOPED_TRACE(path);
    CheckOptions options;
    options.collect_artifacts = true;
    options.date = "2026-11-01";
    CheckResult result = Check(path, options);
    ASSERT_LT(result.ExitCode(), 2);
    json subjects = json::array();
    subjects.push_back({{"name", std::filesystem::path(path).filename().string()},
                        {"digest", {{"sha256", result.report.manifest_sha256}}}});
    if (result.report.sources_path) {
      subjects.push_back(
          {{"name", "sources.jsonl"}, {"digest", {{"sha256", *result.report.sources_sha256}}}});
    }
    for (const Artifact& a : result.report.artifacts) {
      subjects.push_back({{"name", a.name}, {"digest", {{"sha256", a.sha256}}}});
    }
    json statement = {{"_type", kStatementType},
                      {"subject", subjects},
                      {"predicateType", kReportPredicateType},
                      {"predicate", json::parse(RenderJsonReport(result.report))}};
    std::string expected;
    std::string error;
    ASSERT_TRUE(detail::CanonicalizeValue(statement, expected, error)) << error;
    EXPECT_EQ(RenderStatement(result.report), expected);
  }
}

}  // namespace
}  // namespace provgate
