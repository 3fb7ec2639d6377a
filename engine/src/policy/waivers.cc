// Reading waivers, from a file or from text in memory: the YAML (or JSON) read as it is
// parsed, every problem a diagnostic at its line and column.
#include "policy/waivers.h"

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <tuple>

#include "common/date.h"
#include "common/safe_file.h"
#include "json/pointer_path.h"
#include "policy/rule_pack.h"
#include "policy/yaml_reader.h"

namespace provgate::detail {
namespace {

// A waivers file is read as it is parsed, without a tree of YAML nodes: its memory is the
// waivers it holds. The bounds keep that, and the time to read it, small (docs/limits.md).
constexpr std::size_t kMaxWaiversFileBytes = std::size_t{16} << 20;
constexpr std::size_t kMaxWaivers = 100000;
// Problems reported before the reading stops with a note.
constexpr std::size_t kMaxProblems = 200;

// The fields of a waiver, with their longest values in characters (the schema's maxLength).
struct FieldSpec {
  std::string_view name;
  std::size_t max_length;
};
constexpr FieldSpec kFields[] = {{"rule", 256},     {"subject", 4096}, {"reason", 4096},
                                 {"approver", 512}, {"created", 10},   {"expires", 10},
                                 {"ticket", 4096}};
constexpr std::size_t kFieldCount = std::size(kFields);

int FieldIndex(std::string_view key) {
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    if (kFields[i].name == key) return static_cast<int>(i);
  }
  return -1;
}

// Thrown by the builder to end the reading (too many problems or waivers); it passes through
// yaml-cpp's parser to LoadWaivers.
struct StopReading {};

// Builds the waivers from the parser's events. The checks of ReadYamlEvents come first, so
// each mapping here has distinct scalar keys and nothing is an alias.
class WaiversBuilder : public YAML::EventHandler {
 public:
  WaiversBuilder(const std::string& path, const PackInfo& pack,
                 std::vector<Diagnostic>& diagnostics,
                 std::vector<std::shared_ptr<const Waiver>>& waivers)
      : path_(path), pack_(pack), diagnostics_(diagnostics), waivers_(waivers) {}

  void Error(const YAML::Mark& mark, std::string pointer, std::string message) {
    if (problems_ == kMaxProblems) {
      Diagnostic note =
          MakeDiagnostic(mark, "", "too many problems; the rest of the file is not read");
      note.severity = Diagnostic::Severity::kInfo;
      note.code = "too-many-errors";
      diagnostics_.push_back(std::move(note));
      throw StopReading{};
    }
    ++problems_;
    diagnostics_.push_back(MakeDiagnostic(mark, std::move(pointer), std::move(message)));
  }

