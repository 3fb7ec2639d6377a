// Signed reports: the in-toto statement, DSSE envelopes, Sigstore bundles and verification.
#include "provgate/attest.h"

#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "attest/dsse.h"
#include "attest/envelope.h"
#include "json/jcs.h"
#include "attest/keys.h"
#include "common/base64.h"
#include "common/safe_file.h"
#include "crypto/sha256.h"
#include "json/json_writer.h"

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

// A JSON pointer segment for the member name `key` (RFC 6901: `~` is `~0`, `/` is `~1`).
std::string PointerSegment(std::string_view key) {
  std::string out = "/";
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

// Finds a member name that appears twice in one object, anywhere in `element`, and sets
// `pointer` to the second occurrence. simdjson keeps both members and answers lookups with
// the first; Python's json and jq take the last: a signed text with a repeated name says one
// thing to provgate and another to them, so it is refused wherever the name is. Depth is
// bounded by the parser (1024 levels); names are compared pairwise in small objects and
// sorted in large ones, so that no object costs more than n log n.
bool FindRepeatedName(dom::element element, std::string& pointer) {
  dom::object object;
  dom::array array;
  if (element.get_object().get(object) == simdjson::SUCCESS) {
    constexpr std::size_t kPairwise = 16;
    std::array<std::string_view, kPairwise> first;  // No allocation for objects this small.
    std::vector<std::string_view> all;
    std::size_t count = 0;
    for (dom::key_value_pair field : object) {
      if (count < kPairwise) {
        for (std::size_t i = 0; i < count; ++i) {
          if (first[i] == field.key) {
            pointer = PointerSegment(field.key);
            return true;
          }
        }
        first[count] = field.key;
      } else {
        if (all.empty()) all.assign(first.begin(), first.end());
        all.push_back(field.key);
      }
      ++count;
    }
    if (!all.empty()) {
      std::sort(all.begin(), all.end());
      auto repeated = std::adjacent_find(all.begin(), all.end());
      if (repeated != all.end()) {
        pointer = PointerSegment(*repeated);
        return true;
      }
    }
    for (dom::key_value_pair field : object) {
      if (FindRepeatedName(field.value, pointer)) {
        pointer = PointerSegment(field.key) + pointer;
        return true;
      }
    }
  } else if (element.get_array().get(array) == simdjson::SUCCESS) {
    std::size_t index = 0;
    for (dom::element item : array) {
      if (FindRepeatedName(item, pointer)) {
        pointer = "/" + std::to_string(index) + pointer;
        return true;
      }
      ++index;
    }
  }
  return false;
}

// Reads the members of a DSSE envelope object at `base` (a JSON pointer prefix).
bool ReadEnvelopeObject(dom::object object, const std::string& base, Envelope& out,
                        std::string& error) {
  bool has_type = false, has_payload = false, has_signatures = false;
  for (dom::key_value_pair field : object) {
    std::string pointer = base + PointerSegment(field.key);
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
  if (std::string pointer; FindRepeatedName(doc, pointer)) {
    error = pointer + ": the member appears twice (JSON readers disagree on which one counts)";
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

// Reads the file at `path` whole, for verification: opened without blocking, a regular file
// of at most `max_bytes`. On failure `outcome` says whose fault it is: a file that does not
// exist, is not a regular file or is too large is invalid input; anything else is operational.
bool ReadInputFile(const std::string& path, std::uint64_t max_bytes, std::string& out,
                   VerifyResult::Outcome& outcome, std::string& error) {
  detail::OpenedFile file = detail::OpenRegularFile(path, max_bytes);
  if (!file.ok()) {
    outcome = file.problem == detail::OpenProblem::kSystem ? VerifyResult::Outcome::kOperational
                                                           : VerifyResult::Outcome::kInvalidInput;
    error = "cannot read " + path + ": " + file.error;
    return false;
  }
  out.reserve(static_cast<std::size_t>(file.size));
  if (!detail::ReadAllFromFd(file.fd.get(), static_cast<std::size_t>(max_bytes), out, error)) {
    outcome = VerifyResult::Outcome::kOperational;
    error = "cannot read " + path + ": " + error;
    return false;
  }
  return true;
}

// The SHA-256 of the file at `path`, read in pieces (a manifest may be large); as
// ReadInputFile on failure.
bool HashInputFile(const std::string& path, std::string& digest, VerifyResult::Outcome& outcome,
                   std::string& error) {
  detail::OpenedFile file = detail::OpenRegularFile(path);
  if (!file.ok()) {
    outcome = file.problem == detail::OpenProblem::kSystem ? VerifyResult::Outcome::kOperational
                                                           : VerifyResult::Outcome::kInvalidInput;
    error = "cannot read " + path + ": " + file.error;
    return false;
  }
  detail::Sha256 hasher;
  std::string buffer(1 << 20, '\0');
  while (true) {
    ssize_t n = read(file.fd.get(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      outcome = VerifyResult::Outcome::kOperational;
      error = "cannot read " + path + ": " + std::strerror(errno);
      return false;
    }
    if (n == 0) break;
    hasher.Update(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
  }
  digest = hasher.HexDigest();
  return true;
}

// Reads what `verify` shows from the statement `payload` into `result`; returns why it cannot
// be taken as a provgate compliance report (the cause first), or an empty string.
std::string ReadStatement(const std::string& payload, VerifyResult& result) {
  const std::string kNotReport = "not a compliance report: ";
  dom::parser parser;
  dom::element doc;
  dom::object statement;
  if (parser.parse(payload).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(statement) != simdjson::SUCCESS) {
    return kNotReport + "the signed payload is not a JSON object";
  }
  if (std::string pointer; FindRepeatedName(doc, pointer)) {
    return "duplicate key: the signed statement has the member " + pointer +
           " twice, and JSON readers disagree on which one counts";
  }
  auto text = [](dom::object object, std::string_view key, std::string& out) {
    std::string_view value;
    if (object.at_key(key).get_string().get(value) != simdjson::SUCCESS) return false;
    out = std::string(value);
    return true;
  };
  std::string type, predicate_type;
  if (!text(statement, "_type", type) || type != kStatementType) {
    return kNotReport + "the payload is not an in-toto Statement v1 (_type " +
           std::string(kStatementType) + ")";
  }
  text(statement, "predicateType", predicate_type);
  if (predicate_type != kReportPredicateType) {
    return kNotReport + "predicateType is '" + predicate_type + "', expected '" +
           std::string(kReportPredicateType) + "'";
  }
  const std::string kLacks = kNotReport + "the statement lacks the manifest subject or the report";
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
    return kNotReport + "the manifest subject and the report's manifest digest differ";
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

  // The statement: an in-toto Statement v1 whose predicate is a provgate report, with no
  // member name twice in an object. Read with simdjson's DOM parser: only the members shown
  // are copied out, the findings are counted.
  if (std::string cause = ReadStatement(payload, result); !cause.empty()) {
    return fail(Outcome::kFailed, cause);
  }

  if (!options.manifest_path.empty()) {
    std::string digest;
    Outcome problem = Outcome::kOperational;
    if (!HashInputFile(options.manifest_path, digest, problem, error)) {
      return fail(problem, error);
    }
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
  VerifyResult result;
  if (!ReadInputFile(path, kMaxEnvelopeBytes, text, result.outcome, result.cause)) return result;
  return VerifyEnvelope(text, options);
}

int CountersignResult::ExitCode() const {
  if (existing.outcome != VerifyResult::Outcome::kVerified) return existing.ExitCode();
  if (status.ok()) return 0;
  return status.code() == Status::Code::kInvalidArgument || status.code() == Status::Code::kNotFound
             ? 2
             : 3;
}

CountersignResult Countersign(std::string_view text, const std::string& key_path,
                              const VerifyOptions& verify) {
  CountersignResult result;
  // What is about to be signed is verified first, exactly as `verify` would with these keys:
  // a countersignature vouches for the earlier ones.
  result.existing = VerifyEnvelope(text, verify);
  if (result.existing.outcome != VerifyResult::Outcome::kVerified) return result;
  if (result.existing.is_bundle) {
    result.status = Status::InvalidArgument(
        "countersign takes a DSSE envelope; a Sigstore bundle carries exactly one signature");
    return result;
  }
  Envelope envelope;
  std::string error;
  if (!ParseEnvelope(text, envelope, error)) {
    // VerifyEnvelope has parsed the same text.
    result.status = Status::Internal("malformed envelope: " + error);
    return result;
  }
  detail::SigningKey key;
  result.status = detail::LoadPrivateKeyFile(key_path, key);
  if (!result.status.ok()) return result;
  result.key_id = key.KeyId();
  // Whether this key signed already is decided by the signatures, not by their key ids.
  std::string pae = detail::PreAuthEncoding(envelope.payload_type, envelope.payload);
  for (std::size_t i = 0; i < envelope.signatures.size(); ++i) {
    if (key.Verify(pae, envelope.signatures[i].sig)) {
      result.status =
          Status::InvalidArgument("the envelope is already signed by key " + result.key_id +
                                  " (signature " + std::to_string(i + 1) + ")");
      return result;
    }
  }
  AddSignature(envelope, key);
  result.envelope = SerializeEnvelope(envelope);
  return result;
}

CountersignResult CountersignFile(const std::string& path, const std::string& key_path,
                                  const VerifyOptions& verify) {
  std::string text;
  CountersignResult result;
  if (!ReadInputFile(path, kMaxEnvelopeBytes, text, result.existing.outcome,
                     result.existing.cause)) {
    return result;
  }
  return Countersign(text, key_path, verify);
}

}  // namespace provgate
