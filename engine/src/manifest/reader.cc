// The manifest reader: reads a manifest from a file or from memory, the header first and then
// its sources (where the array is, when the header comes before it; otherwise in a second
// pass over the `sources` array; or the JSONL side file line by line),
// hands each source that has no error to the visitor (manifest/source_feed), hashes the bytes,
// and confirms the repeated source ids in a last pass over the ids. Parsing and checking each
// object is left to manifest/schema_readers.
#include <simdjson.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "common/file_buffer.h"
#include "common/safe_file.h"
#include "crypto/sha256.h"
#include "json/diagnostic_sink.h"
#include "json/key_set.h"
#include "json/syntax_errors.h"
#include "json/validating_walker.h"
#include "manifest/duplicate_ids.h"
#include "manifest/jsonl_lines.h"
#include "manifest/schema_readers.h"
#include "manifest/source_feed.h"
#include "provgate/manifest.h"

namespace provgate {
namespace {

namespace od = simdjson::ondemand;
using detail::ValidatingWalker;

// The manifest's bytes and what holds them.
struct ManifestBytes {
  std::string_view text;
  // Bytes readable from text.data(): at least text.size() + SIMDJSON_PADDING.
  std::size_t capacity = 0;
  // What holds the text: once read, the pages of a memory-mapped file are let go.
  detail::FileBuffer* buffer = nullptr;
};

class Reader {
 public:
  // `display` names the manifest in diagnostics, and its directory joined with the side
  // file's relative path names the JSONL side file, which is opened beneath `side_file_root`
  // (empty: the current directory).
  Reader(std::string display, std::string side_file_root, ManifestVisitor& visitor,
         const ReadOptions& options, ReadResult& result)
      : display_(std::move(display)),
        side_file_root_(std::move(side_file_root)),
        visitor_(visitor),
        options_(options),
        result_(result),
        sink_(result.diagnostics, options.max_diagnostics),
        feed_(visitor, options.pipeline) {}

  void Run(const ManifestBytes& bytes) {
    // Hash the manifest on the second core while the first parses it (or first, on one).
    std::string digest;
    auto hash = [&] {
      digest = detail::Sha256Hex(bytes.text);
      hashed_.store(true, std::memory_order_release);
    };
    std::thread hasher;
    if (options_.hash_on_thread) {
      hasher = std::thread(hash);
    } else {
      hash();
    }
    ReadDocument(bytes);
    feed_.Finish();
    if (hasher.joinable()) hasher.join();
    result_.manifest_sha256 = std::move(digest);
  }

 private:
  ValidatingWalker MakeWalker(const std::string& file, std::string_view text,
                              std::uint32_t first_line) {
    ValidatingWalker walker(file, text, first_line, sink_, key_sets_);
    walker.set_max_depth(options_.max_depth);
    walker.set_extension_prefix(detail::kExtensionPrefix);
    return walker;
  }

