// The golden cases through the library: every `check` and `validate` run of
// tests/golden/cases/*/case.json and examples/*/case.json that asks for JSON is replayed with
// provgate::Check, and the rendered report (or the diagnostics) must equal the expected output
// that the CLI-level runner (run_golden.py) also checks. The CLI is a thin layer over this.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "provgate/check.h"

namespace provgate {
namespace {

struct GoldenRun {
  std::string name;  // case/run
  std::string dir;
  std::vector<std::string> args;
  int exit_code = 0;
};

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<GoldenRun> LoadRuns() {
  std::vector<GoldenRun> runs;
  for (const char* root : {PROVGATE_TEST_DATA "/golden/cases", PROVGATE_SOURCE_DIR "/examples"}) {
    std::vector<std::filesystem::path> dirs;
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
      if (std::filesystem::exists(entry.path() / "case.json")) dirs.push_back(entry.path());
    }
    std::sort(dirs.begin(), dirs.end());
    for (const auto& dir : dirs) {
      nlohmann::json c = nlohmann::json::parse(ReadFile(dir / "case.json"));
      for (const auto& run : c["runs"]) {
        std::vector<std::string> args = run["args"].get<std::vector<std::string>>();
        bool json = std::find(args.begin(), args.end(), "json") != args.end();
        bool output = std::find(args.begin(), args.end(), "--output") != args.end();
        // The baseline is compared by the CLI, not by Check: such runs are CLI-level only.
        bool baseline = std::find(args.begin(), args.end(), "--baseline") != args.end();
        if (args.empty() || (args[0] != "check" && args[0] != "validate") || !json || output ||
            baseline) {
          continue;
        }
        runs.push_back({dir.filename().string() + "_" + run["name"].get<std::string>(),
                        dir.string(), args, run["exit_code"].get<int>()});
      }
    }
  }
  return runs;
}

void PrintTo(const GoldenRun& run, std::ostream* os) { *os << run.name; }

class GoldenLibraryTest : public testing::TestWithParam<GoldenRun> {};

TEST_P(GoldenLibraryTest, MatchesExpectedOutput) {
  const GoldenRun& run = GetParam();
  CheckOptions options;
  options.integrity_only = run.args[0] == "validate";
  std::string manifest;
  FailOn fail_on = FailOn::kError;
  for (std::size_t i = 1; i < run.args.size(); ++i) {
    const std::string& a = run.args[i];
    std::string value = i + 1 < run.args.size() ? run.args[i + 1] : "";
    if (a == "--policy") {
      options.policy_dir = value;
      ++i;
    } else if (a == "--profile") {
      options.profile = value;
      ++i;
    } else if (a == "--fail-on") {
      fail_on = value == "warning" ? FailOn::kWarning : FailOn::kError;
      ++i;
    } else if (a == "--verify-files") {
      options.verify_files = true;
    } else if (a == "--date") {
      options.date = value;
      ++i;
    } else if (a == "--format") {
      ++i;
    } else if (a == "--waivers") {
      options.waivers_path = value;
      ++i;
    } else if (a == "--param" && value.find('=') != std::string::npos) {
      options.params.emplace_back(value.substr(0, value.find('=')),
                                  value.substr(value.find('=') + 1));
      ++i;
    } else if (a == "--trust") {
      options.trusted_keys.push_back(value);
      ++i;
    } else if (a[0] != '-') {
      manifest = a;
    } else {
      GTEST_SKIP() << "flag " << a << " is CLI-only";
    }
  }
  ASSERT_FALSE(manifest.empty());
  // Paths in reports are the ones given, relative to the case directory.
  std::filesystem::path previous = std::filesystem::current_path();
  std::filesystem::current_path(run.dir);
  CheckResult result = Check(manifest, options);
  std::filesystem::current_path(previous);

  std::string name = run.name.substr(run.name.rfind('_') + 1);
  std::filesystem::path expected = std::filesystem::path(run.dir) / "expected";
  ASSERT_EQ(result.ExitCode(fail_on), run.exit_code);
  if (run.exit_code >= 2) {
    // A usage error the command line's parser reports before the engine runs (a date that is
    // no calendar day) is worded by the parser: only the exit code is the engine's to match.
    if (!result.diagnostics.empty() &&
        std::all_of(result.diagnostics.begin(), result.diagnostics.end(),
                    [](const Diagnostic& d) { return d.code == "usage"; })) {
      return;
    }
    std::string diagnostics;
    for (const auto& d : result.diagnostics) diagnostics += FormatDiagnostic(d) + "\n";
    if (!result.status.ok()) diagnostics += "provgate: error: " + result.status.message() + "\n";
    EXPECT_EQ(diagnostics, ReadFile(expected / (name + ".stderr")));
    return;
  }
  EXPECT_EQ(RenderJsonReport(result.report), ReadFile(expected / (name + ".stdout")));
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenLibraryTest, testing::ValuesIn(LoadRuns()),
                         [](const testing::TestParamInfo<GoldenRun>& info) {
                           std::string name = info.param.name;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace provgate
