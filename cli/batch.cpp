#include "batch.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "penumbra/learning/checkpoint.h"
#include "cli_support.h"
#include "penumbra/core/threads.h"
#include "penumbra/error.h"

namespace penumbra::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The job keys that name files or folders; relative ones are relative to the batch file.
void resolve_paths(json& job, const fs::path& base) {
  for (const char* key : {"target-mesh", "target-texture", "target-images", "cameras", "template", "out"}) {
    if (!job.contains(key) || !job[key].is_string()) continue;
    const std::string text = job[key].get<std::string>();
    if (text.empty() || text.rfind("icosphere:", 0) == 0 || fs::path(text).is_absolute()) continue;
    job[key] = (base / text).lexically_normal().string();
  }
}

std::string with_where(const std::string& where, const std::string& message) {
  return message.find(where) == std::string::npos ? where + ": " + message : message;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string csv_number(const json& value) { return value.is_null() ? "" : value.dump(); }

JobRow run_job(const BatchJob& job, const FitOptions& command_line, int threads) {
  JobRow row{job.index, job.options.out, "", "", "", {}};
  try {
    FitOptions options = job.options;
    options.quiet = options.quiet || command_line.quiet;
    if (options.threads == 0) options.threads = threads;
    options.force = true;  // a finished fit in the folder is skipped below unless --force asked to rerun it
    if (!command_line.force && holds_finished_fit(options.out)) {
      row.run = "skipped";
      row.summary = finished_fit_summary(options.out);
    } else if (!command_line.force && holds_checkpoint(options.out)) {
      row.run = "resumed";
      row.summary = resume_fit(options.out, {0, options.stop_after, options.quiet, options.threads});
    } else {
      row.run = "new";
      row.summary = run_new_fit(options, job.settings);
    }
    row.status = row.summary.status;
  } catch (const Error& error) {
    row.reason = error.what();
  } catch (const UsageError& error) {
    row.reason = error.message;
  } catch (const std::exception& error) {
    row.reason = error.what();
  }
  if (!row.reason.empty()) row.status = "failed";
  return row;
}

}  // namespace

Shard parse_shard(const std::string& text, const std::string& flag) {
  const auto slash = text.find('/');
  const std::optional<int> index =
      slash == std::string::npos ? std::nullopt : parse_int(text.substr(0, slash));
  const std::optional<int> count =
      slash == std::string::npos ? std::nullopt : parse_int(text.substr(slash + 1));
  if (!index || !count || *count < 1 || *index < 0 || *index >= *count) {
    throw UsageError{flag + " '" + text +
                     "' is not I/N with 0 <= I < N; write e.g. 0/4 for the first of 4 shards"};
  }
  return {*index, *count};
}

std::optional<Shard> shard_from_slurm_environment() {
  const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
  if (id == nullptr) return std::nullopt;
  const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
  const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
  // -1 and 0 stand for unparsable values: they make no shard.
  const int task = parse_int(id).value_or(-1);
  const int tasks = count ? parse_int(count).value_or(0) : 0;
  const int first = min ? parse_int(min).value_or(-1) : 0;
  if (task < 0 || tasks < 1 || first < 0 || task - first < 0 || task - first >= tasks) {
    throw UsageError{std::string("SLURM_ARRAY_TASK_ID=") + id + " with SLURM_ARRAY_TASK_COUNT=" +
                     (count ? count : "(unset)") + " and SLURM_ARRAY_TASK_MIN=" + (min ? min : "(unset)") +
                     " is not a shard; submit a contiguous array (--array=0-N) or give --shard I/N"};
  }
  return Shard{task - first, tasks};
}

