#!/usr/bin/env bash
# The quality runs of docs/fitting.md: Spot silhouettes, Spot with colours, the pose experiment, Spot from its
# JPEG capture with masks (photos), and a short fit of a mesh the project has never seen (unseen).
# Usage (from the repository root):
#   examples/quality_runs.sh PENUMBRA_BINARY OUT_FOLDER [silhouette|color|pose|photos|unseen]...
# Spot is in assets/spot.
set -euo pipefail
penumbra=${1:?path to the penumbra binary}
out=${2:?output folder}
shift 2
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(silhouette color pose)
spot=assets/spot
mkdir -p "$out"

# The silhouette run is `fit` with its defaults (ico4 template, 20 training + 8 held-out views at 128², 500 steps
# of Adam with the learning rate cosine-decayed 0.01 -> 0.001, 6 views per step, uniform coverage with sigma
# log-annealed 0.03 -> 0.005 NDC, Laplacian 10). Colours anneal to a sharper 0.003 with a lighter Laplacian
# and 8 views per step: their PSNR hinges on the outline.
target=(--target-mesh "$spot/spot_triangulated.obj")

for part in "${parts[@]}"; do
  case $part in
    silhouette) "$penumbra" fit "${target[@]}" --out "$out/spot_silhouette" ;;
    color) "$penumbra" fit "${target[@]}" --views-per-step 8 --sigma-end 0.003 --laplacian 5 --fit-colors \
             --target-texture "$spot/spot_texture.png" --out "$out/spot_color" ;;
    pose)
      # A 320-triangle Spot (icosphere level 2 fitted to Spot) keeps the 5 x 3 x trials problems affordable.
      "$penumbra" fit "${target[@]}" --template icosphere:2 --size 64 --iters 200 --sigma 0.05 --sigma-end 0.01 \
        --quiet --out "$out/spot_ico2"
      for setting in "logistic" "logistic --squared" "uniform" "gaussian" "cauchy"; do
        read -r distribution flags <<<"$setting"
        name=$distribution$([[ $flags == *squared* ]] && echo _squared || true)
        # shellcheck disable=SC2086
        "$penumbra" pose --mesh "$out/spot_ico2/result.obj" --trials "${POSE_TRIALS:-4}" \
          --steps "${POSE_STEPS:-500}" --sigma 0.1 --distribution "$distribution" $flags --quiet --out "$out/pose_$name"
      done
      ;;
    photos)
      # 24 JPEG photos of Spot at 256² with OpenCV cameras (off-centre principal points) and mask PNGs, converted
      # from their COLMAP text model and fitted from an icosphere with the default settings.
      capture=assets/captures/spot_colmap
      "$penumbra" cameras --from-colmap "$capture/sparse/0" --out "$out/spot_photos_cameras.json"
      "$penumbra" fit --target-images "$capture/images" --cameras "$out/spot_photos_cameras.json" \
        --masks "$capture/masks" --fit-colors --out "$out/spot_photos" ;;
    unseen)
      # Debian's assimp test model Wuson (PLY), 12 views of 64², 300 steps, otherwise the defaults.
      "$penumbra" fit --target-mesh /usr/share/assimp/models/PLY/Wuson.ply --views 12 --size 64 --iters 300 \
        --out "$out/wuson" ;;
    *) echo "unknown part '$part'; use silhouette, color, pose, photos or unseen" >&2; exit 2 ;;
  esac
done
