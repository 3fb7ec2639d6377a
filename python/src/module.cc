// provgate._core: the engine's entry points for the Python package. Values cross as plain
// Python data (str, bytes, bool, int, lists and dicts); the package's Python layer turns them
// into its classes and exceptions. Every call that reads, judges or renders releases the GIL.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "provgate/attest.h"
#include "provgate/check.h"
#include "provgate/export_formats.h"
#include "provgate/expr.h"
#include "provgate/formats.h"
#include "provgate/interop.h"
#include "provgate/license.h"
#include "provgate/lineage.h"
#include "provgate/policy.h"
#include "provgate/report.h"
#include "provgate/session.h"
#include "provgate/shard.h"
#include "provgate/version.h"

namespace py = pybind11;

namespace provgate::python {
namespace {

// A loaded rule pack, shared by every check that uses it (RulePack itself is opaque).
struct PackHolder {
  std::shared_ptr<const RulePack> pack;
  const RulePack& operator*() const { return *pack; }
};
using Pack = PackHolder;

// A manifest as the Python layer describes it: ("file", path, "", "") or ("text", json, name,
// base_dir).
using InputSpec = std::tuple<std::string, std::string, std::string, std::string>;

ManifestInput ToInput(const InputSpec& spec) {
  const auto& [kind, value, name, base_dir] = spec;
  if (kind == "file") return ManifestInput::File(value);
  if (kind != "text") throw py::value_error("manifest kind must be 'file' or 'text'");
  return ManifestInput::Text(value, name, base_dir);
}

template <typename T>
T Get(const py::dict& options, const char* key, T fallback) {
  if (!options.contains(key)) return fallback;
  py::handle value = options[key];
  if (value.is_none()) return fallback;
  return value.cast<T>();
}

// The engine's options from the dict the Python layer made (types already checked there; a
// wrong type here is a TypeError from pybind11).
CheckOptions ToOptions(const py::dict& options) {
  static const char* const kKnown[] = {
      "profile",       "date",         "params",       "verify_files",
      "waivers_path",  "waivers_text", "waivers_name", "trusted_keys",
      "trusted_pem",   "root",         "decisions",    "artifacts",
      "warn_expiring", "max_threads",  "cost_limit",   "integrity_only"};
  for (auto item : options) {
    std::string key = item.first.cast<std::string>();
    bool known = false;
    for (const char* k : kKnown) known = known || key == k;
    if (!known) throw py::value_error("unknown option '" + key + "'");
  }
  CheckOptions o;
  o.profile = Get<std::string>(options, "profile", "");
  o.date = Get<std::string>(options, "date", "");
  o.params = Get<std::vector<std::pair<std::string, std::string>>>(options, "params", {});
  o.verify_files = Get<bool>(options, "verify_files", false);
  o.waivers_path = Get<std::string>(options, "waivers_path", "");
  o.waivers_text = Get<std::string>(options, "waivers_text", "");
  o.waivers_name = Get<std::string>(options, "waivers_name", "waivers.yaml");
  o.trusted_keys = Get<std::vector<std::string>>(options, "trusted_keys", {});
  for (const auto& [name, pem] :
       Get<std::vector<std::pair<std::string, std::string>>>(options, "trusted_pem", {})) {
    o.trusted_key_sources.push_back(KeySource::Pem(pem, name));
  }
  o.root = Get<std::string>(options, "root", "");
  o.collect_decisions = Get<bool>(options, "decisions", false);
  o.collect_artifacts = Get<bool>(options, "artifacts", false);
  o.warn_expiring_days = Get<int>(options, "warn_expiring", -1);
  o.max_threads = Get<unsigned>(options, "max_threads", 0);
  o.cost_limit = Get<std::uint64_t>(options, "cost_limit", o.cost_limit);
  o.integrity_only = Get<bool>(options, "integrity_only", false);
  return o;
}

// Text from the engine that may quote bytes of the input: invalid UTF-8 shows as escapes
// instead of failing the conversion.
py::str Lenient(const std::string& text) {
  PyObject* decoded =
      PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "backslashreplace");
  if (decoded == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(decoded);
}

// A list of dicts, one per item, each filled by `fill(item, dict)`.
template <typename T, typename Fill>
py::list ListOf(const std::vector<T>& items, Fill fill) {
  py::list out;
  for (const T& item : items) {
    py::dict d;
    fill(item, d);
    out.append(d);
  }
  return out;
}

py::dict DiagnosticDict(const Diagnostic& d) {
  py::dict out;
  out["severity"] = std::string(ToString(d.severity));
  out["code"] = Lenient(d.code);
  out["message"] = Lenient(d.message);
  out["file"] = Lenient(d.file);
  out["line"] = d.line;
  out["column"] = d.column;
  out["pointer"] = Lenient(d.pointer);
  out["text"] = Lenient(FormatDiagnostic(d));
  return out;
}

py::list DiagnosticList(const std::vector<Diagnostic>& diagnostics) {
  py::list out;
  for (const Diagnostic& d : diagnostics) out.append(DiagnosticDict(d));
  return out;
}

// Status codes as the Python layer names them.
const char* StatusName(const Status& status) {
  switch (status.code()) {
    case Status::Code::kOk:
      return "ok";
    case Status::Code::kInvalidArgument:
      return "invalid-argument";
    case Status::Code::kNotFound:
      return "not-found";
    case Status::Code::kIoError:
      return "io-error";
    case Status::Code::kInternal:
      return "internal";
  }
  return "internal";
}

py::tuple StatusTuple(const Status& status) {
  return py::make_tuple(StatusName(status), Lenient(status.message()));
}

FailOn ToFailOn(const std::string& level) {
  if (level == "error") return FailOn::kError;
  if (level == "warning") return FailOn::kWarning;
  throw py::value_error("fail_on must be 'error' or 'warning'");
}

// A check's outcome, with the pack it was made with (the SARIF and JUnit renderings name it).
class Result {
 public:
  Result(CheckResult result, Pack pack)
      : result_(std::make_shared<CheckResult>(std::move(result))), pack_(std::move(pack)) {}