  // The end of the document: what only the whole file says.
  void Finish() {
    // A `waivers` that is no list has its own error already.
    if (!saw_root_map_ || !saw_waivers_key_) {
      Error(root_mark_, "",
            "expected a mapping with a list 'waivers' (see schemas/waivers.schema.json)");
    }
  }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { Value(mark, nullptr); }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string& value) override {
    Value(mark, &value);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    StartCollection(mark, false);
  }
  void OnSequenceEnd() override { EndCollection(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    StartCollection(mark, true);
  }
  void OnMapEnd() override { EndCollection(); }

 private:
  // Where the next node goes.
  enum class State {
    kRoot,          // The document's node.
    kRootKey,       // A key of the top mapping.
    kVersion,       // The value of `version`.
    kWaiversValue,  // The value of `waivers`.
    kWaiverItem,    // An element of the waivers list, or its end.
    kWaiverKey,     // A key of a waiver.
    kWaiverValue,   // The value of field `field_`.
    kSkipNode,      // A node passed over (after an unknown key); then `after_skip_`.
    kDone,          // After the top mapping.
  };

  Diagnostic MakeDiagnostic(const YAML::Mark& mark, std::string pointer, std::string message) {
    Diagnostic d;
    d.code = "waivers";
    d.message = std::move(message);
    d.file = path_;
    if (mark.line >= 0) {
      d.line = static_cast<std::uint32_t>(mark.line + 1);
      d.column = static_cast<std::uint32_t>(mark.column + 1);
      d.offset = static_cast<std::uint64_t>(mark.pos);
    }
    d.pointer = std::move(pointer);
    return d;
  }

  std::string WaiverPointer() const { return "/waivers/" + std::to_string(index_); }

  // A scalar (`text`) or a null (`text` null) in state `state_`.
  void Value(const YAML::Mark& mark, const std::string* text) {
    if (skip_depth_ > 0) return;
    switch (state_) {
      case State::kSkipNode:
        state_ = after_skip_;
        return;
      case State::kRoot:
        root_mark_ = mark;
        state_ = State::kDone;
        return;
      case State::kRootKey: {
        std::string key = text != nullptr ? *text : "";
        if (key == "version") {
          state_ = State::kVersion;
        } else if (key == "waivers") {
          saw_waivers_key_ = true;
          state_ = State::kWaiversValue;
        } else {
          std::string pointer;
          AppendPointerKey(pointer, key);
          Error(mark, std::move(pointer),
                "unknown key '" + QuoteExcerpt(key) + "': expected waivers");
          SkipNextNode(State::kRootKey);
        }
        return;
      }
      case State::kVersion:
        if (text == nullptr || *text != "1") VersionError(mark);
        state_ = State::kRootKey;
        return;
      case State::kWaiversValue:
        Error(mark, "/waivers", "expected a list of waivers for 'waivers'");
        state_ = State::kRootKey;
        return;
      case State::kWaiverItem:
        CountWaiver(mark);
        NotAWaiver(mark);
        ++index_;
        return;
      case State::kWaiverKey: {
        std::string key = text != nullptr ? *text : "";
        field_ = FieldIndex(key);
        if (field_ < 0) {
          std::string pointer = WaiverPointer();
          AppendPointerKey(pointer, key);
          Error(mark, std::move(pointer),
                "unknown key '" + QuoteExcerpt(key) +
                    "': a waiver has rule, subject, reason, approver, created, expires and ticket");
          SkipNextNode(State::kWaiverKey);
        } else {
          state_ = State::kWaiverValue;
        }
        return;
      }
      case State::kWaiverValue:
        FieldValue(mark, text);
        state_ = State::kWaiverKey;
        return;
      case State::kDone:
        return;
    }
  }

  void StartCollection(const YAML::Mark& mark, bool is_map) {
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return;
    }
    switch (state_) {
      case State::kRoot:
        root_mark_ = mark;
        if (is_map) {
          saw_root_map_ = true;
          state_ = State::kRootKey;
        } else {
          Skip(State::kDone);
        }
        return;
      case State::kVersion:
        VersionError(mark);
        Skip(State::kRootKey);
        return;
      case State::kWaiversValue:
        if (is_map) {
          Error(mark, "/waivers", "expected a list of waivers for 'waivers'");
          Skip(State::kRootKey);
        } else {
          state_ = State::kWaiverItem;
        }
        return;
      case State::kWaiverItem:
        CountWaiver(mark);
        if (!is_map) {
          NotAWaiver(mark);
          ++index_;
          Skip(State::kWaiverItem);
          return;
        }
        BeginWaiver(mark);
        state_ = State::kWaiverKey;
        return;
      case State::kWaiverValue: {
        const FieldSpec& field = kFields[static_cast<std::size_t>(field_)];
        Error(mark, WaiverPointer() + "/" + std::string(field.name),
              "'" + std::string(field.name) + "' must be a non-empty text");
        present_[static_cast<std::size_t>(field_)] = true;
        Skip(State::kWaiverKey);
        return;
      }
      case State::kSkipNode:
        Skip(after_skip_);
        return;
      case State::kRootKey:  // A mapping key: refused by ReadYamlEvents already.
      case State::kWaiverKey:
      case State::kDone:
        Skip(state_);
        return;
    }
  }

  void EndCollection() {
    if (skip_depth_ > 0) {
      if (--skip_depth_ == 0) state_ = after_skip_;
      return;
    }
    switch (state_) {
      case State::kRootKey:
        state_ = State::kDone;
        return;
      case State::kWaiverItem:  // The end of the list.
        state_ = State::kRootKey;
        return;
      case State::kWaiverKey:  // The end of a waiver.
        FinishWaiver();
        ++index_;
        state_ = State::kWaiverItem;
        return;
      default:
        return;
    }
  }

  // The next node is passed over, a scalar or a whole collection; then reading goes on in
  // `after`.
  void SkipNextNode(State after) {
    state_ = State::kSkipNode;
    after_skip_ = after;
  }
  // Passes over the rest of the collection just started.
  void Skip(State after) {
    skip_depth_ = 1;
    after_skip_ = after;
  }

