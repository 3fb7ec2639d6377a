// CheckOptions::date is checked like every other date: a calendar day or nothing.
#include <gtest/gtest.h>

#include "../test_files.h"
#include "provgate/check.h"
#include "provgate/policy.h"

namespace provgate {
namespace {

using testing_support::ScratchDir;

constexpr char kManifest[] = R"({"manifest_version": "1",
  "model": {"id": "m", "release": {"weights": "closed"}},
  "sources": [{"id": "a", "kind": "first-party", "permission": {"basis": "first-party"}}]})";

TEST(CheckDate, ADayThatDoesNotExistIsAUsageError) {
  ScratchDir dir;
  std::string path = dir.Write("m.json", kManifest);
  PackLoadResult pack = LoadRulePack("");
  ASSERT_TRUE(pack.ok());
  for (const char* date :
       {"2026-02-30", "2025-02-29", "2026-13-01", "0000-01-01", "2026-1-1", "tomorrow"}) {
    CheckOptions options;
    options.date = date;
    for (const CheckResult& result : {Check(path, options), Check(path, *pack.pack, options)}) {
      EXPECT_EQ(result.ExitCode(), 2) << date;
      ASSERT_EQ(result.diagnostics.size(), 1u) << date;
      EXPECT_EQ(result.diagnostics[0].code, "usage");
      EXPECT_EQ(result.diagnostics[0].message,
                "invalid check date '" + std::string(date) +
                    "': expected YYYY-MM-DD naming a real calendar day");
    }
  }
  CheckOptions options;
  options.date = "2024-02-29";
  EXPECT_LT(Check(path, options).ExitCode(), 2);
}

}  // namespace
}  // namespace provgate