  int ExitCode(const std::string& fail_on, bool new_only) const {
    return result_->ExitCode(ToFailOn(fail_on), new_only);
  }
  py::tuple StatusOf() const { return StatusTuple(result_->status); }
  py::list Diagnostics() const { return DiagnosticList(result_->diagnostics); }
  std::vector<std::string> Dependencies() const { return result_->dependencies; }

  // The report in `format`, as the CLI writes it.
  std::string Render(const std::string& format, const py::dict& options) const {
    FormatOptions formatting;
    formatting.source_root = Get<std::string>(options, "source_root", "");
    formatting.link_base = Get<std::string>(options, "link_base", "");
    formatting.fail_on = ToFailOn(Get<std::string>(options, "fail_on", "error"));
    TextOptions text;
    text.group_above = Get<std::size_t>(options, "group", 5);
    const Report& report = result_->report;
    const RulePack& pack = *pack_;
    std::string out;
    py::gil_scoped_release unlocked;
    if (format == "json") {
      WriteJsonReport(report, [&out](std::string_view piece) { out.append(piece); });
    } else if (format == "csv") {
      WriteDecisionsCsv(report, [&out](std::string_view piece) { out.append(piece); });
    } else if (format == "text") {
      out = RenderTextReport(report, text);
    } else if (format == "markdown") {
      out = RenderMarkdownReport(report, formatting);
    } else if (format == "sarif") {
      out = RenderSarifReport(report, DescribePack(pack), formatting);
    } else if (format == "junit") {
      out = RenderJunitReport(report, DescribePack(pack), formatting);
    } else if (format == "github") {
      out = RenderGithubAnnotations(report, formatting);
    } else if (format == "notice") {
      out = RenderNotice(report);
    } else if (format == "statement") {
      out = RenderStatement(report);
    } else if (format == "graph-json") {
      out = RenderGraphJson(result_->graph);
    } else if (format == "graph-dot") {
      out = RenderGraphDot(result_->graph);
    } else {
      py::gil_scoped_acquire locked;
      throw py::value_error("unknown format '" + format + "'");
    }
    return out;
  }

