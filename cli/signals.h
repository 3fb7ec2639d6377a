// Cleaning up after SIGINT, SIGTERM and SIGHUP (how CI cancels a job): temporary files and
// directories that a command registers are removed before the process ends, so that an
// interrupted write leaves nothing behind.
#ifndef PROVGATE_CLI_SIGNALS_H_
#define PROVGATE_CLI_SIGNALS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace provgate::cli {

// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread (and so in every thread started
// after it) and starts a thread that waits for them. On one, that thread removes what is
// registered, then ends the process by the same signal. Call first thing in main, before any
// thread starts.
void InstallSignalCleanup();

// Restores the default signal mask: for a child process between fork and exec (async-signal
// safe), which must not inherit the blocked signals.
void UnblockCleanupSignalsInChild();

// Registers a temporary file, or a directory removed with its contents, for removal on a
// signal, until the object goes.
class RemoveOnSignal {
 public:
  RemoveOnSignal(std::string path, bool directory);
  // Runs `create`, which makes a temporary file or directory and returns its path (empty on
  // failure), while signal cleanup is held off, and registers what it made: a signal can
  // never come between the creation and the registration.
  template <typename Create>
  RemoveOnSignal(bool directory, Create&& create) {
    Lock();
    std::string path = create();
    if (!path.empty()) Register(std::move(path), directory);
    Unlock();
  }
  ~RemoveOnSignal();
  RemoveOnSignal(const RemoveOnSignal&) = delete;
  RemoveOnSignal& operator=(const RemoveOnSignal&) = delete;

  // Runs `action` (a rename of the temporary file over its target) so that a signal handled
  // at the same moment sees either the temporary file still registered or the action done,
  // then stops watching the path. Returns what `action` returned.
  template <typename Action>
  bool CommitWith(Action&& action) {
    Lock();
    bool done = action();
    Unregister();
    Unlock();
    return done;
  }

 private:
  void Lock();
  void Unlock();
  void Register(std::string path, bool directory);
  void Unregister();
  std::optional<std::uint64_t> id_;
};

// Makes a directory named `prefix` + six random characters in the system's temporary
// directory, registered in `guard` for removal on a signal. Returns its path, or empty when
// it cannot be made.
std::string MakeTemporaryDirectory(const std::string& prefix,
                                   std::unique_ptr<RemoveOnSignal>& guard);

}  // namespace provgate::cli

#endif  // PROVGATE_CLI_SIGNALS_H_
