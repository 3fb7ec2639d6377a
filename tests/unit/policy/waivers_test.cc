#include "policy/waivers.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "../test_files.h"
#include "policy/rule_pack.h"

namespace provgate::detail {
namespace {

using testing_support::ScratchDir;

std::string WaiverYaml(const std::string& subject, const std::string& extra = "") {
  return "  - rule: P1\n    subject: " + subject +
         "\n    reason: accepted\n    approver: jane\n    created: 2026-10-15\n"
         "    expires: 2026-12-31\n" +
         extra;
}

struct Loaded {
  std::vector<std::shared_ptr<const Waiver>> waivers;
  std::vector<std::string> errors;  // Rendered, from the file name on.
};

Loaded LoadText(const std::string& text) {
  ScratchDir dir;
  std::string path = dir.Write("w.yaml", text);
  Loaded loaded;
  std::vector<Diagnostic> diagnostics;
  loaded.waivers = LoadWaivers(path, diagnostics);
  for (const auto& d : diagnostics) {
    std::string rendered = FormatDiagnostic(d);
    loaded.errors.push_back(rendered.substr(rendered.find("w.yaml")));
  }
  return loaded;
}

TEST(Waivers, ValidFileLoads) {
  Loaded loaded = LoadText("version: 1\nwaivers:\n" + WaiverYaml("a") + WaiverYaml("b"));
  EXPECT_TRUE(loaded.errors.empty()) << ::testing::PrintToString(loaded.errors);
  ASSERT_EQ(loaded.waivers.size(), 2u);
  EXPECT_EQ(loaded.waivers[1]->subject, "b");
  EXPECT_EQ(loaded.waivers[1]->location.line, 9u);
  EXPECT_EQ(loaded.waivers[1]->location.pointer, "/waivers/1");
  // JSON is YAML.
  loaded = LoadText(R"({"version": 1, "waivers": [{"rule": "P1", "subject": "a", "reason": "r", )"
                    R"("approver": "j", "created": "2026-01-01", "expires": "2026-02-01"}]})");
  EXPECT_TRUE(loaded.errors.empty()) << ::testing::PrintToString(loaded.errors);
  EXPECT_EQ(loaded.waivers.size(), 1u);
}

TEST(Waivers, TextInMemoryReadsAsAFileDoes) {
  std::string text = "version: 1\nwaivers:\n" + WaiverYaml("a") + WaiverYaml("b");
  std::vector<Diagnostic> diagnostics;
  auto waivers = ReadWaivers(text, "waivers from the pipeline", BuiltinPack().info, diagnostics);
  EXPECT_TRUE(diagnostics.empty());
  ASSERT_EQ(waivers.size(), 2u);
  EXPECT_EQ(waivers[1]->subject, "b");
  EXPECT_EQ(waivers[1]->location.file, "waivers from the pipeline");
  EXPECT_EQ(waivers[1]->location.line, 9u);
  Loaded from_file = LoadText(text);
  ASSERT_EQ(from_file.waivers.size(), 2u);
  EXPECT_EQ(from_file.waivers[1]->location.line, waivers[1]->location.line);

  // Problems name the text by its display name, at their line and column.
  diagnostics.clear();
  waivers = ReadWaivers("waivers:\n" + WaiverYaml("a", "    colour: red\n"), "<memory>",
                        BuiltinPack().info, diagnostics);
  EXPECT_TRUE(waivers.empty());
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].file, "<memory>");
  EXPECT_EQ(diagnostics[0].line, 8u);

  // The same bound as a file: at most 16 MiB.
  diagnostics.clear();
  std::string big(std::size_t{16} << 20, ' ');
  big += "\n";
  EXPECT_TRUE(ReadWaivers(big, "big", BuiltinPack().info, diagnostics).empty());
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].message, "the waivers take 16777217 bytes: expected at most 16 MiB");

  // Text that is not YAML, or empty, is a diagnostic too, never an exception.
  for (std::string_view bad :
       {std::string_view("waivers: [", 10), std::string_view(""), std::string_view("\0\xff", 2)}) {
    diagnostics.clear();
    EXPECT_TRUE(ReadWaivers(bad, "bad", BuiltinPack().info, diagnostics).empty());
    EXPECT_FALSE(diagnostics.empty());
  }
}

TEST(Waivers, RepeatedKeysAreRefusedAtTheSecondOccurrence) {
  // yaml-cpp alone keeps the first `subject`; Python and jq keep the last.
  Loaded loaded = LoadText("waivers:\n" + WaiverYaml("a", "    subject: b\n"));
  ASSERT_EQ(loaded.errors.size(), 1u) << ::testing::PrintToString(loaded.errors);
  EXPECT_EQ(loaded.errors[0],
            "w.yaml:8:5: error: duplicate key 'subject': the mapping has it at line 3 already (at "
            "/waivers/0/subject)");
  EXPECT_TRUE(loaded.waivers.empty());
  loaded = LoadText(R"({"waivers": [], "waivers": [{"rule": "P1"}]})");
  ASSERT_EQ(loaded.errors.size(), 1u);
  EXPECT_NE(loaded.errors[0].find("duplicate key 'waivers'"), std::string::npos);
}

