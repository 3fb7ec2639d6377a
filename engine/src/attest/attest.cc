// Signed reports: the in-toto statement, DSSE envelopes, Sigstore bundles and verification.
#include "provgate/attest.h"

#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "attest/dsse.h"
#include "attest/envelope.h"
#include "attest/jcs.h"
#include "attest/keys.h"
#include "common/base64.h"
#include "crypto/sha256.h"
#include "report/json_writer.h"

namespace provgate {
namespace {

using nlohmann::json;

constexpr std::string_view kBundleMediaType = "application/vnd.dev.sigstore.bundle.v0.3+json";

// A DSSE envelope as read: the base64 texts kept as written, so that countersigning leaves
// them byte for byte, and their decoded bytes.
struct Envelope {
  bool keep_base64 = true;  // Keep payload_b64 (to write the envelope again); verify does not.
  std::string payload_type;
  std::string payload_b64;
  std::string payload;
  struct Signature {
    std::string keyid;
    std::string sig_b64;
    std::string sig;
  };
  std::vector<Signature> signatures;
  bool from_bundle = false;
};

// Envelopes and statements are read with simdjson's DOM parser: the whole text is validated
// before anything is looked at, so malformed JSON is always an error and never met halfway.
namespace dom = simdjson::dom;

// Reads the members of a DSSE envelope object at `base` (a JSON pointer prefix).
bool ReadEnvelopeObject(dom::object object, const std::string& base, Envelope& out,
                        std::string& error) {
  std::set<std::string_view> seen;
  bool has_type = false, has_payload = false, has_signatures = false;
  for (dom::key_value_pair field : object) {
    std::string pointer = base + "/" + std::string(field.key);
    if (!seen.insert(field.key).second) {
      error = pointer + ": the member appears twice";
      return false;
    }
    std::string_view text;
    if (field.key == "payloadType") {
      if (field.value.get_string().get(text) != simdjson::SUCCESS) {
        error = pointer + ": expected a string";
        return false;
      }
      out.payload_type = std::string(text);
      has_type = true;
    } else if (field.key == "payload") {
      if (field.value.get_string().get(text) != simdjson::SUCCESS) {
        error = pointer + ": expected a string";
        return false;
      }
      if (!detail::Base64Decode(text, out.payload)) {
        error = pointer + ": expected base64";
        return false;
      }
      if (out.keep_base64) out.payload_b64 = std::string(text);
      has_payload = true;
    } else if (field.key == "signatures") {
      dom::array array;
      if (field.value.get_array().get(array) != simdjson::SUCCESS) {
        error = pointer + ": expected a non-empty array";
        return false;
      }
      std::size_t index = 0;
      for (dom::element element : array) {
        std::string at = pointer + "/" + std::to_string(index++);
        dom::object sig_object;
        if (element.get_object().get(sig_object) != simdjson::SUCCESS) {
          error = at + ": expected an object with sig and keyid";
          return false;
        }
        Envelope::Signature sig;
        bool has_sig = false;
        for (dom::key_value_pair member : sig_object) {
          if (member.key != "sig" && member.key != "keyid") continue;
          if (member.value.get_string().get(text) != simdjson::SUCCESS) {
            error = at + "/" + std::string(member.key) + ": expected a string";
            return false;
          }
          if (member.key == "keyid") {
            sig.keyid = std::string(text);
          } else {
            sig.sig_b64 = std::string(text);
            has_sig = true;
          }
        }
        if (!has_sig) {
          error = at + "/sig: missing; expected a string";
          return false;
        }
        if (!detail::Base64Decode(sig.sig_b64, sig.sig) || sig.sig.empty()) {
          error = at + "/sig: expected a base64 signature";
          return false;
        }
        out.signatures.push_back(std::move(sig));
      }
      if (out.signatures.empty()) {
        error = pointer + ": expected a non-empty array";
        return false;
      }
      has_signatures = true;
    }
  }
  if (!has_type) error = base + "/payloadType: missing; expected a string";
  if (has_type && !has_payload) error = base + "/payload: missing; expected a string";
  if (has_type && has_payload && !has_signatures) {
    error = base + "/signatures: expected a non-empty array";
  }
  return has_type && has_payload && has_signatures;
}

// Reads `text` as a DSSE envelope in its JSON form, or as a Sigstore bundle carrying one.
// On failure `error` names the JSON pointer and what was expected.
bool ParseEnvelope(std::string_view text, Envelope& out, std::string& error) {
  dom::parser parser;
  dom::element doc;
  {
    simdjson::padded_string padded(text);
    if (auto e = parser.parse(padded).get(doc); e != simdjson::SUCCESS) {
      error = std::string("not JSON: ") + simdjson::error_message(e);
      return false;
    }
  }
  dom::object root;
  if (doc.get_object().get(root) != simdjson::SUCCESS) {
    error = "expected a JSON object (a DSSE envelope)";
    return false;
  }
  // A bundle names its media type; its envelope is the member dsseEnvelope.
  dom::element media;
  if (root.at_key("mediaType").get(media) == simdjson::SUCCESS) {
    std::string_view type;
    if (media.get_string().get(type) != simdjson::SUCCESS || type != kBundleMediaType) {
      error = "/mediaType: expected " + std::string(kBundleMediaType);
      return false;
    }
    dom::object envelope;
    if (root.at_key("dsseEnvelope").get_object().get(envelope) != simdjson::SUCCESS) {
      error = "/dsseEnvelope: expected the DSSE envelope of the bundle";
      return false;
    }
    out.from_bundle = true;
    return ReadEnvelopeObject(envelope, "/dsseEnvelope", out, error);
  }
  return ReadEnvelopeObject(root, "", out, error);
}

// The envelope's JSON form: the members in a fixed order, one signature per line.
// The envelope's JSON form: the members in a fixed order, one signature per line. Base64 text
// (checked when read, or made here) needs no escaping.
std::string SerializeEnvelope(const Envelope& envelope) {
  std::string out;
  out.reserve(envelope.payload_b64.size() + 256 + envelope.signatures.size() * 256);
  out += "{\n  \"payloadType\": ";
  out += json(envelope.payload_type).dump();
  out += ",\n  \"payload\": \"";
  out += envelope.payload_b64;
  out += "\",\n  \"signatures\": [";
  for (std::size_t i = 0; i < envelope.signatures.size(); ++i) {
    const auto& s = envelope.signatures[i];
    out += i == 0 ? "\n    {" : ",\n    {";
    if (!s.keyid.empty()) out += "\"keyid\": " + json(s.keyid).dump() + ", ";
    out += "\"sig\": \"" + s.sig_b64 + "\"}";
  }
  out += "\n  ]\n}\n";
  return out;
}

void AddSignature(Envelope& envelope, const detail::SigningKey& key) {
  Envelope::Signature sig;
  sig.keyid = key.KeyId();
  sig.sig = key.Sign(detail::PreAuthEncoding(envelope.payload_type, envelope.payload));
  sig.sig_b64 = detail::Base64Encode(sig.sig);
  envelope.signatures.push_back(std::move(sig));
}

// Reads a whole file; `missing` tells a file that does not exist (invalid input) from one
// that cannot be read (an operational failure).
bool ReadFile(const std::string& path, std::string& out, std::string& error, bool& missing) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    missing = true;
    error = path + " is a directory, not a file";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    missing = errno == ENOENT;
    error = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    error = "cannot read " + path;
    return false;
  }
  out = buffer.str();
  return true;
}