  // The signed report (a DSSE envelope), with the private key `key` (a path, or PEM text when
  // `pem`); (status, envelope).
  py::tuple Sign(const std::string& key, bool pem, const std::string& name) const {
    SignResult signed_report;
    {
      py::gil_scoped_release unlocked;
      KeySource source = pem ? KeySource::Pem(key, name) : KeySource::File(key);
      SignerResult signer = LoadSigner(source);
      if (!signer.status.ok()) {
        signed_report.status = signer.status;
      } else {
        signed_report = SignStatement(RenderStatement(result_->report), *signer.signer);
      }
    }
    return py::make_tuple(StatusTuple(signed_report.status), signed_report.envelope);
  }

 private:
  std::shared_ptr<CheckResult> result_;
  Pack pack_;
};

// (status, diagnostics, pack)
py::tuple LoadPack(const std::string& dir) {
  PackLoadResult loaded;
  {
    py::gil_scoped_release unlocked;
    loaded = LoadRulePack(dir);
  }
  py::object pack = py::none();
  if (loaded.ok()) pack = py::cast(PackHolder{loaded.pack});
  return py::make_tuple(StatusTuple(loaded.status), DiagnosticList(loaded.diagnostics), pack);
}

Result RunCheck(const Pack& pack, const InputSpec& spec, const py::dict& options_dict) {
  CheckOptions options = ToOptions(options_dict);
  ManifestInput input = ToInput(spec);
  CheckResult result;
  {
    py::gil_scoped_release unlocked;
    result = Check(input, *pack, options);
  }
  return Result(std::move(result), pack);
}

py::dict PackInfoDict(const Pack& pack) {
  const PackInfo& info = DescribePack(*pack);
  py::dict out;
  out["name"] = info.name;
  out["version"] = info.version;
  out["description"] = info.description;
  out["default_profile"] = info.default_profile;
  out["sha256"] = info.sha256;
  out["integrity_rule"] = info.integrity_rule;
  out["profiles"] = ListOf(info.profiles, [](const ProfileInfo& p, py::dict& d) {
    d["name"] = p.name;
    d["description"] = p.description;
    d["reads_sources_twice"] = p.intermediate_facts;
  });
  out["parameters"] = ListOf(info.parameters, [](const ParameterInfo& p, py::dict& d) {
    d["name"] = p.name;
    d["type"] = p.type;
    d["default"] = p.default_value;
    d["description"] = p.description;
  });
  out["rules"] = ListOf(info.rules, [](const RuleInfo& r, py::dict& d) {
    d["id"] = r.id;
    d["title"] = r.title;
    d["severity"] = std::string(ToString(r.severity));
    d["description"] = r.description;
    d["profiles"] = r.profiles;
    d["reasons"] = r.reasons;
  });
  out["reasons"] = ListOf(info.reasons, [](const ReasonInfo& r, py::dict& d) {
    d["code"] = r.code;
    d["title"] = r.title;
    d["description"] = r.description;
    d["remedy"] = r.remedy;
  });
  return out;
}

py::dict LicenseNodeDict(const LicenseNode& node) {
  py::dict out;
  out["kind"] = node.kind;
  if (!node.id.empty()) out["id"] = node.id;
  if (node.or_later) out["or_later"] = true;
  if (!node.exception.empty()) out["exception"] = node.exception;
  if (!node.children.empty()) {
    py::list children;
    for (const LicenseNode& child : node.children) children.append(LicenseNodeDict(child));
    out["children"] = children;
  }
  return out;
}

py::dict DescribeLicenseDict(const Pack& pack, const std::string& expression, bool commercial) {
  LicenseInfo info = DescribeLicense(*pack, expression, commercial);
  py::dict out;
  out["ok"] = info.ok;
  if (!info.ok) {
    out["error"] = info.error;
    out["column"] = info.error_column;
    return out;
  }
  out["expression"] = info.canonical;
  out["tree"] = LicenseNodeDict(info.tree);
  out["class"] = info.license_class;
  out["permitted"] = info.permitted;
  out["reason"] = info.reason;
  out["licenses"] = info.licenses;
  out["attribution"] = info.attribution;
  out["share_alike"] = info.share_alike;
  out["choice"] = info.choice;
  out["hint"] = info.hint;
  out["open_weights"] = info.open_weights;
  out["conditions"] = ListOf(info.conditions, [](const LicenseConditionInfo& c, py::dict& d) {
    d["kind"] = c.kind;
    d["text"] = c.text;
    d["uri"] = c.uri;
    d["license"] = c.license;
  });
  return out;
}

// (outcome, json, diagnostics, status)
py::tuple RunExpression(const std::string& expression, const std::string& bindings_path,
                        std::uint64_t cost_limit) {
  ExpressionOptions options;
  options.bindings_path = bindings_path;
  options.cost_limit = cost_limit;
  ExpressionResult result;
  {
    py::gil_scoped_release unlocked;
    result = EvaluateExpression(expression, options);
  }
  const char* outcome = result.outcome == ExpressionResult::Outcome::kValue             ? "value"
                        : result.outcome == ExpressionResult::Outcome::kEvaluationError ? "error"
                                                                                        : "invalid";
  return py::make_tuple(outcome, result.json, DiagnosticList(result.diagnostics),
                        StatusTuple(result.status));
}

// (exit code, verify JSON)
py::tuple RunVerify(const std::string& envelope, const std::vector<std::string>& key_paths,
                    const std::vector<std::pair<std::string, std::string>>& pem_keys, int threshold,
                    const std::string& manifest) {
  VerifyOptions options;
  options.key_paths = key_paths;
  for (const auto& [name, pem] : pem_keys) options.keys.push_back(KeySource::Pem(pem, name));
  options.threshold = threshold;
  options.manifest_path = manifest;
  VerifyResult result;
  std::string json;
  {
    py::gil_scoped_release unlocked;
    result = VerifyEnvelope(envelope, options);
    json = RenderVerifyJson(result);
  }
  return py::make_tuple(result.ExitCode(), json);
}

// A session over sources that arrive in batches of JSON text.
class Session {
 public:
  Session(Pack pack, const std::string& header_json, const std::string& name,
          const std::string& base_dir, const py::dict& options_dict)
      : pack_(std::move(pack)) {
    CheckOptions options = ToOptions(options_dict);
    Manifest header;
    ReadOptions read;
    read.pipeline = false;
    ReadResult loaded = LoadManifestText(header_json, name, base_dir, header, read);
    header_status_ = loaded.status;
    header_diagnostics_ = std::move(loaded.diagnostics);
    version_ = header.header.manifest_version;
    session_ = std::make_unique<CheckSession>(*pack_, std::move(options), std::move(header.header),
                                              name, base_dir);
    name_ = name;
    base_dir_ = base_dir;
  }