std::vector<BatchJob> load_batch(const fs::path& batch_file, bool check_inputs, bool force) {
  const json document = read_json(batch_file);
  const json& list = document.is_object() && document.contains("jobs") ? document["jobs"] : document;
  if (!list.is_array() || list.empty()) {
    throw Error("batch file holds no job list", batch_file.string(), "write a JSON array of job objects");
  }
  std::vector<BatchJob> jobs;
  std::vector<std::string> problems;
  std::map<fs::path, int> folder_owner;
  for (int i = 0; i < int(list.size()); ++i) {
    BatchJob job;
    job.index = i;
    job.where = batch_file.string() + ", job " + std::to_string(i);
    try {
      json object = list[std::size_t(i)];
      if (object.is_object()) resolve_paths(object, batch_file.parent_path());
      ParsedFitOptions parsed = options_from_json(object, job.where);
      job.options = std::move(parsed.options);
      job.settings = std::move(parsed.settings);
      if (job.options.out.empty())
        throw Error("job has no \"out\" folder", job.where, "give each job its own \"out\"");
      const fs::path folder = fs::absolute(job.options.out).lexically_normal();
      if (const auto [owner, added] = folder_owner.emplace(folder, i); !added) {
        throw Error("\"out\" " + job.options.out + " is also job " + std::to_string(owner->second) + "'s",
                    job.where, "give each job its own folder");
      }
      if (check_inputs) {
        build_config(job.options);
        const fs::path& out = job.options.out;
        if (!force && !holds_finished_fit(out) && holds_checkpoint(out) &&
            read_json(fs::path(out) / "config.json") != job.settings) {
          throw Error("\"out\" " + out.string() + " holds the checkpoint of a fit with other settings",
                      job.where, "give --force to start the job again, or another \"out\"");
        }
      }
      jobs.push_back(std::move(job));
    } catch (const Error& error) {
      problems.push_back(with_where(job.where, error.what()));
    } catch (const UsageError& error) {
      problems.push_back(with_where(job.where, error.message));
    }
  }
  if (!problems.empty()) {
    for (const std::string& problem : problems) std::fprintf(stderr, "penumbra: %s\n", problem.c_str());
    throw UsageError{std::to_string(problems.size()) + " of " + std::to_string(list.size()) + " job(s) of " +
                     batch_file.string() + " are invalid (listed above); nothing was run"};
  }
  return jobs;
}

json row_json(const JobRow& row) {
  const bool done = row.status == "done";
  const learning::Evaluation& e = row.summary.evaluation;
  return {{"job", row.job},
          {"out", row.out},
          {"status", row.status},
          {"reason", row.reason},
          {"run", row.run},
          {"steps", row.summary.steps},
          {"iou", done ? json(e.silhouette_iou) : json(nullptr)},
          {"chamfer", done && e.chamfer ? json(*e.chamfer) : json(nullptr)},
          {"psnr_db", done && e.psnr_db ? json(*e.psnr_db) : json(nullptr)},
          {"seconds", row.summary.wall_seconds}};
}

JobRow row_from_json(const json& row, const std::string& where) {
  try {
    JobRow r;
    r.job = row.at("job").get<int>();
    r.out = row.at("out").get<std::string>();
    r.status = row.at("status").get<std::string>();
    r.reason = row.at("reason").get<std::string>();
    r.run = row.at("run").get<std::string>();
    r.summary.status = r.status;
    r.summary.steps = row.at("steps").get<int>();
    r.summary.wall_seconds = row.at("seconds").get<double>();
    if (row.at("iou").is_number()) r.summary.evaluation.silhouette_iou = row["iou"].get<double>();
    if (row.at("chamfer").is_number()) r.summary.evaluation.chamfer = row["chamfer"].get<double>();
    if (row.at("psnr_db").is_number()) r.summary.evaluation.psnr_db = row["psnr_db"].get<double>();
    return r;
  } catch (const json::exception& error) {
    throw Error(std::string("malformed summary row: ") + error.what(), where,
                "use the summary files penumbra fit --batch wrote");
  }
}

void write_summary(const json& document, const fs::path& stem) {
  std::string csv = "job,out,status,reason,run,steps,iou,chamfer,psnr_db,seconds\n";
  for (const json& row : document.at("jobs")) {
    csv += row["job"].dump() + "," + csv_field(row["out"].get<std::string>()) + "," +
           row["status"].get<std::string>() + "," + csv_field(row["reason"].get<std::string>()) + "," +
           row["run"].get<std::string>() + "," + row["steps"].dump() + "," + csv_number(row["iou"]) + "," +
           csv_number(row["chamfer"]) + "," + csv_number(row["psnr_db"]) + "," + row["seconds"].dump() + "\n";
  }
  write_file_atomically(fs::path(stem.string() + ".json"), document.dump(2) + "\n");
  write_file_atomically(fs::path(stem.string() + ".csv"), csv);
}

