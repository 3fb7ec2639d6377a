// The options several commands share, each declared once with its help text and validation:
// the policy options (check, diff, graph, notice, explain), --format and --output, and the
// options that say which signatures count (verify, countersign).
#ifndef PROVGATE_CLI_SHARED_OPTIONS_H_
#define PROVGATE_CLI_SHARED_OPTIONS_H_

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "provgate/attest.h"
#include "provgate/check.h"

namespace provgate::cli {

// The values of the policy options.
struct PolicyArgs {
  std::string policy_dir;                 // --policy DIR; empty: the built-in pack.
  std::string profile;                    // --profile NAME; empty: the pack's default.
  std::vector<std::string> params;        // --param NAME=VALUE, validated to hold a '='.
  std::string date;                       // --date YYYY-MM-DD, validated as a calendar date.
  std::string waivers;                    // --waivers FILE.
  std::vector<std::string> trusted_keys;  // --trust PUB.
  std::string fail_on = "error";          // --fail-on error|warning.
  std::string root;                       // --root DIR.

  // The engine's options for these values (each --param split at its first '=').
  CheckOptions ToCheckOptions() const;
  // The --fail-on level.
  FailOn FailOnLevel() const;
};

// Adds the argument MANIFEST, required: the training-data manifest a command reads.
void AddManifestArgument(CLI::App& command, std::string& manifest);

// Which policy options a command takes besides --policy, which every one of them takes.
struct PolicyOptionSet {
  bool profile = false;  // --profile
  bool params = false;   // --param
  bool date = false;     // --date
  bool waivers = false;  // --waivers
  bool trust = false;    // --trust
  bool fail_on = false;  // --fail-on
  bool root = false;     // --root
};

// Adds --policy and the policy options `which` names to `command`, in the group "Policy".
void AddPolicyOptions(CLI::App& command, PolicyArgs& args, const PolicyOptionSet& which);

// Makes `option` take one of `choices`: validated by CLI11, and shown as "a|b|c" in the help.
CLI::Option* WithChoices(CLI::Option* option, const std::vector<std::string>& choices);

// Adds --format, whose value must be one of `choices` (validated by CLI11 and listed in the
// help), in the group "Output". `description` says what each choice gives and the default.
CLI::Option* AddFormatOption(CLI::App& command, std::string& format,
                             const std::vector<std::string>& choices,
                             const std::string& description);

// Adds --output FILE in the group "Output": "write `what` to FILE instead of `instead_of`".
CLI::Option* AddOutputOption(CLI::App& command, std::string& path, std::string_view what,
                             std::string_view instead_of = "standard output");

// One --report FORMAT=FILE: another rendering of the same evaluation, written to FILE.
struct ReportSpec {
  std::string format;
  std::string path;  ///< Empty for standard output (FILE given as -).
};

// Adds --report FORMAT=FILE (repeatable) in the group "Output"; FORMAT must be one of
// `choices`. The values are left in `specs` as given; SplitReportSpecs splits them.
CLI::Option* AddReportOption(CLI::App& command, std::vector<std::string>& specs,
                             const std::vector<std::string>& choices);
std::vector<ReportSpec> SplitReportSpecs(const std::vector<std::string>& specs);

// Adds --warn-expiring DAYS (0 to 3650) in the group "Policy".
CLI::Option* AddWarnExpiringOption(CLI::App& command, int& days);

// --verify-files: hash files[] entries and contract evidence against their sha256.
CLI::Option* AddVerifyFilesOption(CLI::App& command, bool& verify);

// The values of the options that say which signatures of a signed report count.
struct SignerArgs {
  std::vector<std::string> keys;  // --key PUB, at least one.
  int threshold = 1;              // --threshold N, 1 to 9999.
  std::string manifest;           // --manifest FILE.

  VerifyOptions ToVerifyOptions() const;
};

// Adds --key (required, repeatable), --threshold and --manifest to `command`, in the group
// "Signatures".
void AddSignerOptions(CLI::App& command, SignerArgs& args);

}  // namespace provgate::cli

#endif  // PROVGATE_CLI_SHARED_OPTIONS_H_
