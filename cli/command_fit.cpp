// `penumbra fit`: deform a template mesh to match target views (learning/mesh_fit.h), one fit or a batch of
// them; fit_options.h holds the options, fit_run.h one run with its checkpoints and resume, batch.h batches.
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "number_checks.h"
#include "batch.h"
#include "cli_support.h"
#include "commands.h"
#include "fit_options.h"
#include "fit_run.h"

namespace penumbra::cli {

void add_fit_command(CLI::App& app) {
  auto options = std::make_shared<FitOptions>();
  auto batch = std::make_shared<BatchOptions>();
  CLI::App* command = app.add_subcommand(
      "fit",
      "Fit a template mesh to target views (a target mesh, or images with cameras); see docs/fitting.md");
  add_fit_options(*command, *options);
  command->add_option(
      "--batch", batch->file,
      "JSON list of jobs (objects keyed by long option names, paths relative to the file), one "
      "fit each; see docs/cluster.md");
  command->add_option("--shard", batch->shard,
                      "With --batch: run only the jobs whose index is I modulo N (default: the Slurm array "
                      "task's shard, else 0/1)");
  command
      ->add_option("--jobs", batch->jobs, "With --batch: fits run at once, each on its share of the threads")
      ->capture_default_str()
      ->check(in_range(1, 4096));
  command->add_option("--summary-dir", batch->summary_dir,
                      "With --batch: folder of summary-I-of-N.json and .csv (default: the batch file's)");
  command->callback([options, batch, command] {
    int code = 0;
    {
      const StopOnSignal stop_on_signal;
      if (!batch->file.empty()) {
        code = run_batch(*batch, *options);
      } else if (!options->resume.empty()) {
        const int iters = command->count("--iters") > 0 ? options->iters : 0;
        const FitSummary summary =
            resume_fit(options->resume, {iters, options->stop_after, options->quiet, options->threads});
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
