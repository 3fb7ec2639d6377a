// DSSE envelopes in their JSON form: read (alone, or from the Sigstore bundle that carries
// one), written again byte for byte, and the pre-authentication encoding that their
// signatures cover.
#ifndef PROVGATE_ATTEST_ENVELOPE_H_
#define PROVGATE_ATTEST_ENVELOPE_H_

#include <string>
#include <string_view>
#include <vector>

namespace provgate::detail {

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

// DSSE pre-authentication encoding: "DSSEv1 <len(type)> <type> <len(body)> <body>".
std::string PreAuthEncoding(std::string_view payload_type, std::string_view payload);

// Reads `text` as a DSSE envelope in its JSON form, or as a Sigstore bundle carrying one,
// into `out` (whose keep_base64 the caller sets). The whole text is validated first, and a
// member name twice in one object anywhere is refused. On failure `error` names the JSON
// pointer and what was expected.
bool ParseEnvelope(std::string_view text, Envelope& out, std::string& error);

// The envelope's JSON form: the members in a fixed order, one signature per line, ending in
// a newline.
std::string SerializeEnvelope(const Envelope& envelope);

}  // namespace provgate::detail

#endif  // PROVGATE_ATTEST_ENVELOPE_H_
