#include "policy/waivers.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace provgate::detail {
namespace {

bool IsDate(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  int year = std::stoi(text.substr(0, 4));
  int month = std::stoi(text.substr(5, 2));
  int day = std::stoi(text.substr(8, 2));
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= (month == 2 && !leap ? 28 : kDays[month - 1]);
}

}  // namespace

std::vector<std::shared_ptr<const Waiver>> LoadWaivers(const std::string& path,
                                                       std::vector<Diagnostic>& diagnostics) {
  std::vector<std::shared_ptr<const Waiver>> waivers;
  auto error = [&](const YAML::Mark& mark, const std::string& pointer, std::string message) {
    Diagnostic d;
    d.code = "waivers";
    d.message = std::move(message);
    d.file = path;
    if (mark.line >= 0) {
      d.line = static_cast<std::uint32_t>(mark.line + 1);
      d.column = static_cast<std::uint32_t>(mark.column + 1);
      d.offset = static_cast<std::uint64_t>(mark.pos);
    }
    d.pointer = pointer;
    diagnostics.push_back(std::move(d));
  };
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error(YAML::Mark::null_mark(), "", "cannot open the waivers file");
    return waivers;
  }
  std::ostringstream text;
  text << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(text.str());
  } catch (const YAML::ParserException& e) {
    error(e.mark, "", "invalid YAML: " + e.msg);
    return waivers;
  }
  if (!root.IsMap() || !root["waivers"] || !root["waivers"].IsSequence()) {
    error(root.IsDefined() ? root.Mark() : YAML::Mark::null_mark(), "",
          "expected a mapping with a list 'waivers' (see schemas/waivers.schema.json)");
    return waivers;
  }
  for (const auto& entry : root) {
    std::string key = entry.first.as<std::string>("");
    if (key != "waivers" && key != "version") {
      error(entry.first.Mark(), "/" + key, "unknown key '" + key + "': expected waivers");
    } else if (key == "version" && (!entry.second.IsScalar() || entry.second.Scalar() != "1")) {
      error(entry.second.Mark(), "/version",
            "unsupported waivers version: this version of provgate reads version 1");
    }
  }
  std::set<std::pair<std::string, std::string>> seen;
  const YAML::Node list = root["waivers"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node node = list[i];
    std::string pointer = "/waivers/" + std::to_string(i);
    if (!node.IsMap()) {
      error(node.Mark(), pointer,
            "expected a waiver: a mapping with rule, subject, reason, "
            "approver, created and expires");
      continue;
    }
    auto waiver = std::make_shared<Waiver>();
    waiver->location.file = path;
    waiver->location.pointer = pointer;
    waiver->location.line = static_cast<std::uint32_t>(node.Mark().line + 1);
    waiver->location.column = static_cast<std::uint32_t>(node.Mark().column + 1);
    std::size_t before = diagnostics.size();
    for (const auto& member : node) {
      std::string key = member.first.as<std::string>("");
      static const std::set<std::string> kKeys = {"rule",    "subject", "reason", "approver",
                                                  "created", "expires", "ticket"};
      if (kKeys.count(key) == 0) {
        error(member.first.Mark(), pointer + "/" + key,
              "unknown key '" + key +
                  "': a waiver has rule, subject, reason, approver, created, expires and ticket");
      } else if (!member.second.IsScalar() || member.second.Scalar().empty()) {
        error(member.second.Mark(), pointer + "/" + key, "'" + key + "' must be a non-empty text");
      }
    }
    auto field = [&](const char* key, std::string& out, bool required, const char* why) {
      const YAML::Node value = node[key];
      if (!value) {
        if (required)
          error(node.Mark(), pointer, std::string("the waiver has no '") + key + "': " + why);
        return;
      }
      if (value.IsScalar()) out = value.Scalar();
    };
    field("rule", waiver->rule, true, "the rule id whose finding it accepts, e.g. P1");
    field("subject", waiver->subject, true, "the id of the source, stage or model");
    field("reason", waiver->reason, true, "why the finding is acceptable");
    field("approver", waiver->approver, true, "who accepted it");
    field("created", waiver->created, true, "the date it was granted, YYYY-MM-DD");
    field("expires", waiver->expires, true,
          "the date it ends, YYYY-MM-DD; a waiver without an end is not accepted");
    field("ticket", waiver->ticket, false, "");
    for (const char* key : {"created", "expires"}) {
      const std::string& value = std::string(key) == "created" ? waiver->created : waiver->expires;
      if (!value.empty() && !IsDate(value)) {
        error(node[key].Mark(), pointer + "/" + key,
              std::string("'") + key + "' must be a date YYYY-MM-DD, not '" + value + "'");
      }
    }
    if (IsDate(waiver->created) && IsDate(waiver->expires) && waiver->expires < waiver->created) {
      error(node["expires"].Mark(), pointer + "/expires",
            "the waiver expires (" + waiver->expires + ") before it was created (" +
                waiver->created + ")");
    }
    if (waiver->rule == "P2") {
      error(node["rule"].Mark(), pointer + "/rule",
            "P2 integrity errors cannot be waived: correct the manifest instead");
    }
    if (!waiver->rule.empty() && !waiver->subject.empty() &&
        !seen.emplace(waiver->rule, waiver->subject).second) {
      error(node.Mark(), pointer,
            "a second waiver for rule " + waiver->rule + " and subject '" + waiver->subject + "'");
    }
    if (diagnostics.size() == before) waivers.push_back(std::move(waiver));
  }
  SortDiagnostics(diagnostics);
  return waivers;
}

