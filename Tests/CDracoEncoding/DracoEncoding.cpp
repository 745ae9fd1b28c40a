// Builds a draco::Mesh from flat arrays and encodes it with draco::Encoder (see m2f_draco_encoding.h).
#include "m2f_draco_encoding.h"

#include <cstdlib>
#include <cstring>

#include <draco/compression/encode.h>
#include <draco/mesh/mesh.h>

extern "C" uint8_t *m2f_draco_encode(uint32_t point_count, const uint32_t *indices, uint32_t face_count, int attribute_count,
                                     const int *kinds, const int *components, const float *const *values, const int *bits,
                                     uint32_t *unique_ids, size_t *size) {
    draco::Mesh mesh;
    mesh.set_num_points(point_count);
    for (uint32_t f = 0; f < face_count; ++f) {
        mesh.AddFace({draco::PointIndex(indices[3 * f]), draco::PointIndex(indices[3 * f + 1]), draco::PointIndex(indices[3 * f + 2])});
    }
    const draco::GeometryAttribute::Type types[] = {draco::GeometryAttribute::POSITION, draco::GeometryAttribute::NORMAL,
                                                    draco::GeometryAttribute::COLOR, draco::GeometryAttribute::TEX_COORD,
                                                    draco::GeometryAttribute::GENERIC};
    draco::Encoder encoder;
    encoder.SetEncodingMethod(draco::MESH_SEQUENTIAL_ENCODING);
    for (int a = 0; a < attribute_count; ++a) {
        if (kinds[a] < 0 || kinds[a] > 4) return nullptr;
        draco::GeometryAttribute attribute;
        attribute.Init(types[kinds[a]], nullptr, uint8_t(components[a]), draco::DT_FLOAT32, false,
                       int64_t(sizeof(float)) * components[a], 0);
        const int id = mesh.AddAttribute(attribute, true, point_count);
        draco::PointAttribute *stored = mesh.attribute(id);
        for (uint32_t p = 0; p < point_count; ++p) {
            stored->SetAttributeValue(draco::AttributeValueIndex(p), values[a] + size_t(p) * components[a]);
        }
        unique_ids[a] = stored->unique_id();
        if (bits[a] > 0) encoder.SetAttributeQuantization(types[kinds[a]], bits[a]);
    }
    draco::EncoderBuffer buffer;
    if (!encoder.EncodeMeshToBuffer(mesh, &buffer).ok()) return nullptr;
    auto *out = static_cast<uint8_t *>(std::malloc(buffer.size()));
    if (out == nullptr) return nullptr;
    std::memcpy(out, buffer.data(), buffer.size());
    *size = buffer.size();
    return out;
}

extern "C" void m2f_draco_free_bytes(uint8_t *bytes) { std::free(bytes); }
