// DiagnosticSink: collects the diagnostics of one input up to a limit, then notes once that
// further errors are not reported.
#ifndef PROVGATE_JSON_DIAGNOSTIC_SINK_H_
#define PROVGATE_JSON_DIAGNOSTIC_SINK_H_

#include <cstddef>
#include <utility>
#include <vector>

#include "provgate/diagnostic.h"

namespace provgate::detail {

class DiagnosticSink {
 public:
  DiagnosticSink(std::vector<Diagnostic>& out, std::size_t limit) : out_(out), limit_(limit) {}

  // Adds `d`, or, past the limit, a note in its place (once) saying that errors were dropped.
  void Add(Diagnostic d) {
    if (errors_ >= limit_) {
      if (!truncated_) {
        truncated_ = true;
        Diagnostic note = std::move(d);
        note.severity = Diagnostic::Severity::kInfo;
        note.code = "too-many-errors";
        note.message = "too many errors; further errors are not reported";
        note.pointer.clear();
        out_.push_back(std::move(note));
      }
      return;
    }
    ++errors_;
    out_.push_back(std::move(d));
  }
  std::size_t errors() const { return errors_; }
  // False once the limit is reached and the note written: what is added is dropped, so the
  // caller need not compose it.
  bool Accepts() const { return errors_ < limit_ || !truncated_; }

 private:
  std::vector<Diagnostic>& out_;
  std::size_t limit_;
  std::size_t errors_ = 0;
  bool truncated_ = false;
};

}  // namespace provgate::detail

#endif  // PROVGATE_JSON_DIAGNOSTIC_SINK_H_
