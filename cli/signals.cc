#include "signals.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace provgate::cli {
namespace {

struct Registered {
  std::string path;
  bool directory;
};

struct Registry {
  std::mutex mutex;
  std::map<std::uint64_t, Registered> paths;
  std::uint64_t next_id = 0;
};

// Never destroyed: the watcher thread may use it while the process exits.
Registry& TheRegistry() {
  static auto* registry = new Registry();
  return *registry;
}

sigset_t CleanupSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

[[noreturn]] void WatchSignals() {
  sigset_t set = CleanupSignals();
  int signal_number = 0;
  while (sigwait(&set, &signal_number) != 0) {
  }
  Registry& registry = TheRegistry();
  // Held until the process ends: a rename in progress finishes first, and none starts after.
  registry.mutex.lock();
  for (const auto& [id, entry] : registry.paths) {
    std::error_code ignored;
    if (entry.directory) {
      std::filesystem::remove_all(entry.path, ignored);
    } else {
      unlink(entry.path.c_str());
    }
  }
  // End the way the signal would have: the parent sees "terminated by SIGTERM".
  signal(signal_number, SIG_DFL);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, signal_number);
  pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
  raise(signal_number);
  _exit(128 + signal_number);
}

}  // namespace

void InstallSignalCleanup() {
  sigset_t set = CleanupSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  TheRegistry();
  std::thread(WatchSignals).detach();
}

void UnblockCleanupSignalsInChild() {
  sigset_t set = CleanupSignals();
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
}

RemoveOnSignal::RemoveOnSignal(std::string path, bool directory) {
  Lock();
  Register(std::move(path), directory);
  Unlock();
}

RemoveOnSignal::~RemoveOnSignal() {
  Lock();
  Unregister();
  Unlock();
}

void RemoveOnSignal::Lock() { TheRegistry().mutex.lock(); }
void RemoveOnSignal::Unlock() { TheRegistry().mutex.unlock(); }
void RemoveOnSignal::Register(std::string path, bool directory) {
  Registry& registry = TheRegistry();
  id_ = registry.next_id++;
  registry.paths.emplace(*id_, Registered{std::move(path), directory});
}

void RemoveOnSignal::Unregister() {
  if (id_) TheRegistry().paths.erase(*id_);
  id_.reset();
}

std::string MakeTemporaryDirectory(const std::string& prefix,
                                   std::unique_ptr<RemoveOnSignal>& guard) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  bool made = false;
  guard = std::make_unique<RemoveOnSignal>(true, [&] {
    made = mkdtemp(pattern.data()) != nullptr;
    return made ? pattern : std::string();
  });
  return made ? pattern : std::string();
}

}  // namespace provgate::cli