  // Reads a JSON array of sources and adds them; (status, diagnostics) of this batch's
  // reading, pointers numbered from the session's count. Nothing is added when the batch has
  // errors.
  py::tuple Add(const std::string& array_json) {
    std::unique_lock<std::mutex> lock = Lock();
    std::string text = R"({"manifest_version":)";
    text += '"' + (version_.empty() ? std::string("1") : version_) + '"';
    text += R"(,"model":{"id":"batch","release":{"weights":"closed"}},"sources":)";
    text += array_json;
    text += '}';
    Manifest batch;
    ReadResult loaded;
    std::uint64_t base = session_->size();
    {
      py::gil_scoped_release unlocked;
      ReadOptions read;
      read.pipeline = false;
      loaded = LoadManifestText(text, name_, base_dir_, batch, read);
      if (loaded.ok()) session_->Add(batch.sources);
    }
    for (Diagnostic& d : loaded.diagnostics) {
      d.line = d.column = 0;
      d.pointer = Shift(d.pointer, base);
    }
    return py::make_tuple(StatusTuple(loaded.status), DiagnosticList(loaded.diagnostics));
  }

  std::uint64_t Size() {
    std::unique_lock<std::mutex> lock = Lock();
    return session_->size();
  }
  py::list Diagnostics() {
    std::unique_lock<std::mutex> lock = Lock();
    std::vector<Diagnostic> all = header_diagnostics_;
    all.insert(all.end(), session_->diagnostics().begin(), session_->diagnostics().end());
    return DiagnosticList(all);
  }

