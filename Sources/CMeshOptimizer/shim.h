// meshoptimizer's C API (Debian: libmeshoptimizer-dev, which ships no pkg-config file): the vertex and
// index codecs and filters of EXT_meshopt_compression. We call its decoders; we write none of our own.
#include <meshoptimizer.h>
