// The decision table as CSV: one line per source, for auditors who open it in a spreadsheet.
#include "common/escape.h"
#include "provgate/report.h"

namespace provgate {

void WriteDecisionsCsv(const Report& report, const std::function<void(std::string_view)>& sink) {
  constexpr std::size_t kChunk = 1 << 20;
  std::string out;
  out.reserve(kChunk + (64 << 10));
  out +=
      "id,title,permitted,reason,detail,basis,license,license_canonical,license_class,tokens,"
      "bytes,stages\r\n";
  auto cell = [&](std::string_view text) {
    detail::AppendCsvCell(out, text);
    out += ',';
  };
  auto number = [&](const std::optional<std::uint64_t>& value) {
    if (value) out += std::to_string(*value);
    out += ',';
  };
  std::string stages;
  if (report.decisions) {
    for (const SourceDecision& d : *report.decisions) {
      cell(d.id);
      cell(d.title);
      out += d.permitted ? "true," : "false,";
      cell(d.reason);
      cell(d.detail);
      cell(d.basis);
      cell(d.license);
      cell(d.license_canonical);
      cell(d.license_class);
      number(d.tokens);
      number(d.bytes);
      // The stage ids in one cell, separated by `;` (the JSON report has them as a list).
      stages.clear();
      if (d.stages) {
        for (const std::string& stage : *d.stages) {
          if (!stages.empty()) stages += ';';
          stages += stage;
        }
      }
      detail::AppendCsvCell(out, stages);
      out += "\r\n";
      if (out.size() >= kChunk) {
        sink(out);
        out.clear();
      }
    }
  }
  if (!out.empty()) sink(out);
}

std::string RenderDecisionsCsv(const Report& report) {
  std::string out;
  WriteDecisionsCsv(report, [&](std::string_view piece) { out.append(piece); });
  return out;
}

}  // namespace provgate
