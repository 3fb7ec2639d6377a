// CheckSession: the header validated and judged when the session opens, each batch of sources
// validated (read back from its canonical JSON, as a typed manifest is) and judged as it
// arrives, the model judged in Finish.
#include "provgate/session.h"

#include <optional>
#include <span>
#include <utility>

#include "api/check_flow.h"
#include "crypto/sha256.h"
#include "json/json_writer.h"
#include "manifest/writer.h"

namespace provgate {
namespace {

// Keeps the header the reader produced.
class HeaderCapture : public ManifestVisitor {
 public:
  void OnHeader(const ManifestHeader& header) override { header_ = header; }
  void OnSource(const Source&) override {}
  ManifestHeader& header() { return header_; }

 private:
  ManifestHeader header_;
};

// Hands each source the reader validated to `sink` with its position in the session.
template <typename Sink>
class SourceCapture : public ManifestVisitor {
 public:
  SourceCapture(std::uint64_t base, Sink sink) : base_(base), sink_(std::move(sink)) {}
  void OnHeader(const ManifestHeader&) override {}
  void OnSource(const Source& source) override { sink_(source, base_ + source.index); }

 private:
  std::uint64_t base_;
  Sink sink_;
};

// "/sources/<i>..." of a batch is "/sources/<base + i>..." of the session.
std::string ShiftPointer(const std::string& pointer, std::uint64_t base) {
  constexpr std::string_view kPrefix = "/sources/";
  if (pointer.compare(0, kPrefix.size(), kPrefix) != 0) return pointer;
  std::size_t end = pointer.find('/', kPrefix.size());
  std::string index = pointer.substr(kPrefix.size(), end - kPrefix.size());
  std::uint64_t n = 0;
  for (char c : index) {
    if (c < '0' || c > '9') return pointer;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return std::string(kPrefix) + std::to_string(base + n) +
         (end == std::string::npos ? std::string() : pointer.substr(end));
}

}  // namespace

class CheckSession::Impl {
 public:
  Impl(const RulePack& pack, CheckOptions options, ManifestHeader header, std::string name,
       std::string base_dir)
      : pack_(pack),
        options_(std::move(options)),
        input_(ManifestInput::Text("", std::move(name), std::move(base_dir))),
        lineage_(detail::ResolvingPath(input_)),
        context_{pack_, options_, lineage_} {
    if (!detail::PlanCheck(pack_, options_, diagnostics_)) return;
    if (auto failed = detail::Prepare(input_, pack_, options_, waivers_)) {
      early_ = std::move(*failed);
      return;
    }
    plan_ = detail::PlanFor(input_, context_, 0, diagnostics_);
    if (!plan_) return;
    plan_->evaluator.collect_ids = true;
    OpenHeader(std::move(header));
  }

  void Add(std::span<const Source> sources) {
    if (finished_ || early_ || sources.empty()) return;
    if (batch_prefix_.empty()) {
      // The header, the profile or a parameter is invalid: there is nothing to judge sources
      // against, and Finish reports why.
      count_ += sources.size();
      return;
    }
    // The batch as a manifest of its own under a minimal header, read back as a file would
    // be: the sources are validated by the reader's rules.
    std::string text = batch_prefix_;
    bool first = true;
    for (const Source& source : sources) {
      std::string one;
      detail::JsonWriter w(one, detail::JsonWriter::Canonical{});
      detail::WriteSource(w, source);
      if (count_ > 0 || !first) digest_.Update(",");
      digest_.Update(one);
      if (!first) text += ',';
      text += one;
      first = false;
    }
    text += "]}";
    const std::uint64_t base = count_;
    count_ += sources.size();
    auto sink = [this](const Source& source, std::uint64_t index) { Take(source, index); };
    SourceCapture<decltype(sink)> capture(base, sink);
    ReadOptions read = options_.read;
    read.pipeline = false;
    ReadResult result = ReadManifestText(text, input_.name(), input_.base_dir(), capture, read);
    if (!result.status.ok() && status_.ok()) status_ = result.status;
    for (Diagnostic& d : result.diagnostics) {
      d.pointer = ShiftPointer(d.pointer, base);
      d.file = input_.name();
      d.line = d.column = 0;
      diagnostics_.push_back(std::move(d));
    }
  }

  bool ok() const { return !early_ && status_.ok() && !HasErrors(diagnostics_); }
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  std::uint64_t size() const { return count_; }

  CheckResult Finish() {
    CheckResult result;
    if (finished_) {
      result.status = Status::InvalidArgument("the session was already finished");
      return result;
    }
    finished_ = true;
    if (early_) return std::move(*early_);
    if (!ok()) {
      result.status = status_;
      result.diagnostics = std::move(diagnostics_);
      SortDiagnostics(result.diagnostics);
      return result;
    }
    if (plan_->two_pass) JudgeBuffered();
    digest_.Update("]}");
    ReadResult read;
    read.manifest_sha256 = digest_.HexDigest();
    read.source_count = count_;
    detail::Evaluation evaluation = evaluator_->Finish(read);
    detail::Conclude(input_, context_, *plan_, std::move(evaluation), evaluator_->header(), read,
                     result);
    detail::Finalize(result, options_, waivers_, lineage_);
    return result;
  }

