// The NOTICE of a release: the notices, naming and use restrictions that licences and
// contracts impose, the credits of the sources used with permission, and, apart, the sources
// used without permission, said plainly.
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/escape.h"
#include "provgate/report.h"

namespace provgate {
namespace {

// A NOTICE is read in terminals and CI logs as well as in files: the same escaping as `text`.
std::string Safe(std::string_view text) { return detail::TerminalText(text); }

// One duty that several sources may share ("Built with Llama" for every source under the
// Llama licence): its text and URI, and who imposes it.
struct Requirement {
  std::string_view text;
  std::string_view uri;
  std::set<std::string_view> licenses;
  std::vector<std::string_view> subjects;  // In obligation order, without repeats.
};

// The duties of one kind, in order of first appearance, each once.
class Requirements {
 public:
  void Add(const Obligation& o) {
    auto [it, inserted] = index_.try_emplace({o.text.view(), o.uri.view()}, duties_.size());
    if (inserted) duties_.push_back({o.text.view(), o.uri.view(), {}, {}});
    Requirement& duty = duties_[it->second];
    if (!o.license.empty()) duty.licenses.insert(o.license.view());
    if (duty.subjects.empty() || duty.subjects.back() != o.subject) {
      duty.subjects.push_back(o.subject);
    }
  }
  const std::vector<Requirement>& list() const { return duties_; }