  Result Finish() {
    std::unique_lock<std::mutex> lock = Lock();
    CheckResult result;
    {
      py::gil_scoped_release unlocked;
      result = session_->Finish();
    }
    if (!header_status_.ok() && result.status.ok()) result.status = header_status_;
    result.diagnostics.insert(result.diagnostics.begin(), header_diagnostics_.begin(),
                              header_diagnostics_.end());
    return Result(std::move(result), pack_);
  }

 private:
  // The session is used by one call at a time, whichever Python threads call it: the lock is
  // taken with the GIL released, so that a thread waiting for it does not hold the GIL that
  // the thread inside needs to return.
  std::unique_lock<std::mutex> Lock() {
    std::unique_lock<std::mutex> lock(mutex_, std::defer_lock);
    py::gil_scoped_release unlocked;
    lock.lock();
    return lock;
  }

  static std::string Shift(const std::string& pointer, std::uint64_t base) {
    const std::string prefix = "/sources/";
    if (pointer.rfind(prefix, 0) != 0) return pointer;
    std::size_t end = pointer.find('/', prefix.size());
    std::string index = pointer.substr(prefix.size(), end - prefix.size());
    if (index.empty() || index.size() > 18 ||
        index.find_first_not_of("0123456789") != std::string::npos) {
      return pointer;
    }
    return prefix + std::to_string(base + std::stoull(index)) +
           (end == std::string::npos ? std::string() : pointer.substr(end));
  }

