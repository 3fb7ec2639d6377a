// Read-only text that copies share: the text of a report's findings and obligations.
#ifndef PROVGATE_SHARED_TEXT_H_
#define PROVGATE_SHARED_TEXT_H_

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace provgate {

/// Read-only text whose copies share one buffer. A check of a large manifest makes hundreds of
/// thousands of findings and obligations; the engine writes their messages, remedies,
/// licences, URIs and titles into large blocks that many of them share, and text that is the
/// same for every finding of a check (a remedy without placeholders) is shared by all of them,
/// rather than allocated once per string. Copying a SharedText copies a reference, never the
/// text; copies may be read and destroyed on any thread.
///
/// It reads as a `std::string_view` (implicitly, or with `view()`); `str()` makes a
/// `std::string`. A `std::string`, a `std::string_view` or a string literal converts to it
/// implicitly, the text then being kept in storage of its own:
///
///     finding.message = "source 's1' has no licence";
///     std::string_view message = finding.message;
///     bool same = finding.message == "source 's1' has no licence";
class SharedText {
 public:
  SharedText() noexcept = default;
  SharedText(std::string text) { Own(std::move(text)); }
  SharedText(std::string_view text) { Own(std::string(text)); }
  SharedText(const char* text) { Own(std::string(text)); }
  /// `text`, which `owner` keeps alive (a block holding many texts), or which lives as long as
  /// the program when `owner` is null (a literal): nothing is copied.
  SharedText(std::string_view text, std::shared_ptr<const void> owner) noexcept
      : owner_(std::move(owner)), data_(text.data()), size_(text.size()) {}
  SharedText(const SharedText&) = default;
  SharedText& operator=(const SharedText&) = default;
  /// A moved-from text is empty.
  SharedText(SharedText&& other) noexcept
      : owner_(std::move(other.owner_)), data_(other.data_), size_(other.size_) {
    other.data_ = "";
    other.size_ = 0;
  }
  SharedText& operator=(SharedText&& other) noexcept {
    if (this != &other) {
      owner_ = std::move(other.owner_);
      data_ = other.data_;
      size_ = other.size_;
      other.data_ = "";
      other.size_ = 0;
    }
    return *this;
  }

  std::string_view view() const noexcept { return std::string_view(data_, size_); }
  operator std::string_view() const noexcept { return view(); }
  std::string str() const { return std::string(data_, size_); }
  const char* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  friend bool operator==(const SharedText& a, const SharedText& b) noexcept {
    return a.view() == b.view();
  }
  friend bool operator==(const SharedText& a, std::string_view b) noexcept { return a.view() == b; }
  friend bool operator==(std::string_view a, const SharedText& b) noexcept { return a == b.view(); }
  friend bool operator==(const SharedText& a, const std::string& b) noexcept {
    return a.view() == b;
  }
  friend bool operator==(const std::string& a, const SharedText& b) noexcept {
    return a == b.view();
  }
  friend bool operator==(const SharedText& a, const char* b) noexcept { return a.view() == b; }
  friend bool operator==(const char* a, const SharedText& b) noexcept { return a == b.view(); }
  friend bool operator!=(const SharedText& a, const SharedText& b) noexcept {
    return a.view() != b.view();
  }
  friend bool operator!=(const SharedText& a, std::string_view b) noexcept { return a.view() != b; }
  friend bool operator!=(std::string_view a, const SharedText& b) noexcept { return a != b.view(); }
  friend bool operator!=(const SharedText& a, const std::string& b) noexcept {
    return a.view() != b;
  }
  friend bool operator!=(const std::string& a, const SharedText& b) noexcept {
    return a != b.view();
  }
  friend bool operator!=(const SharedText& a, const char* b) noexcept { return a.view() != b; }
  friend bool operator!=(const char* a, const SharedText& b) noexcept { return a != b.view(); }
  friend bool operator<(const SharedText& a, const SharedText& b) noexcept {
    return a.view() < b.view();
  }
  friend std::ostream& operator<<(std::ostream& out, const SharedText& text) {
    return out << text.view();
  }

 private:
  void Own(std::string text) {
    if (text.empty()) return;
    auto owned = std::make_shared<const std::string>(std::move(text));
    data_ = owned->data();
    size_ = owned->size();
    owner_ = std::move(owned);
  }

  std::shared_ptr<const void> owner_;
  const char* data_ = "";
  std::size_t size_ = 0;
};

}  // namespace provgate

#endif  // PROVGATE_SHARED_TEXT_H_