  void ReadDocument(const ManifestBytes& bytes) {
    std::size_t size = bytes.text.size();
    od::parser parser(std::max<std::size_t>(size, 64));
    if (parser.allocate(std::max<std::size_t>(size, 64), options_.max_depth) != simdjson::SUCCESS) {
      result_.status = Status::IoError("not enough memory to parse " + display_);
      return;
    }
    if (detail::StartsWithByteOrderMark(bytes.text)) {
      detail::ReportByteOrderMark(display_, 1, "", sink_);
      return;
    }
    od::document doc;
    if (auto error = parser.iterate(bytes.text.data(), size, bytes.capacity).get(doc);
        error != simdjson::SUCCESS) {
      detail::ReportDocumentError(error, bytes.text, display_, 1, "", sink_);
      return;
    }
    ValidatingWalker w = MakeWalker(display_, bytes.text, 1);
    w.set_document(&doc);

    // Pass 1: everything but the sources array, so the header reaches the visitor first.
    od::value root;
    if (auto error = doc.get_value().get(root); error != simdjson::SUCCESS) {
      w.Syntax(error, w.CurrentLocation(doc));
      return;
    }
    if (!w.Expect(root, od::json_type::object, "an object for the manifest")) return;
    detail::HeaderRead header;
    // The header is complete and valid when the sources array is reached: the visitor has it,
    // and the sources are read where they are, in this pass.
    header.read_sources_in_place = [&](ValidatingWalker& walker, od::value& sources) {
      if (walker.fatal() || walker.error_count() != 0 || HasErrors(result_.diagnostics)) {
        return false;
      }
      visitor_.OnHeader(header.header);
      ValidatingWalker::UncountedLevel root_object(walker);
      StreamSources(doc, walker, sources, bytes);
      return true;
    };
    detail::ObjectRead read = detail::ReadHeaderFields(w, root, header);
    if (w.fatal()) return;
    if (const char* trailing = detail::TrailingContent(doc); trailing != nullptr) {
      w.Syntax(simdjson::TRAILING_CONTENT, trailing);
      return;
    }
    detail::ReportMissingHeaderFields(w, read);
    if (header.sources_read) {
      ConfirmDuplicates(doc, w);
      return;
    }
    if (!w.fatal() && !HasErrors(result_.diagnostics)) visitor_.OnHeader(header.header);

    if (header.sources_is_array) {
      StreamArraySources(doc, w, bytes);
    } else if (header.header.sources_jsonl && !w.fatal()) {
      StreamJsonl(*header.header.sources_jsonl);
    }
  }

  // From the start of the document: the `sources` member the first pass read (by its key
  // unescaped, as the walk reads keys).
  static bool FindSources(od::document& doc, od::value& sources) {
    doc.rewind();
    od::object root;
    if (doc.get_object().get(root) != simdjson::SUCCESS) return false;
    return ValidatingWalker::FindFirstMember(root, "sources", sources);
  }

  // A second pass for the sources array, when the first could not read it in place (a
  // header field after it, or an invalid header).
  void StreamArraySources(od::document& doc, ValidatingWalker& w, const ManifestBytes& bytes) {
    od::value sources;
    if (!FindSources(doc, sources)) return;
    {
      detail::PointerPath::Scope scope(w.path(), "sources");
      StreamSources(doc, w, sources, bytes);
    }
    ConfirmDuplicates(doc, w);
  }

  // Reads each source of the array `sources` (the walker's path at /sources), and hands those
  // read without errors to the visitor as long as no error has been found.
  void StreamSources(od::document& doc, ValidatingWalker& w, od::value& sources,
                     const ManifestBytes& bytes) {
    bool stream_to_visitor = !HasErrors(result_.diagnostics);
    duplicates_.ExpectBytes(bytes.text.size());
    w.ForEachElement(sources, "sources", [&](od::value& element, std::size_t index) {
      Source& source = feed_.Slot();
      detail::ClearSource(source, spares_);
      std::size_t errors_before = w.error_count();
      detail::ReadSource(w, element, source, spares_);
      source.index = index;
      ++result_.source_count;
      if (w.error_count() != errors_before) stream_to_visitor = false;
      if (!source.id.empty()) duplicates_.Insert(source.id);
      if (stream_to_visitor) feed_.Push();
      // The sources behind are read: let their pages go, so that a large manifest does not
      // stay resident beside the findings made from it. Once the hasher is done with them.
      if (index % 4096 == 4095 && hashed_.load(std::memory_order_acquire)) {
        const char* at = w.CurrentLocation(doc);
        constexpr std::size_t kKeep = 1 << 20;
        if (at != nullptr && static_cast<std::size_t>(at - bytes.text.data()) > kKeep) {
          bytes.buffer->ReleaseBefore(at - kKeep);
        }
      }
    });
  }

