// The provgate commands. Each parses its flags, calls one engine function, and renders.
#ifndef PROVGATE_CLI_COMMANDS_H_
#define PROVGATE_CLI_COMMANDS_H_

#include <string>
#include <vector>

namespace provgate::cli {

int RunCheck(const std::vector<std::string>& args);
int RunValidate(const std::vector<std::string>& args);
int RunExplain(const std::vector<std::string>& args);
int RunExpr(const std::vector<std::string>& args);
int RunNotice(const std::vector<std::string>& args);
int RunGraph(const std::vector<std::string>& args);
int RunKeygen(const std::vector<std::string>& args);
int RunVerify(const std::vector<std::string>& args);
int RunCountersign(const std::vector<std::string>& args);
int RunDiff(const std::vector<std::string>& args);

}  // namespace provgate::cli

#endif  // PROVGATE_CLI_COMMANDS_H_