void print_table(const std::vector<JobRow>& rows) {
  std::printf("\n%-4s %-32s %-12s %-8s %6s %9s %9s %8s %9s\n", "job", "out", "status", "run", "steps", "IoU",
              "Chamfer", "PSNR", "seconds");
  int failed = 0, unfinished = 0;
  for (const JobRow& r : rows) {
    failed += r.status == "failed";
    unfinished += r.status != "failed" && r.status != "done";
    const auto& e = r.summary.evaluation;
    const bool done = r.status == "done";
    std::printf(
        "%-4d %-32s %-12s %-8s %6d %9s %9s %8s %9.1f\n", r.job, r.out.c_str(), r.status.c_str(),
        r.run.c_str(), r.summary.steps, done ? std::to_string(e.silhouette_iou).substr(0, 6).c_str() : "-",
        done && e.chamfer ? std::to_string(*e.chamfer).substr(0, 7).c_str() : "-",
        done && e.psnr_db ? std::to_string(*e.psnr_db).substr(0, 5).c_str() : "-", r.summary.wall_seconds);
  }
  std::printf("%zu job(s), %d failed, %d not finished\n", rows.size(), failed, unfinished);
}

int run_batch(const BatchOptions& batch, const FitOptions& command_line) {
  if (batch.jobs < 1) throw UsageError{"--jobs must be >= 1"};
  Shard shard;
  if (!batch.shard.empty()) {
    shard = parse_shard(batch.shard);
  } else if (const std::optional<Shard> slurm = shard_from_slurm_environment()) {
    shard = *slurm;
    std::fprintf(
        stderr, "penumbra: running shard %d/%d of %s (from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT)\n",
        shard.index, shard.count, batch.file.c_str());
  }
  const std::vector<BatchJob> all = load_batch(batch.file, true, command_line.force);
  std::vector<const BatchJob*> mine;
  for (const BatchJob& job : all)
    if (shard.holds(job.index)) mine.push_back(&job);

  const fs::path folder =
      batch.summary_dir.empty() ? fs::path(batch.file).parent_path() : fs::path(batch.summary_dir);
  if (!folder.empty()) create_output_folder(folder, "--summary-dir");
  const fs::path stem =
      folder / ("summary-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count));
  json document = {{"batch", fs::absolute(batch.file).lexically_normal().string()},
                   {"job_count", all.size()},
                   {"shard", {{"index", shard.index}, {"count", shard.count}}},
                   {"jobs", json::array()}};

  // Each of the K fits at once gets its share of the CPUs this process may use.
  const int workers = std::min<int>(batch.jobs, std::max<std::size_t>(1, mine.size()));
  const int threads_per_fit = std::max(1, core::thread_count(command_line.threads) / workers);
  const bool quiet = command_line.quiet || workers > 1;
  FitOptions fit_command_line = command_line;
  fit_command_line.quiet = quiet;

  std::vector<std::optional<JobRow>> rows(mine.size());
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::exception_ptr failure;
  auto record = [&](std::size_t k, JobRow row) {
    const std::lock_guard lock(mutex);
    if (row.status == "failed")
      std::fprintf(stderr, "penumbra: %s: %s\n", mine[k]->where.c_str(), row.reason.c_str());
    else if (!command_line.quiet)
      std::printf("job %d %s (%s) after %d steps: %s\n", row.job, row.status.c_str(), row.run.c_str(),
                  row.summary.steps, row.out.c_str());
    std::fflush(stdout);
    rows[k] = std::move(row);
    // The summary is rewritten after every job, so a killed shard leaves what it finished.
    document["jobs"] = json::array();
    for (const auto& r : rows)
      if (r) document["jobs"].push_back(row_json(*r));
    write_summary(document, stem);
  };
  auto work = [&] {
    try {
      for (std::size_t k = next++; k < mine.size() && !StopOnSignal::requested(); k = next++) {
        if (!quiet) std::printf("job %d: %s\n", mine[k]->index, mine[k]->options.out.c_str());
        record(k, run_job(*mine[k], fit_command_line, threads_per_fit));
      }
    } catch (...) {
      const std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
      next = mine.size();
    }
  };
  std::vector<std::thread> pool;
  for (int w = 1; w < workers; ++w) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
  if (mine.empty()) write_summary(document, stem);

  std::vector<JobRow> finished;
  for (const auto& r : rows)
    if (r) finished.push_back(*r);
  print_table(finished);
  std::printf("summary: %s.json, %s.csv\n", stem.string().c_str(), stem.string().c_str());
  if (StopOnSignal::requested()) return kInterruptedExit;
  const bool any_failed =
      std::any_of(finished.begin(), finished.end(), [](const JobRow& r) { return r.status == "failed"; });
  return any_failed ? 1 : 0;
}

}  // namespace penumbra::cli
