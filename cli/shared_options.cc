#include "shared_options.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

namespace provgate::cli {
namespace {

constexpr char kPolicyGroup[] = "Policy";
constexpr char kOutputGroup[] = "Output";
constexpr char kSignaturesGroup[] = "Signatures";

bool AllDigits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

// A calendar date YYYY-MM-DD: "2026-02-30" is refused, "2028-02-29" is not.
CLI::Validator CalendarDate() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::string_view view = text;
        bool shaped = view.size() == 10 && view[4] == '-' && view[7] == '-' &&
                      AllDigits(view.substr(0, 4)) && AllDigits(view.substr(5, 2)) &&
                      AllDigits(view.substr(8, 2));
        if (shaped) {
          std::chrono::year_month_day date{
              std::chrono::year{std::atoi(text.substr(0, 4).c_str())},
              std::chrono::month{static_cast<unsigned>(std::atoi(text.substr(5, 2).c_str()))},
              std::chrono::day{static_cast<unsigned>(std::atoi(text.substr(8, 2).c_str()))}};
          if (date.ok()) return {};
        }
        return "takes a calendar date YYYY-MM-DD, not '" + text + "'";
      },
      // The option's value name, YYYY-MM-DD, says it in the help.
      "", "calendar date");
}

// NAME=VALUE with a name.
CLI::Validator NameEqualsValue() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::size_t equals = text.find('=');
        if (equals == std::string::npos || equals == 0) {
          return "takes NAME=VALUE, not '" + text + "'";
        }
        return {};
      },
      "", "NAME=VALUE");
}

// A decimal number, without the leading zeros that would make CLI11, which reads integers
// with strtoll's base 0, take "010" for 8 (and "0x2" for 2).
CLI::Validator DecimalNumber() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        if (!AllDigits(text)) return "takes a decimal number, not '" + text + "'";
        text.erase(0, std::min(text.find_first_not_of('0'), text.size() - 1));
        return {};
      },
      "", "decimal number");
}

// An option given once per value: `--trust a.pub --trust b.pub`, never `--trust a.pub b.pub`,
// so that a value cannot swallow the argument after it.
CLI::Option* Repeatable(CLI::Option* option) {
  return option->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

}  // namespace

CheckOptions PolicyArgs::ToCheckOptions() const {
  CheckOptions options;
  options.policy_dir = policy_dir;
  options.profile = profile;
  options.date = date;
  options.waivers_path = waivers;
  options.trusted_keys = trusted_keys;
  options.root = root;
  for (const std::string& param : params) {
    std::size_t equals = param.find('=');
    options.params.emplace_back(param.substr(0, equals), param.substr(equals + 1));
  }
  return options;
}

FailOn PolicyArgs::FailOnLevel() const {
  return fail_on == "warning" ? FailOn::kWarning : FailOn::kError;
}

void AddManifestArgument(CLI::App& command, std::string& manifest) {
  command.add_option("MANIFEST", manifest, "the training-data manifest (JSON)")->required();
}

void AddPolicyOptions(CLI::App& command, PolicyArgs& args, const PolicyOptionSet& which) {
  command
      .add_option("--policy", args.policy_dir,
                  "rule pack directory (default: the built-in default pack, identical to "
                  "rules/default)")
      ->type_name("DIR")
      ->group(kPolicyGroup);
  if (which.profile) {
    command
        .add_option("--profile", args.profile,
                    "a profile the pack defines; the default pack's are thread (its default), "
                    "intermediate and eu")
        ->type_name("NAME")
        ->group(kPolicyGroup);
  }
  if (which.params) {
    Repeatable(
        command.add_option("--param", args.params,
                           "override a parameter the pack declares, e.g. --param "
                           "judge_propagates_taint=false; an unknown name or a value of the wrong "
                           "type is a usage error"))
        ->check(NameEqualsValue())
        ->type_name("NAME=VALUE")
        ->group(kPolicyGroup);
  }
  if (which.date) {
    command
        .add_option("--date", args.date,
                    "the date contracts must cover when the release has no date, and waivers "
                    "are judged on (default: today, UTC; the report records it when it "
                    "mattered)")
        ->check(CalendarDate())
        ->type_name("YYYY-MM-DD")
        ->group(kPolicyGroup);
  }
  if (which.waivers) {
    command
        .add_option("--waivers", args.waivers,
                    "accepted exceptions (YAML or JSON): waived findings stay in the report "
                    "but do not fail, expired waivers are errors; against a baseline they "
                    "apply to the version under review")
        ->type_name("FILE")
        ->group(kPolicyGroup);
  }
  if (which.trust) {
    Repeatable(command.add_option("--trust", args.trusted_keys,
                                  "a public key trusted to sign the upstream reports that "
                                  "lineage entries name with attestation"))
        ->type_name("PUB")
        ->group(kPolicyGroup);
  }
  if (which.fail_on) {
    WithChoices(command.add_option("--fail-on", args.fail_on,
                                   "which findings fail: errors (default), or warnings too; "
                                   "against a baseline with --new-only or in diff, new ones "
                                   "only"),
                {"error", "warning"})
        ->group(kPolicyGroup);
  }
  if (which.root) {
    command
        .add_option("--root", args.root,
                    "upstream manifests and signed reports named by lineage must lie beneath "
                    "DIR (default: the repository holding the manifest, the nearest directory "
                    "above it with .git or .provgate.yaml; without one, lineage is not "
                    "confined)")
        ->type_name("DIR")
        ->group(kPolicyGroup);
  }
}

