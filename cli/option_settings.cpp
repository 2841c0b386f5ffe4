#include "option_settings.h"

#include <algorithm>
#include <vector>

#include "penumbra/error.h"

namespace penumbra::cli {

using nlohmann::json;

json option_settings(const CLI::App& parser, std::span<const std::string_view> run_only) {
  json settings = json::object();
  for (const CLI::Option* option : parser.get_options()) {
    if (option->get_lnames().empty()) continue;
    const std::string& key = option->get_lnames().front();
    if (key == "help" || key == "help-all" ||
        std::find(run_only.begin(), run_only.end(), key) != run_only.end())
      continue;
    if (option->get_expected_max() == 0) {
      settings[key] = option->count() > 0;
      continue;
    }
    // A list option (--threshold 0.25,0.5) keeps all its values.
    std::string text = option->get_default_str();
    if (option->count() > 0) {
      text.clear();
      for (const std::string& value : option->results()) text += (text.empty() ? "" : ",") + value;
    }
    if (text.empty()) continue;
    // Numbers stay numbers in the file; everything else is the string as given.
    const json number = json::parse(text, nullptr, false);
    settings[key] = number.is_number() ? number : json(text);
  }
  return settings;
}

json parse_option_settings(const json& object, const std::string& where,
                           const std::function<void(CLI::App&)>& declare,
                           std::span<const std::string_view> run_only) {
  if (!object.is_object()) {
    throw Error("settings are not a JSON object", where, "write an object keyed by long option names");
  }
  std::vector<std::string> arguments;
  for (const auto& [key, value] : object.items()) {
    if (value.is_boolean()) {
      if (value.get<bool>()) arguments.push_back("--" + key);
      continue;
    }
    arguments.push_back("--" + key);
    arguments.push_back(value.is_string() ? value.get<std::string>() : value.dump());
  }
  CLI::App parser{"settings"};
  declare(parser);
  // CLI11 takes the arguments last to first.
  std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());
  try {
    parser.parse(reversed);
  } catch (const CLI::ParseError& error) {
    throw Error(std::string("bad setting: ") + error.what(), where, "use the command's long option names");
  }
  return option_settings(parser, run_only);
}

}  // namespace penumbra::cli