 private:
  std::map<std::pair<std::string_view, std::string_view>, std::size_t> index_;
  std::vector<Requirement> duties_;
};

// What the NOTICE knows about a source: whether it is permitted (from the decisions) and the
// credits its obligations ask for.
struct Credit {
  const SourceDecision* decision = nullptr;
  std::string_view title;
  std::string_view uri;
  std::set<std::string_view> licenses;    // Licences that require attribution.
  std::vector<const Obligation*> worded;  // Attribution in words, and agreements' duties.
};

std::string Subjects(const std::vector<std::string_view>& subjects,
                     const std::unordered_map<std::string_view, const SourceDecision*>& decided) {
  constexpr std::size_t kShown = 5;
  std::string out;
  for (std::size_t i = 0; i < subjects.size() && i < kShown; ++i) {
    if (i > 0) out += ", ";
    out += Safe(subjects[i]);
    auto it = decided.find(subjects[i]);
    if (it != decided.end() && !it->second->permitted) out += " (used without permission)";
  }
  if (subjects.size() > kShown) out += " and " + std::to_string(subjects.size() - kShown) + " more";
  return out;
}

std::string Licenses(const std::set<std::string_view>& licenses) {
  std::string out;
  for (std::string_view license : licenses) {
    if (!out.empty()) out += ", ";
    out += Safe(license);
  }
  return out;
}

}  // namespace

std::string RenderNotice(const Report& report) {
  std::unordered_map<std::string_view, const SourceDecision*> decided;
  if (report.decisions) {
    for (const SourceDecision& d : *report.decisions) decided.try_emplace(d.id.view(), &d);
  }
  Requirements notices;                        // display-notice
  Requirements names;                          // name-prefix
  Requirements restrictions;                   // use-restrictions
  std::map<std::string_view, Credit> credits;  // By source id.
  for (const Obligation& o : report.obligations) {
    if (o.kind == "display-notice") {
      notices.Add(o);
    } else if (o.kind == "name-prefix") {
      names.Add(o);
    } else if (o.kind == "use-restrictions") {
      restrictions.Add(o);
    } else if (o.kind == "attribution" || o.kind == "contract-obligation") {
      Credit& credit = credits[o.subject];
      if (credit.title.empty()) credit.title = o.title;
      if (credit.uri.empty() && o.kind == "attribution") credit.uri = o.uri;
      if (o.kind == "attribution" && !o.license.empty()) credit.licenses.insert(o.license.view());
      if (!o.text.empty()) credit.worded.push_back(&o);
    }
  }

  std::string out = "NOTICE\n\n" + Safe(report.model_id) + "\n";
  auto required_by = [&](const Requirement& duty, bool name_subjects) {
    std::string by = "required by ";
    if (!duty.licenses.empty()) {
      by += "the terms of " + Licenses(duty.licenses);
      if (!name_subjects) return by;
      by += ", for ";
    }
    return by + Subjects(duty.subjects, decided);
  };
  // A duty's words and the URI that says more, each on a line of its own.
  auto duty_lines = [&](const Requirement& duty) {
    std::string lines;
    if (!duty.text.empty()) lines += "  " + Safe(duty.text) + "\n";
    if (!duty.uri.empty()) lines += "  " + Safe(duty.uri) + "\n";
    return lines;
  };
  if (!notices.list().empty()) {
    out += "\nNotices\n  Licences and agreements require these to be shown with the model.\n";
    for (const Requirement& duty : notices.list()) {
      out += "\n" + duty_lines(duty) + "  (" + required_by(duty, true) + ")\n";
    }
  }
  if (!names.list().empty()) {
    out += "\nNaming\n";
    for (const Requirement& duty : names.list()) {
      // The subject of a name prefix is the model itself.
      out += "\n  The model's name must begin with \"" + Safe(duty.text) + "\".\n";
      out += "  (" + required_by(duty, false) + ")\n";
    }
  }
  if (!restrictions.list().empty()) {
    out += "\nUse restrictions\n  The model and its derivatives carry these terms.\n";
    for (const Requirement& duty : restrictions.list()) {
      out += "\n" + duty_lines(duty) + "  (" + required_by(duty, true) + ")\n";
    }
  }

  auto heading = [](const Credit& credit, std::string_view id) {
    return credit.title.empty() ? Safe(id) : Safe(credit.title) + " (" + Safe(id) + ")";
  };
  auto credit_lines = [&](const Credit& credit, std::string& text, bool permitted) {
    if (!credit.uri.empty()) text += "  Source: " + Safe(credit.uri) + "\n";
    if (permitted && !credit.licenses.empty()) {
      text += "  License: " + Licenses(credit.licenses) + "\n";
    }
    for (const Obligation* o : credit.worded) {
      text += o->kind == "attribution" ? "  Credit: " : "  Agreement requires: ";
      text += Safe(o->text);
      if (!o->uri.empty() && o->uri != credit.uri) text += " " + Safe(o->uri);
      text += "\n";
    }
  };

  if (!report.decisions) {
    // Without the decisions nothing here may be read as a statement about permission.
    out +=
        "\nSources whose licences or agreements require credit\n  This NOTICE does not say "
        "whether each was used with permission; the compliance\n  report does.\n";
    for (const auto& [id, credit] : credits) {
      out += "\n" + heading(credit, id) + "\n";
      credit_lines(credit, out, true);
    }
    if (credits.empty()) out += "\nNo source requires credit.\n";
    return out;
  }

  std::string permitted;
  for (const auto& [id, credit] : credits) {
    auto it = decided.find(id);
    if (it == decided.end() || !it->second->permitted) continue;
    Credit titled = credit;  // An agreement's duties come without the source's title.
    if (titled.title.empty()) titled.title = it->second->title;
    permitted += "\n" + heading(titled, id) + "\n";
    credit_lines(credit, permitted, true);
  }
  out += "\nSources used with permission\n  Credited as their licences or agreements require.\n";
  out += permitted.empty() ? "\n  None requires credit.\n" : permitted;

  std::string unpermitted;
  std::size_t count = 0;
  for (const SourceDecision& d : *report.decisions) {
    if (d.permitted) continue;
    ++count;
    auto it = credits.find(d.id.view());
    Credit credit = it != credits.end() ? it->second : Credit{};
    if (credit.title.empty()) credit.title = d.title;
    unpermitted += "\n" + heading(credit, d.id) + "\n";
    unpermitted += "  Not permitted (" + Safe(d.reason) + "): " + Safe(d.detail) + "\n";
    if (!d.license.empty()) {
      unpermitted += "  License as published: " +
                     Safe(d.license_canonical.empty() ? d.license : d.license_canonical) + "\n";
    }
    credit_lines(credit, unpermitted, false);
  }
  if (count > 0) {
    out += "\nSources used WITHOUT permission (" + std::to_string(count) +
           ")\n  No licence, agreement or other basis permits this use of them. A licence shown "
           "is\n  the one the source is published under; it does not make this use permitted.\n";
    out += unpermitted;
  } else {
    out += "\nEvery source was used with permission.\n";
  }
  return out;
}

}  // namespace provgate