TEST(Waivers, AliasesAndSecondDocumentsAreRefused) {
  std::string anchored = WaiverYaml("a");
  anchored.replace(anchored.find("- "), 2, "- &w\n    ");
  Loaded loaded = LoadText("waivers:\n" + anchored + "  - *w\n");
  ASSERT_EQ(loaded.errors.size(), 1u) << ::testing::PrintToString(loaded.errors);
  EXPECT_EQ(loaded.errors[0].substr(0, 12), "w.yaml:9:5: ");
  EXPECT_NE(loaded.errors[0].find("a YAML alias"), std::string::npos);
  EXPECT_NE(loaded.errors[0].find("(at /waivers/1)"), std::string::npos);

  loaded = LoadText("waivers:\n" + WaiverYaml("a") + "---\nwaivers: []\n");
  ASSERT_EQ(loaded.errors.size(), 1u) << ::testing::PrintToString(loaded.errors);
  EXPECT_NE(loaded.errors[0].find("a second YAML document"), std::string::npos);
  EXPECT_TRUE(loaded.waivers.empty());
}

// yaml-cpp's scanner holds every token after an unresolved possible key, before any event:
// `[a, [a, [a, ...` would cost it hundreds of bytes per character of the file.
TEST(Waivers, YamlThatYamlCppWouldHoldWholeIsRefused) {
  std::string nested = "waivers: []\nx: ";
  for (int i = 0; i < 20000; ++i) nested += "[a, ";
  Loaded loaded = LoadText(nested + "\n");
  ASSERT_FALSE(loaded.errors.empty());
  EXPECT_NE(loaded.errors.back().find("more than 16384 YAML indicators"), std::string::npos)
      << loaded.errors.back();
  EXPECT_EQ(loaded.errors.back().substr(0, 9), "w.yaml:2:");
}

// A JSON file is read behind a document marker, so that yaml-cpp does not hold it whole; the
// positions are those of the file as written.
TEST(Waivers, JsonFilesKeepTheirPositions) {
  Loaded loaded = LoadText(R"({"waivers": [{"rule": "P1", "rule": "P2"}]})");
  ASSERT_EQ(loaded.errors.size(), 1u) << ::testing::PrintToString(loaded.errors);
  EXPECT_EQ(loaded.errors[0].substr(0, 12), "w.yaml:1:29:");
  std::string many = "  {\"waivers\": [\n";
  for (int i = 0; i < 20000; ++i) {
    many += R"(   {"rule": "P1", "subject": "s)" + std::to_string(i) +
            R"(", "reason": "r", "approver": "j", "created": "2026-01-01", )"
            R"("expires": "2026-12-31"},)"
            "\n";
  }
  many += R"(   {"rule": "P1", "subject": "last", "colour": "red"}]})";
  loaded = LoadText(many);
  ASSERT_FALSE(loaded.errors.empty());
  EXPECT_NE(loaded.errors.back().find("w.yaml:20002:38: error: unknown key 'colour'"),
            std::string::npos)
      << ::testing::PrintToString(loaded.errors);
}

TEST(Waivers, LongValuesAreRefused) {
  Loaded loaded =
      LoadText("waivers:\n" + WaiverYaml("a", "    ticket: " + std::string(4096, 't') + "\n"));
  EXPECT_TRUE(loaded.errors.empty()) << ::testing::PrintToString(loaded.errors);
  loaded = LoadText("waivers:\n" + WaiverYaml("a", "    ticket: " + std::string(4097, 't') + "\n"));
  ASSERT_EQ(loaded.errors.size(), 1u);
  EXPECT_EQ(loaded.errors[0],
            "w.yaml:8:13: error: 'ticket' is too long: expected at most 4096 characters, got "
            "4097 (at /waivers/0/ticket)");
}

TEST(Waivers, TheNumberOfWaiversIsBounded) {
  std::string text = "waivers:\n";
  for (int i = 0; i <= 100000; ++i) {
    text += "- {rule: P1, subject: s" + std::to_string(i) +
            ", reason: r, approver: j, created: 2026-01-01, expires: 2026-02-01}\n";
  }
  Loaded loaded = LoadText(text);
  ASSERT_EQ(loaded.errors.size(), 1u);
  EXPECT_EQ(loaded.errors[0],
            "w.yaml:100002:3: error: more than 100000 waivers: expected at most that many in one "
            "file (at /waivers/100000)");
  EXPECT_TRUE(loaded.waivers.empty());
}

