// Running a program (git, tar) without a shell, its output captured.
#include "process.h"

#include <fcntl.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "signals.h"

namespace provgate::cli {

int RunProcess(const std::vector<std::string>& argv, std::string* out, std::string& err) {
  // Everything the child needs is prepared before fork: it only duplicates descriptors and
  // calls exec.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  int out_pipe[2];
  int err_pipe[2];
  if (pipe(out_pipe) != 0) return -1;
  if (pipe(err_pipe) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return -1;
  }
  int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1], null}) {
      if (fd >= 0) close(fd);
    }
    return -1;
  }
  if (pid == 0) {
    UnblockCleanupSignalsInChild();
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    close(out_pipe[0]);
    close(err_pipe[0]);
    if (null >= 0) dup2(null, STDIN_FILENO);
    execvp(args[0], args.data());
    _exit(127);
  }
  if (null >= 0) close(null);
  close(out_pipe[1]);
  close(err_pipe[1]);
  // Read both pipes until they close; outputs here are small except git archive's, which is
  // written to a file with -o.
  char buffer[4096];
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    fd_set set;
    FD_ZERO(&set);
    if (out_open) FD_SET(out_pipe[0], &set);
    if (err_open) FD_SET(err_pipe[0], &set);
    if (select(std::max(out_pipe[0], err_pipe[0]) + 1, &set, nullptr, nullptr, nullptr) < 0) {
      continue;
    }
    for (int* fd : {&out_pipe[0], &err_pipe[0]}) {
      bool& open_flag = fd == &out_pipe[0] ? out_open : err_open;
      if (!open_flag || !FD_ISSET(*fd, &set)) continue;
      ssize_t n = read(*fd, buffer, sizeof(buffer));
      if (n <= 0) {
        open_flag = false;
        continue;
      }
      if (fd == &out_pipe[0]) {
        if (out != nullptr) out->append(buffer, static_cast<std::size_t>(n));
      } else if (err.size() < 65536) {
        err.append(buffer, static_cast<std::size_t>(n));
      }
    }
  }
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace provgate::cli
