#pragma once
// `penumbra fit --batch`: a JSON list of fits, checked as a whole before any runs, split into shards (one per
// node or Slurm array task), run K at a time, skipping finished jobs and resuming checkpointed ones, with a
// machine-readable summary per shard. `penumbra batch-summary` merges those summaries.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fit_options.h"
#include "fit_run.h"

namespace penumbra::cli {

/// Shard `index` of `count` holds the jobs whose index is congruent to `index` modulo `count` (round robin:
/// neighbouring jobs, often of similar size, land on different shards).
struct Shard {
  int index = 0;
  int count = 1;
  bool holds(int job) const { return job % count == index; }
};

/// Parses "I/N" (0 <= I < N); throws UsageError naming `flag` otherwise.
Shard parse_shard(const std::string& text, const std::string& flag = "--shard");

/// The shard of this Slurm array task (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT),
/// or none outside an array; throws UsageError on values that do not make a shard.
std::optional<Shard> shard_from_slurm_environment();

/// One job of a batch file: its options with paths made relative to the batch file's folder.
struct BatchJob {
  int index = 0;
  std::string where;  ///< "FILE, job N": the prefix of every message about it
  FitOptions options;
  nlohmann::json settings;  ///< settings_json: what config.json of its folder holds
};

/// Every job of `batch_file`; throws UsageError after printing every problem found (bad option, missing
/// "out", two jobs sharing a folder, with `check_inputs` also unreadable or invalid inputs and a folder that
/// holds another fit's checkpoint) on stderr, one line each.
std::vector<BatchJob> load_batch(const std::filesystem::path& batch_file, bool check_inputs, bool force);

/// One row of a batch summary.
struct JobRow {
  int job = 0;
  std::string out;
  std::string status;  ///< done, failed, interrupted, stopped or missing
  std::string reason;  ///< why it failed
  std::string run;     ///< new, resumed, skipped (finished before) or found (merged from its folder)
  FitSummary summary;
};

nlohmann::json row_json(const JobRow& row);
JobRow row_from_json(const nlohmann::json& row, const std::string& where);

/// Writes `document` ({"batch", "job_count", "jobs": [rows]}) as `stem`.json and `stem`.csv, each atomically.
void write_summary(const nlohmann::json& document, const std::filesystem::path& stem);

/// Prints the rows as a table and the count line "N job(s), F failed".
void print_table(const std::vector<JobRow>& rows);

struct BatchOptions {
  std::string file;
  std::string shard;        ///< "I/N"; empty: the Slurm array task's, or 0/1
  int jobs = 1;             ///< fits run at once, each on threads / jobs threads
  std::string summary_dir;  ///< empty: the batch file's folder
};

/// Runs this shard's jobs; returns the exit code (0 all done, 1 one failed, kInterruptedExit on a signal).
int run_batch(const BatchOptions& batch, const FitOptions& command_line);

}  // namespace penumbra::cli
