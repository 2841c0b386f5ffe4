#pragma once
// The mesh-fit tab: controls on the left; per view the target, current render, silhouette and difference
// heat map; loss and IoU curves; the mesh preview.
#include <cstdint>
#include <string>

#include "fit_session.h"
#include "fit_snapshot.h"
#include "mesh_preview.h"

namespace penumbra::viewer {

class TextureCache;

class FitPanel {
 public:
  FitPanel(FitSession& session, const FitSetup& setup, const FitControls& controls);

  /// Takes the newest snapshot, if any, and refreshes the textures made from it.
  void update(TextureCache& textures);
  void show(TextureCache& textures);

  /// The newest snapshot seen (for headless reports).
  const FitSnapshot& snapshot() const { return snapshot_; }

 private:
  void show_controls();
  void show_views(const TextureCache& textures, float side);
  void show_curves(float width);

  FitSession& session_;
  FitSetup setup_;        // as edited; applied by the Load/Reset buttons
  FitControls controls_;  // as edited; applied live
  int template_level_ = 3;
  std::string save_path_ = "penumbra-fit.obj";
  FitSnapshot snapshot_;
  std::uint64_t seen_version_ = 0;
  MeshPreview preview_;
};

}  // namespace penumbra::viewer
