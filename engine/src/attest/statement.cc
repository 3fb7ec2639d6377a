// The in-toto statement: the report as signed (canonical JSON, subjects first), and the
// members of a signed statement that verification reports.
#include "attest/statement.h"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <utility>
#include <vector>

#include "attest/json_names.h"
#include "json/json_writer.h"

namespace provgate {

std::string RenderStatement(const Report& report) {
  // Written straight in canonical form: a report of hundreds of megabytes is neither parsed
  // back nor held as a document tree.
  std::string out;
  out.reserve(4096 + report.findings.size() * 600 + report.obligations.size() * 200 +
              report.artifacts.size() * 120);
  detail::JsonWriter w(out, detail::JsonWriter::Canonical{});
  w.BeginObject();
  w.Member("_type", kStatementType);
  w.Key("subject");
  w.BeginArray();
  // The manifest and its side file come first; the artifacts, already without repeats, follow
  // unless one of them is the manifest or the side file again.
  std::vector<std::pair<std::string, std::string>> first;
  auto add = [&](const std::string& name, const std::string& sha256) {
    if (std::find(first.begin(), first.end(), std::pair{name, sha256}) != first.end()) return;
    w.BeginObject();
    w.Member("name", name);
    w.Key("digest");
    w.BeginObject();
    w.Member("sha256", sha256);
    w.EndObject();
    w.EndObject();
  };
  std::filesystem::path manifest(report.manifest_path);
  add(manifest.filename().string(), report.manifest_sha256);
  first.emplace_back(manifest.filename().string(), report.manifest_sha256);
  if (report.sources_path && report.sources_sha256) {
    std::string name = std::filesystem::path(*report.sources_path)
                           .lexically_relative(manifest.parent_path())
                           .string();
    add(name, *report.sources_sha256);
    first.emplace_back(name, *report.sources_sha256);
  }
  for (const Artifact& a : report.artifacts) add(a.name, a.sha256);
  w.EndArray();
  w.Member("predicateType", kReportPredicateType);
  w.Key("predicate");
  detail::WriteReport(report, w);
  w.EndObject();
  return out;
}

namespace detail {

// Statements are read with simdjson's DOM parser: only the members shown are copied out, and
// the findings are counted.
namespace dom = simdjson::dom;

std::string ReadStatement(const std::string& payload, VerifyResult& result) {
  const std::string kNotReport = "not a compliance report: ";
  dom::parser parser;
  dom::element doc;
  dom::object statement;
  if (parser.parse(payload).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(statement) != simdjson::SUCCESS) {
    return kNotReport + "the signed payload is not a JSON object";
  }
  if (std::string pointer; FindRepeatedName(doc, pointer)) {
    return "duplicate key: the signed statement has the member " + pointer +
           " twice, and JSON readers disagree on which one counts";
  }
  auto text = [](dom::object object, std::string_view key, std::string& out) {
    std::string_view value;
    if (object.at_key(key).get_string().get(value) != simdjson::SUCCESS) return false;
    out = std::string(value);
    return true;
  };
  std::string type, predicate_type;
  if (!text(statement, "_type", type) || type != kStatementType) {
    return kNotReport + "the payload is not an in-toto Statement v1 (_type " +
           std::string(kStatementType) + ")";
  }
  text(statement, "predicateType", predicate_type);
  if (predicate_type != kReportPredicateType) {
    return kNotReport + "predicateType is '" + predicate_type + "', expected '" +
           std::string(kReportPredicateType) + "'";
  }
  const std::string kLacks = kNotReport + "the statement lacks the manifest subject or the report";
  dom::array subjects;
  dom::object first, digest, predicate, object;
  if (statement.at_key("subject").get_array().get(subjects) != simdjson::SUCCESS ||
      subjects.begin() == subjects.end() ||
      (*subjects.begin()).get_object().get(first) != simdjson::SUCCESS ||
      first.at_key("digest").get_object().get(digest) != simdjson::SUCCESS ||
      !text(digest, "sha256", result.manifest_sha256) ||
      statement.at_key("predicate").get_object().get(predicate) != simdjson::SUCCESS) {
    return kLacks;
  }
  text(first, "name", result.manifest_name);
  result.subjects = subjects.size();
  std::string report_manifest;
  if (predicate.at_key("manifest").get_object().get(object) != simdjson::SUCCESS ||
      !text(object, "sha256", report_manifest)) {
    return kLacks;
  }
  if (report_manifest != result.manifest_sha256 || result.manifest_sha256.empty()) {
    return kNotReport + "the manifest subject and the report's manifest digest differ";
  }
  if (predicate.at_key("model").get_object().get(object) != simdjson::SUCCESS) return kLacks;
  text(object, "id", result.model_id);
  text(object, "weights", result.weights);
  text(object, "effective_weights", result.effective_weights);
  bool tainted = false;
  if (object.at_key("tainted").get_bool().get(tainted) == simdjson::SUCCESS) {
    result.tainted = tainted;
  }
  text(object, "taint_chain", result.taint_chain);
  text(predicate, "verdict", result.verdict);
  dom::array findings;
  if (predicate.at_key("findings").get_array().get(findings) == simdjson::SUCCESS) {
    result.findings = findings.size();
  }
  if (predicate.at_key("tool").get_object().get(object) == simdjson::SUCCESS) {
    text(object, "version", result.tool_version);
  }
  if (predicate.at_key("policy").get_object().get(object) == simdjson::SUCCESS) {
    text(object, "name", result.policy_name);
    text(object, "version", result.policy_version);
    text(object, "profile", result.policy_profile);
    text(object, "sha256", result.policy_sha256);
  }
  return "";
}

}  // namespace detail
}  // namespace provgate
