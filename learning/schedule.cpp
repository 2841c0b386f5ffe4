#include "penumbra/learning/schedule.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "penumbra/error.h"

namespace penumbra::learning {
namespace {

constexpr std::array<std::pair<ScheduleKind, std::string_view>, 4> kNames{{
    {ScheduleKind::constant, "constant"},
    {ScheduleKind::exponential, "exponential"},
    {ScheduleKind::cosine, "cosine"},
    {ScheduleKind::log_anneal, "log_anneal"},
}};

}  // namespace

double Schedule::value(int step) const {
  const double progress = std::clamp(double(step) / double(steps), 0.0, 1.0);
  switch (kind) {
    case ScheduleKind::constant:
      return start;
    case ScheduleKind::exponential:
      return start * std::pow(rate, double(step));
    case ScheduleKind::cosine:
      return end + (start - end) * 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
    case ScheduleKind::log_anneal:
      return start * std::pow(end / start, progress);
  }
  return start;
}

void Schedule::validate(const std::string& where) const {
  if (!(start > 0.0) || !std::isfinite(start)) {
    throw Error("schedule start " + std::to_string(start) + " is not a positive number", where,
                "use a value > 0");
  }
  if (kind == ScheduleKind::log_anneal && (!(end > 0.0) || !std::isfinite(end))) {
    throw Error("log_anneal end " + std::to_string(end) + " is not a positive number", where,
                "use a value > 0");
  }
  if (kind == ScheduleKind::cosine && (!(end >= 0.0) || !std::isfinite(end))) {
    throw Error("cosine end " + std::to_string(end) + " is negative or not finite", where,
                "use a value >= 0");
  }
  if (kind == ScheduleKind::exponential && (!(rate > 0.0) || !std::isfinite(rate))) {
    throw Error("exponential rate " + std::to_string(rate) + " is not a positive number", where,
                "e.g. 0.999");
  }
  if (steps < 1)
    throw Error("schedule length " + std::to_string(steps) + " is below 1", where, "use >= 1 steps");
}

std::string_view name(ScheduleKind kind) {
  for (const auto& [k, text] : kNames) {
    if (k == kind) return text;
  }
  return "constant";
}

ScheduleKind parse_schedule_kind(std::string_view text) {
  for (const auto& [k, name] : kNames) {
    if (name == text) return k;
  }
  throw Error("unknown schedule '" + std::string(text) + "'", "schedule",
              "use constant, exponential, cosine or log_anneal");
}

}  // namespace penumbra::learning