// Reads what `verify` shows from the statement `payload` into `result`; returns why it is not
// a provgate compliance report, or an empty string.
std::string ReadStatement(const std::string& payload, VerifyResult& result) {
  dom::parser parser;
  dom::element doc;
  dom::object statement;
  if (parser.parse(payload).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(statement) != simdjson::SUCCESS) {
    return "the signed payload is not a JSON object";
  }
  auto text = [](dom::object object, std::string_view key, std::string& out) {
    std::string_view value;
    if (object.at_key(key).get_string().get(value) != simdjson::SUCCESS) return false;
    out = std::string(value);
    return true;
  };
  std::string type, predicate_type;
  if (!text(statement, "_type", type) || type != kStatementType) {
    return "the payload is not an in-toto Statement v1 (_type " + std::string(kStatementType) + ")";
  }
  text(statement, "predicateType", predicate_type);
  if (predicate_type != kReportPredicateType) {
    return "predicateType is '" + predicate_type + "', expected '" +
           std::string(kReportPredicateType) + "'";
  }
  const std::string kLacks = "the statement lacks the manifest subject or the report";
  dom::array subjects;
  dom::object first, digest, predicate, object;
  if (statement.at_key("subject").get_array().get(subjects) != simdjson::SUCCESS ||
      subjects.begin() == subjects.end() ||
      (*subjects.begin()).get_object().get(first) != simdjson::SUCCESS ||
      first.at_key("digest").get_object().get(digest) != simdjson::SUCCESS ||
      !text(digest, "sha256", result.manifest_sha256) ||
      statement.at_key("predicate").get_object().get(predicate) != simdjson::SUCCESS) {
    return kLacks;
  }
  text(first, "name", result.manifest_name);
  result.subjects = subjects.size();
  std::string report_manifest;
  if (predicate.at_key("manifest").get_object().get(object) != simdjson::SUCCESS ||
      !text(object, "sha256", report_manifest)) {
    return kLacks;
  }
  if (report_manifest != result.manifest_sha256 || result.manifest_sha256.empty()) {
    return "the manifest subject and the report's manifest digest differ";
  }
  if (predicate.at_key("model").get_object().get(object) != simdjson::SUCCESS) return kLacks;
  text(object, "id", result.model_id);
  text(object, "weights", result.weights);
  text(object, "effective_weights", result.effective_weights);
  bool tainted = false;
  if (object.at_key("tainted").get_bool().get(tainted) == simdjson::SUCCESS) {
    result.tainted = tainted;
  }
  text(object, "taint_chain", result.taint_chain);
  text(predicate, "verdict", result.verdict);
  dom::array findings;
  if (predicate.at_key("findings").get_array().get(findings) == simdjson::SUCCESS) {
    result.findings = findings.size();
  }
  if (predicate.at_key("tool").get_object().get(object) == simdjson::SUCCESS) {
    text(object, "version", result.tool_version);
  }
  if (predicate.at_key("policy").get_object().get(object) == simdjson::SUCCESS) {
    text(object, "name", result.policy_name);
    text(object, "version", result.policy_version);
    text(object, "profile", result.policy_profile);
    text(object, "sha256", result.policy_sha256);
  }
  return "";
}

}  // namespace