 private:
  void OpenHeader(ManifestHeader header) {
    header.sources_jsonl.reset();
    std::string text;
    detail::JsonWriter w(text, detail::JsonWriter::Canonical{});
    detail::WriteManifest(w, header, nullptr);
    HeaderCapture capture;
    ReadOptions read = options_.read;
    read.pipeline = false;
    ReadResult result = ReadManifestText(text, input_.name(), input_.base_dir(), capture, read);
    status_ = result.status;
    for (Diagnostic& d : result.diagnostics) {
      d.line = d.column = 0;
      diagnostics_.push_back(std::move(d));
    }
    if (!ok()) return;
    // The canonical text ends with `"sources":[]}` (the last member in canonical order): the
    // digest covers what comes before the array's end, then each source.
    digest_.Update(std::string_view(text).substr(0, text.size() - 2));
    std::string batch;
    detail::JsonWriter b(batch, detail::JsonWriter::Canonical{});
    b.BeginObject();
    b.Member("manifest_version", header.manifest_version);
    b.Key("model");
    b.BeginObject();
    b.Member("id", header.model.id);
    b.Key("release");
    b.BeginObject();
    b.Member("weights", "closed");
    b.EndObject();
    b.EndObject();
    b.Key("sources");
    b.BeginArray();
    b.EndArray();
    b.EndObject();
    batch_prefix_ = batch.substr(0, batch.size() - 2);
    header_ = std::move(capture.header());
    detail::StripPositions(header_);
    if (!plan_->two_pass) StartEvaluator(plan_->evaluator);
  }

  void StartEvaluator(const detail::EvaluatorOptions& options) {
    evaluator_ = std::make_unique<detail::PolicyEvaluator>(pack_, options);
    evaluator_->OnHeader(header_);
  }

  // A validated source: judged now, or kept for the two passes. Its location is its place in
  // the session (a typed manifest has no lines).
  void Take(const Source& read, std::uint64_t index) {
    if (!ok()) return;
    Source source = read;
    source.index = index;
    source.location = Location{input_.name(), "/sources/" + std::to_string(index), 0, 0};
    if (plan_->two_pass) {
      buffered_.push_back(std::move(source));
    } else {
      evaluator_->OnSource(source);
    }
  }

  void JudgeBuffered() {
    detail::EvaluatorOptions first = plan_->evaluator;
    first.facts_only = true;
    detail::PolicyEvaluator facts(pack_, first);
    facts.OnHeader(header_);
    for (const Source& source : buffered_) facts.OnSource(source);
    ReadResult none;
    plan_->evaluator.intermediate_known = true;
    plan_->evaluator.intermediate_stage = facts.Finish(none).last_unpermitted_stage;
    StartEvaluator(plan_->evaluator);
    for (const Source& source : buffered_) evaluator_->OnSource(source);
    buffered_.clear();
  }

  const RulePack& pack_;
  CheckOptions options_;
  ManifestInput input_;
  detail::LineageWalk lineage_;
  detail::CheckContext context_;
  std::vector<std::shared_ptr<const Waiver>> waivers_;
  std::optional<detail::CheckPlan> plan_;
  std::optional<CheckResult> early_;
  ManifestHeader header_;
  std::unique_ptr<detail::PolicyEvaluator> evaluator_;
  std::vector<Source> buffered_;
  std::vector<Diagnostic> diagnostics_;
  Status status_;
  detail::Sha256 digest_;
  std::string batch_prefix_;
  std::uint64_t count_ = 0;
  bool finished_ = false;
};

CheckSession::CheckSession(const RulePack& pack, CheckOptions options, ManifestHeader header,
                           std::string name, std::string base_dir)
    : impl_(std::make_unique<Impl>(pack, std::move(options), std::move(header), std::move(name),
                                   std::move(base_dir))) {}
CheckSession::~CheckSession() = default;

void CheckSession::Add(const Source& source) { impl_->Add(std::span<const Source>(&source, 1)); }
void CheckSession::Add(const Source* sources, std::size_t count) {
  impl_->Add(std::span<const Source>(sources, count));
}
bool CheckSession::ok() const { return impl_->ok(); }
const std::vector<Diagnostic>& CheckSession::diagnostics() const { return impl_->diagnostics(); }
std::uint64_t CheckSession::size() const { return impl_->size(); }
CheckResult CheckSession::Finish() { return impl_->Finish(); }

}  // namespace provgate
