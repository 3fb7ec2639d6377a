#include "help_formatter.h"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

namespace provgate::cli {
namespace {

constexpr std::size_t kWidth = 92;        // Help lines are wrapped to this many columns.
constexpr std::size_t kDescription = 24;  // The column where option descriptions start.

// Appends `text` to `out`, wrapped at kWidth with continuation lines indented by `indent`;
// `column` is where `out`'s last line ends. A line break in `text` starts a new line.
void AppendWrapped(std::string& out, std::size_t column, std::size_t indent,
                   std::string_view text) {
  bool first_word = true;
  while (!text.empty()) {
    std::size_t end = text.find_first_of(" \n");
    std::string_view word = text.substr(0, end);
    if (!word.empty()) {
      bool fits = column + (first_word ? 0 : 1) + word.size() <= kWidth;
      if (!first_word && !fits) {
        out += "\n" + std::string(indent, ' ');
        column = indent;
      } else if (!first_word) {
        out += ' ';
        ++column;
      }
      out += word;
      column += word.size();
      first_word = false;
    }
    if (end == std::string_view::npos) break;
    if (text[end] == '\n') {
      out += "\n" + std::string(indent, ' ');
      column = indent;
      first_word = true;
    }
    text.remove_prefix(end + 1);
  }
  out += '\n';
}

// One entry of a list: "  NAME  description", the description starting at kDescription, or
// two spaces after a longer name.
void AppendEntry(std::string& out, const std::string& name, const std::string& description) {
  std::string left = "  " + name;
  if (left.size() + 2 <= kDescription) {
    left.resize(kDescription, ' ');
  } else {
    left += "  ";
  }
  out += left;
  AppendWrapped(out, left.size(), kDescription, description);
}

// The first sentence of a command's description, for the list of commands.
std::string FirstSentence(const std::string& description) {
  std::size_t end = description.find(". ");
  return end == std::string::npos ? description : description.substr(0, end + 1);
}

// The options of `app` shown in its help besides -h/--help: not positionals, not hidden.
std::vector<const CLI::Option*> ListedOptions(const CLI::App& app) {
  return app.get_options([&app](const CLI::Option* option) {
    return option->nonpositional() && !option->get_group().empty() &&
           option != app.get_help_ptr() && option != app.get_help_all_ptr();
  });
}

std::vector<const CLI::Option*> Positionals(const CLI::App& app) {
  return app.get_options([](const CLI::Option* option) { return option->get_positional(); });
}

// "-h, --help", or "--format text|json" for an option that takes a value.
std::string OptionName(const CLI::Option& option) {
  std::string names = option.get_name(false, true);
  std::string out;
  for (char c : names) {
    out += c;
    if (c == ',') out += ' ';
  }
  if (option.get_type_size() != 0) out += " " + option.get_type_name();
  return out;
}

// The description, with "(required)" and "(repeatable)" where they apply.
std::string OptionDescription(const CLI::Option& option) {
  std::string tags;
  if (option.get_required()) tags = "required";
  if (option.get_expected_max() > 1 && option.get_type_size() != 0) {
    tags += tags.empty() ? "repeatable" : ", repeatable";
  }
  return tags.empty() ? option.get_description() : option.get_description() + " (" + tags + ")";
}

// The visible options of `app` that are not positionals, grouped as they were added, with the
// help option last in the group "Options".
std::vector<std::pair<std::string, std::vector<const CLI::Option*>>> OptionGroups(
    const CLI::App& app) {
  std::vector<std::pair<std::string, std::vector<const CLI::Option*>>> groups;
  auto add = [&groups](const CLI::Option* option) {
    auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& entry) {
      return entry.first == option->get_group();
    });
    if (group == groups.end()) {
      groups.emplace_back(option->get_group(), std::vector<const CLI::Option*>{});
      group = std::prev(groups.end());
    }
    group->second.push_back(option);
  };
  for (const CLI::Option* option : ListedOptions(app)) add(option);
  if (app.get_help_ptr() != nullptr) add(app.get_help_ptr());
  return groups;
}

}  // namespace

std::string HelpFormatter::Synopsis(const CLI::App& command) {
  std::string out;
  for (const CLI::Option* positional : Positionals(command)) {
    out += " " + positional->get_name(true, false);
  }
  for (const CLI::Option* option : ListedOptions(command)) {
    if (option->get_required()) out += " " + OptionName(*option);
  }
  return out;
}

std::string HelpFormatter::make_help(const CLI::App* app, std::string name,
                                     CLI::AppFormatMode /*mode*/) const {
  std::vector<const CLI::App*> commands =
      app->get_subcommands([](const CLI::App* command) { return !command->get_group().empty(); });
  std::string out = "usage: " + name;
  if (!commands.empty()) {
    out += " COMMAND [ARGS]";
  } else {
    out += Synopsis(*app);
    std::vector<const CLI::Option*> options = ListedOptions(*app);
    if (std::any_of(options.begin(), options.end(),
                    [](const CLI::Option* option) { return !option->get_required(); })) {
      out += " [options]";
    }
  }
  out += "\n";
  if (!app->get_description().empty()) {
    out += "\n";
    AppendWrapped(out, 0, 0, app->get_description());
  }
  std::vector<const CLI::Option*> positionals = Positionals(*app);
  if (!positionals.empty()) {
    out += "\nArguments:\n";
    for (const CLI::Option* positional : positionals) {
      AppendEntry(out, positional->get_name(true, false), positional->get_description());
    }
  }
  if (!commands.empty()) {
    out += "\nCommands:\n";
    for (const CLI::App* command : commands) {
      AppendEntry(out, command->get_name() + Synopsis(*command),
                  FirstSentence(command->get_description()));
    }
  }
  for (const auto& [group, options] : OptionGroups(*app)) {
    out += "\n" + group + ":\n";
    for (const CLI::Option* option : options) {
      AppendEntry(out, OptionName(*option), OptionDescription(*option));
    }
  }
  if (!app->get_footer().empty()) {
    out += "\n";
    AppendWrapped(out, 0, 0, app->get_footer());
  }
  return out;
}

}  // namespace provgate::cli
