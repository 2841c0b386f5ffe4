// `penumbra batch-summary DIR...`: merges the summary-I-of-N.json files of a batch's shards into one table,
// batch-summary.json and batch-summary.csv; a job no summary names is looked up in its output folder.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "batch.h"
#include "cli_support.h"
#include "commands.h"
#include "fit_run.h"
#include "penumbra/error.h"

namespace penumbra::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct BatchSummaryOptions {
  std::vector<std::string> paths;
  std::string out;
};

bool is_shard_summary(const fs::path& path) {
  const std::string name = path.filename().string();
  return path.extension() == ".json" && name.rfind("summary-", 0) == 0 &&
         name.find("-of-") != std::string::npos;
}

std::vector<fs::path> summary_files(const std::vector<std::string>& paths) {
  std::vector<fs::path> files;
  for (const std::string& path : paths) {
    std::error_code error;
    if (fs::is_directory(path, error)) {
      std::vector<fs::path> found;
      for (const fs::directory_entry& entry : fs::directory_iterator(path, error))
        if (entry.is_regular_file() && is_shard_summary(entry.path())) found.push_back(entry.path());
      if (found.empty())
        throw UsageError{"no summary-I-of-N.json in " + path + "; give the --summary-dir of the batch"};
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, error)) {
      files.emplace_back(path);
    } else {
      throw UsageError{path +
                       " is neither a folder nor a file; give the folders holding summary-I-of-N.json"};
    }
  }
  return files;
}

int merge_summaries(const BatchSummaryOptions& options) {
  std::string batch;
  int job_count = -1;
  std::map<int, JobRow> merged;
  for (const fs::path& file : summary_files(options.paths)) {
    const json document = read_json(file);
    if (!document.is_object() || !document.contains("batch") || !document.contains("job_count") ||
        !document.contains("jobs")) {
      throw Error("not a batch summary", file.string(),
                  "give the summary-I-of-N.json files penumbra fit --batch wrote");
    }
    const std::string this_batch = document["batch"].get<std::string>();
    const int this_count = document["job_count"].get<int>();
    if (job_count >= 0 && (this_batch != batch || this_count != job_count)) {
      throw UsageError{file.string() + " is a summary of " + this_batch + ", not of " + batch +
                       "; merge the summaries of one batch at a time"};
    }
    batch = this_batch;
    job_count = this_count;
    for (const json& row : document["jobs"]) {
      JobRow r = row_from_json(row, file.string());
      if (r.job < 0 || r.job >= job_count) throw Error("job index out of range", file.string(), "");
      // A job run by two shards (the shard count changed between submissions) counts once, finished if either
      // did.
      const auto existing = merged.find(r.job);
      if (existing == merged.end() || existing->second.status != "done") merged[r.job] = r;
    }
  }

  std::vector<JobRow> rows;
  std::vector<BatchJob> jobs;
  if (int(merged.size()) < job_count) {
    try {
      jobs = load_batch(batch, false, false);
    } catch (const UsageError& error) {
      std::fprintf(stderr, "penumbra: cannot look for unlisted jobs in their folders: %s\n",
                   error.message.c_str());
    } catch (const Error& error) {
      std::fprintf(stderr, "penumbra: cannot look for unlisted jobs in their folders: %s\n", error.what());
    }
  }
  for (int job = 0; job < job_count; ++job) {
    if (const auto found = merged.find(job); found != merged.end()) {
      rows.push_back(found->second);
      continue;
    }
    JobRow row{job, "", "missing", "no shard summary lists it", "", {}};
    if (job < int(jobs.size())) {
      row.out = jobs[std::size_t(job)].options.out;
      if (holds_finished_fit(row.out)) {
        row.summary = finished_fit_summary(row.out);
        row.status = "done";
        row.reason.clear();
        row.run = "found";
      }
    }
    rows.push_back(row);
  }

  json document = {{"batch", batch}, {"job_count", job_count}, {"jobs", json::array()}};
  for (const JobRow& row : rows) document["jobs"].push_back(row_json(row));
  const fs::path folder = !options.out.empty() ? fs::path(options.out)
                          : fs::is_directory(options.paths.front())
                              ? fs::path(options.paths.front())
                              : fs::path(options.paths.front()).parent_path();
  const fs::path stem = folder / "batch-summary";
  write_summary(document, stem);
  print_table(rows);
  std::printf("summary: %s.json, %s.csv\n", stem.string().c_str(), stem.string().c_str());
  const bool all_done =
      std::all_of(rows.begin(), rows.end(), [](const JobRow& r) { return r.status == "done"; });
  return all_done ? 0 : 1;
}

}  // namespace

void add_batch_summary_command(CLI::App& app) {
  auto options = std::make_shared<BatchSummaryOptions>();
  CLI::App* command = app.add_subcommand("batch-summary",
                                         "Merge the shard summaries of a `fit --batch` into one table, "
                                         "batch-summary.json and .csv; exit 1 when a "
                                         "job failed or is missing");
  command->add_option("paths", options->paths, "Folders holding summary-I-of-N.json (or those files)")
      ->required();
  command->add_option("--out", options->out,
                      "Folder of batch-summary.json and .csv (default: the first folder)");
  command->callback([options] {
    const int code = merge_summaries(*options);
    std::fflush(stdout);
    if (code != 0) std::exit(code);
  });
}

}  // namespace penumbra::cli