  std::mutex mutex_;
  Pack pack_;
  std::unique_ptr<CheckSession> session_;
  Status header_status_;
  std::vector<Diagnostic> header_diagnostics_;
  std::string version_;
  std::string name_;
  std::string base_dir_;
};

py::tuple ShardTuple(const ShardResult& result) {
  return py::make_tuple(StatusTuple(result.status), DiagnosticList(result.diagnostics),
                        py::bytes(result.partial));
}

py::tuple RunEvaluateShard(const Pack& pack, const InputSpec& spec, const py::dict& options_dict,
                           std::uint64_t index, std::uint64_t count) {
  CheckOptions options = ToOptions(options_dict);
  ManifestInput input = ToInput(spec);
  ShardResult result;
  {
    py::gil_scoped_release unlocked;
    result = EvaluateShard(input, ShardSpec{index, count}, *pack, options);
  }
  return ShardTuple(result);
}

Result RunMergeShards(const Pack& pack, const InputSpec& spec, const py::dict& options_dict,
                      const std::vector<py::bytes>& partials) {
  CheckOptions options = ToOptions(options_dict);
  ManifestInput input = ToInput(spec);
  std::vector<std::string> bytes;
  for (const py::bytes& p : partials) bytes.push_back(p);
  CheckResult result;
  {
    py::gil_scoped_release unlocked;
    result = MergeShards(input, bytes, *pack, options);
  }
  return Result(std::move(result), pack);
}

using PartitionTuple =
    std::tuple<std::uint64_t, std::uint64_t, std::uint64_t, std::uint64_t, std::uint64_t>;

Partition ToPartition(const PartitionTuple& t) {
  Partition p;
  std::tie(p.begin, p.end, p.first_line, p.first_index, p.sources) = t;
  return p;
}

// (status, diagnostics, partitions, source count, sha256, two_pass)
py::tuple RunPlanPartitions(const Pack& pack, const InputSpec& spec, const py::dict& options_dict,
                            std::uint64_t partition_bytes) {
  CheckOptions options = ToOptions(options_dict);
  ManifestInput input = ToInput(spec);
  PartitionPlan plan;
  {
    py::gil_scoped_release unlocked;
    plan = PlanPartitions(input, partition_bytes, *pack, options);
  }
  std::vector<PartitionTuple> partitions;
  for (const Partition& p : plan.partitions) {
    partitions.emplace_back(p.begin, p.end, p.first_line, p.first_index, p.sources);
  }
  return py::make_tuple(StatusTuple(plan.status), DiagnosticList(plan.diagnostics), partitions,
                        plan.sources.source_count, plan.sources.sha256, plan.two_pass);
}

py::tuple RunPartitionFacts(const Pack& pack, const InputSpec& spec, const py::dict& options_dict,
                            const PartitionTuple& partition, std::optional<std::string> lines) {
  CheckOptions options = ToOptions(options_dict);
  ManifestInput input = ToInput(spec);
  PartitionFactsResult facts;
  {
    py::gil_scoped_release unlocked;
    facts =
        PartitionFacts(input, ToPartition(partition), *pack, options, lines ? &*lines : nullptr);
  }
  return py::make_tuple(StatusTuple(facts.status), DiagnosticList(facts.diagnostics),
                        facts.last_unpermitted_stage);
}

py::tuple RunEvaluatePartition(const Pack& pack, const InputSpec& spec,
                               const py::dict& options_dict, const PartitionTuple& partition,
                               std::optional<std::int64_t> last_unpermitted_stage,
                               std::optional<std::string> lines) {
  CheckOptions options = ToOptions(options_dict);
  ManifestInput input = ToInput(spec);
  ShardResult result;
  {
    py::gil_scoped_release unlocked;
    result = lines ? EvaluatePartitionText(input, std::move(*lines), ToPartition(partition), *pack,
                                           options, last_unpermitted_stage)
                   : EvaluatePartition(input, ToPartition(partition), *pack, options,
                                       last_unpermitted_stage);
  }
  return ShardTuple(result);
}

Result RunMergePartitions(const Pack& pack, const InputSpec& spec, const py::dict& options_dict,
                          const std::vector<py::bytes>& partials, std::uint64_t source_count,
                          const std::string& sha256) {
  CheckOptions options = ToOptions(options_dict);
  ManifestInput input = ToInput(spec);
  std::vector<std::string> bytes;
  bytes.reserve(partials.size());
  for (const py::bytes& p : partials) bytes.push_back(p);
  PartitionedSources sources;
  sources.source_count = source_count;
  sources.sha256 = sha256;
  CheckResult result;
  {
    py::gil_scoped_release unlocked;
    result = MergePartitions(input, bytes, sources, *pack, options);
  }
  return Result(std::move(result), pack);
}

// (status, diagnostics, manifest JSON, unmapped fields)
py::tuple RunImport(const std::string& format_name, const std::vector<std::string>& files,
                    const std::string& model, const std::string& weights,
                    const std::string& pack_dir) {
  std::optional<ImportFormat> format = ParseImportFormat(format_name);
  if (!format) {
    throw py::value_error("unknown import format '" + format_name +
                          "' (expected hf-card, croissant, spdx3 or cyclonedx)");
  }
  ImportOptions options;
  options.model_id = model;
  options.pack_dir = pack_dir;
  if (weights == "open") {
    options.weights = Weights::kOpen;
  } else if (weights == "closed") {
    options.weights = Weights::kClosed;
  } else if (weights == "unreleased") {
    options.weights = Weights::kUnreleased;
  } else if (!weights.empty()) {
    throw py::value_error("weights must be 'open', 'closed' or 'unreleased'");
  }
  ImportResult result;
  {
    py::gil_scoped_release unlocked;
    result = Import(*format, files, options);
  }
  py::list unmapped = ListOf(result.unmapped, [](const UnmappedField& field, py::dict& d) {
    d["file"] = Lenient(field.file);
    d["line"] = field.line;
    d["column"] = field.column;
    d["pointer"] = Lenient(field.pointer);
    d["field"] = Lenient(field.field);
    d["reason"] = Lenient(field.reason);
  });
  return py::make_tuple(StatusTuple(result.status), DiagnosticList(result.diagnostics),
                        Lenient(result.manifest_json), unmapped);
}

// (status, diagnostics, document)
py::tuple RunExport(const Pack& pack, const std::string& format_name, const std::string& path,
                    const py::dict& options_dict, const std::string& created,
                    const std::string& namespace_iri) {
  ExportFormat format;
  if (format_name == "spdx3") {
    format = ExportFormat::kSpdx3;
  } else if (format_name == "cyclonedx") {
    format = ExportFormat::kCycloneDx;
  } else {
    throw py::value_error("unknown export format '" + format_name +
                          "' (expected spdx3 or cyclonedx)");
  }
  CheckOptions options = ToOptions(options_dict);
  ExportOptions export_options;
  export_options.created = created;
  export_options.namespace_iri = namespace_iri;
  ExportResult result;
  {
    py::gil_scoped_release unlocked;
    result = ExportManifest(format, path, *pack, options, export_options);
  }
  std::vector<Diagnostic> diagnostics = result.diagnostics;
  if (diagnostics.empty()) diagnostics = result.check.diagnostics;
  Status status = result.status.ok() ? result.check.status : result.status;
  return py::make_tuple(StatusTuple(status), DiagnosticList(diagnostics), result.document);
}

}  // namespace
}  // namespace provgate::python