std::string RenderStatement(const Report& report) {
  // Written straight in canonical form: a report of hundreds of megabytes is neither parsed
  // back nor held as a document tree.
  std::string out;
  out.reserve(4096 + report.findings.size() * 600 + report.obligations.size() * 200 +
              report.artifacts.size() * 120);
  detail::JsonWriter w(out, detail::JsonWriter::Canonical{});
  w.BeginObject();
  w.Member("_type", kStatementType);
  w.Key("subject");
  w.BeginArray();
  // The manifest and its side file come first; the artifacts, already without repeats, follow
  // unless one of them is the manifest or the side file again.
  std::vector<std::pair<std::string, std::string>> first;
  auto add = [&](const std::string& name, const std::string& sha256) {
    if (std::find(first.begin(), first.end(), std::pair{name, sha256}) != first.end()) return;
    w.BeginObject();
    w.Member("name", name);
    w.Key("digest");
    w.BeginObject();
    w.Member("sha256", sha256);
    w.EndObject();
    w.EndObject();
  };
  std::filesystem::path manifest(report.manifest_path);
  add(manifest.filename().string(), report.manifest_sha256);
  first.emplace_back(manifest.filename().string(), report.manifest_sha256);
  if (report.sources_path && report.sources_sha256) {
    std::string name = std::filesystem::path(*report.sources_path)
                           .lexically_relative(manifest.parent_path())
                           .string();
    add(name, *report.sources_sha256);
    first.emplace_back(name, *report.sources_sha256);
  }
  for (const Artifact& a : report.artifacts) add(a.name, a.sha256);
  w.EndArray();
  w.Member("predicateType", kReportPredicateType);
  w.Key("predicate");
  detail::WriteReport(report, w);
  w.EndObject();
  return out;
}

Status CheckPrivateKeyFile(const std::string& key_path) {
  detail::SigningKey key;
  return detail::LoadPrivateKeyFile(key_path, key);
}

SignResult SignStatement(std::string_view payload, const std::string& key_path) {
  SignResult result;
  detail::SigningKey key;
  result.status = detail::LoadPrivateKeyFile(key_path, key);
  if (!result.status.ok()) return result;
  Envelope envelope;
  envelope.payload_type = std::string(kInTotoPayloadType);
  Envelope::Signature sig;
  sig.keyid = key.KeyId();
  sig.sig = key.Sign(detail::PreAuthEncoding(envelope.payload_type, payload));
  sig.sig_b64 = detail::Base64Encode(sig.sig);
  envelope.signatures.push_back(std::move(sig));
  envelope.payload_b64 = detail::Base64Encode(payload);
  result.key_id = key.KeyId();
  result.envelope = SerializeEnvelope(envelope);
  return result;
}

