#pragma once
// Each `penumbra` sub-command registers itself on the top-level CLI11 app.
#include <CLI/CLI.hpp>

namespace penumbra::cli {

void add_info_command(CLI::App& app);
void add_render_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_sort_command(CLI::App& app);
void add_rank_train_command(CLI::App& app);
void add_rank_eval_command(CLI::App& app);
void add_logic_train_command(CLI::App& app);
void add_logic_eval_command(CLI::App& app);
void add_fit_command(CLI::App& app);
void add_pose_command(CLI::App& app);
void add_cameras_command(CLI::App& app);
void add_batch_summary_command(CLI::App& app);

}  // namespace penumbra::cli
