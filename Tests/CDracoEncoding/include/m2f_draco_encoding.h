// Draco's encoder (libdraco) behind C functions, so that the Swift tests can compress an avatar the
// way glTF tools do. Test support only: m2f itself never encodes Draco.
#ifndef M2F_DRACO_ENCODING_H
#define M2F_DRACO_ENCODING_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What a float attribute is to Draco (its predictors differ per kind).
typedef enum { M2FDracoPosition = 0, M2FDracoNormal = 1, M2FDracoColor = 2, M2FDracoTexCoord = 3, M2FDracoGeneric = 4 } M2FDracoKind;

/// Encodes a triangle mesh of `point_count` points with Draco's sequential method (the point order is
/// kept, as glTF needs when morph targets share the vertices). Attribute `a` has kinds[a],
/// components[a] floats per point in values[a], and is quantised to bits[a] bits (0: lossless).
/// Writes each attribute's Draco unique id into unique_ids[a]. Returns the encoded bytes (free with
/// m2f_draco_free_bytes) and their count in *size, or NULL when Draco refuses.
uint8_t *m2f_draco_encode(uint32_t point_count, const uint32_t *indices, uint32_t face_count, int attribute_count,
                          const int *kinds, const int *components, const float *const *values, const int *bits,
                          uint32_t *unique_ids, size_t *size);

void m2f_draco_free_bytes(uint8_t *bytes);

#ifdef __cplusplus
}
#endif

#endif
