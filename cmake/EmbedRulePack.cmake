# Turns the files of a rule pack directory into a C++ table, so that the default pack is built
# into the engine. Run with -DPACK_DIR=... -DOUTPUT=...
file(GLOB_RECURSE files RELATIVE ${PACK_DIR} ${PACK_DIR}/*)
list(SORT files)
set(arrays "")
set(entries "")
set(index 0)
foreach(rel ${files})
  file(READ ${PACK_DIR}/${rel} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
  string(APPEND arrays "const char kFile${index}[] = {${bytes} 0};\n")
  string(APPEND entries "      {\"${rel}\", std::string_view(kFile${index}, sizeof(kFile${index}) - 1)},\n")
  math(EXPR index "${index} + 1")
endforeach()
file(WRITE ${OUTPUT}.tmp "// Generated from rules/default by cmake/EmbedRulePack.cmake. Do not edit.
#include <string_view>
#include <utility>
#include <vector>

namespace provgate::detail {
namespace {
${arrays}}  // namespace

const std::vector<std::pair<std::string_view, std::string_view>>& BuiltinPackFiles() {
  static const std::vector<std::pair<std::string_view, std::string_view>> kFiles = {
${entries}  };
  return kFiles;
}

}  // namespace provgate::detail
")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
