#version 450
// Vertex colour times the bound texture (the font atlas, or an image the viewer uploaded).
layout(set = 0, binding = 0) uniform sampler2D image;

layout(location = 0) in vec2 uv;
layout(location = 1) in vec4 color;
layout(location = 0) out vec4 out_color;

void main() { out_color = color * texture(image, uv); }
