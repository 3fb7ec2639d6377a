#include <cstdio>
#include <sstream>

#include "commands.h"
#include "flags.h"
#include "output.h"
#include "provgate/attest.h"
#include "provgate/report.h"

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
    "usage: provgate countersign KEY ENVELOPE --key PUB [--key PUB ...] [--threshold N]\n"
    "                            [--manifest FILE] [--output FILE]\n"
    "\n"
    "Adds a signature by the private key KEY to the signed report ENVELOPE, leaving its\n"
    "payload and earlier signatures as they are. The report is verified first, as provgate\n"
    "verify does with the same options, and signed only if it verifies: a countersignature\n"
    "vouches for the signatures before it. Writes the result back to ENVELOPE (atomically),\n"
    "or to FILE.\n"
    "\n"
    "Options:\n"
    "  --key PUB          a public key (PEM) of the earlier signers; repeatable, required\n"
    "  --threshold N      how many distinct keys of those must have signed (default 1)\n"
    "  --manifest FILE    also require that the report covers this manifest (its sha256)\n"
    "  --output FILE      write the countersigned envelope to FILE instead of ENVELOPE\n"
    "\n"
    "Exit codes: 0 signed, 1 not signed because the report does not verify (bad signature,\n"
    "unknown key, tampered payload, not a compliance report, duplicate key, manifest\n"
    "mismatch, threshold not met), 2 invalid input or usage (malformed envelope, no --key,\n"
    "a Sigstore bundle, already signed by this key), 3 operational failure (key file, I/O).\n";

// Validates --threshold; returns false (after the usage error) when it is not a positive
// number.
bool ParseThreshold(const Flags& flags, int& threshold, int& code) {
  std::string text = flags.Get("--threshold").value_or("1");
  if (text.empty() || text.size() > 4 ||
      text.find_first_not_of("0123456789") != std::string::npos || std::stoi(text) < 1) {
    code =
        UsageError("--threshold takes a positive number, not '" + EscapeTerminalText(text) + "'");
    return false;
  }
  threshold = std::stoi(text);
  return true;
}