PYBIND11_MODULE(_core, m) {
  using namespace provgate::python;
  m.doc() = "provgate's engine (internal: use the provgate package)";
  m.attr("__version__") = provgate::Version();
  py::class_<PackHolder>(m, "RulePack");
  py::class_<Result>(m, "Result")
      .def("exit_code", &Result::ExitCode, py::arg("fail_on") = "error",
           py::arg("new_only") = false)
      .def("status", &Result::StatusOf)
      .def("diagnostics", &Result::Diagnostics)
      .def("dependencies", &Result::Dependencies)
      .def("render", &Result::Render, py::arg("format"), py::arg("options") = py::dict())
      .def("sign", &Result::Sign);
  py::class_<Session>(m, "Session")
      .def(py::init<Pack, const std::string&, const std::string&, const std::string&,
                    const py::dict&>())
      .def("add", &Session::Add)
      .def("size", &Session::Size)
      .def("diagnostics", &Session::Diagnostics)
      .def("finish", &Session::Finish);
  m.def("load_pack", &LoadPack);
  m.def("check", &RunCheck);
  m.def("pack_info", &PackInfoDict);
  m.def("explain_rule",
        [](const Pack& pack, const std::string& id) { return provgate::ExplainRule(*pack, id); });
  m.def("explain_reason", [](const Pack& pack, const std::string& code) {
    return provgate::ExplainReason(*pack, code);
  });
  m.def("explain_facts", &provgate::ExplainFacts);
  m.def("describe_license", &DescribeLicenseDict);
  m.def("expression", &RunExpression);
  m.def("verify", &RunVerify);
  m.def("evaluate_shard", &RunEvaluateShard);
  m.def("merge_shards", &RunMergeShards);
  m.def("plan_partitions", &RunPlanPartitions);
  m.def("partition_facts", &RunPartitionFacts);
  m.def("evaluate_partition", &RunEvaluatePartition);
  m.def("merge_partitions", &RunMergePartitions);
  m.def("import_documents", &RunImport);
  m.def("export_manifest", &RunExport);
}