  void VersionError(const YAML::Mark& mark) {
    Error(mark, "/version",
          "unsupported waivers version: this version of provgate reads version 1");
  }

  void NotAWaiver(const YAML::Mark& mark) {
    Error(mark, WaiverPointer(),
          "expected a waiver: a mapping with rule, subject, reason, approver, created and "
          "expires");
  }

  void CountWaiver(const YAML::Mark& mark) {
    if (index_ < kMaxWaivers) return;
    Diagnostic d = MakeDiagnostic(mark, WaiverPointer(),
                                  "more than " + std::to_string(kMaxWaivers) +
                                      " waivers: expected at most that many in one file");
    diagnostics_.push_back(std::move(d));
    throw StopReading{};
  }

  void BeginWaiver(const YAML::Mark& mark) {
    waiver_ = std::make_shared<Waiver>();
    waiver_->location.file = path_;
    waiver_->location.pointer = WaiverPointer();
    waiver_->location.line = static_cast<std::uint32_t>(mark.line + 1);
    waiver_->location.column = static_cast<std::uint32_t>(mark.column + 1);
    waiver_mark_ = mark;
    present_.fill(false);
    marks_.fill(mark);
    problems_before_ = problems_;
  }

  std::string& FieldOf(Waiver& waiver, std::size_t field) {
    switch (field) {
      case 0:
        return waiver.rule;
      case 1:
        return waiver.subject;
      case 2:
        return waiver.reason;
      case 3:
        return waiver.approver;
      case 4:
        return waiver.created;
      case 5:
        return waiver.expires;
      default:
        return waiver.ticket;
    }
  }

  void FieldValue(const YAML::Mark& mark, const std::string* text) {
    std::size_t field = static_cast<std::size_t>(field_);
    const FieldSpec& spec = kFields[field];
    present_[field] = true;
    marks_[field] = mark;
    std::string pointer = WaiverPointer() + "/" + std::string(spec.name);
    if (text == nullptr || text->empty()) {
      Error(mark, std::move(pointer), "'" + std::string(spec.name) + "' must be a non-empty text");
      return;
    }
    if (text->size() > spec.max_length && Utf8Length(*text) > spec.max_length) {
      if (field == 4 || field == 5) {
        Error(mark, std::move(pointer),
              "'" + std::string(spec.name) + "' must be a date YYYY-MM-DD, not '" +
                  QuoteExcerpt(*text) + "'");
      } else {
        Error(mark, std::move(pointer),
              "'" + std::string(spec.name) + "' is too long: expected at most " +
                  std::to_string(spec.max_length) + " characters, got " +
                  std::to_string(Utf8Length(*text)));
      }
      return;
    }
    FieldOf(*waiver_, field) = *text;
  }

  void FinishWaiver() {
    Waiver& waiver = *waiver_;
    std::string pointer = WaiverPointer();
    static constexpr const char* kWhy[] = {
        "the rule id whose finding it accepts",
        "the id of the source, stage or model",
        "why the finding is acceptable",
        "who accepted it",
        "the date it was granted, YYYY-MM-DD",
        "the date it ends, YYYY-MM-DD; a waiver without an end is not accepted",
    };
    for (std::size_t field = 0; field < 6; ++field) {
      if (!present_[field]) {
        Error(waiver_mark_, pointer,
              "the waiver has no '" + std::string(kFields[field].name) + "': " + kWhy[field]);
      }
    }
    for (std::size_t field : {4, 5}) {
      const std::string& value = FieldOf(waiver, field);
      if (!value.empty() && !IsCalendarDate(value)) {
        Error(marks_[field], pointer + "/" + std::string(kFields[field].name),
              "'" + std::string(kFields[field].name) + "' must be a date YYYY-MM-DD, not '" +
                  QuoteExcerpt(value) + "'");
      }
    }
    if (IsCalendarDate(waiver.created) && IsCalendarDate(waiver.expires) &&
        waiver.expires < waiver.created) {
      Error(marks_[5], pointer + "/expires",
            "the waiver expires (" + waiver.expires + ") before it was created (" + waiver.created +
                ")");
    }
    if (std::find(pack_.never_waived.begin(), pack_.never_waived.end(), waiver.rule) !=
        pack_.never_waived.end()) {
      Error(marks_[0], pointer + "/rule",
            waiver.rule == pack_.integrity_rule
                ? waiver.rule + " integrity errors cannot be waived: correct the manifest instead"
                : waiver.rule + " findings cannot be waived: the rule pack " + pack_.name +
                      " declares the rule never_waived");
    }
    if (!waiver.rule.empty() && !waiver.subject.empty() &&
        !seen_.emplace(waiver.rule, waiver.subject).second) {
      Error(waiver_mark_, pointer,
            "a second waiver for rule " + waiver.rule + " and subject '" +
                QuoteExcerpt(waiver.subject) + "'");
    }
    if (problems_ == problems_before_) waivers_.push_back(std::move(waiver_));
    waiver_.reset();
  }

