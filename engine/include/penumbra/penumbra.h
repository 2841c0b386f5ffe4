#pragma once
/// Everything of the engine's public API.
#include "penumbra/camera.h"
#include "penumbra/error.h"
#include "penumbra/files.h"
#include "penumbra/image.h"
#include "penumbra/mesh.h"
#include "penumbra/renderer.h"
#include "penumbra/settings.h"
#include "penumbra/shading.h"