SignResult Countersign(std::string_view text, const std::string& key_path) {
  SignResult result;
  Envelope envelope;
  std::string error;
  if (!ParseEnvelope(text, envelope, error)) {
    result.status = Status::InvalidArgument("malformed envelope: " + error);
    return result;
  }
  if (envelope.from_bundle) {
    result.status = Status::InvalidArgument(
        "countersign takes a DSSE envelope; a Sigstore bundle carries exactly one signature");
    return result;
  }
  detail::SigningKey key;
  result.status = detail::LoadPrivateKeyFile(key_path, key);
  if (!result.status.ok()) return result;
  result.key_id = key.KeyId();
  for (const auto& s : envelope.signatures) {
    if (s.keyid == result.key_id) {
      result.status =
          Status::InvalidArgument("the envelope is already signed by key " + result.key_id);
      return result;
    }
  }
  AddSignature(envelope, key);
  result.envelope = SerializeEnvelope(envelope);
  return result;
}

Status RenderSigstoreBundle(std::string_view text, std::string& out) {
  Envelope envelope;
  std::string error;
  if (!ParseEnvelope(text, envelope, error)) {
    return Status::InvalidArgument("malformed envelope: " + error);
  }
  if (envelope.signatures.size() != 1) {
    return Status::InvalidArgument(
        "a Sigstore bundle carries exactly one signature; the envelope has " +
        std::to_string(envelope.signatures.size()));
  }
  const auto& sig = envelope.signatures.front();
  // Members in name order, as Sigstore's own tools write them.
  out.clear();
  detail::JsonWriter w(out);
  w.BeginObject();
  w.Key("dsseEnvelope");
  w.BeginObject();
  w.Member("payload", envelope.payload_b64);
  w.Member("payloadType", envelope.payload_type);
  w.Key("signatures");
  w.BeginArray();
  w.BeginObject();
  if (!sig.keyid.empty()) w.Member("keyid", sig.keyid);
  w.Member("sig", sig.sig_b64);
  w.EndObject();
  w.EndArray();
  w.EndObject();
  w.Member("mediaType", kBundleMediaType);
  w.Key("verificationMaterial");
  w.BeginObject();
  w.Key("publicKey");
  w.BeginObject();
  w.Member("hint", sig.keyid);
  w.EndObject();
  w.Key("tlogEntries");
  w.BeginArray();
  w.EndArray();
  w.EndObject();
  w.EndObject();
  w.Raw("\n");
  return Status::Ok();
}

std::string RenderVerifyJson(const VerifyResult& r) {
  std::string out;
  detail::JsonWriter w(out);
  w.BeginObject();
  w.Member("verified", r.outcome == VerifyResult::Outcome::kVerified);
  w.Member("exit_code", static_cast<std::uint64_t>(r.ExitCode()));
  w.Member("cause", r.cause);
  w.Member("bundle", r.is_bundle);
  w.Member("payload_sha256", r.payload_sha256);
  w.Key("signers");
  w.BeginArray();
  for (const auto& signer : r.signers) {
    w.BeginObject();
    w.Member("key_id", signer.key_id);
    w.Member("key", signer.key_path);
    w.EndObject();
  }
  w.EndArray();
  w.Key("rejected");
  w.BeginArray();
  for (const auto& rejected : r.rejected) w.String(rejected);
  w.EndArray();
  w.Key("manifest");
  w.BeginObject();
  w.Member("name", r.manifest_name);
  w.Member("sha256", r.manifest_sha256);
  w.EndObject();
  w.Member("subjects", r.subjects);
  w.Key("model");
  w.BeginObject();
  w.Member("id", r.model_id);
  w.Member("weights", r.weights);
  w.Member("effective_weights", r.effective_weights);
  w.Member("tainted", r.tainted);
  if (!r.taint_chain.empty()) w.Member("taint_chain", r.taint_chain);
  w.EndObject();
  w.Member("verdict", r.verdict);
  w.Member("findings", r.findings);
  w.Key("policy");
  w.BeginObject();
  w.Member("name", r.policy_name);
  w.Member("version", r.policy_version);
  w.Member("profile", r.policy_profile);
  w.Member("sha256", r.policy_sha256);
  w.EndObject();
  w.Member("tool_version", r.tool_version);
  w.EndObject();
  w.Raw("\n");
  return out;
}

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

