// `penumbra`: render, fit, pose, cameras, sort, logic and info from the command line.
#include <cstdio>
#include <exception>
#include <new>

#include "cli_support.h"
#include "commands.h"
#include "penumbra/error.h"

int main(int argc, char** argv) {
  CLI::App app{"Penumbra: a differentiable renderer with differentiable sorting and logic networks",
               "penumbra"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Help for every command");

  penumbra::cli::add_info_command(app);
  penumbra::cli::add_render_command(app);
  penumbra::cli::add_bench_command(app);
  penumbra::cli::add_sort_command(app);
  penumbra::cli::add_rank_train_command(app);
  penumbra::cli::add_rank_eval_command(app);
  penumbra::cli::add_logic_train_command(app);
  penumbra::cli::add_logic_eval_command(app);
  penumbra::cli::add_fit_command(app);
  penumbra::cli::add_pose_command(app);
  penumbra::cli::add_cameras_command(app);
  penumbra::cli::add_batch_summary_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    std::fprintf(stderr, "penumbra: %s; run 'penumbra --help' for the options\n", error.what());
    return penumbra::cli::kUsageErrorExit;
  } catch (const penumbra::cli::UsageError& error) {
    std::fprintf(stderr, "penumbra: %s\n", error.message.c_str());
    return penumbra::cli::kUsageErrorExit;
  } catch (const penumbra::Error& error) {
    std::fprintf(stderr, "penumbra: %s\n", error.what());
    return penumbra::cli::kUsageErrorExit;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "penumbra: out of memory; use fewer views, smaller images or a smaller mesh\n");
    return penumbra::cli::kUsageErrorExit;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "penumbra: unexpected failure: %s\n", error.what());
    return 1;
  }
  return 0;
}
