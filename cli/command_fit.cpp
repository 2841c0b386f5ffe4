// `penumbra fit`: deform a template mesh to match target views (learning/mesh_fit.h), one fit or a batch of
// them; fit_options.h holds the options, fit_run.h one run with its checkpoints and resume.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_support.h"
#include "commands.h"
#include "fit_options.h"
#include "fit_run.h"
#include "penumbra/error.h"

namespace penumbra::cli {
namespace {

using nlohmann::json;

int run_batch(const std::string& batch_file, bool quiet) {
  const json document = read_json(batch_file);
  const json& jobs = document.is_object() && document.contains("jobs") ? document["jobs"] : document;
  if (!jobs.is_array() || jobs.empty()) {
    throw Error("batch file holds no job list", batch_file, "write a JSON array of job objects");
  }
  struct Row {
    std::string out, status, detail;
    FitSummary summary;
  };
  std::vector<Row> rows;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const std::string where = batch_file + ", job " + std::to_string(i);
    Row row;
    try {
      auto [options, settings] = options_from_json(jobs[i], where);
      if (options.out.empty()) throw Error("job has no \"out\" folder", where, "give each job its own \"out\"");
      options.quiet = options.quiet || quiet;
      row.out = options.out;
      if (!quiet) std::printf("job %zu: %s\n", i, row.out.c_str());
      row.summary = run_new_fit(options, settings);
      row.status = row.summary.status;
    } catch (const Error& error) {
      row.status = "failed";
      row.detail = error.what();
    } catch (const UsageError& error) {
      row.status = "failed";
      row.detail = error.message;
    }
    if (row.status == "failed") std::fprintf(stderr, "penumbra: %s: %s\n", where.c_str(), row.detail.c_str());
    rows.push_back(row);
    if (StopOnSignal::requested()) break;
  }
  std::printf("\n%-4s %-32s %-12s %6s %9s %9s %8s %9s\n", "job", "out", "status", "steps", "IoU", "Chamfer",
              "PSNR", "seconds");
  int failures = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    failures += r.status == "failed";
    const auto& e = r.summary.evaluation;
    const bool done = r.status == "done";
    std::printf("%-4zu %-32s %-12s %6d %9s %9s %8s %9.1f\n", i, r.out.c_str(), r.status.c_str(),
                r.summary.steps, done ? std::to_string(e.silhouette_iou).substr(0, 6).c_str() : "-",
                done && e.chamfer ? std::to_string(*e.chamfer).substr(0, 7).c_str() : "-",
                done && e.psnr_db ? std::to_string(*e.psnr_db).substr(0, 5).c_str() : "-",
                r.summary.wall_seconds);
  }
  std::printf("%zu job(s), %d failed\n", rows.size(), failures);
  if (StopOnSignal::requested()) return kInterruptedExit;
  return failures == 0 ? 0 : 1;
}

}  // namespace

void add_fit_command(CLI::App& app) {
  auto options = std::make_shared<FitOptions>();
  auto batch = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "fit",
      "Fit a template mesh to target views (a target mesh, or images with cameras); see docs/fitting.md");
  add_fit_options(*command, *options);
  command->add_option("--batch", *batch, "JSON list of jobs (objects keyed by long option names), one fit each");
  command->callback([options, batch, command] {
    int code = 0;
    {
      const StopOnSignal stop_on_signal;
      if (!batch->empty()) {
        code = run_batch(*batch, options->quiet);
      } else if (!options->resume.empty()) {
        const int iters = command->count("--iters") > 0 ? options->iters : 0;
        const FitSummary summary = resume_fit(options->resume, iters, options->stop_after, options->quiet);
        print_summary(summary, options->resume);
        if (summary.status == "interrupted") code = kInterruptedExit;
      } else {
        const FitSummary summary = run_new_fit(*options, settings_json(*command));
        print_summary(summary, options->out);
        if (summary.status == "interrupted") code = kInterruptedExit;
      }
    }
    std::fflush(stdout);
    // Interrupted or failed batch jobs end the process with their own code; everything is written by now.
    if (code != 0) std::exit(code);
  });
}

}  // namespace penumbra::cli
