#version 450
// Dear ImGui vertices: pixel positions mapped to clip space by a scale and a translation.
layout(location = 0) in vec2 position;
layout(location = 1) in vec2 uv;
layout(location = 2) in vec4 color;

layout(push_constant) uniform Transform {
  vec2 scale;
  vec2 translate;
} transform;

layout(location = 0) out vec2 out_uv;
layout(location = 1) out vec4 out_color;

void main() {
  out_uv = uv;
  out_color = color;
  gl_Position = vec4(position * transform.scale + transform.translate, 0.0, 1.0);
}