  // After the sources were read: a last pass over the ids only, when the Bloom filter named
  // candidates, to confirm which ids are repeated.
  void ConfirmDuplicates(od::document& doc, ValidatingWalker& w) {
    if (w.fatal() || !duplicates_.HasCandidates()) {
      result_.duplicate_source_ids = duplicates_.Take();
      return;
    }
    od::value sources;
    if (!FindSources(doc, sources)) {
      result_.duplicate_source_ids = duplicates_.Take();
      return;
    }
    detail::PointerPath::Scope scope(w.path(), "sources");
    od::array array;
    if (sources.get_array().get(array) != simdjson::SUCCESS) return;
    std::size_t index = 0;
    for (auto element : array) {
      od::value value;
      if (element.get(value) != simdjson::SUCCESS) break;
      detail::PointerPath::Scope element_scope(w.path(), index++);
      ConfirmId(w, value);
    }
    result_.duplicate_source_ids = duplicates_.Take();
  }

  void ConfirmId(ValidatingWalker& w, od::value& value) {
    std::string_view id;
    Location location;
    if (detail::ReadSourceId(w, value, id, location)) duplicates_.Confirm(id, location);
  }

  void ReadFailed(const std::string& display, const std::string& error) {
    result_.status = Status::IoError("error while reading " + display + ": " + error);
  }

  void LineTooLong(const std::string& display, const detail::JsonlLines::Line& line,
                   std::size_t max_line) {
    std::string limit = max_line % (1 << 20) == 0 ? std::to_string(max_line >> 20) + " MiB"
                                                  : std::to_string(max_line) + " bytes";
    sink_.Add(
        {Diagnostic::Severity::kError, "jsonl-line-length",
         "the line is longer than " + limit + ": expected one source per line, of at most " + limit,
         display, line.number, 1, "/sources/" + std::to_string(line.index), 0});
  }

  // Reads the lines of the side file in order, calling `handle(line)` for each until it
  // returns false. False when reading stopped early (the handler asked, a line was too long,
  // or the file could not be read: `result_.status`).
  template <typename Handler>
  bool ForEachLine(detail::JsonlLines& lines, const std::string& display, Handler&& handle) {
    if (!lines.Rewind()) {
      ReadFailed(display, lines.error());
      return false;
    }
    detail::JsonlLines::Line line;
    while (true) {
      switch (lines.Next(line)) {
        case detail::JsonlLines::Result::kLine:
          if (!handle(line)) return false;
          break;
        case detail::JsonlLines::Result::kEnd:
          return true;
        case detail::JsonlLines::Result::kTooLong:
          LineTooLong(display, line, lines.max_line_bytes());
          return false;
        case detail::JsonlLines::Result::kReadError:
          ReadFailed(display, lines.error());
          return false;
      }
    }
  }

  // Whether the byte before `offset` in the file is a newline.
  static bool FollowsNewline(int fd, std::uint64_t offset) {
    char before = 0;
    if (offset > static_cast<std::uint64_t>(INT64_MAX)) return false;
    ssize_t got;
    do {
      got = pread(fd, &before, 1, static_cast<off_t>(offset - 1));
    } while (got < 0 && errno == EINTR);
    return got == 1 && before == '\n';
  }

