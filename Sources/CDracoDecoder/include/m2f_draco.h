// A C face on Draco's C++ mesh decoder (Debian: libdraco-dev), for KHR_draco_mesh_compression.
// Swift cannot call Draco's C++ API directly; this file only adapts it, it decodes nothing itself.
#ifndef M2F_DRACO_H
#define M2F_DRACO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A decoded Draco mesh (owned by the caller: free with m2f_draco_free).
typedef struct M2FDracoMesh M2FDracoMesh;

/// Decodes a Draco triangle mesh. Returns NULL on failure and writes Draco's message into `error`.
M2FDracoMesh *m2f_draco_decode(const uint8_t *data, size_t size, char *error, size_t error_size);

void m2f_draco_free(M2FDracoMesh *mesh);

/// Points (glTF vertices) and triangles of the decoded mesh.
uint32_t m2f_draco_point_count(const M2FDracoMesh *mesh);
uint32_t m2f_draco_face_count(const M2FDracoMesh *mesh);

/// Writes 3 × face_count point indices into `out`.
void m2f_draco_indices(const M2FDracoMesh *mesh, uint32_t *out);

/// Components per value of the attribute with Draco unique id `unique_id`; -1 when there is none.
int m2f_draco_attribute_components(const M2FDracoMesh *mesh, uint32_t unique_id);

/// Writes point_count × `components` values of an attribute, converted to the glTF component type
/// `component_type` (5120 BYTE … 5126 FLOAT, Draco's own conversion, normalisation included), into
/// `out`, which holds `out_size` bytes. Returns 0 on success, -1 on a bad argument or value.
int m2f_draco_attribute_values(const M2FDracoMesh *mesh, uint32_t unique_id, int component_type, int components,
                               void *out, size_t out_size);

#ifdef __cplusplus
}
#endif

#endif
