#pragma once
/// The one exception type of Penumbra: what went wrong, where, and how to fix it.
#include <stdexcept>
#include <string>
#include <utility>

namespace penumbra {

class Error : public std::runtime_error {
 public:
  /// `what`: the problem; `where`: file, file:line, face index or setting name; `hint`: the fix.
  Error(std::string what, std::string where, std::string hint)
      : std::runtime_error(compose(what, where, hint)),
        problem_(std::move(what)),
        where_(std::move(where)),
        hint_(std::move(hint)) {}

  const std::string& problem() const { return problem_; }
  const std::string& where() const { return where_; }
  const std::string& hint() const { return hint_; }

 private:
  static std::string compose(const std::string& what, const std::string& where, const std::string& hint) {
    std::string message = what;
    if (!where.empty()) message += " (" + where + ")";
    if (!hint.empty()) message += "; " + hint;
    return message;
  }

  std::string problem_;
  std::string where_;
  std::string hint_;
};

}  // namespace penumbra
