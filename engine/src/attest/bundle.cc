// Sigstore bundles v0.3: one written around a signed envelope, and the envelope found in one.
#include "attest/bundle.h"

#include "attest/envelope.h"
#include "json/json_writer.h"
#include "provgate/attest.h"

namespace provgate {
namespace detail {

BundleForm FindBundledEnvelope(simdjson::dom::object root, simdjson::dom::object& envelope,
                               std::string& error) {
  // A bundle names its media type; its envelope is the member dsseEnvelope.
  simdjson::dom::element media;
  if (root.at_key("mediaType").get(media) != simdjson::SUCCESS) return BundleForm::kNotABundle;
  std::string_view type;
  if (media.get_string().get(type) != simdjson::SUCCESS || type != kBundleMediaType) {
    error = "/mediaType: expected " + std::string(kBundleMediaType);
    return BundleForm::kMalformed;
  }
  if (root.at_key(kBundleEnvelopeMember).get_object().get(envelope) != simdjson::SUCCESS) {
    error = "/" + std::string(kBundleEnvelopeMember) + ": expected the DSSE envelope of the bundle";
    return BundleForm::kMalformed;
  }
  return BundleForm::kBundle;
}

}  // namespace detail

BundleResult RenderSigstoreBundle(std::string_view text) {
  BundleResult result;
  detail::Envelope envelope;
  std::string error;
  if (!detail::ParseEnvelope(text, envelope, error)) {
    result.status = Status::InvalidArgument("malformed envelope: " + error);
    return result;
  }
  if (envelope.signatures.size() != 1) {
    result.status = Status::InvalidArgument(
        "a Sigstore bundle carries exactly one signature; the envelope has " +
        std::to_string(envelope.signatures.size()));
    return result;
  }
  const auto& sig = envelope.signatures.front();
  // Members in name order, as Sigstore's own tools write them.
  detail::JsonWriter w(result.bundle);
  w.BeginObject();
  w.Key(detail::kBundleEnvelopeMember);
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
  w.Member("mediaType", detail::kBundleMediaType);
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
  return result;
}

Status RenderSigstoreBundle(std::string_view text, std::string& out) {
  BundleResult result = RenderSigstoreBundle(text);
  if (result.status.ok()) out = std::move(result.bundle);
  return result.status;
}

}  // namespace provgate
