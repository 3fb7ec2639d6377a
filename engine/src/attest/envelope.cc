// DSSE envelopes: the JSON form read (alone or from a bundle) and written, and PAE.
#include "attest/envelope.h"

#include <simdjson.h>

#include <nlohmann/json.hpp>

#include "attest/bundle.h"
#include "attest/json_names.h"
#include "common/base64.h"

namespace provgate::detail {
namespace {

// Envelopes are read with simdjson's DOM parser: the whole text is validated before anything
// is looked at, so malformed JSON is always an error and never met halfway.
namespace dom = simdjson::dom;

// `text` as a JSON string. Text read by simdjson is valid UTF-8; anything else would become
// U+FFFD rather than an exception.
std::string QuotedJson(std::string_view text) {
  return nlohmann::json(std::string(text))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
      if (!Base64Decode(text, out.payload)) {
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
        if (!Base64Decode(sig.sig_b64, sig.sig) || sig.sig.empty()) {
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

}  // namespace

std::string PreAuthEncoding(std::string_view payload_type, std::string_view payload) {
  std::string out = "DSSEv1 ";
  out += std::to_string(payload_type.size());
  out += ' ';
  out.append(payload_type);
  out += ' ';
  out += std::to_string(payload.size());
  out += ' ';
  out.append(payload);
  return out;
}

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
  dom::object envelope = root;
  std::string base;
  switch (FindBundledEnvelope(root, envelope, error)) {
    case BundleForm::kMalformed:
      return false;
    case BundleForm::kBundle:
      out.from_bundle = true;
      base = PointerSegment(kBundleEnvelopeMember);
      break;
    case BundleForm::kNotABundle:
      break;
  }
  return ReadEnvelopeObject(envelope, base, out, error);
}

// Base64 text (checked when read, or made here) needs no escaping.
std::string SerializeEnvelope(const Envelope& envelope) {
  std::string out;
  out.reserve(envelope.payload_b64.size() + 256 + envelope.signatures.size() * 256);
  out += "{\n  \"payloadType\": ";
  out += QuotedJson(envelope.payload_type);
  out += ",\n  \"payload\": \"";
  out += envelope.payload_b64;
  out += "\",\n  \"signatures\": [";
  for (std::size_t i = 0; i < envelope.signatures.size(); ++i) {
    const auto& s = envelope.signatures[i];
    out += i == 0 ? "\n    {" : ",\n    {";
    if (!s.keyid.empty()) out += "\"keyid\": " + QuotedJson(s.keyid) + ", ";
    out += "\"sig\": \"" + s.sig_b64 + "\"}";
  }
  out += "\n  ]\n}\n";
  return out;
}

}  // namespace provgate::detail
