// The result of verifying a signed report as JSON, for programs and CI.
#include "json/json_writer.h"
#include "provgate/attest.h"

namespace provgate {

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

}  // namespace provgate
