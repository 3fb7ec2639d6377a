// The JSON report of docs/cli.md, written whole or in pieces to a sink.
#include <charconv>

#include "json/json_writer.h"
#include "provgate/report.h"

namespace provgate {

namespace {

void Write(const Report& report, detail::JsonWriter& w);

}  // namespace

std::string RenderJsonReport(const Report& report) {
  std::string out;
  // About 700 bytes per finding and 200 per obligation: reserve once.
  out.reserve(4096 + report.findings.size() * 700 + report.obligations.size() * 200);
  detail::JsonWriter w(out);
  Write(report, w);
  return out;
}

namespace detail {

void WriteReport(const Report& report, JsonWriter& w) { Write(report, w); }

}  // namespace detail

void WriteJsonReport(const Report& report, const std::function<void(std::string_view)>& sink) {
  constexpr std::size_t kChunk = 1 << 20;
  std::string buffer;
  buffer.reserve(kChunk + (64 << 10));
  detail::JsonWriter w(buffer, &sink, kChunk);
  Write(report, w);
  w.Flush();
}

namespace {

// The decimal digits of `value`, written in `buffer`.
std::string_view Digits(std::uint64_t value, char (&buffer)[24]) {
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string_view(buffer, static_cast<std::size_t>(result.ptr - buffer));
}

void Write(const Report& report, detail::JsonWriter& w) {
  w.BeginObject();
  w.Member("report_version", "1");
  w.Key("tool");
  w.BeginObject();
  w.Member("name", "provgate");
  w.Member("version", report.tool_version);
  w.EndObject();
  w.Key("manifest");
  w.BeginObject();
  w.Member("path", report.manifest_path);
  w.Member("sha256", report.manifest_sha256);
  if (report.sources_path) {
    w.Key("sources");
    w.BeginObject();
    w.Member("path", *report.sources_path);
    w.Member("sha256", report.sources_sha256.value_or(""));
    w.EndObject();
  }
  w.EndObject();
  w.Key("policy");
  w.BeginObject();
  w.Member("name", report.policy_name);
  w.Member("version", report.policy_version);
  w.Member("profile", report.policy_profile);
  w.Member("sha256", report.policy_sha256);
  w.EndObject();
  if (!report.check_date.empty()) w.Member("check_date", report.check_date);
  w.Key("model");
  w.BeginObject();
  w.Member("id", report.model_id);
  w.Member("weights", ToString(report.weights));
  w.Member("effective_weights", report.effective_weights);
  w.Member("tainted", report.tainted);
  if (!report.taint_chain.empty()) w.Member("taint_chain", report.taint_chain);
  if (!report.taint_causes.empty()) {
    w.Key("taint_causes");
    w.BeginArray();
    for (const TaintCause& cause : report.taint_causes) {
      w.BeginObject();
      w.Member("path", cause.path);
      w.Member("model", cause.model);
      w.Member("reason", cause.reason);
      w.Member("sources", cause.sources);
      w.Member("tokens", cause.tokens);
      if (!cause.examples.empty()) {
        w.Key("examples");
        w.BeginArray();
        for (const std::string& example : cause.examples) w.String(example);
        w.EndArray();
      }
      if (!cause.detail.empty()) w.Member("detail", cause.detail);
      w.EndObject();
    }
    w.EndArray();
    if (report.taint_causes_omitted > 0) {
      w.Member("taint_causes_omitted", report.taint_causes_omitted);
    }
  }
  w.EndObject();
  w.Member("verdict", report.compliant() ? "compliant" : "non-compliant");
  auto write_finding = [&](const Finding& f) {
    if (!f.waiver && f.baseline == BaselineStatus::kNone) {
      // The usual finding, in one piece when its texts need no escaping.
      using Piece = detail::JsonWriter::Piece;
      char line[24];
      char column[24];
      std::string_view line_text = Digits(f.location.line, line);
      std::string_view column_text = Digits(f.location.column, column);
      Piece pieces[14];
      std::size_t n = 0;
      pieces[n++] = {Piece::Kind::kString, "rule", f.rule};
      pieces[n++] = {Piece::Kind::kString, "severity", ToString(f.severity)};
      pieces[n++] = {Piece::Kind::kString, "subject", f.subject};
      if (!f.reason.empty()) pieces[n++] = {Piece::Kind::kString, "reason", f.reason};
      pieces[n++] = {Piece::Kind::kString, "message", f.message};
      pieces[n++] = {Piece::Kind::kString, "remedy", f.remedy};
      pieces[n++] = {Piece::Kind::kBeginObject, "location", {}};
      if (f.location.file != report.manifest_path) {
        pieces[n++] = {Piece::Kind::kString, "file", f.location.file};
      }
      pieces[n++] = {Piece::Kind::kString, "pointer", f.location.pointer};
      pieces[n++] = {Piece::Kind::kJson, "line", line_text};
      pieces[n++] = {Piece::Kind::kJson, "column", column_text};
      pieces[n++] = {Piece::Kind::kEndObject, {}, {}};
      pieces[n++] = {Piece::Kind::kJson, "waived", f.waived ? "true" : "false"};
      if (w.PlainObject(pieces, n)) return;
    }
    w.BeginObject();
    w.Member("rule", f.rule);
    w.Member("severity", ToString(f.severity));
    w.Member("subject", f.subject);
    if (!f.reason.empty()) w.Member("reason", f.reason);
    w.Member("message", f.message);
    w.Member("remedy", f.remedy);
    w.Key("location");
    w.BeginObject();
    if (f.location.file != report.manifest_path) w.Member("file", f.location.file);
    w.Member("pointer", f.location.pointer);
    w.Member("line", std::uint64_t{f.location.line});
    w.Member("column", std::uint64_t{f.location.column});
    w.EndObject();
    w.Member("waived", f.waived);
    if (f.waiver) {
      w.Key("waiver");
      w.BeginObject();
      w.Member("reason", f.waiver->reason);
      w.Member("approver", f.waiver->approver);
      w.Member("created", f.waiver->created);
      w.Member("expires", f.waiver->expires);
      if (!f.waiver->ticket.empty()) w.Member("ticket", f.waiver->ticket);
      w.EndObject();
    }
    if (f.baseline != BaselineStatus::kNone) {
      w.Member("baseline", f.baseline == BaselineStatus::kNew ? "new" : "unchanged");
    }
    w.EndObject();
  };
  w.Key("findings");
  w.BeginArray();
  for (const Finding& f : report.findings) write_finding(f);
  w.EndArray();
  if (!report.baseline_path.empty()) {
    w.Key("baseline");
    w.BeginObject();
    w.Member("path", report.baseline_path);
    w.Key("fixed");
    w.BeginArray();
    for (const Finding& f : report.fixed) write_finding(f);
    w.EndArray();
    w.EndObject();
  }
  w.Key("obligations");
  w.BeginArray();
  for (const Obligation& o : report.obligations) {
    using Piece = detail::JsonWriter::Piece;
    Piece pieces[7];
    std::size_t n = 0;
    pieces[n++] = {Piece::Kind::kString, "kind", o.kind};
    pieces[n++] = {Piece::Kind::kString, "rule", o.rule};
    pieces[n++] = {Piece::Kind::kString, "subject", o.subject};
    if (!o.title.empty()) pieces[n++] = {Piece::Kind::kString, "title", o.title};
    if (!o.license.empty()) pieces[n++] = {Piece::Kind::kString, "license", o.license};
    if (!o.uri.empty()) pieces[n++] = {Piece::Kind::kString, "uri", o.uri};
    if (!o.text.empty()) pieces[n++] = {Piece::Kind::kString, "text", o.text};
    if (w.PlainObject(pieces, n)) continue;
    w.BeginObject();
    w.Member("kind", o.kind);
    w.Member("rule", o.rule);
    w.Member("subject", o.subject);
    if (!o.title.empty()) w.Member("title", o.title);
    if (!o.license.empty()) w.Member("license", o.license);
    if (!o.uri.empty()) w.Member("uri", o.uri);
    if (!o.text.empty()) w.Member("text", o.text);
    w.EndObject();
  }
  w.EndArray();
  if (report.decisions) {
    w.Key("decisions");
    w.BeginArray();
    for (const SourceDecision& d : *report.decisions) {
      w.BeginObject();
      w.Member("id", d.id);
      if (!d.title.empty()) w.Member("title", d.title);
      w.Member("permitted", d.permitted);
      if (!d.reason.empty()) w.Member("reason", d.reason);
      w.Member("detail", d.detail);
      w.Member("basis", d.basis);
      if (!d.license.empty()) w.Member("license", d.license);
      if (!d.license_canonical.empty()) w.Member("license_canonical", d.license_canonical);
      w.Member("license_class", d.license_class);
      if (d.tokens) w.Member("tokens", *d.tokens);
      if (d.bytes) w.Member("bytes", *d.bytes);
      w.Key("stages");
      w.BeginArray();
      if (d.stages) {
        for (const std::string& stage : *d.stages) w.String(stage);
      }
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
  }
  const Report::Summary& s = report.summary;
  w.Key("summary");
  w.BeginObject();
  w.Member("sources", s.sources);
  w.Member("permitted", s.permitted);
  w.Member("unpermitted", s.unpermitted);
  w.Member("stages", s.stages);
  w.Member("lineage", s.lineage);
  w.Key("tokens");
  w.BeginObject();
  w.Member("total", s.tokens);
  w.Member("permitted", s.tokens_permitted);
  w.Member("unpermitted", s.tokens_unpermitted);
  w.EndObject();
  w.Key("by_license_class");
  w.BeginObject();
  for (const auto& c : s.by_license_class) {
    w.Key(c.license_class);
    w.BeginObject();
    w.Member("sources", c.sources);
    w.Member("tokens", c.tokens);
    w.EndObject();
  }
  w.EndObject();
  w.Key("bytes");
  w.BeginObject();
  w.Member("total", s.bytes);
  w.EndObject();
  w.Key("findings");
  w.BeginObject();
  w.Member("error", s.errors);
  w.Member("warning", s.warnings);
  w.Member("info", s.infos);
  if (s.waived > 0) w.Member("waived", s.waived);
  w.EndObject();
  if (s.files_checked) {
    w.Key("files");
    w.BeginObject();
    w.Member("verified", s.files_verified);
    w.Member("failed", s.files_failed);
    w.Member("bytes", s.files_bytes);
    w.EndObject();
  }
  w.EndObject();  // summary
  w.EndObject();  // report
  w.Raw("\n");
}

}  // namespace

}  // namespace provgate
