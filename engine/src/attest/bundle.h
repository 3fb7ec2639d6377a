// Sigstore bundles v0.3 around a DSSE envelope: where the envelope sits when a bundle is read.
// RenderSigstoreBundle (provgate/attest.h) writes them.
#ifndef PROVGATE_ATTEST_BUNDLE_H_
#define PROVGATE_ATTEST_BUNDLE_H_

#include <simdjson.h>

#include <string>
#include <string_view>

namespace provgate::detail {

inline constexpr std::string_view kBundleMediaType =
    "application/vnd.dev.sigstore.bundle.v0.3+json";
// The member of a bundle that holds its envelope.
inline constexpr std::string_view kBundleEnvelopeMember = "dsseEnvelope";

enum class BundleForm { kNotABundle, kBundle, kMalformed };

// Whether the JSON object `root` is a Sigstore bundle: one that names a media type is taken
// for one, and must be of v0.3 and carry a DSSE envelope (kBundle, with `envelope` set to it)
// or it is kMalformed (with `error` at its JSON pointer). Anything else is kNotABundle.
BundleForm FindBundledEnvelope(simdjson::dom::object root, simdjson::dom::object& envelope,
                               std::string& error);

}  // namespace provgate::detail

#endif  // PROVGATE_ATTEST_BUNDLE_H_