  void StreamJsonl(const std::string& relative) {
    std::string display =
        (std::filesystem::path(display_).parent_path() / relative).lexically_normal().string();
    // Opened beneath the manifest's directory: a symlink out of it (to /dev/zero, to a file
    // elsewhere) is refused, and so is anything but a regular file, without blocking on it.
    detail::OpenedFile file = options_.jsonl_text
                                  ? detail::OpenInMemory(*options_.jsonl_text)
                                  : detail::OpenRegularFileBeneath(side_file_root_, relative);
    if (!file.ok()) {
      sink_.Add({Diagnostic::Severity::kError, "io-open",
                 "cannot open the JSONL side file: " + file.error, display, 0, 0, "", 0});
      return;
    }
    od::parser parser;
    if (parser.allocate(1 << 16, options_.max_depth) != simdjson::SUCCESS) {
      result_.status = Status::IoError("not enough memory to parse " + display_);
      return;
    }
    detail::Sha256 hasher;
    bool stream_to_visitor = !HasErrors(result_.diagnostics);
    duplicates_.ExpectBytes(file.size);
    // The first pass's buffer goes before a second pass makes its own, so that memory does not
    // grow when there is a second pass.
    const auto& range = options_.jsonl_range;
    if (range && range->begin > 0 && !FollowsNewline(file.fd.get(), range->begin)) {
      sink_.Add({Diagnostic::Severity::kError, "jsonl-range",
                 "the partition does not start at a line's start: byte " +
                     std::to_string(range->begin) + " does not follow a newline",
                 display, 0, 0, "", 0});
      return;
    }
    auto lines = std::make_unique<detail::JsonlLines>(file.fd.get(), options_.max_jsonl_line_bytes,
                                                      range ? nullptr : &hasher);
    if (range) {
      lines->SetRange(
          range->begin, range->end,
          static_cast<std::uint32_t>(std::min<std::uint64_t>(range->first_line, UINT32_MAX)),
          range->first_index);
    }
    bool ok = ForEachLine(*lines, display, [&](const detail::JsonlLines::Line& line) {
      ValidatingWalker w = MakeWalker(display, line.text, line.number);
      w.path().Reset("/sources/" + std::to_string(line.index));
      if (detail::StartsWithByteOrderMark(line.text)) {
        detail::ReportByteOrderMark(display, line.number, w.path().str(), sink_);
        stream_to_visitor = false;
        return sink_.Accepts();
      }
      od::document doc;
      if (auto error = parser.iterate(line.text.data(), line.text.size(), line.capacity).get(doc);
          error != simdjson::SUCCESS) {
        detail::ReportDocumentError(error, line.text, display, line.number, w.path().str(), sink_);
        stream_to_visitor = false;
        return sink_.Accepts();
      }
      w.set_document(&doc);
      od::value value;
      Source& source = feed_.Slot();
      detail::ClearSource(source, spares_);
      std::size_t errors_before = sink_.errors();
      if (auto error = doc.get_value().get(value); error != simdjson::SUCCESS) {
        w.Syntax(error, line.text.data());
      } else {
        detail::ReadSource(w, value, source, spares_);
        if (const char* trailing = detail::TrailingContent(doc);
            !w.fatal() && trailing != nullptr) {
          w.Syntax(simdjson::TRAILING_CONTENT, trailing);
        }
      }
      source.index = line.index;
      ++result_.source_count;
      if (sink_.errors() != errors_before) stream_to_visitor = false;
      if (!source.id.empty()) duplicates_.Insert(source.id);
      if (stream_to_visitor) feed_.Push();
      return sink_.Accepts();
    });
    lines.reset();
    if (!ok) return;
    if (!range) result_.sources_sha256 = hasher.HexDigest();
    if (duplicates_.HasCandidates()) {
      // Second pass over the ids only, from the same open file.
      detail::JsonlLines id_lines(file.fd.get(), options_.max_jsonl_line_bytes, nullptr);
      if (range) {
        id_lines.SetRange(
            range->begin, range->end,
            static_cast<std::uint32_t>(std::min<std::uint64_t>(range->first_line, UINT32_MAX)),
            range->first_index);
      }
      ForEachLine(id_lines, display, [&](const detail::JsonlLines::Line& line) {
        ValidatingWalker w = MakeWalker(display, line.text, line.number);
        w.path().Reset("/sources/" + std::to_string(line.index));
        od::document doc;
        if (parser.iterate(line.text.data(), line.text.size(), line.capacity).get(doc) !=
            simdjson::SUCCESS) {
          return true;
        }
        od::value value;
        if (doc.get_value().get(value) == simdjson::SUCCESS) ConfirmId(w, value);
        return true;
      });
    }
    result_.duplicate_source_ids = duplicates_.Take();
  }

