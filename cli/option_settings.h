#pragma once
// A run's settings as JSON keyed by long option names, and back: what `fit`, `rank-train` and `logic-train`
// write as config.json and read again on --resume, parsed by the command's own option declarations.
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace penumbra::cli {

/// The options `parser` parsed: each as given, the others at their defaults, keyed by long option name;
/// the options named in `run_only` (those of one sitting: --out, --resume, --threads...) are left out.
nlohmann::json option_settings(const CLI::App& parser, std::span<const std::string_view> run_only);

/// Parses a JSON object keyed by long option names exactly as the command line, into the options that
/// `declare` adds to a parser; returns that parser's option_settings. Throws penumbra::Error naming `where` on
/// a bad key or value.
nlohmann::json parse_option_settings(const nlohmann::json& object, const std::string& where,
                                     const std::function<void(CLI::App&)>& declare,
                                     std::span<const std::string_view> run_only);

}  // namespace penumbra::cli
