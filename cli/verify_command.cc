#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "commands.h"
#include "flags.h"
#include "output.h"
#include "provgate/attest.h"

namespace provgate::cli {
namespace {

constexpr char kVerifyHelp[] =
    "usage: provgate verify ENVELOPE --key PUB [--key PUB ...] [--threshold N]\n"
    "                       [--manifest FILE] [--format text|json]\n"
    "\n"
    "Verifies a signed compliance report: a DSSE envelope (or a Sigstore bundle carrying one)\n"
    "whose payload is an in-toto statement of a provgate report. Prints the verdict, the model\n"
    "and the signers.\n"
    "\n"
    "Options:\n"
    "  --key PUB          a trusted public key (PEM); repeatable\n"
    "  --threshold N      how many distinct trusted keys must have signed (default 1)\n"
    "  --manifest FILE    also require that the report covers this manifest (its sha256)\n"
    "  --format text|json text (default), or JSON on standard output whatever the outcome\n"
    "                     (verified, cause, signers, model, verdict, manifest, policy)\n"
    "\n"
    "Exit codes: 0 verified, 1 not verified (bad signature, unknown key, tampered payload,\n"
    "wrong payload type, not a compliance report, manifest mismatch, threshold not met),\n"
    "2 invalid input or usage (malformed envelope), 3 operational failure (key file, I/O).\n";

constexpr char kCountersignHelp[] =
    "usage: provgate countersign KEY ENVELOPE [--output FILE]\n"
    "\n"
    "Adds a signature by the private key KEY to the signed report ENVELOPE, leaving its\n"
    "payload and earlier signatures as they are. Writes the result back to ENVELOPE\n"
    "(atomically), or to FILE. The existing signatures are not checked: run provgate verify.\n"
    "\n"
    "Exit codes: 0 signed, 2 invalid input or usage (malformed envelope, already signed by\n"
    "this key), 3 operational failure (key file, I/O).\n";

std::string Short(const std::string& sha256) { return sha256.substr(0, 16); }

}  // namespace

int RunVerify(const std::vector<std::string>& args) {
  Flags flags({"--key", "--threshold", "--manifest", "--format"}, {"--help", "-h"});
  std::string error;
  if (!flags.Parse(args, error)) return UsageError(error);
  if (flags.Has("--help") || flags.Has("-h")) {
    std::fputs(kVerifyHelp, stdout);
    return 0;
  }
  if (flags.positionals().size() != 1) {
    return UsageError("verify takes exactly one ENVELOPE (see provgate verify --help)");
  }
  VerifyOptions options;
  options.key_paths = flags.GetAll("--key");
  if (options.key_paths.empty()) {
    return UsageError("verify needs at least one --key PUB: the keys whose signatures count");
  }
  std::string threshold = flags.Get("--threshold").value_or("1");
  if (threshold.empty() || threshold.size() > 4 ||
      threshold.find_first_not_of("0123456789") != std::string::npos || std::stoi(threshold) < 1) {
    return UsageError("--threshold takes a positive number, not '" + threshold + "'");
  }
  options.threshold = std::stoi(threshold);
  options.manifest_path = flags.Get("--manifest").value_or("");
  std::string format = flags.Get("--format").value_or("text");
  if (format != "text" && format != "json") {
    return UsageError("unknown format '" + format + "': expected text or json");
  }
  const std::string& path = flags.positionals().front();

  VerifyResult result = VerifyEnvelopeFile(path, options);
  if (format == "json") {
    // The outcome goes to standard output as data; the cause to standard error as well.
    std::fputs(RenderVerifyJson(result).c_str(), stdout);
    if (result.outcome != VerifyResult::Outcome::kVerified) {
      std::fprintf(
          stderr, "provgate: %s: %s: %s\n",
          result.outcome == VerifyResult::Outcome::kFailed ? "verification failed" : "error",
          path.c_str(), result.cause.c_str());
    }
    return result.ExitCode();
  }
  if (result.outcome != VerifyResult::Outcome::kVerified) {
    const char* what =
        result.outcome == VerifyResult::Outcome::kFailed ? "verification failed" : "error";
    std::fprintf(stderr, "provgate: %s: %s: %s\n", what, path.c_str(), result.cause.c_str());
    for (std::size_t i = 1; i < result.rejected.size(); ++i) {
      std::fprintf(stderr, "  %s\n", result.rejected[i].c_str());
    }
    return result.ExitCode();
  }
  std::ostringstream out;
  out << "VERIFIED signed compliance report " << path
      << (result.is_bundle ? " (Sigstore bundle)" : "") << "\n";
  out << "  model      " << result.model_id << " (weights " << result.weights << ", effective "
      << result.effective_weights << ")\n";
  out << "  verdict    " << result.verdict << ", " << result.findings << " finding"
      << (result.findings == 1 ? "" : "s") << (result.tainted ? ", tainted" : ", not tainted")
      << "\n";
  if (!result.taint_chain.empty()) out << "  taint      " << result.taint_chain << "\n";
  out << "  manifest   " << result.manifest_name << " sha256 " << result.manifest_sha256;
  if (!options.manifest_path.empty()) out << " (matches " << options.manifest_path << ")";
  out << "\n";
  out << "  policy     " << result.policy_name << " " << result.policy_version << ", profile "
      << result.policy_profile << ", sha256 " << Short(result.policy_sha256) << "...\n";
  out << "  tool       provgate " << result.tool_version << "\n";
  out << "  statement  sha256 " << result.payload_sha256 << ", " << result.subjects << " subject"
      << (result.subjects == 1 ? "" : "s") << "\n";
  for (std::size_t i = 0; i < result.signers.size(); ++i) {
    out << (i == 0 ? "  signed by  " : "             ") << result.signers[i].key_id << " ("
        << result.signers[i].key_path << ")\n";
  }
  for (const std::string& rejected : result.rejected) out << "  ignored    " << rejected << "\n";
  std::fputs(out.str().c_str(), stdout);
  return 0;
}

int RunCountersign(const std::vector<std::string>& args) {
  Flags flags({"--output"}, {"--help", "-h"});
  std::string error;
  if (!flags.Parse(args, error)) return UsageError(error);
  if (flags.Has("--help") || flags.Has("-h")) {
    std::fputs(kCountersignHelp, stdout);
    return 0;
  }
  if (flags.positionals().size() != 2) {
    return UsageError("countersign takes KEY and ENVELOPE (see provgate countersign --help)");
  }
  const std::string& key = flags.positionals()[0];
  const std::string& path = flags.positionals()[1];
  std::error_code ec;
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path, ec)) {
    std::fprintf(stderr, "provgate: error: cannot open %s\n", path.c_str());
    return 2;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    std::fprintf(stderr, "provgate: error: cannot read %s\n", path.c_str());
    return 3;
  }
  SignResult result = Countersign(text.str(), key);
  if (!result.status.ok()) {
    std::fprintf(stderr, "provgate: error: %s: %s\n", path.c_str(),
                 result.status.message().c_str());
    return result.status.code() == Status::Code::kInvalidArgument ? 2 : 3;
  }
  std::string output = flags.Get("--output").value_or(path);
  if (int code = WriteOutput(output, result.envelope); code != 0) return code;
  std::fprintf(stderr, "provgate: signed %s with key %s\n", output.c_str(), result.key_id.c_str());
  return 0;
}

}  // namespace provgate::cli