  std::string display_;
  std::string side_file_root_;
  ManifestVisitor& visitor_;
  const ReadOptions& options_;
  ReadResult& result_;
  std::atomic<bool> hashed_{false};
  detail::DiagnosticSink sink_;
  std::deque<detail::KeySet> key_sets_;  // Shared by the walkers, one after the other.
  detail::DuplicateTracker duplicates_;
  detail::SourceSpares spares_;
  detail::SourceFeed feed_;
};

// Loads the manifest; open failures become diagnostics (invalid input), read failures a
// Status (an operational failure).
bool LoadFile(const std::string& path, detail::FileBuffer& out, ReadResult& result) {
  std::string error;
  switch (out.Load(path, error)) {
    case detail::FileBuffer::Result::kOk:
      return true;
    case detail::FileBuffer::Result::kIsDirectory:
      result.diagnostics.push_back({Diagnostic::Severity::kError, "io-read",
                                    "cannot read manifest: it is a directory", path, 0, 0, "", 0});
      return false;
    case detail::FileBuffer::Result::kOpenFailed:
      result.diagnostics.push_back({Diagnostic::Severity::kError, "io-open",
                                    "cannot open file: " + error, path, 0, 0, "", 0});
      return false;
    case detail::FileBuffer::Result::kReadFailed:
      result.status = Status::IoError("error while reading " + path + ": " + error);
      return false;
  }
  return false;
}

// Diagnostics sorted by position, with the note that errors were suppressed after them all.
void Finish(ReadResult& result) {
  SortDiagnostics(result.diagnostics);
  std::stable_partition(result.diagnostics.begin(), result.diagnostics.end(),
                        [](const Diagnostic& d) { return d.code != "too-many-errors"; });
}

class CollectingVisitor : public ManifestVisitor {
 public:
  explicit CollectingVisitor(Manifest& manifest) : manifest_(manifest) {}
  void OnHeader(const ManifestHeader& header) override { manifest_.header = header; }
  void OnSource(const Source& source) override { manifest_.sources.push_back(source); }

 private:
  Manifest& manifest_;
};

}  // namespace

ReadResult ReadManifest(const std::string& path, ManifestVisitor& visitor,
                        const ReadOptions& options) {
  ReadResult result;
  detail::FileBuffer buffer;
  if (LoadFile(path, buffer, result)) {
    Reader reader(path, std::filesystem::path(path).parent_path().string(), visitor, options,
                  result);
    reader.Run({buffer.view(), buffer.size() + detail::FileBuffer::kPadding, &buffer});
  }
  Finish(result);
  return result;
}

ReadResult ReadManifestText(std::string_view text, const std::string& name,
                            const std::string& base_dir, ManifestVisitor& visitor,
                            const ReadOptions& options) {
  ReadResult result;
  // simdjson reads up to SIMDJSON_PADDING bytes past the end: a padded copy.
  detail::FileBuffer buffer;
  if (!buffer.Assign(text)) {
    result.status = Status::IoError("not enough memory to read " + name);
    return result;
  }
  // Where a file of these bytes at base_dir/name would be.
  const std::filesystem::path path =
      (std::filesystem::path(base_dir.empty() ? "." : base_dir) / name).lexically_normal();
  Reader reader(name, path.parent_path().string(), visitor, options, result);
  reader.Run({buffer.view(), buffer.size() + detail::FileBuffer::kPadding, &buffer});
  Finish(result);
  return result;
}

ReadResult LoadManifest(const std::string& path, Manifest& manifest, const ReadOptions& options) {
  CollectingVisitor visitor(manifest);
  return ReadManifest(path, visitor, options);
}

ReadResult LoadManifestText(std::string_view text, const std::string& name,
                            const std::string& base_dir, Manifest& manifest,
                            const ReadOptions& options) {
  CollectingVisitor visitor(manifest);
  return ReadManifestText(text, name, base_dir, visitor, options);
}

}  // namespace provgate