TEST(Waivers, ProblemsStopBeingCollectedAfterALimit) {
  std::string text = "waivers:\n";
  for (int i = 0; i < 1000; ++i) text += "- {rule: P2, colour: red}\n";
  Loaded loaded = LoadText(text);
  EXPECT_EQ(loaded.errors.size(), 201u);
  EXPECT_NE(loaded.errors.back().find("too many problems"), std::string::npos);
}

TEST(Waivers, FilesThatAreNotRegularOrTooLargeAreRefusedWithoutBlocking) {
  // The writer below may find the reader gone: EPIPE, not a signal that ends the tests.
  struct IgnoreSigpipe {
    IgnoreSigpipe() : previous(signal(SIGPIPE, SIG_IGN)) {}
    ~IgnoreSigpipe() { signal(SIGPIPE, previous); }
    void (*previous)(int);
  } ignore_sigpipe;
  ScratchDir dir;
  std::string fifo = dir.path() + "/fifo.yaml";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // A writer waits for a reader: a reader that opens the FIFO reads an empty list from it.
  std::thread writer([&] {
    int fd = open(fifo.c_str(), O_WRONLY);
    if (fd < 0) return;
    (void)!write(fd, "waivers: []\n", 12);
    close(fd);
  });
  std::vector<Diagnostic> diagnostics;
  LoadWaivers(fifo, diagnostics);
  int release = open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  writer.join();
  if (release >= 0) close(release);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].message, "cannot open the waivers file: not a regular file (a FIFO)");

  std::filesystem::create_symlink("/dev/zero", dir.path() + "/zero.yaml");
  diagnostics.clear();
  LoadWaivers(dir.path() + "/zero.yaml", diagnostics);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_NE(diagnostics[0].message.find("a character device"), std::string::npos);

  std::string big = dir.Write("big.yaml", "waivers: []\n");
  ASSERT_EQ(truncate(big.c_str(), (16 << 20) + 1), 0);
  diagnostics.clear();
  LoadWaivers(big, diagnostics);
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_NE(diagnostics[0].message.find("larger than 16 MiB"), std::string::npos);
}

Report ReportWith(const std::string& subject) {
  Report report;
  Finding finding;
  finding.rule = "P1";
  finding.severity = Severity::kError;
  finding.subject = subject;
  report.findings.push_back(finding);
  return report;
}

TEST(Waivers, AWaiverIsInForceFromItsCreatedDate) {
  Loaded loaded = LoadText("waivers:\n" + WaiverYaml("a"));  // 2026-10-15 to 2026-12-31.
  ASSERT_EQ(loaded.waivers.size(), 1u);
  // Before it was created: it waives nothing, and is neither unused nor expired.
  Report before = ReportWith("a");
  ApplyWaivers(before, loaded.waivers, "2026-10-14");
  ASSERT_EQ(before.findings.size(), 1u);
  EXPECT_FALSE(before.findings[0].waived);
  EXPECT_FALSE(before.compliant());
  for (const char* date : {"2026-10-15", "2026-12-31"}) {
    Report in_force = ReportWith("a");
    ApplyWaivers(in_force, loaded.waivers, date);
    ASSERT_EQ(in_force.findings.size(), 1u) << date;
    EXPECT_TRUE(in_force.findings[0].waived) << date;
    EXPECT_TRUE(in_force.compliant()) << date;
  }
  Report after = ReportWith("a");
  ApplyWaivers(after, loaded.waivers, "2027-01-01");
  ASSERT_EQ(after.findings.size(), 2u);
  EXPECT_FALSE(after.findings[0].waived);
  EXPECT_EQ(after.findings[1].reason, "waiver-expired");
}

TEST(Waivers, ManyWaiversMatchManyFindings) {
  std::string text = "waivers:\n";
  Report report;
  for (int i = 0; i < 20000; ++i) {
    std::string subject = "s" + std::to_string(i);
    text += "- {rule: P1, subject: " + subject +
            ", reason: r, approver: j, created: 2026-01-01, expires: 2026-12-31}\n";
    if (i % 2 == 0) report.findings.push_back(ReportWith(subject).findings[0]);
  }
  Loaded loaded = LoadText(text);
  ASSERT_EQ(loaded.waivers.size(), 20000u);
  ApplyWaivers(report, loaded.waivers, "2026-06-01");
  std::size_t waived = 0, unused = 0;
  for (const Finding& f : report.findings) {
    waived += f.waived ? 1 : 0;
    unused += f.reason == "waiver-unused" ? 1 : 0;
  }
  EXPECT_EQ(waived, 10000u);
  EXPECT_EQ(unused, 10000u);
  EXPECT_TRUE(report.compliant());
}

}  // namespace
}  // namespace provgate::detail