CLI::Option* WithChoices(CLI::Option* option, const std::vector<std::string>& choices) {
  std::string names;
  for (const std::string& choice : choices) names += (names.empty() ? "" : "|") + choice;
  // The choices are the value's name in the help; IsMember's own "{a,b}" would repeat them.
  return option->check(CLI::IsMember(choices).description(""))->type_name(names);
}

CLI::Option* AddFormatOption(CLI::App& command, std::string& format,
                             const std::vector<std::string>& choices,
                             const std::string& description) {
  return WithChoices(command.add_option("--format", format, description), choices)
      ->group(kOutputGroup);
}

CLI::Option* AddOutputOption(CLI::App& command, std::string& path, std::string_view what,
                             std::string_view instead_of) {
  std::string description = "write " + std::string(what) + " to FILE instead of " +
                            std::string(instead_of) +
                            "; a regular file is replaced atomically, and nothing is written "
                            "on exit 2 or 3";
  return command.add_option("--output", path, description)->type_name("FILE")->group(kOutputGroup);
}

VerifyOptions SignerArgs::ToVerifyOptions() const {
  VerifyOptions options;
  options.key_paths = keys;
  options.threshold = threshold;
  options.manifest_path = manifest;
  return options;
}

void AddSignerOptions(CLI::App& command, SignerArgs& args) {
  Repeatable(command.add_option("--key", args.keys, "a public key (PEM) whose signatures count"))
      ->required()
      ->type_name("PUB")
      ->group(kSignaturesGroup);
  command
      .add_option("--threshold", args.threshold,
                  "how many distinct keys of those given must have signed (default 1)")
      ->transform(DecimalNumber())  // Transforms run before checks.
      ->check(CLI::Range(1, 9999).description(""))
      ->type_name("N")
      ->group(kSignaturesGroup);
  command
      .add_option("--manifest", args.manifest,
                  "also require that the report covers this manifest file (its sha256)")
      ->type_name("FILE")
      ->group(kSignaturesGroup);
}

CLI::Option* AddReportOption(CLI::App& command, std::vector<std::string>& specs,
                             const std::vector<std::string>& choices) {
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : "|") + c;
  CLI::Validator validator(
      [choices](std::string& text) -> std::string {
        std::size_t equals = text.find('=');
        if (equals == std::string::npos || equals + 1 == text.size()) {
          return "takes FORMAT=FILE, not '" + text + "'";
        }
        std::string format = text.substr(0, equals);
        if (std::find(choices.begin(), choices.end(), format) == choices.end()) {
          std::string names;
          for (const std::string& c : choices) names += (names.empty() ? "" : ", ") + c;
          return "'" + format + "' is not a format: expected one of " + names;
        }
        return {};
      },
      "", "FORMAT=FILE");
  return Repeatable(command.add_option("--report", specs,
                                       "also write the report in FORMAT (" + list +
                                           ") to FILE, from the same evaluation (FILE - is "
                                           "standard output)"))
      ->type_name("FORMAT=FILE")
      ->check(validator)
      ->group(kOutputGroup);
}

std::vector<ReportSpec> SplitReportSpecs(const std::vector<std::string>& specs) {
  std::vector<ReportSpec> out;
  for (const std::string& spec : specs) {
    std::size_t equals = spec.find('=');
    std::string path = spec.substr(equals + 1);
    out.push_back({spec.substr(0, equals), path == "-" ? std::string() : path});
  }
  return out;
}

CLI::Option* AddWarnExpiringOption(CLI::App& command, int& days) {
  return command
      .add_option("--warn-expiring", days,
                  "waivers and contracts that expire within DAYS days (0 to 3650) of the date of "
                  "the check are warnings (waiver-expiring, contract-expiring)")
      ->type_name("DAYS")
      ->transform(DecimalNumber())
      ->check(CLI::Range(0, 3650).description(""))
      ->group(kPolicyGroup);
}

CLI::Option* AddVerifyFilesOption(CLI::App& command, bool& verify) {
  return command
      .add_flag("--verify-files", verify,
                "hash every files[] entry and contract evidence document on disk (beneath the "
                "manifest's directory) against its sha256")
      ->group(kPolicyGroup);
}

}  // namespace provgate::cli