namespace detail {

VerifyResult VerifyDsse(std::string_view text, const std::vector<std::string>& key_paths,
                        int threshold, const std::vector<std::string>& payload_types,
                        std::string& payload) {
  using Outcome = VerifyResult::Outcome;
  VerifyResult result;
  auto fail = [&](Outcome outcome, std::string cause) {
    result.outcome = outcome;
    result.cause = std::move(cause);
    result.signers.clear();
    return result;
  };

  // The keys, each once (the same key given twice counts once).
  struct Trusted {
    SigningKey key;
    std::string id;
    std::string path;
  };
  std::vector<Trusted> keys;
  for (const std::string& path : key_paths) {
    SigningKey key;
    Status status = LoadPublicKeyFile(path, key);
    if (!status.ok()) return fail(Outcome::kOperational, "key file: " + status.message());
    std::string id = key.KeyId();
    bool repeat = false;
    for (const auto& k : keys) repeat = repeat || k.id == id;
    if (!repeat) keys.push_back({std::move(key), std::move(id), path});
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
                                (named >= 0 ? keys[named].path : "any of the given keys"));
    } else {
      result.rejected.push_back(label + ": signed by a key that is not among the given keys");
    }
  }
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (signed_by[k]) result.signers.push_back({keys[k].id, keys[k].path});
  }
  if (result.signers.size() < static_cast<std::size_t>(threshold)) {
    std::string detail = result.rejected.empty() ? "" : ": " + result.rejected.front();
    if (!result.signers.empty()) {
      return fail(Outcome::kFailed, "threshold not met: " + std::to_string(result.signers.size()) +
                                        " of the " + std::to_string(threshold) +
                                        " required keys signed" + detail);
    }
    if (!named_key_failed && !anonymous_failed) {
      return fail(Outcome::kFailed,
                  "unknown key: no signature is by a key given to verify with" + detail);
    }
    // provgate signs canonical JSON: a payload that is not canonical was altered after
    // signing. A canonical one may still have been altered; the signature cannot say which.
    std::string canonical;
    std::string ignored;
    if (!CanonicalizeJson(envelope.payload, canonical, ignored) || canonical != envelope.payload) {
      return fail(Outcome::kFailed,
                  "tampered payload: no signature matches it, and it is not the canonical JSON "
                  "that was signed" +
                      detail);
    }
    if (!named_key_failed) {
      // Without a keyid nothing tells a signature by another key from a damaged one.
      return fail(Outcome::kFailed,
                  "unknown key or bad signature: no given key verifies a signature that names "
                  "no key" +
                      detail);
    }
    return fail(Outcome::kFailed,
                "bad signature: the payload or the signature was altered after signing" + detail);
  }

  payload = std::move(envelope.payload);
  result.outcome = Outcome::kVerified;
  return result;
}

}  // namespace detail

VerifyResult VerifyEnvelope(std::string_view text, const VerifyOptions& options) {
  using Outcome = VerifyResult::Outcome;
  std::string payload;
  VerifyResult result = detail::VerifyDsse(text, options.key_paths, options.threshold,
                                           {std::string(kInTotoPayloadType)}, payload);
  if (result.outcome != Outcome::kVerified) return result;
  std::string error;
  auto fail = [&](Outcome outcome, std::string cause) {
    result.outcome = outcome;
    result.cause = std::move(cause);
    result.signers.clear();
    return result;
  };

  // The statement: an in-toto Statement v1 whose predicate is a provgate report. Read with
  // simdjson's On-Demand API: only the members shown are decoded, the findings are counted.
  if (std::string cause = ReadStatement(payload, result); !cause.empty()) {
    return fail(Outcome::kFailed, "not a compliance report: " + cause);
  }

  if (!options.manifest_path.empty()) {
    std::string bytes;
    bool missing = false;
    if (!ReadFile(options.manifest_path, bytes, error, missing)) {
      return fail(missing ? Outcome::kInvalidInput : Outcome::kOperational, error);
    }
    std::string digest = detail::Sha256Hex(bytes);
    if (digest != result.manifest_sha256) {
      return fail(Outcome::kFailed, "manifest mismatch: " + options.manifest_path + " has sha256 " +
                                        digest + "; the report covers " + result.manifest_name +
                                        " with sha256 " + result.manifest_sha256);
    }
  }
  result.outcome = Outcome::kVerified;
  return result;
}

VerifyResult VerifyEnvelopeFile(const std::string& path, const VerifyOptions& options) {
  std::string text;
  std::string error;
  bool missing = false;
  if (!ReadFile(path, text, error, missing)) {
    VerifyResult result;
    result.outcome =
        missing ? VerifyResult::Outcome::kInvalidInput : VerifyResult::Outcome::kOperational;
    result.cause = error;
    return result;
  }
  return VerifyEnvelope(text, options);
}

}  // namespace provgate