  const std::string& path_;
  const PackInfo& pack_;
  std::vector<Diagnostic>& diagnostics_;
  std::vector<std::shared_ptr<const Waiver>>& waivers_;
  State state_ = State::kRoot;
  std::size_t skip_depth_ = 0;
  State after_skip_ = State::kRoot;
  std::size_t problems_ = 0;
  YAML::Mark root_mark_ = YAML::Mark::null_mark();
  bool saw_root_map_ = false;
  bool saw_waivers_key_ = false;
  std::size_t index_ = 0;  // Of the waiver being read.
  int field_ = -1;
  std::shared_ptr<Waiver> waiver_;
  YAML::Mark waiver_mark_;
  std::array<bool, kFieldCount> present_{};
  std::array<YAML::Mark, kFieldCount> marks_{};
  std::size_t problems_before_ = 0;
  std::set<std::pair<std::string, std::string>> seen_;
};

}  // namespace

std::vector<std::shared_ptr<const Waiver>> ReadWaivers(std::string_view text,
                                                       const std::string& display_name,
                                                       const PackInfo& pack,
                                                       std::vector<Diagnostic>& diagnostics) {
  std::vector<std::shared_ptr<const Waiver>> waivers;
  if (text.size() > kMaxWaiversFileBytes) {
    diagnostics.push_back(
        {Diagnostic::Severity::kError, "waivers",
         "the waivers take " + std::to_string(text.size()) + " bytes: expected at most 16 MiB",
         display_name, 0, 0, "", 0});
    return waivers;
  }
  std::size_t first_new = diagnostics.size();
  WaiversBuilder builder(display_name, pack, diagnostics, waivers);
  try {
    YamlProblem problem;
    if (ReadYamlEvents(text, YamlLimits{}, &builder, problem)) {
      builder.Finish();
    } else {
      builder.Error(problem.mark, problem.pointer, problem.message);
    }
  } catch (const StopReading&) {
  }
  // Waivers are only returned from a text without errors.
  if (std::any_of(diagnostics.begin() + static_cast<std::ptrdiff_t>(first_new), diagnostics.end(),
                  [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::kError; })) {
    waivers.clear();
  }
  SortDiagnostics(diagnostics);
  // The note that problems were left out comes after every problem.
  std::stable_partition(diagnostics.begin(), diagnostics.end(),
                        [](const Diagnostic& d) { return d.code != "too-many-errors"; });
  return waivers;
}

std::vector<std::shared_ptr<const Waiver>> LoadWaivers(const std::string& path,
                                                       const PackInfo& pack,
                                                       std::vector<Diagnostic>& diagnostics) {
  auto file_error = [&](std::string message) {
    diagnostics.push_back(
        {Diagnostic::Severity::kError, "waivers", std::move(message), path, 0, 0, "", 0});
  };
  // Never blocks on a FIFO or a device, and never reads more than the bound.
  OpenedFile file = OpenRegularFile(path, kMaxWaiversFileBytes);
  if (!file.ok()) {
    file_error("cannot open the waivers file: " + file.error +
               (file.problem == OpenProblem::kTooLarge ? ": expected at most 16 MiB" : ""));
    return {};
  }
  std::string text;
  std::string error;
  if (!ReadAllFromFd(file.fd.get(), kMaxWaiversFileBytes, text, error)) {
    file_error("cannot read the waivers file: " + error);
    return {};
  }
  return ReadWaivers(text, path, pack, diagnostics);
}

std::vector<std::shared_ptr<const Waiver>> LoadWaivers(const std::string& path,
                                                       std::vector<Diagnostic>& diagnostics) {
  return LoadWaivers(path, BuiltinPack().info, diagnostics);
}

}  // namespace provgate::detail