const RuleInfo& WaiverRuleInfo() {
  static const RuleInfo rule = [] {
    RuleInfo r;
    r.id = "waiver";
    r.title = "Waivers in force";
    r.severity = Severity::kError;
    r.description =
        "A waiver (check --waivers FILE) accepts one finding, named by rule and subject, until "
        "its expiry date: the finding stays in the report, marked waived, and no longer fails "
        "the check. An expired waiver waives nothing and is an error; a waiver that matches no "
        "finding is a warning. P2 integrity errors cannot be waived.";
    r.rationale =
        "An accepted exception must be reviewed again when it ends, and a stale one removed "
        "before it hides a new problem of the same rule and subject.";
    r.remedy = "Extend a waiver after a new review, or remove it when its finding is gone.";
    r.reasons = {"waiver-expired", "waiver-unused"};
    r.subjects = {"rule/subject"};
    r.references = {"docs/cli.md#waivers"};
    r.file = "the waivers file";
    return r;
  }();
  return rule;
}

const std::vector<ReasonInfo>& WaiverReasons() {
  static const std::vector<ReasonInfo> reasons = {
      {"waiver-expired", "The waiver has expired",
       "The waiver's expires date is before the date of the check (--date, else today). It no "
       "longer waives its finding, which counts again, and the expired waiver is itself an "
       "error located in the waivers file.",
       "Fix the finding, or have it reviewed again and move the waiver's expires date."},
      {"waiver-unused", "The waiver matches no finding",
       "No finding has the waiver's rule and subject: the problem it covered is gone, or the "
       "waiver names the wrong rule or subject.",
       "Remove the waiver, or correct its rule or subject."},
  };
  return reasons;
}

void RecountFindings(Report& report) {
  auto& s = report.summary;
  s.errors = s.warnings = s.infos = s.waived = 0;
  report.compliant = true;
  for (const Finding& f : report.findings) {
    if (f.waived) {
      ++s.waived;
      continue;
    }
    if (f.severity == Severity::kError) {
      ++s.errors;
      report.compliant = false;
    } else if (f.severity == Severity::kWarning) {
      ++s.warnings;
    } else {
      ++s.infos;
    }
  }
}

void ApplyWaivers(Report& report, const std::vector<std::shared_ptr<const Waiver>>& waivers,
                  const std::string& date) {
  std::map<std::pair<std::string, std::string>, std::shared_ptr<const Waiver>> in_force;
  std::vector<Finding> added;
  for (const auto& waiver : waivers) {
    std::string subject = waiver->rule + "/" + waiver->subject;
    if (waiver->expires < date) {
      Finding f;
      f.rule = "waiver";
      f.severity = Severity::kError;
      f.subject = subject;
      f.reason = "waiver-expired";
      f.message = "the waiver of " + waiver->rule + " for '" + waiver->subject + "' approved by " +
                  waiver->approver + " expired on " + waiver->expires +
                  "; the finding it covered counts again";
      f.remedy = "Fix the finding, or have it reviewed again and extend the waiver's expires.";
      f.location = waiver->location;
      added.push_back(std::move(f));
      continue;
    }
    in_force.emplace(std::make_pair(waiver->rule, waiver->subject), waiver);
  }
  std::set<const Waiver*> used;
  for (Finding& f : report.findings) {
    auto it = in_force.find({f.rule, f.subject});
    if (it == in_force.end()) continue;
    f.waived = true;
    f.waiver = it->second;
    used.insert(it->second.get());
  }
  for (const auto& [key, waiver] : in_force) {
    if (used.count(waiver.get()) != 0) continue;
    Finding f;
    f.rule = "waiver";
    f.severity = Severity::kWarning;
    f.subject = key.first + "/" + key.second;
    f.reason = "waiver-unused";
    f.message = "the waiver of " + waiver->rule + " for '" + waiver->subject +
                "' matches no finding: the problem it covered is gone, or the waiver names the "
                "wrong rule or subject";
    f.remedy = "Remove the waiver from the waivers file.";
    f.location = waiver->location;
    added.push_back(std::move(f));
  }
  std::sort(added.begin(), added.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.subject, a.location.line) < std::tie(b.subject, b.location.line);
  });
  // `waiver` sorts after every P-numbered rule id, so the findings stay in order.
  for (auto& f : added) report.findings.push_back(std::move(f));
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const Finding& a, const Finding& b) { return a.rule < b.rule; });
  RecountFindings(report);
}

}  // namespace provgate::detail
