#pragma once
/// Schedules for the learning rate and sigma: a value per optimisation step, no state.
#include <string>
#include <string_view>

namespace penumbra::learning {

enum class ScheduleKind {
  constant,     ///< `start` at every step
  exponential,  ///< `start * rate^step`
  cosine,       ///< cosine from `start` at step 0 to `end` at `steps`, then `end`
  log_anneal,   ///< geometric from `start` to `end` over `steps` (numpy.logspace), then `end`
};

struct Schedule {
  ScheduleKind kind = ScheduleKind::constant;
  double start = 1.0;  ///< value at step 0; > 0
  double end = 1.0;    ///< value at step `steps` (cosine, log_anneal); > 0 for log_anneal
  double rate = 1.0;   ///< exponential: factor per step; > 0
  int steps = 1;       ///< cosine, log_anneal: length of the ramp; >= 1

  /// The value at `step` (0-based).
  double value(int step) const;
  /// Throws penumbra::Error naming the field when a value is out of range.
  void validate(const std::string& where) const;

  static Schedule constant(double value) { return {ScheduleKind::constant, value, value, 1.0, 1}; }
  static Schedule log_anneal(double start, double end, int steps) {
    return {ScheduleKind::log_anneal, start, end, 1.0, steps};
  }
};

std::string_view name(ScheduleKind kind);
/// Parses "constant", "exponential", "cosine" or "log_anneal"; throws penumbra::Error otherwise.
ScheduleKind parse_schedule_kind(std::string_view text);

}  // namespace penumbra::learning