// Prints why a signed report did not verify, with each rejected signature, to stderr.
void PrintVerifyFailure(const char* what, const std::string& path, const VerifyResult& result,
                        bool all_rejected) {
  std::fprintf(stderr, "provgate: %s: %s: %s\n", what, EscapeTerminalText(path).c_str(),
               EscapeTerminalText(result.cause).c_str());
  if (!all_rejected) return;
  for (std::size_t i = 1; i < result.rejected.size(); ++i) {
    std::fprintf(stderr, "  %s\n", EscapeTerminalText(result.rejected[i]).c_str());
  }
}

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
  if (int code = 0; !ParseThreshold(flags, options.threshold, code)) return code;
  options.manifest_path = flags.Get("--manifest").value_or("");
  std::string format = flags.Get("--format").value_or("text");
  if (format != "text" && format != "json") {
    return UsageError("unknown format '" + EscapeTerminalText(format) + "': expected text or json");
  }
  const std::string& path = flags.positionals().front();

  VerifyResult result = VerifyEnvelopeFile(path, options);
  if (format == "json") {
    // The outcome goes to standard output as data; the cause to standard error as well.
    std::fputs(RenderVerifyJson(result).c_str(), stdout);
    if (result.outcome != VerifyResult::Outcome::kVerified) {
      PrintVerifyFailure(
          result.outcome == VerifyResult::Outcome::kFailed ? "verification failed" : "error", path,
          result, false);
    }
    return result.ExitCode();
  }
  if (result.outcome != VerifyResult::Outcome::kVerified) {
    PrintVerifyFailure(
        result.outcome == VerifyResult::Outcome::kFailed ? "verification failed" : "error", path,
        result, true);
    return result.ExitCode();
  }
  // Everything the statement says is the signer's input, and the paths are the caller's: all
  // of it is escaped for the terminal or CI log (`safe`).
  auto safe = [](const std::string& text) { return EscapeTerminalText(text); };
  std::ostringstream out;
  out << "VERIFIED signed compliance report " << safe(path)
      << (result.is_bundle ? " (Sigstore bundle)" : "") << "\n";
  out << "  model      " << safe(result.model_id) << " (weights " << safe(result.weights)
      << ", effective " << safe(result.effective_weights) << ")\n";
  out << "  verdict    " << safe(result.verdict) << ", " << result.findings << " finding"
      << (result.findings == 1 ? "" : "s") << (result.tainted ? ", tainted" : ", not tainted")
      << "\n";
  if (!result.taint_chain.empty()) out << "  taint      " << safe(result.taint_chain) << "\n";
  out << "  manifest   " << safe(result.manifest_name) << " sha256 "
      << safe(result.manifest_sha256);
  if (!options.manifest_path.empty()) out << " (matches " << safe(options.manifest_path) << ")";
  out << "\n";
  out << "  policy     " << safe(result.policy_name) << " " << safe(result.policy_version)
      << ", profile " << safe(result.policy_profile) << ", sha256 "
      << safe(Short(result.policy_sha256)) << "...\n";
  out << "  tool       provgate " << safe(result.tool_version) << "\n";
  out << "  statement  sha256 " << result.payload_sha256 << ", " << result.subjects << " subject"
      << (result.subjects == 1 ? "" : "s") << "\n";
  for (std::size_t i = 0; i < result.signers.size(); ++i) {
    out << (i == 0 ? "  signed by  " : "             ") << result.signers[i].key_id << " ("
        << safe(result.signers[i].key_path) << ")\n";
  }
  for (const std::string& rejected : result.rejected) {
    out << "  ignored    " << safe(rejected) << "\n";
  }
  std::fputs(out.str().c_str(), stdout);
  return 0;
}

int RunCountersign(const std::vector<std::string>& args) {
  Flags flags({"--output", "--key", "--threshold", "--manifest"}, {"--help", "-h"});
  std::string error;
  if (!flags.Parse(args, error)) return UsageError(error);
  if (flags.Has("--help") || flags.Has("-h")) {
    std::fputs(kCountersignHelp, stdout);
    return 0;
  }
  if (flags.positionals().size() != 2) {
    return UsageError("countersign takes KEY and ENVELOPE (see provgate countersign --help)");
  }
  VerifyOptions verify;
  verify.key_paths = flags.GetAll("--key");
  if (verify.key_paths.empty()) {
    return UsageError(
        "countersign needs at least one --key PUB: the public keys of the earlier signers, to "
        "verify the report before signing it (see provgate countersign --help)");
  }
  if (int code = 0; !ParseThreshold(flags, verify.threshold, code)) return code;
  verify.manifest_path = flags.Get("--manifest").value_or("");
  const std::string& key = flags.positionals()[0];
  const std::string& path = flags.positionals()[1];

  CountersignResult result = CountersignFile(path, key, verify);
  if (result.existing.outcome != VerifyResult::Outcome::kVerified) {
    PrintVerifyFailure(
        result.existing.outcome == VerifyResult::Outcome::kFailed ? "not countersigned" : "error",
        path, result.existing, true);
    return result.ExitCode();
  }
  if (!result.status.ok()) {
    std::fprintf(stderr, "provgate: error: %s: %s\n", EscapeTerminalText(path).c_str(),
                 EscapeTerminalText(result.status.message()).c_str());
    return result.ExitCode();
  }
  std::string output = flags.Get("--output").value_or(path);
  if (int code = WriteOutput(output, result.envelope); code != 0) return code;
  std::fprintf(stderr, "provgate: signed %s with key %s\n", EscapeTerminalText(output).c_str(),
               result.key_id.c_str());
  return 0;
}

}  // namespace provgate::cli
