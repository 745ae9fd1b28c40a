// Adapts Draco's decoder (draco::Decoder) to the C functions of m2f_draco.h.
#include "m2f_draco.h"

#include <cstring>
#include <memory>
#include <string>

#include <draco/compression/decode.h>
#include <draco/mesh/mesh.h>

struct M2FDracoMesh {
    std::unique_ptr<draco::Mesh> mesh;
};

extern "C" M2FDracoMesh *m2f_draco_decode(const uint8_t *data, size_t size, char *error, size_t error_size) {
    auto fail = [&](const std::string &message) -> M2FDracoMesh * {
        if (error != nullptr && error_size > 0) {
            std::strncpy(error, message.c_str(), error_size - 1);
            error[error_size - 1] = '\0';
        }
        return nullptr;
    };
    try {
        draco::DecoderBuffer buffer;
        buffer.Init(reinterpret_cast<const char *>(data), size);
        draco::Decoder decoder;
        auto decoded = decoder.DecodeMeshFromBuffer(&buffer);
        if (!decoded.ok()) return fail(decoded.status().error_msg_string());
        auto result = new M2FDracoMesh();
        result->mesh = std::move(decoded).value();
        if (!result->mesh) {
            delete result;
            return fail("Draco returned no mesh");
        }
        return result;
    } catch (const std::exception &exception) {
        return fail(std::string("Draco failed: ") + exception.what());
    } catch (...) {
        return fail("Draco failed");
    }
}

extern "C" void m2f_draco_free(M2FDracoMesh *mesh) { delete mesh; }

extern "C" uint32_t m2f_draco_point_count(const M2FDracoMesh *mesh) { return mesh->mesh->num_points(); }

extern "C" uint32_t m2f_draco_face_count(const M2FDracoMesh *mesh) { return mesh->mesh->num_faces(); }

extern "C" void m2f_draco_indices(const M2FDracoMesh *mesh, uint32_t *out) {
    const draco::Mesh &m = *mesh->mesh;
    for (draco::FaceIndex f(0); f < m.num_faces(); ++f) {
        const auto &face = m.face(f);
        for (int corner = 0; corner < 3; ++corner) out[f.value() * 3 + corner] = face[corner].value();
    }
}

extern "C" int m2f_draco_attribute_components(const M2FDracoMesh *mesh, uint32_t unique_id) {
    const draco::PointAttribute *attribute = mesh->mesh->GetAttributeByUniqueId(unique_id);
    return attribute == nullptr ? -1 : attribute->num_components();
}

namespace {
template <typename T>
int convert(const draco::Mesh &mesh, const draco::PointAttribute &attribute, int components, void *out, size_t out_size) {
    const size_t points = mesh.num_points();
    if (out_size / sizeof(T) / size_t(components) < points) return -1;
    T *values = static_cast<T *>(out);
    std::memset(out, 0, points * size_t(components) * sizeof(T));
    for (draco::PointIndex p(0); p < mesh.num_points(); ++p) {
        if (!attribute.ConvertValue<T>(attribute.mapped_index(p), int8_t(components), values + size_t(p.value()) * components)) return -1;
    }
    return 0;
}
}  // namespace

extern "C" int m2f_draco_attribute_values(const M2FDracoMesh *mesh, uint32_t unique_id, int component_type, int components,
                                          void *out, size_t out_size) {
    const draco::PointAttribute *attribute = mesh->mesh->GetAttributeByUniqueId(unique_id);
    if (attribute == nullptr || components < 1 || components > 16) return -1;
    const draco::Mesh &m = *mesh->mesh;
    switch (component_type) {
        case 5120: return convert<int8_t>(m, *attribute, components, out, out_size);
        case 5121: return convert<uint8_t>(m, *attribute, components, out, out_size);
        case 5122: return convert<int16_t>(m, *attribute, components, out, out_size);
        case 5123: return convert<uint16_t>(m, *attribute, components, out, out_size);
        case 5125: return convert<uint32_t>(m, *attribute, components, out, out_size);
        case 5126: return convert<float>(m, *attribute, components, out, out_size);
        default: return -1;
    }
}
